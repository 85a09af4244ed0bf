package client

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// Zero or negative waits mean the defaults (1 s, 30 s), as the provider documents.
func TestRetryWaitDefaults(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		c, err := New(Config{Endpoint: "https://example.com", AccountID: "a", APIKey: "k", RetryWaitMin: d, RetryWaitMax: d})
		if err != nil || c.waitMin != time.Second || c.waitMax != 30*time.Second {
			t.Errorf("waits %v: min %v, max %v (%v); want 1s and 30s", d, c.waitMin, c.waitMax, err)
		}
	}
}

// An error that came at the first attempt says nothing of attempts; a retried one says
// how many.
func TestSingleAttemptErrorsSayNoMore(t *testing.T) {
	h, _ := scripted(status(400))
	_, err := newTestClient(t, h).GetDefaultConfig(context.Background())
	if err == nil || strings.Contains(err.Error(), "attempt") {
		t.Errorf("a 400 (never retried): %v", err)
	}
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { dropConn(w) }),
		func(cfg *Config) { cfg.MaxRetries = 0; cfg.Transport = &http.Transport{DisableKeepAlives: true} })
	_, err = c.GetDefaultConfig(context.Background())
	if err == nil || strings.Contains(err.Error(), "attempt") {
		t.Errorf("a dropped connection with max_retries = 0: %v", err)
	}
}

// truncate cuts at n bytes, never inside a rune, and leaves a string of n bytes whole.
func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"abcdef", 6, "abcdef"},
		{"abcdef", 5, "abcde…"},
		{"ééé", 6, "ééé"},
		{"ééé", 3, "é…"}, // byte 3 is inside the second é: cut before it
		{"ééé", 1, "…"},
	} {
		if got := truncate(tt.s, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// pagedServer answers a list with total items in pages of the asked limit, with or
// without X-Total-Elements, and counts the pages asked and the limits.
func pagedServer(total int, withTotal bool, limits *[]string) (http.Handler, *atomic.Int32) {
	var calls atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		limit, _ := strconv.Atoi(r.URL.Query().Get("limit"))
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		*limits = append(*limits, r.URL.Query().Get("limit"))
		var items []string
		for i := page * limit; i < min((page+1)*limit, total); i++ {
			items = append(items, instanceAnswer("i"+strconv.Itoa(i), "I"))
		}
		if withTotal {
			listReply(w, total, page, limit, items)
			return
		}
		offContract(w, "a list without paging headers: the client still stops at a short page")
		jsonReply(w, 200, "["+strings.Join(items, ",")+"]")
	}), &calls
}

// Listing stops at the last item: on a short page, or when X-Total-Elements items have
// come (no extra request for an empty page); a page size outside 1..100 is 100.
func TestListStopsAtTheLastItem(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name      string
		total     int
		withTotal bool
		pageSize  int
		calls     int32
		limit     string
	}{
		{"short last page, no total", 25, false, 10, 3, "10"},
		{"full last page, total known", 20, true, 10, 2, "10"},
		{"page size 0 means 100", 150, true, 0, 2, "100"},
		{"page size 500 means 100", 150, true, 500, 2, "100"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var limits []string
			h, calls := pagedServer(tt.total, tt.withTotal, &limits)
			got, err := newTestClient(t, h).ListInstances(ctx, "o", "p", "s", ListInstancesOptions{PageSize: tt.pageSize})
			if err != nil || len(got) != tt.total || calls.Load() != tt.calls || limits[0] != tt.limit {
				t.Errorf("%d items (%v) in %d calls with limits %v; want %d items in %d calls, limit %s",
					len(got), err, calls.Load(), limits, tt.total, tt.calls, tt.limit)
			}
		})
	}
}

// A search term goes on the wire only when there is one.
func TestListInstancesSearchTerm(t *testing.T) {
	var queries []string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		queries = append(queries, r.URL.RawQuery)
		listReply(w, 0, 0, 100, nil)
	})
	c := newTestClient(t, h)
	for _, term := range []string{"", "orders"} {
		if _, err := c.ListInstances(context.Background(), "o", "p", "s", ListInstancesOptions{SearchTerm: term}); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Contains(queries[0], "search_term") || !strings.Contains(queries[1], "search_term=orders") {
		t.Errorf("queries %q: want search_term only in the second", queries)
	}
}
