package provider

import (
	"context"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// Source kinds of a DB schema (Harness's schemaSourceType). An instance of a Git or
// Harness Code schema needs a branch, commit_sha or git_tag (Harness's MCP server).
const (
	sourceGit         = "Git"
	sourceHarnessCode = "HarnessCode"
	sourceArtifactory = "Artifactory"
	sourceCustom      = "Custom"
)

// dbPlan is what the DB schemas and DB instances of one provider configuration learn
// about each other while Terraform plans them, in one provider process and one
// Configure (one plan, or the re-plan of an apply). Terraform plans a resource after
// those it references: an instance that names its schema
// (`schema = harness_dbops_db_schema.x.identifier`) is planned after it, and in a
// destroy plan (`plan -destroy`, `terraform destroy`) Terraform plans the destroy of
// an instance before its schema's, following the dependencies recorded in state.
// Resources of a configuration planned in no set order (removed blocks, an instance
// that names its schema by a literal string) may find nothing here; what reads this
// record then errs on the side of a warning, never of an error.
// The zero dbPlan is ready for use.
type dbPlan struct {
	mu        sync.Mutex
	destroyed map[string]bool          // instances (instanceKey) whose destroy this plan has planned
	sources   map[string]string        // schemas (schemaKey) planned in this run: their source kind, "" if unknown
	read      map[string]*schemaSource // schemas (schemaKey) read from Harness for their instances
	creates   map[string]bool          // schemas and instances (kind + key) this plan creates
}

// schemaSource is the source kind of a schema read from Harness, read once.
type schemaSource struct {
	once sync.Once
	kind string
}

// lock locks p, whose maps it makes on first use.
func (p *dbPlan) lock() {
	p.mu.Lock()
	if p.destroyed == nil {
		p.destroyed, p.sources, p.read, p.creates = map[string]bool{}, map[string]string{}, map[string]*schemaSource{}, map[string]bool{}
	}
}

func schemaKey(org, project, schema string) string { return importID(org, project, schema) }

func instanceKey(org, project, schema, id string) string { return importID(org, project, schema, id) }

// destroys records that this plan destroys an instance on its own.
func (p *dbPlan) destroys(org, project, schema, id string) {
	p.lock()
	defer p.mu.Unlock()
	p.destroyed[instanceKey(org, project, schema, id)] = true
}

// isDestroyed reports whether this plan destroys the instance on its own.
func (p *dbPlan) isDestroyed(org, project, schema, id string) bool {
	p.lock()
	defer p.mu.Unlock()
	return p.destroyed[instanceKey(org, project, schema, id)]
}

// plansSchema records a schema that this plan keeps, creates or updates, and its
// source kind as planned ("" when it is not known yet).
func (p *dbPlan) plansSchema(org, project, schema, kind string) {
	p.lock()
	defer p.mu.Unlock()
	p.sources[schemaKey(org, project, schema)] = kind
}

// sourceOf returns the source kind of a schema: as planned in this run if it is, else
// as Harness holds it, read once per schema however many instances ask. "" means not
// known (unknown values, a schema not in Harness yet, a failed read).
func (p *dbPlan) sourceOf(ctx context.Context, c *client.Client, org, project, schema string) string {
	key := schemaKey(org, project, schema)
	p.lock()
	kind, planned := p.sources[key]
	r := p.read[key]
	if !planned && r == nil {
		r = &schemaSource{}
		p.read[key] = r
	}
	p.mu.Unlock()
	if planned {
		return kind
	}
	r.once.Do(func() {
		if s, err := c.GetSchema(ctx, org, project, schema); err == nil {
			r.kind = s.SchemaSourceType
			if r.kind == "" { // an answer without it: classify as Harness does
				r.kind = apiSourceKind(s)
			}
		}
	})
	return r.kind
}

// repoSourceKind classifies a repository source as Harness does (schemaSourceType):
// Artifactory with an archive path, Harness Code without a connector, Git otherwise. A
// script source is Custom.
func repoSourceKind(connector, archivePath string) string {
	switch {
	case archivePath != "":
		return sourceArtifactory
	case connector == "":
		return sourceHarnessCode
	}
	return sourceGit
}

func apiSourceKind(s *client.Schema) string {
	switch {
	case s.ChangeLogScript != nil:
		return sourceCustom
	case s.Changelog != nil:
		return repoSourceKind(s.Changelog.Connector, s.Changelog.ArchivePath)
	}
	return ""
}

// createsOnce records that this plan creates the object key of a kind ("DB schema", "DB
// instance") and reports false when another resource of this run creates it already.
func (p *dbPlan) createsOnce(kind, key string) bool {
	p.lock()
	defer p.mu.Unlock()
	if p.creates[kind+" "+key] {
		return false
	}
	p.creates[kind+" "+key] = true
	return true
}

// The kinds of object checkCreate tells apart, as diagnostics name them.
const (
	dbSchemaKind   = "DB schema"
	dbInstanceKind = "DB instance"
)

// checkCreate refuses a second resource of this configuration that creates the same
// object (where names it, scope is where Harness keeps identifiers unique): one of the
// two creates would fail with "already exists", and importing the object into the
// other resource would put it under two resources.
func (p *dbPlan) checkCreate(kind, scope, where, key string, diags *diag.Diagnostics) {
	if p.createsOnce(kind, key) {
		return
	}
	diags.AddAttributeError(path.Root("identifier"), kind+" declared twice",
		fmt.Sprintf("Another resource of this configuration creates the %s too. Harness holds one %s per identifier in %s, "+
			"so one of the two creates would fail, and importing it into the other resource would put one object under "+
			"two resources, each undoing the other's changes. Give each resource its own identifier, or remove one of them.",
			where, kind, scope))
}
