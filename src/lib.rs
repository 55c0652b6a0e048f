//! ccsim: a discrete-event simulator of inbound contact centers that offer
//! callbacks.
//!
//! The library is pure: it reads no files and prints nothing. A caller
//! parses a [`Scenario`] from TOML text, runs replications with
//! [`engine::run_replications`], and condenses them with
//! [`stats::Summary`]; [`report`] renders the results as text, JSON or CSV
//! into any writer. [`shard`] splits a study over many machines and puts it
//! back together exactly.
//!
//! ```
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
//! let reps = ccsim::engine::run_replications(&sc, &|| {});
//! let summary = ccsim::stats::Summary::new(&sc, &reps);
//! let offered = summary.get("sales", "offered").unwrap();
//! assert!(offered.mean > 150.0 && offered.mean < 250.0);
//! ```

pub mod analytic;
pub mod compare;
pub mod dist;
pub mod engine;
pub mod report;
pub mod rng;
pub mod routing;
pub mod scenario;
pub mod serde_f64;
pub mod shard;
pub mod stats;
pub mod validation;

pub use scenario::Scenario;
