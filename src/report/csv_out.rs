//! CSV files: `summary.csv`, `replications.csv`, `intervals.csv`, ready
//! for a spreadsheet or pandas. Numbers are plain numbers (no unit row,
//! no unit in a cell); a column of seconds has `_s` after the metric's
//! name (`asa_s`), rates are fractions from 0 to 1 under the metric's own
//! name, and every file that mixes queues, the total and agent groups
//! says which a row is in a `kind` column. Text cells that a spreadsheet
//! would run as a formula are neutralized by [`text_cell`].

use super::num;
use crate::model::Model;
use crate::results::{Estimate, Metric, Replication, Scope, Summary, Unit};

type Rows = csv::Writer<Vec<u8>>;

/// The text of a CSV written to memory.
pub fn csv_string(w: Rows) -> String {
    let bytes = w.into_inner().expect("writing to memory cannot fail");
    String::from_utf8(bytes).expect("CSV of UTF-8 fields is UTF-8")
}

/// A text cell (a queue, group or variant name) as every CSV ccsim writes
/// it: one that a spreadsheet would take for a formula (it begins with `=`,
/// `+`, `-`, `@`, a tab or a carriage return; OWASP's "CSV injection")
/// gets a `'` in front, which spreadsheets show as text. A cell that reads
/// as a plain number (`-0.5`) is left alone: it is no formula.
pub fn text_cell(s: &str) -> String {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && s.trim().parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn row(w: &mut Rows, fields: impl IntoIterator<Item = String>) {
    w.write_record(fields.into_iter().collect::<Vec<_>>())
        .expect("writing to memory cannot fail");
}

/// A metric's column name: its name, with `_s` for seconds.
pub fn column(m: Metric) -> String {
    match m.unit() {
        Unit::Seconds => format!("{}_s", m.name()),
        Unit::Count | Unit::Ratio => m.name().to_string(),
    }
}

/// A unit as the `unit` column of the long files names it.
pub fn unit_name(u: Unit) -> &'static str {
    match u {
        Unit::Count => "count",
        Unit::Ratio => "fraction",
        Unit::Seconds => "s",
    }
}

/// An estimate's columns: `mean,ci95,sd,n`.
pub fn estimate_fields(e: &Estimate) -> [String; 4] {
    [num(e.mean), num(e.half_width), num(e.sd), e.n.to_string()]
}

/// The columns that name a figure in the long files: `kind,scope,metric,unit`.
pub fn figure_fields(s: &Summary, scope: Scope, m: Metric) -> [String; 4] {
    [
        scope.kind().to_string(),
        text_cell(s.scope_name(scope)),
        m.name().to_string(),
        unit_name(m.unit()).to_string(),
    ]
}

/// One row per scope × metric: `kind,scope,metric,unit,mean,ci95,sd,n`.
/// Scopes are the queues, `total`, then the agent groups (metric
/// `occupancy`).
pub fn summary_csv(s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let header = ["kind", "scope", "metric", "unit", "mean", "ci95", "sd", "n"];
    row(&mut w, header.map(String::from));
    for scope in s.scopes() {
        for &m in scope.metrics() {
            let e = s.estimate(scope, m).expect("a scope's own metric");
            row(
                &mut w,
                figure_fields(s, scope, m)
                    .into_iter()
                    .chain(estimate_fields(&e)),
            );
        }
    }
    csv_string(w)
}

/// Every scope of a model with its kind and name, in file order.
fn scopes(model: &Model) -> Vec<(Scope, &str)> {
    let queues = model.queues().iter().map(|q| q.name.as_str());
    let groups = model.groups().iter().map(|g| g.name.as_str());
    queues
        .enumerate()
        .map(|(q, n)| (Scope::Queue(q), n))
        .chain([(Scope::Total, "total")])
        .chain(groups.enumerate().map(|(g, n)| (Scope::Group(g), n)))
        .collect()
}

/// `replications.csv`: one row per replication × scope, with every metric
/// as a column (agent groups' rows fill only `occupancy`), written row by
/// row to `W` as replications finish, so that a run holds none of them.
pub struct ReplicationsCsv<W: std::io::Write> {
    w: csv::Writer<W>,
    /// Every scope with its name as written (escaped once, see [`text_cell`]).
    scopes: Vec<(Scope, String)>,
}

impl<W: std::io::Write> ReplicationsCsv<W> {
    /// Writes the header.
    pub fn new(model: &Model, out: W) -> std::io::Result<Self> {
        let mut w = csv::Writer::from_writer(out);
        let header = ["replication", "kind", "scope"]
            .into_iter()
            .map(String::from)
            .chain(Metric::QUEUE.iter().map(|&m| column(m)))
            .chain([column(Metric::Occupancy)]);
        w.write_record(header.collect::<Vec<_>>())?;
        let scopes = scopes(model)
            .into_iter()
            .map(|(s, n)| (s, text_cell(n)))
            .collect();
        Ok(ReplicationsCsv { w, scopes })
    }

    /// Writes replication `r`'s rows.
    pub fn push(&mut self, r: &Replication) -> std::io::Result<()> {
        for (scope, name) in &self.scopes {
            let value = |m: Metric| r.value(*scope, m).map_or(String::new(), num);
            let fields = [r.index.to_string(), scope.kind().to_string(), name.clone()]
                .into_iter()
                .chain(Metric::QUEUE.iter().map(|&m| value(m)))
                .chain([value(Metric::Occupancy)]);
            self.w.write_record(fields.collect::<Vec<_>>())?;
        }
        Ok(())
    }

    /// Flushes the rows and returns the writer.
    pub fn finish(self) -> std::io::Result<W> {
        self.w.into_inner().map_err(|e| e.into_error())
    }
}

/// One row per interval × scope: the interval in clock time and seconds,
/// agents on shift (agent groups), and every figure of the calls that
/// arrived in the interval (queues and total) or the group's occupancy in
/// it, each as mean and 95% half-width.
pub fn intervals_csv(s: &Summary) -> String {
    let mut w = Rows::from_writer(Vec::new());
    let figures: Vec<Metric> = Metric::QUEUE
        .into_iter()
        .chain([Metric::Occupancy])
        .collect();
    let header = [
        "interval", "start", "start_s", "end_s", "kind", "scope", "staffing",
    ]
    .into_iter()
    .map(String::from)
    .chain(figures.iter().flat_map(|&m| {
        let c = column(m);
        [c.clone(), format!("{c}_ci95")]
    }));
    row(&mut w, header);
    let h = &s.horizon;
    for k in 0..s.intervals() {
        for scope in s.scopes() {
            let staffing = match scope {
                Scope::Group(g) => s.staffing(k, g).to_string(),
                _ => String::new(),
            };
            let fields = [
                k.to_string(),
                h.interval_clock(k),
                num(h.interval_start(k)),
                num(h.interval_end(k)),
                scope.kind().to_string(),
                text_cell(s.scope_name(scope)),
                staffing,
            ]
            .into_iter()
            .chain(figures.iter().flat_map(|&m| match s.interval(k, scope, m) {
                Some(e) => [num(e.mean), num(e.half_width)],
                None => [String::new(), String::new()],
            }));
            row(&mut w, fields);
        }
    }
    csv_string(w)
}

#[cfg(test)]
mod tests {
    use super::text_cell;

    #[test]
    fn formulas_are_neutralized_numbers_are_not() {
        assert_eq!(text_cell("=1+2*3"), "'=1+2*3");
        assert_eq!(text_cell("+cmd"), "'+cmd");
        assert_eq!(text_cell("-x"), "'-x");
        assert_eq!(text_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(text_cell("\tx"), "'\tx");
        assert_eq!(text_cell("\rx"), "'\rx");
        assert_eq!(text_cell("-0.5"), "-0.5");
        assert_eq!(text_cell("sales"), "sales");
        assert_eq!(text_cell("a=b"), "a=b");
    }
}
