package mockserver

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// store is the whole mutable state. Every access holds Server.mu.
type store struct {
	Defaults  map[string]string
	Overrides map[string]string
	projects  map[scope]map[string]*schemaRec // schema identifier -> record
	// orgs are the organizations that exist and their projects (State.Orgs); nil: any
	// org and project exists, as before a seed declares them.
	orgs    map[string]map[string]bool
	putMode string               // PutMerge or PutReplace
	ci      map[string]*ciConfig // by infra (CIInfras)
}

// scope is an org/project pair: the path scope of schemas.
type scope struct{ org, project string }

// schemaRec is a stored schema (computed fields left zero), its instances and their
// migration state (by instance identifier; nil until a pipeline run is recorded).
type schemaRec struct {
	sc        Schema
	instances map[string]*Instance
	history   map[string]*history
}

// dropInstance deletes an instance and its migration state: every delete goes
// through it, so that no history outlives its instance.
func (rec *schemaRec) dropInstance(id string) {
	delete(rec.instances, id)
	delete(rec.history, id)
}

func newStore() store {
	return store{
		Defaults:  DefaultImages(),
		Overrides: map[string]string{},
		projects:  map[scope]map[string]*schemaRec{},
		ci:        newCIConfigs(),
	}
}

func (st *store) schema(org, project, id string) *schemaRec {
	return st.projects[scope{org, project}][id]
}

// unknownScope says why org/project does not exist, as Harness's platform words it
// (harness/harness-core, ng-manager OrganizationResource and ProjectResource; a missing
// project has been a 404 since harness-core pull request 55609), or "" when it exists.
// With no declared orgs, every org and project exists.
func (st *store) unknownScope(org, project string) string {
	if st.orgs == nil {
		return ""
	}
	projects, ok := st.orgs[org]
	if !ok {
		return fmt.Sprintf("Organization with identifier [%s] not found (the mock's orgs: %s)", org, strings.Join(slices.Sorted(maps.Keys(st.orgs)), ", "))
	}
	if !projects[project] {
		return fmt.Sprintf("Project with orgIdentifier [%s] and identifier [%s] not found (org %s's projects in the mock: %s)",
			org, project, org, orDash(strings.Join(slices.Sorted(maps.Keys(projects)), ", ")))
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func (st *store) project(org, project string, create bool) map[string]*schemaRec {
	k := scope{org, project}
	p := st.projects[k]
	if p == nil && create {
		p = map[string]*schemaRec{}
		st.projects[k] = p
	}
	return p
}

// State is the whole mock state in a JSON-serialisable form: the state file, the
// /_mock/state hook, Snapshot and Restore all use it.
type State struct {
	// PutMode is how the mock answers a PUT (Options.PutMode); empty keeps the mode the
	// mock has.
	PutMode   string            `json:"putMode,omitempty"`
	Defaults  map[string]string `json:"defaults"`
	Overrides map[string]string `json:"overrides"`
	// Orgs declares the organizations that exist, each with its projects: a request
	// under any other answers 404, as Harness does. Absent or empty: every org and
	// project exists (the mock's default, so that a scenario need not list them).
	Orgs      map[string][]string `json:"orgs,omitempty"`
	Schemas   []ScopedSchema      `json:"schemas"`
	Instances []ScopedInstance    `json:"instances"`
	// CI is Harness CI's execution config by build infrastructure (K8, VM). An infra left
	// out has the mock's seeded defaults and no override; the export leaves such an infra
	// out, so that a state without CI exports as it did before the CI config existed.
	CI map[string]CIState `json:"ci,omitempty"`
}

// CIState is the CI execution config of one build infrastructure.
type CIState struct {
	// Defaults are Harness's defaults; a field not listed keeps the mock's default, and a
	// new name is a field Harness added.
	Defaults map[string]string `json:"defaults"`
	// Overrides are the account's, on a field the defaults have.
	Overrides map[string]string `json:"overrides"`
}

// ScopedSchema is a schema with the org and project it lives in.
type ScopedSchema struct {
	Org     string `json:"org"`
	Project string `json:"project"`
	Schema  Schema `json:"schema"`
}

// ScopedInstance is an instance with the org, project and schema it lives in, and its
// migration state: ChangeSets if the schema is Liquibase, Migrations if Flyway, each
// with one record per changeset or migration, in the order first recorded (left out
// when empty, so that a state without migration state exports as before).
type ScopedInstance struct {
	Org        string            `json:"org"`
	Project    string            `json:"project"`
	Schema     string            `json:"schema"`
	Instance   Instance          `json:"instance"`
	ChangeSets []ChangeSet       `json:"changeSets,omitempty"`
	Migrations []FlywayMigration `json:"migrations,omitempty"`
}

// Snapshot returns a deep copy of the state, sorted by org, project and identifier.
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{
		PutMode:   s.st.putMode,
		Defaults:  maps.Clone(s.st.Defaults),
		Overrides: maps.Clone(s.st.Overrides),
		Schemas:   []ScopedSchema{},
		Instances: []ScopedInstance{},
	}
	if s.st.orgs != nil {
		st.Orgs = make(map[string][]string, len(s.st.orgs))
		for org, projects := range s.st.orgs {
			st.Orgs[org] = slices.AppendSeq(make([]string, 0, len(projects)), maps.Keys(projects))
			slices.Sort(st.Orgs[org])
		}
	}
	for infra, c := range s.st.ci {
		if c.seeded(infra) {
			continue
		}
		if st.CI == nil {
			st.CI = map[string]CIState{}
		}
		st.CI[infra] = CIState{Defaults: maps.Clone(c.defaults), Overrides: maps.Clone(c.overrides)}
	}
	for sk, p := range s.st.projects {
		for _, rec := range p {
			st.Schemas = append(st.Schemas, ScopedSchema{sk.org, sk.project, s.schemaOut(sk, rec)})
			for id, in := range rec.instances {
				st.Instances = append(st.Instances, ScopedInstance{sk.org, sk.project, rec.sc.Identifier, s.instanceOut(sk, rec, in),
					liquibaseKind.items(rec, id), flywayKind.items(rec, id)})
			}
		}
	}
	slices.SortFunc(st.Schemas, func(a, b ScopedSchema) int {
		return cmp.Or(cmp.Compare(a.Org, b.Org), cmp.Compare(a.Project, b.Project), cmp.Compare(a.Schema.Identifier, b.Schema.Identifier))
	})
	slices.SortFunc(st.Instances, func(a, b ScopedInstance) int {
		return cmp.Or(cmp.Compare(a.Org, b.Org), cmp.Compare(a.Project, b.Project), cmp.Compare(a.Schema, b.Schema), cmp.Compare(a.Instance.Identifier, b.Instance.Identifier))
	})
	return st
}

// Restore replaces the whole state with st, leniently (ParseState is the strict reader
// of files and hooks): defaults, DB DevOps and CI alike, are merged onto the seeded ones
// (a new field name is added, as a Harness release adds one); empty values, overrides
// on fields without a default, CI configs of another infra and instances of missing
// schemas are dropped, and an empty or unknown PUT
// mode keeps the mock's; computed fields (instanceCount, schemaSourceType, parentId,
// schemaId...) are recomputed, and a zero created or updated time becomes now.
// Migration state is recorded as the changesets hook records it (a zero deployedAt is
// now); invalid items, and the list that the schema's migration type does not have,
// are dropped.
// Declared orgs and projects with an invalid identifier, and entities outside the
// declared ones, are dropped.
func (s *Server) Restore(st State) {
	ns := newStore()
	for org, projects := range st.Orgs {
		if !identifierRE.MatchString(org) {
			continue
		}
		if ns.orgs == nil {
			ns.orgs = map[string]map[string]bool{}
		}
		ns.orgs[org] = map[string]bool{}
		for _, p := range projects {
			if identifierRE.MatchString(p) {
				ns.orgs[org][p] = true
			}
		}
	}
	for f, v := range st.Defaults {
		if strings.TrimSpace(v) != "" && fieldName.MatchString(f) {
			ns.Defaults[f] = v
		}
	}
	for f, v := range st.Overrides {
		if _, ok := ns.Defaults[f]; ok && strings.TrimSpace(v) != "" {
			ns.Overrides[f] = v
		}
	}
	for infra, cs := range st.CI {
		c := ns.ci[infra]
		if c == nil {
			continue
		}
		for f, v := range cs.Defaults {
			if checkSeedImage(f, v) == nil {
				c.defaults[f] = v
			}
		}
		for f, v := range cs.Overrides {
			if _, ok := c.defaults[f]; ok && strings.TrimSpace(v) != "" {
				c.overrides[f] = v
			}
		}
	}
	now := s.now().Unix()
	stamp := func(created, updated *int64) {
		if *created == 0 {
			*created = now
		}
		if *updated == 0 {
			*updated = *created
		}
	}
	for _, sc := range st.Schemas {
		if sc.Org == "" || sc.Project == "" || sc.Schema.Identifier == "" || ns.unknownScope(sc.Org, sc.Project) != "" {
			continue
		}
		stored := storedSchema(sc.Schema)
		defaultType(&stored)
		stamp(&stored.Created, &stored.Updated)
		ns.project(sc.Org, sc.Project, true)[sc.Schema.Identifier] = &schemaRec{sc: stored, instances: map[string]*Instance{}}
	}
	for _, in := range st.Instances {
		rec := ns.schema(in.Org, in.Project, in.Schema)
		if rec == nil || in.Instance.Identifier == "" {
			continue
		}
		v := storedInstance(in.Instance)
		stamp(&v.Created, &v.Updated)
		rec.instances[v.Identifier] = &v
		restoreRun(liquibaseKind, rec, v.Identifier, in.ChangeSets, now)
		restoreRun(flywayKind, rec, v.Identifier, in.Migrations, now)
	}
	s.mu.Lock()
	ns.putMode = s.st.putMode
	if slices.Contains(PutModes(), st.PutMode) {
		ns.putMode = st.PutMode
	}
	s.st = ns
	s.mu.Unlock()
}

// PutMode returns how the mock answers a PUT: PutMerge or PutReplace.
func (s *Server) PutMode() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.st.putMode
}

// SaveFile writes the state as indented JSON, atomically (temp file + rename), so a
// crash never leaves a half-written state file behind.
func (s *Server) SaveFile(path string) error {
	b, err := json.MarshalIndent(s.Snapshot(), "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("save mock state: %w", err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }() // no-op after a successful rename
	if _, err := tmp.Write(append(b, '\n')); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("save mock state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save mock state: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save mock state: %w", err)
	}
	return nil
}

// LoadFile restores the state saved by SaveFile. A missing file keeps the seeded
// state (first run); an invalid one is an error and changes nothing.
func (s *Server) LoadFile(path string) error {
	if err := s.LoadSeed(path); !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// LoadSeed replaces the state with a state document read from path (JSON or YAML,
// checked by ParseState). An invalid one is an error and changes nothing.
func (s *Server) LoadSeed(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("load mock state: %w", err)
	}
	st, err := ParseState(b)
	if err != nil {
		return fmt.Errorf("load mock state %s:\n%w", path, err)
	}
	s.Restore(st)
	return nil
}

// restoreRun records the valid items on an instance whose schema has migration state of
// kind k, for Restore. The instance's lastDeployedChangeSetTag stays as the state says.
func restoreRun[T any](k *migrationKind[T], rec *schemaRec, id string, items []T, now int64) {
	if rec.sc.MigrationType != k.migrationType {
		return
	}
	var valid []T
	for _, it := range items {
		if len(k.prepare(&it, now)) == 0 {
			valid = append(valid, it)
		}
	}
	if len(valid) > 0 {
		tag := rec.instances[id].LastDeployedChangeSetTag
		k.apply(rec, id, valid)
		rec.instances[id].LastDeployedChangeSetTag = tag
	}
}
