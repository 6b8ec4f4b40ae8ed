#!/usr/bin/env bash
# Leaks: the gst-check suites (elements and pipelines) under GStreamer's
# leaks tracer. Any GstObject or GstMiniObject (element, pad, buffer,
# caps, event...) still alive at gst_deinit fails the run.
#
# How it fails: gst-check registers gst_deinit as an exit handler; with
# GST_TRACERS=leaks the tracer then g_warning()s "Leaks detected", and
# gst-check makes warnings fatal, so the test program aborts. That only
# happens with CK_FORK=no: a forked test child leaves through _exit() and
# never reaches gst_deinit (checked with a test that leaks one buffer:
# rc 0 with fork, rc != 0 with CK_FORK=no, rc 0 once the leak is fixed).
#
#   tests/ci/leaks.sh                  (build dir: build/, BUILD_DIR=...)
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
BUILD=${BUILD_DIR:-$CI_SRC/build}
case $BUILD in /*) ;; *) BUILD=$CI_SRC/$BUILD ;; esac
CI_PASS=0
CI_FAIL=1

# The plain (gcc) build of the README's test command; configure it when run
# on its own.
if [ ! -f "$BUILD/build.ninja" ]; then
  install_missing "${CI_PKGS[@]}"
  meson setup "$BUILD" "$CI_SRC" >/dev/null || { ci_result leaks; exit 1; }
fi
ninja -C "$BUILD" >"$BUILD/ci-leaks-build.log" 2>&1 || {
  tail -40 "$BUILD/ci-leaks-build.log"
  ci_result leaks
  exit 1
}

# Logs go to the test log; the object-alive lines name each leaked object.
export GST_TRACERS=leaks CK_FORK=no
export GST_DEBUG=${GST_DEBUG:-GST_TRACER:7}
export GST_DEBUG_NO_COLOR=1
# Keep its own log so it never clobbers the plain run's testlog.json.
LOGDIR=$BUILD/meson-logs
rm -f "$BUILD/meson-logs/leakslog"*
meson test -C "$BUILD" --no-rebuild --suite check --num-processes 2 \
  --timeout-multiplier 2 --logbase leakslog >/dev/null
rc=$?
ci_count "$BUILD" leakslog $rc
if [ "$CI_FAIL" -ne 0 ]; then
  # Show what leaked, not the whole trace log.
  grep -hE "object-alive|Leaks detected|FAIL|ERROR:|Unexpected" \
    "$LOGDIR/leakslog.txt" | grep -v "object-alive.class\|new format" \
    | head -60
fi
ci_result leaks
