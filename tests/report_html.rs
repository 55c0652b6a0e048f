//! The HTML reports: one self-contained document, one `<svg>` per promised
//! chart, every name escaped, no undefined number printed.

use ccsim::Scenario;
use ccsim::engine::run_replications;
use ccsim::experiment::{Comparison, compare};
use ccsim::report::html::{comparison_report, run_report};
use ccsim::results::Summary;

/// Two queues (one with callbacks), one group. The warm-up and an empty
/// last interval leave per-interval figures undefined on purpose.
const TOML: &str = r#"
name = "Tiny <shop> & 'co'"

[run]
replications = 3
seed = 5

[horizon]
open = "2h"
interval = "30m"
warmup = "30m"

[[queues]]
name = "sales <A&B>"
service_level = "20s"
arrivals = { per_interval = [20, 40, 30, 0] }
handle_time = { dist = "exponential", mean = "240s" }
patience = { dist = "exponential", mean = "120s" }

[queues.callback]
offer_after = "30s"
accept_probability = 0.5

[[queues]]
name = "support"
service_level = "60s"
arrivals = { per_hour = 30 }
handle_time = { dist = "exponential", mean = "300s" }
patience = "none"

[[agents]]
name = "team \"one\""
skills = ["sales <A&B>", "support"]
staffing = [3, 4, 4, 3]
"#;

fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, "test.toml", "test").expect("valid scenario")
}

fn without_callbacks(text: &str) -> String {
    let start = text.find("[queues.callback]").unwrap();
    let end = text[start..].find("[[queues]]").unwrap() + start;
    format!("{}{}", &text[..start], &text[end..])
}

fn run(text: &str) -> (Scenario, String) {
    let sc = scenario(text);
    let reps = run_replications(&sc.model, &sc.plan, &|| {});
    let s = Summary::new(&sc.model, sc.plan.seed, &reps);
    let html = run_report(&sc.model, &s);
    (sc, html)
}

fn comparison(independent: bool) -> Comparison {
    let base = scenario(TOML);
    let plan = base.plan.clone();
    compare(
        vec![
            ("accept <50%>".to_string(), base.model),
            (
                "accept 90% & more".to_string(),
                scenario(&TOML.replace("accept_probability = 0.5", "accept_probability = 0.9"))
                    .model,
            ),
            (
                "no callbacks".to_string(),
                scenario(&without_callbacks(TOML)).model,
            ),
        ],
        &plan,
        independent,
        &|| {},
    )
}

/// The tags the reports may contain; anything else after a `<` means some
/// text was not escaped.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span",
    "br", "div", "table", "tr", "th", "td", "figure", "details", "summary", "footer", "svg", "g",
    "line", "polyline", "polygon", "rect", "circle", "path", "text",
];

fn check_document(html: &str, charts: usize) {
    assert!(html.starts_with("<!DOCTYPE html>"), "doctype");
    assert!(html.trim_end().ends_with("</html>"), "closing html");
    assert_eq!(html.matches("<svg").count(), charts, "number of charts");
    assert_eq!(html.matches("</svg>").count(), charts, "every <svg> closed");
    for chunk in html.split("<svg").skip(1) {
        let body = &chunk[..chunk.find("</svg>").expect("closed svg")];
        assert!(body.contains("<title>"), "every chart has a <title>");
        assert!(body.contains("<line"), "every chart has axis lines");
        assert!(body.contains("<text"), "every chart has labels");
    }
    for bad in ["NaN", "inf", "Infinity", "<script", "http"] {
        assert!(!html.contains(bad), "report contains {bad:?}");
    }
    // Every attribute value is double-quoted, so a `'` in text ends nothing.
    assert!(!html.contains("='"), "single-quoted attribute");
    // Every `<` opens a known tag and every `&` an entity.
    for (i, _) in html.match_indices('<') {
        let rest = html[i + 1..].trim_start_matches('/');
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '!')
            .collect();
        assert!(
            TAGS.contains(&name.as_str()),
            "unexpected `<{name}` near {:?}",
            &html[i..(i + 40).min(html.len())]
        );
    }
    for (i, _) in html.match_indices('&') {
        let rest = &html[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"]
                .iter()
                .any(|e| rest.starts_with(e)),
            "unescaped & near {:?}",
            &rest[..rest.len().min(30)]
        );
    }
}

#[test]
fn run_report_has_three_charts_per_queue_plus_callbacks() {
    let (sc, html) = run(TOML);
    let charts: usize = sc
        .model
        .queues()
        .iter()
        .map(|q| 3 + usize::from(q.callback.is_some()))
        .sum();
    assert_eq!(charts, 7);
    check_document(&html, charts);
    // maud leaves `'` as it is: safe, since every attribute is double-quoted
    // (which `check_document` checks).
    assert!(html.contains("Tiny &lt;shop&gt; &amp; 'co'"));
    assert!(html.contains("sales &lt;A&amp;B&gt;"));
    assert!(html.contains("team &quot;one&quot;"));
    assert!(html.contains("3 replications"));
    assert!(html.contains("seed 5"));
    for axis in [
        "offered (calls per interval)",
        "staffed (agents)",
        "service level (%)",
        "abandon rate (%)",
        "callbacks (per interval)",
        "80% reference",
        "95% confidence interval",
        "interval start (hh:mm",
    ] {
        assert!(html.contains(axis), "missing {axis:?}");
    }
    // Interval starts as hh:mm.
    assert!(html.contains(">00:00<") && html.contains(">01:30<"));
    for metric in [
        "Service level",
        "Abandon rate",
        "ASA",
        "Wait p90",
        "Callback delay",
    ] {
        assert!(html.contains(metric), "key figures lack {metric}");
    }
}

#[test]
fn run_report_with_one_replication_prints_no_undefined_number() {
    let (_, html) = run(&TOML.replace("replications = 3", "replications = 1"));
    check_document(&html, 7);
}

#[test]
fn comparison_report_charts_and_differences() {
    let c = comparison(false);
    let html = comparison_report(&c, "Accept <more> & see", None);
    // 5 key metrics + occupancy of 1 group + trade-off + per-interval service
    // level + its differences.
    check_document(&html, 5 + 1 + 1 + 2);
    assert!(html.contains("Accept &lt;more&gt; &amp; see"));
    assert!(html.contains("accept &lt;50%&gt;"));
    assert!(html.contains("accept 90% &amp; more"));
    assert!(html.contains("paired (common random numbers)"));
    assert!(!html.contains("independent seeds"));
    assert!(html.contains("mean callback delay, request to customer connected (s)"));
    assert!(html.contains("abandon rate (%)"));
    // "no callbacks" has no completed callback: left out of the trade-off.
    assert!(html.contains("Not shown (no completed callback): no callbacks."));
    // Callbacks requested differ for sure: flagged.
    let significant = c.differences.iter().filter(|d| d.significant()).count();
    assert!(significant > 0);
    assert!(html.contains("<span class=\"sig\">significant</span>"));
}

#[test]
fn comparison_report_independent_seeds_and_degenerate_inputs() {
    let html = comparison_report(&comparison(true), "independent", None);
    check_document(&html, 9);
    assert!(html.contains("independent seeds"));

    let sc = scenario(TOML);
    let one = compare(
        vec![("only".to_string(), sc.model)],
        &sc.plan,
        false,
        &|| {},
    );
    let html = comparison_report(&one, "one variant", None);
    check_document(&html, 5 + 1 + 1);

    let none = Comparison {
        variants: Vec::new(),
        differences: Vec::new(),
        paired: true,
    };
    check_document(&comparison_report(&none, "nothing", None), 0);
}
