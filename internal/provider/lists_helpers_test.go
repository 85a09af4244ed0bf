package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// serverOrderIsNotIdentifiers sends the mock the first list request of route that the
// provider sent again, and fails unless the mock answers in an order other than by
// identifier: a test of the list data sources' own sorting must not pass because the
// server happened to sort the same way.
func serverOrderIsNotIdentifiers(srv *mockserver.TestServer, route string) func(*terraform.State) error {
	return func(*terraform.State) error {
		i := slices.IndexFunc(srv.Requests(), func(r mockserver.RequestRecord) bool { return r.Route == route })
		if i < 0 {
			return fmt.Errorf("the provider sent no %s", route)
		}
		sent := srv.Requests()[i]
		req, err := http.NewRequestWithContext(context.Background(), sent.Method, srv.URL+sent.Path+"?"+sent.Query, strings.NewReader(sent.Body))
		if err != nil {
			return err
		}
		req.Header = sent.Header.Clone()
		req.Header.Set("x-api-key", srv.APIKey) // the log masks it
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer func() { _ = res.Body.Close() }()
		b, err := io.ReadAll(res.Body)
		if err != nil {
			return err
		}
		var page []struct{ Identifier string }
		if err := json.Unmarshal(b, &page); err != nil {
			return fmt.Errorf("%s answered %s: %w", route, b, err)
		}
		ids := make([]string, len(page))
		for i, p := range page {
			ids[i] = p.Identifier
		}
		if len(ids) < 2 || slices.IsSorted(ids) {
			return fmt.Errorf("the mock answered %s?%s in identifier order (%d items from %s): the test proves nothing about the provider's sorting", route, sent.Query, len(ids), ids[0])
		}
		return nil
	}
}
