#!/bin/sh
# With no display the window says so in ONE line naming the headless commands and exits 2.
exe=$1
err=$(env -u DISPLAY -u WAYLAND_DISPLAY "$exe" 2>&1 >/dev/null); rc=$?
lines=$(printf '%s\n' "$err" | wc -l)
echo "$err"
[ "$rc" -eq 2 ] && [ "$lines" -eq 1 ] && printf '%s' "$err" | grep -q "no display found" &&
  printf '%s' "$err" | grep -q "compute, trace, explain, export"
