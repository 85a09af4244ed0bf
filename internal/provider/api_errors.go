package provider

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/dbdevops/terraform-provider-harness/internal/client"
)

// addAPIError reports a failed API call: the summary, then what was attempted, the
// client's error (status, Harness's own message, request ID, attempts) and which
// provider setting to look at when one could help.
func addAPIError(diags *diag.Diagnostics, summary, attempted string, err error) {
	diags.AddError(summary, apiErrorDetail(attempted, err))
}

// addReadError is addAPIError for a data source that reads one entity: a 404 means
// what it looks up does not exist. what names the entity ("DB schema"), where the one
// looked up (dbSchemaModel.where).
func addReadError(diags *diag.Diagnostics, what, where string, err error) {
	if client.IsNotFound(err) {
		diags.AddError(what+" not found", "The "+where+" does not exist in Harness: "+err.Error())
		return
	}
	addAPIError(diags, "Unable to read "+what, "Reading the "+where, err)
}

// apiErrorDetail is addAPIError's detail text. The client speaks only API; the names of
// the settings and environment variables are the provider's, so the hints are here.
func apiErrorDetail(attempted string, err error) string {
	return attempted + " failed: " + err.Error() + settingHint(err)
}

func settingHint(err error) string {
	var re *client.RequestError
	switch status := client.StatusOf(err); {
	case status == http.StatusUnauthorized:
		return " Check api_key, or the " + envAPIKey + " environment variable."
	case client.IsExecutionConfigDenied(err):
		return executionConfigDenied
	case status == http.StatusForbidden:
		return " Check account_id (or " + envAccountID + ") and the permissions of the API key: DB schemas and " +
			"instances need Harness's DB DevOps permissions (dbops_schema_* and dbops_instance_*: view to read, edit " +
			"to create and change, delete to destroy) in their project."
	case status == http.StatusTooManyRequests:
		return " Try again later, raise max_retries, or lower rate_limit_per_second."
	case status >= http.StatusInternalServerError:
		return " Try again later, or raise max_retries."
	case errors.As(err, &re) && re.TimedOut():
		return " Raise request_timeout, or check endpoint (or " + envEndpoint + ") and the network."
	case errors.As(err, &re) && !re.Ended:
		return " Check endpoint (or " + envEndpoint + ")."
	case errors.As(err, new(*client.DecodeError)):
		return " Check endpoint (or " + envEndpoint + "): it must be the Harness gateway, such as " + client.DefaultEndpoint + "."
	}
	return ""
}

// executionConfigDenied is the hint for a 403 from the execution config, which belongs
// to the account: a key whose roles are bound in a project (the usual key of a pipeline
// that manages its own schemas) gets it, and may still manage schemas and instances.
// Harness's permissions reference names no permission of its own for the execution
// config (docs/resources/dbops_image_config.md says what is known).
const executionConfigDenied = " The API key may not use the account's DB DevOps execution config: that needs a " +
	"role bound at the account scope, since the execution config belongs to the account and not to a project, " +
	"and a key scoped to a project has none. DB schemas and instances do not need it. Use a key with an " +
	"account-scope role for the execution config, or manage it from another configuration; if the key has such " +
	"a role, check account_id (or " + envAccountID + ")."

// addCreateError is addAPIError for a create; when the entity exists already it says
// why that may be (another resource may manage it, which import would not fix) and
// how to import it, with its exact import ID.
func addCreateError(diags *diag.Diagnostics, summary, attempted, typeName, id string, err error) {
	detail := apiErrorDetail(attempted, err)
	if client.IsAlreadyExists(err) || errors.Is(err, client.ErrCreateConflict) {
		detail += fmt.Sprintf(" It exists in Harness already: it was created outside Terraform, or another resource "+
			"manages it (in this configuration, with the same identifier, or in another one). If another resource "+
			"manages it, give this one its own identifier or remove it. Otherwise, to manage it with Terraform, import it: "+
			"terraform import %s.<name> %s, or an import block with id = %q.", typeName, id, id)
	}
	diags.AddError(summary, detail)
}
