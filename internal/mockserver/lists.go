package mockserver

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listQuery holds the paging query of the list endpoints (Harness swagger
// components.parameters: page, limit, search_term, sort, order).
type listQuery struct {
	page, limit int
	search      string
	sort, order string
}

// parseListQuery validates the paging parameters strictly: a bad value is a 400 rather
// than a silent default, so a client bug cannot hide behind a forgiving mock.
func parseListQuery(q url.Values, sorts []string, defSort, defOrder string) (listQuery, error) {
	lq := listQuery{page: 0, limit: 10, sort: defSort, order: defOrder, search: q.Get("search_term")}
	if v := q.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 1_000_000_000 {
			return lq, fmt.Errorf("query parameter page=%q is invalid: use a page number from 0", v)
		}
		lq.page = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			return lq, fmt.Errorf("query parameter limit=%q is invalid: use an integer from 1 to 100", v)
		}
		lq.limit = n
	}
	if v := q.Get("sort"); v != "" {
		if !slices.Contains(sorts, v) {
			return lq, fmt.Errorf("query parameter sort=%q is invalid: use one of %s", v, strings.Join(sorts, ", "))
		}
		lq.sort = v
	}
	if v := q.Get("order"); v != "" {
		if v != "ASC" && v != "DESC" {
			return lq, fmt.Errorf("query parameter order=%q is invalid: use ASC or DESC", v)
		}
		lq.order = v
	}
	return lq, nil
}

// matches is the search_term rule: a case-insensitive substring of identifier or name.
func (lq listQuery) matches(identifier, name string) bool {
	if lq.search == "" {
		return true
	}
	t := strings.ToLower(lq.search)
	return strings.Contains(strings.ToLower(identifier), t) || strings.Contains(strings.ToLower(name), t)
}

// sortAndPage sorts items by key (ties broken by identifier, always ascending, so
// pages are deterministic), then cuts out the requested page.
func sortAndPage[T any](items []T, lq listQuery, cmpKey func(a, b T) int, ident func(T) string) []T {
	slices.SortFunc(items, func(a, b T) int {
		c := cmpKey(a, b)
		if lq.order == "DESC" {
			c = -c
		}
		if c != 0 {
			return c
		}
		return strings.Compare(ident(a), ident(b))
	})
	start := lq.page * lq.limit
	if start >= len(items) {
		return items[:0]
	}
	return items[start:min(start+lq.limit, len(items))]
}

// writeList sends a page as a bare JSON array ([] when empty) with the paging headers.
func writeList[T any](w http.ResponseWriter, page []T, total int, lq listQuery) {
	if page == nil {
		page = []T{}
	}
	h := w.Header()
	h.Set("X-Total-Elements", strconv.Itoa(total))
	h.Set("X-Page-Number", strconv.Itoa(lq.page))
	h.Set("X-Page-Size", strconv.Itoa(lq.limit))
	writeJSON(w, http.StatusOK, page)
}
