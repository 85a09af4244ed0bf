package provider

import (
	"errors"
	"fmt"

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

// apiErrorDetail is addAPIError's detail text, ending with the setting to check
// (settingHint): the client speaks only API.
func apiErrorDetail(attempted string, err error) string {
	return attempted + " failed: " + err.Error() + settingHint(err)
}

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
