package mockserver

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v4"
)

// ParseState reads a state document (the -seed and -state-file format, and the body of
// PUT /_mock/state), in JSON or YAML (JSON is YAML). It checks the shape against State
// (unknown keys, wrong types) and the content with the API's own rules (identifiers,
// required fields, a revision for Git schemas, known or seeded execution-config fields,
// DB DevOps and CI, duplicates, instances of missing schemas). Every problem is reported, each with its
// line and field path: `line 12: schemas[1].schema.type: type "Repo" is invalid: ...`.
func ParseState(b []byte) (State, error) {
	if len(bytes.TrimSpace(b)) == 0 {
		return State{}, errors.New("the state document is empty: give at least {}")
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		return State{}, fmt.Errorf("not JSON or YAML: %w", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return State{}, fmt.Errorf("line %d: a second document; a state file holds one", max(extra.Line, 1))
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	var st State
	p := &stateProblems{root: root}
	p.decode(root, reflect.ValueOf(&st).Elem(), "")
	if len(p.list) == 0 {
		p.check(st)
	}
	return st, p.err()
}

// stateProblems gathers what is wrong with a state document, with where.
type stateProblems struct {
	root *yaml.Node
	list []string
}

func (p *stateProblems) add(n *yaml.Node, path, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if path != "" {
		msg = path + ": " + msg
	}
	if n != nil {
		msg = fmt.Sprintf("line %d: %s", n.Line, msg)
	}
	p.list = append(p.list, msg)
}

func (p *stateProblems) err() error {
	if len(p.list) == 0 {
		return nil
	}
	return errors.New(strings.Join(p.list, "\n"))
}

// decode fills v from n, following the json tags of v's type, and records every key or
// value that does not fit. A string field takes any scalar as written (tags: {n: 1}).
func (p *stateProblems) decode(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return // absent: the zero value
	}
	t := v.Type()
	switch t.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(t.Elem()))
		p.decode(n, v.Elem(), path)
	case reflect.Struct:
		if !p.want(n, yaml.MappingNode, path, "an object") {
			return
		}
		fields := map[string]int{}
		for i := range t.NumField() {
			if name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); name != "" && name != "-" {
				fields[name] = i
			}
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, val := n.Content[i].Value, n.Content[i+1]
			at := join(path, key)
			f, ok := fields[key]
			if !ok {
				p.add(n.Content[i], at, "unknown field; %s takes %s", orRoot(path), strings.Join(slices.Sorted(maps.Keys(fields)), ", "))
				continue
			}
			p.decode(val, v.Field(f), at)
		}
	case reflect.Map:
		if !p.want(n, yaml.MappingNode, path, "an object of strings") {
			return
		}
		m := reflect.MakeMapWithSize(t, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			e := reflect.New(t.Elem()).Elem()
			p.decode(n.Content[i+1], e, fmt.Sprintf("%s[%q]", path, n.Content[i].Value))
			m.SetMapIndex(reflect.ValueOf(n.Content[i].Value), e)
		}
		v.Set(m)
	case reflect.Slice:
		if !p.want(n, yaml.SequenceNode, path, "a list") {
			return
		}
		s := reflect.MakeSlice(t, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			p.decode(e, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	case reflect.String:
		if p.want(n, yaml.ScalarNode, path, "a string") {
			v.SetString(n.Value)
		}
	case reflect.Bool:
		b, err := strconv.ParseBool(n.Value)
		if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || err != nil {
			p.add(n, path, "%s is not true or false", describe(n))
			return
		}
		v.SetBool(b)
	case reflect.Int64:
		i, err := strconv.ParseInt(n.Value, 10, 64)
		if n.Kind != yaml.ScalarNode || err != nil {
			p.add(n, path, "%s is not a whole number", describe(n))
			return
		}
		v.SetInt(i)
	default:
		p.add(n, path, "cannot be set from a state file")
	}
}

// want records a problem unless n is of kind.
func (p *stateProblems) want(n *yaml.Node, kind yaml.Kind, path, what string) bool {
	if n.Kind != kind {
		p.add(n, path, "%s where %s is expected", describe(n), what)
		return false
	}
	return true
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "an object"
	case yaml.SequenceNode:
		return "a list"
	default:
		return strconv.Quote(n.Value)
	}
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

// node finds the node at path (as decode writes paths), or the deepest one found, for
// the line of a problem found after decoding.
func (p *stateProblems) node(path string) *yaml.Node {
	n := p.root
	for _, step := range pathSteps.FindAllStringSubmatch(path, -1) {
		if n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		next := (*yaml.Node)(nil)
		switch {
		case step[1] != "" && n.Kind == yaml.MappingNode: // key
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == step[1] {
					next = n.Content[i+1]
				}
			}
		case step[2] != "" && n.Kind == yaml.SequenceNode: // [i]
			if i, _ := strconv.Atoi(step[2]); i < len(n.Content) {
				next = n.Content[i]
			}
		case step[3] != "" && n.Kind == yaml.MappingNode: // ["key"]
			key, _ := strconv.Unquote(step[3])
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					next = n.Content[i+1]
				}
			}
		}
		if next == nil {
			return n
		}
		n = next
	}
	return n
}

var pathSteps = regexp.MustCompile(`([A-Za-z]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]`)

// at records a content problem at path.
func (p *stateProblems) at(path, format string, args ...any) {
	p.add(p.node(path), path, format, args...)
}

// check applies the API's rules to a decoded state, as if each entity were created
// through the API, in order: the PUT mode, the seeded defaults (a field name Harness may add later is
// allowed), the overrides (on a known or seeded field), the schemas, the instances.
func (p *stateProblems) check(st State) {
	if st.PutMode != "" && !slices.Contains(PutModes(), st.PutMode) {
		p.at("putMode", "%q is not a PUT mode: use %s (or leave it out for the mock's)", st.PutMode, strings.Join(PutModes(), " or "))
	}
	p.images("", "execution-config", st.Defaults, st.Overrides, defaultImages)
	for _, infra := range slices.Sorted(maps.Keys(st.CI)) {
		at := fmt.Sprintf("ci[%q]", infra)
		if !isCIInfra(infra) {
			p.at(at, "%v", ciInfraError(infra))
			continue
		}
		p.images(at+".", "CI "+infra, st.CI[infra].Defaults, st.CI[infra].Overrides, ciDefaultImages[infra])
	}
	orgs := p.orgs(st.Orgs)
	sources := map[string]string{}
	types := map[string]string{} // schema key -> migration type
	for i, sc := range st.Schemas {
		at := fmt.Sprintf("schemas[%d]", i)
		key := sc.Org + "/" + sc.Project + "/" + sc.Schema.Identifier
		p.scope(at, sc.Org, sc.Project, orgs)
		if err := checkIdentifier("schema", sc.Schema.Identifier); err != nil {
			p.at(at+".schema.identifier", "%v", err)
		}
		_, dup := sources[key]
		if dup {
			p.at(at+".schema.identifier", "schema %s is listed twice", key)
		}
		s := storedSchema(sc.Schema)
		defaultType(&s)
		problems := checkSchemaBody(&s)
		for _, problem := range problems {
			p.at(at+".schema", "%s", problem)
		}
		switch {
		case dup: // the first one stands
		case len(problems) > 0:
			sources[key] = "" // its source would only mislead the checks of its instances
		default:
			sources[key] = sourceType(&s)
			types[key] = s.MigrationType
		}
	}
	seen := map[string]bool{}
	for i, in := range st.Instances {
		at := fmt.Sprintf("instances[%d]", i)
		schema := in.Org + "/" + in.Project + "/" + in.Schema
		key := schema + "/" + in.Instance.Identifier
		p.scope(at, in.Org, in.Project, orgs)
		src, ok := sources[schema]
		if !ok {
			p.at(at+".schema", "schema %s does not exist: list it under schemas", schema)
		}
		if err := checkIdentifier("instance", in.Instance.Identifier); err != nil {
			p.at(at+".instance.identifier", "%v", err)
		}
		if seen[key] {
			p.at(at+".instance.identifier", "instance %s is listed twice", key)
		}
		seen[key] = true
		for _, problem := range checkInstanceBody(&in.Instance, src) {
			p.at(at+".instance", "%s", problem)
		}
		checkRecords(p, liquibaseKind, at+".changeSets", schema, types[schema], in.ChangeSets)
		checkRecords(p, flywayKind, at+".migrations", schema, types[schema], in.Migrations)
	}
}

// checkRecords checks an instance's migration state of kind k, at path at: as the
// changesets hook would record each item, on a schema of that migration type (mt; ""
// when the schema is missing or invalid, already reported), once per changeset.
func checkRecords[T any](p *stateProblems, k *migrationKind[T], at, schema, mt string, items []T) {
	if len(items) > 0 && mt != "" && mt != k.migrationType {
		other := "changeSets"
		if mt == MigrationTypeFlyway {
			other = "migrations"
		}
		p.at(at, "schema %s is a %s schema: list its instances' migration state under %s", schema, mt, other)
		return
	}
	seen := map[string]bool{}
	for j, it := range items {
		for _, problem := range k.prepare(&it, 1) {
			p.at(fmt.Sprintf("%s[%d]", at, j), "%s", problem)
		}
		if key := k.key(it); seen[key] {
			p.at(fmt.Sprintf("%s[%d]", at, j), "%s is listed twice: an instance holds one record per %s, its latest outcome", key, strings.TrimSuffix(k.listKey, "s"))
		} else {
			seen[key] = true
		}
	}
}

// images checks one execution config of a state document (at is its path, "" or
// `ci["K8"].`): field names and images of its defaults, and overrides on a field that
// the mock seeds (seeded) or the document gives a default.
func (p *stateProblems) images(at, what string, defaults, overrides, seeded map[string]string) {
	for _, f := range slices.Sorted(maps.Keys(defaults)) {
		at := fmt.Sprintf("%sdefaults[%q]", at, f)
		if !fieldName.MatchString(f) {
			p.at(at, "%q is not a field name (lowerCamelCase, such as gitCloneTag)", f)
		}
		if strings.TrimSpace(defaults[f]) == "" {
			p.at(at, "the image is empty")
		}
	}
	for _, f := range slices.Sorted(maps.Keys(overrides)) {
		path := fmt.Sprintf("%soverrides[%q]", at, f)
		_, given := defaults[f]
		if _, ok := seeded[f]; !ok && !given {
			p.at(path, "unknown %s field %q: give it a default under %sdefaults first (as a Harness release adds a field), or use one of %s",
				what, f, at, strings.Join(slices.Sorted(maps.Keys(seeded)), ", "))
		}
		if strings.TrimSpace(overrides[f]) == "" {
			p.at(path, "the image is empty; leave the field out to keep the default")
		}
	}
}

// orgs checks the declared orgs and projects (State.Orgs), and returns them as sets;
// nil when none are declared (any org and project exists).
func (p *stateProblems) orgs(declared map[string][]string) map[string]map[string]bool {
	if len(declared) == 0 {
		return nil
	}
	out := make(map[string]map[string]bool, len(declared))
	for _, org := range slices.Sorted(maps.Keys(declared)) {
		at := fmt.Sprintf("orgs[%q]", org)
		if !identifierRE.MatchString(org) {
			p.at(at, "org %q is not a Harness identifier (%s)", org, identifierRule)
		}
		out[org] = map[string]bool{}
		for i, project := range declared[org] {
			at := fmt.Sprintf("%s[%d]", at, i)
			if !identifierRE.MatchString(project) {
				p.at(at, "project %q is not a Harness identifier (%s)", project, identifierRule)
			}
			if out[org][project] {
				p.at(at, "project %s/%s is listed twice", org, project)
			}
			out[org][project] = true
		}
	}
	return out
}

// identifierRule is what identifierRE allows, in words.
const identifierRule = "letters, digits, _ and $, starting with a letter or _"

// scope checks the org and project of an entity: Harness identifiers, and declared
// under orgs when the document declares any.
func (p *stateProblems) scope(at, org, project string, orgs map[string]map[string]bool) {
	for _, s := range []struct{ name, v string }{{"org", org}, {"project", project}} {
		if !identifierRE.MatchString(s.v) {
			p.at(at+"."+s.name, "%q is not a Harness identifier (%s)", s.v, identifierRule)
		}
	}
	switch projects, ok := orgs[org]; {
	case orgs == nil:
	case !ok:
		p.at(at+".org", "org %q is not declared under orgs: add it there with its projects, or leave orgs out to accept every org and project", org)
	case !projects[project]:
		p.at(at+".project", "project %s/%s is not declared under orgs: add %s to orgs[%q], or leave orgs out to accept every org and project", org, project, project, org)
	}
}
