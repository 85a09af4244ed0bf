package mockserver

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// ciExecutionConfigPath is Harness CI's execution config: the lite engine, the CI add-on
// and the other images every containerised stage pulls, DB DevOps stages included. It is
// the CI manager's API, behind the gateway only (ciServed), not the DB DevOps service's.
const ciExecutionConfigPath = "/ci/execution-config"

// The CI build infrastructures whose configs the API keeps apart (its `infra` query
// parameter). The server's enum is case-sensitive (harness-core StageInfraDetails.Type).
const (
	CIInfraK8 = "K8"
	CIInfraVM = "VM"
)

// CIInfras returns the CI build infrastructures, K8 first.
func CIInfras() []string { return []string{CIInfraK8, CIInfraVM} }

// ciDefaultImages are the seeded CI defaults per infra. K8 is exactly the get-default-config
// answer of Harness's docs (developer hub, "Harness CI images", the example with
// 1.16.92: a dated example, versions move). VM has the fields harness-core maps for VM
// (CIExecutionConfigService.mapVMConfig: no lite engine or add-on, which run on the VM
// itself); its images are PLACEHOLDERS, as Harness publishes no VM example.
var ciDefaultImages = map[string]map[string]string{
	CIInfraK8: {
		"addonTag":                            "harness/ci-addon:1.16.92",
		"liteEngineTag":                       "harness/ci-lite-engine:1.16.92",
		"addonTagRootless":                    "harness/ci-addon:rootless-1.16.92",
		"liteEngineTagRootless":               "harness/ci-lite-engine:rootless-1.16.92",
		"gitCloneTag":                         "harness/drone-git:1.6.9-rootless",
		"buildAndPushDockerRegistryTag":       "plugins/kaniko:1.10.6",
		"buildAndPushECRTag":                  "plugins/kaniko-ecr:1.11.0",
		"buildAndPushACRTag":                  "plugins/kaniko-acr:1.11.2",
		"buildAndPushGCRTag":                  "plugins/kaniko-gcr:1.10.1",
		"buildAndPushGARTag":                  "plugins/kaniko-gar:1.11.1",
		"buildAndPushBuildxDockerRegistryTag": "plugins/buildx:1.3.3",
		"buildAndPushBuildxECRTag":            "plugins/buildx-ecr:1.3.1",
		"buildAndPushBuildxGARTag":            "plugins/buildx-gar:1.3.1",
		"buildAndPushBuildxACRTag":            "plugins/buildx-acr:1.3.1",
		"gcsUploadTag":                        "plugins/gcs:1.6.3",
		"s3UploadTag":                         "plugins/s3:1.5.3",
		"artifactoryUploadTag":                "plugins/artifactory:1.7.6",
		"cacheGCSTag":                         "plugins/cache:1.9.8",
		"cacheS3Tag":                          "plugins/cache:1.9.8",
		"cacheProxyImage":                     "harness/harness-cache-server:1.7.4",
		"securityTag":                         "harness/sto-plugin:latest",
		"sscaOrchestrationTag":                "harness/ssca-plugin:0.39.0",
		"sscaEnforcementTag":                  "harness/ssca-plugin:0.39.0",
		"sscaArtifactSigningTag":              "harness/ssca-artifact-signing-plugin:0.39.0",
		"sscaArtifactVerificationTag":         "harness/ssca-artifact-signing-plugin:0.39.0",
		"sscaCdxgenOrchestrationTag":          "harness/ssca-cdxgen-plugin:0.39.0",
		"provenanceTag":                       "harness/slsa-plugin:0.39.0",
		"slsaVerificationTag":                 "harness/slsa-plugin:0.39.0",
		"sscaComplianceTag":                   "harness/ssca-compliance-plugin:0.39.0",
		"iacmTerraform":                       "plugins/harness_terraform:dev",
		"iacmTerragrunt":                      "plugins/harness_terraform:dev",
		"iacmAnsible":                         "plugins/harness_terraform:dev",
		"iacmOpenTofu":                        "plugins/harness_terraform:dev",
		"iacmCheckov":                         "plugins/harness_checkov:dev",
		"iacmTFCompliance":                    "plugins/harness_tf_compliance:dev",
		"iacmTFLint":                          "plugins/harness_tf_lint:dev",
		"iacmTFSec":                           "plugins/harness_tf_sec:dev",
		"iacmModuleTest":                      "plugins/harness_terraform:dev",
		"cookieCutter":                        "harness/cookiecutter:latest",
		"createRepo":                          "harness/createrepo:latest",
		"directPush":                          "harness/directpush:latest",
		"registerCatalog":                     "harness/registercatalog:latest",
		"createCatalog":                       "harness/createcatalog:latest",
		"slackNotify":                         "harness/slacknotify:latest",
		"createOrganisation":                  "harness/createorganisation:latest",
		"createProject":                       "harness/createproject:latest",
		"createResource":                      "harness/createresource:latest",
		"updateCatalogProperty":               "harness/updatecatalogproperty:latest",
	},
	CIInfraVM: { // Placeholders (see above), in the naming of Harness's image list.
		"gitCloneTag":                   "harness/drone-git:1.6.9",
		"buildAndPushDockerRegistryTag": "plugins/docker:20.18.6",
		"buildAndPushECRTag":            "plugins/ecr:20.18.6",
		"buildAndPushACRTag":            "plugins/acr:20.18.6",
		"buildAndPushGCRTag":            "plugins/gcr:20.18.6",
		"buildAndPushGARTag":            "plugins/gar:20.18.6",
		"gcsUploadTag":                  "plugins/gcs:1.6.3",
		"s3UploadTag":                   "plugins/s3:1.5.3",
		"artifactoryUploadTag":          "plugins/artifactory:1.7.6",
		"cacheGCSTag":                   "plugins/cache:1.9.8",
		"cacheS3Tag":                    "plugins/cache:1.9.8",
		"securityTag":                   "harness/sto-plugin:latest",
		"sscaOrchestrationTag":          "harness/ssca-plugin:0.39.0",
		"sscaEnforcementTag":            "harness/ssca-plugin:0.39.0",
		"slsaVerificationTag":           "harness/slsa-plugin:0.39.0",
	},
}

// DefaultCIImages returns a copy of the seeded CI defaults of infra (nil for another infra).
func DefaultCIImages(infra string) map[string]string { return maps.Clone(ciDefaultImages[infra]) }

// ciConfig is the CI execution config of one infra: Harness's defaults (fields move and
// appear by release: they are data, as SetCIDefault shows) and the account's overrides.
type ciConfig struct {
	defaults  map[string]string
	overrides map[string]string
}

func newCIConfigs() map[string]*ciConfig {
	out := make(map[string]*ciConfig, len(ciDefaultImages))
	for infra := range ciDefaultImages {
		out[infra] = &ciConfig{defaults: DefaultCIImages(infra), overrides: map[string]string{}}
	}
	return out
}

// seeded reports whether the config is the mock's seeded one: no override, no default moved.
func (c *ciConfig) seeded(infra string) bool {
	return len(c.overrides) == 0 && maps.Equal(c.defaults, ciDefaultImages[infra])
}

func isCIInfra(infra string) bool { _, ok := ciDefaultImages[infra]; return ok }

func ciInfraError(infra string) error {
	return fmt.Errorf("%q is not a CI build infrastructure: use %s (case matters)", infra, strings.Join(CIInfras(), " or "))
}

// ciField checks that field is one of infra's fields: those its defaults have, which
// include fields a Harness release added (SetCIDefault).
func (c *ciConfig) ciField(infra, field string) error {
	if _, ok := c.defaults[field]; ok {
		return nil
	}
	// harness-core's words (CIExecutionConfigService.setK8Field), and the fields there are.
	return fmt.Errorf("Field %s does not exist for infra type: %s; its fields: %s", //nolint:staticcheck // Harness's words, capital included
		field, infra, strings.Join(slices.Sorted(maps.Keys(c.defaults)), ", "))
}

// withCI runs f on infra's config under the store lock.
func (s *Server) withCI(infra string, f func(*ciConfig) error) error {
	if !isCIInfra(infra) {
		return ciInfraError(infra)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return f(s.st.ci[infra])
}

// CIDefaults returns a copy of the current CI defaults of infra (nil for another infra).
func (s *Server) CIDefaults(infra string) map[string]string {
	var out map[string]string
	_ = s.withCI(infra, func(c *ciConfig) error { out = maps.Clone(c.defaults); return nil })
	return out
}

// CIOverrides returns a copy of the account's CI overrides of infra (nil for another infra).
func (s *Server) CIOverrides(infra string) map[string]string {
	var out map[string]string
	_ = s.withCI(infra, func(c *ciConfig) error { out = maps.Clone(c.overrides); return nil })
	return out
}

// SetCIDefault moves a CI default of infra, as a Harness release would; a field name the
// infra does not have is added, as a release adds fields (overrides may then use it).
func (s *Server) SetCIDefault(infra, field, value string) error {
	if err := checkSeedImage(field, value); err != nil {
		return err
	}
	return s.withCI(infra, func(c *ciConfig) error { c.defaults[field] = value; return nil })
}

// SetCIOverride sets a CI override of infra out of band, as the Harness UI would.
func (s *Server) SetCIOverride(infra, field, value string) error {
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("value for %q is empty", field)
	}
	return s.withCI(infra, func(c *ciConfig) error {
		if err := c.ciField(infra, field); err != nil {
			return err
		}
		c.overrides[field] = value
		return nil
	})
}

// DeleteCIOverride removes a CI override of infra out of band; a missing one is a no-op.
func (s *Server) DeleteCIOverride(infra, field string) error {
	return s.withCI(infra, func(c *ciConfig) error {
		if err := c.ciField(infra, field); err != nil {
			return err
		}
		delete(c.overrides, field)
		return nil
	})
}

// checkSeedImage is the rule for a default: a field name and an image.
func checkSeedImage(field, value string) error {
	if !fieldName.MatchString(field) {
		return fmt.Errorf("%q is not a field name (lowerCamelCase, such as gitCloneTag)", field)
	}
	if strings.TrimSpace(value) == "" {
		return fmt.Errorf("value for %q is empty", field)
	}
	return nil
}

// ngResponse is the NextGen envelope of the CI API's answers (harness-core ResponseDTO);
// the developer hub's examples show it with "metaData": null.
type ngResponse struct {
	Status        string `json:"status"`
	Data          any    `json:"data"`
	MetaData      any    `json:"metaData"`
	CorrelationID string `json:"correlationId"`
}

// ngError is the NextGen error envelope: the developer hub shows it
// ({"status":"ERROR","code":"INVALID_REQUEST","message":...,"correlationId":...,
// "detailedMessage":null,"responseMessages":[...],"metadata":null}), as do the SDK's
// nextgen ModelError and Failure.
type ngError struct {
	Status           string              `json:"status"`
	Code             string              `json:"code"`
	Message          string              `json:"message"`
	CorrelationID    string              `json:"correlationId"`
	DetailedMessage  *string             `json:"detailedMessage"`
	ResponseMessages []ngResponseMessage `json:"responseMessages"`
	Metadata         any                 `json:"metadata"`
}

type ngResponseMessage struct {
	Code         string   `json:"code"`
	Level        string   `json:"level"`
	Message      string   `json:"message"`
	Exception    any      `json:"exception"`
	FailureTypes []string `json:"failureTypes"`
}

// ngCodes are the NextGen error codes the mock answers with, by status (DESIGN.md).
var ngCodes = map[int]string{
	http.StatusBadRequest:          "INVALID_REQUEST",
	http.StatusMethodNotAllowed:    "INVALID_REQUEST",
	http.StatusUnauthorized:        "INVALID_TOKEN",
	http.StatusForbidden:           "NG_ACCESS_DENIED",
	http.StatusNotFound:            "RESOURCE_NOT_FOUND",
	http.StatusInternalServerError: "UNEXPECTED",
}

// writeNG answers data in the NextGen envelope; the correlation ID is the request's ID.
func writeNG(w http.ResponseWriter, status int, data any) {
	writeJSON(w, status, ngResponse{Status: "SUCCESS", Data: data, CorrelationID: w.Header().Get("X-Request-Id")})
}

// writeNGError answers an error in the NextGen envelope.
func writeNGError(w http.ResponseWriter, status int, msg string) {
	code := ngCodes[status]
	if code == "" {
		code = "UNEXPECTED"
	}
	writeJSON(w, status, ngError{
		Status: "ERROR", Code: code, Message: msg, CorrelationID: w.Header().Get("X-Request-Id"),
		ResponseMessages: []ngResponseMessage{{Code: code, Level: "ERROR", Message: msg, FailureTypes: []string{}}},
	})
}

// isCIPath reports whether a path (without API prefix) belongs to the CI API, whose
// errors take the NextGen envelope.
func isCIPath(p string) bool {
	return p == ciExecutionConfigPath || strings.HasPrefix(p, ciExecutionConfigPath+"/")
}

// ciScope reads the query every CI call carries: accountIdentifier (the key's account)
// and infra (K8 or VM). It answers the error itself and returns "" when they are wrong.
func (s *Server) ciScope(w http.ResponseWriter, r *http.Request) string {
	q := r.URL.Query()
	switch acct := q.Get("accountIdentifier"); {
	case acct == "":
		writeNGError(w, http.StatusBadRequest, "accountIdentifier: must not be null: give the account in the query (accountIdentifier=...)")
		return ""
	case acct != s.accountID:
		writeNGError(w, http.StatusForbidden, fmt.Sprintf("accountIdentifier names account %q, but the API key belongs to another account", acct))
		return ""
	}
	infra := q.Get("infra")
	switch {
	case infra == "":
		writeNGError(w, http.StatusBadRequest, "infra: must not be null: give infra=K8 or infra=VM")
		return ""
	case !isCIInfra(infra):
		writeNGError(w, http.StatusBadRequest, "infra: "+ciInfraError(infra).Error())
		return ""
	}
	return infra
}

func (s *Server) handleCIGetDefaultConfig(w http.ResponseWriter, r *http.Request) {
	if infra := s.ciScope(w, r); infra != "" {
		writeNG(w, http.StatusOK, s.CIDefaults(infra))
	}
}

// handleCIGetCustomerConfig: overridesOnly defaults to true ("returns the non-default
// images"); false answers the defaults with the overrides applied. No override answers
// "data": {} (the docs' example; harness-core omits unset fields).
func (s *Server) handleCIGetCustomerConfig(w http.ResponseWriter, r *http.Request) {
	infra := s.ciScope(w, r)
	if infra == "" {
		return
	}
	only, err := overridesOnly(r)
	if err != nil {
		writeNGError(w, http.StatusBadRequest, err.Error())
		return
	}
	var out map[string]string
	_ = s.withCI(infra, func(c *ciConfig) error { out = customerImages(c.defaults, c.overrides, only); return nil })
	writeNG(w, http.StatusOK, out)
}

// ciOperation is one element of an update-config or reset-config body: harness-core reads
// both as its Operation {field, value}; reset ignores the value.
type ciOperation struct {
	Field *string `json:"field"`
	Value *string `json:"value"`
}

// handleCIBatch serves update-config and reset-config: a non-empty list of operations,
// every one checked against infra's fields (and, for an update, its value) before any is
// applied, under one lock, as harness-core saves the config only once every field of the
// batch was accepted.
func (s *Server) handleCIBatch(w http.ResponseWriter, r *http.Request, update bool) {
	infra := s.ciScope(w, r)
	if infra == "" {
		return
	}
	verb, example := "reset-config", `[{"field": "liteEngineTag"}, ...]`
	if update {
		verb, example = "update-config", `[{"field": "liteEngineTag", "value": "harness/ci-lite-engine:1.16.92"}, ...]`
	}
	b, err := readBody(r)
	var ops []ciOperation
	if err == nil {
		err = decodeStrict(b, &ops)
	}
	if err == nil && len(ops) == 0 {
		err = fmt.Errorf("%s body must be a non-empty JSON array: %s", verb, example)
	}
	if err != nil {
		writeNGError(w, http.StatusBadRequest, err.Error())
		return
	}
	var problems []string
	_ = s.withCI(infra, func(c *ciConfig) error {
		for i, op := range ops {
			switch {
			case op.Field == nil:
				problems = append(problems, fmt.Sprintf(`element %d: "field" is required`, i))
			case update && (op.Value == nil || strings.TrimSpace(*op.Value) == ""):
				problems = append(problems, fmt.Sprintf(`element %d: "value" of %s is empty: give an image reference (to go back to the default, use reset-config)`, i, *op.Field))
			default:
				if err := c.ciField(infra, *op.Field); err != nil {
					problems = append(problems, fmt.Sprintf("element %d: %v", i, err))
				}
			}
		}
		if len(problems) > 0 {
			return nil
		}
		for _, op := range ops {
			if update {
				c.overrides[*op.Field] = *op.Value
			} else {
				delete(c.overrides, *op.Field)
			}
		}
		return nil
	})
	if len(problems) > 0 {
		writeNGError(w, http.StatusBadRequest, "nothing was changed: "+strings.Join(problems, "; "))
		return
	}
	writeNG(w, http.StatusOK, true)
}

func (s *Server) handleCIUpdateConfig(w http.ResponseWriter, r *http.Request) {
	s.handleCIBatch(w, r, true)
}

func (s *Server) handleCIResetConfig(w http.ResponseWriter, r *http.Request) {
	s.handleCIBatch(w, r, false)
}
