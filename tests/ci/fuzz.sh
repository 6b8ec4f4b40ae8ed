#!/usr/bin/env bash
# Fuzzing: builds the libFuzzer targets in tests/fuzz/ (clang, ASan, UBSan,
# coverage on the engines and the element), replays the committed
# regression inputs, then fuzzes each target for FUZZ_SECONDS (default 60:
# the three take 3 minutes, and with the build the stage stays under 5 on
# a loaded 2-core machine) starting from the committed seeds.
# Prints the executions each target reached. A crash, leak, timeout
# (-timeout=10) or RSS over 2 GiB fails the stage and leaves the input in
# BUILD/fuzz-artifacts/; commit it to tests/fuzz/regressions/TARGET/ once
# fixed.
#
#   tests/ci/fuzz.sh                   (build dir: build-fuzz/, BUILD_FUZZ=...)
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
BUILD=${BUILD_FUZZ:-$CI_SRC/build-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-60}
TARGETS=(${FUZZ_TARGETS:-compparse render hfjpegenc hfrinfo})
FUZZ_DIR=$CI_SRC/tests/fuzz
CI_PASS=0
CI_FAIL=0

CI_TARGETS=$(printf 'tests/fuzz/fuzz-%s ' "${TARGETS[@]}")
if ! ci_setup_clang "$BUILD" -Dfuzz=true -Dtests=false \
  -Db_sanitize=address,undefined -Db_lundef=false \
  -Dc_args=-fsanitize=fuzzer-no-link -Dbuildtype=debugoptimized; then
  CI_FAIL=${#TARGETS[@]}
  ci_result fuzz
  exit 1
fi

export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:symbolize=1
export LSAN_OPTIONS=suppressions=$CI_DIR/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ASAN_SYMBOLIZER_PATH=$(ci_find_symbolizer || true)
export ASAN_SYMBOLIZER_PATH
export G_SLICE=always-malloc
mkdir -p "$BUILD/fuzz-artifacts"

for t in "${TARGETS[@]}"; do
  bin=$BUILD/tests/fuzz/fuzz-$t
  work=$BUILD/fuzz-corpus/$t
  log=$BUILD/fuzz-$t.log
  mkdir -p "$work"
  # Both composition targets read the same markup, so one dictionary.
  case $t in
    compparse|render) d=composition ;;
    *) d=$t ;;
  esac
  dict=()
  [ -f "$FUZZ_DIR/$d.dict" ] && dict=(-dict="$FUZZ_DIR/$d.dict")
  ok=1

  # Every committed crash stays fixed.
  if [ -d "$FUZZ_DIR/regressions/$t" ] \
    && [ -n "$(ls -A "$FUZZ_DIR/regressions/$t")" ]; then
    "$bin" -runs=0 "$FUZZ_DIR/regressions/$t"/* >"$log.regress" 2>&1 || {
      tail -40 "$log.regress"
      ok=0
    }
  fi

  # New inputs go to the build tree; the committed seeds are read only.
  "$bin" "${dict[@]}" -max_total_time="$SECONDS_EACH" -timeout=10 \
    -rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
    -artifact_prefix="$BUILD/fuzz-artifacts/$t-" \
    "$work" "$FUZZ_DIR/corpus/$t" >"$log" 2>&1 || ok=0
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ $ok -eq 1 ]; then
    CI_PASS=$((CI_PASS + 1))
    echo "fuzz-$t: ok, ${execs:-?} executions in ${SECONDS_EACH}s"
  else
    CI_FAIL=$((CI_FAIL + 1))
    echo "fuzz-$t: FAILED after ${execs:-?} executions (log: $log)"
    grep -A30 -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error|SUMMARY" \
      "$log" | head -60
  fi
done
ci_result fuzz
