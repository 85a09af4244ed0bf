package mockserver

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// PUT /_mock/state takes what a -seed file holds, thousands of instances (several MiB),
// and still refuses a body past its bound; API bodies keep theirs.
func TestPutLargeState(t *testing.T) {
	t.Parallel()
	ts := NewTestServer(t)
	var b strings.Builder
	b.WriteString(`{"schemas": [{"org": "o", "project": "p", "schema": {"identifier": "s", "name": "S", "changelog": {"connector": "c", "location": "l", "repo": "r"}}}], "instances": [`)
	const n = 6000
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `{"org": "o", "project": "p", "schema": "s", "instance": {"identifier": "instance_%d", "name": "Instance %d", "connector": "org.jdbc_pg", "branch": "main", "tags": {"env": "bench"}, "substituteProperties": {"DB_NAME": "db_%d"}}}`, i, i, i)
	}
	b.WriteString("]}")
	if b.Len() <= maxBody {
		t.Fatalf("the state is %d bytes, no more than an API body may be", b.Len())
	}
	expect(t, call(t, ts, "PUT", "/_mock/state", b.String()), http.StatusOK)
	if got := len(ts.Snapshot().Instances); got != n {
		t.Fatalf("%d instances after PUT /_mock/state, want %d", got, n)
	}
	expectError(t, call(t, ts, "PUT", "/_mock/state", strings.Repeat(" ", maxStateBody+1)), http.StatusBadRequest, "larger than")
	ts.AllowBadRequests() // the contract, too, refuses the oversized API body below
	expectError(t, call(t, ts, "POST", proj+"/dbschema", strings.Repeat(" ", maxBody+1)), http.StatusBadRequest, "larger than")
}
