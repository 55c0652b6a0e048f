//! What this machine can hold: a study whose figures would not fit in the
//! memory available is refused before simulating (or, for `check`,
//! warned about), instead of aborting part-way with nothing written.

use super::Failure;
use ccsim::model::Model;
use ccsim::workload::{Workload, format_bytes};
use std::path::Path;

/// Memory a run may use, in bytes: `CCSIM_MEMORY` if set, else the
/// least of what the machine has available (Linux `MemAvailable`) and
/// what is left under this process's cgroup limit (a Slurm job's or a
/// Kubernetes pod's); `None` where none can be read, and then nothing is
/// refused.
fn available() -> Option<f64> {
    if let Some(v) = std::env::var_os("CCSIM_MEMORY") {
        return v.to_str()?.trim().parse().ok();
    }
    let machine = (|| {
        let info = std::fs::read_to_string("/proc/meminfo").ok()?;
        let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
        let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kb * 1024.0)
    })();
    let cgroup = (|| {
        let read = |f: &str| -> Option<f64> {
            std::fs::read_to_string(format!("/sys/fs/cgroup/{f}"))
                .ok()?
                .trim()
                .parse()
                .ok()
        };
        // "max" (no limit) does not parse.
        Some(read("memory.max")? - read("memory.current").unwrap_or(0.0))
    })();
    match (machine, cgroup) {
        (Some(m), Some(c)) => Some(m.min(c)),
        (m, c) => m.or(c),
    }
}

/// Replications a run of `replications` on `threads` workers (`None`:
/// every core) holds at once, folding them as they finish.
pub fn streamed(threads: Option<u32>, replications: u32) -> usize {
    let threads = threads.map_or_else(rayon::current_num_threads, |t| t as usize);
    ccsim::engine::held_at_once(threads).min(replications as usize)
}

/// Why `model` cannot run here with `held` replications in memory at
/// once, if its figures would not fit.
fn too_big(model: &Model, held: usize) -> Option<String> {
    let work = Workload::of(model);
    let need = work.bytes(held);
    let have = available()?;
    (need > have).then(|| {
        format!(
            "its figures by interval need about {} ({} a replication, {} for the summary), more \
             than the {} it may use here: use fewer intervals (a longer \
             horizon.interval) or fewer queues",
            format_bytes(need),
            format_bytes(work.replication_bytes),
            format_bytes(work.summary_bytes),
            format_bytes(have)
        )
    })
}

/// Refuses, before any work, a run of `model` (from `file`) holding
/// `held` replications at once that this machine could not hold.
pub fn check_fits(model: &Model, file: &Path, held: usize) -> Result<(), Failure> {
    match too_big(model, held) {
        Some(why) => Err(Failure::failed(format!("{}: {why}", file.display()))),
        None => Ok(()),
    }
}

/// `check`'s warning when a run on every core would not fit.
pub fn warning(model: &Model, replications: u32) -> Option<String> {
    too_big(model, streamed(None, replications))
        .map(|why| format!("warning: this machine cannot run it: {why}"))
}
