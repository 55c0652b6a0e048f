use super::*;

const MINIMAL: &str = r#"
[horizon]
open = "1h"
[[queues]]
name = "q"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "60s" }
[[agents]]
name = "a"
skills = ["q"]
staffing = 2
"#;

fn parse(text: &str) -> Result<Model, ScenarioError> {
    Scenario::from_toml(text, "test.toml", "test").map(|sc| sc.model)
}

#[test]
fn minimal_scenario_gets_defaults() {
    let plan = Scenario::from_toml(MINIMAL, "test.toml", "test")
        .unwrap()
        .plan;
    assert_eq!((plan.replications, plan.seed), (10, 1));
    let sc = parse(MINIMAL).unwrap();
    assert_eq!(sc.name(), "test");
    assert_eq!(sc.horizon().intervals, 2);
    assert_eq!(sc.horizon().interval, 1800.0);
    assert!(sc.queues()[0].patience.is_none());
    assert_eq!(sc.queues()[0].service_level, 20.0);
    assert_eq!(
        sc.queues()[0].arrivals,
        Arrivals::Poisson {
            rate: vec![60.0 / 3600.0; 2]
        }
    );
    assert_eq!(sc.groups()[0].staffing, vec![2, 2]);
}

#[test]
fn errors_name_key_and_line() {
    let text = MINIMAL.replace("mean = \"60s\"", "mean = \"-60s\"");
    let e = parse(&text).unwrap_err();
    assert_eq!(e.key.to_string(), "queues[0].handle_time.mean");
    assert_eq!(e.line, Some(7));
    assert!(
        e.to_string()
            .starts_with("test.toml:7: key `queues[0] (\"q\").handle_time.mean`"),
        "{e}"
    );
}

/// Two queues and two groups, the second of each named.
const NAMED: &str = r#"
[horizon]
open = "1h"
[[queues]]
name = "sales"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "60s" }
[[queues]]
name = "service"
arrivals = { per_hour = 60 }
handle_time = { dist = "exponential", mean = "60s" }
[queues.callback]
offer_after = "60s"
accept_probability = 1.5
[[agents]]
name = "a"
skills = ["sales", "service"]
staffing = 2
[[agents]]
name = "night shift"
skills = ["service"]
staffing = [1, 1]
"#;

#[test]
fn errors_name_the_queue_or_group_as_the_file_does() {
    let e = parse(NAMED).unwrap_err();
    // The key stays the plain path; the message adds the name.
    assert_eq!(e.key.to_string(), "queues[1].callback.accept_probability");
    assert_eq!(e.entry_names, [(1, "service".to_string())]);
    assert!(
        e.to_string().starts_with(
            "test.toml:14: key `queues[1] (\"service\").callback.accept_probability`: must be"
        ),
        "{e}"
    );
    let fixed = NAMED.replace("accept_probability = 1.5", "accept_probability = 0.5");
    parse(&fixed).unwrap();
    // An agent group, in a type error (serde's path).
    let e = parse(&fixed.replace("staffing = [1, 1]", "staffing = [1, \"x\"]")).unwrap_err();
    assert!(
        e.to_string()
            .contains("key `agents[1] (\"night shift\").staffing[1]`"),
        "{e}"
    );
    // An integer beyond TOML's range (the parser's path, before --set).
    let e = parse(&fixed.replace(
        "name = \"sales\"",
        "name = \"sales\"\npriority = 99999999999999999999",
    ))
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("key `queues[0] (\"sales\").priority`"),
        "{e}"
    );
    // Keys outside queues and agents, and entries without a name, as before.
    let e = parse(&fixed.replace("open = \"1h\"", "open = \"0s\"")).unwrap_err();
    assert!(e.to_string().contains("key `horizon.open`"), "{e}");
    let e = parse(&fixed.replace("name = \"sales\"\n", "")).unwrap_err();
    assert_eq!(e.key.to_string(), "queues[0].name");
    assert!(e.to_string().contains("key `queues[0].name`"), "{e}");
    let e = parse(&fixed.replace("name = \"sales\"", "name = \"\"")).unwrap_err();
    assert!(e.to_string().contains("key `queues[0].name`"), "{e}");
}

#[test]
fn errors_name_the_queue_as_changed_on_the_command_line() {
    let with = |sets: &[&str]| {
        let sets: Vec<Override> = sets.iter().map(|s| s.parse().unwrap()).collect();
        Scenario::from_toml_with(NAMED, "test.toml", "test", &sets).unwrap_err()
    };
    // An error the file has, in a queue the command line renamed.
    let e = with(&[
        "queues.1.name=care",
        "agents.a.skills=[\"sales\", \"care\"]",
        "agents.1.skills=[\"care\"]",
    ]);
    assert!(
        e.to_string()
            .starts_with("test.toml:14: key `queues[1] (\"care\").callback.accept_probability`"),
        "{e}"
    );
    // An error the command line made.
    let e = with(&["queues.service.callback.accept_probability=2"]);
    assert!(
        e.to_string().starts_with(
            "test.toml: key `queues[1] (\"service\").callback.accept_probability`: must be"
        ),
        "{e}"
    );
    assert!(
        e.to_string()
            .ends_with("(set by --set queues.service.callback.accept_probability=2)"),
        "{e}"
    );
}

#[test]
fn unknown_key_is_rejected_with_its_line() {
    let text = MINIMAL.replace("name = \"q\"", "name = \"q\"\nprioirty = 3");
    let e = parse(&text).unwrap_err();
    assert!(e.message.contains("prioirty"), "{e}");
    assert_eq!(e.line, Some(6), "{e}");
}

#[test]
fn callback_defaults_follow_spec() {
    let text = MINIMAL.replace(
        "[[agents]]",
        "[queues.callback]\noffer_after = \"60s\"\n[[agents]]",
    );
    let sc = parse(&text).unwrap();
    let cb = sc.queues()[0].callback.as_ref().unwrap();
    assert_eq!(cb.trigger, OfferTrigger::After(60.0));
    assert_eq!((cb.accept_probability, cb.reach_probability), (1.0, 1.0));
    assert_eq!(
        (cb.max_attempts, cb.retry_delay, cb.initial_delay),
        (1, 0.0, 0.0)
    );
    assert_eq!(cb.position, Position::Keep);
    assert_eq!(cb.priority, 0);
    assert!(cb.handle_time.is_none() && cb.dial_time.is_none() && cb.expire_after.is_none());
}

#[test]
fn one_offer_trigger_exactly() {
    let both = MINIMAL.replace(
        "[[agents]]",
        "[queues.callback]\noffer_after = \"60s\"\noffer_if_callers_ahead = 3\n[[agents]]",
    );
    let e = parse(&both).unwrap_err();
    assert_eq!(e.key.to_string(), "queues[0].callback");
    assert!(e.message.contains("more than one"), "{e}");
    let none = MINIMAL.replace(
        "[[agents]]",
        "[queues.callback]\naccept_probability = 0.5\n[[agents]]",
    );
    assert!(
        parse(&none)
            .unwrap_err()
            .message
            .contains("no offer trigger")
    );
}

#[test]
fn per_interval_lists_convert_to_rates() {
    let text = MINIMAL
        .replace("{ per_hour = 60 }", "{ per_interval = [30, 90] }")
        .replace("staffing = 2", "staffing = [1, 3]");
    let sc = parse(&text).unwrap();
    assert_eq!(
        sc.queues()[0].arrivals,
        Arrivals::Poisson {
            rate: vec![30.0 / 1800.0, 90.0 / 1800.0]
        }
    );
    assert_eq!(sc.groups()[0].staffing, vec![1, 3]);
    assert!((sc.queues()[0].expected_calls(sc.horizon()) - 120.0).abs() < 1e-9);
}

#[test]
fn decimal_horizons_make_whole_intervals() {
    // 1.1h is 3960.0000000000005 s in binary: still 11 intervals of 6m.
    let text = MINIMAL
        .replace("open = \"1h\"", "open = \"1.1h\"\ninterval = \"6m\"")
        .replace(
            "staffing = 2",
            "staffing = [2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]",
        );
    let sc = parse(&text).unwrap();
    assert_eq!(sc.horizon().intervals, 11);
    assert_eq!(sc.horizon().interval_end(10), sc.horizon().open);
    // A horizon that really is not a multiple keeps a short last interval.
    let partial = MINIMAL
        .replace("open = \"1h\"", "open = \"70m\"")
        .replace("staffing = 2", "staffing = [1, 2, 3]");
    let sc = parse(&partial).unwrap();
    assert_eq!(sc.horizon().intervals, 3);
    assert_eq!(
        sc.horizon().interval_end(2) - sc.horizon().interval_start(2),
        600.0
    );
}

#[test]
fn arrival_traces_must_be_sorted_and_inside_the_horizon() {
    let ok = MINIMAL.replace("{ per_hour = 60 }", "{ at = [0, \"1s\", \"50.5s\"] }");
    let sc = parse(&ok).unwrap();
    assert_eq!(
        sc.queues()[0].arrivals,
        Arrivals::Trace {
            at: vec![0.0, 1.0, 50.5]
        }
    );
    let unsorted = MINIMAL.replace("{ per_hour = 60 }", "{ at = [5, 1] }");
    assert_eq!(
        parse(&unsorted).unwrap_err().key.to_string(),
        "queues[0].arrivals.at[1]"
    );
    let late = MINIMAL.replace("{ per_hour = 60 }", "{ at = [\"2h\"] }");
    assert_eq!(
        parse(&late).unwrap_err().key.to_string(),
        "queues[0].arrivals.at[0]"
    );
    let both = MINIMAL.replace("{ per_hour = 60 }", "{ per_hour = 5, at = [1] }");
    assert!(parse(&both).unwrap_err().message.contains("exactly one"));
}
