# Sourced by scripts/demo.sh (and by scripts/test-modules.sh for check_contract). start_mock WORK [MOCK FLAGS...] builds the provider and the
# mock into WORK/bin (the build of `make build`, so they share Go's build cache), starts
# the mock on a free loopback port it picks and prints (127.0.0.1:0: a taken port cannot
# send the demo to another server), reads that URL, fails with the mock's log if the mock
# exits, waits until GET /_mock/ready answers, and exports what Terraform and the provider need:
# a CLI configuration with dev_overrides (no registry), HARNESS_ENDPOINT,
# HARNESS_ACCOUNT_ID, HARNESS_PLATFORM_API_KEY, and HARNESS_MOCK_URL for the test hooks.
# The mock checks every exchange against the API contract (-validate), and on exit
# appends its counts to $CONTRACT_STATS_FILE when make test sets it; check_contract
# fails the run if it saw a violation. The mock stops when the shell exits. The caller
# defines fail MESSAGE.

MOCK_ACCOUNT=dbops_demo
MOCK_KEY=pat.dbops_demo.mock-key

start_mock() {
  local work=$1
  shift
  command -v "${TF:-terraform}" >/dev/null || fail "${TF:-terraform} is not on PATH; install Terraform >= 1.10"
  command -v curl >/dev/null || fail "curl is not on PATH (apt-get install curl)"
  mkdir -p "$work/bin"
  make --no-print-directory build BIN="$work/bin"
  "$work/bin/harness-dbops-mock" -listen 127.0.0.1:0 -account "$MOCK_ACCOUNT" -api-key "$MOCK_KEY" -validate "$@" \
    >"$work/mock.out" 2>"$work/mock.log" &
  MOCK_PID=$!
  trap 'kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true' EXIT
  trap 'exit 130' INT TERM
  MOCK_URL=""
  for _ in $(seq 1 100); do
    MOCK_URL=$(grep -ho 'http://[0-9.:]*' "$work/mock.out" 2>/dev/null | head -1 || true)
    [ -n "$MOCK_URL" ] && curl -fsS "$MOCK_URL/_mock/ready" >/dev/null 2>&1 && break
    kill -0 "$MOCK_PID" 2>/dev/null || { cat "$work/mock.log" >&2; fail "the mock exited"; }
    MOCK_URL=""
    sleep 0.1
  done
  [ -n "$MOCK_URL" ] || fail "the mock did not start"
  cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "dbdevops/harness" = "$work/bin"
  }
  direct {}
}
RC
  export TF_CLI_CONFIG_FILE=$work/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
  export HARNESS_ENDPOINT=$MOCK_URL/gateway HARNESS_ACCOUNT_ID=$MOCK_ACCOUNT HARNESS_PLATFORM_API_KEY=$MOCK_KEY
  export HARNESS_MOCK_URL=$MOCK_URL
}

# check_contract fails the run, listing them, when the mock saw a request or gave an
# answer outside the API contract (internal/contract/harness-dbops.yaml).
check_contract() {
  local seen
  seen=$(curl -fsS "$HARNESS_MOCK_URL/_mock/violations") || fail "cannot read the mock's contract violations"
  case $seen in
    *'"violations":[]'*) ;;
    *) fail "the mock saw exchanges outside the API contract (internal/contract/harness-dbops.yaml): $seen" ;;
  esac
}
