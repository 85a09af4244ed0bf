package mockserver

import (
	"fmt"
	"net/http"
	"strings"
)

// Instance is DBInstanceOut on the wire, and the stored instance.
// lastDeployedChangeSetTag and toOnboard are always emitted, as in the real sample.
type Instance struct {
	Identifier               string            `json:"identifier"`
	Name                     string            `json:"name"`
	Tags                     map[string]string `json:"tags,omitempty"`
	Branch                   string            `json:"branch,omitempty"`
	CommitSHA                string            `json:"commitSha,omitempty"`
	GitTag                   string            `json:"gitTag,omitempty"`
	Connector                string            `json:"connector"`
	Context                  string            `json:"context,omitempty"`
	SubstituteProperties     map[string]string `json:"substituteProperties,omitempty"`
	Created                  int64             `json:"created"` // epoch seconds
	Updated                  int64             `json:"updated"` // epoch seconds
	LastAppliedTag           string            `json:"lastAppliedTag,omitempty"`
	LastDeployedChangeSetTag string            `json:"lastDeployedChangeSetTag"`
	ToOnboard                bool              `json:"toOnboard"`
	SchemaID                 string            `json:"schemaId"`         // computed: the parent schema's stable id
	SchemaIdentifier         string            `json:"schemaIdentifier"` // computed: the parent schema's identifier
}

// instanceFields are the keys that the create body (DBInstanceIn) and the PUT body
// (DBInstanceUpdateRequest) share. PUT is a merge by default, as for schemas
// (schemaFields): an absent or null key keeps the stored value, a present one replaces
// it, and a present empty value clears it; under PutReplace an absent key clears too. Setting one of branch, commitSha and gitTag clears the other
// two (the official provider's production test
// TransitionRevisionStrategy switches them and reads the other two back empty).
type instanceFields struct {
	Name                 *string            `json:"name"`
	Tags                 *map[string]string `json:"tags"`
	Branch               *string            `json:"branch"`
	CommitSHA            *string            `json:"commitSha"`
	GitTag               *string            `json:"gitTag"`
	Connector            *string            `json:"connector"`
	Context              *string            `json:"context"`
	SubstituteProperties *map[string]string `json:"substituteProperties"`
}

// applyTo merges the present keys onto in.
func (f *instanceFields) applyTo(in *Instance) {
	setIf(&in.Name, f.Name)
	setIf(&in.Connector, f.Connector)
	setIf(&in.Context, f.Context)
	if f.Tags != nil {
		in.Tags = cloneTags(*f.Tags)
	}
	if f.SubstituteProperties != nil {
		in.SubstituteProperties = cloneTags(*f.SubstituteProperties)
	}
	revisions := []struct{ body, stored *string }{{f.Branch, &in.Branch}, {f.CommitSHA, &in.CommitSHA}, {f.GitTag, &in.GitTag}}
	setsOne := false
	for _, r := range revisions {
		setsOne = setsOne || deref(r.body) != ""
	}
	for _, r := range revisions {
		switch {
		case r.body != nil:
			*r.stored = *r.body
		case setsOne:
			*r.stored = ""
		}
	}
}

// clearAbsent is what a replacing PUT (PutReplace) does beyond the merge: each key the
// body leaves out is cleared, as if sent empty.
func (f *instanceFields) clearAbsent(in *Instance) {
	clearIfAbsent(&in.Name, f.Name)
	clearIfAbsent(&in.Tags, f.Tags)
	clearIfAbsent(&in.Branch, f.Branch)
	clearIfAbsent(&in.CommitSHA, f.CommitSHA)
	clearIfAbsent(&in.GitTag, f.GitTag)
	clearIfAbsent(&in.Connector, f.Connector)
	clearIfAbsent(&in.Context, f.Context)
	clearIfAbsent(&in.SubstituteProperties, f.SubstituteProperties)
}

// instanceIn is the create body, DBInstanceIn.
type instanceIn struct {
	Identifier *string `json:"identifier"`
	instanceFields
}

// instanceUpdateIn is the PUT body, DBInstanceUpdateRequest. version ("version of the
// changelog applied to the database") is accepted and ignored: nothing in
// DBInstanceOut reflects it. identifier is not in the spec's PUT body, but the official
// provider sends it (its wire traffic): it is accepted when it matches the path.
type instanceUpdateIn struct {
	Identifier *string `json:"identifier"`
	instanceFields
	Version *string `json:"version"`
}

// checkInstanceBody validates a candidate instance, the stored one merged with a body.
// src is the parent schema's source type: an instance of a schema whose changelog is in
// Git or Harness Code needs a revision (Harness's MCP server: "For Git-based
// schemas (GIT or Harness Code source), branch is REQUIRED", a 400 about `branch`).
func checkInstanceBody(in *Instance, src string) []string {
	p := checkNameTags(in.Name, in.Tags)
	if strings.TrimSpace(in.Connector) == "" {
		p = append(p, "connector is required: the identifier of the database (JDBC) connector")
	}
	var set []string
	for _, f := range []struct{ name, v string }{{"branch", in.Branch}, {"commitSha", in.CommitSHA}, {"gitTag", in.GitTag}} {
		if f.v != "" {
			set = append(set, f.name)
		}
	}
	switch {
	case len(set) > 1:
		p = append(p, fmt.Sprintf("branch, commitSha and gitTag are mutually exclusive, but %s are all set: give at most one", strings.Join(set, " and ")))
	case len(set) == 0 && (src == "Git" || src == "HarnessCode"):
		p = append(p, fmt.Sprintf("branch is required: the schema's changelog is in %s, so give the branch to read it from, or pin a commitSha or gitTag", map[string]string{"Git": "Git", "HarnessCode": "Harness Code Repository"}[src]))
	}
	return p
}

// storedInstance deep-copies in and zeroes the computed fields.
func storedInstance(in Instance) Instance {
	in.Tags = cloneTags(in.Tags)
	in.SubstituteProperties = cloneTags(in.SubstituteProperties)
	in.SchemaID, in.SchemaIdentifier = "", ""
	return in
}

// instanceOut is the response form of a stored instance. Caller holds s.mu.
func (s *Server) instanceOut(sk scope, rec *schemaRec, in *Instance) Instance {
	out := storedInstance(*in)
	out.SchemaID = s.schemaUUID(sk, rec.sc.Identifier)
	out.SchemaIdentifier = rec.sc.Identifier
	return out
}

func instanceNotFound(sk scope, schema, id string) string {
	return fmt.Sprintf("database instance %q not found in schema %q (org %q, project %q)", id, schema, sk.org, sk.project)
}

// lookupInstance is the stored instance id of a schema and that schema (lookupSchema),
// or nils once it has answered 404 for the schema or the instance. The caller holds
// s.mu.
func (s *Server) lookupInstance(w http.ResponseWriter, sk scope, schema, id string) (*schemaRec, *Instance) {
	rec, missing := s.find(sk, schema, id)
	if rec == nil {
		writeError(w, http.StatusNotFound, missing)
		return nil, nil
	}
	return rec, rec.instances[id]
}

func (s *Server) handleCreateInstance(w http.ResponseWriter, r *http.Request) {
	sk, schema := pathScope(r), r.PathValue("dbschema")
	var in instanceIn
	if !decodeBody(w, r, &in) {
		return
	}
	var p []string
	if err := checkIdentifier("instance", deref(in.Identifier)); err != nil {
		p = append(p, err.Error())
	}
	inst := Instance{Identifier: deref(in.Identifier), ToOnboard: true}
	in.applyTo(&inst)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookupSchema(w, sk, schema)
	if rec == nil {
		return
	}
	if p = append(p, checkInstanceBody(&inst, sourceType(&rec.sc))...); len(p) > 0 {
		writeError(w, http.StatusBadRequest, "invalid database instance: "+strings.Join(p, "; "))
		return
	}
	if rec.instances[inst.Identifier] != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("database instance %q already exists in schema %q (org %q, project %q)", inst.Identifier, schema, sk.org, sk.project))
		return
	}
	inst.Created = s.unix()
	inst.Updated = inst.Created
	v := storedInstance(inst)
	rec.instances[v.Identifier] = &v
	writeJSON(w, http.StatusCreated, s.instanceOut(sk, rec, &v))
}

func (s *Server) handleGetInstance(w http.ResponseWriter, r *http.Request) {
	sk, schema, id := pathScope(r), r.PathValue("dbschema"), r.PathValue("dbinstance")
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec, in := s.lookupInstance(w, sk, schema, id); in != nil {
		writeJSON(w, http.StatusOK, s.instanceOut(sk, rec, in))
	}
}

// handleUpdateInstance merges the body onto the stored instance (instanceFields), or
// replaces it (PutReplace), then validates the result as a whole.
func (s *Server) handleUpdateInstance(w http.ResponseWriter, r *http.Request) {
	sk, schema, id := pathScope(r), r.PathValue("dbschema"), r.PathValue("dbinstance")
	var in instanceUpdateIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, old := s.lookupInstance(w, sk, schema, id)
	if old == nil {
		return
	}
	var p []string
	if in.Identifier != nil && *in.Identifier != id {
		p = append(p, fmt.Sprintf("identifier %q in the body does not match %q in the path: identifiers cannot be changed", *in.Identifier, id))
	}
	inst := storedInstance(*old)
	in.applyTo(&inst)
	if s.st.putMode == PutReplace {
		in.clearAbsent(&inst)
	}
	inst.Updated = s.unix()
	if p = append(p, checkInstanceBody(&inst, sourceType(&rec.sc))...); len(p) > 0 {
		writeError(w, http.StatusBadRequest, "invalid database instance update: "+strings.Join(p, "; "))
		return
	}
	v := storedInstance(inst)
	rec.instances[id] = &v
	writeJSON(w, http.StatusOK, s.instanceOut(sk, rec, &v))
}

func (s *Server) handleDeleteInstance(w http.ResponseWriter, r *http.Request) {
	sk, schema, id := pathScope(r), r.PathValue("dbschema"), r.PathValue("dbinstance")
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, in := s.lookupInstance(w, sk, schema, id)
	if in == nil {
		return
	}
	rec.dropInstance(id)
	w.WriteHeader(http.StatusNoContent)
}

// instanceFilter is the optional instancelist body, DBInstanceFilterIn.
type instanceFilter struct {
	FilterType   string `json:"filterType"`
	InstanceTags []struct {
		Key   *string `json:"key"`
		Value *string `json:"value"` // null or absent: any value of the key
	} `json:"instanceTags"`
}

// match reports whether tags pass the filter: Equals = has ALL listed tags,
// NotEquals = has none of them.
func (f *instanceFilter) match(tags map[string]string) bool {
	if len(f.InstanceTags) == 0 {
		return true
	}
	has := func(i int) bool {
		t := f.InstanceTags[i]
		v, ok := tags[*t.Key]
		return ok && (t.Value == nil || *t.Value == v)
	}
	for i := range f.InstanceTags {
		if has(i) != (f.FilterType == "Equals") {
			return false
		}
	}
	return true
}

func (s *Server) handleListInstances(w http.ResponseWriter, r *http.Request) {
	sk, schema := pathScope(r), r.PathValue("dbschema")
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var f instanceFilter // the filter is optional
	if !decodeOptionalBody(w, r, &f) {
		return
	}
	if f.FilterType == "" {
		f.FilterType = "Equals"
	}
	if f.FilterType != "Equals" && f.FilterType != "NotEquals" {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("filterType %q is invalid: use Equals or NotEquals", f.FilterType))
		return
	}
	for i, t := range f.InstanceTags {
		if t.Key == nil || *t.Key == "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("instanceTags[%d].key is required", i))
			return
		}
	}
	var items []Instance
	s.mu.Lock()
	rec := s.lookupSchema(w, sk, schema)
	if rec != nil {
		for _, in := range rec.instances {
			if f.match(in.Tags) && lq.matches(in.Identifier, in.Name) {
				items = append(items, s.instanceOut(sk, rec, in))
			}
		}
	}
	s.mu.Unlock()
	if rec == nil {
		return
	}
	page := sortAndPage(items, lq, func(in Instance) listKeys { return listKeys{in.Name, in.Created, in.Updated, in.Identifier} })
	writeList(w, page, len(items), lq)
}

// Instance returns a copy of a stored instance, with its computed fields.
func (s *Server) Instance(org, project, schema, id string) (Instance, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, schema)
	if rec == nil || rec.instances[id] == nil {
		return Instance{}, false
	}
	return s.instanceOut(scope{org, project}, rec, rec.instances[id]), true
}

// Instances returns copies of every instance of a schema, sorted by identifier.
func (s *Server) Instances(org, project, schema string) []Instance {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, schema)
	if rec == nil {
		return []Instance{}
	}
	out := make([]Instance, 0, len(rec.instances))
	for _, id := range sortedKeys(rec.instances) {
		out = append(out, s.instanceOut(scope{org, project}, rec, rec.instances[id]))
	}
	return out
}

// PutInstance creates or replaces an instance out of band, without validation. Zero
// created/updated are filled in; toOnboard is stored as given; computed fields are
// ignored. It returns ErrNotFound if the schema is missing.
func (s *Server) PutInstance(org, project, schema string, in Instance) error {
	in = storedInstance(in)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, schema)
	if rec == nil {
		return fmt.Errorf("schema %s/%s/%s: %w", org, project, schema, ErrNotFound)
	}
	if in.Created == 0 {
		in.Created = s.unix()
		if old := rec.instances[in.Identifier]; old != nil {
			in.Created = old.Created
		}
	}
	if in.Updated == 0 {
		in.Updated = s.unix()
	}
	rec.instances[in.Identifier] = &in
	return nil
}

// UpdateInstance changes a stored instance out of band through fn, which gets a copy.
// updated is bumped unless fn set it; the identifier cannot be changed.
func (s *Server) UpdateInstance(org, project, schema, id string, fn func(*Instance)) error {
	return s.updateInstance(org, project, schema, id, func(in *Instance) error { fn(in); return nil })
}

// updateInstance is UpdateInstance with an fn that can abort the change.
func (s *Server) updateInstance(org, project, schema, id string, fn func(*Instance) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, schema)
	if rec == nil || rec.instances[id] == nil {
		return fmt.Errorf("instance %s/%s/%s/%s: %w", org, project, schema, id, ErrNotFound)
	}
	old := rec.instances[id]
	in := storedInstance(*old)
	if err := fn(&in); err != nil {
		return err
	}
	if in.Identifier != id {
		return fmt.Errorf("instance %s/%s/%s/%s: the identifier cannot be changed (got %q)", org, project, schema, id, in.Identifier)
	}
	if in.Updated == old.Updated {
		in.Updated = s.unix()
	}
	v := storedInstance(in)
	rec.instances[id] = &v
	return nil
}

// DeleteInstance removes an instance out of band and reports whether it existed.
func (s *Server) DeleteInstance(org, project, schema, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, schema)
	if rec == nil || rec.instances[id] == nil {
		return false
	}
	rec.dropInstance(id)
	return true
}
