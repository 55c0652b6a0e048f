#!/usr/bin/env python3
"""Erlang-A (M/M/n+M) benchmark workload as a Ciw model.

One node with 100 servers, FCFS, Poisson arrivals (rate 0.3533/s), exponential
service (mean 300 s) and exponential patience (mean 180 s) through Ciw's
reneging feature (`reneging_time_distributions`). The run stops at the N-th
arrival (`simulate_until_max_customers(N, method="Arrive")`); Ciw does not
drain, so the few callers still in the system then are handled as described in
README.md: those already in service count as served (their wait is known),
those still queueing are unresolved and left out of the metrics (reported as
`unresolved`). Callers with id_number <= --warmup are excluded from the metrics.

Prints one JSON object. wall_s times simulate_until_max_customers only.
"""
import argparse
import json
import math
import time

import ciw

AGENTS = 100
ARRIVAL_RATE = 0.3533  # per second
AHT = 300.0  # mean handle time, s
PATIENCE = 180.0  # mean patience, s
SL_T = 20.0  # service-level threshold, s


def batch_se(values, batches=20):
    """Standard error of the mean of `values` (in arrival order) by batch means."""
    size = len(values) // batches
    if size == 0:
        return float("nan")
    means = [sum(values[b * size:(b + 1) * size]) / size for b in range(batches)]
    m = sum(means) / batches
    return (sum((x - m) ** 2 for x in means) / (batches - 1) / batches) ** 0.5


def outcomes(records, warmup):
    """Per counted caller, in arrival order: its wait if served, None if it
    reneged. Callers still queueing when the run stopped are dropped."""
    by_id = {}
    unresolved = 0
    for r in records:
        if r.id_number <= warmup:
            continue
        if r.record_type == "service":
            by_id[r.id_number] = r.waiting_time
        elif r.record_type == "renege":
            by_id[r.id_number] = None
        elif r.record_type == "incomplete":
            if r.service_start_date is not None:  # in service at the stop
                by_id[r.id_number] = r.waiting_time
            else:  # still queueing: outcome unknown
                unresolved += 1
        else:
            raise ValueError(f"unexpected record type {r.record_type!r}")
    return [by_id[k] for k in sorted(by_id)], unresolved


def metrics(waits, unresolved, warmup, wall, n):
    served_w = [w for w in waits if w is not None]
    served = len(served_w)
    abandoned = len(waits) - served
    ab = [1.0 if w is None else 0.0 for w in waits]
    sl = [1.0 if (w is not None and w <= SL_T) else 0.0 for w in waits]
    size = len(waits) // 20
    asa_b = []
    for b in range(20):
        ws = [w for w in waits[b * size:(b + 1) * size] if w is not None]
        asa_b.append(sum(ws) / len(ws) if ws else 0.0)
    asa_m = sum(asa_b) / 20
    asa_se = (sum((x - asa_m) ** 2 for x in asa_b) / 19 / 20) ** 0.5
    return {
        "model": "ciw",
        "ciw_version": ciw.__version__,
        "arrivals": n,
        "warmup": warmup,
        "counted": len(waits),
        "unresolved": unresolved,
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--arrivals", type=int, default=100000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--warmup", type=int, default=0)
    a = ap.parse_args()
    if not 0 <= a.warmup < a.arrivals:
        ap.error("need 0 <= warmup < arrivals")

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVAL_RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE)],
    )
    ciw.seed(a.seed)
    q = ciw.Simulation(network)
    c0 = time.process_time()
    t0 = time.perf_counter()
    q.simulate_until_max_customers(a.arrivals, method="Arrive")
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    arrived = q.nodes[0].number_of_individuals
    assert arrived == a.arrivals, (arrived, a.arrivals)
    records = q.get_all_records(include_incomplete=True)
    waits, unresolved = outcomes(records, a.warmup)
    out = metrics(waits, unresolved, a.warmup, wall, a.arrivals)
    out["cpu_s"] = cpu
    out["seed"] = a.seed
    out["sim_end_time_s"] = q.current_time
    print(json.dumps(out))


if __name__ == "__main__":
    main()
