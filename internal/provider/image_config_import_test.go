package provider

import (
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/dbdevops/terraform-provider-harness/internal/acctest"
)

func TestAccImageConfigResource_import(t *testing.T) {
	srv := acctest.NewServer(t)
	cfg := acctest.ImageConfig(srv, acctest.HCL("default_tag", acctest.MirrorLiquibase), acctest.HCL("mongo_tag", acctest.MirrorMongo))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             acctest.NoOverridesOn(srv, "defaultTag", "mongoTag"),
		Steps: []resource.TestStep{
			{Config: cfg},
			{
				ResourceName:      acctest.ImageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "default_tag,mongo_tag",
				ImportStateVerify: true,
			},
			{
				// API names are accepted too.
				ResourceName:      acctest.ImageConfigAddr,
				ImportState:       true,
				ImportStateKind:   resource.ImportCommandWithID,
				ImportStateId:     "defaultTag, mongoTag",
				ImportStateVerify: true,
			},
			{
				ResourceName:    acctest.ImageConfigAddr,
				Config:          cfg,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
				ImportStateId:   "default_tag,mongo_tag",
				ImportPlanChecks: resource.ImportPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(acctest.ImageConfigAddr, plancheck.ResourceActionNoop)},
				},
			},
			{
				ResourceName:  acctest.ImageConfigAddr,
				ImportState:   true,
				ImportStateId: "default_tag,latest_tag",
				ExpectError:   regexp.MustCompile(`(?s)unknown field "latest_tag".*Known fields: artifactory_tag,\s+big_query_tag`),
			},
			{
				ResourceName:  acctest.ImageConfigAddr,
				ImportState:   true,
				ImportStateId: "mongo_tag,mongoTag",
				ExpectError:   regexp.MustCompile(`"mongoTag" is listed twice`),
			},
			{
				ResourceName:  acctest.ImageConfigAddr,
				ImportState:   true,
				ImportStateId: " ",
				ExpectError:   regexp.MustCompile(`the import ID is empty`),
			},
			{
				// The import is followed by an empty plan.
				Config:   cfg,
				PlanOnly: true,
			},
		},
	})
}

func TestParseImageImportID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want imageImport
		err  string
	}{
		{id: "default_tag", want: imageImport{fields: []string{"defaultTag"}}},
		{id: "default_tag,mongo_tag", want: imageImport{fields: []string{"defaultTag", "mongoTag"}}},
		{id: " gitCloneTag , flyway_spanner_psql_tag ", want: imageImport{fields: []string{"gitCloneTag", "flywaySpannerPsqlTag"}}},
		{id: "exclusive", want: imageImport{exclusive: true}},
		{id: "images", want: imageImport{inMap: true}},
		{id: "exclusive, images", want: imageImport{exclusive: true, inMap: true}},
		{id: "images,git_clone_tag,futureTag", want: imageImport{inMap: true, fields: []string{"gitCloneTag", "futureTag"}}},
		{id: "futureTag,exclusive,images", want: imageImport{exclusive: true, inMap: true, fields: []string{"futureTag"}}},
		{id: "", err: "the import ID is empty"},
		{id: "default_tag,", err: `unknown field ""`},
		{id: "default", err: `unknown field "default"`},
		{id: "futureTag", err: `unknown field "futureTag"`},
		{id: "images,future_tag", err: `unknown field "future_tag"`},
		{id: "default_tag,defaultTag", err: `"defaultTag" is listed twice`},
		{id: "images,exclusive,images", err: `"images" is listed twice`},
		{id: "a/b/c", err: "Known fields: artifactory_tag"},
	} {
		got, err := parseImageImportID(dbopsKind, tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseImageImportID(%q) error = %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseImageImportID(%q) = %+v, %v; want %+v", tt.id, got, err, tt.want)
		}
	}
}

// A CI import ID starts with the infra, as the API spells it; its fields are the images
// map's, by API name, whatever this provider knows.
func TestParseCIImageImportID(t *testing.T) {
	for _, tt := range []struct {
		id   string
		want imageImport
		err  string
	}{
		{id: "K8", want: imageImport{infra: "K8", prefix: "K8:", inMap: true}},
		{id: "VM:", want: imageImport{infra: "VM", prefix: "VM:", inMap: true}},
		{id: "K8:liteEngineTag, addonTag", want: imageImport{infra: "K8", prefix: "K8:", inMap: true, fields: []string{"liteEngineTag", "addonTag"}}},
		{id: "VM:exclusive", want: imageImport{infra: "VM", prefix: "VM:", inMap: true, exclusive: true}},
		{id: "K8:gitCloneTag,exclusive", want: imageImport{infra: "K8", prefix: "K8:", inMap: true, exclusive: true, fields: []string{"gitCloneTag"}}},
		{id: "", err: "the import ID is empty"},
		{id: "k8", err: `import ID "k8" does not start with the infra, K8 or VM`},
		{id: "liteEngineTag", err: "does not start with the infra"},
		{id: "K8:lite_engine_tag", err: `unknown field "lite_engine_tag"`},
		{id: "K8:addonTag,addonTag", err: `"addonTag" is listed twice`},
		{id: "K8:addonTag,", err: `unknown field ""`},
	} {
		got, err := parseImageImportID(ciKind, tt.id)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("parseImageImportID(ci, %q) error = %v, want %q", tt.id, err, tt.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseImageImportID(ci, %q) = %+v, %v; want %+v", tt.id, got, err, tt.want)
		}
	}
}

// lowerCamel: a lower-case ASCII letter, then ASCII letters and digits.
func lowerCamel(s string) bool {
	for i, r := range s {
		lower, upper, digit := 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9'
		if !lower && (i == 0 || !upper && !digit) {
			return false
		}
	}
	return s != ""
}

// FuzzParseImageImportID checks parseImageImportID against what an import ID means: a
// list of names, each once, where "exclusive" and "images" are words and any other
// name is a known field (by attribute or API name) or, with "images", an API-style
// field name; and what it returns parses back to itself.
func FuzzParseImageImportID(f *testing.F) {
	for _, s := range []string{"default_tag,mongo_tag", "exclusive", "EXCLUSIVE", " exclusive ", "", ",", "mongoTag, mongoTag",
		"default_tag,defaultTag", "Default_Tag", "defaulttag", "git_clone_tag ,spannerTag", "images,futureTag", "images,exclusive"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		got, err := parseImageImportID(dbopsKind, id)
		var names []string
		for _, part := range strings.Split(id, ",") {
			names = append(names, strings.TrimSpace(part))
		}
		want := imageImport{exclusive: slices.Contains(names, "exclusive"), inMap: slices.Contains(names, "images")}
		valid := strings.TrimSpace(id) != ""
		for i, name := range names {
			if slices.Contains(names[:i], name) {
				valid = false
			}
			if name == "exclusive" || name == "images" {
				continue
			}
			j := slices.IndexFunc(imageFields, func(f imageField) bool { return f.attr == name || f.api == name })
			switch {
			case j >= 0:
				name = imageFields[j].api
			case !want.inMap || !lowerCamel(name):
				valid = false
			}
			if slices.Contains(want.fields, name) {
				valid = false
			}
			want.fields = append(want.fields, name)
		}
		if !valid {
			if err == nil {
				t.Fatalf("%q: %+v, want an error (empty, unknown, differently cased or repeated)", id, got)
			}
			return
		}
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %+v, %v; want %+v", id, got, err, want)
		}
		words := slices.Clone(got.fields)
		if got.exclusive {
			words = append(words, "exclusive")
		}
		if got.inMap {
			words = append(words, "images")
		}
		if again, err := parseImageImportID(dbopsKind, strings.Join(words, ",")); err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("%q: %+v does not parse back to itself: %+v %v", id, got, again, err)
		}
	})
}

// Importing a field that has no override fails and names it (the configuration
// Terraform would generate could not manage it); importing fields that have one
// generates a configuration that applies with nothing to change.
func TestAccImageConfigResource_importGeneratesConfig(t *testing.T) {
	t.Parallel()
	srv := acctest.NewServer(t)
	for f, v := range map[string]string{"defaultTag": acctest.MirrorLiquibase, "gitCloneTag": acctest.MirrorGit} {
		if err := srv.SetOverride(f, v); err != nil {
			t.Fatal(err)
		}
	}
	c := newTFCLI(t)
	importBlock := func(id string) string {
		return acctest.CLIProvider(srv) + "import {\n  to = harness_dbops_image_config.imported\n  id = \"" + id + "\"\n}\n"
	}
	c.Write(map[string]string{"main.tf": importBlock("default_tag,mongo_tag")})
	out := acctest.Flat(c.MustFail("plan", "-generate-config-out=generated.tf"))
	if want := "Error: Nothing to import for some fields The account has no override on mongo_tag (mongoTag): it uses the Harness default, " +
		"so there is nothing to manage. Import only fields that have an override (now: default_tag, git_clone_tag)"; !strings.Contains(out, want) {
		t.Fatalf("import of a field without override:\n%s\nwant %q", out, want)
	}
	c.Write(map[string]string{"main.tf": importBlock("default_tag,git_clone_tag")})
	c.MustRun("plan", "-generate-config-out=generated.tf")
	c.MustRun("apply", "-auto-approve")
	if out := c.MustRun("plan", "-detailed-exitcode"); !strings.Contains(out, "No changes") {
		t.Fatalf("the generated configuration is not stable:\n%s", out)
	}
	if got := srv.Overrides(); len(got) != 2 || got["defaultTag"] != acctest.MirrorLiquibase {
		t.Fatalf("overrides after the import: %v", got)
	}
}
