package mockserver

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// store is the whole mutable state. Every access holds Server.mu.
type store struct {
	Defaults  map[string]string
	Overrides map[string]string
	projects  map[scope]map[string]*schemaRec // schema identifier -> record
}

// scope is an org/project pair: the path scope of schemas.
type scope struct{ org, project string }

// schemaRec is a stored schema (computed fields left zero) and its instances.
type schemaRec struct {
	sc        Schema
	instances map[string]*Instance
}

func newStore() store {
	return store{
		Defaults:  DefaultImages(),
		Overrides: map[string]string{},
		projects:  map[scope]map[string]*schemaRec{},
	}
}

func (st *store) schema(org, project, id string) *schemaRec {
	return st.projects[scope{org, project}][id]
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
	Defaults  map[string]string `json:"defaults"`
	Overrides map[string]string `json:"overrides"`
	Schemas   []ScopedSchema    `json:"schemas"`
	Instances []ScopedInstance  `json:"instances"`
}

// ScopedSchema is a schema with the org and project it lives in.
type ScopedSchema struct {
	Org     string `json:"org"`
	Project string `json:"project"`
	Schema  Schema `json:"schema"`
}

// ScopedInstance is an instance with the org, project and schema it lives in.
type ScopedInstance struct {
	Org      string   `json:"org"`
	Project  string   `json:"project"`
	Schema   string   `json:"schema"`
	Instance Instance `json:"instance"`
}

// Snapshot returns a deep copy of the state, sorted by org, project and identifier.
func (s *Server) Snapshot() State {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := State{
		Defaults:  maps.Clone(s.st.Defaults),
		Overrides: maps.Clone(s.st.Overrides),
		Schemas:   []ScopedSchema{},
		Instances: []ScopedInstance{},
	}
	for sk, p := range s.st.projects {
		for _, rec := range p {
			st.Schemas = append(st.Schemas, ScopedSchema{sk.org, sk.project, s.schemaOut(sk, rec)})
			for _, in := range rec.instances {
				st.Instances = append(st.Instances, ScopedInstance{sk.org, sk.project, rec.sc.Identifier, s.instanceOut(sk, rec, in)})
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

// Validate reports what Restore would silently drop: unknown or empty execution-config
// values, empty identifiers, duplicates, and instances whose schema is missing.
func (st State) Validate() error {
	var errs []error
	for f, v := range st.Defaults {
		if err := checkConfigValue(f, v); err != nil {
			errs = append(errs, fmt.Errorf("defaults: %w", err))
		}
	}
	for f, v := range st.Overrides {
		if err := checkConfigValue(f, v); err != nil {
			errs = append(errs, fmt.Errorf("overrides: %w", err))
		}
	}
	seen := map[string]bool{}
	for i, sc := range st.Schemas {
		k := sc.Org + "/" + sc.Project + "/" + sc.Schema.Identifier
		switch {
		case sc.Org == "" || sc.Project == "" || sc.Schema.Identifier == "":
			errs = append(errs, fmt.Errorf("schemas[%d]: org, project and schema.identifier are required", i))
		case seen[k]:
			errs = append(errs, fmt.Errorf("schemas[%d]: duplicate schema %s", i, k))
		}
		seen[k] = true
	}
	seenIn := map[string]bool{}
	for i, in := range st.Instances {
		sk := in.Org + "/" + in.Project + "/" + in.Schema
		k := sk + "/" + in.Instance.Identifier
		switch {
		case in.Instance.Identifier == "":
			errs = append(errs, fmt.Errorf("instances[%d]: instance.identifier is required", i))
		case !seen[sk]:
			errs = append(errs, fmt.Errorf("instances[%d]: schema %s does not exist", i, sk))
		case seenIn[k]:
			errs = append(errs, fmt.Errorf("instances[%d]: duplicate instance %s", i, k))
		}
		seenIn[k] = true
	}
	return errors.Join(errs...)
}

// Restore replaces the whole state with st. Nil defaults mean the seeded defaults.
// Entries that Validate would reject (unknown fields, orphan instances) are dropped;
// computed fields (instanceCount, schemaSourceType, parentId, schemaId...) are recomputed.
func (s *Server) Restore(st State) {
	ns := newStore()
	if st.Defaults != nil {
		ns.Defaults = map[string]string{}
		for f, v := range DefaultImages() {
			ns.Defaults[f] = v
			if sv, ok := st.Defaults[f]; ok && sv != "" {
				ns.Defaults[f] = sv
			}
		}
	}
	for f, v := range st.Overrides {
		if checkConfigValue(f, v) == nil {
			ns.Overrides[f] = v
		}
	}
	for _, sc := range st.Schemas {
		if sc.Org == "" || sc.Project == "" || sc.Schema.Identifier == "" {
			continue
		}
		ns.project(sc.Org, sc.Project, true)[sc.Schema.Identifier] = &schemaRec{sc: storedSchema(sc.Schema), instances: map[string]*Instance{}}
	}
	for _, in := range st.Instances {
		rec := ns.schema(in.Org, in.Project, in.Schema)
		if rec == nil || in.Instance.Identifier == "" {
			continue
		}
		v := storedInstance(in.Instance)
		rec.instances[v.Identifier] = &v
	}
	s.mu.Lock()
	s.st = ns
	s.mu.Unlock()
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
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("load mock state: %w", err)
	}
	var st State
	if len(bytes.TrimSpace(b)) == 0 {
		return fmt.Errorf("load mock state %s: file is empty", path)
	}
	if err := decodeStrict(b, &st); err != nil {
		return fmt.Errorf("load mock state %s: %w", path, err)
	}
	if err := st.Validate(); err != nil {
		return fmt.Errorf("load mock state %s: %w", path, err)
	}
	s.Restore(st)
	return nil
}
