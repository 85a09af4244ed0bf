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
	CommitSHA                string            `json:"commitSha,omitempty"`
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

// InstanceInput is the create body (DBInstanceIn) in the shape the official provider
// sends (its wire traffic): empty optional keys are left out. An instance of a
// schema whose changelog is in Git or Harness Code needs one of Branch, CommitSHA and
// GitTag (Harness's MCP server); the API says so with a 400 that mentions branch.
type InstanceInput struct {
	Identifier           string            `json:"identifier"`
	Name                 string            `json:"name"`
	Tags                 map[string]string `json:"tags,omitempty"`
	Branch               string            `json:"branch,omitempty"`
	CommitSHA            string            `json:"commitSha,omitempty"`
	GitTag               string            `json:"gitTag,omitempty"`
	Connector            string            `json:"connector"`
	Context              string            `json:"context,omitempty"`
	SubstituteProperties map[string]string `json:"substituteProperties,omitempty"`
}

// InstanceUpdate is the PUT body (DBInstanceUpdateRequest), like SchemaUpdate: a nil
// pointer is a key left out (nothing to keep or clear), a pointer to an empty value
// clears it. Build it with NewInstanceUpdate. identifier is sent as the official provider does.
type InstanceUpdate struct {
	Identifier           string             `json:"identifier"`
	Name                 string             `json:"name"`
	Tags                 *map[string]string `json:"tags,omitempty"`
	Branch               *string            `json:"branch,omitempty"`
	CommitSHA            *string            `json:"commitSha,omitempty"`
	GitTag               *string            `json:"gitTag,omitempty"`
	Connector            string             `json:"connector"`
	Context              *string            `json:"context,omitempty"`
	SubstituteProperties *map[string]string `json:"substituteProperties,omitempty"`
}

// NewInstanceUpdate returns the PUT body that turns an instance whose fields are prior
// into desired. Of branch, commitSha and gitTag it sends only the one desired sets,
// never "" for the others (the official provider never does, and setting one clears
// the other two, as the official provider's production test shows); when desired sets none, the one prior held is sent as "".
func NewInstanceUpdate(prior, desired InstanceInput) InstanceUpdate {
	u := InstanceUpdate{
		Identifier:           desired.Identifier,
		Name:                 desired.Name,
		Connector:            desired.Connector,
		Tags:                 mapChange(prior.Tags, desired.Tags),
		Context:              stringChange(prior.Context, desired.Context),
		SubstituteProperties: mapChange(prior.SubstituteProperties, desired.SubstituteProperties),
	}
	revisions := []struct {
		prior, desired string
		field          **string
	}{{prior.Branch, desired.Branch, &u.Branch}, {prior.CommitSHA, desired.CommitSHA, &u.CommitSHA}, {prior.GitTag, desired.GitTag, &u.GitTag}}
	setsOne := desired.Branch != "" || desired.CommitSHA != "" || desired.GitTag != ""
	for _, r := range revisions {
		switch {
		case r.desired != "":
			*r.field = &r.desired
		case !setsOne && r.prior != "":
			*r.field = new("")
		}
	}
	return u
}

// Mismatches lists the fields of got, the server's answer, that do not hold what in
// asked for (see compare).
func (in InstanceInput) Mismatches(got *Instance) []Mismatch { return compare(in, got) }

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

// UpdateInstance sends a PUT built by NewInstanceUpdate and returns the server's answer.
func (c *Client) UpdateInstance(ctx context.Context, org, project, schema, instance string, in InstanceUpdate) (*Instance, error) {
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
