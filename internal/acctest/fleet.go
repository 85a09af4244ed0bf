package acctest

import (
	"encoding/json"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// Fleet describes what the fleet configuration (internal/provider/testdata/fleet)
// declares for given variables, so a test can compare it with the mock and with
// Terraform's state.
type Fleet struct {
	Schemas, PerSchema, Generation int
	Images                         map[string]string // attribute name => image
}

// The fleet's org and project.
const (
	fleetOrg     = "default"
	fleetProject = "fleet"
)

// Vars returns the fleet's variables; settings override provider settings
// (max_retries, request_timeout, retry_wait_min, retry_wait_max).
func (f Fleet) Vars(url, account, key string, settings map[string]config.Variable) config.Variables {
	v := config.Variables{
		"endpoint":             config.StringVariable(url + "/gateway"),
		"account_id":           config.StringVariable(account),
		"api_key":              config.StringVariable(key),
		"schemas":              config.IntegerVariable(f.Schemas),
		"instances_per_schema": config.IntegerVariable(f.PerSchema),
		"generation":           config.IntegerVariable(max(f.Generation, 1)),
	}
	if len(f.Images) > 0 {
		m := map[string]config.Variable{}
		for k, img := range f.Images {
			m[k] = config.StringVariable(img)
		}
		v["images"] = config.MapVariable(m)
	}
	maps.Copy(v, settings)
	return v
}

// Resources is how many resources the fleet declares.
func (f Fleet) Resources() int {
	n := f.Schemas * (1 + f.PerSchema)
	if len(f.Images) > 0 {
		n++
	}
	return n
}

func (f Fleet) gen() string { return strconv.Itoa(max(f.Generation, 1)) }

// SchemaIdentifier is the identifier of the fleet's schema i.
func SchemaIdentifier(i int) string { return fmt.Sprintf("schema_%d", i) }

// InstanceIdentifier is the identifier of the instance n of the fleet's schema i.
func InstanceIdentifier(i, n int) string { return fmt.Sprintf("db%d_%d", i, n) }

// overrides is the execution config the fleet asks for, by API field name.
func (f Fleet) overrides() map[string]string {
	out := map[string]string{}
	for attr, img := range f.Images {
		api, ok := imageFieldOf(attr)
		if !ok {
			panic("fleet: unknown image attribute " + attr)
		}
		out[api] = img
	}
	return out
}

// imageFieldOf is the API name of the field an image config attribute sets.
func imageFieldOf(attr string) (string, bool) {
	for _, api := range mockserver.Fields() {
		if attributeName(api) == attr {
			return api, true
		}
	}
	return "", false
}

// attributeName is the image config's attribute of an execution-config field: the
// snake_case of its API name (gitCloneTag: git_clone_tag), as the provider's
// TestImageFieldTable holds for every field the mock has.
func attributeName(api string) string {
	return strings.ToLower(upper.ReplaceAllString(api, "_$0"))
}

var upper = regexp.MustCompile(`[A-Z]`)

// CheckMock compares the whole mock state with the fleet: every schema, instance and
// override the configuration declares, with its values, and nothing else.
func (f Fleet) CheckMock(srv *mockserver.Server) error {
	var errs []string
	st := srv.Snapshot()
	if !maps.Equal(st.Overrides, f.overrides()) {
		errs = append(errs, fmt.Sprintf("overrides = %v, want %v", st.Overrides, f.overrides()))
	}
	if len(st.Schemas) != f.Schemas {
		errs = append(errs, fmt.Sprintf("%d schemas, want %d", len(st.Schemas), f.Schemas))
	}
	if len(st.Instances) != f.Schemas*f.PerSchema {
		errs = append(errs, fmt.Sprintf("%d instances, want %d", len(st.Instances), f.Schemas*f.PerSchema))
	}
	gen := map[string]string{"generation": f.gen()}
	for i := range f.Schemas {
		id := SchemaIdentifier(i)
		sc, ok := srv.Schema(fleetOrg, fleetProject, id)
		switch {
		case !ok:
			errs = append(errs, "missing schema "+id)
		case sc.Name != fmt.Sprintf("Schema %d (generation %s)", i, f.gen()) || !maps.Equal(sc.Tags, gen) ||
			sc.Changelog == nil || sc.Changelog.Connector != "github" || sc.Changelog.Location != fmt.Sprintf("db/schema_%d/changelog.yaml", i):
			errs = append(errs, fmt.Sprintf("schema %s = %+v", id, sc))
		}
		for n := range f.PerSchema {
			iid := InstanceIdentifier(i, n)
			in, ok := srv.Instance(fleetOrg, fleetProject, id, iid)
			switch {
			case !ok:
				errs = append(errs, "missing instance "+id+"/"+iid)
			case in.Name != fmt.Sprintf("Instance %s (generation %s)", iid, f.gen()) || !maps.Equal(in.Tags, gen) ||
				in.Connector != fmt.Sprintf("jdbc_%d", n%3) || in.Branch != "release_"+f.gen() ||
				!maps.Equal(in.SubstituteProperties, map[string]string{"db_name": iid}):
				errs = append(errs, fmt.Sprintf("instance %s/%s = %+v", id, iid, in))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("the mock does not hold the configuration:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// FlatState is a Terraform state reduced to what the checks compare: resource type and
// id => flat attributes ("name", "tags.generation", "updated").
type FlatState map[string]map[string]string

// flatFromState reads a plugin-testing state.
func flatFromState(s *terraform.State) FlatState {
	out := FlatState{}
	for _, rs := range s.RootModule().Resources {
		if rs.Primary != nil {
			out[rs.Type+" "+rs.Primary.ID] = rs.Primary.Attributes
		}
	}
	return out
}

// FlatFromJSON reads `terraform show -json` resources.
func FlatFromJSON(resources map[string]StateResource) FlatState {
	out := FlatState{}
	for _, r := range resources {
		attrs := map[string]string{}
		flatten(attrs, "", r.Values)
		out[r.Type+" "+attrs["id"]] = attrs
	}
	return out
}

func flatten(dst map[string]string, prefix string, v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			flatten(dst, prefix+k+".", e)
		}
	case string:
		dst[strings.TrimSuffix(prefix, ".")] = v
	case float64:
		dst[strings.TrimSuffix(prefix, ".")] = strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		dst[strings.TrimSuffix(prefix, ".")] = strconv.FormatBool(v)
	}
}

// CheckState compares Terraform's state with the mock: exactly the fleet's resources,
// each holding what the server holds (names, tags, timestamps, images).
func (f Fleet) CheckState(st FlatState, srv *mockserver.Server) error {
	var errs []string
	if len(st) != f.Resources() {
		errs = append(errs, fmt.Sprintf("%d resources in state, want %d: %v", len(st), f.Resources(), slices.Sorted(maps.Keys(st))))
	}
	same := func(what string, attrs map[string]string, want map[string]string) {
		for k, v := range want {
			if attrs[k] != v {
				errs = append(errs, fmt.Sprintf("%s: state %s = %q, server %q", what, k, attrs[k], v))
			}
		}
	}
	for i := range f.Schemas {
		id := SchemaIdentifier(i)
		attrs, ok := st["harness_dbops_db_schema "+strings.Join([]string{fleetOrg, fleetProject, id}, "/")]
		sc, found := srv.Schema(fleetOrg, fleetProject, id)
		if !ok || !found {
			errs = append(errs, fmt.Sprintf("schema %s: in state %v, on the server %v", id, ok, found))
			continue
		}
		same(id, attrs, map[string]string{"name": sc.Name, "tags.generation": sc.Tags["generation"],
			"created": strconv.FormatInt(sc.Created, 10), "updated": strconv.FormatInt(sc.Updated, 10)})
		for n := range f.PerSchema {
			iid := InstanceIdentifier(i, n)
			attrs, ok := st["harness_dbops_db_instance "+strings.Join([]string{fleetOrg, fleetProject, id, iid}, "/")]
			in, found := srv.Instance(fleetOrg, fleetProject, id, iid)
			if !ok || !found {
				errs = append(errs, fmt.Sprintf("instance %s/%s: in state %v, on the server %v", id, iid, ok, found))
				continue
			}
			same(id+"/"+iid, attrs, map[string]string{"name": in.Name, "tags.generation": in.Tags["generation"], "branch": in.Branch,
				"connector": in.Connector, "created": strconv.FormatInt(in.Created, 10), "updated": strconv.FormatInt(in.Updated, 10)})
		}
	}
	if len(f.Images) > 0 {
		var attrs map[string]string
		for k, v := range st {
			if strings.HasPrefix(k, "harness_dbops_image_config ") {
				attrs = v
			}
		}
		want := map[string]string{}
		for _, api := range mockserver.Fields() {
			want[attributeName(api)] = srv.Overrides()[api]
		}
		same("image config", attrs, want)
	}
	if len(errs) > 0 {
		return fmt.Errorf("the state Terraform holds is not true to the server:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// CheckFleet is a step check: the mock holds exactly the configuration, Terraform's
// state holds exactly what the mock holds, and nothing was created twice.
func CheckFleet(f Fleet, srv *mockserver.Server) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := f.CheckMock(srv); err != nil {
			return err
		}
		if err := f.CheckState(flatFromState(s), srv); err != nil {
			return err
		}
		return CreatedOnce(srv)
	}
}

// The fault suite's tallies.

// Creates counts, per created identifier, the creates the server carried out (201,
// whether or not the client saw the answer), and the creates it refused as duplicates.
func Creates(srv *mockserver.Server) (stored, duplicates map[string]int) {
	stored, duplicates = map[string]int{}, map[string]int{}
	for _, r := range srv.Requests() {
		if r.Route != mockserver.RouteCreateSchema && r.Route != mockserver.RouteCreateInstance {
			continue
		}
		var body struct {
			Identifier string `json:"identifier"`
		}
		_ = json.Unmarshal([]byte(r.Body), &body)
		key := strings.TrimPrefix(r.Path, "/gateway") + "/" + body.Identifier
		switch {
		case r.Status == 201:
			stored[key]++
		case r.Status == 400 && !strings.Contains(r.Fault, "status=400"):
			duplicates[key]++
		}
	}
	return stored, duplicates
}

// CreatedOnce fails if the server carried out a create twice for one identifier.
func CreatedOnce(srv *mockserver.Server) error {
	stored, _ := Creates(srv)
	for key, n := range stored {
		if n != 1 {
			return fmt.Errorf("%s was created %d times", key, n)
		}
	}
	return nil
}

// FaultTally counts the requests the mock faulted, by kind ("status=503", "drop",
// "drop-after", "malformed", "latency", "body(status=502)").
func FaultTally(srv *mockserver.Server) (total int, byKind map[string]int) {
	byKind = map[string]int{}
	for _, r := range srv.Requests() {
		if r.Fault == "" {
			continue
		}
		total++
		kind := r.Fault
		if strings.HasPrefix(kind, "latency=") {
			kind = "latency"
		}
		byKind[kind]++
	}
	return total, byKind
}

// Sum is the total of a tally.
func Sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// ProxyPage is what a proxy in front of the API answers when the upstream fails.
const ProxyPage = `<!DOCTYPE html><html><head><title>502 Bad Gateway</title>
<style>body { font-family: sans-serif }</style></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>`

// Stopwatch measures the wall time of plugin-testing steps: start in PreConfig, stop in
// Check.
type Stopwatch struct {
	mu    sync.Mutex
	start time.Time
	laps  []time.Duration
}

func (w *Stopwatch) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.start = time.Now()
}

func (w *Stopwatch) Stop(*terraform.State) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.laps = append(w.laps, time.Since(w.start).Round(time.Millisecond))
	return nil
}

func (w *Stopwatch) Laps() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.laps)
}
