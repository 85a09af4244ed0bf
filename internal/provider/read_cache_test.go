package provider

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// The rules of refresh by list (readCache), against the mock, without Terraform: what
// each read answers and which calls it costs, exactly.

// newTestReads is a read cache on a client of srv that does not retry.
func newTestReads(t *testing.T, srv *mockserver.TestServer) *readCache {
	t.Helper()
	c, err := client.New(client.Config{Endpoint: srv.URL, AccountID: srv.AccountID, APIKey: srv.APIKey, MaxRetries: 0, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return newReadCache(c)
}

// seedInstances puts a schema "s" and n instances (db_0 ...) into the mock, each named
// prefix + its identifier.
func seedInstances(t *testing.T, srv *mockserver.TestServer, org, project string, n int, prefix string) {
	t.Helper()
	const schema = "s"
	srv.PutSchema(org, project, mockserver.Schema{Identifier: schema, Name: prefix + schema,
		Changelog: &mockserver.Changelog{Connector: "github", Location: "changelog.yaml"}})
	for i := range n {
		id := fmt.Sprintf("db_%d", i)
		if err := srv.PutInstance(org, project, schema, mockserver.Instance{Identifier: id, Name: prefix + id, Connector: "jdbc", Branch: "main"}); err != nil {
			t.Fatal(err)
		}
	}
}

// wantCalls asserts the API calls since the last ResetRequests, exactly.
func wantCalls(t *testing.T, srv *mockserver.TestServer, want map[string]int) {
	t.Helper()
	if got := srv.RouteCounts(); !maps.Equal(got, want) {
		t.Errorf("API calls %v, want %v", got, want)
	}
}

// readName reads an instance of schema "s" through the cache and returns its name (""
// and the error when the read fails).
func readName(ctx context.Context, r *readCache, org, project, id string) (string, error) {
	in, err := r.instance(ctx, org, project, "s", id)
	if err != nil {
		return "", err
	}
	return in.Name, nil
}

// Reads of 250 instances of a schema, all at once as Terraform's parallel walk does,
// cost the first read's GET and the list's 3 pages, each page read once; 150 schemas of
// a project cost a GET and 2 pages. Reading them all again costs nothing.
func TestReadCache_pages(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	const n = 250
	seedInstances(t, srv, "o", "p", n, "")
	for i := 1; i < 150; i++ {
		srv.PutSchema("o", "p", mockserver.Schema{Identifier: fmt.Sprintf("s_%d", i), Name: fmt.Sprintf("S %d", i),
			Changelog: &mockserver.Changelog{Connector: "github", Location: "changelog.yaml"}})
	}
	srv.ResetRequests()
	r := newTestReads(t, srv)
	for round := range 2 {
		var wg sync.WaitGroup
		errs := make(chan error, n+150)
		for i := range n {
			wg.Go(func() {
				id := fmt.Sprintf("db_%d", i)
				if name, err := readName(t.Context(), r, "o", "p", id); err != nil || name != id {
					errs <- fmt.Errorf("instance %s: name %q, error %w", id, name, err)
				}
			})
		}
		for i := range 150 {
			wg.Go(func() {
				id := "s"
				if i > 0 {
					id = fmt.Sprintf("s_%d", i)
				}
				if s, err := r.schema(t.Context(), "o", "p", id); err != nil || s.Identifier != id {
					errs <- fmt.Errorf("schema %s: %v, error %w", id, s, err)
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		if round == 0 {
			wantCalls(t, srv, map[string]int{mockserver.RouteGetInstance: 1, mockserver.RouteListInstances: 3,
				mockserver.RouteGetSchema: 1, mockserver.RouteListSchemas: 2})
			srv.ResetRequests()
		}
	}
	wantCalls(t, srv, map[string]int{})
}

// A list that lags (here: that shows none of the schema's instances yet) calls no
// instance gone: each one missing from it is read with a GET, and only a 404 there
// makes it gone.
func TestReadCache_laggingList(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	seedInstances(t, srv, "o", "p", 3, "")
	srv.ResetRequests()
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteListInstances, Body: "[]", ContentType: "application/json", Times: 1})
	r := newTestReads(t, srv)
	for _, id := range []string{"db_0", "db_1", "db_2"} {
		if name, err := readName(t.Context(), r, "o", "p", id); err != nil || name != id {
			t.Errorf("instance %s: name %q, error %v; want it found", id, name, err)
		}
	}
	if _, err := r.instance(t.Context(), "o", "p", "s", "gone"); !client.IsNotFound(err) {
		t.Errorf("an instance neither listed nor found: error %v, want not found", err)
	}
	wantCalls(t, srv, map[string]int{mockserver.RouteGetInstance: 4, mockserver.RouteListInstances: 1})
}

// What this process writes is read back as written, not as the list (read before the
// write, or lagging behind it) holds it: an update, a create, a delete, and the
// instances of a deleted schema.
func TestReadCache_readAfterWrite(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	seedInstances(t, srv, "o", "p", 3, "old ")
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "t", Name: "T", Changelog: &mockserver.Changelog{Connector: "github", Location: "c.yaml"}})
	r := newTestReads(t, srv)
	ctx := t.Context()
	for _, id := range []string{"db_0", "db_1"} { // a GET, then the list
		if _, err := r.instance(ctx, "o", "p", "s", id); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := r.schema(ctx, "o", "p", "s"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.schema(ctx, "o", "p", "t"); err != nil { // lists the schemas
		t.Fatal(err)
	}

	// The writes, as the resources make them.
	r.wroteInstance("o", "p", "s", "db_1")
	name := "new db_1"
	if _, err := r.client.UpdateInstance(ctx, "o", "p", "s", "db_1", client.InstanceUpdate{Identifier: "db_1", Name: name, Connector: "jdbc"}); err != nil {
		t.Fatal(err)
	}
	r.wroteInstance("o", "p", "s", "db_2")
	if err := r.client.DeleteInstance(ctx, "o", "p", "s", "db_2"); err != nil {
		t.Fatal(err)
	}
	r.wroteInstance("o", "p", "s", "db_3")
	if _, err := r.client.CreateInstance(ctx, "o", "p", "s", client.InstanceInput{Identifier: "db_3", Name: "created", Connector: "jdbc", Branch: "main"}); err != nil {
		t.Fatal(err)
	}
	r.wroteSchema("o", "p", "t")
	if _, err := r.client.UpdateSchema(ctx, "o", "p", "t", client.SchemaUpdate{Identifier: "t", Name: "T2", Type: "Repository", MigrationType: "Liquibase"}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()

	if got, err := readName(ctx, r, "o", "p", "db_1"); got != name {
		t.Errorf("read after update: name %q (error %v), want %q", got, err, name)
	}
	if _, err := r.instance(ctx, "o", "p", "s", "db_2"); !client.IsNotFound(err) {
		t.Errorf("read after delete: error %v, want not found", err)
	}
	if got, err := readName(ctx, r, "o", "p", "db_3"); got != "created" {
		t.Errorf("read after create: name %q (error %v), want %q", got, err, "created")
	}
	if s, err := r.schema(ctx, "o", "p", "t"); err != nil || s.Name != "T2" {
		t.Errorf("schema read after update: %+v (error %v), want name T2", s, err)
	}
	if got, err := readName(ctx, r, "o", "p", "db_0"); got != "old db_0" { // not written: from the list
		t.Errorf("unwritten instance: name %q (error %v)", got, err)
	}
	wantCalls(t, srv, map[string]int{mockserver.RouteGetInstance: 3, mockserver.RouteGetSchema: 1})

	// A schema deleted in this process takes its instances along, whatever its list said.
	r.wroteSchema("o", "p", "s")
	if err := r.client.DeleteSchema(ctx, "o", "p", "s"); err != nil {
		t.Fatal(err)
	}
	if _, err := r.instance(ctx, "o", "p", "s", "db_0"); !client.IsNotFound(err) {
		t.Errorf("instance of a deleted schema: error %v, want not found", err)
	}
}

// One provider configuration manages several orgs and projects: a schema and an
// instance of the same identifiers in each are never taken for one another, and each
// project (schemas) and schema (instances) has its own list.
func TestReadCache_scopes(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	scopes := [][2]string{{"o1", "p"}, {"o2", "p"}, {"o1", "q"}}
	for _, sc := range scopes {
		seedInstances(t, srv, sc[0], sc[1], 2, sc[0]+"/"+sc[1]+" ")
		srv.PutSchema(sc[0], sc[1], mockserver.Schema{Identifier: "s2", Name: sc[0] + "/" + sc[1] + " s2",
			Changelog: &mockserver.Changelog{Connector: "github", Location: "changelog.yaml"}})
	}
	srv.ResetRequests()
	r := newTestReads(t, srv)
	for range 2 {
		for _, sc := range scopes {
			prefix := sc[0] + "/" + sc[1] + " "
			for _, id := range []string{"db_0", "db_1"} {
				if got, err := readName(t.Context(), r, sc[0], sc[1], id); got != prefix+id {
					t.Errorf("%s/%s/s/%s: name %q (error %v), want %q", sc[0], sc[1], id, got, err, prefix+id)
				}
			}
			for _, id := range []string{"s", "s2"} {
				if s, err := r.schema(t.Context(), sc[0], sc[1], id); err != nil || s.Name != prefix+id {
					t.Errorf("%s/%s/%s: %+v (error %v), want name %q", sc[0], sc[1], id, s, err, prefix+id)
				}
			}
		}
	}
	wantCalls(t, srv, map[string]int{mockserver.RouteGetInstance: 3, mockserver.RouteListInstances: 3,
		mockserver.RouteGetSchema: 3, mockserver.RouteListSchemas: 3})
}

// A list that fails is tried once per process; the reads of its group are then GETs,
// as without the cache, and succeed.
func TestReadCache_listFails(t *testing.T) {
	srv := mockserver.NewTestServer(t)
	seedInstances(t, srv, "o", "p", 4, "")
	srv.ResetRequests()
	srv.AddFault(mockserver.Fault{Route: mockserver.RouteListInstances, Status: 500, Message: "list is down"})
	r := newTestReads(t, srv)
	for range 2 {
		for i := range 4 {
			id := fmt.Sprintf("db_%d", i)
			if got, err := readName(t.Context(), r, "o", "p", id); got != id {
				t.Errorf("instance %s: name %q, error %v; want it read with a GET", id, got, err)
			}
		}
	}
	wantCalls(t, srv, map[string]int{mockserver.RouteGetInstance: 8, mockserver.RouteListInstances: 1})
}

// A write made while its group's list is being read wins over the list: the list may
// have been read before the write reached Harness.
func TestListCache_writeDuringList(t *testing.T) {
	type obj struct{ id, v string }
	c := listCache[obj]{idOf: func(o *obj) string { return o.id }}
	listing, release := make(chan struct{}), make(chan struct{})
	list := func(ctx context.Context) ([]obj, error) {
		close(listing)
		<-release
		return []obj{{"a", "listed"}, {"b", "listed"}}, ctx.Err()
	}
	get := func(id string) func(context.Context) (*obj, error) {
		return func(context.Context) (*obj, error) { return &obj{id, "read"}, nil }
	}
	if _, err := c.get(t.Context(), "g", "a", list, get("a")); err != nil { // the first read: a GET
		t.Fatal(err)
	}
	got := make(chan *obj)
	go func() {
		o, _ := c.get(t.Context(), "g", "b", list, get("b")) // the second: lists
		got <- o
	}()
	<-listing
	c.wrote(cacheKey("g", "b"))
	close(release)
	if o := <-got; o.v != "read" {
		t.Errorf("object written during the list: %q, want it read with a GET", o.v)
	}
	if o, _ := c.get(t.Context(), "g", "a", list, get("a")); o.v != "listed" {
		t.Errorf("object not written: %q, want the list's", o.v)
	}
}
