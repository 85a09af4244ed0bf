package client

import (
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
// Connector means Harness Code Repository; it is always sent, because the API keeps the
// stored connector when the key is absent.
type Changelog struct {
	Connector   string `json:"connector"`
	Location    string `json:"location"`
	Repo        string `json:"repo,omitempty"`
	ArchivePath string `json:"archivePath,omitempty"`
	Toml        string `json:"toml,omitempty"`
}

// ChangeLogScript is a schema source fetched by a script in a container (type Script).
type ChangeLogScript struct {
	Image    string `json:"image"`
	Command  string `json:"command"`
	Shell    string `json:"shell"`
	Location string `json:"location"`
	Toml     string `json:"toml,omitempty"`
}

// SchemaInput is the create body (DBSchemaIn).
type SchemaInput struct {
	Identifier      string            `json:"identifier"`
	Name            string            `json:"name"`
	Tags            map[string]string `json:"tags,omitempty"`
	Changelog       *Changelog        `json:"changelog,omitempty"`
	ChangeLogScript *ChangeLogScript  `json:"changeLogScript,omitempty"`
	Service         string            `json:"service,omitempty"` // the API rejects ""
	Type            string            `json:"type,omitempty"`
	MigrationType   string            `json:"migrationType,omitempty"`
	UsePercona      bool              `json:"usePercona"`
}

// SchemaUpdate is the PUT body (DBSchemaUpdateRequest). It carries the whole desired
// state: tags and usePercona are always sent so that emptying them clears them on the
// server, and an absent service clears the service (the API rejects "").
type SchemaUpdate struct {
	Name            string            `json:"name"`
	Tags            map[string]string `json:"tags"`
	Changelog       *Changelog        `json:"changelog,omitempty"`
	ChangeLogScript *ChangeLogScript  `json:"changeLogScript,omitempty"`
	Service         string            `json:"service,omitempty"`
	Type            string            `json:"type,omitempty"`
	UsePercona      bool              `json:"usePercona"`
}

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

// UpdateSchema replaces the schema's mutable fields with in.
func (c *Client) UpdateSchema(ctx context.Context, org, project, schema string, in SchemaUpdate) (*Schema, error) {
	if in.Tags == nil {
		in.Tags = map[string]string{}
	}
	var out Schema
	if err := c.do(ctx, call{method: http.MethodPut, path: schemaPath(org, project, schema), body: in, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteSchema deletes a schema. The API refuses while the schema has instances.
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
