//! Writing result files whole or not at all.

use super::Failure;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The result files of one command, written together: each goes to a
/// temporary file beside its target first, and only when all are written
/// are they renamed into place. On any failure the temporary files are
/// removed and no result file is touched.
#[derive(Default)]
pub struct Results {
    files: Vec<(PathBuf, String)>,
}

impl Results {
    /// Adds `name` in directory `dir` (created if missing).
    pub fn in_dir(&mut self, dir: &Path, name: &str, contents: String) {
        self.files.push((dir.join(name), contents));
    }

    /// Adds a file at `path`.
    pub fn file(&mut self, path: &Path, contents: String) {
        self.files.push((path.to_path_buf(), contents));
    }

    pub fn write(self) -> Result<(), Failure> {
        let mut written: Vec<(PathBuf, &PathBuf)> = Vec::new();
        let cleanup = |written: &[(PathBuf, &PathBuf)]| {
            for (tmp, _) in written {
                let _ = fs::remove_file(tmp);
            }
        };
        for (target, contents) in &self.files {
            let dir = match target.parent() {
                Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let name = target.file_name().map(|n| n.to_string_lossy().into_owned());
            let Some(name) = name else {
                cleanup(&written);
                return Err(Failure::failed(format!(
                    "{} is not a file name",
                    target.display()
                )));
            };
            let tmp = dir.join(temp_name(&name));
            let result = fs::create_dir_all(&dir).and_then(|()| write_new(&tmp, contents));
            if let Err(e) = result {
                let _ = fs::remove_file(&tmp);
                cleanup(&written);
                return Err(Failure::failed(format!(
                    "cannot write {}: {e}",
                    target.display()
                )));
            }
            written.push((tmp, target));
        }
        for (tmp, target) in &written {
            if let Err(e) = fs::rename(tmp, target) {
                cleanup(&written);
                return Err(Failure::failed(format!(
                    "cannot write {}: {e}",
                    target.display()
                )));
            }
        }
        Ok(())
    }
}

/// A temporary name beside `name` that no other writer picks, on this host
/// or another sharing the directory: process ids repeat across hosts (and
/// are 1 in every container), and two tasks may write the same shard at
/// once (a replacement pod starts while the old one is still running).
fn temp_name(name: &str) -> String {
    static WRITTEN: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = WRITTEN.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{}-{nanos}-{n}.tmp", std::process::id())
}

/// Writes a file that must not exist yet, through to the disk, so that a
/// rename shows either nothing or the whole file even after a crash.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()
}

/// Writes every `(name, contents)` into `dir` as one [`Results`].
pub fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    let mut r = Results::default();
    for (name, contents) in files {
        r.in_dir(dir, name, contents.clone());
    }
    r.write()
}
