package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The ChangeSetDeploymentStatus values: a changeset's (or a Flyway migration's) latest
// outcome on an instance. The client passes any other value through, as Harness may
// add one.
const (
	StatusSuccessfullyDeployed = "Successfully_Deployed"
	StatusDeploymentFailed     = "Deployment_Failed"
	StatusRolledBack           = "Rolled_Back"
	StatusNotDeployed          = "Not_Deployed"
)

// ChangeSetStatuses are the documented statuses, in the order a summary shows them.
func ChangeSetStatuses() []string {
	return []string{StatusSuccessfullyDeployed, StatusDeploymentFailed, StatusRolledBack, StatusNotDeployed}
}

// ChangeSet is one Liquibase changeset on one instance (InstanceMigrationStateChangeSet).
// Times are epoch seconds; read them with DeployedTime, which also reads milliseconds.
type ChangeSet struct {
	ChangeSet        string `json:"changeSet"`
	ChangeSetFQN     string `json:"changeSetFQN"`
	Author           string `json:"author"`
	FileName         string `json:"fileName"`
	Tag              string `json:"tag,omitempty"`
	Label            string `json:"label,omitempty"`
	Comment          string `json:"comment,omitempty"`
	Status           string `json:"status"`
	DeployedAt       int64  `json:"deployedAt"`
	Pipeline         string `json:"pipeline"`
	PlanExecutionID  string `json:"planExecutionId"`
	StageExecutionID string `json:"stageExecutionId"`
}

func (c *ChangeSet) check() error {
	if c.ChangeSet == "" && c.ChangeSetFQN == "" {
		return errors.New("a changeset with neither changeSet nor changeSetFQN")
	}
	return needStatus(c.Status)
}

// FQN is the changeset's unique key, fileName::changeSet::author: changeSetFQN, or
// built from its parts when the answer has none.
func (c ChangeSet) FQN() string {
	if c.ChangeSetFQN != "" {
		return c.ChangeSetFQN
	}
	return c.FileName + "::" + c.ChangeSet + "::" + c.Author
}

// DeployedTime is DeployedAt as a time (see EpochTime).
func (c ChangeSet) DeployedTime() time.Time { return EpochTime(c.DeployedAt) }

// InstanceMigrationState is an instance's Liquibase migration state
// (InstanceMigrationStateOut), every page's changesets together, in the API's order.
// The names are the schema's and the instance's names, not their identifiers.
type InstanceMigrationState struct {
	SchemaName   string      `json:"schemaName"`
	InstanceName string      `json:"instanceName"`
	ChangeSets   []ChangeSet `json:"changeSets"`
}

func (s *InstanceMigrationState) check() error {
	return notAState(s.SchemaName == "" && s.InstanceName == "" && s.ChangeSets == nil, "an instance's migration state")
}

// FlywayMigration is one Flyway migration on one instance (FlywayInstanceMigrationState).
// A repeatable migration has no Version.
type FlywayMigration struct {
	Version             string `json:"version"`
	Description         string `json:"description,omitempty"`
	Type                string `json:"type"`
	Status              string `json:"status"`
	DeployedAt          int64  `json:"deployedAt"`
	PipelineIdentifier  string `json:"pipelineIdentifier"`
	PipelineExecutionID string `json:"pipelineExecutionId"`
	StageExecutionID    string `json:"stageExecutionId"`
}

func (m *FlywayMigration) check() error {
	if m.Version == "" && m.Description == "" {
		return errors.New("a migration with neither version nor description")
	}
	return needStatus(m.Status)
}

// Key is the migration's unique key: its version, or for a repeatable migration (no
// version) its description, as Flyway's own schema history keys them.
func (m FlywayMigration) Key() string {
	if m.Version == "" {
		return "repeatable::" + m.Description
	}
	return m.Version
}

// DeployedTime is DeployedAt as a time (see EpochTime).
func (m FlywayMigration) DeployedTime() time.Time { return EpochTime(m.DeployedAt) }

// FlywayInstanceMigrationState is an instance's Flyway migration state
// (FlywayInstanceMigrationStateOutput), every page's migrations together.
type FlywayInstanceMigrationState struct {
	SchemaName   string            `json:"schemaName"`
	InstanceName string            `json:"instanceName"`
	Migrations   []FlywayMigration `json:"migrations"`
}

func (s *FlywayInstanceMigrationState) check() error {
	return notAState(s.SchemaName == "" && s.InstanceName == "" && s.Migrations == nil, "an instance's Flyway migration state")
}

// InstanceDetail names an instance of a schema-wide view.
type InstanceDetail struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

// InstanceStatus is an item's latest outcome on one instance, in a schema-wide view
// (MigrationStateInstance). The mock lists every instance of the view under every
// item, Not_Deployed where it has no record, with empty execution ids and no Updated; a
// server may leave such an instance out instead: read an absent one as Not_Deployed
// (SchemaChangeSet.StatusOn does).
type InstanceStatus struct {
	Instance         string `json:"instance"`
	Status           string `json:"status"`
	Pipeline         string `json:"pipeline"`
	PlanExecutionID  string `json:"planExecutionId"`
	StageExecutionID string `json:"stageExecutionId"`
	Tag              string `json:"tag,omitempty"`
	Updated          int64  `json:"updated,omitempty"`
	Error            string `json:"error,omitempty"`
}

// UpdatedTime is Updated, the last deployment or rollback attempt, as a time.
func (s InstanceStatus) UpdatedTime() time.Time { return EpochTime(s.Updated) }

// statusOn is the status of instance among columns: Not_Deployed when it has none.
func statusOn(columns []InstanceStatus, instance string) InstanceStatus {
	if i := slices.IndexFunc(columns, func(s InstanceStatus) bool { return s.Instance == instance }); i >= 0 {
		return columns[i]
	}
	return InstanceStatus{Instance: instance, Status: StatusNotDeployed}
}

func checkColumns(columns []InstanceStatus) error {
	for _, s := range columns {
		if s.Instance == "" {
			return errors.New("an instance status without its instance")
		}
		if err := needStatus(s.Status); err != nil {
			return err
		}
	}
	return nil
}

// SchemaChangeSet is one changeset of a schema-wide view, with its status on each
// instance (MigrationStateChangeSet). Synced is the server's "successfully deployed to
// all instances".
type SchemaChangeSet struct {
	ChangeSet    string           `json:"changeSet"`
	ChangeSetFQN string           `json:"changeSetFQN"`
	Author       string           `json:"author"`
	FileName     string           `json:"fileName"`
	Synced       bool             `json:"synced"`
	Updated      int64            `json:"updated"`
	Instances    []InstanceStatus `json:"instances"`
}

func (c *SchemaChangeSet) check() error {
	if c.ChangeSet == "" && c.ChangeSetFQN == "" {
		return errors.New("a changeset with neither changeSet nor changeSetFQN")
	}
	return checkColumns(c.Instances)
}

// FQN is as ChangeSet.FQN.
func (c SchemaChangeSet) FQN() string {
	return ChangeSet{ChangeSet: c.ChangeSet, ChangeSetFQN: c.ChangeSetFQN, Author: c.Author, FileName: c.FileName}.FQN()
}

// UpdatedTime is Updated, the last attempt on any instance, as a time.
func (c SchemaChangeSet) UpdatedTime() time.Time { return EpochTime(c.Updated) }

// StatusOn is the changeset's status on instance (an identifier): Not_Deployed when the
// view does not list it.
func (c SchemaChangeSet) StatusOn(instance string) InstanceStatus {
	return statusOn(c.Instances, instance)
}

// SchemaMigrationState is a Liquibase schema's migration state (MigrationStateOut):
// every page's changesets, each with its status on each instance of the view;
// Instances is the first page's list of them.
type SchemaMigrationState struct {
	Schema     string            `json:"schema"`
	Instances  []InstanceDetail  `json:"instances"`
	ChangeSets []SchemaChangeSet `json:"changeSets"`
}

func (s *SchemaMigrationState) check() error {
	return notAState(s.Schema == "", "a schema's migration state")
}

// FlywayAppliedMigration is one migration of a Flyway schema-wide view, with its status
// on each instance (FlywayAppliedMigration).
type FlywayAppliedMigration struct {
	Version     string           `json:"version"`
	Description string           `json:"description,omitempty"`
	Type        string           `json:"type"`
	DeployedAt  int64            `json:"deployedAt"`
	Instances   []InstanceStatus `json:"instances"`
}

func (m *FlywayAppliedMigration) check() error {
	if m.Version == "" && m.Description == "" {
		return errors.New("a migration with neither version nor description")
	}
	return checkColumns(m.Instances)
}

// DeployedTime is DeployedAt as a time (see EpochTime).
func (m FlywayAppliedMigration) DeployedTime() time.Time { return EpochTime(m.DeployedAt) }

// Key is as FlywayMigration.Key.
func (m FlywayAppliedMigration) Key() string {
	return FlywayMigration{Version: m.Version, Description: m.Description}.Key()
}

// StatusOn is as SchemaChangeSet.StatusOn.
func (m FlywayAppliedMigration) StatusOn(instance string) InstanceStatus {
	return statusOn(m.Instances, instance)
}

// FlywaySchemaMigrationState is a Flyway schema's migration state
// (FlywayMigrationStateOutput), as SchemaMigrationState.
type FlywaySchemaMigrationState struct {
	Schema     string                   `json:"schema"`
	Instances  []InstanceDetail         `json:"instances"`
	Migrations []FlywayAppliedMigration `json:"migrations"`
}

func (s *FlywaySchemaMigrationState) check() error {
	return notAState(s.Schema == "", "a schema's Flyway migration state")
}

func needStatus(status string) error {
	if status == "" {
		return errors.New("no status")
	}
	return nil
}

func notAState(empty bool, what string) error {
	if empty {
		return fmt.Errorf("the answer has none of the keys of %s: %s", what, notHarnessHint)
	}
	return nil
}

// EpochTime reads a time of the migration-state views. The API's times are epoch
// seconds (Flyway's deployedAt says so, and so do every entity's created and
// updated); the Liquibase views do not say, and a Java server's habit is
// milliseconds. A value too large to be seconds before the year 5138 is milliseconds,
// and past that microseconds, then nanoseconds: a time of this century reads right in
// any of them. 0 is the zero Time (unknown).
func EpochTime(v int64) time.Time {
	switch {
	case v == 0:
		return time.Time{}
	case v < 1e11:
		return time.Unix(v, 0).UTC()
	case v < 1e14:
		return time.UnixMilli(v).UTC()
	case v < 1e17:
		return time.UnixMicro(v).UTC()
	}
	return time.Unix(0, v).UTC()
}

// LatestChangeSets keeps one changeset per FQN: the latest (greatest DeployedTime;
// of equal times, the later in cs), where its FQN first appears. Harness keeps one
// record per changeset and instance (DESIGN.md), so this changes nothing there; a
// server that answers one record per execution reads the same through it.
func LatestChangeSets(cs []ChangeSet) []ChangeSet {
	return latest(cs, ChangeSet.FQN, ChangeSet.DeployedTime)
}

// LatestFlywayMigrations is LatestChangeSets for Flyway migrations, by Key.
func LatestFlywayMigrations(ms []FlywayMigration) []FlywayMigration {
	return latest(ms, FlywayMigration.Key, FlywayMigration.DeployedTime)
}

func latest[T any](items []T, key func(T) string, at func(T) time.Time) []T {
	out := make([]T, 0, len(items))
	where := map[string]int{}
	for _, it := range items {
		k := key(it)
		i, seen := where[k]
		switch {
		case !seen:
			where[k] = len(out)
			out = append(out, it)
		case !at(it).Before(at(out[i])):
			out[i] = it
		}
	}
	return out
}

// MigrationStateOptions narrows an instance's migration state. Zero values mean all.
type MigrationStateOptions struct {
	SearchTerm string // a substring of the changeset's FQN (a Flyway version or description), as the server matches it
	PageSize   int    // 1..100; default 100
}

// SchemaMigrationStateOptions narrows a schema-wide view. Zero values mean all.
type SchemaMigrationStateOptions struct {
	Instances  []string // identifiers of the instances to show; none: every instance
	SearchTerm string
	PageSize   int // 1..100; default 100
}

func instanceStatePath(org, project, schema, instance, suffix string) string {
	return schemaPath(org, project, schema) + "/dbinstance/" + url.PathEscape(instance) + suffix
}

func searchQuery(term string) url.Values {
	q := url.Values{}
	if term != "" {
		q.Set("search_term", term)
	}
	return q
}

// GetInstanceMigrationState returns every changeset Harness recorded on an instance of a
// Liquibase schema (GET .../dbschema/{schema}/dbinstance/{instance}/migrationstate),
// following every page, in the API's order. An instance with no history has no
// changesets; a 404 for an instance that exists is read as such too (one more call,
// GET on the instance), as a server may say "no migration state" so. A missing schema
// or instance is an *APIError for which IsNotFound is true; a Flyway schema's instance
// is the server's 400 (call GetInstanceFlywayMigrationState).
func (c *Client) GetInstanceMigrationState(ctx context.Context, org, project, schema, instance string, opts MigrationStateOptions) (*InstanceMigrationState, error) {
	return instanceState(ctx, c, org, project, schema, instance, "/migrationstate", opts,
		func(p *InstanceMigrationState) *[]ChangeSet { return &p.ChangeSets },
		func(in *Instance) *InstanceMigrationState { return &InstanceMigrationState{InstanceName: in.Name} })
}

// GetInstanceFlywayMigrationState is GetInstanceMigrationState for an instance of a
// Flyway schema (GET .../dbinstance/{instance}/flyway/migrationstate).
func (c *Client) GetInstanceFlywayMigrationState(ctx context.Context, org, project, schema, instance string, opts MigrationStateOptions) (*FlywayInstanceMigrationState, error) {
	return instanceState(ctx, c, org, project, schema, instance, "/flyway/migrationstate", opts,
		func(p *FlywayInstanceMigrationState) *[]FlywayMigration { return &p.Migrations },
		func(in *Instance) *FlywayInstanceMigrationState {
			return &FlywayInstanceMigrationState{InstanceName: in.Name}
		})
}

// instanceState reads an instance view of either kind: list is where a page keeps its
// items, none the answer for an instance without history found by its 404.
func instanceState[P any, T any](ctx context.Context, c *Client, org, project, schema, instance, suffix string, opts MigrationStateOptions,
	list func(*P) *[]T, none func(*Instance) *P) (*P, error) {
	base := call{method: http.MethodGet, path: instanceStatePath(org, project, schema, instance, suffix), query: searchQuery(opts.SearchTerm)}
	first, all, err := pageAll(ctx, c, base, opts.PageSize, func(p *P) []T { return *list(p) })
	if IsNotFound(err) {
		in, ierr := c.GetInstance(ctx, org, project, schema, instance)
		if ierr != nil {
			return nil, err // the instance or its schema is missing (or unreadable): the view's own 404 says so
		}
		first, all, err = none(in), nil, nil
	}
	if err != nil {
		return nil, err
	}
	*list(first) = append(make([]T, 0, len(all)), all...)
	return first, nil
}

// GetSchemaMigrationState returns every changeset of a Liquibase schema with its status
// on each instance (POST .../dbschema/{schema}/migrationstate), following every page of
// changesets, in the API's order. A read sent as a POST: retried like one. Instances in
// opts narrows the view; an instance the schema does not have is a
// *MissingInstancesError, whether the server answers 404 (the mock does: then one more
// call lists the schema's instances) or leaves it out. A missing schema is an
// *APIError for which IsNotFound is true; a Flyway schema is the server's 400 (call
// GetSchemaFlywayMigrationState).
func (c *Client) GetSchemaMigrationState(ctx context.Context, org, project, schema string, opts SchemaMigrationStateOptions) (*SchemaMigrationState, error) {
	first, all, err := schemaState(ctx, c, org, project, schema, "/migrationstate", opts,
		func(p *SchemaMigrationState) []SchemaChangeSet { return p.ChangeSets },
		func(p *SchemaMigrationState) []InstanceDetail { return p.Instances })
	if err != nil {
		return nil, err
	}
	first.ChangeSets = all
	return first, nil
}

// GetSchemaFlywayMigrationState is GetSchemaMigrationState for a Flyway schema
// (POST .../dbschema/{schema}/flyway/migrationstate).
func (c *Client) GetSchemaFlywayMigrationState(ctx context.Context, org, project, schema string, opts SchemaMigrationStateOptions) (*FlywaySchemaMigrationState, error) {
	first, all, err := schemaState(ctx, c, org, project, schema, "/flyway/migrationstate", opts,
		func(p *FlywaySchemaMigrationState) []FlywayAppliedMigration { return p.Migrations },
		func(p *FlywaySchemaMigrationState) []InstanceDetail { return p.Instances })
	if err != nil {
		return nil, err
	}
	first.Migrations = all
	return first, nil
}

// migrationStateIn is the schema views' body (MigrationStateIn). It is always sent, as
// {} when nothing narrows the view; the instances' sort and order are the server's
// (the client returns them as listed).
type migrationStateIn struct {
	InstanceFilter *struct {
		Instances []string `json:"instances"`
	} `json:"instanceFilter,omitempty"`
}

func schemaState[P any, T any](ctx context.Context, c *Client, org, project, schema, suffix string, opts SchemaMigrationStateOptions,
	items func(*P) []T, instances func(*P) []InstanceDetail) (*P, []T, error) {
	var body migrationStateIn
	if len(opts.Instances) > 0 {
		body.InstanceFilter = &struct {
			Instances []string `json:"instances"`
		}{opts.Instances}
	}
	base := call{method: http.MethodPost, path: schemaPath(org, project, schema) + suffix, query: searchQuery(opts.SearchTerm), body: body}
	first, all, err := pageAll(ctx, c, base, opts.PageSize, items)
	switch {
	case len(opts.Instances) == 0:
	case err == nil:
		shown := make([]string, 0, len(instances(first)))
		for _, d := range instances(first) {
			shown = append(shown, d.Identifier)
		}
		if missing := notIn(opts.Instances, shown); len(missing) > 0 {
			return nil, nil, &MissingInstancesError{Method: base.method, Path: base.path, Schema: schema, Instances: missing}
		}
	case IsNotFound(err):
		// The schema's instances say whether the 404 is about the filter; if they cannot
		// be read, the schema (or its project) is what is missing.
		if list, lerr := c.ListInstances(ctx, org, project, schema, ListInstancesOptions{}); lerr == nil {
			ids := make([]string, 0, len(list))
			for _, in := range list {
				ids = append(ids, in.Identifier)
			}
			if missing := notIn(opts.Instances, ids); len(missing) > 0 {
				return nil, nil, &MissingInstancesError{Method: base.method, Path: base.path, Schema: schema, Instances: missing, Answer: err}
			}
		}
	}
	return first, all, err
}

// notIn lists the elements of want that are not in has.
func notIn(want, has []string) []string {
	var missing []string
	for _, id := range want {
		if !slices.Contains(has, id) {
			missing = append(missing, id)
		}
	}
	return missing
}

// MissingInstancesError is a schema-wide view asked for instances that are not
// instances of the schema, whether the server said so with a 404 (Answer, the mock's
// choice) or left them out of the view. The schema exists.
type MissingInstancesError struct {
	Method    string
	Path      string
	Schema    string
	Instances []string // the identifiers asked for that the schema does not have
	Answer    error    // the server's 404, or nil when it left them out
}

func (e *MissingInstancesError) Error() string {
	s := fmt.Sprintf("%s %s: schema %q has no instance %s", e.Method, e.Path, e.Schema, strings.Join(e.Instances, ", "))
	if e.Answer != nil {
		s += " (the answer: " + e.Answer.Error() + ")"
	}
	return s
}
