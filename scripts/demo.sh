#!/usr/bin/env bash
# The main job on a fresh clone (`make demo`): build the provider and the mock, start the
# mock on a free loopback port, and walk the quickstart (examples/quickstart) through
# apply, drift made behind Terraform's back, a plan that detects it, the repair and the
# destroy. Terraform finds the provider through dev_overrides: no registry, no init.
# The mock stops on exit, on failure and on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/build/demo
BIN=$WORK/bin
ACCOUNT=dbops_demo
KEY=pat.dbops_demo.mock-key
ORG=default
PROJECT=default_project

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

command -v terraform >/dev/null || fail "terraform is not on PATH; install Terraform >= 1.5"
command -v curl >/dev/null || fail "curl is not on PATH (apt-get install curl)"

rm -rf "$WORK"
mkdir -p "$BIN" "$WORK/tf"

headline "Building the provider and the mock Harness API"
# The same build as `make build`, so the two share Go's build cache.
make --no-print-directory build BIN="$BIN"

"$BIN/harness-dbops-mock" -listen 127.0.0.1:0 -account "$ACCOUNT" -api-key "$KEY" >"$WORK/mock.out" 2>"$WORK/mock.log" &
MOCK_PID=$!
cleanup() { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
URL=""
for _ in $(seq 1 100); do
  URL=$(grep -ho 'http://[0-9.:]*' "$WORK/mock.out" "$WORK/mock.log" 2>/dev/null | head -1 || true)
  [ -n "$URL" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$WORK/mock.log" >&2; fail "the mock exited"; }
  sleep 0.1
done
[ -n "$URL" ] || fail "the mock did not start"
echo "mock Harness API at $URL (account $ACCOUNT); its request log: $WORK/mock.log"

cat >"$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "dbdevops/harness" = "$BIN"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$WORK/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
export HARNESS_ENDPOINT=$URL/gateway HARNESS_ACCOUNT_ID=$ACCOUNT HARNESS_PLATFORM_API_KEY=$KEY
cp examples/quickstart/*.tf "$WORK/tf/"
tf() { terraform -chdir="$WORK/tf" "$1" "${NO_COLOR[@]}" "${@:2}"; }
# mock METHOD PATH [JSON]: a change made in "the Harness UI", through the mock's test hooks.
mock() { curl -fsS -X "$1" -H 'Content-Type: application/json' ${3:+--data "$3"} "$URL$2"; }

headline "Stage 1/5: apply image overrides, a DB schema and a DB instance"
tf apply -auto-approve -input=false -compact-warnings

headline "Stage 2/5: behind Terraform's back, change the git-clone override and rename the schema"
mock PUT /_mock/execution-config/overrides/gitCloneTag '{"value":"docker.io/someone/drone-git:0.0.1"}' >/dev/null
mock PATCH "/_mock/orgs/$ORG/projects/$PROJECT/dbschema/orders" '{"name":"Orders (renamed in the UI)"}' >/dev/null
echo "gitCloneTag override -> docker.io/someone/drone-git:0.0.1; schema orders renamed to \"Orders (renamed in the UI)\""

headline "Stage 3/5: terraform plan detects both drifts"
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
overrides=$(curl -fsS -H "x-api-key: $KEY" -H "Harness-Account: $ACCOUNT" "$URL/gateway/v1/dbops/execution-config/get-customer-config?overridesOnly=true")
echo "overrides left on the account: $overrides"
[ "$overrides" = "{}" ] || fail "overrides are still set after destroy: $overrides"

headline "Done: five stages against the mock at $URL"
