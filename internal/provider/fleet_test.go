package provider

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// fleet describes what testdata/fleet/main.tf declares for given variables, so a test
// can compare it with the mock and with Terraform's state.
type fleet struct {
	schemas, perSchema, generation int
	images                         map[string]string // attribute name => image
}

const (
	fleetOrg     = "default"
	fleetProject = "fleet"
)

// fleetConfig is the configuration directory of the fleet.
var fleetConfig = config.StaticDirectory("testdata/fleet")

// vars returns the fleet's variables; settings override provider settings
// (max_retries, request_timeout, retry_wait_min, retry_wait_max).
func (f fleet) vars(url, account, key string, settings map[string]config.Variable) config.Variables {
	v := config.Variables{
		"endpoint":             config.StringVariable(url + "/gateway"),
		"account_id":           config.StringVariable(account),
		"api_key":              config.StringVariable(key),
		"schemas":              config.IntegerVariable(f.schemas),
		"instances_per_schema": config.IntegerVariable(f.perSchema),
		"generation":           config.IntegerVariable(max(f.generation, 1)),
	}
	if len(f.images) > 0 {
		m := map[string]config.Variable{}
		for k, img := range f.images {
			m[k] = config.StringVariable(img)
		}
		v["images"] = config.MapVariable(m)
	}
	maps.Copy(v, settings)
	return v
}

// resources is how many resources the fleet declares.
func (f fleet) resources() int {
	n := f.schemas * (1 + f.perSchema)
	if len(f.images) > 0 {
		n++
	}
	return n
}

func (f fleet) gen() string { return strconv.Itoa(max(f.generation, 1)) }

func schemaIdentifier(i int) string      { return fmt.Sprintf("schema_%d", i) }
func instanceIdentifier(i, n int) string { return fmt.Sprintf("db%d_%d", i, n) }

// overrides is the execution config the fleet asks for, by API field name.
func (f fleet) overrides() map[string]string {
	out := map[string]string{}
	for attr, img := range f.images {
		fld, ok := imageFieldByName(attr)
		if !ok {
			panic("fleet: unknown image attribute " + attr)
		}
		out[fld.api] = img
	}
	return out
}

// checkMock compares the whole mock state with the fleet: every schema, instance and
// override the configuration declares, with its values, and nothing else.
func (f fleet) checkMock(srv *mockserver.Server) error {
	var errs []string
	st := srv.Snapshot()
	if !maps.Equal(st.Overrides, f.overrides()) {
		errs = append(errs, fmt.Sprintf("overrides = %v, want %v", st.Overrides, f.overrides()))
	}
	if len(st.Schemas) != f.schemas {
		errs = append(errs, fmt.Sprintf("%d schemas, want %d", len(st.Schemas), f.schemas))
	}
	if len(st.Instances) != f.schemas*f.perSchema {
		errs = append(errs, fmt.Sprintf("%d instances, want %d", len(st.Instances), f.schemas*f.perSchema))
	}
	gen := map[string]string{"generation": f.gen()}
	for i := range f.schemas {
		id := schemaIdentifier(i)
		sc, ok := srv.Schema(fleetOrg, fleetProject, id)
		switch {
		case !ok:
			errs = append(errs, "missing schema "+id)
		case sc.Name != fmt.Sprintf("Schema %d (generation %s)", i, f.gen()) || !maps.Equal(sc.Tags, gen) ||
			sc.Changelog == nil || sc.Changelog.Connector != "github" || sc.Changelog.Location != fmt.Sprintf("db/schema_%d/changelog.yaml", i):
			errs = append(errs, fmt.Sprintf("schema %s = %+v", id, sc))
		}
		for n := range f.perSchema {
			iid := instanceIdentifier(i, n)
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

// flatState is a Terraform state reduced to what the checks compare: resource type and
// id => flat attributes ("name", "tags.generation", "updated").
type flatState map[string]map[string]string

// flatFromState reads a plugin-testing state.
func flatFromState(s *terraform.State) flatState {
	out := flatState{}
	for _, rs := range s.RootModule().Resources {
		if rs.Primary != nil {
			out[rs.Type+" "+rs.Primary.ID] = rs.Primary.Attributes
		}
	}
	return out
}

// flatFromJSON reads `terraform show -json` resources.
func flatFromJSON(resources map[string]stateResource) flatState {
	out := flatState{}
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

// checkState compares Terraform's state with the mock: exactly the fleet's resources,
// each holding what the server holds (names, tags, timestamps, images).
func (f fleet) checkState(st flatState, srv *mockserver.Server) error {
	var errs []string
	if len(st) != f.resources() {
		errs = append(errs, fmt.Sprintf("%d resources in state, want %d: %v", len(st), f.resources(), slices.Sorted(maps.Keys(st))))
	}
	same := func(what string, attrs map[string]string, want map[string]string) {
		for k, v := range want {
			if attrs[k] != v {
				errs = append(errs, fmt.Sprintf("%s: state %s = %q, server %q", what, k, attrs[k], v))
			}
		}
	}
	for i := range f.schemas {
		id := schemaIdentifier(i)
		attrs, ok := st["harness_dbops_db_schema "+importID(fleetOrg, fleetProject, id)]
		sc, found := srv.Schema(fleetOrg, fleetProject, id)
		if !ok || !found {
			errs = append(errs, fmt.Sprintf("schema %s: in state %v, on the server %v", id, ok, found))
			continue
		}
		same(id, attrs, map[string]string{"name": sc.Name, "tags.generation": sc.Tags["generation"],
			"created": strconv.FormatInt(sc.Created, 10), "updated": strconv.FormatInt(sc.Updated, 10)})
		for n := range f.perSchema {
			iid := instanceIdentifier(i, n)
			attrs, ok := st["harness_dbops_db_instance "+importID(fleetOrg, fleetProject, id, iid)]
			in, found := srv.Instance(fleetOrg, fleetProject, id, iid)
			if !ok || !found {
				errs = append(errs, fmt.Sprintf("instance %s/%s: in state %v, on the server %v", id, iid, ok, found))
				continue
			}
			same(id+"/"+iid, attrs, map[string]string{"name": in.Name, "tags.generation": in.Tags["generation"], "branch": in.Branch,
				"connector": in.Connector, "created": strconv.FormatInt(in.Created, 10), "updated": strconv.FormatInt(in.Updated, 10)})
		}
	}
	if len(f.images) > 0 {
		var attrs map[string]string
		for k, v := range st {
			if strings.HasPrefix(k, "harness_dbops_image_config ") {
				attrs = v
			}
		}
		want := map[string]string{}
		for _, fld := range imageFields {
			want[fld.attr] = srv.Overrides()[fld.api]
		}
		same("image config", attrs, want)
	}
	if len(errs) > 0 {
		return fmt.Errorf("Terraform's state is not true to the server:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}

// checkFleet is a step check: the mock holds exactly the configuration, Terraform's
// state holds exactly what the mock holds, and nothing was created twice.
func checkFleet(f fleet, srv *mockserver.Server) func(*terraform.State) error {
	return func(s *terraform.State) error {
		if err := f.checkMock(srv); err != nil {
			return err
		}
		if err := f.checkState(flatFromState(s), srv); err != nil {
			return err
		}
		return createdOnce(srv)
	}
}

// creates counts, per created identifier, the creates the server carried out (201,
// whether or not the client saw the answer), and the creates it refused as duplicates.
func creates(srv *mockserver.Server) (stored, duplicates map[string]int) {
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

// createdOnce fails if the server carried out a create twice for one identifier.
func createdOnce(srv *mockserver.Server) error {
	stored, _ := creates(srv)
	for key, n := range stored {
		if n != 1 {
			return fmt.Errorf("%s was created %d times", key, n)
		}
	}
	return nil
}

// faultTally counts the requests the mock faulted, by kind ("status=503", "drop",
// "drop-after", "malformed", "latency", "body(status=502)").
func faultTally(srv *mockserver.Server) (total int, byKind map[string]int) {
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

// stopwatch measures the wall time of plugin-testing steps: start in PreConfig, stop in
// Check.
type stopwatch struct {
	mu    sync.Mutex
	start time.Time
	laps  []time.Duration
}

func (w *stopwatch) Start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.start = time.Now()
}

func (w *stopwatch) Stop(*terraform.State) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.laps = append(w.laps, time.Since(w.start).Round(time.Millisecond))
	return nil
}

func (w *stopwatch) Laps() []time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.laps)
}
