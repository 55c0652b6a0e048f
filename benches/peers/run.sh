#!/usr/bin/env bash
# Time the SimPy and Ciw Erlang-A peer models.
# Usage: bash benches/peers/run.sh [ARRIVALS]   (default 100000)
# Creates a throwaway virtualenv in ${TMPDIR:-/tmp}/ccsim-peers-venv, installs
# requirements.txt into it, runs each model 5 times (alternating, seeds 1-5,
# no warm-up) and prints the median simulation wall time, arrivals/s (arrivals
# divided by the median wall time) and the median process CPU time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
arrivals="${1:-100000}"
runs=5
venv="${TMPDIR:-/tmp}/ccsim-peers-venv"

python3 -m venv --clear "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt"
py="$venv/bin/python"

echo "python: $("$py" --version 2>&1)"
echo "packages: $("$py" -m pip freeze --disable-pip-version-check | tr '\n' ' ')"
echo "cpu: $(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p')"
echo "arrivals per run: $arrivals, runs per model: $runs"

out="$(mktemp "${TMPDIR:-/tmp}/ccsim-peers-XXXXXX")"
for i in $(seq 1 "$runs"); do
    for model in simpy ciw; do
        "$py" "$here/${model}_erlang_a.py" --arrivals "$arrivals" --seed "$i" >> "$out"
        echo "run $i $model: $(tail -n 1 "$out")"
    done
done

"$py" - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print()
print("| model | arrivals | median wall s of %d runs | arrivals/s | median CPU s |" % (len(rows) // 2))
print("|---|---:|---:|---:|---:|")
for model in ("simpy", "ciw"):
    rs = [r for r in rows if r["model"] == model]
    wall = statistics.median(r["wall_s"] for r in rs)
    cpu = statistics.median(r["cpu_s"] for r in rs)
    n = rs[0]["arrivals"]
    print(f"| {model} | {n} | {wall:.3f} | {n / wall:.0f} | {cpu:.3f} |")
PY
echo "raw results: $out"
