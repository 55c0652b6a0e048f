//! ccsim: a discrete-event simulator of inbound contact centers that offer
//! callbacks.
//!
//! The library is pure: it reads no files and prints nothing. A caller
//! parses a [`Scenario`] from TOML text (a [`Model`] of the center and a
//! [`RunPlan`]), runs replications with [`engine::run_replications`], and
//! condenses them with [`results::Summary`]; [`report`] renders the results
//! as text, JSON, CSV or HTML. [`experiment`] compares variants on common
//! random numbers; [`shard`] splits a study over many machines and puts it
//! back together exactly.
//!
//! ```
//! use ccsim::results::{Metric, Scope, Summary};
//! let toml = r#"
//! [horizon]
//! open = "2h"
//! [[queues]]
//! name = "sales"
//! arrivals = { per_hour = 100 }
//! handle_time = { dist = "exponential", mean = "180s" }
//! patience = { dist = "exponential", mean = "120s" }
//! [[agents]]
//! name = "team"
//! skills = ["sales"]
//! staffing = 6
//! "#;
//! let sc = ccsim::Scenario::from_toml(toml, "example.toml", "example").unwrap();
//! let reps = ccsim::engine::run_replications(&sc.model, &sc.plan, &|| {}).unwrap();
//! let summary = Summary::new(&sc.model, sc.plan.seed, &reps);
//! let offered = summary.estimate(Scope::Queue(0), Metric::Offered).unwrap();
//! assert!(offered.mean > 150.0 && offered.mean < 250.0);
//! ```

pub mod analytic;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod plan;
pub mod report;
pub mod results;
pub mod rng;
pub mod routing;
pub mod serde_f64;
pub mod shard;
pub mod staffing;
pub mod validation;
pub mod warnings;
pub mod workload;

pub use model::{Model, Scenario};
pub use plan::RunPlan;
