#!/usr/bin/env bash
# What a chunked render costs on this machine (docs/render-farm.md):
# a chunk's fixed cost, the per-frame rate, the join's throughput, and K=2
# chunks side by side against one process, on hfdrawsrc's built-in demo
# (1920x1080, 30 fps, 300 frames). Medians of ROUNDS runs; it asserts
# nothing.
#
#   bench/farm.sh [BUILD_DIR] [ROUNDS]       (default build, 5)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$here/build}" && pwd)
rounds=${2:-5}
hfr=$build/tools/hfrender/hfrender
export GST_PLUGIN_PATH_1_0=$build/gst/hfdraw:$build/ext/turbojpeg
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now () { date +%s.%N; }
median () {
  sort -g | awk '{v[NR]=$1}
    END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'
}
timed () {
  local t0
  t0=$(now)
  "$@" >/dev/null 2>&1
  echo "$(now) - $t0" | bc -l
}

"$hfr" render --end 1 -o "$work/warm.avi" >/dev/null 2>&1  # registry
one=() full=() join=() k2=() k1=()
for ((r = 0; r < rounds; r++)); do
  one+=("$(timed "$hfr" render --end 1 -o "$work/one.avi")")
  full+=("$(timed "$hfr" render -o "$work/full.avi")")
  for i in 0 1 2 3 4 5 6 7; do
    "$hfr" render --chunk $i/8 -o "$work/c$i.avi" >/dev/null 2>&1
  done
  join+=("$(timed "$hfr" join "$work"/c?.avi -o "$work/joined.avi")")
  cmp -s "$work/joined.avi" "$work/full.avi" || { echo "join differs"; exit 1; }
  k2+=("$(timed bash -c "'$hfr' render --threads 1 --chunk 0/2 \
      -o '$work/h0.avi' & '$hfr' render --threads 1 --chunk 1/2 \
      -o '$work/h1.avi'; wait")")
  k1+=("$(timed "$hfr" render -o "$work/k1.avi")")
done
m_one=$(printf '%s\n' "${one[@]}" | median)
m_full=$(printf '%s\n' "${full[@]}" | median)
m_join=$(printf '%s\n' "${join[@]}" | median)
m_k2=$(printf '%s\n' "${k2[@]}" | median)
m_k1=$(printf '%s\n' "${k1[@]}" | median)
bytes=$(stat -c %s "$work/full.avi")
echo "CPUs: $(nproc); $rounds rounds, medians; $(date -u +%Y-%m-%dT%H:%MZ)"
printf '| measure | value |\n|---|--:|\n'
printf '| one-frame render (fixed cost of a chunk) | %.3f s |\n' "$m_one"
printf '| whole render, 300 frames 1920x1080 | %.3f s |\n' "$m_full"
printf '| per frame after the fixed cost | %.2f ms |\n' \
  "$(echo "($m_full - $m_one) * 1000 / 299" | bc -l)"
printf '| join of 8 chunks, %.1f MB | %.3f s (%.0f MB/s) |\n' \
  "$(echo "$bytes / 1000000" | bc -l)" "$m_join" \
  "$(echo "$bytes / 1000000 / $m_join" | bc -l)"
printf '| K=2 chunks at once, threads=1 each | %.3f s |\n' "$m_k2"
printf '| one process, defaults (same rounds) | %.3f s |\n' "$m_k1"
printf '| K=2 ÷ one process (time) | %.2f |\n' "$(echo "$m_k2 / $m_k1" | bc -l)"
printf '| chunk length where the fixed cost is 10%% | %.0f frames |\n' \
  "$(echo "9 * $m_one * 299 / ($m_full - $m_one)" | bc -l)"

# The cost model on one CPU ("a machine"): K chunks in a row cost
# K x fixed + 300 x per-frame; K machines at once would take
# fixed + 300 x per-frame / K + join. Checked for K = 1..3 in a row, and
# K = 2 at once on two CPUs (this machine has no third).
solo () { taskset -c "$1" "$hfr" render --threads 1 "${@:2}" >/dev/null 2>&1; }
f1=() w1=() seq2=() seq3=() par2=()
for ((r = 0; r < rounds; r++)); do
  f1+=("$(timed solo 0 --end 1 -o "$work/f1.avi")")
  w1+=("$(timed solo 0 -o "$work/w1.avi")")
  seq2+=("$(timed bash -c "$(declare -f solo); hfr='$hfr'; \
      solo 0 --chunk 0/2 -o '$work/s0.avi'; \
      solo 0 --chunk 1/2 -o '$work/s1.avi'")")
  seq3+=("$(timed bash -c "$(declare -f solo); hfr='$hfr'; \
      for i in 0 1 2; do solo 0 --chunk \$i/3 -o '$work/t.avi'; done")")
  par2+=("$(timed bash -c "$(declare -f solo); hfr='$hfr'; \
      solo 0 --chunk 0/2 -o '$work/p0.avi' & \
      solo 1 --chunk 1/2 -o '$work/p1.avi'; wait")")
done
m_f1=$(printf '%s\n' "${f1[@]}" | median)
m_w1=$(printf '%s\n' "${w1[@]}" | median)
pf=$(echo "($m_w1 - $m_f1) / 299" | bc -l)
echo
printf 'One CPU, threads=1: fixed %.3f s, %.2f ms a frame.\n' "$m_f1" \
  "$(echo "$pf * 1000" | bc -l)"
printf '| chunks | measured | model | measured ÷ model |\n|---|--:|--:|--:|\n'
row () {
  printf '| %s | %.3f s | %.3f s | %.2f |\n' "$1" "$2" "$3" \
    "$(echo "$2 / $3" | bc -l)"
}
row "K=1 (whole)" "$m_w1" "$(echo "$m_f1 + 300 * $pf" | bc -l)"
row "K=2 in a row" "$(printf '%s\n' "${seq2[@]}" | median)" \
  "$(echo "2 * $m_f1 + 300 * $pf" | bc -l)"
row "K=3 in a row" "$(printf '%s\n' "${seq3[@]}" | median)" \
  "$(echo "3 * $m_f1 + 300 * $pf" | bc -l)"
row "K=2 at once, one CPU each (no join)" \
  "$(printf '%s\n' "${par2[@]}" | median)" \
  "$(echo "$m_f1 + 150 * $pf" | bc -l)"
