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

// listAll follows a list endpoint page by page until X-Total-Elements items have come,
// or a page comes back short or empty.
func listAll[T any](ctx context.Context, c *Client, base call, pageSize int) ([]T, error) {
	if pageSize <= 0 || pageSize > 100 {
		pageSize = 100
	}
	var all []T
	for page := 0; page < maxPages; page++ {
		q := url.Values{}
		for k, v := range base.query {
			q[k] = v
		}
		q.Set("page", strconv.Itoa(page))
		q.Set("limit", strconv.Itoa(pageSize))
		var items []T
		var header http.Header
		cl := base
		cl.query, cl.out, cl.header = q, &items, &header
		if err := c.do(ctx, cl); err != nil {
			return nil, err
		}
		for i := range items {
			if ch, ok := any(&items[i]).(checker); ok {
				if err := ch.check(); err != nil {
					return nil, &DecodeError{Method: base.method, Path: base.path, Status: http.StatusOK, Reason: fmt.Sprintf("item %d of page %d: %v", i, page, err)}
				}
			}
		}
		all = append(all, items...)
		total, err := strconv.Atoi(header.Get("X-Total-Elements"))
		if len(items) < pageSize || (err == nil && len(all) >= total) {
			return all, nil
		}
	}
	return nil, fmt.Errorf("%s %s: more than %d pages; giving up", base.method, base.path, maxPages)
}
