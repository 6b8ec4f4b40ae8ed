#!/usr/bin/env bash
# The build without FreeType and HarfBuzz (meson -Dfonts=disabled): it
# must build, pass the engine's unit tests, and refuse a composition that
# declares a <font> with an error that says why (unit/compparse checks
# the message; in the normal build it checks that fonts load).
set -uo pipefail
. "$(dirname "$(readlink -f "$0")")/lib.sh"
BUILD=${BUILD_NOFONTS:-$CI_SRC/build-nofonts}
CI_PASS=0
CI_FAIL=1

CI_TARGETS="gst/hfdraw/libgsthfdraw.so tests/unit/test-compparse
  tests/unit/test-comp tests/unit/test-font tests/unit/test-text
  tests/unit/test-image tests/unit/test-layer"
ci_setup_clang "$BUILD" -Dfonts=disabled || { ci_result nofonts; exit 1; }

rm -f "$BUILD/meson-logs/nofontslog"*
meson test -C "$BUILD" --no-rebuild --print-errorlogs --num-processes 2 \
  --logbase nofontslog unit/compparse unit/comp unit/font unit/text \
  unit/image unit/layer
rc=$?
ci_count "$BUILD" nofontslog $rc
ci_result nofonts
