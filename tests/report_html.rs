//! The HTML reports: one self-contained document, one figure per promised
//! chart (drawn once, or twice: wide and narrow), every name escaped, no
//! undefined number printed, clock times, every queue's charts (or the
//! chosen one's), distinct colours and whole names for any number of
//! variants, a sweep's figures against the varied value.

use ccsim::Scenario;
use ccsim::engine::run_replications;
use ccsim::experiment::variants::{Vary, grid, point_changes, point_name};
use ccsim::experiment::{Comparison, compare};
use ccsim::report::html::{comparison_report, run_report, sweep_report};
use ccsim::results::{Scope, Summary};

/// Two queues (one with callbacks), one group. The warm-up and an empty
/// last interval leave per-interval figures undefined on purpose.
const TOML: &str = r#"
name = "Tiny <shop> & 'co'"

[run]
replications = 3
seed = 5

[horizon]
start = "08:00"
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
    let reps = run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
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
    .unwrap()
}

/// The tags the reports may contain; anything else after a `<` means some
/// text was not escaped.
const TAGS: &[&str] = &[
    "!DOCTYPE", "html", "head", "meta", "title", "style", "body", "h1", "h2", "h3", "p", "span",
    "br", "div", "table", "tr", "th", "td", "figure", "details", "summary", "footer", "svg", "g",
    "line", "polyline", "polygon", "rect", "circle", "path", "text", "tspan", "ul", "li", "b",
    "code",
];

/// Checks the document and that it has `charts` figures, each one chart
/// drawn once or twice (wide and narrow).
fn check_document(html: &str, charts: usize) {
    assert!(html.starts_with("<!DOCTYPE html>"), "doctype");
    assert!(html.trim_end().ends_with("</html>"), "closing html");
    assert_eq!(html.matches("<figure>").count(), charts, "number of charts");
    for fig in html.split("<figure>").skip(1) {
        let fig = &fig[..fig.find("</figure>").expect("closed figure")];
        let svgs = fig.matches("<svg").count();
        assert!(svgs == 1 || svgs == 2, "a figure holds {svgs} charts");
        assert_eq!(svgs, fig.matches("</svg>").count(), "every <svg> closed");
        if svgs == 2 {
            assert!(fig.contains("class=\"cw\"") && fig.contains("class=\"cn\""));
        }
    }
    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
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

/// The text of the section that starts with the `<h2>` containing `title`,
/// up to the next `<h2>`.
fn section<'a>(html: &'a str, title: &str) -> &'a str {
    let start = html
        .match_indices("<h2>")
        .map(|(i, _)| i)
        .find(|&i| html[i..].split("</h2>").next().unwrap().contains(title))
        .unwrap_or_else(|| panic!("no section {title:?}"));
    let rest = &html[start + 4..];
    &rest[..rest.find("<h2>").unwrap_or(rest.len())]
}

/// The colours of the swatches in `html`, in order.
fn swatches(html: &str) -> Vec<String> {
    html.split("class=\"sw\" style=\"background:")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_string())
        .collect()
}

#[test]
fn run_report_has_three_charts_per_queue_plus_callbacks_and_occupancy() {
    let (sc, html) = run(TOML);
    // Callbacks offered and requested, and callback work by the interval
    // it is handled in.
    let per_queue: usize = sc
        .model
        .queues()
        .iter()
        .map(|q| 3 + 2 * usize::from(q.callback.is_some()))
        .sum();
    assert_eq!(per_queue, 8);
    // And occupancy by interval of the agent groups.
    check_document(&html, per_queue + 1);
    // maud leaves `'` as it is: safe, since every attribute is double-quoted
    // (which `check_document` checks).
    assert!(html.contains("Tiny &lt;shop&gt; &amp; 'co'"));
    assert!(html.contains("sales &lt;A&amp;B&gt;"));
    assert!(html.contains("team &quot;one&quot;"));
    assert!(html.contains("3 replications"));
    assert!(html.contains("seed 5"));
    for axis in [
        "calls offered per interval",
        "agents staffed",
        "service level (%)",
        "abandon rate (%)",
        "callbacks (per interval)",
        "occupancy (%)",
        "80% reference",
        "95% confidence interval",
        ">clock time<",
    ] {
        assert!(html.contains(axis), "missing {axis:?}");
    }
    // Clock times on the axes, from the horizon's start, not hh:mm from 0.
    assert!(html.contains(">08:00<") && html.contains(">09:30<"));
    assert!(!html.contains(">00:00<") && !html.contains("from the start"));
    assert!(html.contains("calls arrive 08:00–10:00"));
    assert!(html.contains("calls before 08:30 (warm-up) not counted"));
    for metric in [
        "Service level",
        "Abandon rate",
        "ASA",
        "Wait p90",
        "Callback delay",
    ] {
        assert!(html.contains(metric), "key figures lack {metric}");
    }
    // Staffing per group, not pooled: the group's own line.
    assert!(html.contains("staffed: team &quot;one&quot; (right axis)"));
}

/// The `x` of every stacked bar (not legend swatch) of `color` in `svg`.
fn rects_x(svg: &str, color: &str) -> Vec<f64> {
    let fill = format!("fill=\"{color}\" fill-opacity=\"0.8\"");
    svg.split("<rect ")
        .skip(1)
        .filter(|r| r[..r.find('>').unwrap()].contains(&fill))
        .map(|r| {
            let x = &r[r.find("x=\"").unwrap() + 3..];
            x[..x.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

/// The chart of callback work by the interval it is handled in: for a
/// queue with callbacks, each kind it has in the legend, the work in the
/// interval where it is connected.
#[test]
fn run_report_charts_callback_work_by_the_interval_it_is_handled_in() {
    const HEAD: &str = "Callback workload by the interval it is handled in";
    let (_, html) = run(TOML);
    let sales = section(&html, "Queue “sales &lt;A&amp;B&gt;” by interval");
    assert!(sales.contains(HEAD) && sales.contains("callbacks as soon as possible"));
    assert!(!sales.contains("scheduled callbacks") && !sales.contains("follow-ups"));
    assert!(!section(&html, "Queue “support” by interval").contains(HEAD));
    let (_, html) = run(&without_callbacks(TOML));
    assert!(!html.contains(HEAD));
    // One agent; the second caller (1 s, interval 0 of three) asks for a
    // callback, made 20 minutes later, in interval 2; another picks 12:10,
    // in interval 1.
    let day = |callback: &str| {
        run(&format!(
            r#"
            [horizon]
            start = "12:00"
            open = "30m"
            interval = "10m"
            [[queues]]
            name = "q"
            arrivals = {{ at = [0, 1] }}
            handle_time = {{ dist = "constant", value = 100 }}
            [queues.callback]
            offer_if_callers_ahead = 0
            accept_probability = 1
            {callback}
            [[agents]]
            name = "a"
            skills = ["q"]
            staffing = 1
            "#
        ))
        .1
    };
    let wide = |html: &str| {
        let fig = &html[html.find(HEAD).unwrap()..];
        let wide = &fig[fig.find("class=\"cw\"").unwrap()..];
        wide[..wide.find("</svg>").unwrap()].to_string()
    };
    // The plot box of a wide chart runs from x = 66 to 876: interval 2
    // from 606, interval 1 from 336.
    let asap = wide(&day("initial_delay = \"20m\""));
    let xs = rects_x(&asap, "#3f9fbf");
    assert!(xs.len() == 1 && xs[0] > 606.0, "{xs:?}");
    let scheduled = wide(&day(
        "[queues.callback.scheduled]\nshare = 1\ndelay = { dist = \"constant\", value = \"10m\" }\nwindow = \"10m\"",
    ));
    assert!(scheduled.contains("scheduled callbacks"));
    let xs = rects_x(&scheduled, "#8172b3");
    assert!(xs.len() == 1 && (336.0..606.0).contains(&xs[0]), "{xs:?}");
    assert!(rects_x(&scheduled, "#3f9fbf").is_empty());
}

#[test]
fn run_report_has_tables_by_interval_in_clock_time() {
    let (_, html) = run(TOML);
    // A table per queue, then the agent groups'.
    assert_eq!(html.matches("<table class=\"intervals\">").count(), 3);
    let sales = section(&html, "Queue “sales &lt;A&amp;B&gt;” by interval");
    let table = &sales[sales.find("<table class=\"intervals\">").unwrap()..];
    for row in [
        "08:00–08:30",
        "08:30–09:00",
        "09:00–09:30",
        "09:30–10:00",
        "Day",
    ] {
        assert!(table.contains(&format!("<td>{row}</td>")), "no row {row}");
    }
    for head in [
        "Offered",
        "Answered",
        "Service level",
        "Abandon rate",
        "ASA",
        "Wait p90",
    ] {
        assert!(table.contains(&format!("<th>{head}")), "no column {head}");
    }
    // The queue with callbacks has their column; the one without has none.
    assert!(table.contains("<th>Callbacks"));
    let support = section(&html, "Queue “support” by interval");
    assert!(support.contains("<td>09:30–10:00</td>"));
    assert!(!support.contains("<th>Callbacks"));
    // Staffing and occupancy per interval and group.
    let groups = section(&html, "Agent groups by interval");
    assert!(
        groups.contains("<td>08:30–09:00</td><td>4</td>"),
        "{groups}"
    );
    assert!(groups.contains("occupancy"));
    // Neither queue blocks calls or has redials: no such columns.
    assert!(!html.contains("<th>Blocked") && !html.contains("<th>Redials"));
}

/// A queue whose callers get busy signals and call again shows both in its
/// table by interval; the other queue, which has neither, does not.
#[test]
fn run_report_shows_blocked_calls_and_redials_where_there_are_any() {
    let text = TOML.replacen(
        "patience = \"none\"",
        "patience = \"none\"\ncapacity = 0\nredial = { probability = 1, delay = { dist = \"constant\", value = \"5m\" } }",
        1,
    );
    assert_ne!(text, TOML);
    let (_, html) = run(&text);
    let support = section(&html, "Queue “support” by interval");
    assert!(support.contains("<th>Blocked") && support.contains("<th>Redials"));
    let sales = section(&html, "Queue “sales &lt;A&amp;B&gt;” by interval");
    assert!(!sales.contains("<th>Blocked") && !sales.contains("<th>Redials"));
}

#[test]
fn run_report_with_one_replication_prints_no_undefined_number() {
    let (_, html) = run(&TOML.replace("replications = 3", "replications = 1"));
    check_document(&html, 9);
}

#[test]
fn comparison_report_charts_and_differences() {
    let c = comparison(false);
    let html = comparison_report(&c, "Accept <more> & see", None);
    // 5 key metrics + occupancy of 1 group + trade-off; by interval, queue
    // "sales" (callbacks): service level, its difference, abandon rate and
    // callbacks requested; queue "support": the first three; occupancy of
    // the group.
    check_document(&html, 5 + 1 + 1 + 4 + 3 + 1);
    assert!(html.contains("Accept &lt;more&gt; &amp; see"));
    assert!(html.contains("accept &lt;50%&gt;"));
    assert!(html.contains("accept 90% &amp; more"));
    assert!(html.contains("paired (common random numbers)"));
    assert!(!html.contains("independent seeds"));
    assert!(html.contains("mean callback delay, request to customer connected (s)"));
    assert!(html.contains("abandon rate (%)"));
    assert!(html.contains("Key figures for all queues together"));
    // "no callbacks" has no completed callback: left out of the trade-off.
    assert!(html.contains("Not shown (no completed callback): no callbacks."));
    // Callbacks requested differ for sure: flagged.
    let significant = c.differences.iter().filter(|d| d.significant()).count();
    assert!(significant > 0);
    assert!(html.contains("<span class=\"sig\">significant</span>"));
    // Clock times on the time axes.
    assert!(html.contains(">08:00<") && !html.contains(">00:00<"));
}

#[test]
fn comparison_report_charts_every_queue_by_interval_without_a_queue() {
    let html = comparison_report(&comparison(false), "all", None);
    for q in ["sales &lt;A&amp;B&gt;", "support"] {
        let s = section(&html, &format!("Queue “{q}” by interval"));
        for chart in [
            "service level per interval by variant",
            "service level difference to the first variant per interval",
            "abandon rate per interval by variant",
        ] {
            assert!(
                s.contains(&format!("<title>Queue {q}: {chart}")),
                "queue {q} lacks {chart}"
            );
        }
    }
    // Callbacks by interval only where some variant offers them.
    let sales = section(&html, "Queue “sales &lt;A&amp;B&gt;” by interval");
    assert!(sales.contains("callbacks requested per interval by variant"));
    let support = section(&html, "Queue “support” by interval");
    assert!(!support.contains("callbacks requested per interval"));
}

#[test]
fn comparison_report_for_one_queue_charts_only_that_queue() {
    let c = comparison(false);
    let html = comparison_report(&c, "support only", Some(Scope::Queue(1)));
    assert!(html.contains("Queue “support” by interval"));
    assert!(!html.contains("Queue “sales"), "another queue's section");
    assert!(!html.contains("Queue sales"), "another queue's chart");
    assert!(html.contains("Key figures for queue “support”"));
    // Support offers no callbacks: no callback delay, no trade-off.
    assert!(html.contains("Not charted, undefined in every variant: Mean callback delay."));
    assert!(!html.contains("Trade-off"));
    // 4 key metrics + occupancy; service level, its difference, abandon
    // rate; occupancy by interval.
    check_document(&html, 4 + 1 + 3 + 1);
    // The key figures are the queue's: its service level, not all queues'.
    let sl = c.variants[0]
        .summary
        .estimate(Scope::Queue(1), ccsim::results::Metric::ServiceLevel);
    let sl = format!("{:.1}% ± ", sl.unwrap().mean * 100.0);
    assert!(html.contains(&sl), "no {sl}");
}

/// `n` variants of the test scenario with long names that differ only at
/// the end, each accepting callbacks with its own probability.
fn many(n: usize) -> Comparison {
    let base = scenario(TOML);
    let variants = (0..n)
        .map(|i| {
            let p = 0.05 + 0.05 * i as f64;
            let text = TOML.replace(
                "accept_probability = 0.5",
                &format!("accept_probability = {p:.2}"),
            );
            (
                format!("callbacks offered after 30 s on hold, accepted with probability {p:.2}"),
                scenario(&text).model,
            )
        })
        .collect();
    compare(variants, &base.plan, false, &|| {}).unwrap()
}

#[test]
fn twelve_variants_get_twelve_colours_and_whole_names() {
    let c = many(12);
    let html = comparison_report(&c, "twelve", None);
    let table = section(&html, "Variants");
    let colours = swatches(table);
    assert_eq!(colours.len(), 12);
    let mut distinct = colours.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 12, "colours repeat: {colours:?}");
    // Every chart by variant uses them: each variant's line in its colour.
    let sl = section(&html, "Queue “sales &lt;A&amp;B&gt;” by interval");
    for col in &colours {
        assert!(
            sl.contains(&format!("stroke=\"{col}\"")),
            "no line in {col}"
        );
    }
    // No name is cut: each appears whole, and nothing is elided.
    assert!(!html.contains('…'), "a label is cut");
    for v in &c.variants {
        assert!(
            html.matches(v.name.as_str()).count() >= 4,
            "{} not whole",
            v.name
        );
    }
}

#[test]
fn sweep_report_plots_key_figures_against_the_varied_value() {
    let base = scenario(TOML);
    let vary: Vec<Vary> = [
        "queues.sales <A&B>.callback.offer_after=10s,30s,1m,2m,3m",
        "queues.sales <A&B>.callback.accept_probability=0.3,0.6",
    ]
    .iter()
    .map(|v| v.parse().unwrap())
    .collect();
    let points = grid(&vary).unwrap();
    let variants = points
        .iter()
        .map(|p| {
            let changes = point_changes(p).unwrap();
            let sc = Scenario::from_toml_with(TOML, "test.toml", "test", &changes).unwrap();
            (point_name(p), sc.model)
        })
        .collect();
    let c = compare(variants, &base.plan, false, &|| {}).unwrap();
    let html = sweep_report(&c, &vary, &points, None);
    let key = section(&html, "Key figures against");
    assert!(key.contains("<code>queues.sales &lt;A&amp;B&gt;.callback.offer_after</code>"));
    // A line for each value of the other key, named in the legend.
    assert!(key.contains("accept_probability=0.3") && key.contains("accept_probability=0.6"));
    // The values along x, as written, on a numeric axis: 3m is further from
    // 2m than 30s from 10s.
    for v in ["10s", "30s", "1m", "2m", "3m"] {
        assert!(key.contains(&format!(">{v}</text>")), "no tick {v}");
    }
    let x_of = |label: &str| -> f64 {
        let end = key.find(&format!(">{label}</text>")).unwrap();
        let start = key[..end].rfind("<text x=\"").unwrap() + 9;
        key[start..].split('"').next().unwrap().parse().unwrap()
    };
    let (a, b, c2, d) = (x_of("10s"), x_of("30s"), x_of("2m"), x_of("3m"));
    assert!(d - c2 > 2.0 * (b - a), "not numeric: {a} {b} {c2} {d}");
    assert!(!html.contains("Key figures by variant"));
    // The variant table names each point by its values, in columns.
    let table = section(&html, "Variants");
    assert!(table.contains("<th class=\"l\">offer_after</th>"));
    assert!(table.contains("<th class=\"l\">accept_probability</th>"));
    assert_eq!(swatches(table).len(), 10);
    check_document(&html, html.matches("<figure>").count());
    assert!(!html.contains('…'));
}

#[test]
fn comparison_report_independent_seeds_and_degenerate_inputs() {
    let html = comparison_report(&comparison(true), "independent", None);
    check_document(&html, 15);
    assert!(html.contains("independent seeds"));

    let sc = scenario(TOML);
    let one = compare(
        vec![("only".to_string(), sc.model)],
        &sc.plan,
        false,
        &|| {},
    )
    .unwrap();
    let html = comparison_report(&one, "one variant", None);
    // No difference charts with one variant.
    check_document(&html, 5 + 1 + 1 + 3 + 2 + 1);

    let none = Comparison {
        variants: Vec::new(),
        differences: Vec::new(),
        paired: true,
    };
    check_document(&comparison_report(&none, "nothing", None), 0);
}
