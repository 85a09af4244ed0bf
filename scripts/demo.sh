#!/usr/bin/env bash
# The main job on a fresh clone: build the provider and the mock, start the mock on a
# free loopback port, and run the quickstart with Terraform through dev_overrides (no
# registry, no `terraform init`). The mock stops on exit, failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/build/demo
BIN=$WORK/bin
ACCOUNT=dbops_demo
KEY=pat.dbops_demo.mock-key

headline() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

command -v terraform >/dev/null || { echo "ERROR: terraform is not on PATH; install Terraform >= 1.5." >&2; exit 1; }

rm -rf "$WORK"
mkdir -p "$BIN" "$WORK/tf"

headline "Building the provider and the mock"
go build -o "$BIN/terraform-provider-harness" .
go build -o "$BIN/harness-dbops-mock" ./cmd/harness-dbops-mock

headline "Starting the mock Harness API on a free loopback port"
"$BIN/harness-dbops-mock" -listen 127.0.0.1:0 -account "$ACCOUNT" -api-key "$KEY" >"$WORK/mock.out" 2>"$WORK/mock.log" &
MOCK_PID=$!
cleanup() { kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
URL=""
for _ in $(seq 1 100); do
  URL=$(grep -o 'http://[0-9.:]*' "$WORK/mock.out" "$WORK/mock.log" 2>/dev/null | head -1 | cut -d: -f2- || true)
  [ -n "$URL" ] && break
  kill -0 "$MOCK_PID" 2>/dev/null || { cat "$WORK/mock.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$URL" ] || { echo "the mock did not start" >&2; exit 1; }
echo "mock: $URL (account $ACCOUNT)"

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
tf() { terraform -chdir="$WORK/tf" "$@"; }

headline "Stage 1: apply the quickstart"
tf apply -auto-approve -input=false

headline "Stage 2: plan again: nothing changed, so nothing to do"
tf plan -input=false -detailed-exitcode

headline "Stage 3: destroy"
tf destroy -auto-approve -input=false

headline "Done: the demo ran against the mock at $URL"
