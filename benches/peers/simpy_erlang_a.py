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
import random

import simpy

from erlang_a_common import AGENTS, AHT, ARRIVAL_RATE, PATIENCE, parse_args, report, timed


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


def main():
    a = parse_args(__doc__.splitlines()[0])

    rng = random.Random(a.seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=AGENTS)
    waits = [None] * a.arrivals
    env.process(source(env, agents, rng, waits, a.arrivals))
    wall, cpu = timed(env.run)
    head = {"model": "simpy", "simpy_version": simpy.__version__}
    report(head, a, waits[a.warmup:], wall, cpu, env.now)


if __name__ == "__main__":
    main()
