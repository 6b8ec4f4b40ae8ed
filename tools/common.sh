# Shared by build.sh and tests/ci/*.sh; source it, do not run it.

# What the build needs from Debian 12's packages.
BUILD_PKGS=(
  gcc libc6-dev pkg-config meson ninja-build
  libglib2.0-dev libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  libturbojpeg0-dev libfreetype-dev libharfbuzz-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
)

# install_missing PKG...: installs only the packages that are not installed
# yet (so a second run installs nothing), as root or through sudo.
install_missing () {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "Installing: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
    --no-install-recommends "${missing[@]}"
}

# count_results TESTLOG.json: sets PASSED and FAILED from meson test's JSON
# log (a timeout or an error counts as a failure).
count_results () {
  PASSED=$(grep -c '"result": "OK"' "$1" 2>/dev/null || true)
  FAILED=$(grep -cE '"result": "(FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS)"' \
    "$1" 2>/dev/null || true)
  PASSED=${PASSED:-0}
  FAILED=${FAILED:-0}
}
