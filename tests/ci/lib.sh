# Shared by the tests/ci/*.sh stages; source it, do not run it.
#
# Installs what a stage needs from Debian's packages the same idempotent way
# build.sh does (dpkg-query first, apt-get only for what is missing), and
# configures a clang build directory. The README's test command never needs
# any of this: clang is only for the sanitizer and fuzz stages.

CI_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CI_DIR=$CI_SRC/tests/ci

. "$CI_SRC/tools/common.sh"

# The build dependencies plus clang, its sanitizer/libFuzzer runtimes and
# llvm-symbolizer (in llvm) so reports carry file:line.
CI_PKGS=("${BUILD_PKGS[@]}" clang libclang-rt-14-dev llvm)

ci_find_symbolizer () {
  local s
  for s in llvm-symbolizer llvm-symbolizer-14; do
    if command -v "$s" >/dev/null 2>&1; then
      command -v "$s"
      return 0
    fi
  done
  [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ] \
    && echo /usr/lib/llvm-14/bin/llvm-symbolizer
}

# ci_setup_clang BUILD_DIR meson-options...: (re)configures and builds with
# clang (only the ninja targets in CI_TARGETS when that is set). Examples
# and the benchmark are left out: they are not tests of the
# elements, and the Python example cannot load an instrumented plugin into
# an uninstrumented interpreter.
ci_setup_clang () {
  local dir=$1
  shift
  install_missing "${CI_PKGS[@]}"
  export CC=clang
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$CI_SRC" -Dexamples=false \
      -Dbench=false "$@" >/dev/null
  else
    meson setup "$dir" "$CI_SRC" -Dexamples=false -Dbench=false "$@" \
      >/dev/null
  fi
  # shellcheck disable=SC2086
  ninja -C "$dir" ${CI_TARGETS:-} >"$dir/ci-build.log" 2>&1 || {
    tail -40 "$dir/ci-build.log"
    echo "build failed: $dir"
    return 1
  }
}

# The gst-check suites keep their registry in the build directory; start
# from a fresh one so the instrumented test binary scans the instrumented
# plugins itself (GST_REGISTRY_FORK=no: gst-plugin-scanner is not
# instrumented and cannot load them, see docs/design.md).
ci_fresh_registry () {
  rm -f "$1/tests/check/registry.bin"
  export GST_REGISTRY_FORK=no
}

# ci_count BUILD_DIR LOGBASE RC: meson test's JSON log -> CI_PASS and
# CI_FAIL for .ci/run's total. A non-zero meson rc with no failed test
# (a build or set-up error) still counts as one failure.
ci_count () {
  local log=$1/meson-logs/$2.json
  # meson names it LOGBASE-env.json when a --wrapper is used.
  [ -f "$log" ] || log=$1/meson-logs/$2-env.json
  count_results "$log"
  CI_PASS=$PASSED
  CI_FAIL=$FAILED
  if [ "$3" -ne 0 ] && [ "$CI_FAIL" -eq 0 ]; then
    CI_FAIL=1
  fi
}

# Last line of every stage script: "STAGE: N passed, N failed". .ci/run
# sums these.
ci_result () {
  echo "$1: $CI_PASS passed, $CI_FAIL failed"
  [ "$CI_FAIL" -eq 0 ]
}
