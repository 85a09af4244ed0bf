package contract

import (
	"net/http"
	"testing"
)

// The CI execution config's routes (internal/mockserver RouteCI* constants).
const (
	rCIDefaultConfig  = "GET /ci/execution-config/get-default-config"
	rCICustomerConfig = "GET /ci/execution-config/get-customer-config"
	rCIUpdateConfig   = "POST /ci/execution-config/update-config"
	rCIResetConfig    = "POST /ci/execution-config/reset-config"
	pCI               = "/gateway/ci/execution-config"
	ciQuery           = "accountIdentifier=acc&infra=K8"
)

var ciRoutes = []string{rCIDefaultConfig, rCICustomerConfig, rCIUpdateConfig, rCIResetConfig}

// The developer hub's answers (EVIDENCE.md, DH CI images), shortened.
const (
	hubCIDefaults = `{"status":"SUCCESS","data":{"addonTag":"harness/ci-addon:1.16.92","liteEngineTag":"harness/ci-lite-engine:1.16.92",` +
		`"gitCloneTag":"harness/drone-git:1.6.9-rootless"},"metaData":null,"correlationId":"08919155-a6d6-4bd3-8401-6b86318c85ca"}`
	hubCINoOverride = `{"status":"SUCCESS","data":{},"metaData":null,"correlationId":"11ce1bc8-b337-4687-9ab9-e13d553ae82f"}`
	// The developer hub's NextGen error (its custom triggers page), shortened.
	hubNGError = `{"status":"ERROR","code":"INVALID_REQUEST","message":"Invalid request: Authorization is mandatory","correlationId":"465d6463",` +
		`"detailedMessage":null,"responseMessages":[{"code":"INVALID_REQUEST","level":"ERROR","message":"Invalid request","exception":null,"failureTypes":[]}],"metadata":null}`
)

func TestCIRequests(t *testing.T) {
	noAccount := "infra=K8"
	runRequests(t, []requestCase{
		// good
		{name: "CI default config K8", method: "GET", path: pCI + "/get-default-config", query: ciQuery},
		{name: "CI default config VM at the root", method: "GET", path: "/ci/execution-config/get-default-config", query: "accountIdentifier=acc&infra=VM"},
		{name: "CI customer config", method: "GET", path: pCI + "/get-customer-config", query: ciQuery + "&overridesOnly=false"},
		{name: "CI customer config, overridesOnly left out", method: "GET", path: pCI + "/get-customer-config", query: ciQuery},
		{name: "CI update-config, the docs' body", method: "POST", path: pCI + "/update-config", query: ciQuery,
			body: `[{"field":"gitCloneTag","value":"harness/drone-git:1.6.9-rootless"},{"field":"gcsUploadTag","value":"plugins/gcs:1.6.3"}]`},
		{name: "CI reset-config, the docs' body", method: "POST", path: pCI + "/reset-config", query: ciQuery,
			body: `[{"field":"gitCloneTag"},{"field":"gcsUploadTag"}]`},
		{name: "CI headers as the docs send them", method: "GET", path: pCI + "/get-default-config", query: ciQuery,
			header: http.Header{"X-API-KEY": {"pat.x"}}},

		// bad
		{name: "CI without accountIdentifier", method: "GET", path: pCI + "/get-default-config", query: noAccount,
			want: req(rCIDefaultConfig, `query accountIdentifier: required, but missing`)},
		{name: "CI without infra", method: "GET", path: pCI + "/get-customer-config", query: "accountIdentifier=acc",
			want: req(rCICustomerConfig, `query infra: required, but missing`)},
		{name: "CI infra in lower case", method: "POST", path: pCI + "/reset-config", query: "accountIdentifier=acc&infra=k8", body: `[{"field":"addonTag"}]`,
			want: req(rCIResetConfig, `query infra: value is not one of the allowed values ["K8","VM"]`)},
		{name: "CI overridesOnly not a boolean", method: "GET", path: pCI + "/get-customer-config", query: ciQuery + "&overridesOnly=yes",
			want: req(rCICustomerConfig, `query overridesOnly: value yes: an invalid boolean: invalid syntax`)},
		{name: "CI reset-config in the DB DevOps form", method: "POST", path: pCI + "/reset-config", query: ciQuery, body: `["gitCloneTag"]`,
			want: req(rCIResetConfig, `body /0: value must be an object`)},
		{name: "CI reset-config with a value", method: "POST", path: pCI + "/reset-config", query: ciQuery, body: `[{"field":"gitCloneTag","value":""}]`,
			want: req(rCIResetConfig, `body /0: property "value" is unsupported`)},
		{name: "CI update-config without value", method: "POST", path: pCI + "/update-config", query: ciQuery, body: `[{"field":"gitCloneTag"}]`,
			want: req(rCIUpdateConfig, `body /0: property "value" is missing`)},
		{name: "CI update-config empty", method: "POST", path: pCI + "/update-config", query: ciQuery, body: `[]`,
			want: req(rCIUpdateConfig, `body: minimum number of items is 1`)},
		{name: "CI behind the DB DevOps prefix", method: "GET", path: "/gateway/dbops/ci/execution-config/get-default-config", query: ciQuery,
			want: req("", "no operation in the contract for GET /gateway/dbops/ci/execution-config/get-default-config")},
		{name: "CI under /v1", method: "GET", path: "/gateway/v1/ci/execution-config/get-default-config", query: ciQuery,
			want: req("", "no operation in the contract for GET /gateway/v1/ci/execution-config/get-default-config")},
	})
}

func TestCIResponses(t *testing.T) {
	v := newValidator(t)
	res := func(route, msg string) []Violation {
		return []Violation{{Route: route, Part: PartResponse, Message: msg}}
	}
	runResponses(t, v, []responseCase{
		// good
		{name: "the docs' defaults", method: "GET", path: pCI + "/get-default-config", status: 200, body: hubCIDefaults},
		{name: "the docs' customer config with no override", method: "GET", path: pCI + "/get-customer-config", status: 200, body: hubCINoOverride},
		{name: "customer config data null", method: "GET", path: pCI + "/get-customer-config", status: 200, body: `{"status":"SUCCESS","data":null,"metaData":null,"correlationId":"c"}`},
		{name: "customer config without data", method: "GET", path: pCI + "/get-customer-config", status: 200, body: `{"status":"SUCCESS"}`},
		{name: "update-config true", method: "POST", path: pCI + "/update-config", status: 200, body: `{"status":"SUCCESS","data":true,"metaData":null,"correlationId":"c"}`},
		{name: "the docs' NG error", method: "POST", path: pCI + "/reset-config", status: 400, body: hubNGError},
		{name: "access denied with its checks", method: "GET", path: pCI + "/get-default-config", status: 403,
			body: `{"status":"ERROR","code":"NG_ACCESS_DENIED","message":"Missing permission core_account_view on account","failedPermissionChecks":[{"permission":"core_account_view"}]}`},

		// bad
		{name: "defaults flat, as the DB DevOps API answers", method: "GET", path: pCI + "/get-default-config", status: 200, body: `{"liteEngineTag":"x"}`,
			want: []Violation{
				{rCIDefaultConfig, PartResponse, `body: property "status" is missing`},
				{rCIDefaultConfig, PartResponse, `body: property "data" is missing`},
			}},
		{name: "defaults with data null", method: "GET", path: pCI + "/get-default-config", status: 200, body: `{"status":"SUCCESS","data":null}`,
			want: res(rCIDefaultConfig, `body /data: Value is not nullable`)},
		{name: "an image that is not a string", method: "GET", path: pCI + "/get-customer-config", status: 200, body: `{"status":"SUCCESS","data":{"addonTag":true}}`,
			want: res(rCICustomerConfig, `body /data/addonTag: value must be a string`)},
		{name: "a failure status with 200", method: "GET", path: pCI + "/get-default-config", status: 200, body: `{"status":"FAILURE","data":{}}`,
			want: res(rCIDefaultConfig, `body /status: value is not one of the allowed values ["SUCCESS"]`)},
		{name: "update-config bare true, as the DB DevOps API answers", method: "POST", path: pCI + "/update-config", status: 200, body: `true`,
			want: res(rCIUpdateConfig, `body: value must be an object`)},
		{name: "update-config 201", method: "POST", path: pCI + "/update-config", status: 201, body: `{"status":"SUCCESS","data":true}`,
			want: res(rCIUpdateConfig, `status 201 is not declared for this operation (declared: 200, 400, 401, 403, 404, 500)`)},
		{name: "error in the DB DevOps shape", method: "POST", path: pCI + "/update-config", status: 400, body: `{"message":"x"}`,
			want: []Violation{
				{rCIUpdateConfig, PartResponse, `body: property "status" is missing`},
				{rCIUpdateConfig, PartResponse, `body: property "code" is missing`},
			}},
	})
}
