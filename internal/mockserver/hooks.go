package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/dbdevops/terraform-provider-harness/internal/contract"
)

// Hook is one test hook, as GET /_mock lists it.
type Hook struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Does   string `json:"does"`
}

// hookRoute is a Hook and its handler.
type hookRoute struct {
	Hook
	handle func(*Server, http.ResponseWriter, *http.Request)
}

const (
	hookSchema = "/_mock/orgs/{org}/projects/{project}/dbschema/{dbschema}"
	hookCI     = "/_mock/ci/execution-config/{infra}"
)

// hookTable is the test hooks: HTTP access to what the Go API offers in-process, for
// the standalone mock (shell scripts, drift by hand, a module's tests). They live
// under /_mock (behind any API prefix too), need no API key, are never faulted and
// never recorded as API requests. They speak JSON in and out; errors are
// {"message": "..."}. GET /_mock lists them; docs/guides/mock.md explains them.
var hookTable = []hookRoute{
	{Hook{"GET", "/_mock", "lists the test hooks"}, func(s *Server, w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"hooks": Hooks()})
	}},
	{Hook{"GET", "/_mock/ready", `readiness: 200 {"ready": true, "account": "..."} once the mock serves (for container health checks and CI scripts)`},
		func(s *Server, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"ready": true, "account": s.accountID})
		}},
	{Hook{"GET", "/_mock/state", "the whole state: defaults, overrides, the declared orgs and projects, schemas, instances and their migration state, the CI config of each infra that differs from the mock's own (the -state-file format)"},
		func(s *Server, w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Snapshot()) }},
	{Hook{"PUT", "/_mock/state", "replaces the whole state with the body, JSON or YAML (the -seed format, up to 64 MiB; validated, each problem with its line; computed fields are recomputed)"}, (*Server).hookPutState},
	{Hook{"PUT", "/_mock/execution-config/overrides/{field}", `sets an override, as the Harness UI would: {"value": "image:tag"}`},
		func(s *Server, w http.ResponseWriter, r *http.Request) { s.hookSetConfig(s.SetOverride)(w, r) }},
	{Hook{"DELETE", "/_mock/execution-config/overrides/{field}", "removes an override, as the Harness UI would"}, (*Server).hookDeleteOverride},
	{Hook{"PUT", "/_mock/execution-config/defaults/{field}", `moves a Harness default, as a Harness release would: {"value": "image:tag"}; a new field name is added`},
		func(s *Server, w http.ResponseWriter, r *http.Request) { s.hookSetConfig(s.SetDefault)(w, r) }},
	{Hook{"PUT", hookCI + "/overrides/{field}", `sets a CI override of infra K8 or VM, as the Harness UI would: {"value": "image:tag"}`},
		func(s *Server, w http.ResponseWriter, r *http.Request) {
			s.hookSetConfig(s.ciSetter(r, s.SetCIOverride))(w, r)
		}},
	{Hook{"DELETE", hookCI + "/overrides/{field}", "removes a CI override of infra K8 or VM, as the Harness UI would"}, (*Server).hookDeleteCIOverride},
	{Hook{"PUT", hookCI + "/defaults/{field}", `moves a Harness CI default of infra K8 or VM, as a Harness release would: {"value": "image:tag"}; a new field name is added`},
		func(s *Server, w http.ResponseWriter, r *http.Request) {
			s.hookSetConfig(s.ciSetter(r, s.SetCIDefault))(w, r)
		}},
	{Hook{"PATCH", hookSchema, "changes a schema as the UI would: a JSON merge patch of its API fields, not validated"}, (*Server).hookPatchSchema},
	{Hook{"DELETE", hookSchema, "deletes a schema and its instances, with their migration state"}, (*Server).hookDeleteSchema},
	{Hook{"PATCH", hookSchema + "/instance/{dbinstance}", "changes an instance (a JSON merge patch), for example lastAppliedTag as a pipeline would"}, (*Server).hookPatchInstance},
	{Hook{"DELETE", hookSchema + "/instance/{dbinstance}", "deletes an instance and its migration state"}, (*Server).hookDeleteInstance},
	{Hook{"POST", hookSchema + "/instance/{dbinstance}/changesets", "records a pipeline run on an instance: a JSON list of changesets in the API's shape " +
		"(InstanceMigrationStateChangeSet; FlywayInstanceMigrationState for a Flyway schema), applied in order; each replaces the instance's record " +
		"of the same changeset (changeSetFQN; a Flyway version) where it stands, or is appended; changeSetFQN and deployedAt (now) may be left out; " +
		"a deployed changeset's tag becomes lastDeployedChangeSetTag; answers the instance's whole migration state"}, (*Server).hookRecordRun},
	{Hook{"GET", "/_mock/requests", `the API requests seen (method, path, query, headers with the key masked, body, status, fault) and counts by route: {"requests": [...], "counts": {...}}`},
		func(s *Server, w http.ResponseWriter, r *http.Request) {
			writeJSON(w, http.StatusOK, map[string]any{"requests": s.Requests(), "counts": s.RouteCounts()})
		}},
	{Hook{"DELETE", "/_mock/requests", "forgets the requests seen"}, func(s *Server, w http.ResponseWriter, r *http.Request) {
		s.ResetRequests()
		w.WriteHeader(http.StatusNoContent)
	}},
	{Hook{"GET", "/_mock/faults", "the faults armed, with what is left of each"},
		func(s *Server, w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Faults()) }},
	{Hook{"POST", "/_mock/faults", `arms a fault: {"route": "POST /v1/dbops/execution-config/update-config", "status": 503, "times": 1}; fields: route, status, message, retryAfter, body, contentType, latency, drop, dropAfter, malformed, handleFirst, times, fraction`}, (*Server).hookAddFault},
	{Hook{"DELETE", "/_mock/faults", "disarms every fault"}, func(s *Server, w http.ResponseWriter, r *http.Request) {
		s.ClearFaults()
		w.WriteHeader(http.StatusNoContent)
	}},
	{Hook{"GET", "/_mock/latency", `what every API request waits before it is handled: {"latency": "100ms"}`}, (*Server).hookGetLatency},
	{Hook{"PUT", "/_mock/latency", `sets what every API request waits before it is handled, as a call to Harness over the internet does: {"latency": "100ms"} (a Go duration or integer nanoseconds; "0s" turns it off); hooks never wait`}, (*Server).hookSetLatency},
	{Hook{"PUT", "/_mock/key-scope", `sets the scope of the API key: {"scope": "project"} makes it a project's key, which gets 403 on the account-level execution-config routes; "account" (the default) undoes it`}, (*Server).hookKeyScope},
	{Hook{"GET", "/_mock/violations", `the exchanges outside the API contract (with -validate): {"violations": [...], "checked": true}`},
		func(s *Server, w http.ResponseWriter, r *http.Request) {
			vs := []string{}
			for _, v := range s.Violations() {
				vs = append(vs, v.Error())
			}
			writeJSON(w, http.StatusOK, map[string]any{"violations": vs, "checked": s.contract != nil})
		}},
	{Hook{"GET", "/_mock/contract", "the project's OpenAPI description of the API (YAML)"}, func(s *Server, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		_, _ = w.Write(contract.Document())
	}},
}

// hookList is hookTable without its handlers (set by init: a handler of hookTable
// lists it).
var hookList []Hook

func init() {
	for _, h := range hookTable {
		hookList = append(hookList, h.Hook)
	}
}

// Hooks returns every test hook, as GET /_mock lists them.
func Hooks() []Hook { return slices.Clone(hookList) }

func (s *Server) registerHooks() {
	for _, h := range hookTable {
		s.hooks.HandleFunc(h.Method+" "+h.Path, func(w http.ResponseWriter, r *http.Request) { h.handle(s, w, r) })
	}
}

// serveHook dispatches a /_mock/ request, answering unknown hooks with JSON errors.
func (s *Server) serveHook(w http.ResponseWriter, r *http.Request) {
	if _, p := s.hooks.Handler(r); p == "" {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no test hook matches %s %s (GET /_mock lists them)", r.Method, r.URL.Path))
		return
	}
	s.hooks.ServeHTTP(w, r)
}

func (s *Server) hookPutState(w http.ResponseWriter, r *http.Request) {
	b, err := readBodyUpTo(r, maxStateBody)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	st, err := ParseState(b)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid state:\n"+err.Error())
		return
	}
	s.Restore(st)
	writeJSON(w, http.StatusOK, s.Snapshot())
}

func (s *Server) hookKeyScope(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Scope string `json:"scope"`
	}
	if !decodeBody(w, r, &body) {
		return
	}
	if body.Scope != KeyScopeAccount && body.Scope != KeyScopeProject {
		writeError(w, http.StatusBadRequest, fmt.Sprintf(`body must be {"scope": %q} or {"scope": %q}`, KeyScopeProject, KeyScopeAccount))
		return
	}
	s.SetKeyScope(body.Scope)
	writeJSON(w, http.StatusOK, map[string]string{"scope": s.KeyScope()})
}

// hookSetConfig serves a hook that sets one field of an execution config from
// {"value": "..."} and answers that config's defaults and overrides.
func (s *Server) hookSetConfig(set func(field, value string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Value *string `json:"value"`
		}
		if !decodeBody(w, r, &body) {
			return
		}
		if body.Value == nil {
			writeError(w, http.StatusBadRequest, `body must be {"value": "..."}`)
			return
		}
		if err := set(r.PathValue("field"), *body.Value); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		if infra := r.PathValue("infra"); infra != "" {
			writeJSON(w, http.StatusOK, map[string]any{"defaults": s.CIDefaults(infra), "overrides": s.CIOverrides(infra)})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"defaults": s.Defaults(), "overrides": s.Overrides()})
	}
}

// ciSetter binds a CI setter to the infra of the hook's path.
func (s *Server) ciSetter(r *http.Request, set func(infra, field, value string) error) func(field, value string) error {
	return func(field, value string) error { return set(r.PathValue("infra"), field, value) }
}

func (s *Server) hookDeleteCIOverride(w http.ResponseWriter, r *http.Request) {
	if err := s.DeleteCIOverride(r.PathValue("infra"), r.PathValue("field")); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookDeleteOverride(w http.ResponseWriter, r *http.Request) {
	f := r.PathValue("field")
	if !isField(f) {
		writeError(w, http.StatusBadRequest, unknownFieldError(f).Error())
		return
	}
	s.DeleteOverride(f)
	w.WriteHeader(http.StatusNoContent)
}

// hookPatchSchema applies an RFC 7386 JSON merge patch (null removes a key) onto the
// stored schema's wire form, without API validation: the Harness UI can produce states
// the API would refuse, and drift tests need them. Computed fields are recomputed;
// updated is bumped unless the patch sets it.
func (s *Server) hookPatchSchema(w http.ResponseWriter, r *http.Request) {
	org, project, id := r.PathValue("org"), r.PathValue("project"), r.PathValue("dbschema")
	patch, ok := readPatch(w, r)
	if !ok {
		return
	}
	err := s.updateSchema(org, project, id, func(sc *Schema) error { return applyPatch(sc, patch) })
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, schemaNotFound(scope{org, project}, id))
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		out, _ := s.Schema(org, project, id)
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) hookDeleteSchema(w http.ResponseWriter, r *http.Request) {
	org, project, id := r.PathValue("org"), r.PathValue("project"), r.PathValue("dbschema")
	if !s.DeleteSchema(org, project, id) {
		writeError(w, http.StatusNotFound, schemaNotFound(scope{org, project}, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookPatchInstance(w http.ResponseWriter, r *http.Request) {
	org, project, schema, id := r.PathValue("org"), r.PathValue("project"), r.PathValue("dbschema"), r.PathValue("dbinstance")
	patch, ok := readPatch(w, r)
	if !ok {
		return
	}
	err := s.updateInstance(org, project, schema, id, func(in *Instance) error { return applyPatch(in, patch) })
	switch {
	case errors.Is(err, ErrNotFound):
		writeError(w, http.StatusNotFound, instanceNotFound(scope{org, project}, schema, id))
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		out, _ := s.Instance(org, project, schema, id)
		writeJSON(w, http.StatusOK, out)
	}
}

func (s *Server) hookDeleteInstance(w http.ResponseWriter, r *http.Request) {
	org, project, schema, id := r.PathValue("org"), r.PathValue("project"), r.PathValue("dbschema"), r.PathValue("dbinstance")
	if !s.DeleteInstance(org, project, schema, id) {
		writeError(w, http.StatusNotFound, instanceNotFound(scope{org, project}, schema, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) hookAddFault(w http.ResponseWriter, r *http.Request) {
	var f Fault
	if !decodeBody(w, r, &f) {
		return
	}
	if err := f.validate(); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.AddFault(f)
	writeJSON(w, http.StatusCreated, s.Faults())
}

// readPatch reads the request body as a JSON merge patch (an object).
func readPatch(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	b, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return nil, false
	}
	var patch map[string]any
	if err := decodeOne(b, &patch, false); err != nil {
		writeError(w, http.StatusBadRequest, "the body must be a JSON object (a JSON merge patch): "+err.Error())
		return nil, false
	}
	return patch, true
}

// applyPatch merges patch onto the wire form of *v (a *Schema or *Instance) and decodes
// the result strictly back into *v, so unknown keys are refused. It runs under the
// store lock (inside UpdateSchema/UpdateInstance), so concurrent changes are not lost.
func applyPatch[T any](v *T, patch map[string]any) error {
	cur, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(cur, &doc); err != nil {
		return err
	}
	mergePatch(doc, patch)
	merged, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	var next T
	if err := decodeStrict(merged, &next); err != nil {
		return fmt.Errorf("cannot apply the patch: %w", err)
	}
	*v = next
	return nil
}

// mergePatch applies an RFC 7386 merge patch onto dst.
func mergePatch(dst, patch map[string]any) {
	for k, v := range patch {
		switch pv := v.(type) {
		case nil:
			delete(dst, k)
		case map[string]any:
			dm, ok := dst[k].(map[string]any)
			if !ok {
				dm = map[string]any{}
			}
			mergePatch(dm, pv)
			dst[k] = dm
		default:
			dst[k] = v
		}
	}
}
