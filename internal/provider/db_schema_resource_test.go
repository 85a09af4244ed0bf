package provider

import (
	"fmt"
	"maps"
	"regexp"
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

// checkMockSchema runs fn on the mock's copy of a schema; a missing one fails.
func checkMockSchema(srv *mockserver.TestServer, id string, fn func(mockserver.Schema) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		s, ok := srv.Schema(acctest.DBTestOrg, acctest.DBTestProject, id)
		if !ok {
			return fmt.Errorf("DB schema %q is not in the mock", id)
		}
		return fn(s)
	}
}

func TestAccDBSchemaResource_lifecycle(t *testing.T) {
	srv := acctest.NewServer(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	sameCreated := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: acctest.DBSchemaConfig(srv, `
  identifier  = "orders"
  name        = "Orders"
  service     = "orders_svc"
  use_percona = true
  tags        = { team = "payments", env = "dev" }
  schema_source = {
    connector = "account.github"
    repo      = "db-changelogs"
    location  = "orders/changelog.yaml"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionCreate),
					// type is computed from the block at plan time, not "known after apply".
					plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Repository")),
					plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("migration_type"), knownvalue.StringExact("Liquibase")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(acctest.DBSchemaAddr, tfjsonpath.New("id")),
					sameCreated.AddStateValue(acctest.DBSchemaAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/orders")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("name"), knownvalue.StringExact("Orders")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("service"), knownvalue.StringExact("orders_svc")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("use_percona"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("tags"), acctest.KnownStringMap("team", "payments", "env", "dev")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Repository")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("connector"), knownvalue.StringExact("account.github")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("archive_path"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("changelog_script"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("Git")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("parent_id"), knownvalue.StringRegexp(regexp.MustCompile(`^\S{22}$`))),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("created"), knownvalue.Int64Func(func(v int64) error {
						if v <= 0 {
							return fmt.Errorf("created = %d, want epoch seconds", v)
						}
						return nil
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// One POST and no follow-up GET: state comes from the create answer.
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteCreateSchema: 1, mockserver.RouteGetSchema: 0}),
					checkMockSchema(srv, "orders", func(s mockserver.Schema) error {
						if s.Changelog == nil || s.Changelog.Connector != "account.github" || s.Changelog.Repo != "db-changelogs" ||
							s.Service != "orders_svc" || !s.UsePercona || s.Tags["team"] != "payments" || s.Type != "Repository" {
							return fmt.Errorf("mock holds %+v (changelog %+v)", s, s.Changelog)
						}
						return nil
					}),
				),
			},
			{
				PreConfig: srv.ResetRequests,
				Config: acctest.DBSchemaConfig(srv, `
  identifier  = "orders"
  name        = "Orders v2"
  service     = "orders_svc"
  use_percona = true
  tags        = { team = "payments", env = "prod" }
  schema_source = {
    connector    = "artifactory"
    location     = "orders/changelog.yaml"
    archive_path = "libs/orders.zip"
    toml         = "flyway.toml"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionUpdate),
					// created and parent_id cannot change: they stay known in the plan.
					plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("parent_id"), knownvalue.NotNull()),
					plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("created"), knownvalue.NotNull()),
					plancheck.ExpectUnknownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(acctest.DBSchemaAddr, tfjsonpath.New("id")),
					sameCreated.AddStateValue(acctest.DBSchemaAddr, tfjsonpath.New("created")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("name"), knownvalue.StringExact("Orders v2")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("tags"), acctest.KnownStringMap("team", "payments", "env", "prod")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("repo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("archive_path"), knownvalue.StringExact("libs/orders.zip")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("toml"), knownvalue.StringExact("flyway.toml")),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("Artifactory")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// The refresh of the plan, one PUT, and no follow-up GET.
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteGetSchema: 1, mockserver.RouteUpdateSchema: 1, mockserver.RouteCreateSchema: 0}),
					checkMockSchema(srv, "orders", func(s mockserver.Schema) error {
						if s.Name != "Orders v2" || s.Tags["env"] != "prod" || s.Changelog.Repo != "" || s.Changelog.ArchivePath != "libs/orders.zip" {
							return fmt.Errorf("mock holds %+v (changelog %+v)", s, s.Changelog)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:      acctest.DBSchemaAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateVerify: true,
			},
			{
				ResourceName:    acctest.DBSchemaAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionNoop),
				}},
			},
		},
	})
}

// A script schema (Flyway, with toml) round-trips every attribute through import, and
// switching it to Harness Code Repository is an in-place update that imports cleanly
// with connector omitted.
func TestAccDBSchemaResource_scriptAndHarnessCode(t *testing.T) {
	srv := acctest.NewServer(t)
	script := `
  identifier     = "scripted"
  name           = "Scripted"
  migration_type = "Flyway"
  changelog_script = {
    image    = "plugins/image:latest"
    command  = "curl -sO https://example.com/changelog.sql"
    shell    = "Sh"
    location = "changelog.sql"
    toml     = "flyway.toml"
  }
`
	hcr := `
  identifier     = "scripted"
  name           = "Scripted"
  migration_type = "Flyway"
  schema_source = {
    repo     = "changelogs"
    location = "db/changelog.sql"
  }
`
	importSteps := func() []resource.TestStep {
		return []resource.TestStep{
			{ResourceName: acctest.DBSchemaAddr, ImportState: true, ImportStateKind: resource.ImportCommandWithID, ImportStateVerify: true},
			{
				ResourceName: acctest.DBSchemaAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID,
				ImportPlanChecks: resource.ImportPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionNoop),
				}},
			},
		}
	}
	steps := []resource.TestStep{{
		Config: acctest.DBSchemaConfig(srv, script),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Script")),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Script")),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("migration_type"), knownvalue.StringExact("Flyway")),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("changelog_script"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"image":    knownvalue.StringExact("plugins/image:latest"),
				"command":  knownvalue.StringExact("curl -sO https://example.com/changelog.sql"),
				"shell":    knownvalue.StringExact("Sh"),
				"location": knownvalue.StringExact("changelog.sql"),
				"toml":     knownvalue.StringExact("flyway.toml"),
			})),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source"), knownvalue.Null()),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("Custom")),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("service"), knownvalue.Null()),
		},
		Check: acctest.LastBodyIs(srv, mockserver.RouteCreateSchema, `{"identifier":"scripted","name":"Scripted","changeLogScript":`+
			`{"image":"plugins/image:latest","command":"curl -sO https://example.com/changelog.sql","shell":"Sh","location":"changelog.sql","toml":"flyway.toml"},`+
			`"type":"Script","migrationType":"Flyway"}`),
	}}
	steps = append(steps, importSteps()...)
	steps = append(steps, resource.TestStep{
		Config: acctest.DBSchemaConfig(srv, hcr),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Repository")),
		}},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("changelog_script"), knownvalue.Null()),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("connector"), knownvalue.Null()),
			statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("HarnessCode")),
		},
		Check: resource.ComposeAggregateTestCheckFunc(
			// Harness Code: an empty connector; the stored migrationType is sent again.
			acctest.LastBodyIs(srv, mockserver.RouteUpdateSchema, `{"identifier":"scripted","name":"Scripted",`+
				`"changelog":{"connector":"","location":"db/changelog.sql","repo":"changelogs"},"type":"Repository","migrationType":"Flyway"}`),
			checkMockSchema(srv, "scripted", func(s mockserver.Schema) error {
				if s.Type != "Repository" || s.ChangeLogScript != nil || s.Changelog == nil || s.Changelog.Connector != "" || s.Changelog.Repo != "changelogs" {
					return fmt.Errorf("mock holds type %q, script %+v, changelog %+v", s.Type, s.ChangeLogScript, s.Changelog)
				}
				return nil
			})),
	})
	steps = append(steps, importSteps()...)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps:                    steps,
	})
}

// connector = "" (the official provider's way to say Harness Code Repository) is as
// stable as an omitted connector, and switching between them and a connector works.
func TestAccDBSchemaResource_emptyConnector(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := func(connector string) string {
		return acctest.DBSchemaConfig(srv, `
  identifier = "hcr"
  name       = "HCR"
  schema_source = {
    `+connector+`
    repo     = "changelogs"
    location = "changelog.yaml"
  }
`)
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: cfg(`connector = ""`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("connector"), knownvalue.StringExact("")),
				},
			},
			{Config: cfg(`connector = ""`), PlanOnly: true},
			{
				Config: cfg(`connector = "github"`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionUpdate),
				}},
				Check: checkMockSchema(srv, "hcr", func(s mockserver.Schema) error {
					if s.Changelog.Connector != "github" {
						return fmt.Errorf("mock connector = %q, want github", s.Changelog.Connector)
					}
					return nil
				}),
			},
			{
				// Back to Harness Code Repository by omitting the connector: it is cleared.
				Config: cfg(``),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("connector"), knownvalue.Null()),
				},
				Check: checkMockSchema(srv, "hcr", func(s mockserver.Schema) error {
					if s.Changelog.Connector != "" {
						return fmt.Errorf("mock connector = %q, want empty (Harness Code Repository)", s.Changelog.Connector)
					}
					return nil
				}),
			},
		},
	})
}

// Removing tags, service, use_percona and toml from the configuration clears them on
// the server, not just in state.
func TestAccDBSchemaResource_clearValues(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{
				Config: acctest.DBSchemaConfig(srv, `
  identifier  = "full"
  name        = "Full"
  service     = "svc"
  use_percona = true
  tags        = { a = "1" }
  schema_source = {
    connector = "github"
    repo      = "r"
    location  = "changelog.yaml"
    toml      = "x.toml"
  }
`),
				Check: acctest.LastBodyIs(srv, mockserver.RouteCreateSchema, `{"identifier":"full","name":"Full","tags":{"a":"1"},`+
					`"changelog":{"connector":"github","location":"changelog.yaml","repo":"r","toml":"x.toml"},"service":"svc",`+
					`"type":"Repository","migrationType":"Liquibase","usePercona":true}`),
			},
			{
				Config: acctest.DBSchemaConfig(srv, `
  identifier = "full"
  name       = "Full"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionUpdate),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("tags"), knownvalue.MapExact(map[string]knownvalue.Check{})),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("service"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("use_percona"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("repo"), knownvalue.Null()),
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source").AtMapKey("toml"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					// Each removed value is sent empty, so that Harness clears it whether it merges or replaces a PUT.
					acctest.LastBodyIs(srv, mockserver.RouteUpdateSchema, `{"identifier":"full","name":"Full","tags":{},`+
						`"changelog":{"connector":"github","location":"changelog.yaml","repo":"","toml":""},"service":"",`+
						`"type":"Repository","migrationType":"Liquibase","usePercona":false}`),
					checkMockSchema(srv, "full", func(s mockserver.Schema) error {
						if len(s.Tags) != 0 || s.Service != "" || s.UsePercona || s.Changelog.Repo != "" || s.Changelog.TOML != "" {
							return fmt.Errorf("values not cleared on the server: tags %v, service %q, usePercona %v, changelog %+v",
								s.Tags, s.Service, s.UsePercona, s.Changelog)
						}
						return nil
					})),
			},
			{
				// An explicit empty map is the same as no tags: no diff.
				Config: acctest.DBSchemaConfig(srv, `
  identifier = "full"
  name       = "Full"
  tags       = {}
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`),
				PlanOnly: true,
			},
		},
	})
}

// identifier and migration_type force a new resource; the old schema is deleted.
func TestAccDBSchemaResource_replace(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := func(id, migration string) string {
		return acctest.DBSchemaConfig(srv, fmt.Sprintf(`
  identifier     = %q
  name           = "Replace me"
  migration_type = %q
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`, id, migration))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg("first", "Liquibase")},
			{
				Config: cfg("second", "Liquibase"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionReplace),
					plancheck.ExpectUnknownValue(acctest.DBSchemaAddr, tfjsonpath.New("id")),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("id"), knownvalue.StringExact("default/default_project/second")),
				},
				Check: func(*terraform.State) error {
					if _, ok := srv.Schema(acctest.DBTestOrg, acctest.DBTestProject, "first"); ok {
						return fmt.Errorf("the replaced schema %q is still in the mock", "first")
					}
					if _, ok := srv.Schema(acctest.DBTestOrg, acctest.DBTestProject, "second"); !ok {
						return fmt.Errorf("the new schema %q is not in the mock", "second")
					}
					return nil
				},
			},
			{
				PreConfig: srv.ResetRequests,
				Config:    cfg("second", "Flyway"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionReplace),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("migration_type"), knownvalue.StringExact("Flyway")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					acctest.RouteCounts(srv, map[string]int{mockserver.RouteDeleteSchema: 1, mockserver.RouteCreateSchema: 1, mockserver.RouteUpdateSchema: 0}),
					checkMockSchema(srv, "second", func(s mockserver.Schema) error {
						if s.MigrationType != "Flyway" {
							return fmt.Errorf("mock migrationType = %q, want Flyway", s.MigrationType)
						}
						return nil
					}),
				),
			},
		},
	})
}

// A schema deleted behind Terraform's back leaves state with a warning, plans a
// create, and the next apply creates it again.
func TestAccDBSchemaResource_disappears(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBSchemaConfig(srv, `
  identifier = "ghost"
  name       = "Ghost"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					if !srv.DeleteSchema(acctest.DBTestOrg, acctest.DBTestProject, "ghost") {
						t.Fatal("the schema was not in the mock")
					}
				},
				Config:             cfg,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionCreate),
				}},
				Check: checkMockSchema(srv, "ghost", func(s mockserver.Schema) error {
					if s.Name != "Ghost" {
						return fmt.Errorf("recreated schema has name %q", s.Name)
					}
					return nil
				}),
			},
		},
	})
}

// Changes made in Harness to configured values show as a diff and the apply restores
// them; changes to computed values only (pipelines, instances) never show a diff.
func TestAccDBSchemaResource_drift(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBSchemaConfig(srv, `
  identifier = "drifty"
  name       = "Drifty"
  tags       = { env = "dev" }
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`)
	update := func(fn func(*mockserver.Schema)) func() {
		return func() {
			if err := srv.UpdateSchema(acctest.DBTestOrg, acctest.DBTestProject, "drifty", fn); err != nil {
				t.Fatal(err)
			}
		}
	}
	restored := checkMockSchema(srv, "drifty", func(s mockserver.Schema) error {
		if s.Name != "Drifty" || !maps.Equal(s.Tags, map[string]string{"env": "dev"}) || s.Changelog.Connector != "github" {
			return fmt.Errorf("drift not corrected: name %q, tags %v, connector %q", s.Name, s.Tags, s.Changelog.Connector)
		}
		return nil
	})
	driftStep := func(fn func(*mockserver.Schema), attr string, before any, more ...plancheck.PlanCheck) resource.TestStep {
		return resource.TestStep{
			PreConfig: update(fn),
			Config:    cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: append([]plancheck.PlanCheck{
				plancheck.ExpectResourceAction(acctest.DBSchemaAddr, plancheck.ResourceActionUpdate),
				acctest.ExpectBefore(acctest.DBSchemaAddr, attr, before),
			}, more...)},
			Check: restored,
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			driftStep(func(s *mockserver.Schema) { s.Name = "Renamed in the UI" }, "name", "Renamed in the UI",
				// The source is unchanged, so its classification stays known in the plan.
				plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("schema_source_type"), knownvalue.StringExact("Git")),
				plancheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("type"), knownvalue.StringExact("Repository")),
				plancheck.ExpectUnknownValue(acctest.DBSchemaAddr, tfjsonpath.New("updated"))),
			driftStep(func(s *mockserver.Schema) { s.Tags = map[string]string{"env": "prod", "x": "y"} }, "tags", map[string]any{"env": "prod", "x": "y"}),
			driftStep(func(s *mockserver.Schema) { s.Changelog.Connector = "gitlab" }, "schema_source",
				map[string]any{"connector": "gitlab", "repo": nil, "location": "changelog.yaml", "archive_path": nil, "toml": nil}),
			{
				// A pipeline-side change: updated moves and an instance appears.
				PreConfig: func() {
					update(func(s *mockserver.Schema) { s.Updated += 1000 })()
					if err := srv.PutInstance(acctest.DBTestOrg, acctest.DBTestProject, "drifty", mockserver.Instance{Identifier: "i1", Name: "i1", Connector: "jdbc"}); err != nil {
						t.Fatal(err)
					}
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(1)),
				},
			},
			{
				PreConfig: func() { srv.DeleteInstance(acctest.DBTestOrg, acctest.DBTestProject, "drifty", "i1") },
				Config:    cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
					plancheck.ExpectEmptyPlan(),
				}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(acctest.DBSchemaAddr, tfjsonpath.New("instance_count"), knownvalue.Int64Exact(0)),
				},
			},
		},
	})
}

// An API error other than 404 keeps the resource in state and shows the server's
// message; once the error is gone the plan is empty again.
func TestAccDBSchemaResource_readErrorKeepsState(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBSchemaConfig(srv, `
  identifier = "guarded"
  name       = "Guarded"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.CheckDBSchemasDestroyed(srv),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteGetSchema, Status: 403, Message: "principal lacks core_dbschema_view"})
				},
				Config:      cfg,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Unable to read DB schema.*"guarded".*principal lacks core_dbschema_view`),
			},
			{
				PreConfig: srv.ClearFaults,
				Config:    cfg,
				PlanOnly:  true, // an empty plan: the schema is still in state
			},
		},
	})
}

// A failed delete keeps the schema in state and shows the server's message; a delete
// answered 404 (already gone) succeeds.
func TestAccDBSchemaResource_deleteErrors(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBSchemaConfig(srv, `
  identifier = "sticky"
  name       = "Sticky"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		// The 404 below was injected, so the schema is still in the mock: what proves the
		// delete was attempted and accepted is the request count.
		CheckDestroy: func(*terraform.State) error {
			if n := srv.RouteCount(mockserver.RouteDeleteSchema); n != 2 {
				return fmt.Errorf("%d deletes, want 2 (refused, then already gone)", n)
			}
			if !srv.DeleteSchema(acctest.DBTestOrg, acctest.DBTestProject, "sticky") {
				return fmt.Errorf("the schema should still be in the mock (the 404 was injected)")
			}
			return nil
		},
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteDeleteSchema, Status: 400, Message: "schema is locked by pipeline run 42", Times: 1})
				},
				Config:      cfg,
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Unable to delete DB schema.*"sticky".*` + acctest.WrappedText("schema is locked by pipeline run 42")),
			},
			{
				// Still in state after the refused delete: an empty plan.
				Config:   cfg,
				PlanOnly: true,
			},
			{
				PreConfig: func() {
					srv.AddFault(mockserver.Fault{Route: mockserver.RouteDeleteSchema, Status: 404, Message: "not found", Times: 1})
				},
				Config:  cfg,
				Destroy: true,
			},
		},
	})
}

func TestAccDBSchemaResource_invalidConfig(t *testing.T) {
	srv := acctest.NewServer(t)
	source := `
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`
	tests := []struct {
		body string
		want string
	}{
		{`identifier = "1bad"` + "\n" + `name = "x"` + source, `(?s)identifier.*must start with a letter`},
		{`identifier = "has-dash"` + "\n" + `name = "x"` + source, `(?s)identifier.*` + acctest.WrappedText("(pattern ^[a-zA-Z_][0-9a-zA-Z_$]{0,127}$), got: has-dash")},
		{`identifier = "overview"` + "\n" + `name = "x"` + source, `(?s)"overview" cannot be used.*reserved by the Harness API`},
		{`identifier = "ok"` + "\n" + `name = "x"`, `(?s)Missing Attribute Configuration.*` + acctest.WrappedText("Exactly one of these attributes must be configured: [schema_source,changelog_script]")},
		{`identifier = "ok"` + "\n" + `name = "x"` + source + `
  changelog_script = {
    image    = "i"
    command  = "c"
    shell    = "Sh"
    location = "l"
  }`, `(?s)Invalid Attribute Combination.*` + acctest.WrappedText("Exactly one of these attributes must be configured: [schema_source,changelog_script]")},
		{`identifier = "ok"` + "\n" + `name = "x"` + "\n" + `migration_type = "Sqitch"` + source, `(?s)migration_type.*value must be one of`},
		{`identifier = "ok"` + "\n" + `name = "x"` + "\n" + `service = ""` + source, `(?s)service.*at least 1`},
		{`identifier = "ok"` + "\n" + fmt.Sprintf("name = %q", strings.Repeat("n", 129)) + source, `(?s)name.*between 1 and 128`},
		{`identifier = "ok"` + "\n" + `name = "x"` + `
  schema_source = {
    connector = "project.github"
    location  = "changelog.yaml"
  }`, `(?s)connector.*prefixed with "org." or "account."`},
		{`identifier = "ok"` + "\n" + `name = "x"` + `
  changelog_script = {
    image    = "i"
    command  = "c"
    location = "l"
  }`, acctest.WrappedText(`Inappropriate value for attribute "changelog_script": attribute "shell" is required.`)},
		{`identifier = "ok"` + "\n" + `name = "x"` + `
  schema_source = {
    location = "changelog.yaml"
  }`, `(?s)Missing repository for Harness Code.*` + acctest.WrappedText("schema_source has no connector, which means Harness Code Repository")},
		{`identifier = "ok"` + "\n" + `name = "x"` + `
  schema_source = {
    connector = ""
    location  = "changelog.yaml"
  }`, `(?s)Missing repository for Harness Code.*` + acctest.WrappedText("Set schema_source.repo")},
	}
	steps := make([]resource.TestStep, len(tests))
	for i, tt := range tests {
		steps[i] = resource.TestStep{Config: acctest.DBSchemaConfig(srv, tt.body), ExpectError: regexp.MustCompile(tt.want)}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
	if n := srv.RouteCount(mockserver.RouteCreateSchema); n != 0 {
		t.Fatalf("invalid configurations reached the API: %d creates", n)
	}
}

func TestAccDBSchemaResource_badImportID(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.DBSchemaConfig(srv, `
  identifier = "imported"
  name       = "Imported"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`)
	var steps []resource.TestStep
	for id, want := range map[string]string{
		"a/b":      `Expected import ID "org_id/project_id/schema_id", got "a/b" (2 parts). Example: my_org/my_project/my_schema`,
		"a/b/c/d":  `got "a/b/c/d" (4 parts)`,
		"a//c":     `got "a//c" (part 2, project_id, is empty)`,
		"imported": `got "imported" (1 part)`,
	} {
		steps = append(steps, resource.TestStep{
			Config:          cfg,
			ResourceName:    acctest.DBSchemaAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportCommandWithID,
			ImportStateId:   id,
			ExpectError:     regexp.MustCompile(`(?s)Invalid DB schema import ID.*` + acctest.WrappedText(want)),
		})
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps:                    steps,
	})
}

// Importing an ID that does not exist is an error, not an empty resource.
func TestAccDBSchemaResource_importMissing(t *testing.T) {
	srv := acctest.NewServer(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.DBSchemaConfig(srv, `
  identifier = "nope"
  name       = "Nope"
  schema_source = {
    location = "changelog.yaml"
  }
`),
			ResourceName:    acctest.DBSchemaAddr,
			ImportState:     true,
			ImportStateKind: resource.ImportCommandWithID,
			ImportStateId:   "default/default_project/nope",
			ExpectError:     regexp.MustCompile(`Cannot import non-existent remote object`),
		}},
	})
}

// Creating a schema that exists already fails with Harness's message, says that
// another resource may manage it (then importing is wrong) and how to import it, with
// its exact import ID.
func TestAccDBSchemaResource_alreadyExists(t *testing.T) {
	srv := acctest.NewServer(t)
	srv.PutSchema(acctest.DBTestOrg, acctest.DBTestProject, mockserver.Schema{Identifier: "taken", Name: "Taken",
		Changelog: &mockserver.Changelog{Connector: "github", Location: "changelog.yaml"}})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: acctest.DBSchemaConfig(srv, `
  identifier = "taken"
  name       = "Taken"
  schema_source = {
    connector = "github"
    location  = "changelog.yaml"
  }
`),
			ExpectError: acctest.InOrder(`database schema "taken" already exists`,
				"It exists in Harness already: it was created outside Terraform, or another resource manages it",
				"If another resource manages it, give this one its own identifier or remove it.",
				"Otherwise, to manage it with Terraform, import it: terraform import harness_dbops_db_schema.<name> default/default_project/taken,",
				`or an import block with id = "default/default_project/taken".`),
		}},
	})
}
