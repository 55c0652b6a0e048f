#!/usr/bin/env bash
# results/realism.md's tables: how much each of SPEC §11's additions moves
# the service level, the abandonment and their spread across days on the
# retail care day, each as a paired comparison (common random numbers)
# against the day without it. Prints markdown.
#
#   scripts/realism.sh [REPLICATIONS]      (default 40; ~1 s after the build)
set -euo pipefail
cd "$(dirname "$0")/.."
r=${1:-40}
cargo build --release --quiet
ccsim=target/release/ccsim

table() { python3 scripts/realism_table.py "$1"; }

echo "### One addition at a time on scenarios/retail-day.toml ($r replications)"
echo
"$ccsim" compare scenarios/retail-day.toml -r "$r" --json \
    --variant 'balking 5%:queues.care.balk_probability=0.05' \
    --variant 'redials:queues.care.redial={ probability = 0.5, delay = { dist = "exponential", mean = "20m" }, max = 2 }' \
    --variant 'capacity 10:queues.care.capacity=10' \
    --variant 'max wait 90s:queues.care.max_wait=90s' \
    --variant 'busyness sd 10%:horizon.busyness={ dist = "gamma", mean = 1, sd = 0.1 }' \
    --variant 'absence 5%:agents.care team.absence=0.05' \
    | table care
echo
echo "### Routing on results/realism-two-groups.toml ($r replications)"
echo
"$ccsim" compare results/realism-two-groups.toml -r "$r" --json \
    --variant 'overflow after 30s:queues.care.groups=[{ group = "care team" }, { group = "generalists", after = "30s" }]' \
    --variant 'generalists reserve 2:agents.generalists.reserve=2' \
    | table care,orders
