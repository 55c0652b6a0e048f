//! Writing result files whole or not at all.

use super::Failure;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The result files of one command, written together or not at all: if
/// [`Results::write`] fails, every target is as it was before (one that
/// did not exist still does not) and no temporary or backup file is left.
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

    /// Writes every file to a temporary name beside its target, then swaps
    /// them in one by one, each previous target moved aside to a backup
    /// first. Renaming a single file is atomic, renaming several is not:
    /// the backups are what let a failure part-way undo the swaps done.
    /// (Between its two renames a target is briefly missing; a crash there
    /// leaves the previous file under its `.old` name.) On success the
    /// backups are removed and each directory is synced, best effort.
    pub fn write(self) -> Result<(), Failure> {
        let mut swaps = Vec::with_capacity(self.files.len());
        if let Err(mut e) = self.swap_in(&mut swaps) {
            // Newest first, so a target named twice ends with its original.
            for swap in swaps.iter().rev() {
                if let Err(note) = swap.undo() {
                    e.message.push_str(&format!("; {note}"));
                }
            }
            return Err(e);
        }
        let mut dirs = Vec::new();
        for swap in &swaps {
            if swap.moved_aside {
                let _ = fs::remove_file(&swap.backup);
            }
            if !dirs.contains(&swap.dir) {
                dirs.push(swap.dir.clone());
            }
        }
        for dir in &dirs {
            sync_dir(dir);
        }
        // What was written, on stderr: stdout may be JSON for a script.
        if !self.files.is_empty() {
            let names: Vec<String> = self
                .files
                .iter()
                .map(|(t, _)| t.display().to_string())
                .collect();
            eprintln!("wrote {}", names.join(", "));
        }
        Ok(())
    }

    /// Stages every file, then places each; `swaps` records what was done.
    fn swap_in<'a>(&'a self, swaps: &mut Vec<Swap<'a>>) -> Result<(), Failure> {
        for (target, contents) in &self.files {
            swaps.push(Swap::stage(target, contents)?);
        }
        swaps.iter_mut().try_for_each(Swap::place)
    }
}

/// One target on its way in: the new contents wait at `tmp`, the previous
/// target (if any) goes to `backup` until the whole write has succeeded.
struct Swap<'a> {
    target: &'a Path,
    dir: PathBuf,
    tmp: PathBuf,
    backup: PathBuf,
    moved_aside: bool,
    placed: bool,
}

impl<'a> Swap<'a> {
    /// Writes `contents` to a new temporary file beside `target`.
    fn stage(target: &'a Path, contents: &str) -> Result<Self, Failure> {
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let Some(name) = target.file_name().map(|n| n.to_string_lossy()) else {
            return Err(Failure::failed(format!(
                "{} is not a file name",
                target.display()
            )));
        };
        let swap = Swap {
            target,
            tmp: dir.join(temp_name(&name, "tmp")),
            backup: dir.join(temp_name(&name, "old")),
            dir,
            moved_aside: false,
            placed: false,
        };
        fs::create_dir_all(&swap.dir)
            .and_then(|()| write_new(&swap.tmp, contents))
            .map_err(|e| swap.failed(e))?;
        Ok(swap)
    }

    /// Moves the previous target aside, then renames the new file in.
    fn place(&mut self) -> Result<(), Failure> {
        match fs::symlink_metadata(self.target) {
            Err(e) if e.kind() == ErrorKind::NotFound => {}
            Err(e) => return Err(self.failed(e)),
            // Checked here, not left to the rename below: a directory
            // would be moved aside and replaced, not refused.
            Ok(m) if m.is_dir() => return Err(self.failed(ErrorKind::IsADirectory.into())),
            Ok(_) => {
                fs::rename(self.target, &self.backup).map_err(|e| self.failed(e))?;
                self.moved_aside = true;
            }
        }
        fs::rename(&self.tmp, self.target).map_err(|e| self.failed(e))?;
        self.placed = true;
        Ok(())
    }

    /// Puts the previous target back (or removes a target that had none)
    /// and removes the temporary file. A backup that cannot be put back is
    /// kept, and the error says where.
    fn undo(&self) -> Result<(), String> {
        if !self.placed {
            let _ = fs::remove_file(&self.tmp);
        }
        if self.moved_aside {
            // Replaces the new file, if placed, in one step.
            fs::rename(&self.backup, self.target).map_err(|e| {
                format!(
                    "cannot restore {} ({e}): it is at {}",
                    self.target.display(),
                    self.backup.display()
                )
            })
        } else {
            if self.placed {
                let _ = fs::remove_file(self.target);
            }
            Ok(())
        }
    }

    fn failed(&self, e: std::io::Error) -> Failure {
        Failure::failed(format!("cannot write {}: {e}", self.target.display()))
    }
}

/// A name beside `name`, ending in `.{suffix}`, that no other writer picks,
/// on this host or another sharing the directory: process ids repeat across
/// hosts (and are 1 in every container), and two tasks may write the same
/// shard at once (a replacement pod starts while the old one is running).
fn temp_name(name: &str, suffix: &str) -> String {
    static WRITTEN: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = WRITTEN.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{}-{nanos}-{n}.{suffix}", std::process::id())
}

/// Writes a file that must not exist yet, through to the disk, so that a
/// rename shows either nothing or the whole file even after a crash. A file
/// it created but could not finish is removed.
fn write_new(path: &Path, contents: &str) -> std::io::Result<()> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    let result = file
        .write_all(contents.as_bytes())
        .and_then(|()| file.sync_all());
    if result.is_err() {
        let _ = fs::remove_file(path);
    }
    result
}

/// Makes the renames in `dir` durable. Best effort: the files are already
/// in place, so a failure here is no reason to report the write failed.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Writes every `(name, contents)` into `dir` as one [`Results`].
pub fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    let mut r = Results::default();
    for (name, contents) in files {
        r.in_dir(dir, name, contents.clone());
    }
    r.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory holding `files` as `(name, contents)`.
    fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, contents) in files {
            fs::write(dir.path().join(name), contents).unwrap();
        }
        dir
    }

    /// A non-empty directory at `dir/name`, which no file can be renamed over.
    fn block(dir: &Path, name: &str) {
        fs::create_dir(dir.join(name)).unwrap();
        fs::write(dir.join(name).join("inside"), "kept").unwrap();
    }

    /// The names in `dir`, sorted: shows any temporary or backup file left.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn read(dir: &Path, name: &str) -> String {
        fs::read_to_string(dir.join(name)).unwrap()
    }

    fn new(names: &[&'static str]) -> Vec<(&'static str, String)> {
        names.iter().map(|&n| (n, format!("new {n}"))).collect()
    }

    #[test]
    fn success_replaces_every_file_and_leaves_nothing_else() {
        let dir = dir_with(&[("a.csv", "old a"), ("b.csv", "old b")]);
        write_all(dir.path(), &new(&["a.csv", "b.csv", "c.csv"])).unwrap();
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", "c.csv"]);
        for name in ["a.csv", "b.csv", "c.csv"] {
            assert_eq!(read(dir.path(), name), format!("new {name}"));
        }
    }

    /// The third rename fails after the first two would have replaced their
    /// targets: both come back as they were.
    #[test]
    fn failed_rename_restores_files_already_replaced() {
        let dir = dir_with(&[("a.csv", "old a"), ("b.csv", "old b")]);
        block(dir.path(), "c.csv");
        let e = write_all(dir.path(), &new(&["a.csv", "b.csv", "c.csv"])).unwrap_err();
        assert!(e.message.contains("c.csv"), "{}", e.message);
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", "c.csv"]);
        assert_eq!(read(dir.path(), "a.csv"), "old a");
        assert_eq!(read(dir.path(), "b.csv"), "old b");
        assert_eq!(read(dir.path(), "c.csv/inside"), "kept");
    }

    /// A target that did not exist before does not exist after, and one
    /// named twice gets its first contents back, not the second's.
    #[test]
    fn failed_rename_removes_new_targets_and_undoes_repeats() {
        let dir = dir_with(&[("a.csv", "old a")]);
        block(dir.path(), "c.csv");
        let files = new(&["a.csv", "n.csv", "a.csv", "c.csv"]);
        let e = write_all(dir.path(), &files).unwrap_err();
        assert!(e.message.contains("c.csv"), "{}", e.message);
        assert_eq!(names(dir.path()), ["a.csv", "c.csv"]);
        assert_eq!(read(dir.path(), "a.csv"), "old a");
    }

    /// A failure before any rename (a parent that is a file) also leaves
    /// no temporary file.
    #[test]
    fn failed_write_touches_nothing() {
        let dir = dir_with(&[("a.csv", "old a"), ("x", "a file")]);
        let mut r = Results::default();
        r.in_dir(dir.path(), "a.csv", "new a".into());
        r.in_dir(&dir.path().join("x"), "b.csv", "new b".into());
        let e = r.write().unwrap_err();
        assert!(e.message.contains("b.csv"), "{}", e.message);
        assert_eq!(names(dir.path()), ["a.csv", "x"]);
        assert_eq!(read(dir.path(), "a.csv"), "old a");
    }
}
