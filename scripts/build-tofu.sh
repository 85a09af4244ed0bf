#!/usr/bin/env bash
# build-tofu.sh VERSION OUT: builds OpenTofu VERSION from the Go module proxy's source
# into OUT. No OpenTofu binary can be downloaded here, and `go install` refuses the
# module (it has replace directives), so the module is copied out of the module cache
# and built in place. Two to six minutes and 2 GB of memory on 2 cores, once: `make tofu`
# reuses OUT. version.dev=no makes it report the release version, as the official build does.
set -euo pipefail
version=$1
out=$2
dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$dir" ] || { echo "could not download github.com/opentofu/opentofu@v$version" >&2; exit 1; }
src=$(mktemp -d)
trap 'chmod -R u+w "$src"; rm -rf "$src"' EXIT
cp -R "$dir/." "$src"
chmod -R u+w "$src"
mkdir -p "$(dirname "$out")"
echo "building OpenTofu $version into $out (a few minutes the first time)"
(cd "$src" && GOFLAGS=-mod=mod go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" ./cmd/tofu)
mv "$out.tmp" "$out"
"$out" version
