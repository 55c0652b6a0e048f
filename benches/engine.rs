//! Engine throughput: events per second of single replications.
//!
//! `cargo bench --bench engine` reports, for each example scenario, the time
//! of one replication and the throughput in events (criterion's "elem/s" is
//! events per second: arrivals, abandonments, service ends, offers, callback
//! and staffing events; stale timers are not counted).

use ccsim::Scenario;
use ccsim::engine::simulate;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn load(file: &str) -> Scenario {
    let path = format!("{}/scenarios/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("scenario file");
    Scenario::from_toml(&text, &path, file).expect("valid scenario")
}

fn replication(c: &mut Criterion) {
    let cases = [
        ("steady-state", load("steady-state.toml")),
        ("retail-day", load("retail-day.toml")),
        ("two-skills", load("two-skills.toml")),
    ];
    let mut group = c.benchmark_group("replication");
    for (name, sc) in &cases {
        let events = simulate(sc, 0).events;
        group.throughput(Throughput::Elements(events));
        group.bench_function(*name, |b| b.iter(|| simulate(black_box(sc), black_box(0))));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = replication
}
criterion_main!(benches);
