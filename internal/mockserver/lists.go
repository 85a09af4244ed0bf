package mockserver

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// listQuery holds the paging query of the list endpoints (page, limit, search_term,
// sort, order: SDK swagger components.parameters, AE DbOps* parameters).
type listQuery struct {
	page, limit int
	search      string
	sort, order string
}

// List sorting, the same for schemas and instances: both public descriptions of both
// lists allow sort name, updated or created, default created, and order ASC or DESC,
// default DESC (SDK swagger Sort/Order, AE DbOpsSort/DbOpsOrder); the SDK's own
// SortInstance schema (default identifier, ASC) is not what the instancelist
// operation takes.
var listSorts = []string{"name", "updated", "created"}

const (
	defaultSort  = "created"
	defaultOrder = "DESC"
)

// parseListQuery validates the paging parameters strictly: a bad value is a 400 rather
// than a silent default, so a client bug cannot hide behind a forgiving mock.
func parseListQuery(q url.Values) (listQuery, error) {
	lq := listQuery{page: 0, limit: 10, sort: defaultSort, order: defaultOrder, search: q.Get("search_term")}
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
		if !slices.Contains(listSorts, v) {
			return lq, fmt.Errorf("query parameter sort=%q is invalid: use one of %s", v, strings.Join(listSorts, ", "))
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

// listKeys are what a list item sorts by.
type listKeys struct {
	name             string
	created, updated int64 // epoch seconds
	identifier       string
}

// sortAndPage sorts items by the sort key in the requested order, then cuts out the
// requested page. Ties, common since times have whole seconds, break by identifier in
// the same order (a choice: Harness documents none), so the order is total and pages
// never overlap; created DESC lists entities of one second in reverse identifier order.
func sortAndPage[T any](items []T, lq listQuery, keys func(T) listKeys) []T {
	sortItems(items, lq, keys)
	return pageOf(items, lq)
}

// sortItems sorts items in place as sortAndPage does; sort "identifier" (the instance
// sort of the migration-state views) is the tie-break alone.
func sortItems[T any](items []T, lq listQuery, keys func(T) listKeys) {
	slices.SortFunc(items, func(a, b T) int {
		ka, kb := keys(a), keys(b)
		var c int
		switch lq.sort {
		case "identifier": // the tie-break below
		case "name":
			c = strings.Compare(ka.name, kb.name)
		case "updated":
			c = cmp.Compare(ka.updated, kb.updated)
		default:
			c = cmp.Compare(ka.created, kb.created)
		}
		c = cmp.Or(c, strings.Compare(ka.identifier, kb.identifier))
		if lq.order == "DESC" {
			c = -c
		}
		return c
	})
}

// pageOf cuts the requested page out of items, in their order.
func pageOf[T any](items []T, lq listQuery) []T {
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
	writePage(w, page, total, lq)
}

// writePage sends body, one page of total items, with the paging headers.
func writePage(w http.ResponseWriter, body any, total int, lq listQuery) {
	h := w.Header()
	h.Set("X-Total-Elements", strconv.Itoa(total))
	h.Set("X-Page-Number", strconv.Itoa(lq.page))
	h.Set("X-Page-Size", strconv.Itoa(lq.limit))
	writeJSON(w, http.StatusOK, body)
}
