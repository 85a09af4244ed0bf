package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// ciExecutionConfigPath is Harness CI's execution config: the lite engine, the CI add-on
// and the other images every containerised stage pulls, DB DevOps stages included. It is
// the CI manager's API, behind the gateway (ciBase), with the account in the query.
const ciExecutionConfigPath = "/ci/execution-config"

// CIInfra is a CI build infrastructure, the API's `infra`: Harness keeps one config per
// infra, and their fields differ (VM has no lite engine or add-on).
type CIInfra string

// The infras the CI execution config has (harness-core CIExecutionConfigService). The
// server's enum is exact; the client sends these spellings whatever case it is given.
const (
	CIInfraK8 CIInfra = "K8"
	CIInfraVM CIInfra = "VM"
)

// CIInfras returns the CI build infrastructures, K8 (the default of Harness's own
// provider) first.
func CIInfras() []CIInfra { return []CIInfra{CIInfraK8, CIInfraVM} }

// InfraError is an infra the CI execution config does not have. The call that got it
// sent nothing.
type InfraError struct {
	Value string
}

func (e *InfraError) Error() string {
	return fmt.Sprintf("%q is not a CI build infrastructure: use %s or %s", e.Value, CIInfraK8, CIInfraVM)
}

// ParseCIInfra reads an infra in any case, around spaces too ("k8", " vm"), and returns
// the API's spelling: Harness's CI docs write "k8" in prose and K8 in their calls, and the
// server's enum is exact. Another value is an *InfraError.
func ParseCIInfra(s string) (CIInfra, error) {
	for _, infra := range CIInfras() {
		if strings.EqualFold(strings.TrimSpace(s), string(infra)) {
			return infra, nil
		}
	}
	return "", &InfraError{Value: s}
}

// CIConfig is what a read of the CI execution config answers.
type CIConfig struct {
	// Images maps a field name (liteEngineTag, addonTag, gitCloneTag...) to an image.
	// Never nil. An empty or null value is no image and is left out, as the API's
	// overridesOnly answers leave out the fields without an override.
	Images ExecutionConfig
	// NotImages names, sorted, the fields whose value was not a JSON string (a number, a
	// boolean, an object, a list), left out of Images: no image is one, and Harness's SDK
	// says such values occur (it turns them into strings; this client does not pass them
	// off as images). nil when there are none.
	NotImages []string
}

// GetCIDefaultConfig returns the CI images Harness uses on infra when the account
// overrides nothing.
func (c *Client) GetCIDefaultConfig(ctx context.Context, infra CIInfra) (CIConfig, error) {
	return c.readCIConfig(ctx, infra, "/get-default-config", nil, false)
}

// GetCICustomerConfig returns the account's CI overrides on infra (overridesOnly), or the
// effective config: the defaults with the overrides applied. No override is an empty
// Images, whether the API answers "data": {} or null.
func (c *Client) GetCICustomerConfig(ctx context.Context, infra CIInfra, overridesOnly bool) (CIConfig, error) {
	return c.readCIConfig(ctx, infra, "/get-customer-config", url.Values{"overridesOnly": {strconv.FormatBool(overridesOnly)}}, true)
}

// UpdateCIConfig sets CI overrides on infra, one batch: Harness applies all or none.
// Setting a value is idempotent, so it is retried freely. No operation sends nothing.
func (c *Client) UpdateCIConfig(ctx context.Context, infra CIInfra, ops []ConfigOperation) error {
	if len(ops) == 0 {
		return nil
	}
	return c.writeCIConfig(ctx, infra, "/update-config", ops)
}

// ciReset is one element of a reset-config body (the docs' form, with no value).
type ciReset struct {
	Field string `json:"field"`
}

// ResetCIConfig removes the CI overrides of fields on infra, putting them back on their
// defaults. Resetting is idempotent, so it is retried freely. No field sends nothing.
func (c *Client) ResetCIConfig(ctx context.Context, infra CIInfra, fields []string) error {
	if len(fields) == 0 {
		return nil
	}
	body := make([]ciReset, len(fields))
	for i, f := range fields {
		body[i] = ciReset{Field: f}
	}
	return c.writeCIConfig(ctx, infra, "/reset-config", body)
}

// IsCIExecutionConfigDenied reports whether err is a 403 from the CI execution config:
// Harness knows the API key, which may not view (reads) or edit (writes) the account
// (harness-core CIExecutionConfigResource: core_account_view, core_account_edit), as a key
// whose roles are bound in a project may not.
func IsCIExecutionConfigDenied(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.StatusCode == http.StatusForbidden && strings.HasPrefix(ae.Path, ciExecutionConfigPath)
}

// ciCall is the call of a CI operation on infra: below the gateway, with the account
// and the infra in the query.
func (c *Client) ciCall(infra CIInfra, method, op string, query url.Values) (call, error) {
	canonical, err := ParseCIInfra(string(infra))
	if err != nil {
		return call{}, err
	}
	q := url.Values{"accountIdentifier": {c.accountID}, "infra": {string(canonical)}}
	for k, v := range query {
		q[k] = v
	}
	return call{method: method, path: ciExecutionConfigPath + op, query: q, base: c.ciBase}, nil
}

func (c *Client) readCIConfig(ctx context.Context, infra CIInfra, op string, query url.Values, noDataIsEmpty bool) (CIConfig, error) {
	cl, err := c.ciCall(infra, http.MethodGet, op, query)
	if err != nil {
		return CIConfig{}, err
	}
	out := &ciAnswer{read: true, noDataIsEmpty: noDataIsEmpty, secret: c.apiKey}
	cl.out = out
	if err := c.do(ctx, cl); err != nil {
		return CIConfig{}, err
	}
	if out.config.Images == nil { // a 204, whose body is not read
		if !noDataIsEmpty {
			return CIConfig{}, &DecodeError{Method: cl.method, Path: cl.path, Status: http.StatusNoContent, Reason: "the answer has no body: it holds no images"}
		}
		out.config.Images = ExecutionConfig{}
	}
	return out.config, nil
}

func (c *Client) writeCIConfig(ctx context.Context, infra CIInfra, op string, body any) error {
	cl, err := c.ciCall(infra, http.MethodPost, op, nil)
	if err != nil {
		return err
	}
	out := &ciAnswer{secret: c.apiKey}
	cl.out, cl.body = out, body
	if err := c.do(ctx, cl); err != nil {
		return err
	}
	if string(out.Data) == "false" {
		return fmt.Errorf("%s %s: the API answered false: the change was not applied", cl.method, cl.path)
	}
	return nil
}

// ciAnswer is the NextGen envelope of every CI answer, {"status": "SUCCESS", "data": ...,
// "metaData": null, "correlationId": "..."}, checked, not trusted: an answer without
// status is not the CI API's (a proxy's JSON, the DB DevOps API's flat answer), and a
// status other than SUCCESS is not a success, whatever the HTTP status.
type ciAnswer struct {
	Status  string
	Data    json.RawMessage
	Code    string
	Message string

	read          bool   // data holds images (else a write's result: true, or anything but a list, string or number)
	noDataIsEmpty bool   // null or no data is no image (get-customer-config), not a broken answer
	secret        string // masked in the texts of the server that reach an error
	notObject     string // what the answer is when it is no JSON object, for check
	config        CIConfig
}

// UnmarshalJSON reads the envelope, and lets check say what an answer that is no object
// is (the DB DevOps API's bare true, for one) rather than fail on its type.
func (a *ciAnswer) UnmarshalJSON(b []byte) error {
	if b = bytes.TrimSpace(b); len(b) == 0 || b[0] != '{' {
		a.notObject = kindOf(b)
		return nil
	}
	var w struct {
		Status  string          `json:"status"`
		Data    json.RawMessage `json:"data"`
		Code    string          `json:"code"`
		Message string          `json:"message"`
	}
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	a.Status, a.Data, a.Code, a.Message = w.Status, w.Data, w.Code, w.Message
	return nil
}

func (a *ciAnswer) check() error {
	switch {
	case a.notObject != "":
		return fmt.Errorf(`the answer is %s, not the CI API's envelope {"status": "SUCCESS", "data": ...}: %s`, a.notObject, notHarnessHint)
	case a.Status == "":
		return fmt.Errorf(`the answer has no "status", so it is not the CI API's envelope {"status": "SUCCESS", "data": ...}: %s`, notHarnessHint)
	case a.Status != "SUCCESS":
		reason := fmt.Sprintf("the answer's status is %q, not SUCCESS", clean(a.Status, a.secret, 50))
		if code := clean(a.Code, a.secret, 100); code != "" {
			reason += " (code " + code + ")"
		}
		if msg := clean(a.Message, a.secret, 500); msg != "" {
			reason += ": " + msg
		}
		return errors.New(reason)
	}
	data := bytes.TrimSpace(a.Data)
	absent := len(data) == 0 || string(data) == "null"
	switch {
	case !a.read:
		if !absent && !slices.Contains([]byte("{tf"), data[0]) {
			return fmt.Errorf("the answer's data is %s, not the write's result (true)", kindOf(data))
		}
		return nil
	case absent && a.noDataIsEmpty:
		a.config = CIConfig{Images: ExecutionConfig{}}
		return nil
	case absent:
		return errors.New(`the answer has no "data": it holds no images`)
	case data[0] != '{':
		return fmt.Errorf("the answer's data is %s, not images by field name", kindOf(data))
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("the answer's data: %w", err)
	}
	a.config = CIConfig{Images: make(ExecutionConfig, len(raw))}
	for field, v := range raw {
		var image string
		switch err := json.Unmarshal(v, &image); {
		case string(v) == "null":
		case err != nil:
			a.config.NotImages = append(a.config.NotImages, field)
		case image != "":
			a.config.Images[field] = image
		}
	}
	slices.Sort(a.config.NotImages)
	return nil
}

// kindOf names the JSON type of a value, for an error.
func kindOf(v []byte) string {
	if len(v) == 0 {
		return "empty"
	}
	switch v[0] {
	case 'n':
		return "null"
	case '{':
		return "an object"
	case '[':
		return "a list"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	}
	return "a number"
}
