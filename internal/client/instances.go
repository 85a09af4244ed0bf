package client

import (
	"context"
	"net/http"
	"net/url"
)

// Instance is a DB instance as the API returns it (DBInstanceOut).
type Instance struct {
	Identifier               string            `json:"identifier"`
	Name                     string            `json:"name"`
	Tags                     map[string]string `json:"tags,omitempty"`
	Branch                   string            `json:"branch,omitempty"`
	CommitSha                string            `json:"commitSha,omitempty"`
	GitTag                   string            `json:"gitTag,omitempty"`
	Connector                string            `json:"connector"`
	Context                  string            `json:"context,omitempty"`
	SubstituteProperties     map[string]string `json:"substituteProperties,omitempty"`
	Created                  int64             `json:"created"`
	Updated                  int64             `json:"updated"`
	LastAppliedTag           string            `json:"lastAppliedTag,omitempty"`
	LastDeployedChangeSetTag string            `json:"lastDeployedChangeSetTag"`
	ToOnboard                bool              `json:"toOnboard"`
	SchemaID                 string            `json:"schemaId,omitempty"`
	SchemaIdentifier         string            `json:"schemaIdentifier,omitempty"`
}

func (i *Instance) check() error {
	if i.Identifier == "" {
		return missingIdentifier("DB instance")
	}
	return nil
}

// InstanceInput is the create body (DBInstanceIn).
type InstanceInput struct {
	Identifier           string            `json:"identifier"`
	Name                 string            `json:"name"`
	Tags                 map[string]string `json:"tags,omitempty"`
	Branch               string            `json:"branch,omitempty"`
	CommitSha            string            `json:"commitSha,omitempty"`
	GitTag               string            `json:"gitTag,omitempty"`
	Connector            string            `json:"connector"`
	Context              string            `json:"context,omitempty"`
	SubstituteProperties map[string]string `json:"substituteProperties,omitempty"`
}

// InstanceUpdate is the PUT body (DBInstanceUpdateRequest). It carries the whole
// desired state: every field is sent, empty ones as "" or {}, so that a value removed
// from the configuration (or a revision switched from branch to git tag) is cleared on
// the server whatever its merge rules.
type InstanceUpdate struct {
	Name                 string            `json:"name"`
	Tags                 map[string]string `json:"tags"`
	Branch               string            `json:"branch"`
	CommitSha            string            `json:"commitSha"`
	GitTag               string            `json:"gitTag"`
	Connector            string            `json:"connector"`
	Context              string            `json:"context"`
	SubstituteProperties map[string]string `json:"substituteProperties"`
}

// InstanceTag filters an instance list; a nil Value matches any value of Key.
type InstanceTag struct {
	Key   string  `json:"key"`
	Value *string `json:"value"`
}

// ListInstancesOptions filters an instance list. Zero values mean no filter.
type ListInstancesOptions struct {
	SearchTerm string
	Tags       []InstanceTag
	FilterType string // Equals (default) or NotEquals
	PageSize   int    // 1..100; default 100
}

func instancesPath(org, project, schema string) string {
	return schemaPath(org, project, schema) + "/instance"
}

func instancePath(org, project, schema, instance string) string {
	return instancesPath(org, project, schema) + "/" + url.PathEscape(instance)
}

// CreateInstance creates an instance exactly once, even when an answer is lost (see createOnce).
func (c *Client) CreateInstance(ctx context.Context, org, project, schema string, in InstanceInput) (*Instance, error) {
	return createOnce(ctx, c,
		call{method: http.MethodPost, path: instancesPath(org, project, schema), body: in},
		func(ctx context.Context) (*Instance, error) {
			return c.GetInstance(ctx, org, project, schema, in.Identifier)
		},
		func(i *Instance) bool { return i.Name == in.Name && i.Connector == in.Connector },
	)
}

// GetInstance reads one instance; a missing one is an *APIError for which IsNotFound is true.
func (c *Client) GetInstance(ctx context.Context, org, project, schema, instance string) (*Instance, error) {
	var out Instance
	if err := c.do(ctx, call{method: http.MethodGet, path: instancePath(org, project, schema, instance), out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// UpdateInstance replaces the instance's mutable fields with in.
func (c *Client) UpdateInstance(ctx context.Context, org, project, schema, instance string, in InstanceUpdate) (*Instance, error) {
	if in.Tags == nil {
		in.Tags = map[string]string{}
	}
	if in.SubstituteProperties == nil {
		in.SubstituteProperties = map[string]string{}
	}
	var out Instance
	if err := c.do(ctx, call{method: http.MethodPut, path: instancePath(org, project, schema, instance), body: in, out: &out}); err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteInstance deletes an instance.
func (c *Client) DeleteInstance(ctx context.Context, org, project, schema, instance string) error {
	return c.do(ctx, call{method: http.MethodDelete, path: instancePath(org, project, schema, instance)})
}

// ListInstances returns every instance of a schema that matches opts, following all
// pages. The API lists with a POST (instancelist) whose body is the tag filter; it
// changes nothing, so it is retried like a read.
func (c *Client) ListInstances(ctx context.Context, org, project, schema string, opts ListInstancesOptions) ([]Instance, error) {
	q := url.Values{}
	if opts.SearchTerm != "" {
		q.Set("search_term", opts.SearchTerm)
	}
	filter := struct {
		FilterType   string        `json:"filterType,omitempty"`
		InstanceTags []InstanceTag `json:"instanceTags,omitempty"`
	}{FilterType: opts.FilterType, InstanceTags: opts.Tags}
	return listAll[Instance](ctx, c, call{method: http.MethodPost, path: schemaPath(org, project, schema) + "/instancelist", query: q, body: filter}, opts.PageSize)
}
