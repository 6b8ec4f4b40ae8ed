#!/usr/bin/env bash
# ASan + UBSan: the meson test suite (unit and gst-check) built with clang
# -fsanitize=address,undefined, less the reference suite: its scripts run
# gst-launch-1.0, an uninstrumented program that cannot load instrumented
# plugins (the README's test command runs them). Any report aborts the
# test program, which fails its test. LSan is on; lsan.supp only names
# GLib's and GStreamer's own lifetime allocations (type system, registry,
# caches).
#
#   tests/ci/sanitize-asan.sh          (build dir: build-asan/, BUILD_ASAN=...)
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
BUILD=${BUILD_ASAN:-$CI_SRC/build-asan}
CI_PASS=0
CI_FAIL=1

# b_lundef=false: the plugins are shared libraries whose __asan_* symbols
# come from the runtime linked into the test executable.
ci_setup_clang "$BUILD" -Db_sanitize=address,undefined -Db_lundef=false \
  -Dbuildtype=debugoptimized || { ci_result asan; exit 1; }

ci_fresh_registry "$BUILD"
# fast_unwind_on_malloc=0: the system GLib has no frame pointers, so the
# fast unwinder stops at g_malloc and lsan.supp could not tell whose
# allocation a leak is. Full unwinding costs time but names the caller.
export ASAN_OPTIONS=halt_on_error=1:detect_leaks=1:abort_on_error=1:symbolize=1:fast_unwind_on_malloc=0
export LSAN_OPTIONS=suppressions=$CI_DIR/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ASAN_SYMBOLIZER_PATH=$(ci_find_symbolizer || true)
export ASAN_SYMBOLIZER_PATH
# GLib's slice allocator would hide use-after-free from ASan.
export G_SLICE=always-malloc G_DEBUG=gc-friendly

rm -f "$BUILD/meson-logs/asanlog"*
meson test -C "$BUILD" --print-errorlogs --num-processes 2 \
  --timeout-multiplier 3 --logbase asanlog --no-suite reference
rc=$?
ci_count "$BUILD" asanlog $rc
ci_result asan
