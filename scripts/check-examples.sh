#!/usr/bin/env bash
# `terraform validate` on every example directory against the provider built from this
# tree, through dev_overrides (no registry, no init). The official Harness provider in
# examples/provider/provider-with-official.tf cannot be fetched offline; its source is
# pointed at this build too, which checks the HCL and this provider's part of it.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$PWD/build/examples
rm -rf "$WORK" && mkdir -p "$WORK/bin"
go build -o "$WORK/bin/terraform-provider-harness" .
cat >"$WORK/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "dbdevops/harness" = "$WORK/bin"
    "harness/harness"  = "$WORK/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE=$WORK/terraformrc CHECKPOINT_DISABLE=1

failed=0
count=0
# Each provider and guide example is a configuration of its own; other directories are
# one module.
for dir in examples/provider/*.tf examples/guides/*/*.tf examples/quickstart examples/resources/* examples/data-sources/* \
  examples/functions/* examples/modules/*; do
  tmp=$WORK/$(echo "$dir" | tr / _)
  mkdir -p "$tmp"
  if [ -d "$dir" ]; then cp "$dir"/*.tf "$tmp/"; else cp "$dir" "$tmp/"; fi
  if ! grep -q required_providers "$tmp"/*.tf; then
    printf 'terraform {\n  required_providers {\n    harness = { source = "dbdevops/harness" }\n  }\n}\n' >"$tmp/versions.tf"
  fi
  count=$((count + 1))
  if out=$(terraform -chdir="$tmp" validate -no-color 2>&1); then
    echo "ok    $dir"
  else
    echo "FAIL  $dir"; echo "$out" | grep -v -i "development overrides\|dev_overrides\|^ - \|may therefore\|published releases\|^$" | sed 's/^/      /'
    failed=$((failed + 1))
  fi
done
echo "terraform validate: $((count - failed)) of $count example directories valid"
[ "$failed" -eq 0 ]
