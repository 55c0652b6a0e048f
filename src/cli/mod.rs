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
use std::io::{ErrorKind, Read, Write};
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

/// The most worker threads `--threads` starts: far more than any machine's
/// cores (a thread per replication gains nothing), and starting 100,000
/// took longer than a run.
pub const MAX_THREADS: i64 = 1024;

/// The largest scenario file read: far above any real one (a day's trace
/// of a million arrivals is about 10 MiB), and a bound on what a wrong
/// path (`/dev/zero`) can make the program read.
pub const MAX_SCENARIO_BYTES: u64 = 16 << 20;
/// The largest shard file read (about 17 KiB per replication of a
/// 48-interval day): a bigger block of replications should be split
/// into more shards.
pub const MAX_SHARD_BYTES: u64 = 1 << 30;

/// Reads at most `limit` bytes of the file at `path` (`what` names it in
/// messages): a larger file, or a device or FIFO that never ends, is bad
/// input, found after reading `limit + 1` bytes rather than memory's worth.
pub fn read_limited(path: &std::path::Path, limit: u64, what: &str) -> Result<Vec<u8>, Failure> {
    let shown = path.display();
    let cannot = |e| Failure::bad_input(format!("{shown}: cannot read {what}: {e}"));
    let mut reader = open_without_waiting(path).map_err(cannot)?.take(limit + 1);
    let mut bytes = Vec::new();
    loop {
        // Bytes read before an error stay in `bytes`, and `take` counts them.
        match reader.read_to_end(&mut bytes) {
            Ok(_) => break,
            // A pipe whose writer has nothing to say yet.
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            Err(e) => return Err(cannot(e)),
        }
    }
    if bytes.len() as u64 > limit {
        return Err(Failure::bad_input(format!(
            "{shown}: larger than the {} MiB a {what} may be",
            limit >> 20
        )));
    }
    Ok(bytes)
}

/// Opens `path` for reading without waiting for a writer: a FIFO nobody
/// writes to reads as empty (bad input) instead of blocking forever, while
/// `ccsim run <(generate)` still reads what its writer sends.
fn open_without_waiting(path: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    options.open(path)
}

/// Writes `text` to standard output: the one way commands print results.
/// A reader that stops early (`ccsim compare … | head -1`) closes the
/// pipe; that is no failure, so the program ends quietly with success
/// (`print!` would panic). Any other write error is a failure.
pub fn emit(text: &str) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Failure::failed(format!(
            "cannot write to standard output: {e}"
        ))),
    }
}

/// Prints a command's result: `json()` as pretty JSON with `--json`, else
/// `text()`, each rendered only when asked for.
pub fn show(
    json: bool,
    value: impl FnOnce() -> serde_json::Value,
    text: impl FnOnce() -> String,
) -> Result<(), Failure> {
    if json {
        let json = serde_json::to_string_pretty(&value())
            .map_err(|e| Failure::failed(format!("cannot render JSON: {e}")))?;
        emit(&format!("{json}\n"))
    } else {
        emit(&text())
    }
}

/// Writes a line to standard error (warnings, notes, errors). A closed
/// stderr is ignored: it must not turn a result into a panic.
pub fn note(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
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
        Command::Check { scenario } => run::load(&scenario).and_then(|sc| {
            let mut text = ccsim::report::describe_scenario(&sc);
            if let Some(w) = machine::warning(&sc.model, sc.plan.replications) {
                text.push_str(&w);
                text.push('\n');
            }
            emit(&text)
        }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            note(&format!("error: {}", f.message));
            ExitCode::from(f.code)
        }
    }
}
