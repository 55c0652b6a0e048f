//! Engine throughput: events per second of single replications.
//!
//! `cargo bench --bench engine` reports, for each scenario, the time of one
//! replication and the throughput in events (criterion's "elem/s" is events
//! per second: arrivals, abandonments, service ends, offers, callback and
//! staffing events; stale timers are not counted):
//!
//! - `erlang-a`: the refsim workload, M/M/100+M, 1M arrivals
//!   (`scenarios/bench-erlang-a.toml`);
//! - `big-center`: 40 queues, 120 groups, 3,000 agents
//!   (`scenarios/bench-big-center.toml`), whose events/s should stay within
//!   a factor of 2 of `erlang-a`'s;
//! - the three example scenarios.
//!
//! and, in group `retail-day-40`, 40 replications of `retail-day` on pools
//! of 1 and 2 threads: target 3's simulation phase without the process
//! start-up and output that `benches/whole-process.sh` includes.

use ccsim::Scenario;
use ccsim::engine::{run_replications, simulate};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn load(file: &str) -> Scenario {
    let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("scenario file");
    Scenario::from_toml(&text, &path, file).expect("valid scenario")
}

fn replication(c: &mut Criterion) {
    let cases = [
        ("erlang-a", load("bench-erlang-a.toml")),
        ("big-center", load("bench-big-center.toml")),
        ("steady-state", load("steady-state.toml")),
        ("retail-day", load("retail-day.toml")),
        ("two-skills", load("two-skills.toml")),
    ];
    let mut group = c.benchmark_group("replication");
    for (name, sc) in &cases {
        let events = simulate(&sc.model, sc.plan.seed, 0).unwrap().events;
        group.throughput(Throughput::Elements(events));
        group.bench_function(*name, |b| {
            b.iter(|| simulate(black_box(&sc.model), sc.plan.seed, black_box(0)).unwrap())
        });
    }
    group.finish();
}

fn threads(c: &mut Criterion) {
    let mut sc = load("retail-day.toml");
    sc.plan.replications = 40;
    let mut group = c.benchmark_group("retail-day-40");
    for n in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .expect("worker threads start");
        group.bench_function(format!("threads-{n}"), |b| {
            b.iter(|| {
                pool.install(|| run_replications(black_box(&sc.model), &sc.plan, &|| {}).unwrap())
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = replication, threads
}
criterion_main!(benches);
