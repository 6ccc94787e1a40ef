#!/bin/sh
# Runs a test on a virtual display (1600×1000, 24-bit):
#     on_xvfb.sh "TOOL ..." COMMAND [ARG ...]
# xvfb-run, Xvfb and xauth, and each TOOL named (xdotool, identify, ...), must be
# installed. When one is missing the test is skipped (exit 77, the tests'
# SKIP_RETURN_CODE) — or, when CI=true, fails: CI cannot pass without running it.
set -eu
missing=""
for tool in xvfb-run Xvfb xauth $1; do
  command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
shift
if [ -n "$missing" ]; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL  missing tools:$missing (scripts/setup installs them); CI=true, so this is a failure, not a skip"
    exit 1
  fi
  echo "SKIP  missing tools:$missing (scripts/setup installs them)"
  exit 77
fi
exec xvfb-run -a -s "-screen 0 1600x1000x24" "$@"
