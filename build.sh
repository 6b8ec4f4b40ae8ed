#!/usr/bin/env bash
# The README's set-up commands. Each installs what is missing from Debian's
# packages (nothing when all is there), builds, then does one thing:
#
#   ./build.sh demo    render the built-in demo composition to demo.avi
#   ./build.sh test    run every test, then print "N passed, N failed"
#
# Works as root or through sudo. Build directory: build/ (BUILD_DIR=...).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

BUILD_DIR=${BUILD_DIR:-build}

. tools/common.sh

# Outside checks of our output (ffprobe, ffmpeg; cjpeg; rsvg-convert with
# PIL and numpy for path data), the Python examples (PyGObject, pycairo)
# and the H.264 leg of the tutorial (x264enc); GNU parallel, rsync, an ssh
# server and Slurm for chunked renders (their tests start their own
# daemons); GNU indent for the format check (tools/gst-indent); font files
# for the text tests (TrueType, a CJK collection, CFF outlines).
TEST_PKGS=(
  ffmpeg python3 python3-gi python3-gst-1.0 gir1.2-gst-plugins-base-1.0
  gstreamer1.0-plugins-ugly librsvg2-bin python3-pil python3-numpy
  python3-cairo python3-yaml parallel openssh-server openssh-client munge
  slurmctld slurmd slurm-client indent rsync libjpeg-turbo-progs
  fonts-dejavu-core fonts-wqy-microhei fonts-freefont-otf
)

configure_and_build () {
  if [ -f "$BUILD_DIR/build.ninja" ]; then
    meson setup --reconfigure "$BUILD_DIR" "$@" >/dev/null
  else
    meson setup "$BUILD_DIR" "$@"
  fi
  meson compile -C "$BUILD_DIR"
}

# meson test's JSON log -> "N passed, N failed[, N skipped]".
summarize () {
  local log=$1/meson-logs/testlog.json skip
  count_results "$log"
  skip=$(grep -c '"result": "SKIP"' "$log" || true)
  echo "$PASSED passed, $FAILED failed, $skip skipped"
}

case "${1:-}" in
  demo)
    install_missing "${BUILD_PKGS[@]}"
    configure_and_build
    GST_PLUGIN_PATH="$PWD/$BUILD_DIR/gst/hfdraw:$PWD/$BUILD_DIR/ext/turbojpeg" \
      gst-launch-1.0 hfdrawsrc ! hfjpegenc ! avimux ! filesink location=demo.avi
    echo "Wrote $PWD/demo.avi"
    ;;
  test)
    install_missing "${BUILD_PKGS[@]}" "${TEST_PKGS[@]}"
    configure_and_build
    rc=0
    meson test -C "$BUILD_DIR" --print-errorlogs --num-processes 2 || rc=$?
    summarize "$BUILD_DIR"
    exit $rc
    ;;
  *)
    echo "usage: $0 demo|test" >&2
    exit 2
    ;;
esac
