package provider

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
	"github.com/dbdevops/terraform-provider-harness/internal/mockserver"
)

// checkMockInstance runs fn on the mock's copy of an instance; a missing one fails.
func checkMockInstance(srv *mockserver.TestServer, schema, id string, fn func(mockserver.Instance) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		in, ok := srv.Instance(acctest.DBTestOrg, acctest.DBTestProject, schema, id)
		if !ok {
			return fmt.Errorf("DB instance %q of %q is not in the mock", id, schema)
		}
		return fn(in)
	}
}

// revisionIs checks that the mock holds exactly this branch, commit and tag.
func revisionIs(srv *mockserver.TestServer, branch, commit, tag string) resource.TestCheckFunc {
	return checkMockInstance(srv, "main", "pg", func(in mockserver.Instance) error {
		if in.Branch != branch || in.CommitSHA != commit || in.GitTag != tag {
			return fmt.Errorf("mock revision: branch %q, commitSha %q, gitTag %q; want %q, %q, %q",
				in.Branch, in.CommitSHA, in.GitTag, branch, commit, tag)
		}
		return nil
	})
}

func TestAccDBInstanceResource_lifecycle(t *testing.T) {
	srv := acctest.NewServer(t)
	sameCreated := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "org.jdbc_pg"
  branch     = "main"
  context    = "dev"
  tags       = { env = "dev" }
  substitute_properties = { DB_NAME = "orders" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionCreate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameCreated.AddStateValue(acctest.DBInstanceAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/main/pg")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("schema"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Postgres")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("connector"), knownvalue.StringExact("org.jdbc_pg")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("branch"), knownvalue.StringExact("main")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("commit_sha"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("git_tag"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("context"), knownvalue.StringExact("dev")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("tags"), acctest.KnownStringMap("env", "dev")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("substitute_properties"), acctest.KnownStringMap("DB_NAME", "orders")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("last_applied_tag"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("last_deployed_change_set_tag"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("created"), knownvalue.NotNull()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCreateInstance: 1, mockserver.RouteGetInstance: 0}),
					checkMockInstance(srv, "main", "pg", func(in mockserver.Instance) error {
						if in.Name != "Postgres" || in.Connector != "org.jdbc_pg" || in.Branch != "main" || in.Context != "dev" ||
							in.Tags["env"] != "dev" || in.SubstituteProperties["DB_NAME"] != "orders" {
							return fmt.Errorf("mock holds %+v", in)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: srv.ResetRequests,
				Config: acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres primary"
  connector  = "account.jdbc_pg"
  branch     = "release"
  context    = "prod"
  tags       = { env = "prod", tier = "1" }
  substitute_properties = { DB_NAME = "orders", SCHEMA = "public" }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("harness_dbops_db_schema.main", plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("created"), knownvalue.NotNull()),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameCreated.AddStateValue(acctest.DBInstanceAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("name"), knownvalue.StringExact("Postgres primary")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("connector"), knownvalue.StringExact("account.jdbc_pg")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("tags"), acctest.KnownStringMap("env", "prod", "tier", "1")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("substitute_properties"), acctest.KnownStringMap("DB_NAME", "orders", "SCHEMA", "public")),
					// The parent's instance_count moved from 0 to 1 on the server; refresh shows it without a diff.
					statecheck.ExpectKnownValue("harness_dbops_db_schema.main", tfjsonpath.New("instance_count"), knownvalue.Int64Exact(1)),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteGetInstance: 1, mockserver.RouteUpdateInstance: 1, mockserver.RouteCreateInstance: 0}),
					checkMockInstance(srv, "main", "pg", func(in mockserver.Instance) error {
						if in.Name != "Postgres primary" || in.Connector != "account.jdbc_pg" || in.Branch != "release" || in.Context != "prod" ||
							!maps.Equal(in.Tags, map[string]string{"env": "prod", "tier": "1"}) || in.SubstituteProperties["SCHEMA"] != "public" {
							return fmt.Errorf("mock holds %+v", in)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:      acctest.DBInstanceAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
			},
			{
				ResourceName:    acctest.DBInstanceAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// Switching between branch, commit_sha and git_tag clears the previous one on the
// server, and each shape imports with an empty plan.
func TestAccDBInstanceResource_revisionSwitch(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := func(revision string) string {
		return acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  `+revision)
	}
	step := func(revision string, check resource.TestCheckFunc, attr string, want knownvalue.Check) []resource.TestStep {
		return []resource.TestStep{
			{
				Config: cfg(revision),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New(attr), want),
				},
				Check: check,
			},
			{ResourceName: acctest.DBInstanceAddr, ImportState: true, ImportStateKind: resource.ImportCommandWithID, ImportStateVerify: true},
			{
				ResourceName: acctest.DBInstanceAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionNoop),
				}},
			},
		}
	}
	var steps []resource.TestStep
	// Each switch sends only the revision it sets (Harness clears the other two).
	body := func(rev string) resource.TestCheckFunc {
		return acctest.LastBodyIs(srv, mockserver.RouteUpdateInstance, `{"identifier":"pg","name":"Postgres",`+rev+`"connector":"jdbc_pg"}`)
	}
	steps = append(steps, step(`commit_sha = "0a1b2c3d"`, resource.ComposeAggregateTestCheckFunc(revisionIs(srv, "", "0a1b2c3d", ""),
		acctest.LastBodyIs(srv, mockserver.RouteCreateInstance, `{"identifier":"pg","name":"Postgres","commitSha":"0a1b2c3d","connector":"jdbc_pg"}`)),
		"commit_sha", knownvalue.StringExact("0a1b2c3d"))...)
	steps = append(steps, step(`branch = "main"`, resource.ComposeAggregateTestCheckFunc(revisionIs(srv, "main", "", ""), body(`"branch":"main",`)),
		"commit_sha", knownvalue.Null())...)
	steps = append(steps, step(`git_tag = "<+trigger.tag>"`, resource.ComposeAggregateTestCheckFunc(revisionIs(srv, "", "", "<+trigger.tag>"),
		body(`"gitTag":"\u003c+trigger.tag\u003e",`)), "branch", knownvalue.Null())...)
	// The schema's changelog is in Git: Harness would refuse an instance with no
	// revision, so the plan fails (TestAccDBInstanceResource_missingRevision has the
	// cases); the state keeps the git tag.
	steps = append(steps, resource.TestStep{
		Config:      cfg(``),
		ExpectError: acctest.ErrorText(`Missing changelog revision`),
	}, resource.TestStep{
		Config:   cfg(`git_tag = "<+trigger.tag>"`),
		PlanOnly: true,
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps:                    steps,
	})
}

// Removing tags, context, substitute_properties and the revision clears them on the
// server: the PUT sends each as empty (so that merging and replacing servers clear it).
func TestAccDBInstanceResource_clearValues(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.other.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  branch     = "main"
  context    = "dev"
  tags       = { env = "dev" }
  substitute_properties = { A = "1" }
`),
				Check: acctest.LastBodyIs(srv, mockserver.RouteCreateInstance,
					`{"identifier":"pg","name":"Postgres","tags":{"env":"dev"},"branch":"main","connector":"jdbc_pg","context":"dev","substituteProperties":{"A":"1"}}`),
			},
			{
				Config: acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.other.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("context"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("branch"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("substitute_properties"), knownvalue.MapExact(map[string]knownvalue.Check{})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.LastBodyIs(srv, mockserver.RouteUpdateInstance,
						`{"identifier":"pg","name":"Postgres","tags":{},"branch":"","connector":"jdbc_pg","context":"","substituteProperties":{}}`),
					checkMockInstance(srv, "other", "pg", func(in mockserver.Instance) error {
						if in.Context != "" || in.Branch != "" || len(in.Tags) != 0 || len(in.SubstituteProperties) != 0 {
							return fmt.Errorf("values not cleared on the server: %+v", in)
						}
						return nil
					})),
			},
		},
	})
}

// identifier and schema force a new instance; the old one is deleted.
func TestAccDBInstanceResource_replace(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := func(schema, id string) string {
		return acctest.DBInstanceConfig(srv, fmt.Sprintf(`
  schema     = harness_dbops_db_schema.%s.identifier
  identifier = %q
  name       = "Postgres"
  connector  = "jdbc_pg"
  branch     = "main"
`, schema, id))
	}
	gone := func(schema, id string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			if _, ok := srv.Instance(acctest.DBTestOrg, acctest.DBTestProject, schema, id); ok {
				return fmt.Errorf("the replaced instance %s/%s is still in the mock", schema, id)
			}
			return nil
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg("main", "pg")},
			{
				Config: cfg("main", "pg2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/main/pg2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(gone("main", "pg"),
					checkMockInstance(srv, "main", "pg2", func(mockserver.Instance) error { return nil })),
			},
			{
				Config: cfg("other", "pg2"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/other/pg2")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(gone("main", "pg2"),
					checkMockInstance(srv, "other", "pg2", func(mockserver.Instance) error { return nil })),
			},
		},
	})
}

// pgInstance is the body of a plain instance of schema main.
const pgInstance = `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  branch     = "main"
`

func TestAccDBInstanceResource_disappears(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBInstanceConfig(srv, pgInstance)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					if !srv.DeleteInstance(acctest.DBTestOrg, acctest.DBTestProject, "main", "pg") {
						t.Fatal("the instance was not in the mock")
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionCreate),
					plancheck.ExpectResourceAction("harness_dbops_db_schema.main", plancheck.ResourceActionNoop),
				}},
				Check: revisionIs(srv, "main", "", ""),
			},
		},
	})
}

// Changes made in Harness to configured values show as a diff and the apply restores
// them; what pipelines change (last applied tags, updated) never shows a diff.
func TestAccDBInstanceResource_drift(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBInstanceConfig(srv, `
  schema     = harness_dbops_db_schema.main.identifier
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
  branch     = "main"
  tags       = { env = "dev" }
`)
	update := func(fn func(*mockserver.Instance)) func() {
		return func() {
			if err := srv.UpdateInstance(acctest.DBTestOrg, acctest.DBTestProject, "main", "pg", fn); err != nil {
				t.Fatal(err)
			}
		}
	}
	restored := checkMockInstance(srv, "main", "pg", func(in mockserver.Instance) error {
		if in.Name != "Postgres" || in.Connector != "jdbc_pg" || !maps.Equal(in.Tags, map[string]string{"env": "dev"}) || in.Branch != "main" || in.GitTag != "" {
			return fmt.Errorf("drift not corrected: %+v", in)
		}
		return nil
	})
	driftStep := func(fn func(*mockserver.Instance), attr string, before any) resource.TestStep {
		return resource.TestStep{
			PreConfig: update(fn),
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(acctest.DBInstanceAddr, plancheck.ResourceActionUpdate),
				acctest.ExpectBefore(acctest.DBInstanceAddr, attr, before),
			}},
			Check: restored,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			driftStep(func(in *mockserver.Instance) { in.Name = "Renamed" }, "name", "Renamed"),
			driftStep(func(in *mockserver.Instance) { in.Tags = nil }, "tags", map[string]any{}),
			driftStep(func(in *mockserver.Instance) { in.Connector = "account.other_jdbc" }, "connector", "account.other_jdbc"),
			driftStep(func(in *mockserver.Instance) { in.Branch, in.GitTag = "", "v1.0" }, "git_tag", "v1.0"),
			{
				// A pipeline deployed: only computed values moved.
				PreConfig: update(func(in *mockserver.Instance) {
					in.LastAppliedTag, in.LastDeployedChangeSetTag, in.ToOnboard = "v7", "changeset-42", false
					in.Updated += 1000
				}),
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("last_applied_tag"), knownvalue.StringExact("v7")),
					statecheck.ExpectKnownValue(acctest.DBInstanceAddr, tfjsonpath.New("last_deployed_change_set_tag"), knownvalue.StringExact("changeset-42")),
				},
			},
		},
	})
}

func TestAccDBInstanceResource_conflictingRevisions(t *testing.T) {
	srv := acctest.NewServer(t)
	var steps []resource.TestStep
	for _, revs := range []string{
		`branch = "main"` + "\n" + `commit_sha = "abc"`,
		`branch = "main"` + "\n" + `git_tag = "v1"`,
		`commit_sha = "abc"` + "\n" + `git_tag = "v1"`,
		`branch = "main"` + "\n" + `commit_sha = "abc"` + "\n" + `git_tag = "v1"`,
	} {
		steps = append(steps, resource.TestStep{
			Config: acctest.DBInstanceConfig(srv, `
  schema     = "main"
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
`+revs),
			ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*` +
				acctest.WrappedText("These attributes cannot be configured together: [branch,commit_sha,git_tag]")),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("a plan-time error must not call the API; %d requests", n)
	}
}

func TestAccDBInstanceResource_invalidConfig(t *testing.T) {
	srv := acctest.NewServer(t)
	tests := []struct {
		body string
		want string
	}{
		{`schema = "main"` + "\n" + `identifier = "9pg"` + "\n" + `name = "x"` + "\n" + `connector = "c"`, `(?s)identifier.*must start with a letter`},
		{`schema = "overview"` + "\n" + `identifier = "pg"` + "\n" + `name = "x"` + "\n" + `connector = "c"`, `(?s)"overview" cannot be used`},
		{`schema = "main"` + "\n" + `identifier = "pg"` + "\n" + `name = "x"` + "\n" + `connector = "proj.c"`, `(?s)connector.*` + acctest.WrappedText(`prefixed with "org." or "account."`)},
		{`schema = "main"` + "\n" + `identifier = "pg"` + "\n" + `name = "x"` + "\n" + `connector = ""`, `(?s)connector.*must be a connector identifier`},
		{`schema = "main"` + "\n" + `identifier = "pg"` + "\n" + `name = "x"` + "\n" + `connector = "c"` + "\n" + `branch = ""`, `(?s)branch.*at least 1`},
		{`schema = "main"` + "\n" + `identifier = "pg"` + "\n" + `name = ""` + "\n" + `connector = "c"`, `(?s)name.*between 1 and 128`},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{Config: acctest.DBInstanceConfig(srv, tt.body), ExpectError: regexp.MustCompile(tt.want)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

func TestAccDBInstanceResource_badImportID(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBInstanceConfig(srv, `
  schema     = "main"
  identifier = "pg"
  name       = "Postgres"
  connector  = "jdbc_pg"
`)
	var steps []resource.TestStep
	for id, want := range map[string]string{
		"a/b/c":     `Expected import ID "org_id/project_id/schema_id/instance_id", got "a/b/c" (3 parts). Example: my_org/my_project/my_schema/my_instance`,
		"a/b/c/d/e": `got "a/b/c/d/e" (5 parts)`,
		"a/b//d":    `got "a/b//d" (part 3, schema_id, is empty)`,
		"/b/c/d":    `(part 1, org_id, is empty)`,
	} {
		steps = append(steps, resource.TestStep{
			Config:          cfg,
			ResourceName:    acctest.DBInstanceAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportCommandWithID,
			ImportStateId:   id,
			ExpectError:     regexp.MustCompile(`(?s)Invalid DB instance import ID.*` + acctest.WrappedText(want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

// A DELETE whose answer is lost after Harness deleted the instance is sent again, gets
// 404, and counts as done: the destroy succeeds, with exactly those two requests.
func TestAccDBInstanceResource_deleteAnswerLost(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBInstanceConfig(srv, pgInstance)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBInstancesDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.ResetRequests()
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteDeleteInstance, DropAfter: true, Times: 1})
				},
				Config:  cfg,
				Destroy: true,
				Check: func(*terraform.State) error {
					var got []string
					for _, r := range srv.Requests() {
						if r.Route == mockserver.RouteDeleteInstance {
							got = append(got, fmt.Sprintf("%d %s", r.Status, r.Fault))
						}
					}
					if want := []string{"204 drop-after", "404 "}; !slices.Equal(got, want) {
						return fmt.Errorf("instance DELETEs (status, fault) = %q, want %q", got, want)
					}
					return nil
				},
			},
		},
	})
}

// An update plan shows as unknown only what the update changes (updated): created, the
// parent's instance_count and the tags that pipelines move keep their values. When a
// pipeline moves them between the plan and the apply, the apply still succeeds (never
// "inconsistent result"), and the next refresh reads the new values without a diff.
func TestAccDBInstanceResource_quietUpdatePlan(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	c := newTFCLI(t)
	c.Write(map[string]string{"main.tf": acctest.OrdersConfig(srv, "", "harness_dbops_db_schema.orders.identifier", `context = "dev"`)})
	c.MustRun("apply", "-auto-approve")
	if err := srv.UpdateInstance("default", "p", "orders", "dev", func(in *mockserver.Instance) { in.LastAppliedTag = "v1" }); err != nil {
		t.Fatal(err)
	}
	c.Write(map[string]string{"main.tf": acctest.OrdersConfig(srv, `tags = { team = "db" }`, "harness_dbops_db_schema.orders.identifier", `context = "prod"`)})
	out := c.MustRun("plan", "-out=tfplan")
	var unknown []string
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, "(known after apply)") {
			unknown = append(unknown, strings.Fields(line)[1])
		}
	}
	if want := []string{"updated", "updated"}; !slices.Equal(unknown, want) {
		t.Fatalf("unknown in the update plan: %v, want %v (the schema's and the instance's updated):\n%s", unknown, want, out)
	}
	// A pipeline deploys and another instance appears before the apply.
	if err := srv.UpdateInstance("default", "p", "orders", "dev", func(in *mockserver.Instance) { in.LastAppliedTag, in.LastDeployedChangeSetTag = "v2", "cs-2" }); err != nil {
		t.Fatal(err)
	}
	if err := srv.PutInstance("default", "p", "orders", mockserver.Instance{Identifier: "qa", Name: "QA", Connector: "jdbc_qa", Branch: "main"}); err != nil {
		t.Fatal(err)
	}
	c.MustRun("apply", "tfplan")
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("plan after the apply:\n%s", out)
	}
	c.MustRun("apply", "-refresh-only", "-auto-approve")
	st := c.ShowState()
	if got := st["harness_dbops_db_instance.dev"].Values["last_applied_tag"]; got != "v2" {
		t.Errorf("last_applied_tag after a refresh = %v, want v2", got)
	}
	if got := st["harness_dbops_db_schema.orders"].Values["instance_count"]; got != float64(2) {
		t.Errorf("instance_count after a refresh = %v, want 2", got)
	}
}
