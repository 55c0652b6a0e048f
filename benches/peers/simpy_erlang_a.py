#!/usr/bin/env python3
"""Erlang-A (M/M/n+M) benchmark workload as a SimPy model.

100 identical agents in one simpy.Resource, one FCFS queue, Poisson arrivals
(rate 0.3533/s), exponential handle time (mean 300 s) and exponential patience
(mean 180 s). Each caller is a process that races its resource request against
a patience timeout (the pattern of SimPy's "bank renege" example). The run
generates a fixed number of arrivals and then drains (env.run() returns when no
events are left), like refsim's run_heap. Callers numbered below --warmup are
simulated but excluded from the metrics.

Prints one JSON object. wall_s times env.run() only.
"""
import argparse
import json
import random
import time

import simpy

AGENTS = 100
ARRIVAL_RATE = 0.3533  # per second
AHT = 300.0  # mean handle time, s
PATIENCE = 180.0  # mean patience, s
SL_T = 20.0  # service-level threshold, s


def caller(env, agents, rng, waits, i):
    """One call: queue for an agent, or abandon when patience runs out first."""
    arrived = env.now
    patience = rng.expovariate(1.0 / PATIENCE)
    with agents.request() as req:
        result = yield req | env.timeout(patience)
        if req in result:
            waits[i] = env.now - arrived  # served: record its wait
            yield env.timeout(rng.expovariate(1.0 / AHT))
        # else: abandoned; leaving the `with` block withdraws the request


def source(env, agents, rng, waits, n):
    """Poisson arrivals: exactly n callers, then stop."""
    for i in range(n):
        yield env.timeout(rng.expovariate(ARRIVAL_RATE))
        env.process(caller(env, agents, rng, waits, i))


def batch_se(values, batches=20):
    """Standard error of the mean of `values` (in arrival order) by batch means."""
    n = len(values)
    size = n // batches
    if size == 0:
        return float("nan")
    means = [sum(values[b * size:(b + 1) * size]) / size for b in range(batches)]
    m = sum(means) / batches
    var = sum((x - m) ** 2 for x in means) / (batches - 1)
    return (var / batches) ** 0.5


def metrics(waits, warmup, wall, n):
    """waits[i] is the wait of served caller i, or None if caller i abandoned."""
    counted = waits[warmup:]
    served_w = [w for w in counted if w is not None]
    served = len(served_w)
    abandoned = len(counted) - served
    ab = [1.0 if w is None else 0.0 for w in counted]
    sl = [1.0 if (w is not None and w <= SL_T) else 0.0 for w in counted]
    # ASA's SE: batch means of the per-batch ratio (sum of waits / served count)
    size = len(counted) // 20
    asa_b = []
    for b in range(20):
        ws = [w for w in counted[b * size:(b + 1) * size] if w is not None]
        asa_b.append(sum(ws) / len(ws) if ws else 0.0)
    asa_m = sum(asa_b) / 20
    asa_se = (sum((x - asa_m) ** 2 for x in asa_b) / 19 / 20) ** 0.5
    return {
        "model": "simpy",
        "simpy_version": simpy.__version__,
        "arrivals": n,
        "warmup": warmup,
        "counted": len(counted),
        "served": served,
        "abandoned": abandoned,
        "p_abandon": abandoned / len(counted),
        "p_abandon_se": batch_se(ab),
        "asa": sum(served_w) / served,
        "asa_se": asa_se,
        "sl": sum(sl) / len(counted),
        "sl_se": batch_se(sl),
        "wall_s": wall,
        "arrivals_per_s": n / wall,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arrivals", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=0)
    a = ap.parse_args()
    if not 0 <= a.warmup < a.arrivals:
        ap.error("need 0 <= warmup < arrivals")

    rng = random.Random(a.seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits = [None] * a.arrivals
    env.process(source(env, agents, rng, waits, a.arrivals))
    c0 = time.process_time()
    t0 = time.perf_counter()
    env.run()
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    out = metrics(waits, a.warmup, wall, a.arrivals)
    out["cpu_s"] = cpu
    out["seed"] = a.seed
    out["sim_end_time_s"] = env.now
    print(json.dumps(out))


if __name__ == "__main__":
    main()
