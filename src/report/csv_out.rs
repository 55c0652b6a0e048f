//! CSV files: `summary.csv`, `replications.csv`, `intervals.csv`.

use super::num;
use crate::engine::Replication;
use crate::scenario::Scenario;
use crate::stats::{Estimate, METRICS, Summary};

type Rows = csv::Writer<Vec<u8>>;

/// The text of a CSV written to memory.
pub fn csv_string(w: Rows) -> String {
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

fn row(w: &mut Rows, fields: impl IntoIterator<Item = String>) {
    w.write_record(fields.into_iter().collect::<Vec<_>>())
        .expect("writing to memory cannot fail");
}

/// One row per scope × metric: `scope,metric,mean,ci95,sd,n`. Scopes are
/// the queues, `total`, then the agent groups (metric `occupancy`).
pub fn summary_csv(s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    row(
        &mut w,
        ["scope", "metric", "mean", "ci95", "sd", "n"].map(String::from),
    );
    let mut put = |scope: &str, metric: &str, e: &Estimate| {
        row(
            &mut w,
            [
                scope.to_string(),
                metric.to_string(),
                num(e.mean),
                num(e.half_width),
                num(e.sd),
                e.n.to_string(),
            ],
        )
    };
    let names = s.queue_names.iter().map(String::as_str);
    let scopes = names
        .zip(&s.queues)
        .chain(std::iter::once(("total", &s.total)));
    for (name, values) in scopes {
        for (m, e) in METRICS.iter().zip(values) {
            put(name, m.name, e);
        }
    }
    for (name, e) in s.group_names.iter().zip(&s.occupancy) {
        put(name, "occupancy", e);
    }
    csv_string(w)
}

/// One row per replication × scope, with every metric as a column; agent
/// groups' rows fill only `occupancy`.
pub fn replications_csv(sc: &Scenario, reps: &[Replication]) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let header = ["replication", "scope"]
        .into_iter()
        .chain(METRICS.iter().map(|m| m.name))
        .chain(["occupancy"])
        .map(String::from);
    row(&mut w, header);
    for r in reps {
        let queues = sc.queues.iter().map(|q| q.name.as_str()).zip(&r.queues);
        for (name, values) in queues.chain(std::iter::once(("total", &r.total))) {
            let fields = [r.index.to_string(), name.to_string()]
                .into_iter()
                .chain(values.iter().map(|&v| num(v)))
                .chain([String::new()]);
            row(&mut w, fields);
        }
        for (g, group) in sc.groups.iter().enumerate() {
            let fields = [r.index.to_string(), group.name.clone()]
                .into_iter()
                .chain(METRICS.iter().map(|_| String::new()))
                .chain([num(r.occupancy[g])]);
            row(&mut w, fields);
        }
    }
    csv_string(w)
}

/// One row per interval × queue: staffing and the figures of the calls that
/// arrived in the interval, each as mean and 95% half-width.
pub fn intervals_csv(sc: &Scenario, s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let figures = [
        "offered",
        "answered",
        "abandoned",
        "callbacks_offered",
        "callbacks_requested",
        "abandon_rate",
        "service_level",
        "asa",
    ];
    let header = ["interval", "start_s", "end_s", "queue", "staffed"]
        .into_iter()
        .map(String::from)
        .chain(
            figures
                .iter()
                .flat_map(|f| [f.to_string(), format!("{f}_ci95")]),
        );
    row(&mut w, header);
    let h = &sc.horizon;
    for c in &s.intervals {
        let ests = [
            &c.offered,
            &c.answered,
            &c.abandoned,
            &c.callbacks_offered,
            &c.callbacks_requested,
            &c.abandon_rate,
            &c.service_level,
            &c.asa,
        ];
        let fields = [
            c.interval.to_string(),
            num(h.interval_start(c.interval)),
            num(h.interval_end(c.interval)),
            sc.queues[c.queue].name.clone(),
            c.staffed.to_string(),
        ]
        .into_iter()
        .chain(ests.iter().flat_map(|e| [num(e.mean), num(e.half_width)]));
        row(&mut w, fields);
    }
    csv_string(w)
}
