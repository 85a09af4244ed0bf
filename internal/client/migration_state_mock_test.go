package client_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// stateMock is a mock with a Liquibase schema "lb" and a Flyway schema "fw", each with
// instances dev, prod and fresh (no history), and a client with fast retries.
func stateMock(t *testing.T) (*client.Client, *mockserver.TestServer) {
	t.Helper()
	c, srv := newMockClient(t)
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "lb", Name: "Ledger", Changelog: &mockserver.Changelog{Connector: "git", Location: "c.yaml"}})
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "fw", Name: "Reports", MigrationType: mockserver.MigrationTypeFlyway,
		Changelog: &mockserver.Changelog{Connector: "git", Location: "db"}})
	for _, schema := range []string{"lb", "fw"} {
		for _, id := range []string{"dev", "prod", "fresh"} {
			if err := srv.PutInstance("o", "p", schema, mockserver.Instance{Identifier: id, Name: "DB " + id, Connector: "jdbc", Branch: "main"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return c, srv
}

// changeSets are n changesets of c.yaml, each in one of the four statuses in turn.
func changeSets(n int, run string) []mockserver.ChangeSet {
	statuses := []string{mockserver.StatusSuccessfullyDeployed, mockserver.StatusDeploymentFailed, mockserver.StatusRolledBack, mockserver.StatusNotDeployed}
	var out []mockserver.ChangeSet
	for i := range n {
		out = append(out, mockserver.ChangeSet{ChangeSet: fmt.Sprintf("cs%02d", i), Author: "ann", FileName: "c.yaml", Tag: fmt.Sprintf("v%d", i),
			Status: statuses[i%4], DeployedAt: int64(1_767_225_600 + i), Pipeline: "deploy", PlanExecutionID: run, StageExecutionID: run + "_s"})
	}
	return out
}

// Every changeset of an instance comes back, across several pages, in the order
// recorded, in the API's own field names and with every status; the requests carry
// the paging and no sort the endpoint does not take.
func TestInstanceMigrationStateFollowsEveryPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := stateMock(t)
	recorded := changeSets(7, "run1")
	if err := srv.RecordChangeSets("o", "p", "lb", "dev", recorded...); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	got, err := c.GetInstanceMigrationState(ctx, "o", "p", "lb", "dev", client.MigrationStateOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got.SchemaName != "Ledger" || got.InstanceName != "DB dev" || len(got.ChangeSets) != 7 {
		t.Fatalf("got %s/%s with %d changesets, want Ledger/DB dev with 7", got.SchemaName, got.InstanceName, len(got.ChangeSets))
	}
	for i, cs := range got.ChangeSets {
		want := recorded[i]
		if cs.ChangeSet != want.ChangeSet || cs.ChangeSetFQN != "c.yaml::"+want.ChangeSet+"::ann" || cs.Author != "ann" || cs.FileName != "c.yaml" ||
			cs.Tag != want.Tag || cs.Status != want.Status || cs.DeployedAt != want.DeployedAt || cs.DeployedTime().Unix() != want.DeployedAt ||
			cs.Pipeline != "deploy" || cs.PlanExecutionID != "run1" || cs.StageExecutionID != "run1_s" {
			t.Errorf("changeset %d: %+v, want %+v", i, cs, want)
		}
	}
	var statuses []string
	for _, cs := range got.ChangeSets[:4] {
		statuses = append(statuses, cs.Status)
	}
	if !slices.Equal(statuses, client.ChangeSetStatuses()) {
		t.Errorf("statuses %v, want each of %v", statuses, client.ChangeSetStatuses())
	}
	var pages []string
	for _, r := range srv.Requests() {
		q, _ := url.ParseQuery(r.Query)
		pages = append(pages, q.Get("page")+"/"+q.Get("limit"))
		if q.Has("sort") || q.Has("order") {
			t.Errorf("%s?%s: the migration-state views take no sort or order", r.Path, r.Query)
		}
	}
	slices.Sort(pages) // the pages after the first are asked for at once
	if strings.Join(pages, " ") != "0/2 1/2 2/2 3/2" {
		t.Errorf("pages asked: %v, want 0 to 3 of 2, each once", pages)
	}

	// The Flyway twin, with a repeatable migration.
	err = srv.RecordFlywayMigrations("o", "p", "fw", "dev",
		mockserver.FlywayMigration{Version: "1", Description: "init", Type: "SQL", Status: mockserver.StatusSuccessfullyDeployed, DeployedAt: 1_767_225_600,
			PipelineIdentifier: "deploy", PipelineExecutionID: "run2", StageExecutionID: "s"},
		mockserver.FlywayMigration{Description: "views", Type: "SQL", Status: mockserver.StatusDeploymentFailed,
			PipelineIdentifier: "deploy", PipelineExecutionID: "run2", StageExecutionID: "s"},
		mockserver.FlywayMigration{Version: "2", Description: "index", Type: "SQL", Status: mockserver.StatusRolledBack,
			PipelineIdentifier: "deploy", PipelineExecutionID: "run2", StageExecutionID: "s"})
	if err != nil {
		t.Fatal(err)
	}
	fw, err := c.GetInstanceFlywayMigrationState(ctx, "o", "p", "fw", "dev", client.MigrationStateOptions{PageSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, m := range fw.Migrations {
		keys = append(keys, m.Key()+"="+m.Status+"/"+m.Type+"/"+m.PipelineIdentifier+"/"+m.PipelineExecutionID)
	}
	if fw.SchemaName != "Reports" || strings.Join(keys, " ") != "1=Successfully_Deployed/SQL/deploy/run2 repeatable::views=Deployment_Failed/SQL/deploy/run2 2=Rolled_Back/SQL/deploy/run2" ||
		fw.Migrations[0].DeployedTime().Unix() != 1_767_225_600 {
		t.Errorf("Flyway: %s %v", fw.SchemaName, keys)
	}
	found, err := c.GetInstanceMigrationState(ctx, "o", "p", "lb", "dev", client.MigrationStateOptions{SearchTerm: "cs03"})
	if err != nil || len(found.ChangeSets) != 1 || found.ChangeSets[0].ChangeSet != "cs03" {
		t.Errorf("search cs03: %+v, %v", found, err)
	}
}

// An instance with no history has no changesets; an unknown schema or instance is a
// 404, one call each (the 404 of an instance that does not exist is not read as "no
// history"); the other migration type's endpoint is the server's 400.
func TestInstanceMigrationStateEdges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := stateMock(t)
	fresh, err := c.GetInstanceMigrationState(ctx, "o", "p", "lb", "fresh", client.MigrationStateOptions{})
	if err != nil || fresh.ChangeSets == nil || len(fresh.ChangeSets) != 0 || fresh.InstanceName != "DB fresh" {
		t.Errorf("no history: %+v, %v", fresh, err)
	}
	freshFlyway, err := c.GetInstanceFlywayMigrationState(ctx, "o", "p", "fw", "fresh", client.MigrationStateOptions{})
	if err != nil || len(freshFlyway.Migrations) != 0 {
		t.Errorf("no Flyway history: %+v, %v", freshFlyway, err)
	}
	for _, tt := range []struct{ schema, instance, message string }{
		{"lb", "nope", `database instance "nope" not found in schema "lb"`},
		{"nope", "dev", `database schema "nope" not found`},
	} {
		srv.ResetRequests()
		_, err := c.GetInstanceMigrationState(ctx, "o", "p", tt.schema, tt.instance, client.MigrationStateOptions{})
		var ae *client.APIError
		if !client.IsNotFound(err) || !errors.As(err, &ae) || !strings.Contains(ae.Message, tt.message) ||
			ae.Path != "/v1/orgs/o/projects/p/dbschema/"+tt.schema+"/dbinstance/"+tt.instance+"/migrationstate" {
			t.Errorf("%s/%s: %v", tt.schema, tt.instance, err)
		}
		if n := srv.RouteCount(mockserver.RouteInstanceMigrationState); n != 1 || srv.RouteCount(mockserver.RouteGetInstance) != 1 {
			t.Errorf("%s/%s: %d view calls and %d instance reads, want 1 and 1", tt.schema, tt.instance, n, srv.RouteCount(mockserver.RouteGetInstance))
		}
	}
	if _, err := c.GetInstanceMigrationState(ctx, "o", "p", "fw", "dev", client.MigrationStateOptions{}); !client.IsBadRequest(err) ||
		!strings.Contains(err.Error(), "is a Flyway schema") {
		t.Errorf("the Liquibase view of a Flyway instance: %v", err)
	}
	if _, err := c.GetSchemaFlywayMigrationState(ctx, "o", "p", "lb", client.SchemaMigrationStateOptions{}); !client.IsBadRequest(err) {
		t.Errorf("the Flyway view of a Liquibase schema: %v", err)
	}
}

// The schema-wide views: every changeset in changelog order across pages, a column per
// instance, Not_Deployed where an instance never recorded one; narrowed to some
// instances; an instance the schema does not have is a MissingInstancesError naming it.
func TestSchemaMigrationStateFollowsEveryPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv := stateMock(t)
	all := changeSets(5, "run1")
	for i := range all {
		all[i].Status = mockserver.StatusSuccessfullyDeployed
	}
	all[1].Status = mockserver.StatusDeploymentFailed
	if err := srv.RecordChangeSets("o", "p", "lb", "dev", all...); err != nil {
		t.Fatal(err)
	}
	if err := srv.RecordChangeSets("o", "p", "lb", "prod", all[:2]...); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	st, err := c.GetSchemaMigrationState(ctx, "o", "p", "lb", client.SchemaMigrationStateOptions{PageSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, cs := range st.ChangeSets {
		rows = append(rows, fmt.Sprintf("%s dev=%s prod=%s fresh=%s", cs.FQN(), cs.StatusOn("dev").Status, cs.StatusOn("prod").Status, cs.StatusOn("fresh").Status))
	}
	if st.Schema != "lb" || len(st.Instances) != 3 || len(rows) != 5 || srv.RouteCount(mockserver.RouteSchemaMigrationState) != 3 ||
		rows[1] != "c.yaml::cs01::ann dev=Deployment_Failed prod=Deployment_Failed fresh=Not_Deployed" ||
		rows[4] != "c.yaml::cs04::ann dev=Successfully_Deployed prod=Not_Deployed fresh=Not_Deployed" {
		t.Errorf("schema view (%d requests): %s %+v\n%s", srv.RouteCount(mockserver.RouteSchemaMigrationState), st.Schema, st.Instances, strings.Join(rows, "\n"))
	}
	if st.ChangeSets[0].UpdatedTime().Unix() != all[0].DeployedAt || st.ChangeSets[0].StatusOn("dev").PlanExecutionID != "run1" {
		t.Errorf("first changeset: %+v", st.ChangeSets[0])
	}

	narrow, err := c.GetSchemaMigrationState(ctx, "o", "p", "lb", client.SchemaMigrationStateOptions{Instances: []string{"prod"}})
	if err != nil || len(narrow.Instances) != 1 || narrow.Instances[0] != (client.InstanceDetail{Identifier: "prod", Name: "DB prod"}) ||
		len(narrow.ChangeSets) != 5 || len(narrow.ChangeSets[0].Instances) != 1 {
		t.Errorf("narrowed to prod: %+v, %v", narrow, err)
	}
	_, err = c.GetSchemaMigrationState(ctx, "o", "p", "lb", client.SchemaMigrationStateOptions{Instances: []string{"prod", "qa", "uat"}})
	var mi *client.MissingInstancesError
	if !errors.As(err, &mi) || !slices.Equal(mi.Instances, []string{"qa", "uat"}) || client.StatusOf(mi.Answer) != 404 ||
		!strings.Contains(err.Error(), `POST /v1/orgs/o/projects/p/dbschema/lb/migrationstate: schema "lb" has no instance qa, uat (the answer: `) {
		t.Errorf("unknown instances: %v", err)
	}
	if _, err := c.GetSchemaMigrationState(ctx, "o", "p", "nope", client.SchemaMigrationStateOptions{Instances: []string{"prod"}}); !client.IsNotFound(err) || errors.As(err, &mi) {
		t.Errorf("unknown schema with a filter: %v", err)
	}

	if err := srv.RecordFlywayMigrations("o", "p", "fw", "prod", mockserver.FlywayMigration{Version: "1", Type: "SQL", Status: mockserver.StatusRolledBack,
		PipelineIdentifier: "p", PipelineExecutionID: "e", StageExecutionID: "s"}); err != nil {
		t.Fatal(err)
	}
	fw, err := c.GetSchemaFlywayMigrationState(ctx, "o", "p", "fw", client.SchemaMigrationStateOptions{})
	if err != nil || len(fw.Migrations) != 1 || fw.Migrations[0].Key() != "1" || fw.Migrations[0].StatusOn("prod").Status != client.StatusRolledBack ||
		fw.Migrations[0].StatusOn("dev").Status != client.StatusNotDeployed || fw.Migrations[0].DeployedTime().IsZero() {
		t.Errorf("Flyway schema view: %+v, %v", fw, err)
	}
}

// Faults on the new routes follow the retry rules: the reads (the schema views are
// POSTs that change nothing) are retried on 429, 5xx, a dropped connection and a
// garbled body, not on 400 or 404; after max_retries the error names the call.
func TestMigrationStateFaults(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tt := range []struct {
		fault mockserver.Fault
		calls int
		err   func(error) bool
	}{
		{mockserver.Fault{Status: 500, Times: 1}, 2, nil},
		{mockserver.Fault{Status: 429, Times: 2}, 3, nil},
		{mockserver.Fault{DropAfter: true, Times: 1}, 2, nil},
		{mockserver.Fault{Malformed: true, Times: 1}, 2, nil},
		{mockserver.Fault{Status: 502, Message: "upstream down"}, 4, func(err error) bool {
			return client.StatusOf(err) == 502 && strings.Contains(err.Error(), "gave up after 4 attempts")
		}},
		{mockserver.Fault{Status: 400, Times: 1}, 1, client.IsBadRequest},
	} {
		for _, route := range []string{mockserver.RouteInstanceMigrationState, mockserver.RouteInstanceFlywayMigrationState,
			mockserver.RouteSchemaMigrationState, mockserver.RouteSchemaFlywayMigrationState} {
			t.Run(fmt.Sprintf("%s %+v", route, tt.fault), func(t *testing.T) {
				c, srv := stateMock(t)
				f := tt.fault
				f.Route = route
				srv.AddFault(f)
				var err error
				switch route {
				case mockserver.RouteInstanceMigrationState:
					_, err = c.GetInstanceMigrationState(ctx, "o", "p", "lb", "dev", client.MigrationStateOptions{})
				case mockserver.RouteInstanceFlywayMigrationState:
					_, err = c.GetInstanceFlywayMigrationState(ctx, "o", "p", "fw", "dev", client.MigrationStateOptions{})
				case mockserver.RouteSchemaMigrationState:
					_, err = c.GetSchemaMigrationState(ctx, "o", "p", "lb", client.SchemaMigrationStateOptions{})
				default:
					_, err = c.GetSchemaFlywayMigrationState(ctx, "o", "p", "fw", client.SchemaMigrationStateOptions{})
				}
				if n := srv.RouteCount(route); n != tt.calls {
					t.Errorf("%d calls, want %d", n, tt.calls)
				}
				if tt.err == nil && err != nil || tt.err != nil && !tt.err(err) {
					t.Errorf("err = %v", err)
				}
			})
		}
	}
}
