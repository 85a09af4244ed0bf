package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/imageref"
	"github.com/dbdevops/terraform-provider-harness/internal/tfkit"
)

// imageConfigAdvice is what a plan of an image config resource tells its reviewer
// beyond the diff: the warnings (and the errors of the checks against the Harness
// defaults) that compare the plan with the state it replaces, with the Harness defaults
// and with the run's other image configs, so that a plan says what its apply does to
// Harness. It holds what the advice reads besides the plan: the execution config's
// calls (the overrides an exclusive create resets), the claims of the run's image
// configs on it, and its Harness defaults, read once per run (execConfig). A new warning goes in this file, called from advise (or,
// for a destroy plan, from the resource's ModifyPlan, as warnDestroyKeeps is); the
// warnings that read only the plan and the state are plain functions.
type imageConfigAdvice struct {
	kind *execConfigKind
	cfg  execConfig
}

// advise adds the advice of a plan that creates or updates the resource, in this order:
// what a create resets, or what drifted, what the apply resets, moves and takes over;
// then the checks against the Harness defaults and the other image configs.
func (a imageConfigAdvice) advise(ctx context.Context, req resource.ModifyPlanRequest, plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		a.warnCreateResets(ctx, plan, resp)
	} else {
		warnDrift(ctx, req, plan, state, resp)
		warnResets(plan, state.UnmanagedOverrides, resp)
		warnMoves(plan, state, resp)
		warnTakeOvers(plan, state, resp)
	}
	a.checkDefaults(ctx, req.Private, plan, state, resp)
	a.warnShared(plan, resp)
}

// warnCreateResets reads the overrides when an exclusive resource is created, the one
// plan that has no refreshed state to show them from: its apply resets them.
func (a imageConfigAdvice) warnCreateResets(ctx context.Context, plan imageConfigModel, resp *resource.ModifyPlanResponse) {
	if !plan.Exclusive.ValueBool() || a.cfg.overrides == nil {
		return
	}
	current, err := a.cfg.overrides(ctx)
	if err != nil {
		resp.Diagnostics.AddWarning("Could not read the overrides this exclusive resource resets",
			apiErrorDetail("Reading the overrides (get-customer-config), to show which ones the apply resets,", err)+
				" The apply resets every override on a field this resource does not set.")
		return
	}
	warnResets(plan, tfkit.StringMap(current), resp)
}

// warnShared warns when another image config of this configuration sets a field of the
// same execution config that this one sets too (or owns the whole config): each apply
// would undo the other's change, and the next plan would show it as drift, forever.
func (a imageConfigAdvice) warnShared(plan imageConfigModel, resp *resource.ModifyPlanResponse) {
	if a.cfg.claims == nil || plan.Exclusive.IsUnknown() || plan.MapUnknown {
		return
	}
	fields := plan.managed()
	desired := plan.toAPI()
	if len(desired) < len(fields) {
		return // a value is not known yet: its owner cannot be told apart
	}
	owner, _ := json.Marshal(map[string]any{"exclusive": plan.Exclusive.ValueBool(), "images": desired})
	if plan.Exclusive.ValueBool() {
		fields = append(fields, allFields)
	}
	clashes := a.cfg.claims.claim(string(owner), fields)
	for _, f := range slices.Sorted(maps.Keys(clashes)) {
		var other struct {
			Exclusive bool
			Images    map[string]string
		}
		_ = json.Unmarshal([]byte(clashes[f]), &other)
		at, what := path.Root("exclusive"), "owns the whole "+a.cfg.name+" (exclusive = true)"
		if f != allFields && !plan.Images[f].IsNull() { // else this one is exclusive and the other sets f
			at, what = plan.fieldPath(f), "sets "+plan.fieldLabel(f)
		}
		otherDoes := "sets it too"
		if v, ok := other.Images[f]; ok {
			otherDoes = fmt.Sprintf("sets it to %q", v)
		}
		if other.Exclusive {
			otherDoes = "owns the whole " + a.cfg.name + " (exclusive = true)"
		}
		resp.Diagnostics.AddAttributeWarning(at, "Two image configs manage the same field",
			fmt.Sprintf("This %s %s, and another one in this configuration %s. Each apply "+
				"undoes the other's change and the next plan shows it as drift, for ever; destroying one resets the "+
				"field for both. Manage each field in one resource only.", a.kind.resourceType(), what, otherDoes))
	}
}

// checkDefaults compares the plan with the Harness defaults, read at most once per run
// (harnessDefaults; the credentials check usually read them already): a key of the
// images map that Harness does not have is an error; a new or changed override that
// equals its default, a pinned image whose default Harness has moved to a newer
// version, and a field Harness added that a covering configuration leaves unset are
// warnings.
func (a imageConfigAdvice) checkDefaults(ctx context.Context, private privateGetter, plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	if a.cfg.defaults == nil {
		return
	}
	defaults, err := a.cfg.defaults.get(ctx)
	if client.IsExecutionConfigDenied(err) || client.IsCIExecutionConfigDenied(err) {
		// Not a skipped check: the key may not use the execution config, so the apply would fail.
		addAPIError(&resp.Diagnostics, "Unable to plan the image overrides", "Reading the Harness defaults (get-default-config)", err)
		return
	}
	if err != nil {
		// The plan does not need the defaults, only these checks do: say they were skipped.
		detail := apiErrorDetail("Reading the Harness defaults (get-default-config), to compare the overrides with them,", err)
		if extra := plan.fieldsBeyondRelease(); len(extra) > 0 {
			detail += fmt.Sprintf(" Without them the plan cannot tell whether Harness has %s, which this provider version "+
				"does not know: if Harness does not, the apply fails.", strings.Join(extra, ", "))
		}
		resp.Diagnostics.AddWarning("Could not compare the overrides with the Harness defaults", detail+" The plan is complete without this check.")
		return
	}
	checkFieldNames(a.cfg.name, plan, defaults, resp)
	compareWithDefaults(a.kind.imageNoun, plan, state, defaults, resp)
	raw, diags := private.GetKey(ctx, privateSeen)
	resp.Diagnostics.Append(diags...)
	warnNewFields(a.kind.resourceType(), plan, defaults, decodeSeen(raw, a.kind.seenBefore(defaults)), resp)
}

// recordSeen stores nextSeen after an apply. Without the defaults (unreadable now) it
// keeps what was recorded: the next apply records it.
func (a imageConfigAdvice) recordSeen(ctx context.Context, prior []byte, plan imageConfigModel, private interface {
	SetKey(context.Context, string, []byte) diag.Diagnostics
}) diag.Diagnostics {
	if a.cfg.defaults == nil {
		return nil
	}
	defaults, err := a.cfg.defaults.get(ctx)
	if err != nil {
		tflog.Debug(ctx, "defaults unreadable: the fields seen are recorded at the next apply", map[string]any{"error": err.Error()})
		return nil
	}
	raw, err := json.Marshal(nextSeen(defaults, decodeSeen(prior, a.kind.seenBefore(defaults)), plan.managed()))
	if err != nil {
		var d diag.Diagnostics
		d.AddError("Unable to record the default fields seen", err.Error())
		return d
	}
	return private.SetKey(ctx, privateSeen, raw)
}

// warnDrift names each managed field whose override changed or vanished outside
// Terraform since the last apply, and what the plan does about it.
func warnDrift(ctx context.Context, req resource.ModifyPlanRequest, plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	raw, diags := req.Private.GetKey(ctx, privateApplied)
	resp.Diagnostics.Append(diags...)
	var applied map[string]string
	if len(raw) == 0 || json.Unmarshal(raw, &applied) != nil {
		return
	}
	for _, api := range slices.Sorted(maps.Keys(applied)) {
		last, now := applied[api], state.Images[api]
		if !now.IsNull() && now.ValueString() == last {
			continue
		}
		what := fmt.Sprintf("was changed outside Terraform to %q", now.ValueString())
		if now.IsNull() {
			what = "was removed outside Terraform"
		}
		next := "This plan resets it to the Harness default."
		if p := plan.Images[api]; !p.IsNull() && !p.IsUnknown() {
			next = fmt.Sprintf("This plan sets it to %q again.", p.ValueString())
		}
		resp.Diagnostics.AddAttributeWarning(plan.fieldPath(api), "Image override drifted: "+plan.fieldName(api),
			fmt.Sprintf("The override of %s %s; Terraform last applied %q. %s", plan.fieldLabel(api), what, last, next))
	}
}

// privateSeen holds the default fields this resource knows of (see fieldCoverage).
const privateSeen = "defaults_seen"

// warnResets names the overrides an exclusive plan resets: those a refresh found on
// fields the plan does not set (unmanaged_overrides going to {} in the diff).
func warnResets(plan imageConfigModel, found types.Map, resp *resource.ModifyPlanResponse) {
	if !plan.Exclusive.ValueBool() || found.IsNull() || found.IsUnknown() {
		return
	}
	var lines []string
	for api, v := range found.Elements() {
		if s, ok := v.(types.String); ok && plan.Images[api].IsNull() {
			lines = append(lines, fmt.Sprintf("- %s = %q", api, s.ValueString()))
		}
	}
	if len(lines) == 0 {
		return
	}
	slices.Sort(lines)
	unless := ""
	if plan.MapUnknown {
		unless = ", except those the images map sets (it is known only at apply)"
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("unmanaged_overrides"), "Unmanaged image overrides will be reset",
		"This resource owns the whole execution config (exclusive = true), and the account has overrides on fields it does "+
			"not set:\n"+strings.Join(lines, "\n")+"\nThe apply resets them to the Harness defaults"+unless+". To keep one, "+
			"set it in this resource; to leave them alone, set exclusive = false.")
}

// warnDestroyKeeps says that destroying a shared resource leaves the overrides it does
// not set: the plan shows unmanaged_overrides going to null with the rest of the
// resource, which reads as their deletion.
func warnDestroyKeeps(ctx context.Context, kind *execConfigKind, st attributeReader, resp *resource.ModifyPlanResponse) {
	state, diags := readImageConfig(ctx, kind, st)
	if diags.HasError() || state.Exclusive.ValueBool() || len(state.UnmanagedOverrides.Elements()) == 0 {
		return
	}
	var names []string
	for _, api := range state.managed() {
		names = append(names, state.fieldName(api))
	}
	resets := "resets only the fields it sets (" + strings.Join(names, ", ") + ")"
	switch {
	case state.OnDestroy.ValueString() == onDestroyRetain:
		resets = "resets nothing (on_destroy = \"retain\")"
	case len(names) == 0:
		resets = "resets nothing (the overrides it set are gone already)"
	}
	resp.Diagnostics.AddWarning("Destroy does not touch the unmanaged overrides",
		"The plan shows unmanaged_overrides going to null because the resource leaves the state. Destroying this "+
			"resource "+resets+", and leaves the overrides on other fields as they are: "+
			strings.Join(slices.Sorted(maps.Keys(state.UnmanagedOverrides.Elements())), ", ")+".")
}

// warnMoves says that a field moved between its typed attribute and the images map is
// not reset: the diff shows it leaving one form (-> null) and appearing in the other,
// which reads as a reset to the public default, while the apply sends nothing for it
// (or only its new value).
func warnMoves(plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	var lines []string
	for _, api := range plan.managed() {
		was := state.Images[api]
		if was.IsNull() || plan.InMap[api] == state.InMap[api] {
			continue
		}
		now, what := plan.Images[api], "its value is known at apply, which sets it"
		switch {
		case now.IsUnknown():
		case now.ValueString() == was.ValueString():
			what = fmt.Sprintf("same value %q, so the apply sends nothing for it", now.ValueString())
		default:
			what = fmt.Sprintf("%q -> %q, which the apply sets", was.ValueString(), now.ValueString())
		}
		lines = append(lines, fmt.Sprintf("- %s -> %s: %s.", state.fieldName(api), plan.fieldName(api), what))
	}
	if len(lines) > 0 {
		resp.Diagnostics.AddWarning("Image override moved, not reset",
			"The plan shows these fields going to null in one form and set in the other. That is a move: the apply does "+
				"not reset them to the Harness default.\n"+strings.Join(lines, "\n"))
	}
}

// warnTakeOvers names the overrides Harness holds on fields the plan starts to set (the
// refresh found them in unmanaged_overrides): the diff shows them leaving that map, which
// reads as a reset, while the apply sets the configured value in their place.
func warnTakeOvers(plan, state imageConfigModel, resp *resource.ModifyPlanResponse) {
	others := state.UnmanagedOverrides.Elements()
	var lines []string
	for _, api := range plan.managed() {
		old, ok := others[api].(types.String)
		if !ok || !state.Images[api].IsNull() {
			continue
		}
		sets := "the value known then"
		if now := plan.Images[api]; !now.IsUnknown() {
			sets = fmt.Sprintf("%q", now.ValueString())
		}
		lines = append(lines, fmt.Sprintf("- %s: Harness holds %q; the apply sets %s.", plan.fieldLabel(api), old.ValueString(), sets))
	}
	if len(lines) > 0 {
		resp.Diagnostics.AddWarning("Taking over existing overrides",
			"This resource starts to manage overrides the account has already. The plan shows them leaving "+
				"unmanaged_overrides; they are not reset:\n"+strings.Join(lines, "\n"))
	}
}

// privateGetter is what a plan's and a state's private data have in common.
type privateGetter interface {
	GetKey(context.Context, string) ([]byte, diag.Diagnostics)
}

// fieldsBeyondRelease lists, as images["name"], the keys of the images map that this
// provider version does not know.
func (m imageConfigModel) fieldsBeyondRelease() []string {
	var out []string
	for _, api := range slices.Sorted(maps.Keys(m.InMap)) {
		if _, ok := m.kind.field(api); !ok {
			out = append(out, m.fieldName(api))
		}
	}
	return out
}

// checkFieldNames refuses a key of the images map that is neither a field this
// provider version knows nor one Harness has a default for: the apply would fail after
// the plan said it would not. A field Harness adds after this release is known as soon
// as Harness serves its default.
func checkFieldNames(config string, plan imageConfigModel, defaults client.ExecutionConfig, resp *resource.ModifyPlanResponse) {
	known := plan.kind.knownFields()
	for api := range defaults {
		if !slices.Contains(known, api) {
			known = append(known, api)
		}
	}
	slices.Sort(known)
	for api := range plan.InMap {
		if slices.Contains(known, api) {
			continue
		}
		if _, ok := plan.kind.field(api); ok {
			continue // an attribute name: ValidateConfig says what to write instead
		}
		hint := ""
		if near, ok := closest(api, known); ok {
			hint = fmt.Sprintf(" Did you mean %q?", near)
		}
		resp.Diagnostics.AddAttributeError(path.Root("images").AtMapKey(api), "Unknown image field",
			fmt.Sprintf("Harness's %s has no field %q, so the apply would fail.%s The fields are: %s. "+
				"(A field Harness adds later is accepted here as soon as Harness serves a default for it.)",
				config, api, hint, strings.Join(known, ", ")))
	}
}

// closest returns the candidate nearest to name (edit distance, ignoring case), if it
// is near enough to be a typo of it.
func closest(name string, candidates []string) (string, bool) {
	best, bestDist := "", len(name)
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(name), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best, best != "" && bestDist <= max(2, len(name)/4)
}

// editDistance is the Levenshtein distance of a and b, in bytes (field names are ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// compareWithDefaults warns about a new or changed override that equals its default (it
// changes nothing today), and, in one warning, about every pinned image whose default
// Harness has moved to a newer version (an upgrade to review). noun names the images in
// the warning's summary, which differs by config: Terraform folds the warnings of one
// summary, and a plan of both configs must show both.
func compareWithDefaults(noun string, plan, state imageConfigModel, defaults client.ExecutionConfig, resp *resource.ModifyPlanResponse) {
	desired := plan.toAPI()
	var upgrades []string
	for _, api := range slices.Sorted(maps.Keys(desired)) {
		v, def := desired[api], defaults[api]
		s := state.Images[api]
		switch {
		case def == v && (s.IsNull() || s.ValueString() != v):
			resp.Diagnostics.AddAttributeWarning(plan.fieldPath(api), "Override equals the Harness default",
				fmt.Sprintf("%s = %q is the current Harness default, so this override changes nothing today; it only "+
					"keeps this image when Harness moves the default on. Remove it to follow the default.", plan.fieldName(api), v))
		case imageref.NewerDefault(v, def):
			pinned, _ := imageref.Parse(v)
			now, _ := imageref.Parse(def)
			upgrades = append(upgrades, fmt.Sprintf("- %s pins version %s (%s); the Harness default is now version %s (%s).",
				plan.fieldLabel(api), pinned.Tag, v, now.Tag, def))
		}
	}
	// One warning for all of them: Terraform folds warnings with the same summary into
	// one and would hide all fields but the first.
	if len(upgrades) > 0 {
		resp.Diagnostics.AddWarning("Harness has moved a default "+noun+" past a pinned version",
			"Harness's default is a newer version of the image this configuration pins for:\n"+strings.Join(upgrades, "\n")+
				"\nTo upgrade, make the new version available (copy it to your mirror, if you use one) and change the pin in "+
				"a reviewed plan. This warning shows on every plan until then.")
	}
}

// fieldCoverage says how a configuration that sets managed covers the default fields:
// it is a mirror when it sets every field of seen that Harness still has (the private
// registry guide's map), and unpinned lists the fields Harness has that are neither in
// seen nor set, that is the fields Harness added since. seen is what this resource
// recorded at its last apply (recordSeen), or, before that, the fields this provider
// version knows.
func fieldCoverage(defaults client.ExecutionConfig, seen, managed []string) (mirror bool, unpinned []string) {
	for _, api := range seen {
		if _, ok := defaults[api]; !ok {
			continue
		}
		if !slices.Contains(managed, api) {
			return false, newFields(defaults, seen, managed)
		}
		mirror = true
	}
	return mirror, newFields(defaults, seen, managed)
}

func newFields(defaults client.ExecutionConfig, seen, managed []string) []string {
	var out []string
	for _, api := range slices.Sorted(maps.Keys(defaults)) {
		if !slices.Contains(seen, api) && !slices.Contains(managed, api) {
			out = append(out, api)
		}
	}
	return out
}

// nextSeen is what an apply records as seen: the fields a mirror sets, so that a field
// Harness added stays unpinned (and warned about) until the configuration sets it; any
// other configuration also takes note of every default field, as leaving fields on their
// defaults is its intent, and is told about a new one until its next apply.
func nextSeen(defaults client.ExecutionConfig, seen, managed []string) []string {
	mirror, unpinned := fieldCoverage(defaults, seen, managed)
	out := append(slices.Clone(seen), managed...)
	if !mirror {
		out = append(out, unpinned...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// warnNewFields warns, in one warning, about each field Harness added that a
// configuration covering the execution config leaves unset: pipelines that use the field
// run Harness's default image, from Harness's registry, where the configuration
// suggests they run the images it pins. Covering means exclusive = true, or a mirror of
// every default (fieldCoverage).
func warnNewFields(resourceType string, plan imageConfigModel, defaults client.ExecutionConfig, seen []string, resp *resource.ModifyPlanResponse) {
	if plan.MapUnknown || plan.Exclusive.IsUnknown() {
		return // which fields the plan sets is not known yet
	}
	mirror, unpinned := fieldCoverage(defaults, seen, plan.managed())
	if len(unpinned) == 0 || !mirror && !plan.Exclusive.ValueBool() {
		return
	}
	why, until := "This resource sets every other field, as a mirror of the defaults does", "until it sets the field"
	if !mirror {
		why, until = "This resource owns the whole execution config (exclusive = true), and leaves it on the Harness default",
			"until it sets the field or is next applied"
	}
	lines := make([]string, len(unpinned))
	for i, api := range unpinned {
		lines[i] = fmt.Sprintf("- %s, whose default is %q", api, defaults[api])
	}
	resp.Diagnostics.AddWarning("Harness has added an image field this configuration does not set",
		fmt.Sprintf("Harness's defaults have a field that this %s does not set:\n%s\n%s: pipelines "+
			"that use the field run Harness's default image, pulled from where Harness publishes it, not an image this "+
			"configuration chose. To pin it, set it in the images map (copy the image to your mirror first, if you use "+
			"one). This warning shows on every plan %s.", resourceType, strings.Join(lines, "\n"), why, until))
}

// decodeSeen reads privateSeen; until the resource has recorded it, before.
func decodeSeen(raw []byte, before []string) []string {
	var seen []string
	if len(raw) == 0 || json.Unmarshal(raw, &seen) != nil {
		return before
	}
	return seen
}

// seenBefore is what a resource has seen before its first apply: the fields this
// provider version knows, or, for a config whose fields it does not list (CI's, whose
// fields differ by infra and release), the fields of the defaults now.
func (k *execConfigKind) seenBefore(defaults client.ExecutionConfig) []string {
	if len(k.fields) > 0 {
		return k.knownFields()
	}
	return slices.Sorted(maps.Keys(defaults))
}
