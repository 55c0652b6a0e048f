//! `ccsim compare` and `ccsim sweep`: variants side by side on common random
//! numbers.

use super::run::{RunOptions, load_with};
use super::{Failure, output};
use ccsim::Scenario;
use ccsim::compare::{Comparison, Scope, compare};
use ccsim::report;
use ccsim::report::num;
use ccsim::scenario::Override;
use ccsim::stats::{Estimate, METRICS, Unit};
use clap::Args;
use serde_json::json;
use std::path::PathBuf;

/// Splits on commas outside brackets and braces, so that list and table
/// values keep theirs.
fn split_top_level(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// `NAME:KEY=VALUE,KEY=VALUE,...`
#[derive(Clone, Debug)]
pub struct VariantSpec {
    name: String,
    changes: Vec<Override>,
}

impl std::str::FromStr for VariantSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, rest) = s.split_once(':').ok_or_else(|| {
            format!(
                "{s:?} is not NAME:KEY=VALUE,... (e.g. early:queues.sales.callback.offer_after=30s)"
            )
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("{s:?}: the variant needs a name before ':'"));
        }
        let changes = split_top_level(rest)
            .iter()
            .map(|c| c.parse::<Override>())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VariantSpec {
            name: name.to_string(),
            changes,
        })
    }
}

/// `KEY=V1,V2,...`
#[derive(Clone, Debug)]
pub struct Vary {
    key: String,
    values: Vec<String>,
}

impl std::str::FromStr for Vary {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (key, values) = s.split_once('=').ok_or_else(|| {
            format!(
                "{s:?} is not KEY=V1,V2,... (e.g. queues.sales.callback.offer_after=30s,60s,90s)"
            )
        })?;
        let values = split_top_level(values);
        if values.iter().any(String::is_empty) {
            return Err(format!("{s:?}: empty value in the list"));
        }
        Ok(Vary {
            key: key.trim().to_string(),
            values,
        })
    }
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// Scenario files: the first is the base; the others are variants.
    #[arg(required = true, value_name = "SCENARIO")]
    scenarios: Vec<PathBuf>,
    /// A variant of the first scenario: NAME:KEY=VALUE,KEY=VALUE,... (repeatable).
    #[arg(long = "variant", value_name = "NAME:KEY=VALUE,...")]
    variants: Vec<VariantSpec>,
    /// Run each variant on its own seed instead of common random numbers
    /// (differences then use Welch's unpaired interval).
    #[arg(long)]
    independent: bool,
    #[command(flatten)]
    options: RunOptions,
}

#[derive(Args, Debug)]
pub struct SweepArgs {
    /// The scenario file.
    scenario: PathBuf,
    /// A key and the values it takes: KEY=V1,V2,... (repeatable; every combination runs).
    #[arg(long = "vary", value_name = "KEY=V1,V2,...", required = true)]
    vary: Vec<Vary>,
    #[command(flatten)]
    options: RunOptions,
}

fn stem(path: &std::path::Path) -> String {
    path.file_stem()
        .map_or("scenario".into(), |s| s.to_string_lossy().into_owned())
}

pub fn compare_cmd(args: CompareArgs) -> Result<(), Failure> {
    if args.scenarios.len() < 2 && args.variants.is_empty() {
        return Err(Failure::bad_input(
            "compare needs a second scenario file or at least one --variant",
        ));
    }
    let o = &args.options;
    let mut variants: Vec<(String, Scenario)> = Vec::new();
    for path in &args.scenarios {
        let name = if args.variants.is_empty() || path != &args.scenarios[0] {
            stem(path)
        } else {
            "base".to_string()
        };
        variants.push((name, o.apply(load_with(path, &o.set)?)));
    }
    for v in &args.variants {
        let changes: Vec<Override> = o.set.iter().chain(&v.changes).cloned().collect();
        variants.push((
            v.name.clone(),
            o.apply(load_with(&args.scenarios[0], &changes)?),
        ));
    }
    consistent(&variants)?;
    let c = run(variants, args.independent, o)?;
    finish(
        &c,
        o,
        "compare.csv",
        compare_csv(&c),
        &compare_table(&c),
        "Policy comparison",
    )
}

pub fn sweep_cmd(args: SweepArgs) -> Result<(), Failure> {
    let o = &args.options;
    for (i, v) in args.vary.iter().enumerate() {
        if args.vary[..i].iter().any(|w| w.key == v.key) {
            return Err(Failure::bad_input(format!(
                "--vary {}: the key is varied twice",
                v.key
            )));
        }
        if let Some((_, dup)) = v
            .values
            .iter()
            .enumerate()
            .find(|(j, x)| v.values[..*j].contains(x))
        {
            return Err(Failure::bad_input(format!(
                "--vary {}: the value {dup} is listed twice",
                v.key
            )));
        }
    }
    let points = grid(&args.vary);
    let mut variants = Vec::with_capacity(points.len());
    for point in &points {
        let changes: Vec<Override> = o
            .set
            .iter()
            .cloned()
            .chain(
                point
                    .iter()
                    .map(|(k, v)| format!("{k}={v}").parse::<Override>())
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(Failure::bad_input)?,
            )
            .collect();
        let name = point
            .iter()
            .map(|(k, v)| format!("{}={v}", k.rsplit('.').next().unwrap_or(k)))
            .collect::<Vec<_>>()
            .join(" ");
        variants.push((name, o.apply(load_with(&args.scenario, &changes)?)));
    }
    consistent(&variants)?;
    let c = run(variants, false, o)?;
    let csv = sweep_csv(&c, &args.vary, &points);
    finish(&c, o, "sweep.csv", csv, &sweep_table(&c), "Sweep")
}

/// Every combination of the varied values, the first key varying slowest.
fn grid(vary: &[Vary]) -> Vec<Vec<(String, String)>> {
    vary.iter().fold(vec![Vec::new()], |acc, v| {
        acc.iter()
            .flat_map(|p| {
                v.values.iter().map(move |val| {
                    let mut q = p.clone();
                    q.push((v.key.clone(), val.clone()));
                    q
                })
            })
            .collect()
    })
}

/// Variants must have distinct names and run the same replications, or
/// they could not be paired replication by replication.
fn consistent(variants: &[(String, Scenario)]) -> Result<(), Failure> {
    let (first, base) = &variants[0];
    for (i, (n, sc)) in variants.iter().enumerate() {
        if variants[..i].iter().any(|(m, _)| m == n) {
            return Err(Failure::bad_input(format!(
                "two variants are named {n:?}: give each a distinct name (rename a file, or use --variant)"
            )));
        }
        if sc.replications != base.replications {
            return Err(Failure::bad_input(format!(
                "variant {n:?} runs {} replications but {first:?} runs {}: variants are paired \
                 replication by replication, so set one count for all with -r",
                sc.replications, base.replications
            )));
        }
    }
    Ok(())
}

fn run(
    variants: Vec<(String, Scenario)>,
    independent: bool,
    o: &RunOptions,
) -> Result<Comparison, Failure> {
    let total: u64 = variants
        .iter()
        .map(|(_, sc)| u64::from(sc.replications))
        .sum();
    let pool = o.pool()?;
    let bar = super::run::progress_bar(total);
    let c = pool.install(|| compare(variants, independent, &|| bar.inc(1)));
    bar.finish_and_clear();
    Ok(c)
}

fn finish(
    c: &Comparison,
    o: &RunOptions,
    csv_name: &str,
    csv: String,
    table: &str,
    title: &str,
) -> Result<(), Failure> {
    let mut results = output::Results::default();
    if let Some(dir) = &o.out {
        results.in_dir(dir, csv_name, csv);
    }
    if let Some(file) = &o.report {
        results.file(file, report::html::comparison_report(c, title));
    }
    results.write()?;
    if o.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&comparison_json(c)).expect("JSON of numbers")
        );
    } else {
        print!("{table}");
    }
    Ok(())
}

/// SPEC-style JSON: every variant's run summary, and the differences to the first.
fn comparison_json(c: &Comparison) -> serde_json::Value {
    json!({
        "paired": c.paired,
        "variants": c.variants.iter().map(|v| json!({"name": v.name, "summary": report::summary_json(&v.summary)})).collect::<Vec<_>>(),
        "differences": c.differences.iter().map(|d| json!({
            "variant": d.variant,
            "scope": d.scope.name(),
            "metric": d.metric,
            "mean": report::json_number(d.estimate.mean),
            "ci95": report::json_number(d.estimate.half_width),
            "significant": d.significant(),
        })).collect::<Vec<_>>(),
    })
}

/// The estimate of `metric` in `scope` for a variant.
fn estimate(c: &Comparison, v: usize, scope: &Scope, metric: &str) -> Option<Estimate> {
    let s = &c.variants[v].summary;
    match scope {
        Scope::Group(name) => s
            .group_names
            .iter()
            .position(|n| n == name)
            .map(|g| s.occupancy[g]),
        other => s.get(other.name(), metric),
    }
}

fn unit_of(metric: &str) -> Unit {
    METRICS
        .iter()
        .find(|m| m.name == metric)
        .map_or(Unit::Ratio, |m| m.unit)
}

fn cell(e: Option<Estimate>, unit: Unit) -> String {
    match e {
        Some(e) if !e.mean.is_nan() => report::format_estimate(&e, unit),
        _ => "-".to_string(),
    }
}

fn compare_table(c: &Comparison) -> String {
    let base = &c.variants[0];
    let mut header = vec!["scope".to_string(), "metric".to_string(), base.name.clone()];
    for v in &c.variants[1..] {
        header.push(v.name.clone());
        header.push(format!("{} − {}", v.name, base.name));
    }
    let mut rows = vec![header];
    for (scope, metric) in ccsim::compare::scopes(&base.scenario) {
        let unit = unit_of(metric);
        let mut row = vec![
            scope.name().to_string(),
            metric.to_string(),
            cell(estimate(c, 0, &scope, metric), unit),
        ];
        for (i, v) in c.variants.iter().enumerate().skip(1) {
            row.push(cell(estimate(c, i, &scope, metric), unit));
            let d = c
                .differences
                .iter()
                .find(|d| d.variant == v.name && d.scope == scope && d.metric == metric);
            row.push(match d {
                Some(d) => format!(
                    "{}{}",
                    cell(Some(d.estimate), unit),
                    if d.significant() { " *" } else { "" }
                ),
                None => "-".to_string(),
            });
        }
        rows.push(row);
    }
    let how = if c.paired {
        "paired over replications on common random numbers"
    } else {
        "independent seeds, Welch intervals"
    };
    format!(
        "{}\nmean ± 95% CI half-width; differences {how}; * = the difference's interval excludes 0\n",
        report::align(&rows)
    )
}

fn compare_csv(c: &Comparison) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "variant",
        "scope",
        "metric",
        "mean",
        "ci95",
        "diff",
        "diff_ci95",
        "significant",
    ]);
    for (i, v) in c.variants.iter().enumerate() {
        for (scope, metric) in ccsim::compare::scopes(&v.scenario) {
            let Some(e) = estimate(c, i, &scope, metric) else {
                continue;
            };
            let d = c
                .differences
                .iter()
                .find(|d| d.variant == v.name && d.scope == scope && d.metric == metric);
            let _ = w.write_record([
                v.name.clone(),
                scope.name().to_string(),
                metric.to_string(),
                num(e.mean),
                num(e.half_width),
                d.map_or(String::new(), |d| num(d.estimate.mean)),
                d.map_or(String::new(), |d| num(d.estimate.half_width)),
                d.map_or(String::new(), |d| d.significant().to_string()),
            ]);
        }
    }
    report::csv_string(w)
}

const SWEEP_COLUMNS: [&str; 6] = [
    "service_level",
    "abandon_rate",
    "asa",
    "callbacks_requested",
    "callback_delay_mean",
    "wait_p90",
];

fn sweep_table(c: &Comparison) -> String {
    let mut rows = vec![
        std::iter::once("point (total)".to_string())
            .chain(SWEEP_COLUMNS.iter().map(|m| m.to_string()))
            .collect::<Vec<_>>(),
    ];
    for (i, v) in c.variants.iter().enumerate() {
        let mut row = vec![v.name.clone()];
        row.extend(
            SWEEP_COLUMNS
                .iter()
                .map(|m| cell(estimate(c, i, &Scope::Total, m), unit_of(m))),
        );
        rows.push(row);
    }
    format!(
        "{}\nmean ± 95% CI half-width, all points on common random numbers\n",
        report::align(&rows)
    )
}

fn sweep_csv(c: &Comparison, vary: &[Vary], points: &[Vec<(String, String)>]) -> String {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let header: Vec<String> = std::iter::once("point".to_string())
        .chain(vary.iter().map(|v| v.key.clone()))
        .chain(["scope", "metric", "mean", "ci95", "sd", "n"].map(String::from))
        .collect();
    let _ = w.write_record(&header);
    for (i, (v, point)) in c.variants.iter().zip(points).enumerate() {
        for (scope, metric) in ccsim::compare::scopes(&v.scenario) {
            let Some(e) = estimate(c, i, &scope, metric) else {
                continue;
            };
            let row: Vec<String> = std::iter::once(i.to_string())
                .chain(point.iter().map(|(_, val)| val.clone()))
                .chain([
                    scope.name().to_string(),
                    metric.to_string(),
                    num(e.mean),
                    num(e.half_width),
                    num(e.sd),
                    e.n.to_string(),
                ])
                .collect();
            let _ = w.write_record(&row);
        }
    }
    report::csv_string(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_inside_lists_are_kept() {
        assert_eq!(
            split_top_level("a=1,b=[1, 2],c={ x = 1, y = 2 }"),
            vec!["a=1", "b=[1, 2]", "c={ x = 1, y = 2 }"]
        );
        assert_eq!(split_top_level("30s,60s"), vec!["30s", "60s"]);
    }

    #[test]
    fn grid_is_every_combination() {
        let vary = vec![
            "a=1,2".parse::<Vary>().unwrap(),
            "b=x,y,z".parse::<Vary>().unwrap(),
        ];
        let g = grid(&vary);
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[0],
            vec![("a".into(), "1".into()), ("b".into(), "x".into())]
        );
        assert_eq!(
            g[5],
            vec![("a".into(), "2".into()), ("b".into(), "z".into())]
        );
    }

    #[test]
    fn variant_specs_parse() {
        let v: VariantSpec = "early:queues.q.callback.offer_after=30s,run.replications=5"
            .parse()
            .unwrap();
        assert_eq!(v.name, "early");
        assert_eq!(v.changes.len(), 2);
        assert!("nocolon".parse::<VariantSpec>().is_err());
        assert!(":a=1".parse::<VariantSpec>().is_err());
    }
}
