#!/usr/bin/env bash
# Two builds of ccsim side by side on one command: alternating
# whole-process runs (the order flips every pair, so neither build always
# runs on a warmer machine), then the median wall time of each and the
# median of the per-pair ratios NEW / OLD.
#
# Usage: benches/ab.sh OLD_BIN NEW_BIN RUNS ARGS...
#   e.g. benches/ab.sh /tmp/base/ccsim target/release/ccsim 21 \
#          run scenarios/bench-erlang-a.toml --threads 1
set -euo pipefail
if (($# < 4)); then
    echo "usage: $0 OLD_BIN NEW_BIN RUNS ARGS..." >&2
    exit 2
fi
old=$1 new=$2 runs=$3
shift 3

# Wall seconds of one command, its output discarded. EPOCHREALTIME (bash 5)
# reads the clock without forking, so the interval holds the command only.
wall() {
    local t0=$EPOCHREALTIME
    "$@" >/dev/null
    local t1=$EPOCHREALTIME
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

pairs=$(mktemp)
trap 'rm -f "$pairs"' EXIT
echo "old: $old"
echo "new: $new"
echo "command: ccsim $*"
echo "old_s new_s ratio"
for i in $(seq "$runs"); do
    if ((i % 2)); then
        o=$(wall "$old" "$@")
        n=$(wall "$new" "$@")
    else
        n=$(wall "$new" "$@")
        o=$(wall "$old" "$@")
    fi
    echo "$o $n $(awk -v a="$n" -v b="$o" 'BEGIN { printf "%.3f", a / b }')" | tee -a "$pairs"
done
echo "median old $(cut -d' ' -f1 "$pairs" | median) s, new $(cut -d' ' -f2 "$pairs" | median) s," \
    "median ratio new/old $(cut -d' ' -f3 "$pairs" | median) over $runs pairs"
