package client

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
)

// Schema is a DB schema as the API returns it (DBSchemaOut). Timestamps are epoch seconds.
type Schema struct {
	Identifier          string            `json:"identifier"`
	Name                string            `json:"name"`
	Tags                map[string]string `json:"tags,omitempty"`
	Changelog           *Changelog        `json:"changelog,omitempty"`
	ChangeLogScript     *ChangeLogScript  `json:"changeLogScript,omitempty"`
	Service             string            `json:"service,omitempty"`
	Type                string            `json:"type,omitempty"`
	MigrationType       string            `json:"migrationType,omitempty"`
	UsePercona          bool              `json:"usePercona"`
	Created             int64             `json:"created"`
	Updated             int64             `json:"updated"`
	InstanceCount       int64             `json:"instanceCount"`
	SchemaSourceType    string            `json:"schemaSourceType,omitempty"`
	ParentID            string            `json:"parentId,omitempty"`
	PrimaryDBInstanceID string            `json:"primaryDbInstanceId,omitempty"`
}

func (s *Schema) check() error {
	if s.Identifier == "" {
		return missingIdentifier("DB schema")
	}
	return nil
}

// Changelog is a schema source kept in a repository (type Repository). An empty
// Connector means Harness Code Repository; it is always sent, because on PUT the API
// keeps the stored connector when the key is absent. The create body refuses an empty
// repo or archivePath, so they are left out when empty.
type Changelog struct {
	Connector   string `json:"connector"`
	Location    string `json:"location"`
	Repo        string `json:"repo,omitempty"`
	ArchivePath string `json:"archivePath,omitempty"`
	TOML        string `json:"toml,omitempty"`
}

// ChangeLogScript is a schema source fetched by a script in a container (type Script).
type ChangeLogScript struct {
	Image    string `json:"image"`
	Command  string `json:"command"`
	Shell    string `json:"shell"`
	Location string `json:"location"`
	TOML     string `json:"toml,omitempty"`
}

// SchemaInput is the create body (DBSchemaIn) in the shape the official provider sends
// (its wire traffic): empty optional keys are left out, usePercona is sent
// only when true, and the API rejects an empty service.
type SchemaInput struct {
	Identifier      string            `json:"identifier"`
	Name            string            `json:"name"`
	Tags            map[string]string `json:"tags,omitempty"`
	Changelog       *Changelog        `json:"changelog,omitempty"`
	ChangeLogScript *ChangeLogScript  `json:"changeLogScript,omitempty"`
	Service         string            `json:"service,omitempty"`
	Type            string            `json:"type,omitempty"`
	MigrationType   string            `json:"migrationType,omitempty"`
	UsePercona      bool              `json:"usePercona,omitempty"`
}

// SchemaUpdate is the PUT body (DBSchemaUpdateRequest). A key present replaces the
// stored value; a nil pointer below is a key left out, used only where neither the
// stored nor the desired schema has a value, so that a merging and a replacing server
// agree; a pointer to an empty value clears. Build it with NewSchemaUpdate.
// identifier, type and the stored migrationType are always sent, as the official
// provider does: a server that defaulted a missing migrationType would
// otherwise turn a Flyway schema into a Liquibase one.
type SchemaUpdate struct {
	Identifier      string                 `json:"identifier"`
	Name            string                 `json:"name"`
	Tags            *map[string]string     `json:"tags,omitempty"`
	Changelog       *ChangelogUpdate       `json:"changelog,omitempty"`
	ChangeLogScript *ChangeLogScriptUpdate `json:"changeLogScript,omitempty"`
	Service         *string                `json:"service,omitempty"`
	Type            string                 `json:"type,omitempty"`
	MigrationType   string                 `json:"migrationType,omitempty"`
	UsePercona      *bool                  `json:"usePercona,omitempty"`
}

// ChangelogUpdate is the changelog block of a PUT. The block is sent whole; an optional
// key the schema had and loses is sent as "", which clears it whether the server
// replaces the block or merges it key by key (the sources do not say which).
type ChangelogUpdate struct {
	Connector   string  `json:"connector"`
	Location    string  `json:"location"`
	Repo        *string `json:"repo,omitempty"`
	ArchivePath *string `json:"archivePath,omitempty"`
	TOML        *string `json:"toml,omitempty"`
}

// ChangeLogScriptUpdate is the changeLogScript block of a PUT, sent like ChangelogUpdate.
type ChangeLogScriptUpdate struct {
	Image    string  `json:"image"`
	Command  string  `json:"command"`
	Shell    string  `json:"shell"`
	Location string  `json:"location"`
	TOML     *string `json:"toml,omitempty"`
}

// NewSchemaUpdate returns the PUT body that turns a schema whose fields are prior into
// desired: what desired sets, and an empty value for each optional key that prior held
// and desired drops. prior is what the server is believed to hold (Terraform's
// refreshed state); Mismatches then checks the answer.
func NewSchemaUpdate(prior, desired SchemaInput) SchemaUpdate {
	u := SchemaUpdate{
		Identifier:    desired.Identifier,
		Name:          desired.Name,
		Type:          desired.Type,
		MigrationType: cmp.Or(prior.MigrationType, desired.MigrationType),
		Tags:          mapChange(prior.Tags, desired.Tags),
		Service:       stringChange(prior.Service, desired.Service),
	}
	if desired.UsePercona || prior.UsePercona {
		u.UsePercona = &desired.UsePercona
	}
	if c := desired.Changelog; c != nil {
		var was Changelog
		if prior.Changelog != nil {
			was = *prior.Changelog
		}
		u.Changelog = &ChangelogUpdate{
			Connector: c.Connector, Location: c.Location,
			Repo: stringChange(was.Repo, c.Repo), ArchivePath: stringChange(was.ArchivePath, c.ArchivePath), TOML: stringChange(was.TOML, c.TOML),
		}
	}
	if c := desired.ChangeLogScript; c != nil {
		var was ChangeLogScript
		if prior.ChangeLogScript != nil {
			was = *prior.ChangeLogScript
		}
		u.ChangeLogScript = &ChangeLogScriptUpdate{Image: c.Image, Command: c.Command, Shell: c.Shell, Location: c.Location, TOML: stringChange(was.TOML, c.TOML)}
	}
	return u
}

// Mismatches lists the fields of got, the server's answer, that do not hold what in
// asked for: a value the server kept although the update cleared it, or one it
// changed (see compare).
func (in SchemaInput) Mismatches(got *Schema) []Mismatch { return compare(in, got) }

// ListSchemasOptions filters a schema list. Zero values mean no filter.
type ListSchemasOptions struct {
	SearchTerm    string
	MigrationType string // Liquibase or Flyway
	PageSize      int    // 1..100; default 100
}

func schemasPath(org, project string) string {
	return "/v1/orgs/" + url.PathEscape(org) + "/projects/" + url.PathEscape(project) + "/dbschema"
}

func schemaPath(org, project, schema string) string {
	return schemasPath(org, project) + "/" + url.PathEscape(schema)
}

// CreateSchema creates a schema exactly once, even when an answer is lost (see createOnce).
func (c *Client) CreateSchema(ctx context.Context, org, project string, in SchemaInput) (*Schema, error) {
	return createOnce(ctx, c,
		call{method: http.MethodPost, path: schemasPath(org, project), body: in},
		func(ctx context.Context) (*Schema, error) { return c.GetSchema(ctx, org, project, in.Identifier) },
		func(s *Schema) bool { return s.Name == in.Name },
	)
}

// GetSchema reads one schema; a missing one is an *APIError for which IsNotFound is true.
func (c *Client) GetSchema(ctx context.Context, org, project, schema string) (*Schema, error) {
	var out Schema
	if err := c.do(ctx, call{method: http.MethodGet, path: schemaPath(org, project, schema), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateSchema sends a PUT built by NewSchemaUpdate and returns the server's answer.
func (c *Client) UpdateSchema(ctx context.Context, org, project, schema string, in SchemaUpdate) (*Schema, error) {
	var out Schema
	if err := c.do(ctx, call{method: http.MethodPut, path: schemaPath(org, project, schema), body: in, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSchema deletes a schema. The API deletes its instances and their migration
// history with it (Harness's MCP server).
func (c *Client) DeleteSchema(ctx context.Context, org, project, schema string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: schemaPath(org, project, schema)})
}

// ListSchemas returns every schema of a project that matches opts, following all pages.
func (c *Client) ListSchemas(ctx context.Context, org, project string, opts ListSchemasOptions) ([]Schema, error) {
	q := url.Values{}
	if opts.SearchTerm != "" {
		q.Set("search_term", opts.SearchTerm)
	}
	if opts.MigrationType != "" {
		q.Set("migrationType", opts.MigrationType)
	}
	return listAll[Schema](ctx, c, call{method: http.MethodGet, path: schemasPath(org, project), query: q}, opts.PageSize)
}
