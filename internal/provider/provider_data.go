package provider

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// providerData is what Configure hands to every resource and data source: the API
// client, and what the resources of this provider configuration share within one
// Terraform run.
type providerData struct {
	client     *client.Client
	claims     *fieldClaims
	defaults   *harnessDefaults
	ciDefaults map[client.CIInfra]*harnessDefaults // the CI defaults, one cache per infra
	db         dbPlan                              // ready as it is: one per Configure
	reads      *readCache                          // refresh by list (read_cache.go)
}

// dataFrom takes what Configure handed over. It is nil, with no error, before the
// provider is configured (during validation).
func dataFrom(data any, diags *diag.Diagnostics) *providerData {
	if data == nil {
		return nil
	}
	d, ok := data.(*providerData)
	if !ok {
		diags.AddError("Unexpected provider data",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", data))
		return nil
	}
	return d
}

// readsFrom is dataFrom's read cache.
func readsFrom(data any, diags *diag.Diagnostics) *readCache {
	if d := dataFrom(data, diags); d != nil {
		return d.reads
	}
	return nil
}

// clientFrom is dataFrom's client.
func clientFrom(data any, diags *diag.Diagnostics) *client.Client {
	if d := dataFrom(data, diags); d != nil {
		return d.client
	}
	return nil
}

// allFields is the claim of an exclusive image config: every field.
const allFields = "*"

// fieldClaims records which harness_dbops_image_config manages which execution-config
// field during one Terraform run of one provider configuration (a plan plans every
// resource in the same provider process). Two resources that set one field undo each
// other on every apply; the provider cannot see resource addresses, so it tells them
// apart by what they manage (owner: their managed fields and values).
type fieldClaims struct {
	mu     sync.Mutex
	owners map[string][]string     // field (or allFields) -> owners that claim it
	scopes map[string]*fieldClaims // the claims on another execution config (scope)
}

// scope returns the claims on the execution config named config ("" for DB DevOps's):
// a field of one config never clashes with the same name in another.
func (c *fieldClaims) scope(config string) *fieldClaims {
	if config == "" {
		return c
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.scopes == nil {
		c.scopes = map[string]*fieldClaims{}
	}
	if c.scopes[config] == nil {
		c.scopes[config] = &fieldClaims{}
	}
	return c.scopes[config]
}

// claim records that owner manages fields (API names, or allFields) and returns, for
// each field another owner claims too, one of those other owners.
func (c *fieldClaims) claim(owner string, fields []string) map[string]string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.owners == nil {
		c.owners = map[string][]string{}
	}
	clashes := map[string]string{}
	for _, f := range fields {
		if !slices.Contains(c.owners[f], owner) {
			c.owners[f] = append(c.owners[f], owner)
		}
		for _, key := range []string{f, allFields} {
			for _, o := range c.owners[key] {
				if o != owner {
					clashes[f] = o
				}
			}
		}
		if f == allFields { // an exclusive owner clashes with every field anyone else claims
			for field, owners := range c.owners {
				for _, o := range owners {
					if o != owner && field != allFields {
						clashes[field] = o
					}
				}
			}
		}
	}
	return clashes
}

// harnessDefaults reads the Harness default images (get-default-config) at most once
// per provider process, that is once per plan or apply, for every resource and data
// source that needs them: the credentials check of Configure reads them already, so a
// plan usually makes no call for them at all. A failed read is kept too: one plan, one
// answer. The check's 403 (a key that may not read the execution config) seeds it as
// such, so that each user of the defaults reports the missing permission.
type harnessDefaults struct {
	load func(context.Context) (client.ExecutionConfig, error)

	mu     sync.Mutex
	read   bool
	images client.ExecutionConfig
	err    error
}

// newHarnessDefaults returns the cache, filled when the credentials check read the
// defaults (images non-nil) or was refused them (err non-nil).
func newHarnessDefaults(c *client.Client, images client.ExecutionConfig, err error) *harnessDefaults {
	return &harnessDefaults{load: c.GetDefaultConfig, read: images != nil || err != nil, images: images, err: err}
}

// newCIDefaults returns a cache of the CI defaults of each infra, read when first
// needed (the credentials check reads only DB DevOps's).
func newCIDefaults(c *client.Client) map[client.CIInfra]*harnessDefaults {
	out := map[client.CIInfra]*harnessDefaults{}
	for _, infra := range client.CIInfras() {
		out[infra] = &harnessDefaults{load: func(ctx context.Context) (client.ExecutionConfig, error) {
			cfg, err := c.GetCIDefaultConfig(ctx, infra)
			return cfg.Images, err
		}}
	}
	return out
}

func (d *harnessDefaults) get(ctx context.Context) (client.ExecutionConfig, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if !d.read {
		d.images, d.err = d.load(ctx)
		d.read = true
	}
	return d.images, d.err
}
