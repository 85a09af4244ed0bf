package mockserver

import (
	"cmp"
	"fmt"
	"net/http"
	"slices"
	"strings"
)

// ChangeSet is InstanceMigrationStateChangeSet on the wire: one Liquibase changeset on
// one instance, with its latest outcome. It is also what the changesets hook takes and
// what a state document lists under an instance's changeSets.
type ChangeSet struct {
	ChangeSet        string `json:"changeSet"`
	ChangeSetFQN     string `json:"changeSetFQN"` // fileName::changeSet::author; derived when left out
	Author           string `json:"author"`
	FileName         string `json:"fileName"`
	Tag              string `json:"tag,omitempty"`
	Label            string `json:"label,omitempty"`
	Comment          string `json:"comment,omitempty"`
	Status           string `json:"status"`     // a ChangeSetDeploymentStatus
	DeployedAt       int64  `json:"deployedAt"` // epoch seconds; 0 on input means now
	Pipeline         string `json:"pipeline"`
	PlanExecutionID  string `json:"planExecutionId"`
	StageExecutionID string `json:"stageExecutionId"`
}

// FlywayMigration is FlywayInstanceMigrationState on the wire: one Flyway migration on
// one instance, with its latest outcome; what the changesets hook takes for an instance
// of a Flyway schema, and what a state document lists under its migrations.
type FlywayMigration struct {
	Version             string `json:"version"` // "" for a repeatable migration
	Description         string `json:"description,omitempty"`
	Type                string `json:"type"`       // SQL, BASELINE, JDBC...
	Status              string `json:"status"`     // a ChangeSetDeploymentStatus
	DeployedAt          int64  `json:"deployedAt"` // epoch seconds; 0 on input means now
	PipelineIdentifier  string `json:"pipelineIdentifier"`
	PipelineExecutionID string `json:"pipelineExecutionId"`
	StageExecutionID    string `json:"stageExecutionId"`
}

// The ChangeSetDeploymentStatus values (SDK and AE).
const (
	StatusSuccessfullyDeployed = "Successfully_Deployed"
	StatusDeploymentFailed     = "Deployment_Failed"
	StatusRolledBack           = "Rolled_Back"
	StatusNotDeployed          = "Not_Deployed"
)

var statuses = []string{StatusSuccessfullyDeployed, StatusDeploymentFailed, StatusRolledBack, StatusNotDeployed}

// history is an instance's migration state: one record per changeset (Liquibase) or
// migration (Flyway), in the order first recorded. Only the list of its schema's
// migration type is ever filled.
type history struct {
	changeSets []ChangeSet
	migrations []FlywayMigration
}

// fqn is the changeset's key: changeSetFQN, "a unique identifier for database
// changesets in the format filename::changesetId::author" (AE MigrationStateChangeSet).
func fqn(c ChangeSet) string {
	return cmp.Or(c.ChangeSetFQN, c.FileName+"::"+c.ChangeSet+"::"+c.Author)
}

// flywayKey is a migration's key: its version, or the description of a repeatable
// migration, which has none (Flyway's own schema history keys them so).
func flywayKey(m FlywayMigration) string {
	if m.Version == "" {
		return "repeatable::" + m.Description
	}
	return m.Version
}

// record applies one pipeline run's items to list, in order. An instance holds one
// record per changeset, its latest outcome: an item for a recorded changeset replaces
// that record where it stands (a rerun, a rollback, a failed changeset fixed), and a new
// one is appended. The spec keys a changeset by its FQN alone on an instance (the
// changeset/yaml and changeset/sql operations), and the schema view's per-instance
// `updated` is the "Time of last Change Set Deployment/Rollback attempt".
func record[T any](list, items []T, key func(T) string) []T {
	out := slices.Clone(list)
	for _, it := range items {
		k := key(it)
		if i := slices.IndexFunc(out, func(x T) bool { return key(x) == k }); i >= 0 {
			out[i] = it
		} else {
			out = append(out, it)
		}
	}
	return out
}

// migrationKind is what differs between the Liquibase and the Flyway migration state:
// the schema's migration type that has it, the wire keys, and its item type T.
type migrationKind[T any] struct {
	migrationType string
	path          string // the path segment(s) of its endpoints: "migrationstate" or "flyway/migrationstate"
	listKey       string // the key of the items in the answers: "changeSets" or "migrations"
	itemName      string // in messages
	list          func(*history) *[]T
	key           func(T) string
	// prepare fills what an item may leave out (the FQN, deployedAt) and says what
	// is wrong with it.
	prepare func(it *T, now int64) []string
	// search matches search_term: a case-insensitive substring of what identifies the item.
	search func(it T, term string) bool
	// entry is an item as one instance's column of the schema view.
	entry func(instance string, it T) migrationStateInstance
	// schemaItem is an item of the schema view: its first record, the columns, the
	// latest attempt on any instance, and whether every column is deployed.
	schemaItem func(it T, columns []migrationStateInstance, updated int64, synced bool) any
	deployedAt func(T) int64
	// deployedTag is the tag an item deploys: "" unless it is Successfully_Deployed
	// with a tag (Flyway migrations have none).
	deployedTag func(T) string
}

var liquibaseKind = &migrationKind[ChangeSet]{
	migrationType: MigrationTypeLiquibase, path: "migrationstate", listKey: "changeSets", itemName: "changeset (InstanceMigrationStateChangeSet)",
	list: func(h *history) *[]ChangeSet { return &h.changeSets },
	key:  fqn,
	prepare: func(c *ChangeSet, now int64) []string {
		p := required(map[string]string{"changeSet": c.ChangeSet, "author": c.Author, "fileName": c.FileName,
			"pipeline": c.Pipeline, "planExecutionId": c.PlanExecutionID, "stageExecutionId": c.StageExecutionID})
		if want := c.FileName + "::" + c.ChangeSet + "::" + c.Author; c.ChangeSetFQN != "" && c.ChangeSetFQN != want {
			p = append(p, fmt.Sprintf("changeSetFQN %q is not fileName::changeSet::author (%q): leave it out to derive it", c.ChangeSetFQN, want))
		}
		c.ChangeSetFQN = fqn(*c)
		return append(p, prepared(c.Status, &c.DeployedAt, now)...)
	},
	search: func(c ChangeSet, term string) bool { return contains(term, fqn(c)) },
	entry: func(instance string, c ChangeSet) migrationStateInstance {
		return migrationStateInstance{Instance: instance, Status: c.Status, Pipeline: c.Pipeline, PlanExecutionID: c.PlanExecutionID,
			StageExecutionID: c.StageExecutionID, Tag: c.Tag, Updated: c.DeployedAt}
	},
	schemaItem: func(c ChangeSet, columns []migrationStateInstance, updated int64, synced bool) any {
		return schemaChangeSet{ChangeSet: c.ChangeSet, ChangeSetFQN: fqn(c), Author: c.Author, FileName: c.FileName,
			Synced: synced, Updated: updated, Instances: columns}
	},
	deployedAt: func(c ChangeSet) int64 { return c.DeployedAt },
	deployedTag: func(c ChangeSet) string {
		if c.Status != StatusSuccessfullyDeployed {
			return ""
		}
		return c.Tag
	},
}

var flywayKind = &migrationKind[FlywayMigration]{
	migrationType: MigrationTypeFlyway, path: "flyway/migrationstate", listKey: "migrations", itemName: "migration (FlywayInstanceMigrationState)",
	list: func(h *history) *[]FlywayMigration { return &h.migrations },
	key:  flywayKey,
	prepare: func(m *FlywayMigration, now int64) []string {
		p := required(map[string]string{"type": m.Type, "pipelineIdentifier": m.PipelineIdentifier,
			"pipelineExecutionId": m.PipelineExecutionID, "stageExecutionId": m.StageExecutionID})
		if m.Version == "" && m.Description == "" {
			p = append(p, `version is required ("" only for a repeatable migration, which then needs its description)`)
		}
		return append(p, prepared(m.Status, &m.DeployedAt, now)...)
	},
	search: func(m FlywayMigration, term string) bool { return contains(term, m.Version, m.Description) },
	entry: func(instance string, m FlywayMigration) migrationStateInstance {
		return migrationStateInstance{Instance: instance, Status: m.Status, Pipeline: m.PipelineIdentifier, PlanExecutionID: m.PipelineExecutionID,
			StageExecutionID: m.StageExecutionID, Updated: m.DeployedAt}
	},
	schemaItem: func(m FlywayMigration, columns []migrationStateInstance, updated int64, _ bool) any {
		return flywayAppliedMigration{Version: m.Version, Description: m.Description, Type: m.Type, DeployedAt: updated, Instances: columns}
	},
	deployedAt:  func(m FlywayMigration) int64 { return m.DeployedAt },
	deployedTag: func(FlywayMigration) string { return "" },
}

// required lists the keys whose value is empty, in order.
func required(fields map[string]string) []string {
	var p []string
	for _, k := range sortedKeys(fields) {
		if strings.TrimSpace(fields[k]) == "" {
			p = append(p, k+" is required")
		}
	}
	return p
}

// prepared checks the status and fills a zero deployedAt with now.
func prepared(status string, deployedAt *int64, now int64) []string {
	var p []string
	if !slices.Contains(statuses, status) {
		p = append(p, fmt.Sprintf("status %q is invalid: use one of %s", status, strings.Join(statuses, ", ")))
	}
	switch {
	case *deployedAt < 0:
		p = append(p, fmt.Sprintf("deployedAt %d is negative: give epoch seconds, or leave it out for now", *deployedAt))
	case *deployedAt == 0:
		*deployedAt = now
	}
	return p
}

func contains(term string, values ...string) bool {
	t := strings.ToLower(term)
	return slices.ContainsFunc(values, func(v string) bool { return strings.Contains(strings.ToLower(v), t) })
}

// prepareAll prepares every item, and returns the problems, each with its index.
func (k *migrationKind[T]) prepareAll(items []T, now int64) []string {
	var p []string
	for i := range items {
		for _, problem := range k.prepare(&items[i], now) {
			p = append(p, fmt.Sprintf("[%d]: %s", i, problem))
		}
	}
	return p
}

// wrongType says why an endpoint or the hook of kind k does not serve sc, or "".
func (k *migrationKind[T]) wrongType(sk scope, sc *Schema, what string) string {
	if sc.MigrationType == k.migrationType {
		return ""
	}
	other := liquibaseKind.path
	if sc.MigrationType == MigrationTypeFlyway {
		other = flywayKind.path
	}
	return fmt.Sprintf("database schema %q (org %q, project %q) is a %s schema, so %s has no %s: use .../%s",
		sc.Identifier, sk.org, sk.project, sc.MigrationType, what, k.listKey, other)
}

// migrationStateInstance is MigrationStateInstance: an item's column for one instance
// in a schema view. An instance with no record of the item is Not_Deployed, with empty
// execution ids and no updated time.
type migrationStateInstance struct {
	Instance         string `json:"instance"`
	Status           string `json:"status"`
	Pipeline         string `json:"pipeline"`
	PlanExecutionID  string `json:"planExecutionId"`
	StageExecutionID string `json:"stageExecutionId"`
	Tag              string `json:"tag,omitempty"`
	Updated          int64  `json:"updated,omitempty"`
}

// schemaChangeSet is MigrationStateChangeSet.
type schemaChangeSet struct {
	ChangeSet    string                   `json:"changeSet"`
	ChangeSetFQN string                   `json:"changeSetFQN"`
	Author       string                   `json:"author"`
	FileName     string                   `json:"fileName"`
	Synced       bool                     `json:"synced"`
	Updated      int64                    `json:"updated"`
	Instances    []migrationStateInstance `json:"instances"`
}

// flywayAppliedMigration is FlywayAppliedMigration.
type flywayAppliedMigration struct {
	Version     string                   `json:"version"`
	Description string                   `json:"description,omitempty"`
	Type        string                   `json:"type"`
	DeployedAt  int64                    `json:"deployedAt"`
	Instances   []migrationStateInstance `json:"instances"`
}

// instanceDetail is InstanceDetail.
type instanceDetail struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// items returns a copy of the instance's records of kind k. Caller holds s.mu.
func (k *migrationKind[T]) items(rec *schemaRec, id string) []T {
	if h := rec.history[id]; h != nil {
		return slices.Clone(*k.list(h))
	}
	return nil
}

// find returns the instance's record of the item with key. Caller holds s.mu.
func (k *migrationKind[T]) find(rec *schemaRec, id, key string) (T, bool) {
	if h := rec.history[id]; h != nil {
		for _, it := range *k.list(h) {
			if k.key(it) == key {
				return it, true
			}
		}
	}
	var zero T
	return zero, false
}

// apply records one run on an instance (see record) and, as a pipeline does, moves the
// instance's lastDeployedChangeSetTag to the tag of the run's last deployed changeset
// that has one. Caller holds s.mu and has prepared items.
func (k *migrationKind[T]) apply(rec *schemaRec, id string, items []T) {
	if rec.history == nil {
		rec.history = map[string]*history{}
	}
	h := rec.history[id]
	if h == nil {
		h = &history{}
		rec.history[id] = h
	}
	l := k.list(h)
	*l = record(*l, items, k.key)
	for _, it := range items {
		if tag := k.deployedTag(it); tag != "" {
			rec.instances[id].LastDeployedChangeSetTag = tag
		}
	}
}

// lookup finds the schema of a request and, when id is not "", its instance, and
// checks that the schema's migration type is k's; else it answers 404 or 400 and
// returns nil. Caller holds s.mu.
func (k *migrationKind[T]) lookup(s *Server, w http.ResponseWriter, sk scope, schema, id, what string) *schemaRec {
	rec, missing := s.find(sk, schema, id)
	if rec == nil {
		writeError(w, http.StatusNotFound, missing)
		return nil
	}
	if msg := k.wrongType(sk, &rec.sc, what); msg != "" {
		writeError(w, http.StatusBadRequest, msg)
		return nil
	}
	return rec
}

// searched keeps the items that match the search term.
func (k *migrationKind[T]) searched(items []T, lq listQuery) []T {
	if lq.search == "" {
		return items
	}
	return slices.DeleteFunc(items, func(it T) bool { return !k.search(it, lq.search) })
}

// serveInstance answers GET .../dbinstance/{dbinstance}/[flyway/]migrationstate: one
// page of the instance's records, in the order first recorded, so that a record
// added while a client reads lands on the last page. An instance with no history
// answers an empty list.
func (k *migrationKind[T]) serveInstance(s *Server, w http.ResponseWriter, r *http.Request) {
	sk, schema, id := pathScope(r), r.PathValue("dbschema"), r.PathValue("dbinstance")
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := k.lookup(s, w, sk, schema, id, fmt.Sprintf("its instance %q", id))
	if rec == nil {
		return
	}
	items := k.searched(k.items(rec, id), lq)
	page := append([]T{}, pageOf(items, lq)...)
	writePage(w, map[string]any{"schemaName": rec.sc.Name, "instanceName": rec.instances[id].Name, k.listKey: page}, len(items), lq)
}

// migrationStateIn is the schema view's optional body, MigrationStateIn.
type migrationStateIn struct {
	InstanceFilter *struct {
		Instances []string `json:"instances"`
		Sort      string   `json:"sort"`
		Order     string   `json:"order"`
	} `json:"instanceFilter"`
}

// instanceSorts are SortInstance's values (default identifier, order ASC).
var instanceSorts = []string{"name", "updated", "created", "identifier"}

// serveSchema answers POST .../dbschema/{dbschema}/[flyway/]migrationstate: one page of
// the schema's items (every changeset or migration recorded on any of its instances,
// in changelog order: see mergeOrder), each with a column per instance of the filter
// (every instance without one), sorted as the body asks (identifier, ASC by default).
// An instance without a record of the item is Not_Deployed there; synced says that
// every column is Successfully_Deployed; updated (deployedAt for Flyway) is the latest
// attempt on any instance of the schema. An unknown instance in the filter is a 404.
func (k *migrationKind[T]) serveSchema(s *Server, w http.ResponseWriter, r *http.Request) {
	sk, schema := pathScope(r), r.PathValue("dbschema")
	lq, err := parseListQuery(r.URL.Query())
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var in migrationStateIn
	if !decodeOptionalBody(w, r, &in) {
		return
	}
	byInstance := listQuery{sort: "identifier", order: "ASC"}
	var filter []string
	if f := in.InstanceFilter; f != nil {
		filter = f.Instances
		byInstance.sort, byInstance.order = cmp.Or(f.Sort, byInstance.sort), cmp.Or(f.Order, byInstance.order)
	}
	if !slices.Contains(instanceSorts, byInstance.sort) || (byInstance.order != "ASC" && byInstance.order != "DESC") {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("instanceFilter sort %q and order %q: use sort %s and order ASC or DESC",
			byInstance.sort, byInstance.order, strings.Join(instanceSorts, ", ")))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec := k.lookup(s, w, sk, schema, "", "it")
	if rec == nil {
		return
	}
	var shown []Instance
	for _, id := range filter {
		if rec.instances[id] == nil {
			writeError(w, http.StatusNotFound, instanceNotFound(sk, schema, id)+": instanceFilter.instances names it")
			return
		}
	}
	for _, in := range rec.instances {
		if len(filter) == 0 || slices.Contains(filter, in.Identifier) {
			shown = append(shown, *in)
		}
	}
	sortItems(shown, byInstance, func(in Instance) listKeys { return listKeys{in.Name, in.Created, in.Updated, in.Identifier} })
	details := make([]instanceDetail, 0, len(shown))
	for _, in := range shown {
		details = append(details, instanceDetail{in.Identifier, in.Name})
	}
	items := k.searched(mergeOrder(k, rec), lq)
	out := make([]any, 0, lq.limit)
	for _, it := range pageOf(items, lq) {
		key := k.key(it)
		var updated int64
		for id := range rec.instances {
			if r, ok := k.find(rec, id, key); ok {
				updated = max(updated, k.deployedAt(r))
			}
		}
		columns := make([]migrationStateInstance, 0, len(shown))
		synced := len(shown) > 0
		for _, in := range shown {
			col := migrationStateInstance{Instance: in.Identifier, Status: StatusNotDeployed}
			if r, ok := k.find(rec, in.Identifier, key); ok {
				col = k.entry(in.Identifier, r)
			}
			synced = synced && col.Status == StatusSuccessfullyDeployed
			columns = append(columns, col)
		}
		out = append(out, k.schemaItem(it, columns, updated, synced))
	}
	writePage(w, map[string]any{"schema": schema, "instances": details, k.listKey: out}, len(items), lq)
}

// mergeOrder is every item recorded on the schema's instances, once, in changelog
// order as the instances saw it: the instances are walked in identifier order, each
// keeps its own order, and an item that an instance adds sits right after that
// instance's previous item. Every instance of a changelog records its changesets in
// the changelog's order, so this is that order, whatever instance ran ahead. It
// depends on the stored lists alone, so an exported and reseeded state answers the
// same. Caller holds s.mu.
func mergeOrder[T any](k *migrationKind[T], rec *schemaRec) []T {
	var out []T
	for _, id := range sortedKeys(rec.instances) {
		prev := -1
		for _, it := range k.items(rec, id) {
			key := k.key(it)
			if i := slices.IndexFunc(out, func(x T) bool { return k.key(x) == key }); i >= 0 {
				prev = max(prev, i)
				continue
			}
			prev++
			out = slices.Insert(out, prev, it)
		}
	}
	return out
}

// answer is an instance's whole migration state of kind k, in the shape of the GET's
// body. Caller holds s.mu.
func (k *migrationKind[T]) answer(rec *schemaRec, id string) map[string]any {
	return map[string]any{"schemaName": rec.sc.Name, "instanceName": rec.instances[id].Name, k.listKey: append([]T{}, k.items(rec, id)...)}
}

// run records one pipeline run on an instance (see record) and returns its whole
// migration state; else the status to answer (404, 400) and why. The run is checked
// whole before anything is recorded.
func (k *migrationKind[T]) run(s *Server, sk scope, schema, id string, items []T) (any, int, string) {
	items = slices.Clone(items)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, missing := s.find(sk, schema, id)
	if rec == nil {
		return nil, http.StatusNotFound, missing
	}
	if msg := k.wrongType(sk, &rec.sc, fmt.Sprintf("its instance %q", id)); msg != "" {
		return nil, http.StatusBadRequest, msg
	}
	if p := k.prepareAll(items, s.unix()); len(p) > 0 {
		return nil, http.StatusBadRequest, "invalid pipeline run, nothing recorded: each item is a " + k.itemName + ": " + strings.Join(p, "; ")
	}
	k.apply(rec, id, items)
	return k.answer(rec, id), http.StatusOK, ""
}

// goRun is run for the Go API: a missing schema or instance wraps ErrNotFound.
func (k *migrationKind[T]) goRun(s *Server, org, project, schema, id string, items []T) error {
	switch _, status, msg := k.run(s, scope{org, project}, schema, id, items); status {
	case http.StatusOK:
		return nil
	case http.StatusNotFound:
		return fmt.Errorf("%s: %w", msg, ErrNotFound)
	default:
		return fmt.Errorf("mockserver: %s", msg)
	}
}

// RecordChangeSets records a pipeline run on an instance of a Liquibase schema, as the
// changesets hook does: each changeset replaces the instance's record of the same
// changeset where it stands, or is appended; a zero DeployedAt is now, an empty
// ChangeSetFQN is derived. It returns ErrNotFound for a missing schema or instance, and
// an error, recording nothing, for an invalid changeset or a Flyway schema.
func (s *Server) RecordChangeSets(org, project, schema, instance string, cs ...ChangeSet) error {
	return liquibaseKind.goRun(s, org, project, schema, instance, cs)
}

// RecordFlywayMigrations is RecordChangeSets for an instance of a Flyway schema; a
// migration is keyed by its version (by its description when it has none).
func (s *Server) RecordFlywayMigrations(org, project, schema, instance string, ms ...FlywayMigration) error {
	return flywayKind.goRun(s, org, project, schema, instance, ms)
}

// ChangeSets returns the Liquibase migration state of an instance, in the order first
// recorded; nil for none.
func (s *Server) ChangeSets(org, project, schema, instance string) []ChangeSet {
	return stateOf(s, liquibaseKind, org, project, schema, instance)
}

// FlywayMigrations returns the Flyway migration state of an instance; nil for none.
func (s *Server) FlywayMigrations(org, project, schema, instance string) []FlywayMigration {
	return stateOf(s, flywayKind, org, project, schema, instance)
}

func stateOf[T any](s *Server, k *migrationKind[T], org, project, schema, instance string) []T {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rec := s.st.schema(org, project, schema); rec != nil {
		return k.items(rec, instance)
	}
	return nil
}

// hookRecordRun is POST /_mock/.../instance/{dbinstance}/changesets: the body is read
// as the items of the schema's migration type.
func (s *Server) hookRecordRun(w http.ResponseWriter, r *http.Request) {
	sk, schema, id := pathScope(r), r.PathValue("dbschema"), r.PathValue("dbinstance")
	b, err := readBody(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	var mt string
	rec, missing := s.find(sk, schema, id)
	if rec != nil {
		mt = rec.sc.MigrationType
	}
	s.mu.Unlock()
	switch {
	case missing != "": // whatever the body
		writeError(w, http.StatusNotFound, missing)
	case mt == MigrationTypeFlyway:
		recordHook(s, flywayKind, w, sk, schema, id, b)
	default:
		recordHook(s, liquibaseKind, w, sk, schema, id, b)
	}
}

func recordHook[T any](s *Server, k *migrationKind[T], w http.ResponseWriter, sk scope, schema, id string, b []byte) {
	var items []T
	if err := decodeStrict(b, &items); err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("schema %q is a %s schema, so each item of the body is a %s: %v",
			schema, k.migrationType, k.itemName, err))
		return
	}
	out, status, msg := k.run(s, sk, schema, id, items)
	if status != http.StatusOK {
		writeError(w, status, msg)
		return
	}
	writeJSON(w, http.StatusOK, out)
}
