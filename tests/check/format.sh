#!/usr/bin/env bash
# Every .c file is formatted as tools/gst-indent (GStreamer's gst-indent)
# leaves it: prints the diff of each one that is not, and fails.
#
#   tests/check/format.sh SOURCE_DIR
set -uo pipefail
src=$1
if ! command -v indent >/dev/null; then
  echo "indent missing: apt-get install indent"
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src" || exit 1
if [ -e .git ] && command -v git >/dev/null; then
  files=$(git ls-files '*.c')
else
  files=$(find . -name '*.c' -not -path './build*' | sed 's|^\./||')
fi
bad=0
for f in $files; do
  mkdir -p "$tmp/$(dirname "$f")"
  cp "$f" "$tmp/$f"
  "$src/tools/gst-indent" "$tmp/$f"
  if ! diff -u "$f" "$tmp/$f"; then
    bad=$((bad + 1))
  fi
done
n=$(wc -w <<<"$files")
echo "$((n - bad)) of $n .c files formatted as tools/gst-indent leaves them"
[ "$bad" -eq 0 ] || echo "fix: tools/gst-indent FILE.c..."
[ "$bad" -eq 0 ]
