"""What the SimPy and Ciw peer models share: the Erlang-A workload's
parameters, the command line, and the metrics with batch-means errors."""

import argparse
import json
import time

AGENTS = 100
ARRIVAL_RATE = 0.3533  # per second
AHT = 300.0  # mean handle time, s
PATIENCE = 180.0  # mean patience, s
SL_T = 20.0  # service-level threshold, s
BATCHES = 20


def parse_args(description):
    """--arrivals, --seed and --warmup, checked."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--arrivals", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=0)
    a = ap.parse_args()
    if not 0 <= a.warmup < a.arrivals:
        ap.error("need 0 <= warmup < arrivals")
    return a


def batch_se(values, batches=BATCHES):
    """Standard error of the mean of `values` (in arrival order) by batch means."""
    size = len(values) // batches
    if size == 0:
        return float("nan")
    means = [sum(values[b * size:(b + 1) * size]) / size for b in range(batches)]
    m = sum(means) / batches
    return (sum((x - m) ** 2 for x in means) / (batches - 1) / batches) ** 0.5


def metrics(waits, wall, n):
    """Figures of the counted callers: `waits` holds, in arrival order, each
    served caller's wait and None for each caller who abandoned."""
    served_w = [w for w in waits if w is not None]
    served = len(served_w)
    abandoned = len(waits) - served
    ab = [1.0 if w is None else 0.0 for w in waits]
    sl = [1.0 if (w is not None and w <= SL_T) else 0.0 for w in waits]
    # ASA's error: batch means of the per-batch ratio (sum of waits / served).
    size = len(waits) // BATCHES
    asa_b = []
    for b in range(BATCHES):
        ws = [w for w in waits[b * size:(b + 1) * size] if w is not None]
        asa_b.append(sum(ws) / len(ws) if ws else 0.0)
    asa_m = sum(asa_b) / BATCHES
    asa_se = (sum((x - asa_m) ** 2 for x in asa_b) / (BATCHES - 1) / BATCHES) ** 0.5
    return {
        "arrivals": n,
        "counted": len(waits),
        "served": served,
        "abandoned": abandoned,
        "p_abandon": abandoned / len(waits),
        "p_abandon_se": batch_se(ab),
        "asa": sum(served_w) / served,
        "asa_se": asa_se,
        "sl": sum(sl) / len(waits),
        "sl_se": batch_se(sl),
        "wall_s": wall,
        "arrivals_per_s": n / wall,
    }


def timed(run):
    """Calls `run()`; returns its wall and process CPU seconds."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    run()
    return time.perf_counter() - t0, time.process_time() - c0


def report(head, args, waits, wall, cpu, end_time, **extra):
    """Prints one JSON object: `head` (model and version), the metrics of
    the counted callers' `waits`, then `extra`, timing and run details."""
    out = dict(head, warmup=args.warmup)
    out.update(metrics(waits, wall, args.arrivals))
    out.update(extra)
    out.update(cpu_s=cpu, seed=args.seed, sim_end_time_s=end_time)
    print(json.dumps(out))
