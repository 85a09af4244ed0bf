package client

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// changeSetAnswer is a changeset as the contract describes it.
func changeSetAnswer(id, status string, deployedAt int64, run string) string {
	return `{"changeSet":"` + id + `","changeSetFQN":"c.yaml::` + id + `::ann","author":"ann","fileName":"c.yaml","status":"` + status +
		`","deployedAt":` + strconv.FormatInt(deployedAt, 10) + `,"pipeline":"deploy","planExecutionId":"` + run + `","stageExecutionId":"s"}`
}

func stateAnswer(items ...string) string {
	return `{"schemaName":"S","instanceName":"I","changeSets":[` + strings.Join(items, ",") + `]}`
}

// Times are epoch seconds; milliseconds (a Java server's habit), microseconds and
// nanoseconds read as the same instant; 0 is unknown.
func TestEpochTime(t *testing.T) {
	want := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, v := range []int64{want.Unix(), want.UnixMilli(), want.UnixMicro(), want.UnixNano()} {
		if got := EpochTime(v); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("EpochTime(%d) = %v, want %v", v, got, want)
		}
	}
	for _, v := range []int64{1, 99_999_999_999} { // 1970 and the year 5138 are still seconds
		if got := EpochTime(v); got.Unix() != v {
			t.Errorf("EpochTime(%d) = %v, want seconds", v, got)
		}
	}
	if !EpochTime(0).IsZero() || (ChangeSet{DeployedAt: want.UnixMilli()}).DeployedTime() != want {
		t.Error("0 is not the zero time, or DeployedTime does not read milliseconds")
	}
}

// A server may answer 404 for an instance with no history: the client reads the
// instance, and when it exists, returns an empty state. When it does not, the view's
// own 404 stands.
func TestInstanceMigrationStateReadsA404AsNoHistory(t *testing.T) {
	for _, exists := range []bool{true, false} {
		var views, reads atomic.Int32
		c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case strings.HasSuffix(r.URL.Path, "/dbinstance/i1/migrationstate"), strings.HasSuffix(r.URL.Path, "/dbinstance/i1/flyway/migrationstate"):
				views.Add(1)
				jsonReply(w, 404, `{"message":"no migration state for instance i1"}`)
			case strings.HasSuffix(r.URL.Path, "/instance/i1") && exists:
				reads.Add(1)
				jsonReply(w, 200, instanceAnswer("i1", "Orders (dev)"))
			default:
				reads.Add(1)
				jsonReply(w, 404, `{"message":"database instance \"i1\" not found"}`)
			}
		}))
		got, err := c.GetInstanceMigrationState(context.Background(), "o", "p", "s", "i1", MigrationStateOptions{})
		fw, fwErr := c.GetInstanceFlywayMigrationState(context.Background(), "o", "p", "s", "i1", MigrationStateOptions{})
		switch {
		case views.Load() != 2 || reads.Load() != 2:
			t.Errorf("exists %v: %d view calls and %d instance reads, want 2 and 2", exists, views.Load(), reads.Load())
		case exists && (err != nil || fwErr != nil || got.ChangeSets == nil || len(got.ChangeSets) != 0 || got.InstanceName != "Orders (dev)" || len(fw.Migrations) != 0):
			t.Errorf("an instance that exists, and a 404: %+v %v; %+v %v", got, err, fw, fwErr)
		case !exists && (!IsNotFound(err) || !strings.Contains(err.Error(), "no migration state for instance i1") || !IsNotFound(fwErr)):
			t.Errorf("an instance that does not exist: %v; %v", err, fwErr)
		}
	}
}

// Answers are checked, not trusted: a stray object (retried as a garbled read, then
// reported) or an item without its key or its status (reported, as a list's stray
// item is) is a DecodeError naming the call; null lists, unknown fields and a status
// Harness may add later are fine.
func TestMigrationStateAnswersAreChecked(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, body string
		want       string // "" for no error
		calls      int32
	}{
		{"stray object", `{}`, "the answer has none of the keys of an instance's migration state", 4},
		{"envelope", `{"status":"SUCCESS","data":{"changeSets":[]}}`, "the answer has none of the keys", 4},
		{"item without key", stateAnswer(changeSetAnswer("a", StatusRolledBack, 1, "r"), `{"status":"Not_Deployed"}`), "item 1 of page 0: a changeset with neither changeSet nor changeSetFQN", 1},
		{"item without status", stateAnswer(`{"changeSet":"a"}`), "item 0 of page 0: no status", 1},
		{"null changesets", `{"schemaName":"S","instanceName":"I","changeSets":null}`, "", 1},
		{"a status Harness adds later", stateAnswer(changeSetAnswer("a", "Skipped", 1, "r")), "", 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h, n := scripted(func(w http.ResponseWriter) {
				offContract(w, "answers the client must check or tolerate")
				pageReply(w, 1, 0, 100, tt.body)
			})
			got, err := newTestClient(t, h).GetInstanceMigrationState(ctx, "o", "p", "s", "i", MigrationStateOptions{})
			var de *DecodeError
			switch {
			case n.Load() != tt.calls:
				t.Errorf("%d calls, want %d", n.Load(), tt.calls)
			case tt.want == "" && (err != nil || got.ChangeSets == nil):
				t.Errorf("err = %v, state %+v", err, got)
			case tt.want != "" && (!errors.As(err, &de) || !strings.Contains(err.Error(), tt.want) ||
				!strings.Contains(err.Error(), "GET /v1/orgs/o/projects/p/dbschema/s/dbinstance/i/migrationstate")):
				t.Errorf("err = %v, want a DecodeError with %q", err, tt.want)
			}
		})
	}
}

// A changeset recorded while the client reads shifts the pages: the total moved, so the
// client reads again from the first page and returns every changeset once.
func TestMigrationStateStartsAgainWhenItChanges(t *testing.T) {
	var calls atomic.Int32
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(calls.Add(1))
		total := 3
		if n >= 2 { // a run records a fourth changeset, at the front, after the first page
			total = 4
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		ids := []string{"a", "b", "c"}
		if total == 4 {
			ids = []string{"z", "a", "b", "c"}
		}
		var items []string
		for i := page * 2; i < min(page*2+2, total); i++ {
			items = append(items, changeSetAnswer(ids[i], StatusSuccessfullyDeployed, 1, "r"))
		}
		pageReply(w, total, page, 2, stateAnswer(items...))
	}))
	got, err := c.GetInstanceMigrationState(context.Background(), "o", "p", "s", "i", MigrationStateOptions{PageSize: 2})
	var ids []string
	if err == nil {
		for _, cs := range got.ChangeSets {
			ids = append(ids, cs.ChangeSet)
		}
	}
	if err != nil || strings.Join(ids, ",") != "z,a,b,c" || calls.Load() != 4 {
		t.Errorf("got %v, %v after %d calls; want z,a,b,c after 4", ids, err, calls.Load())
	}
}

// The schema views send their filter as the body ({} without one), and a server that
// leaves out an instance asked for, instead of a 404, is caught: a
// MissingInstancesError naming it. A changeset without a column for an instance is
// Not_Deployed there.
func TestSchemaMigrationStateFilter(t *testing.T) {
	var bodies []string
	c := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		pageReply(w, 1, 0, 100, `{"schema":"s","instances":[{"identifier":"prod","name":"Prod"}],"changeSets":[`+
			`{"changeSet":"a","changeSetFQN":"c.yaml::a::ann","author":"ann","fileName":"c.yaml","synced":true,"updated":1767225600000,"instances":[`+
			`{"instance":"prod","status":"Successfully_Deployed","pipeline":"p","planExecutionId":"e","stageExecutionId":"s","updated":1767225600000}]}]}`)
	}))
	ctx := context.Background()
	st, err := c.GetSchemaMigrationState(ctx, "o", "p", "s", SchemaMigrationStateOptions{})
	if err != nil || st.ChangeSets[0].StatusOn("prod").Status != StatusSuccessfullyDeployed || st.ChangeSets[0].StatusOn("dev").Status != StatusNotDeployed ||
		st.ChangeSets[0].UpdatedTime().Year() != 2026 || st.ChangeSets[0].StatusOn("prod").UpdatedTime().Year() != 2026 {
		t.Errorf("unfiltered: %+v, %v", st, err)
	}
	_, err = c.GetSchemaMigrationState(ctx, "o", "p", "s", SchemaMigrationStateOptions{Instances: []string{"prod", "qa"}})
	var mi *MissingInstancesError
	if !errors.As(err, &mi) || strings.Join(mi.Instances, ",") != "qa" || mi.Answer != nil || mi.Schema != "s" ||
		err.Error() != `POST /v1/orgs/o/projects/p/dbschema/s/migrationstate: schema "s" has no instance qa` {
		t.Errorf("an instance left out: %v", err)
	}
	if len(bodies) != 2 || bodies[0] != `{}` || bodies[1] != `{"instanceFilter":{"instances":["prod","qa"]}}` {
		t.Errorf("bodies sent: %q", bodies)
	}
}

// Harness keeps one record per changeset; a server that keeps one per execution reads
// the same through LatestChangeSets: the latest of each, where it first appears.
func TestLatestChangeSets(t *testing.T) {
	cs := func(id, status string, at int64) ChangeSet {
		return ChangeSet{ChangeSet: id, Author: "ann", FileName: "c.yaml", Status: status, DeployedAt: at}
	}
	got := LatestChangeSets([]ChangeSet{
		cs("a", StatusDeploymentFailed, 10), cs("b", StatusSuccessfullyDeployed, 11),
		cs("a", StatusSuccessfullyDeployed, 20_000), // milliseconds: 20 s, later than 10 s
		cs("b", StatusRolledBack, 11),               // the same time: the later in the list
		cs("a", StatusRolledBack, 15),               // earlier than 20 s: kept out
	})
	var s []string
	for _, c := range got {
		s = append(s, c.ChangeSet+"="+c.Status)
	}
	if strings.Join(s, " ") != "a=Successfully_Deployed b=Rolled_Back" {
		t.Errorf("LatestChangeSets: %v", s)
	}
	fw := LatestFlywayMigrations([]FlywayMigration{{Version: "1", Status: StatusDeploymentFailed, DeployedAt: 1}, {Description: "views", Status: StatusNotDeployed},
		{Version: "1", Status: StatusSuccessfullyDeployed, DeployedAt: 2}})
	if len(fw) != 2 || fw[0].Status != StatusSuccessfullyDeployed || fw[1].Key() != "repeatable::views" {
		t.Errorf("LatestFlywayMigrations: %+v", fw)
	}
}
