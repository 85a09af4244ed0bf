package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"
)

// maxPages stops a server that never stops answering full pages.
const maxPages = 10000

// maxListRestarts bounds how often listAll starts again because the list changed while
// it was read.
const maxListRestarts = 3

// listAll follows a list endpoint (a bare JSON array per page) page by page (pageAll).
//
// It asks for the oldest first (sort=created, order=ASC) rather than the API's default,
// newest first (created DESC): an entity created during the listing then lands on the
// last page instead of shifting every page by one, and the client depends on no default
// (the public descriptions of the instance list disagree on it).
func listAll[T any](ctx context.Context, c *Client, base call, pageSize int) ([]T, error) {
	q := url.Values{}
	for k, v := range base.query {
		q[k] = v
	}
	q.Set("sort", "created")
	q.Set("order", "ASC")
	base.query = q
	_, all, err := pageAll(ctx, c, base, pageSize, func(p *[]T) []T { return *p })
	return all, err
}

// pageAll follows a paged endpoint until X-Total-Elements items have come, or a page
// comes back short or empty. P is the answer of one page and items its items (the
// page itself for a list, a field of an object for the migration-state views); first
// is the first page's answer, for what the pages share.
//
// A total that changes between pages means an item came or went while the pages were
// read, which can shift an item across a page boundary (read twice, or never): the
// reading starts again, at most maxListRestarts times.
func pageAll[P, T any](ctx context.Context, c *Client, base call, pageSize int, items func(*P) []T) (first *P, all []T, err error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 100
	}
	for restarts := 0; ; restarts++ {
		first, all, changed, err := readPages(ctx, c, base, pageSize, items)
		if err != nil || !changed {
			return first, all, err
		}
		if restarts == maxListRestarts {
			return nil, nil, fmt.Errorf("%s %s: the list changed while it was read, %d times in a row; try again when fewer entities are being created or deleted",
				base.method, base.path, maxListRestarts+1)
		}
	}
}

// readPages reads every page once. changed reports that X-Total-Elements moved between
// pages.
//
// Once a page gives the total, the next pages it announces are fetched together,
// pageConcurrency of them (fetchPages): every read of a schema's instances in a plan
// waits for this list, and at 100 ms a call ten pages one after another are a second.
// They are then taken in order exactly as if read one by one: the same checks, the same
// stop at a short page, then the next pages together. A total that overstates the list
// costs at most pageConcurrency pages that reading one by one would not have asked for.
func readPages[P, T any](ctx context.Context, c *Client, base call, pageSize int, items func(*P) []T) (first *P, all []T, changed bool, err error) {
	firstTotal := -1
	var ahead []pageAnswer[P] // pages from, from+1, ... fetched together
	from := 0
	for page := 0; page < maxPages; page++ {
		var a pageAnswer[P]
		if i := page - from; i >= 0 && i < len(ahead) {
			a = ahead[i]
		} else {
			a = fetchPage[P](ctx, c, base, pageSize, page)
		}
		if a.err != nil {
			return nil, nil, false, a.err
		}
		got := items(a.answer)
		for i := range got {
			if ch, ok := any(&got[i]).(checker); ok {
				if err := ch.check(); err != nil {
					return nil, nil, false, &DecodeError{Method: base.method, Path: base.path, Status: http.StatusOK, Reason: fmt.Sprintf("item %d of page %d: %v", i, page, err)}
				}
			}
		}
		if first == nil {
			first = a.answer
		}
		all = append(all, got...)
		total, err := strconv.Atoi(a.header.Get("X-Total-Elements"))
		if err == nil {
			if firstTotal < 0 {
				firstTotal = total
			}
			if total != firstTotal {
				return nil, nil, true, nil
			}
		}
		if len(got) < pageSize || (err == nil && len(all) >= total) {
			return first, all, false, nil
		}
		if next := page + 1; err == nil && next-from >= len(ahead) {
			announced := min((total+pageSize-1)/pageSize, maxPages)
			ahead, from = fetchPages[P](ctx, c, base, pageSize, next, min(announced-next, pageConcurrency)), next
		}
	}
	return nil, nil, false, fmt.Errorf("%s %s: more than %d pages; giving up", base.method, base.path, maxPages)
}

// pageConcurrency is how many pages of one list readPages asks for together: about what
// Terraform's default -parallelism asks of the API for the reads the list replaces.
const pageConcurrency = 8

// pageAnswer is one page: its decoded answer and headers, or the error of reading it.
type pageAnswer[P any] struct {
	answer *P
	header http.Header
	err    error
}

func fetchPage[P any](ctx context.Context, c *Client, base call, pageSize, page int) pageAnswer[P] {
	q := url.Values{}
	for k, v := range base.query {
		q[k] = v
	}
	q.Set("page", strconv.Itoa(page))
	q.Set("limit", strconv.Itoa(pageSize))
	a := pageAnswer[P]{answer: new(P)}
	cl := base
	cl.query, cl.out, cl.header = q, a.answer, &a.header
	a.err = c.do(ctx, cl)
	return a
}

// fetchPages fetches the n pages from page first at once and returns them in order. A
// page that fails does not stop the others: readPages reports the first failed page in
// order, as reading them one by one would.
func fetchPages[P any](ctx context.Context, c *Client, base call, pageSize, first, n int) []pageAnswer[P] {
	out := make([]pageAnswer[P], max(n, 0))
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() { out[i] = fetchPage[P](ctx, c, base, pageSize, first+i) })
	}
	wg.Wait()
	return out
}
