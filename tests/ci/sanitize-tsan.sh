#!/usr/bin/env bash
# TSan: the tests that exercise our threads (the encode pool's unit test,
# hfjpegenc's suites, hfdrawsrc's parallel drawing and the stress
# pipelines) built with clang -fsanitize=thread. The first report aborts
# the test, which fails.
#
#   tests/ci/sanitize-tsan.sh          (build dir: build-tsan/, BUILD_TSAN=...)
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
BUILD=${BUILD_TSAN:-$CI_SRC/build-tsan}
TESTS=(unit/encpool elements/hfjpegenc elements/hfjpegenc-output
  elements/hfdrawsrc-threads pipelines/stress)
CI_PASS=0
CI_FAIL=1

CI_TARGETS="tests/unit/test-encpool tests/check/elements_hfjpegenc
  tests/check/elements_hfjpegenc-output tests/check/elements_hfdrawsrc-threads
  tests/check/pipelines_stress ext/turbojpeg/libgsthfjpeg.so
  gst/hfdraw/libgsthfdraw.so"
ci_setup_clang "$BUILD" -Db_sanitize=thread -Db_lundef=false \
  -Dbuildtype=debugoptimized || { ci_result tsan; exit 1; }

ci_fresh_registry "$BUILD"
# GLib's locks made visible to TSan (see tsan-glib.c); preloaded into the
# test programs only, through meson's wrapper.
clang -shared -fPIC -O1 -o "$BUILD/tsan-glib.so" "$CI_DIR/tsan-glib.c" -ldl \
  || { ci_result tsan; exit 1; }
# ignore_noninstrumented_modules=1: GLib, GStreamer and libjpeg-turbo are
# not instrumented, and their locks are futexes TSan cannot see (docs/design.md),
# so accesses that TSan's interceptors (memcpy, strcmp, free) observe on
# their behalf are unordered to it and would be reported as races inside
# those libraries. This stops checking inside the uninstrumented libraries
# only; every access made by our (instrumented) code is still checked, and
# the synchronisation those libraries do through pthread is still seen.
export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$CI_DIR/tsan.supp"
TSAN_SYMBOLIZER=$(ci_find_symbolizer || true)
[ -n "$TSAN_SYMBOLIZER" ] \
  && export TSAN_OPTIONS="$TSAN_OPTIONS:external_symbolizer_path=$TSAN_SYMBOLIZER"
export G_SLICE=always-malloc

rm -f "$BUILD/meson-logs/tsanlog"*
meson test -C "$BUILD" --no-rebuild --print-errorlogs --num-processes 2 \
  --timeout-multiplier 4 --wrapper "env LD_PRELOAD=$BUILD/tsan-glib.so" \
  --logbase tsanlog \
  "${TESTS[@]}"
rc=$?
ci_count "$BUILD" tsanlog $rc
ci_result tsan
