package mockserver

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ErrNotFound is returned by the out-of-band accessors when the entity is missing.
var ErrNotFound = errors.New("mockserver: not found")

// Schema is DBSchemaOut on the wire, and the stored schema. The keys the Harness SDK
// marks required (plus parentId and schemaSourceType) are always emitted; empty
// optional ones are omitted, as in the real response sample.
type Schema struct {
	Identifier          string            `json:"identifier"`
	Name                string            `json:"name"`
	Tags                map[string]string `json:"tags,omitempty"`
	Changelog           *Changelog        `json:"changelog,omitempty"`
	ChangeLogScript     *ChangeLogScript  `json:"changeLogScript,omitempty"`
	Service             string            `json:"service,omitempty"`
	Type                string            `json:"type"`          // Repository | Script
	MigrationType       string            `json:"migrationType"` // Liquibase | Flyway
	UsePercona          bool              `json:"usePercona"`
	Created             int64             `json:"created"`          // epoch seconds
	Updated             int64             `json:"updated"`          // epoch seconds
	InstanceCount       int64             `json:"instanceCount"`    // computed
	SchemaSourceType    string            `json:"schemaSourceType"` // computed: Git | Artifactory | HarnessCode | Custom
	ParentID            string            `json:"parentId"`         // computed from account/org/project
	PrimaryDBInstanceID string            `json:"primaryDbInstanceId,omitempty"`
}

// Changelog locates the changelog of a Repository schema. An empty connector means
// Harness Code Repository.
type Changelog struct {
	Connector   string `json:"connector"`
	Location    string `json:"location"`
	Repo        string `json:"repo,omitempty"`
	ArchivePath string `json:"archivePath,omitempty"`
	TOML        string `json:"toml,omitempty"`
}

// ChangeLogScript is the script that fetches the changelog of a Script schema.
type ChangeLogScript struct {
	Image    string `json:"image"`
	Command  string `json:"command"`
	Shell    string `json:"shell"`
	Location string `json:"location"`
	TOML     string `json:"toml,omitempty"`
}

// Enum values.
const (
	TypeRepository         = "Repository"
	TypeScript             = "Script"
	MigrationTypeLiquibase = "Liquibase"
	MigrationTypeFlyway    = "Flyway"
)

// identifierRE is the Harness identifier pattern (schemas and instances).
var identifierRE = regexp.MustCompile(`^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$`)

// reservedSchemaIDs collide with literal paths under .../dbschema/.
var reservedSchemaIDs = map[string]bool{"overview": true}

func checkIdentifier(kind, id string) error {
	if id == "" {
		return fmt.Errorf("identifier is required")
	}
	if !identifierRE.MatchString(id) {
		return fmt.Errorf("%s identifier %q is invalid: it must start with a letter or \"_\", contain only letters, digits, \"_\" and \"$\", and be at most 128 characters (pattern ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$)", kind, id)
	}
	if kind == "schema" && reservedSchemaIDs[id] {
		return fmt.Errorf("schema identifier %q is reserved (it collides with GET .../dbschema/overview); choose another", id)
	}
	return nil
}

// checkNameTags validates the fields schemas and instances share.
func checkNameTags(name string, tags map[string]string) []string {
	var p []string
	switch {
	case strings.TrimSpace(name) == "":
		p = append(p, "name is required")
	case utf8.RuneCountInString(name) > 128:
		p = append(p, fmt.Sprintf("name is %d characters long; the maximum is 128", utf8.RuneCountInString(name)))
	}
	if len(tags) > 128 {
		p = append(p, fmt.Sprintf("tags has %d entries; the maximum is 128", len(tags)))
	}
	for _, k := range sortedKeys(tags) {
		if k == "" {
			p = append(p, "tags: a tag key is empty")
		}
		if n := utf8.RuneCountInString(tags[k]); n > 128 {
			p = append(p, fmt.Sprintf("tags[%q]: value is %d characters long; the maximum is 128", k, n))
		}
	}
	return p
}

// checkSchemaBody validates a candidate schema, the stored one merged with a body: the
// type must match the block it carries, and the block must be complete. The changelog
// script's required values follow the newest spec (AE ChangeLogScript: image and command
// non-empty; shell and location are required keys, checked on create, that may be "").
func checkSchemaBody(sc *Schema) []string {
	p := checkNameTags(sc.Name, sc.Tags)
	switch sc.MigrationType {
	case MigrationTypeLiquibase, MigrationTypeFlyway:
	default:
		p = append(p, fmt.Sprintf("migrationType %q is invalid: use Liquibase or Flyway", sc.MigrationType))
	}
	both := sc.Changelog != nil && sc.ChangeLogScript != nil
	if both {
		p = append(p, `"changelog" and "changeLogScript" are mutually exclusive: give "changelog" for type Repository or "changeLogScript" for type Script`)
	}
	switch sc.Type {
	case TypeRepository:
		if sc.ChangeLogScript != nil && !both {
			p = append(p, `type Repository does not take a "changeLogScript" block; use "changelog", or set type to Script`)
		}
		switch c := sc.Changelog; {
		case c == nil:
			p = append(p, `type Repository needs a "changelog" block with a non-empty "location"`)
		case strings.TrimSpace(c.Location) == "":
			p = append(p, `changelog.location is required`)
		case c.Connector == "" && c.Repo == "":
			// Both providers' docs: Harness Code Repository (no connector) needs repo.
			p = append(p, `changelog.repo is required when changelog.connector is empty (Harness Code Repository): give the repository name, or a Git connector`)
		}
	case TypeScript:
		if sc.Changelog != nil && !both {
			p = append(p, `type Script does not take a "changelog" block; use "changeLogScript", or set type to Repository`)
		}
		if sc.ChangeLogScript == nil {
			p = append(p, `type Script needs a "changeLogScript" block with non-empty "image" and "command"`)
		} else {
			for _, f := range []struct{ name, v string }{{"image", sc.ChangeLogScript.Image}, {"command", sc.ChangeLogScript.Command}} {
				if strings.TrimSpace(f.v) == "" {
					p = append(p, "changeLogScript."+f.name+" is required")
				}
			}
		}
	default:
		p = append(p, fmt.Sprintf("type %q is invalid: use Repository or Script", sc.Type))
	}
	return p
}

// changelogIn is Changelog on input. A block that is present replaces the stored one
// whole, except that an absent connector keeps the stored connector (AE
// DBSchemaUpdateRequest: "Omitting this field retains the stored connector"); "" means
// Harness Code Repository.
type changelogIn struct {
	Connector   *string `json:"connector"`
	Location    string  `json:"location"`
	Repo        *string `json:"repo"`
	ArchivePath *string `json:"archivePath"`
	TOML        string  `json:"toml"`
}

func (c *changelogIn) toChangelog(stored *Changelog) *Changelog {
	out := &Changelog{Location: c.Location, Repo: deref(c.Repo), ArchivePath: deref(c.ArchivePath), TOML: c.TOML}
	switch {
	case c.Connector != nil:
		out.Connector = *c.Connector
	case stored != nil:
		out.Connector = stored.Connector
	}
	return out
}

// createProblems are the create body's own limits (AE Changelog: repo and archivePath
// have minLength 1 when given).
func (c *changelogIn) createProblems() []string {
	var p []string
	for _, f := range []struct {
		name string
		v    *string
	}{{"repo", c.Repo}, {"archivePath", c.ArchivePath}} {
		if f.v != nil && *f.v == "" {
			p = append(p, "changelog."+f.name+" must not be empty when given (omit it)")
		}
	}
	return p
}

// scriptIn is ChangeLogScript on input; pointers tell an absent key from "".
type scriptIn struct {
	Image    *string `json:"image"`
	Command  *string `json:"command"`
	Shell    *string `json:"shell"`
	Location *string `json:"location"`
	TOML     string  `json:"toml"`
}

func (c *scriptIn) toScript() *ChangeLogScript {
	return &ChangeLogScript{Image: deref(c.Image), Command: deref(c.Command), Shell: deref(c.Shell), Location: deref(c.Location), TOML: c.TOML}
}

// createProblems: the create body's ChangeLogScript requires all four keys (AE and SDK).
func (c *scriptIn) createProblems() []string {
	var p []string
	for _, f := range []struct {
		name string
		v    *string
	}{{"image", c.Image}, {"command", c.Command}, {"shell", c.Shell}, {"location", c.Location}} {
		if f.v == nil {
			p = append(p, "changeLogScript."+f.name+" is required")
		}
	}
	return p
}

// schemaFields are the keys that the create body (DBSchemaIn) and the PUT body
// (DBSchemaUpdateRequest) share. By default PUT is a merge (Harness's MCP server: "only
// include what you want to change"): a key that is absent, or null as a Go server
// with pointer fields reads it, keeps the stored value; a key that is present replaces
// it, so a present empty value ("" or {}) clears it. A block present on its own also
// drops the other kind of block: it switches the schema's source. Under PutReplace an
// absent key clears too (clearAbsent).
type schemaFields struct {
	Name            *string            `json:"name"`
	Tags            *map[string]string `json:"tags"`
	Changelog       *changelogIn       `json:"changelog"`
	ChangeLogScript *scriptIn          `json:"changeLogScript"`
	Service         *string            `json:"service"`
	Type            *string            `json:"type"`
	MigrationType   *string            `json:"migrationType"`
	UsePercona      *bool              `json:"usePercona"`
}

// applyTo merges the present keys onto sc. migrationType is the caller's: it cannot
// change after creation.
func (f *schemaFields) applyTo(sc *Schema) {
	setIf(&sc.Name, f.Name)
	setIf(&sc.Service, f.Service)
	setIf(&sc.Type, f.Type)
	setIf(&sc.UsePercona, f.UsePercona)
	if f.Tags != nil {
		sc.Tags = cloneTags(*f.Tags)
	}
	switch {
	case f.Changelog != nil && f.ChangeLogScript != nil: // refused by checkSchemaBody
		sc.Changelog, sc.ChangeLogScript = f.Changelog.toChangelog(sc.Changelog), f.ChangeLogScript.toScript()
	case f.Changelog != nil:
		sc.Changelog, sc.ChangeLogScript = f.Changelog.toChangelog(sc.Changelog), nil
		if f.Type == nil {
			sc.Type = TypeRepository
		}
	case f.ChangeLogScript != nil:
		sc.Changelog, sc.ChangeLogScript = nil, f.ChangeLogScript.toScript()
		if f.Type == nil {
			sc.Type = TypeScript
		}
	}
}

// clearAbsent is what a replacing PUT (PutReplace) does beyond the merge: each key the
// body leaves out is cleared, as if sent empty. migrationType cannot change, and an
// absent changelog.connector keeps the stored connector in both modes (AE documents it
// for the PUT body), so neither is cleared here.
func (f *schemaFields) clearAbsent(sc *Schema) {
	clearIfAbsent(&sc.Name, f.Name)
	clearIfAbsent(&sc.Service, f.Service)
	clearIfAbsent(&sc.UsePercona, f.UsePercona)
	clearIfAbsent(&sc.Tags, f.Tags)
	clearIfAbsent(&sc.Changelog, f.Changelog)
	clearIfAbsent(&sc.ChangeLogScript, f.ChangeLogScript)
}

// clearIfAbsent zeroes *dst when the key was absent (v is nil).
func clearIfAbsent[T, V any](dst *T, v *V) {
	if v == nil {
		var zero T
		*dst = zero
	}
}

// schemaIn is the create body, DBSchemaIn.
type schemaIn struct {
	Identifier *string `json:"identifier"`
	schemaFields
}

// schemaUpdateIn is the PUT body, DBSchemaUpdateRequest. identifier and migrationType
// are not in the spec's PUT body, but the official provider sends both (its wire traffic): they are
// accepted when they equal the stored values, and migrationType cannot change (Harness's MCP server).
type schemaUpdateIn struct {
	Identifier *string `json:"identifier"`
	schemaFields
	PrimaryDBInstanceID *string `json:"primaryDbInstanceId"`
}

// setIf sets *dst to *v when the key was present.
func setIf[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// storedSchema deep-copies sc and zeroes the computed fields.
func storedSchema(sc Schema) Schema {
	sc.Tags = cloneTags(sc.Tags)
	if sc.Changelog != nil {
		c := *sc.Changelog
		sc.Changelog = &c
	}
	if sc.ChangeLogScript != nil {
		c := *sc.ChangeLogScript
		sc.ChangeLogScript = &c
	}
	sc.InstanceCount, sc.SchemaSourceType, sc.ParentID = 0, "", ""
	return sc
}

// cloneTags copies a map, normalising empty to nil so it is omitted on the wire.
func cloneTags(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// schemaOut is the response form of a stored schema: a deep copy plus computed fields.
// Caller holds s.mu.
func (s *Server) schemaOut(sk scope, rec *schemaRec) Schema {
	out := storedSchema(rec.sc)
	out.InstanceCount = int64(len(rec.instances))
	out.ParentID = s.parentID(sk)
	out.SchemaSourceType = sourceType(&out)
	return out
}

// sourceType is how Harness classifies where a schema's changelog comes from.
func sourceType(sc *Schema) string {
	switch {
	case sc.Type == TypeScript:
		return "Custom"
	case sc.Changelog != nil && sc.Changelog.ArchivePath != "":
		return "Artifactory"
	case sc.Changelog != nil && sc.Changelog.Connector == "":
		return "HarnessCode"
	}
	return "Git"
}

// defaultType fills the defaults of a new schema: Script when it has a changeLogScript,
// else Repository; Liquibase (AE MigrationType default).
func defaultType(sc *Schema) {
	if sc.Type == "" {
		sc.Type = TypeRepository
		if sc.ChangeLogScript != nil {
			sc.Type = TypeScript
		}
	}
	if sc.MigrationType == "" {
		sc.MigrationType = MigrationTypeLiquibase
	}
}

// parentID is a stable opaque id of the org/project scope, shaped like Harness's
// 22-character unique ids.
func (s *Server) parentID(sk scope) string {
	h := sha256.Sum256([]byte("parent\x00" + s.accountID + "\x00" + sk.org + "\x00" + sk.project))
	return base64.RawURLEncoding.EncodeToString(h[:16])
}

// schemaUUID is the stable id of a schema, reported by its instances as schemaId.
func (s *Server) schemaUUID(sk scope, id string) string {
	h := sha256.Sum256([]byte("schema\x00" + s.accountID + "\x00" + sk.org + "\x00" + sk.project + "\x00" + id))
	h[6] = h[6]&0x0f | 0x50 // shaped like a name-based (v5) UUID
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func pathScope(r *http.Request) scope { return scope{r.PathValue("org"), r.PathValue("project")} }

func schemaNotFound(sk scope, id string) string {
	return fmt.Sprintf("database schema %q not found in org %q, project %q", id, sk.org, sk.project)
}

// find is the stored schema of scope sk and, when inst is not "", checks that it has
// that instance; else nil and the message of the 404 to answer. The caller holds s.mu.
// Every API handler under .../dbschema/{dbschema} finds its schema and instance here
// (lookupSchema, lookupInstance), so that all answer a missing one alike.
func (s *Server) find(sk scope, schema, inst string) (*schemaRec, string) {
	rec := s.st.schema(sk.org, sk.project, schema)
	switch {
	case rec == nil:
		return nil, schemaNotFound(sk, schema)
	case inst != "" && rec.instances[inst] == nil:
		return nil, instanceNotFound(sk, schema, inst)
	}
	return rec, ""
}

// lookupSchema is the stored schema id of scope sk, or nil once it has answered 404.
// The caller holds s.mu.
func (s *Server) lookupSchema(w http.ResponseWriter, sk scope, id string) *schemaRec {
	rec, missing := s.find(sk, id, "")
	if rec == nil {
		writeError(w, http.StatusNotFound, missing)
	}
	return rec
}

func (s *Server) handleCreateSchema(w http.ResponseWriter, r *http.Request) {
	sk := pathScope(r)
	var in schemaIn
	if !decodeBody(w, r, &in) {
		return
	}
	var p []string
	if err := checkIdentifier("schema", deref(in.Identifier)); err != nil {
		p = append(p, err.Error())
	}
	if in.Service != nil && strings.TrimSpace(*in.Service) == "" {
		p = append(p, `service must not be empty when given (omit it for no service)`)
	}
	if in.Changelog != nil {
		p = append(p, in.Changelog.createProblems()...)
	}
	if in.ChangeLogScript != nil {
		p = append(p, in.ChangeLogScript.createProblems()...)
	}
	sc := Schema{Identifier: deref(in.Identifier)}
	in.applyTo(&sc)
	setIf(&sc.MigrationType, in.MigrationType)
	defaultType(&sc)
	p = append(p, checkSchemaBody(&sc)...)
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, "invalid database schema: "+strings.Join(p, "; "))
		return
	}
	s.mu.Lock()
	if s.st.schema(sk.org, sk.project, sc.Identifier) != nil {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, fmt.Sprintf("database schema %q already exists in org %q, project %q", sc.Identifier, sk.org, sk.project))
		return
	}
	sc.Created = s.unix()
	sc.Updated = sc.Created
	rec := &schemaRec{sc: storedSchema(sc), instances: map[string]*Instance{}}
	s.st.project(sk.org, sk.project, true)[sc.Identifier] = rec
	out := s.schemaOut(sk, rec)
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) handleGetSchema(w http.ResponseWriter, r *http.Request) {
	sk, id := pathScope(r), r.PathValue("dbschema")
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.lookupSchema(w, sk, id); rec != nil {
		writeJSON(w, http.StatusOK, s.schemaOut(sk, rec))
	}
}

// handleUpdateSchema merges the body onto the stored schema (schemaFields), or replaces
// it (PutReplace), then validates the result as a whole.
func (s *Server) handleUpdateSchema(w http.ResponseWriter, r *http.Request) {
	sk, id := pathScope(r), r.PathValue("dbschema")
	var in schemaUpdateIn
	if !decodeBody(w, r, &in) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.lookupSchema(w, sk, id)
	if rec == nil {
		return
	}
	var p []string
	if in.Identifier != nil && *in.Identifier != id {
		p = append(p, fmt.Sprintf("identifier %q in the body does not match %q in the path: identifiers cannot be changed", *in.Identifier, id))
	}
	if in.MigrationType != nil && *in.MigrationType != rec.sc.MigrationType {
		p = append(p, fmt.Sprintf("migrationType cannot be changed (stored %q, got %q): delete and recreate the schema", rec.sc.MigrationType, *in.MigrationType))
	}
	sc := storedSchema(rec.sc)
	in.applyTo(&sc)
	setIf(&sc.PrimaryDBInstanceID, in.PrimaryDBInstanceID)
	if s.st.putMode == PutReplace {
		in.clearAbsent(&sc)
		clearIfAbsent(&sc.PrimaryDBInstanceID, in.PrimaryDBInstanceID)
	}
	sc.Updated = s.unix()
	p = append(p, checkSchemaBody(&sc)...)
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, "invalid database schema update: "+strings.Join(p, "; "))
		return
	}
	rec.sc = storedSchema(sc)
	writeJSON(w, http.StatusOK, s.schemaOut(sk, rec))
}

// handleDeleteSchema deletes the schema and, with it, its instances and their history
// (Harness's MCP server warns that a schema delete "will also
// delete all linked instances and migration history"; it is not refused).
func (s *Server) handleDeleteSchema(w http.ResponseWriter, r *http.Request) {
	sk, id := pathScope(r), r.PathValue("dbschema")
	if !s.DeleteSchema(sk.org, sk.project, id) {
		writeError(w, http.StatusNotFound, schemaNotFound(sk, id))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleListSchemas(w http.ResponseWriter, r *http.Request) {
	sk := pathScope(r)
	q := r.URL.Query()
	lq, err := parseListQuery(q)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	mt := q.Get("migrationType")
	if mt != "" && mt != MigrationTypeLiquibase && mt != MigrationTypeFlyway {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("query parameter migrationType=%q is invalid: use Liquibase or Flyway", mt))
		return
	}
	var items []Schema
	s.mu.Lock()
	for _, rec := range s.st.project(sk.org, sk.project, false) {
		if (mt == "" || rec.sc.MigrationType == mt) && lq.matches(rec.sc.Identifier, rec.sc.Name) {
			items = append(items, s.schemaOut(sk, rec))
		}
	}
	s.mu.Unlock()
	page := sortAndPage(items, lq, func(sc Schema) listKeys { return listKeys{sc.Name, sc.Created, sc.Updated, sc.Identifier} })
	writeList(w, page, len(items), lq)
}

// handleSchemaOverview answers the project dashboard counts; the mock records no
// deployments, so recentDeployments is always empty.
func (s *Server) handleSchemaOverview(w http.ResponseWriter, r *http.Request) {
	sk := pathScope(r)
	s.mu.Lock()
	p := s.st.project(sk.org, sk.project, false)
	out := struct {
		DBSchemaCount     int   `json:"dbSchemaCount"`
		DBInstanceCount   int   `json:"dbInstanceCount"`
		RecentDeployments []any `json:"recentDeployments"`
	}{DBSchemaCount: len(p), RecentDeployments: []any{}}
	for _, rec := range p {
		out.DBInstanceCount += len(rec.instances)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// Schema returns a copy of a stored schema, with its computed fields.
func (s *Server) Schema(org, project, id string) (Schema, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, id)
	if rec == nil {
		return Schema{}, false
	}
	return s.schemaOut(scope{org, project}, rec), true
}

// Schemas returns copies of every schema of a project, sorted by identifier.
func (s *Server) Schemas(org, project string) []Schema {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.project(org, project, false)
	out := make([]Schema, 0, len(p))
	for _, id := range sortedKeys(p) {
		out = append(out, s.schemaOut(scope{org, project}, p[id]))
	}
	return out
}

// PutSchema creates or replaces a schema out of band, without validation (the Harness
// UI could hold states the API would refuse). Zero created/updated/type/migrationType
// are filled in; computed fields are ignored; existing instances are kept.
func (s *Server) PutSchema(org, project string, sc Schema) {
	sc = storedSchema(sc)
	defaultType(&sc)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.project(org, project, true)
	rec := p[sc.Identifier]
	if sc.Created == 0 {
		sc.Created = s.unix()
		if rec != nil {
			sc.Created = rec.sc.Created
		}
	}
	if sc.Updated == 0 {
		sc.Updated = s.unix()
	}
	if rec == nil {
		p[sc.Identifier] = &schemaRec{sc: sc, instances: map[string]*Instance{}}
		return
	}
	rec.sc = sc
}

// UpdateSchema changes a stored schema out of band through fn, which gets a copy.
// updated is bumped unless fn set it; the identifier cannot be changed.
func (s *Server) UpdateSchema(org, project, id string, fn func(*Schema)) error {
	return s.updateSchema(org, project, id, func(sc *Schema) error { fn(sc); return nil })
}

// updateSchema is UpdateSchema with an fn that can abort the change.
func (s *Server) updateSchema(org, project, id string, fn func(*Schema) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(org, project, id)
	if rec == nil {
		return fmt.Errorf("schema %s/%s/%s: %w", org, project, id, ErrNotFound)
	}
	sc := storedSchema(rec.sc)
	if err := fn(&sc); err != nil {
		return err
	}
	if sc.Identifier != id {
		return fmt.Errorf("schema %s/%s/%s: the identifier cannot be changed (got %q)", org, project, id, sc.Identifier)
	}
	if sc.Updated == rec.sc.Updated {
		sc.Updated = s.unix()
	}
	rec.sc = storedSchema(sc)
	return nil
}

// DeleteSchema removes a schema and its instances, as the API does, and reports whether
// the schema existed.
func (s *Server) DeleteSchema(org, project, id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.project(org, project, false)
	if p[id] == nil {
		return false
	}
	delete(p, id)
	return true
}
