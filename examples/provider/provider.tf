terraform {
  required_providers {
    harness = {
      source = "dbdevops/harness"
    }
  }
}

# Credentials come from HARNESS_ACCOUNT_ID and HARNESS_PLATFORM_API_KEY, the same
# variables the official Harness provider reads.
provider "harness" {
  # endpoint            = "https://app.harness.io/gateway" # or HARNESS_ENDPOINT
  max_retries           = 4
  request_timeout       = "60s"
  rate_limit_per_second = 10
}
