package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// maxPages stops a server that never stops answering full pages.
const maxPages = 10000

// maxListRestarts bounds how often listAll starts again because the list changed while
// it was read.
const maxListRestarts = 3

// listAll follows a list endpoint page by page until X-Total-Elements items have come,
// or a page comes back short or empty.
//
// It asks for the oldest first (sort=created, order=ASC) rather than the API's default,
// newest first (created DESC): an entity created during the listing then lands on the
// last page instead of shifting every page by one, and the client depends on no default
// (the public descriptions of the instance list disagree on it). A total that changes
// between pages means an entity came or went while the list was read, which can shift
// an item across a page boundary (listed twice, or never): the listing starts again,
// at most maxListRestarts times.
func listAll[T any](ctx context.Context, c *Client, base call, pageSize int) ([]T, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 100
	}
	for restarts := 0; ; restarts++ {
		all, changed, err := listPages[T](ctx, c, base, pageSize)
		if err != nil || !changed {
			return all, err
		}
		if restarts == maxListRestarts {
			return nil, fmt.Errorf("%s %s: the list changed while it was read, %d times in a row; try again when fewer entities are being created or deleted",
				base.method, base.path, maxListRestarts+1)
		}
	}
}

// listPages reads every page once. changed reports that X-Total-Elements moved between
// pages.
func listPages[T any](ctx context.Context, c *Client, base call, pageSize int) (all []T, changed bool, err error) {
	firstTotal := -1
	for page := 0; page < maxPages; page++ {
		q := url.Values{}
		for k, v := range base.query {
			q[k] = v
		}
		q.Set("sort", "created")
		q.Set("order", "ASC")
		q.Set("page", strconv.Itoa(page))
		q.Set("limit", strconv.Itoa(pageSize))
		var items []T
		var header http.Header
		cl := base
		cl.query, cl.out, cl.header = q, &items, &header
		if err := c.do(ctx, cl); err != nil {
			return nil, false, err
		}
		for i := range items {
			if ch, ok := any(&items[i]).(checker); ok {
				if err := ch.check(); err != nil {
					return nil, false, &DecodeError{Method: base.method, Path: base.path, Status: http.StatusOK, Reason: fmt.Sprintf("item %d of page %d: %v", i, page, err)}
				}
			}
		}
		all = append(all, items...)
		total, err := strconv.Atoi(header.Get("X-Total-Elements"))
		if err == nil {
			if firstTotal < 0 {
				firstTotal = total
			}
			if total != firstTotal {
				return nil, true, nil
			}
		}
		if len(items) < pageSize || (err == nil && len(all) >= total) {
			return all, false, nil
		}
	}
	return nil, false, fmt.Errorf("%s %s: more than %d pages; giving up", base.method, base.path, maxPages)
}
