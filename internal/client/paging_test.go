package client_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// changingList is a mock whose schema "s" has n instances, created one second apart in
// identifier order, and which deletes the oldest remaining one right after answering
// each of the first deletions instance lists: someone deletes instances while the
// client reads the list. It returns a client pointed at it.
func changingList(t *testing.T, n, deletions int) (*client.Client, *mockserver.Server, *atomic.Int32) {
	t.Helper()
	srv := instancesMock(t, n)
	var lists atomic.Int32
	c := clientOf(t, func(w http.ResponseWriter, r *http.Request) {
		srv.ServeHTTP(w, r)
		if strings.HasSuffix(r.URL.Path, "/instancelist") && int(lists.Add(1)) <= deletions {
			if left := srv.Instances("o", "p", "s"); len(left) > 0 {
				srv.DeleteInstance("o", "p", "s", left[0].Identifier)
			}
		}
	})
	return c, srv, &lists
}

// instancesMock is a mock whose schema "s" has n instances, created one second apart in
// identifier order.
func instancesMock(t *testing.T, n int) *mockserver.Server {
	t.Helper()
	srv := mockserver.NewChecked(t, mockserver.Options{})
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "S", Changelog: &mockserver.Changelog{Connector: "git", Location: "c.yaml"}})
	for i := range n {
		if err := srv.PutInstance("o", "p", "s", mockserver.Instance{Identifier: fmt.Sprintf("i%03d", i), Name: "I", Connector: "jdbc",
			Branch: "main", Created: int64(1700000000 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}

// clientOf is a client of a server that handle serves.
func clientOf(t *testing.T, handle http.HandlerFunc) *client.Client {
	t.Helper()
	ts := httptest.NewServer(handle)
	t.Cleanup(ts.Close)
	c, err := client.New(client.Config{Endpoint: ts.URL + "/gateway", AccountID: mockserver.TestAccountID, APIKey: mockserver.TestAPIKey,
		RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Both lists ask for the oldest first, explicitly: a new entity then lands on the last
// page, and the client depends on no default.
func TestListsAskOldestFirst(t *testing.T) {
	t.Parallel()
	c, srv := newMockClient(t)
	srv.PutSchema("o", "p", mockserver.Schema{Identifier: "s", Name: "S", Changelog: &mockserver.Changelog{Connector: "git", Location: "c.yaml"}})
	ctx := context.Background()
	if _, err := c.ListSchemas(ctx, "o", "p", client.ListSchemasOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListInstances(ctx, "o", "p", "s", client.ListInstancesOptions{}); err != nil {
		t.Fatal(err)
	}
	for _, r := range srv.Requests() {
		q, err := url.ParseQuery(r.Query)
		if err != nil || q.Get("sort") != "created" || q.Get("order") != "ASC" {
			t.Errorf("%s %s?%s: want sort=created and order=ASC", r.Method, r.Path, r.Query)
		}
	}
}

// An instance deleted between two pages shifts an item back across the page boundary,
// where the next page no longer finds it: the total changed, so the client reads the
// list again and returns every instance there is, once. A list that never holds still
// ends in an error that says so, after maxListRestarts restarts.
func TestListStartsAgainWhenTheListChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, srv, lists := changingList(t, 150, 1)
	got, err := c.ListInstances(ctx, "o", "p", "s", client.ListInstancesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want := srv.Instances("o", "p", "s")
	seen := map[string]bool{}
	for _, in := range got {
		seen[in.Identifier] = true
	}
	if len(got) != len(want) || len(seen) != len(want) || !seen["i100"] || seen["i000"] || lists.Load() != 4 {
		t.Errorf("listed %d instances (%d distinct; i100 %v, the deleted i000 %v) in %d requests; want the %d left, each once, in 4 requests",
			len(got), len(seen), seen["i100"], seen["i000"], lists.Load(), len(want))
	}

	c, _, lists = changingList(t, 150, 100)
	_, err = c.ListInstances(ctx, "o", "p", "s", client.ListInstancesOptions{})
	if err == nil || !strings.Contains(err.Error(), "the list changed while it was read, 4 times in a row; try again") || lists.Load() != 8 {
		t.Errorf("a list that never holds still: %v after %d requests; want an error after 8", err, lists.Load())
	}
}

// Once the first page announces the total, the other pages are asked for at once, and
// come back in order: in this server, the first page after the first waits (at most
// 5 s) until another is in flight beside it, which one-by-one reading never gives.
func TestListFetchesAnnouncedPagesAtOnce(t *testing.T) {
	t.Parallel()
	srv := instancesMock(t, 450)
	var inFlight, lists atomic.Int32
	var waited, together atomic.Bool
	c := clientOf(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/instancelist") {
			lists.Add(1)
			if r.URL.Query().Get("page") != "0" {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				if n == 1 && !waited.Swap(true) {
					for deadline := time.Now().Add(5 * time.Second); inFlight.Load() < 2 && time.Now().Before(deadline); {
						time.Sleep(time.Millisecond)
					}
				}
				if inFlight.Load() >= 2 {
					together.Store(true)
				}
			}
		}
		srv.ServeHTTP(w, r)
	})
	got, err := c.ListInstances(context.Background(), "o", "p", "s", client.ListInstancesOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, in := range got {
		if want := fmt.Sprintf("i%03d", i); in.Identifier != want {
			t.Fatalf("item %d is %s, want %s: the pages are out of order", i, in.Identifier, want)
		}
	}
	if len(got) != 450 || lists.Load() != 5 || !together.Load() {
		t.Errorf("%d instances in %d pages, two pages in flight at once: %v; want 450 in 5, the last four at once", len(got), lists.Load(), together.Load())
	}
}

// overstating answers as the mock does, but announces a total of 100000.
type overstating struct {
	http.ResponseWriter
	wrote bool
}

func (w *overstating) WriteHeader(code int) {
	w.wrote = true
	w.Header().Set("X-Total-Elements", "100000")
	w.ResponseWriter.WriteHeader(code)
}

func (w *overstating) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// A total that overstates the list costs at most one batch of pages more than reading
// one by one: the list of 250 that announces 100000 is read in at most 9 pages (the
// first, then 8 together, the third of which is short), not in the 1000 it announces.
func TestListTrustsAnOverstatedTotalOneBatchAtMost(t *testing.T) {
	t.Parallel()
	srv := instancesMock(t, 250)
	var lists atomic.Int32
	c := clientOf(t, func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/instancelist") {
			lists.Add(1)
			w = &overstating{ResponseWriter: w}
		}
		srv.ServeHTTP(w, r)
	})
	got, err := c.ListInstances(context.Background(), "o", "p", "s", client.ListInstancesOptions{})
	if err != nil || len(got) != 250 || lists.Load() > 9 {
		t.Errorf("%d instances in %d pages (%v); want 250 in at most 9", len(got), lists.Load(), err)
	}
}
