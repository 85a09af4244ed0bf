#!/usr/bin/env bash
# The main job on a fresh clone (`make demo`): build the provider and the mock, start the
# mock on a free loopback port, and walk the quickstart (examples/quickstart) through
# apply, drift made behind Terraform's back, a plan that detects it, the repair and the
# destroy. Terraform finds the provider through dev_overrides: no registry, no init.
# The mock stops on exit, on failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$PWD/build/demo
ORG=default
PROJECT=default_project
. scripts/lib/mock.sh

# Colours and Terraform's own colours only on a terminal: a CI log gets plain text.
if [ -t 1 ]; then
  headline() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
  fail() { printf '\033[31mdemo failed: %s\033[0m\n' "$*" >&2; exit 1; }
  NO_COLOR=()
else
  headline() { printf '\n==> %s\n' "$*"; }
  fail() { printf 'demo failed: %s\n' "$*" >&2; exit 1; }
  NO_COLOR=(-no-color)
fi

rm -rf "$WORK"
mkdir -p "$WORK/tf"

headline "Building the provider and the mock Harness API"
start_mock "$WORK"
URL=$MOCK_URL
echo "mock Harness API at $URL (account $MOCK_ACCOUNT); its request log: $WORK/mock.log"

cp examples/quickstart/*.tf "$WORK/tf/"
TF=${TF:-terraform} # or an OpenTofu binary: make demo TF=tofu
tf() { "$TF" -chdir="$WORK/tf" "$1" "${NO_COLOR[@]}" "${@:2}"; }
# mock METHOD PATH [JSON]: a change made in "the Harness UI", through the mock's test hooks.
mock() { curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$URL$2"; }

headline "Stage 1/5: apply image overrides, a DB schema and a DB instance"
tf apply -auto-approve -input=false -compact-warnings

headline "Stage 2/5: behind Terraform's back, change the git-clone override and rename the schema"
mock PUT /_mock/execution-config/overrides/gitCloneTag '{"value":"docker.io/someone/drone-git:0.0.1"}' >/dev/null
mock PATCH "/_mock/orgs/$ORG/projects/$PROJECT/dbschema/orders" '{"name":"Orders (renamed in the UI)"}' >/dev/null
echo "gitCloneTag override -> docker.io/someone/drone-git:0.0.1; schema orders renamed to \"Orders (renamed in the UI)\""

headline "Stage 3/5: $(basename "$TF") plan detects both drifts"
set +e
tf plan -input=false -compact-warnings -detailed-exitcode
code=$?
set -e
[ "$code" -eq 2 ] || fail "the plan should have found the drift (exit code 2), got $code"

headline "Stage 4/5: apply repairs the drift; the next plan is empty"
tf apply -auto-approve -input=false -compact-warnings
tf plan -input=false -compact-warnings -detailed-exitcode >/dev/null || fail "the plan after the repair is not empty"
echo "No changes: Harness matches the configuration again."

headline "Stage 5/5: destroy; the account's execution config is back on its defaults"
tf destroy -auto-approve -input=false -compact-warnings
overrides=$(curl -fsS -H "x-api-key: $MOCK_KEY" -H "Harness-Account: $MOCK_ACCOUNT" "$URL/gateway/v1/dbops/execution-config/get-customer-config?overridesOnly=true")
echo "overrides left on the account: $overrides"
[ "$overrides" = "{}" ] || fail "overrides are still set after destroy: $overrides"

check_contract
headline "Done: five stages against the mock at $URL, every exchange within the API contract"
