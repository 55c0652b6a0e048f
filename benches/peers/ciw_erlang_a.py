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

import ciw

from erlang_a_common import AGENTS, AHT, ARRIVAL_RATE, PATIENCE, parse_args, report, timed


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


def main():
    a = parse_args(__doc__.splitlines()[0])

    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Exponential(rate=ARRIVAL_RATE)],
        service_distributions=[ciw.dists.Exponential(rate=1.0 / AHT)],
        number_of_servers=[AGENTS],
        reneging_time_distributions=[ciw.dists.Exponential(rate=1.0 / PATIENCE)],
    )
    ciw.seed(a.seed)
    q = ciw.Simulation(network)
    wall, cpu = timed(lambda: q.simulate_until_max_customers(a.arrivals, method="Arrive"))
    arrived = q.nodes[0].number_of_individuals
    assert arrived == a.arrivals, (arrived, a.arrivals)
    records = q.get_all_records(include_incomplete=True)
    waits, unresolved = outcomes(records, a.warmup)
    head = {"model": "ciw", "ciw_version": ciw.__version__}
    report(head, a, waits, wall, cpu, q.current_time, unresolved=unresolved)


if __name__ == "__main__":
    main()
