#!/bin/sh
# Start-up of the window (issue 9's goal: ≤ 300 ms median of 5 on an idle
# machine): runs `convscope --bench-startup` N times inside one X server and
# prints each run, then the medians of the wall and CPU times from process
# start to the return of the first frame's glfwSwapBuffers (measured in the
# process: /proc/self/stat's start time, CLOCK_PROCESS_CPUTIME_ID), and the
# window thread's CPU time (CLOCK_THREAD_CPUTIME_ID: the critical path when the
# second core is free, which the wall time of a loaded machine hides).
# Usage (inside an X server): startup.sh CONVSCOPE [N]     (default 5)
set -eu
exe=$1; runs=${2:-5}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
  XDG_CONFIG_HOME="$out.config" "$exe" --bench-startup 2>/dev/null | tail -n 1 | tee -a "$out"
  i=$((i + 1))
done
rm -rf "$out.config"
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
wall=$(awk '{ print $3 }' "$out" | median)
cpu=$(awk '{ print $5 }' "$out" | median)
main_cpu=$(awk '{ print $7 }' "$out" | median)
echo "startup median of $runs: wall_ms $wall cpu_ms $cpu main_thread_cpu_ms $main_cpu (goal: wall ≤ 300 on an idle machine; load $(cut -d' ' -f1 /proc/loadavg))"
