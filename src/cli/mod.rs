//! Command-line parsing and dispatch. Everything that touches files,
//! terminals and exit codes lives here, not in the library.

mod compare;
mod erlang;
mod machine;
mod merge;
mod output;
mod run;
mod staff;
mod validate;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code for bad input: scenario files, arguments, unreadable files.
pub const EXIT_BAD_INPUT: u8 = 2;
/// Exit code for failures after the input was accepted (e.g. writing results).
pub const EXIT_FAILURE: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "ccsim",
    // The build id is what shard files record: `--version` tells which
    // binary wrote a shard that `ccsim merge` notes as another build's.
    version = concat!(env!("CARGO_PKG_VERSION"), " (build ", env!("CCSIM_BUILD"), ")"),
    about = "Discrete-event simulator of inbound contact centers with callback offers"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Simulate a scenario and report wait, service level, abandonment and callbacks.
    Run(run::RunArgs),
    /// Combine the shard files of a study run with `ccsim run --shard` and report it.
    Merge(merge::MergeArgs),
    /// Validate a scenario file and say what it holds.
    Check {
        /// The scenario file (TOML).
        scenario: PathBuf,
    },
    /// Run scenario variants side by side on common random numbers.
    Compare(compare::CompareArgs),
    /// Run every combination of values of some keys on common random numbers.
    Sweep(compare::SweepArgs),
    /// Find the fewest agents per interval that meet every queue's target.
    Staff(staff::StaffArgs),
    /// Exact Erlang C / Erlang A figures, or the agents needed for a target.
    Erlang(erlang::ErlangArgs),
    /// Check the engine against exact theory on a built-in grid of cases.
    Validate(validate::ValidateArgs),
}

/// An error with the exit code it ends the program with.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn bad_input(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_BAD_INPUT,
            message: message.into(),
        }
    }

    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: EXIT_FAILURE,
            message: message.into(),
        }
    }
}

pub fn main() -> ExitCode {
    // clap exits with code 2 on usage errors, as bad input should.
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Merge(args) => merge::merge(args),
        Command::Compare(args) => compare::compare_cmd(args),
        Command::Sweep(args) => compare::sweep_cmd(args),
        Command::Erlang(args) => erlang::erlang(args),
        Command::Staff(args) => staff::staff(args),
        Command::Validate(args) => validate::validate(args),
        Command::Check { scenario } => run::load(&scenario).map(|sc| {
            print!("{}", ccsim::report::describe_scenario(&sc));
            if let Some(w) = machine::warning(&sc.model, sc.plan.replications) {
                println!("{w}");
            }
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
