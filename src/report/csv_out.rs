//! CSV files: `summary.csv`, `replications.csv`, `intervals.csv`.

use super::num;
use crate::model::Model;
use crate::results::{Estimate, Metric, Replication, Scope, Summary};

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

/// An estimate's columns: `mean,ci95,sd,n`.
pub fn estimate_fields(e: &Estimate) -> [String; 4] {
    [num(e.mean), num(e.half_width), num(e.sd), e.n.to_string()]
}

/// One row per scope × metric: `scope,metric,mean,ci95,sd,n`. Scopes are
/// the queues, `total`, then the agent groups (metric `occupancy`).
pub fn summary_csv(s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    row(
        &mut w,
        ["scope", "metric", "mean", "ci95", "sd", "n"].map(String::from),
    );
    for scope in s.scopes() {
        for &m in scope.metrics() {
            let e = s.estimate(scope, m).expect("a scope's own metric");
            let head = [s.scope_name(scope).to_string(), m.name().to_string()];
            row(&mut w, head.into_iter().chain(estimate_fields(&e)));
        }
    }
    csv_string(w)
}

/// One row per replication × scope, with every metric as a column; agent
/// groups' rows fill only `occupancy`.
pub fn replications_csv(model: &Model, reps: &[Replication]) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let header = ["replication", "scope"]
        .into_iter()
        .chain(Metric::QUEUE.iter().map(|m| m.name()))
        .chain([Metric::Occupancy.name()])
        .map(String::from);
    row(&mut w, header);
    let queues = model.queues().iter().map(|q| q.name.as_str());
    let groups = model.groups().iter().map(|g| g.name.as_str());
    let scopes: Vec<(&str, Scope)> = queues
        .enumerate()
        .map(|(q, n)| (n, Scope::Queue(q)))
        .chain([("total", Scope::Total)])
        .chain(groups.enumerate().map(|(g, n)| (n, Scope::Group(g))))
        .collect();
    for r in reps {
        for &(name, scope) in &scopes {
            let value = |m: Metric| r.value(scope, m).map_or(String::new(), num);
            let fields = [r.index.to_string(), name.to_string()]
                .into_iter()
                .chain(Metric::QUEUE.iter().map(|&m| value(m)))
                .chain([value(Metric::Occupancy)]);
            row(&mut w, fields);
        }
    }
    csv_string(w)
}

/// One row per interval × queue: staffing and the figures of the calls that
/// arrived in the interval, each as mean and 95% half-width.
pub fn intervals_csv(model: &Model, s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let figures: Vec<Metric> = Metric::QUEUE
        .into_iter()
        .filter(|m| m.per_interval())
        .collect();
    let header = ["interval", "start_s", "end_s", "queue", "staffed"]
        .into_iter()
        .map(String::from)
        .chain(
            figures
                .iter()
                .flat_map(|m| [m.name().to_string(), format!("{}_ci95", m.name())]),
        );
    row(&mut w, header);
    let h = model.horizon();
    for k in 0..s.intervals() {
        for (q, queue) in model.queues().iter().enumerate() {
            let fields = [
                k.to_string(),
                num(h.interval_start(k)),
                num(h.interval_end(k)),
                queue.name.clone(),
                s.staffed(k, q).to_string(),
            ]
            .into_iter()
            .chain(figures.iter().flat_map(|&m| {
                let e = s.interval(k, q, m).expect("a per-interval metric");
                [num(e.mean), num(e.half_width)]
            }));
            row(&mut w, fields);
        }
    }
    csv_string(w)
}
