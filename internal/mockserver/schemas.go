package mockserver

import (
	"cmp"
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
	Toml        string `json:"toml,omitempty"`
}

// ChangeLogScript is the script that fetches the changelog of a Script schema.
type ChangeLogScript struct {
	Image    string `json:"image"`
	Command  string `json:"command"`
	Shell    string `json:"shell"`
	Location string `json:"location"`
	Toml     string `json:"toml,omitempty"`
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

// checkSchemaBody validates a candidate schema (type already defaulted): the type must
// match the block given, and the block must be complete.
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
		if sc.Changelog == nil {
			p = append(p, `type Repository needs a "changelog" block with a non-empty "location"`)
		} else if strings.TrimSpace(sc.Changelog.Location) == "" {
			p = append(p, `changelog.location is required`)
		}
	case TypeScript:
		if sc.Changelog != nil && !both {
			p = append(p, `type Script does not take a "changelog" block; use "changeLogScript", or set type to Repository`)
		}
		if sc.ChangeLogScript == nil {
			p = append(p, `type Script needs a "changeLogScript" block with non-empty "image", "command", "shell" and "location"`)
		} else {
			c := sc.ChangeLogScript
			for _, f := range []struct{ name, v string }{{"image", c.Image}, {"command", c.Command}, {"shell", c.Shell}, {"location", c.Location}} {
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

// defaultType is Script when a changeLogScript is given, else Repository.
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

// changelogIn is Changelog on input: a pointer connector tells "absent" (keep the
// stored connector on PUT) from "" (Harness Code Repository).
type changelogIn struct {
	Connector   *string `json:"connector"`
	Location    string  `json:"location"`
	Repo        string  `json:"repo"`
	ArchivePath string  `json:"archivePath"`
	Toml        string  `json:"toml"`
}

func (c *changelogIn) toChangelog(stored *Changelog) *Changelog {
	if c == nil {
		return nil
	}
	out := &Changelog{Location: c.Location, Repo: c.Repo, ArchivePath: c.ArchivePath, Toml: c.Toml}
	switch {
	case c.Connector != nil:
		out.Connector = *c.Connector
	case stored != nil:
		out.Connector = stored.Connector
	}
	return out
}

// schemaIn is the create body, DBSchemaIn.
type schemaIn struct {
	Identifier      string            `json:"identifier"`
	Name            string            `json:"name"`
	Tags            map[string]string `json:"tags"`
	Changelog       *changelogIn      `json:"changelog"`
	ChangeLogScript *ChangeLogScript  `json:"changeLogScript"`
	Service         *string           `json:"service"`
	Type            string            `json:"type"`
	MigrationType   string            `json:"migrationType"`
	UsePercona      bool              `json:"usePercona"`
}

// schemaUpdateIn is the PUT body, DBSchemaUpdateRequest. identifier and migrationType
// are not part of it; they are accepted (the official provider sends its whole create
// body) only if they equal the stored values.
type schemaUpdateIn struct {
	Identifier          *string           `json:"identifier"`
	Name                string            `json:"name"`
	Tags                map[string]string `json:"tags"`
	Changelog           *changelogIn      `json:"changelog"`
	ChangeLogScript     *ChangeLogScript  `json:"changeLogScript"`
	Service             string            `json:"service"`
	Type                string            `json:"type"`
	MigrationType       *string           `json:"migrationType"`
	UsePercona          bool              `json:"usePercona"`
	PrimaryDBInstanceID string            `json:"primaryDbInstanceId"`
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
	switch {
	case out.Type == TypeScript:
		out.SchemaSourceType = "Custom"
	case out.Changelog != nil && out.Changelog.ArchivePath != "":
		out.SchemaSourceType = "Artifactory"
	case out.Changelog != nil && out.Changelog.Connector == "":
		out.SchemaSourceType = "HarnessCode"
	default:
		out.SchemaSourceType = "Git"
	}
	return out
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

func (s *Server) handleCreateSchema(w http.ResponseWriter, r *http.Request) {
	sk := pathScope(r)
	b, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var in schemaIn
	if err := decodeStrict(b, &in); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var p []string
	if err := checkIdentifier("schema", in.Identifier); err != nil {
		p = append(p, err.Error())
	}
	sc := Schema{
		Identifier: in.Identifier, Name: in.Name, Tags: cloneTags(in.Tags),
		Changelog: in.Changelog.toChangelog(nil), ChangeLogScript: in.ChangeLogScript,
		Type: in.Type, MigrationType: in.MigrationType, UsePercona: in.UsePercona,
	}
	if in.Service != nil {
		if strings.TrimSpace(*in.Service) == "" {
			p = append(p, `service must not be empty when given (omit it for no service)`)
		}
		sc.Service = *in.Service
	}
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
	rec := s.st.schema(sk.org, sk.project, id)
	var out Schema
	if rec != nil {
		out = s.schemaOut(sk, rec)
	}
	s.mu.Unlock()
	if rec == nil {
		writeError(w, http.StatusNotFound, schemaNotFound(sk, id))
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// handleUpdateSchema is a full replacement of the mutable fields (DESIGN.md): absent or
// empty clears, absent usePercona is false, except that an absent changelog.connector
// keeps the stored connector (Harness's documented behaviour).
func (s *Server) handleUpdateSchema(w http.ResponseWriter, r *http.Request) {
	sk, id := pathScope(r), r.PathValue("dbschema")
	b, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var in schemaUpdateIn
	if err := decodeStrict(b, &in); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(sk.org, sk.project, id)
	if rec == nil {
		writeError(w, http.StatusNotFound, schemaNotFound(sk, id))
		return
	}
	var p []string
	if in.Identifier != nil && *in.Identifier != id {
		p = append(p, fmt.Sprintf("identifier %q in the body does not match %q in the path: identifiers cannot be changed", *in.Identifier, id))
	}
	if in.MigrationType != nil && *in.MigrationType != rec.sc.MigrationType {
		p = append(p, fmt.Sprintf("migrationType cannot be changed (stored %q, got %q): delete and recreate the schema", rec.sc.MigrationType, *in.MigrationType))
	}
	sc := Schema{
		Identifier: id, Name: in.Name, Tags: cloneTags(in.Tags),
		Changelog: in.Changelog.toChangelog(rec.sc.Changelog), ChangeLogScript: in.ChangeLogScript,
		Service: in.Service, Type: in.Type, MigrationType: rec.sc.MigrationType, UsePercona: in.UsePercona,
		PrimaryDBInstanceID: in.PrimaryDBInstanceID, Created: rec.sc.Created, Updated: s.unix(),
	}
	defaultType(&sc)
	p = append(p, checkSchemaBody(&sc)...)
	if len(p) > 0 {
		writeError(w, http.StatusBadRequest, "invalid database schema update: "+strings.Join(p, "; "))
		return
	}
	rec.sc = storedSchema(sc)
	writeJSON(w, http.StatusOK, s.schemaOut(sk, rec))
}

// handleDeleteSchema refuses to delete a schema that still has instances (DESIGN.md:
// losing instances by accident is worse than one more delete).
func (s *Server) handleDeleteSchema(w http.ResponseWriter, r *http.Request) {
	sk, id := pathScope(r), r.PathValue("dbschema")
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := s.st.schema(sk.org, sk.project, id)
	if rec == nil {
		writeError(w, http.StatusNotFound, schemaNotFound(sk, id))
		return
	}
	if n := len(rec.instances); n > 0 {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("database schema %q still has %d instance(s) (%s): delete its instances first", id, n, strings.Join(sortedKeys(rec.instances), ", ")))
		return
	}
	delete(s.st.project(sk.org, sk.project, false), id)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) handleListSchemas(w http.ResponseWriter, r *http.Request) {
	sk := pathScope(r)
	q := r.URL.Query()
	lq, err := parseListQuery(q, []string{"name", "updated", "created"}, "created", "DESC")
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
	page := sortAndPage(items, lq, func(a, b Schema) int {
		switch lq.sort {
		case "name":
			return cmp.Compare(a.Name, b.Name)
		case "updated":
			return cmp.Compare(a.Updated, b.Updated)
		}
		return cmp.Compare(a.Created, b.Created)
	}, func(sc Schema) string { return sc.Identifier })
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

// DeleteSchema removes a schema out of band, cascading to its instances (unlike the
// API, which refuses). It reports whether the schema existed.
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
