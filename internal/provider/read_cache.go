package provider

import (
	"context"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// readCache is refresh by list: it answers the reads of DB schemas and DB instances
// (the resources' Read, the data sources that read one object) of one provider
// configuration in one provider process, that is one plan or one apply, from one list
// per project (schemas) or per schema (instances) instead of one GET per object. A plan
// of 1000 instances of a schema then costs 1 GET and 10 list pages, not 1000 GETs
// (DESIGN.md, "Refresh by list"). Its rules:
//
//   - The first read of a group (a project's schemas, a schema's instances) is a GET, and
//     the second lists the whole group, every page: reading one object never costs more
//     than it did (a data source reading one instance of a schema with 5,000 of them
//     makes one call, not 50), and reading many costs one call more than the pages.
//     Concurrent reads of a group wait for its one list. Reads of what this process
//     wrote (below) do not count, so the calls do not depend on the order of reads.
//   - An object missing from the list is read with a GET before it is called gone: a
//     list can lag behind a create.
//   - A list that fails (after the client's retries) is not tried again in the process:
//     the reads of its group are GETs, as without the cache. The list is an optimisation,
//     never a new way for a plan to fail.
//   - An object this process writes (create, update, delete), and every instance of a
//     schema it writes, is read with a GET for the rest of the process, so that a read
//     after a write sees what was written, however the list lags.
//
// It lives on the providerData of one Configure, so it never outlives the process and
// never answers for another provider configuration (account, endpoint, key); its keys
// hold the org and project (and schema), so one configuration's projects are never
// mixed.
type readCache struct {
	client    *client.Client
	schemas   listCache[client.Schema]   // group: org, project
	instances listCache[client.Instance] // group: org, project, schema
}

func newReadCache(c *client.Client) *readCache {
	return &readCache{
		client:    c,
		schemas:   listCache[client.Schema]{idOf: func(s *client.Schema) string { return s.Identifier }},
		instances: listCache[client.Instance]{idOf: func(i *client.Instance) string { return i.Identifier }},
	}
}

// cacheKey joins the parts of a key unambiguously (no identifier holds a NUL).
func cacheKey(parts ...string) string { return strings.Join(parts, "\x00") }

// schema reads a DB schema as GetSchema does (a missing one is a not-found error).
func (r *readCache) schema(ctx context.Context, org, project, id string) (*client.Schema, error) {
	return r.schemas.get(ctx, cacheKey(org, project), id,
		func(ctx context.Context) ([]client.Schema, error) {
			s, err := r.client.ListSchemas(ctx, org, project, client.ListSchemasOptions{})
			logList(ctx, "DB schemas", len(s), err, map[string]any{"org_id": org, "project_id": project})
			return s, err
		},
		func(ctx context.Context) (*client.Schema, error) { return r.client.GetSchema(ctx, org, project, id) })
}

// instance reads a DB instance as GetInstance does (a missing one, or one of a missing
// schema, is a not-found error).
func (r *readCache) instance(ctx context.Context, org, project, schema, id string) (*client.Instance, error) {
	return r.instances.get(ctx, cacheKey(org, project, schema), id,
		func(ctx context.Context) ([]client.Instance, error) {
			in, err := r.client.ListInstances(ctx, org, project, schema, client.ListInstancesOptions{})
			logList(ctx, "DB instances", len(in), err, map[string]any{"org_id": org, "project_id": project, "schema": schema})
			return in, err
		},
		func(ctx context.Context) (*client.Instance, error) {
			return r.client.GetInstance(ctx, org, project, schema, id)
		})
}

// wroteSchema records, before the call, that this process creates, updates or deletes
// a schema: its reads, and those of its instances (Harness deletes them with it), are
// GETs from now on.
func (r *readCache) wroteSchema(org, project, id string) {
	r.schemas.wrote(cacheKey(cacheKey(org, project), id))
	r.instances.wrote(cacheKey(org, project, id))
}

// wroteInstance records, before the call, that this process creates, updates or
// deletes an instance: its reads are GETs from now on.
func (r *readCache) wroteInstance(org, project, schema, id string) {
	r.instances.wrote(cacheKey(cacheKey(org, project, schema), id))
}

func logList(ctx context.Context, what string, n int, err error, fields map[string]any) {
	if err != nil {
		fields["error"] = err.Error()
		tflog.Warn(ctx, "listing "+what+" for refresh by list failed; reading each with a GET instead", fields)
		return
	}
	fields["count"] = n
	tflog.Debug(ctx, "listed "+what+" for refresh by list", fields)
}

// listCache holds, per group, the objects of one list of the group, read once.
// Terraform-free and API-free: readCache gives it the calls.
type listCache[T any] struct {
	idOf func(*T) string

	mu      sync.Mutex
	groups  map[string]*listing[T]
	written map[string]bool // groups and objects (cacheKey(group, id)) this process wrote
}

// listing is one group's list.
type listing[T any] struct {
	reads int           // reads of the group so far, but those of what this process wrote
	done  chan struct{} // made by the read that lists, closed once the list is in
	items map[string]*T // by identifier; nil when the list failed
}

// get answers a read of object id of group: with get (a GET) for the group's first
// read and for what this process wrote, else from the group's list, listed once by
// list, or with get when the list failed or lacks the object. Callers must not change
// what it returns (the list's objects are shared).
func (c *listCache[T]) get(ctx context.Context, group, id string, list func(context.Context) ([]T, error), get func(context.Context) (*T, error)) (*T, error) {
	c.mu.Lock()
	if c.groups == nil {
		c.groups, c.written = map[string]*listing[T]{}, map[string]bool{}
	}
	g := c.groups[group]
	if g == nil {
		g = &listing[T]{}
		c.groups[group] = g
	}
	direct := c.isWritten(group, id)
	if !direct {
		g.reads++
		direct = g.reads == 1
	}
	lead := !direct && g.done == nil
	if lead {
		g.done = make(chan struct{})
	}
	done := g.done
	c.mu.Unlock()
	if direct {
		return get(ctx)
	}
	if lead {
		items, err := list(ctx)
		var byID map[string]*T
		if err == nil {
			byID = make(map[string]*T, len(items))
			for i := range items {
				byID[c.idOf(&items[i])] = &items[i]
			}
		}
		c.mu.Lock()
		g.items = byID
		c.mu.Unlock()
		close(done)
	} else {
		select {
		case <-done:
		case <-ctx.Done():
			return get(ctx) // fails with the client's words for a cancelled call
		}
	}
	c.mu.Lock()
	it, written := g.items[id], c.isWritten(group, id)
	c.mu.Unlock()
	if it == nil || written {
		return get(ctx) // missing from the list (it may lag), no list, or written meanwhile
	}
	return it, nil
}

// isWritten reports whether this process wrote the object or its group; c.mu is held.
func (c *listCache[T]) isWritten(group, id string) bool {
	return c.written[group] || c.written[cacheKey(group, id)]
}

// wrote records a write of an object (cacheKey(group, id)) or of a whole group.
func (c *listCache[T]) wrote(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.written == nil {
		c.groups, c.written = map[string]*listing[T]{}, map[string]bool{}
	}
	c.written[key] = true
}
