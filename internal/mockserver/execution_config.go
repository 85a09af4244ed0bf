package mockserver

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// defaultImages are the 17 ExecutionConfigTags fields with their seeded defaults.
// The first five are exactly the values Harness documents for get-default-config;
// the other twelve are PLACEHOLDERS in the same naming style (Harness publishes no
// default for them), good enough to tell a default from an override in tests.
var defaultImages = map[string]string{
	"artifactoryTag": "plugins/download-artifactory:1.0.0",
	"defaultTag":     "plugins/drone-liquibase:1.18.0-4.33",
	"gitCloneTag":    "harness/drone-git:1.6.4-rootless",
	"mongoTag":       "plugins/drone-liquibase:1.18.0-4.33-mongo",
	"spannerTag":     "plugins/drone-liquibase:1.18.0-4.33-spanner",

	// Placeholders (see above).
	"bigQueryTag":          "plugins/drone-liquibase:1.18.0-4.33-bigquery",
	"bigtableTag":          "plugins/drone-liquibase:1.18.0-4.33-bigtable",
	"cloudSqlTag":          "plugins/drone-liquibase:1.18.0-4.33-cloudsql",
	"db2Tag":               "plugins/drone-liquibase:1.18.0-4.33-db2",
	"oracleTag":            "plugins/drone-liquibase:1.18.0-4.33-oracle",
	"perconaTag":           "plugins/drone-liquibase:1.18.0-4.33-percona",
	"rdsTag":               "plugins/drone-liquibase:1.18.0-4.33-rds",
	"snowflakeTag":         "plugins/drone-liquibase:1.18.0-4.33-snowflake",
	"flywayDefaultTag":     "plugins/drone-flyway:1.2.0-11.8",
	"flywayMongoTag":       "plugins/drone-flyway:1.2.0-11.8-mongo",
	"flywaySpannerTag":     "plugins/drone-flyway:1.2.0-11.8-spanner",
	"flywaySpannerPsqlTag": "plugins/drone-flyway:1.2.0-11.8-spanner-psql",
}

// Fields returns the 17 execution-config field names, sorted.
func Fields() []string { return slices.Sorted(maps.Keys(defaultImages)) }

// DefaultImages returns a copy of the seeded default image of every field.
func DefaultImages() map[string]string { return maps.Clone(defaultImages) }

func isField(f string) bool { _, ok := defaultImages[f]; return ok }

func unknownFieldError(f string) error {
	return fmt.Errorf("unknown execution-config field %q; valid fields: %s", f, strings.Join(Fields(), ", "))
}

// Defaults returns a copy of the current default image of every field.
func (s *Server) Defaults() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.st.Defaults)
}

// SetDefault changes a default image, as a Harness release would. A field name the mock
// does not know is added, as a Harness release adds fields: clients must cope with
// fields newer than themselves.
func (s *Server) SetDefault(field, value string) error {
	if !fieldName.MatchString(field) {
		return fmt.Errorf("%q is not a field name (lowerCamelCase, such as gitCloneTag)", field)
	}
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("value for %q is empty", field)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Defaults[field] = value
	return nil
}

var fieldName = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

// checkField accepts the 17 documented fields and any field this server's defaults
// have gained since (see SetDefault).
func (s *Server) checkField(field, value string) error {
	s.mu.Lock()
	_, added := s.st.Defaults[field]
	s.mu.Unlock()
	if added && !isField(field) {
		if strings.TrimSpace(value) == "" {
			return fmt.Errorf("value for %q is empty", field)
		}
		return nil
	}
	return checkConfigValue(field, value)
}

// Overrides returns a copy of the account's overrides.
func (s *Server) Overrides() map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return maps.Clone(s.st.Overrides)
}

// SetOverride sets an override out of band (as the Harness UI would).
func (s *Server) SetOverride(field, value string) error {
	if err := s.checkField(field, value); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.st.Overrides[field] = value
	return nil
}

// DeleteOverride removes an override out of band; a missing one is a no-op.
func (s *Server) DeleteOverride(field string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.st.Overrides, field)
}

func checkConfigValue(field, value string) error {
	if !isField(field) {
		return unknownFieldError(field)
	}
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("value for %q is empty: give an image reference such as %q (to go back to the default, use reset-config)", field, defaultImages[field])
	}
	return nil
}

func (s *Server) handleGetDefaultConfig(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, s.Defaults())
}

// handleGetCustomerConfig: overridesOnly defaults to true (Harness: "Returns the
// non-default images if true"); false answers the images pipelines really use.
func (s *Server) handleGetCustomerConfig(w http.ResponseWriter, r *http.Request) {
	only, err := overridesOnly(r)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	s.mu.Lock()
	out := customerImages(s.st.Defaults, s.st.Overrides, only)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// overridesOnly reads get-customer-config's query parameter, true by default, in any case.
func overridesOnly(r *http.Request) (bool, error) {
	switch v := r.URL.Query().Get("overridesOnly"); strings.ToLower(v) {
	case "", "true":
		return true, nil
	case "false":
		return false, nil
	default:
		return false, fmt.Errorf("query parameter overridesOnly=%q is invalid: use true or false", v)
	}
}

// customerImages is a copy of the overrides (only), or of the defaults with the
// overrides applied: the images pipelines really use.
func customerImages(defaults, overrides map[string]string, only bool) map[string]string {
	if only {
		return maps.Clone(overrides)
	}
	out := maps.Clone(defaults)
	maps.Copy(out, overrides)
	return out
}

// configOperation is one element of the update-config body (ExecutionConfigOperation).
type configOperation struct {
	Field *string `json:"field"`
	Value *string `json:"value"`
}

// handleUpdateConfig validates the whole batch before applying any of it, so a bad
// element never leaves the account half-updated.
func (s *Server) handleUpdateConfig(w http.ResponseWriter, r *http.Request) {
	var ops []configOperation
	if !decodeBody(w, r, &ops) {
		return
	}
	if len(ops) == 0 {
		writeError(w, http.StatusBadRequest, `update-config body must be a non-empty JSON array: [{"field": "...", "value": "..."}, ...]`)
		return
	}
	var problems []string
	for i, op := range ops {
		switch {
		case op.Field == nil:
			problems = append(problems, fmt.Sprintf("element %d: \"field\" is required", i))
		case op.Value == nil:
			problems = append(problems, fmt.Sprintf("element %d: \"value\" is required", i))
		default:
			if err := s.checkField(*op.Field, *op.Value); err != nil {
				problems = append(problems, fmt.Sprintf("element %d: %v", i, err))
			}
		}
	}
	if len(problems) > 0 {
		writeError(w, http.StatusBadRequest, "nothing was updated: "+strings.Join(problems, "; "))
		return
	}
	s.mu.Lock()
	for _, op := range ops {
		s.st.Overrides[*op.Field] = *op.Value
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, true)
}

// handleResetConfig accepts both documented body shapes, ["f", ...] (the OpenAPI
// spec) and [{"field": "f"}, ...] (the older Harness docs), even mixed. An empty array is
// refused like in update-config: it is almost certainly a client bug.
func (s *Server) handleResetConfig(w http.ResponseWriter, r *http.Request) {
	var elems []json.RawMessage
	if !decodeBody(w, r, &elems) {
		return
	}
	if len(elems) == 0 {
		writeError(w, http.StatusBadRequest, `reset-config body must be a non-empty JSON array: ["gitCloneTag", ...] or [{"field": "gitCloneTag"}, ...]`)
		return
	}
	fields := make([]string, 0, len(elems))
	var problems []string
	for i, raw := range elems {
		var name string
		if err := decodeStrict(raw, &name); err != nil {
			var obj struct {
				Field *string `json:"field"`
			}
			if err2 := decodeStrict(raw, &obj); err2 != nil {
				problems = append(problems, fmt.Sprintf(`element %d: must be a field name string or {"field": "..."}: %v`, i, err2))
				continue
			}
			if obj.Field == nil {
				problems = append(problems, fmt.Sprintf(`element %d: "field" is required`, i))
				continue
			}
			name = *obj.Field
		}
		if err := s.checkField(name, "x"); err != nil {
			problems = append(problems, fmt.Sprintf("element %d: %v", i, unknownFieldError(name)))
			continue
		}
		fields = append(fields, name)
	}
	if len(problems) > 0 {
		writeError(w, http.StatusBadRequest, "nothing was reset: "+strings.Join(problems, "; "))
		return
	}
	s.mu.Lock()
	for _, f := range fields {
		delete(s.st.Overrides, f)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, true)
}

// handleDeleteConfig removes every override: true if there were any, false if not.
func (s *Server) handleDeleteConfig(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	had := len(s.st.Overrides) > 0
	s.st.Overrides = map[string]string{}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, had)
}
