#!/usr/bin/env bash
# Tests the example modules as a user tests their own (`make test-modules`, part of
# `make test`): for each examples/modules/*/ with a tests/ folder, start the mock seeded
# with tests/seed.yaml in the background, then `terraform get` and `terraform test` in a
# copy of the module. TF is the CLI to run (make test-modules TF=tofu: the pinned OpenTofu).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/mock.sh
TF=${TF:-terraform}
fail() { printf 'module tests failed: %s\n' "$*" >&2; exit 1; }

for module in examples/modules/*/; do
  [ -d "$module/tests" ] || continue
  name=$(basename "$module")
  work=$PWD/build/modules/$name
  rm -rf "$work"
  mkdir -p "$work"
  cp -R "$module" "$work/module"
  seed=()
  [ -f "$module/tests/seed.yaml" ] && seed=(-seed "$module/tests/seed.yaml")
  (
    start_mock "$work" "${seed[@]}"
    printf '\n=== %s: %s test against the mock at %s\n' "$name" "$TF" "$MOCK_URL"
    cd "$work/module"
    "$TF" get -no-color >/dev/null && "$TF" test -no-color && check_contract
  ) || fail "$name (the mock's log: $work/mock.log)"
done
