#!/usr/bin/env bash
# Tests the example modules as a user tests their own (`make test-modules`, part of
# `make test`), with the commands the testing-modules guide shows: for each
# examples/modules/*/ with a tests/ folder, in a copy of the module, `. tests/mock.sh`
# (the module's own script: a mock seeded from tests/seed.yaml on a port it picks),
# then `terraform get` and `terraform test` against a local build installed through
# dev_overrides (the install test in scripts/dist runs `terraform init` from release
# archives instead). Another mock started by the same script is running meanwhile, as a
# parallel job on the machine would be: the tests must reach their own. TF is the CLI
# to run (make test-modules TF=tofu: the pinned OpenTofu).
set -euo pipefail
cd "$(dirname "$0")/.."
TF=${TF:-terraform}
fail() { printf 'module tests failed: %s\n' "$*" >&2; exit 1; }
command -v "$TF" >/dev/null || fail "$TF is not on PATH; install Terraform >= 1.10"
command -v curl >/dev/null || fail "curl is not on PATH (apt-get install curl)"

bin=$PWD/build/modules/bin
mkdir -p "$bin"
make --no-print-directory build BIN="$bin"
cat >"$bin/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "dbdevops/harness" = "$bin"
  }
  direct {}
}
RC
export PATH=$bin:$PATH TF_CLI_CONFIG_FILE=$bin/terraformrc CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
# Every mock tests/mock.sh starts checks each exchange against the API contract (the
# -validate flag, from the environment); check_contract fails the module on a violation.
export HARNESS_MOCK_VALIDATE=true
. scripts/lib/mock.sh

for module in examples/modules/*/; do
  [ -d "$module/tests" ] || continue
  name=$(basename "$module")
  [ -f "$module/tests/mock.sh" ] || fail "$name: tests/mock.sh is missing (the guide's way to start the mock)"
  work=$PWD/build/modules/$name
  rm -rf "$work" "$work.bad"
  cp -R "$module" "$work"
  # A seed the mock refuses stops the script with the mock's message.
  mkdir -p "$work.bad/tests" && cp "$module/tests/mock.sh" "$work.bad/tests/" && echo "orgs: {default: [p, p]}" >"$work.bad/tests/seed.yaml"
  out=$(cd "$work.bad" && bash -ec '. tests/mock.sh; echo "mock.sh went on"' 2>&1) || true
  [[ $out != *"went on"* && $out == *"listed twice"* ]] ||
    fail "$name: with a seed the mock refuses, tests/mock.sh must stop and show the mock's message: $out"
  rm -rf "$work.bad"
  (
    cd "$work"
    . tests/mock.sh
    other=$HARNESS_MOCK_URL
    (
      . tests/mock.sh
      [ "$HARNESS_MOCK_URL" != "$other" ] || fail "$name: tests/mock.sh reached the mock another run started at $other instead of its own"
      printf '\n=== %s: %s test against the mock at %s\n' "$name" "$TF" "$HARNESS_MOCK_URL"
      "$TF" get -no-color >/dev/null
      "$TF" test -no-color | tee "$work/test.out"
      check_contract
    )
  ) || fail "$name"
  # The runs the testing-modules guide shows are the ones that ran.
  if grep -q "examples/modules/$name/" templates/guides/testing-modules.md.tmpl; then
    runs='run "[a-z0-9_]*"\.\.\. pass'
    diff <(grep -o "$runs" templates/guides/testing-modules.md.tmpl) <(grep -o "$runs" "$work/test.out") >&2 ||
      fail "$name: the runs above differ from the ones templates/guides/testing-modules.md.tmpl shows (< guide, > this run)"
  fi
done
