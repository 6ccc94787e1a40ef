#!/usr/bin/env bash
# Runs the scenario fuzzer (built beforehand with -DCONVSCOPE_FUZZ=ON, see the
# README's Tests section); builds nothing itself.
#
#   tests/fuzz/run_fuzz.sh [SECONDS] [-- LIBFUZZER_FLAGS...]
#
# 1. Regressions: every file in tests/fuzz/regressions/ once; each must pass.
# 2. Fuzzing for SECONDS (default 60; 0 = no time bound, e.g. with -- -runs=N)
#    from the seed corpus tests/fuzz/corpus/ with the format's dictionary.
#    New corpus entries and any reproducer go to a scratch folder outside the
#    repo ($FUZZ_SCRATCH, or a new folder under $TMPDIR), never into the repo.
# A crash, a sanitizer report, a timeout (> 10 s for one input) or memory past
# 2 GB fails the run: exit status 1, with the reproducer's path.
# $CONVSCOPE_FUZZER names the binary (default: build-fuzz/tests/fuzz/scenario_fuzzer).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

seconds=60
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  seconds=$1
  shift
fi
[ $# -gt 0 ] && [ "$1" = "--" ] && shift
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS] [-- LIBFUZZER_FLAGS...]" >&2; exit 2 ;; esac

fuzzer=${CONVSCOPE_FUZZER:-$root/build-fuzz/tests/fuzz/scenario_fuzzer}
if [ ! -x "$fuzzer" ]; then
  echo "fuzz: no fuzzer at $fuzzer; build it first:" >&2
  echo "  cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \\" >&2
  echo "    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCONVSCOPE_GUI=OFF -DCONVSCOPE_TESTS=OFF -DCONVSCOPE_BENCH=OFF -DCONVSCOPE_FUZZ=ON" >&2
  echo "  cmake --build build-fuzz --target scenario_fuzzer" >&2
  exit 2
fi

scratch=${FUZZ_SCRATCH:-$(mktemp -d "${TMPDIR:-/tmp}/convscope-fuzz.XXXXXX")}
mkdir -p "$scratch/corpus" "$scratch/artifacts"
# The limits that make unbounded time or memory a failure rather than a hang.
limits=(-rss_limit_mb=2048 -timeout=10 -max_len=1048576)
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
failed=0

# The lines of a libFuzzer report that say what broke and where: the error, the
# first frame in convscope's own code, the summary.
report_lines() {
  awk '/runtime error|terminate called|what\(\)|ERROR: libFuzzer|==ERROR|^scenario_fuzzer:/ { print "  " $0 }
       !frame && /^ *#[0-9]+ 0x[0-9a-f]+ in (core|model|render)::/ { sub(/^ *#[0-9]+ 0x[0-9a-f]+ in /, ""); print "  at " $0; frame = 1 }
       /^SUMMARY/ { print "  " $0 }' "$1" | cut -c1-300
}

# ---- 1. regressions: inputs that once crashed, each run once ----
shopt -s nullglob
regressions=("$here"/regressions/*.json)
broken=()
for input in "${regressions[@]}"; do
  if ! "$fuzzer" "${limits[@]}" "$input" >"$scratch/regression.log" 2>&1; then
    broken+=("$input")
    echo "fuzz: regression FAILS: ${input#"$root"/}"
    report_lines "$scratch/regression.log"
  fi
done
echo "fuzz: ${#regressions[@]} regression inputs, ${#broken[@]} failing"
[ ${#broken[@]} -eq 0 ] || failed=1

# ---- 2. bounded fuzzing from the seed corpus ----
# New inputs go to the first folder given (the scratch one); the seeds are only read.
log=$scratch/fuzz.log
start=$(date +%s)
status=0
"$fuzzer" "${limits[@]}" -max_total_time="$seconds" -dict="$here/scenario.dict" -print_final_stats=1 \
  -artifact_prefix="$scratch/artifacts/" "$@" "$scratch/corpus" "$here/corpus" >"$log" 2>&1 || status=$?
elapsed=$(($(date +%s) - start))
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
if [ -z "$execs" ]; then  # no final stats after a crash: the last progress line's count
  execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
fi
reproducers=("$scratch"/artifacts/*)
echo "fuzz: ${execs:-0} execs in $elapsed s, ${#reproducers[@]} crashes (corpus and log: $scratch)"
if [ "$status" -ne 0 ] || [ ${#reproducers[@]} -gt 0 ]; then
  failed=1
  report_lines "$log"
  for r in "${reproducers[@]}"; do
    echo "fuzz: reproducer: $r"
    echo "  replay: $fuzzer $r"
    echo "  minimise: $fuzzer ${limits[*]} -minimize_crash=1 -max_total_time=60 -exact_artifact_path=MIN.json $r"
  done
  [ ${#reproducers[@]} -gt 0 ] || echo "fuzz: libFuzzer exited with status $status; see $log"
fi
exit "$failed"
