#!/usr/bin/env bash
# Fails on Markdown code fences that do not render as written (make docs-check): a fence
# opened inside a code block (a template that wraps an example which tfplugindocs
# already fences: the rest of the page then renders as code, and copied blocks carry
# stray backticks), and a code block still open at the end of a file. Fences follow
# CommonMark: a line of three or more backticks or tildes, possibly indented; a block is
# closed by a bare fence of the same character, at least as long. A fence with an info
# string (```terraform) inside a block that it would close is taken as a nested one.
# Usage: check-fences.sh FILE_OR_DIR...  (directories: every *.md below them)
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 FILE_OR_DIR..." >&2; exit 2; }
find "$@" -type f -name '*.md' -print0 | sort -z | xargs -0 awk '
  function report(file, line, msg) { printf "%s:%d: %s\n", file, line, msg; bad++ }
  function finish() {
    if (open) report(openFile, openLine, "code block opened here (" openFence ") is never closed")
    open = 0
  }
  FNR == 1 { finish(); files++ }
  match($0, /^[ \t]*(```+|~~~+)/) {
    fence = substr($0, RSTART, RLENGTH); sub(/^[ \t]*/, "", fence)
    info = substr($0, RSTART + RLENGTH); gsub(/[ \t]/, "", info)
    if (!open) { open = 1; openFence = fence info; openLen = length(fence); openFile = FILENAME; openLine = FNR; next }
    if (substr(fence, 1, 1) != substr(openFence, 1, 1) || length(fence) < openLen) next
    if (info == "") { open = 0; next }
    report(FILENAME, FNR, "fence " fence info " inside the code block opened at line " openLine " (" openFence "): a template wraps an example that is fenced already")
    next
  }
  END {
    finish()
    if (bad) { printf "%d broken code fence(s): fix the template (templates/) and run make docs\n", bad; exit 1 }
    printf "code fences: %d Markdown files balanced\n", files
  }
'
