//! The summary folded one replication at a time (`SummaryBuilder`, what
//! `Summary::new` uses) against the two-pass estimate of the same values,
//! and the in-order driver against any thread count.

use ccsim::Scenario;
use ccsim::engine::{for_each_in_order, run_replications, simulate};
use ccsim::results::{Estimate, Metric, Replication, Scope, Summary, SummaryBuilder};
use std::ops::ControlFlow;

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/two-skills.toml"
    ))
    .unwrap();
    let mut sc = Scenario::from_toml(&text, "two-skills.toml", "two-skills").unwrap();
    sc.plan.replications = 12;
    sc.plan.seed = 11;
    sc
}

/// Means the same bits, sd and half-width within 1e-12 relative, n equal.
fn same(what: &str, got: Estimate, want: Estimate) {
    assert_eq!(got.n, want.n, "{what}");
    assert_eq!(
        got.mean.to_bits(),
        want.mean.to_bits(),
        "{what}: {got:?} {want:?}"
    );
    for (a, b) in [(got.sd, want.sd), (got.half_width, want.half_width)] {
        if b.is_nan() {
            assert!(a.is_nan(), "{what}: {got:?} {want:?}");
        } else {
            let scale = b.abs().max(f64::MIN_POSITIVE);
            assert!((a - b).abs() <= 1e-12 * scale, "{what}: {got:?} {want:?}");
        }
    }
}

#[test]
fn folded_summary_equals_the_two_pass_estimates() {
    let sc = scenario();
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
    let s = Summary::new(&sc.model, sc.plan.seed, &reps);
    let mut b = SummaryBuilder::new(&sc.model, sc.plan.seed);
    reps.iter().for_each(|r| b.push(r));
    let folded = b.finish();
    let mut compared = 0;
    for scope in s.scopes().collect::<Vec<_>>() {
        for &m in scope.metrics() {
            let want = Estimate::from_values(reps.iter().filter_map(|r| r.value(scope, m)));
            same(
                &format!("{scope:?} {m:?}"),
                s.estimate(scope, m).unwrap(),
                want,
            );
            same(
                &format!("{scope:?} {m:?}"),
                folded.estimate(scope, m).unwrap(),
                want,
            );
            for k in 0..s.intervals() {
                let want = Estimate::from_values(
                    reps.iter().filter_map(|r| r.interval_value(k, scope, m)),
                );
                same(
                    &format!("{k} {scope:?} {m:?}"),
                    s.interval(k, scope, m).unwrap(),
                    want,
                );
            }
            compared += 1;
        }
    }
    assert!(compared > 40, "{compared}");
    assert_eq!(folded.replications, 12);
    assert_eq!(folded.events, reps.iter().map(|r| r.events).sum::<u64>());
    // Some figure actually varies, so the sd comparison means something.
    let answered = s.estimate(Scope::Total, Metric::Answered).unwrap();
    assert!(answered.sd > 0.0);
}

#[test]
fn in_order_driver_is_thread_count_independent() {
    let sc = scenario();
    let collect = |threads: usize| -> Vec<Replication> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut got = Vec::new();
        pool.install(|| {
            for_each_in_order(
                0..12,
                |i| simulate(&sc.model, sc.plan.seed, i).unwrap(),
                |r| {
                    got.push(r);
                    ControlFlow::Continue(())
                },
            )
        });
        got
    };
    let one = collect(1);
    assert_eq!(
        one.iter().map(|r| r.index).collect::<Vec<_>>(),
        (0..12).collect::<Vec<_>>()
    );
    // Debug text: exact for f64, and NaN (undefined figures) equals NaN.
    let text = |reps: Vec<Replication>| format!("{reps:?}");
    let one = text(one);
    assert!(one == text(collect(2)), "2 threads differ from 1");
    assert!(one == text(collect(3)), "3 threads differ from 1");
}
