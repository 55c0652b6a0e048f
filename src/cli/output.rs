//! Writing result files: each command's results form one set, whole or
//! not at all, and a reader can tell which.
//!
//! **A results directory** (`--out DIR`) holds one set, described by
//! `DIR/manifest.json`, written last: the command, scenario, seed,
//! replications, build and time, and each file's name, size and SHA-256.
//! The set is exactly the files the manifest lists, and a reader checks
//! sizes and digests against it; with no manifest the directory holds no
//! complete set. A write stages every file under a temporary name (synced),
//! checks every target, moves the old manifest aside *before* the first
//! file is replaced, swaps the files in, and writes the new manifest
//! (temporary name, sync, rename): a kill part-way leaves no manifest, a
//! failure part-way puts the old files and manifest back. We chose a
//! manifest over writing a fresh directory and swapping it in because a
//! directory cannot be atomically replaced by rename where the old one is
//! not empty, and users point `--out` at directories holding other files.
//!
//! **A lock** on `DIR/.ccsim.lock` (an OS file lock, released when the
//! process ends however it ends, so never stale) is held from before the
//! simulation to the end of the command: a second writer to the same
//! directory fails at once. Holding it, the command removes the temporary
//! files of earlier runs that were killed (names as [`temp_name`] makes
//! them). `--report FILE.html` locks and cleans its own directory the same
//! way. Shard files are not locked: the shards of a study write to one
//! shared directory at once, from many hosts, and a replacement task may
//! write the same shard while the old one still runs; each is one file
//! renamed into place, whole or absent, and `merge` checks its digest.
//!
//! Every output path is checked before any work (created, locked, and a
//! probe file created and removed), so an unwritable path costs no
//! simulation.

use super::Failure;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, BufWriter, ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The manifest's file name in a results directory.
pub const MANIFEST: &str = "manifest.json";
/// The lock file in every directory a command writes a set into.
pub const LOCK: &str = ".ccsim.lock";

/// What the manifest says about the run that wrote a set.
pub struct RunInfo {
    /// `run`, `merge`, `compare`, `sweep` or `staff`.
    pub command: &'static str,
    pub scenario: String,
    pub seed: u64,
    pub replications: u64,
}

/// The output paths of one command, checked, locked and cleaned before
/// any work, and held until the command ends.
pub struct Outputs {
    out: Option<PathBuf>,
    report: Option<PathBuf>,
    /// The locks held, one per directory; released when dropped.
    _locks: Vec<File>,
    /// Directories this command created, deepest first: removed again if
    /// they hold nothing but the lock when it ends (a failed command
    /// leaves no new directory behind).
    created: Vec<PathBuf>,
}

impl Outputs {
    /// Prepares `--out DIR` and `--report FILE`: creates the directories,
    /// locks each, removes stale temporary files, and checks with a probe
    /// file that each can be written, and that the report is not a
    /// directory.
    pub fn prepare(out: Option<&Path>, report: Option<&Path>) -> Result<Outputs, Failure> {
        let mut locked: Vec<(PathBuf, File)> = Vec::new();
        let mut created = Vec::new();
        let mut lock_dir = |dir: &Path| -> Result<(), Failure> {
            let missing: Vec<PathBuf> = dir
                .ancestors()
                .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
                .map(Path::to_path_buf)
                .collect();
            fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
            created.extend(missing);
            let key = fs::canonicalize(dir).map_err(|e| cannot(dir, e))?;
            // flock locks belong to an open file: opening the same lock
            // twice in one process would refuse the second.
            if locked.iter().any(|(k, _)| *k == key) {
                return Ok(());
            }
            locked.push((key, lock(dir)?));
            remove_stale(dir);
            probe(dir)
        };
        let mut outputs = Outputs {
            out: None,
            report: None,
            _locks: Vec::new(),
            created: Vec::new(),
        };
        let result = (|| {
            if let Some(dir) = out {
                lock_dir(dir)?;
            }
            if let Some(file) = report {
                lock_dir(&parent(file))?;
                if fs::symlink_metadata(file).is_ok_and(|m| m.is_dir()) {
                    return Err(Failure::failed(format!(
                        "cannot write the report {}: it is a directory (checked before any work)",
                        file.display()
                    )));
                }
            }
            Ok(())
        })();
        // Dropped on failure too, removing what it created.
        outputs.created = created;
        outputs._locks = locked.into_iter().map(|(_, f)| f).collect();
        result?;
        outputs.out = out.map(Path::to_path_buf);
        outputs.report = report.map(Path::to_path_buf);
        Ok(outputs)
    }

    /// Whether `--out` asks for a results directory.
    pub fn has_dir(&self) -> bool {
        self.out.is_some()
    }

    /// Whether `--report` asks for an HTML report.
    pub fn has_report(&self) -> bool {
        self.report.is_some()
    }

    /// A file `name` of the results directory to write while the work
    /// runs (`replications.csv`, row by row); `None` without `--out`.
    pub fn stage(&self, name: &str) -> Result<Option<Staged>, Failure> {
        self.out
            .as_ref()
            .map(|dir| Staged::new(&dir.join(name)))
            .transpose()
    }

    /// Writes the set: `files` into the results directory (with its
    /// manifest) and `report` to the report's path, together or not at all.
    pub fn write(
        &self,
        run: &RunInfo,
        files: Vec<(&str, Body)>,
        report: Option<String>,
    ) -> Result<(), Failure> {
        let mut set = Results::default();
        if let Some(dir) = &self.out {
            set.manifest = Some((dir.clone(), run));
            for (name, body) in files {
                set.add(dir.join(name), body);
            }
        }
        if let (Some(path), Some(html)) = (&self.report, report) {
            set.add(path.clone(), Body::Text(html));
        }
        set.write()
    }
}

impl Drop for Outputs {
    fn drop(&mut self) {
        for dir in &self.created {
            let only_lock = fs::read_dir(dir).is_ok_and(|entries| {
                entries
                    .flatten()
                    .all(|e| e.file_name().to_str() == Some(LOCK))
            });
            if only_lock {
                let _ = fs::remove_file(dir.join(LOCK));
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

/// Checks that `dir` can hold a shard file before the shard is simulated:
/// created if missing, and a probe file created and removed. No lock:
/// see the module doc.
pub fn check_dir(dir: &Path) -> Result<(), Failure> {
    fs::create_dir_all(dir).map_err(|e| cannot(dir, e))?;
    probe(dir)
}

fn cannot(path: &Path, e: io::Error) -> Failure {
    Failure::failed(format!("cannot write to {}: {e}", path.display()))
}

/// The directory a file goes into.
fn parent(file: &Path) -> PathBuf {
    match file.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Takes `dir`'s lock, or fails at once if another process holds it.
fn lock(dir: &Path) -> Result<File, Failure> {
    let path = dir.join(LOCK);
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|e| cannot(dir, e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Failure::failed(format!(
            "{} is in use: another ccsim command is writing results there \
             (it holds {}); wait for it or choose another directory",
            dir.display(),
            path.display()
        ))),
        Err(fs::TryLockError::Error(e)) => Err(Failure::failed(format!(
            "cannot lock {}: {e}",
            path.display()
        ))),
    }
}

/// Creates and removes a temporary file in `dir`: the directory can be
/// written now, not only in principle.
fn probe(dir: &Path) -> Result<(), Failure> {
    let path = dir.join(temp_name("probe", "tmp"));
    write_new(&path, "").map_err(|e| cannot(dir, e))?;
    fs::remove_file(&path).map_err(|e| cannot(dir, e))
}

/// Removes the temporary and backup files that killed runs left in `dir`
/// (names as [`temp_name`] makes them). Only called with `dir`'s lock
/// held, so none of them belongs to a live writer. Best effort.
fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if is_file && name.to_str().is_some_and(is_temp_name) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Whether `name` is one [`temp_name`] makes: `.NAME.PID-NANOS-N.tmp` or
/// `.old`.
fn is_temp_name(name: &str) -> bool {
    let Some(rest) = name.strip_prefix('.') else {
        return false;
    };
    let Some(rest) = rest
        .strip_suffix(".tmp")
        .or_else(|| rest.strip_suffix(".old"))
    else {
        return false;
    };
    let Some((file, id)) = rest.rsplit_once('.') else {
        return false;
    };
    let parts: Vec<&str> = id.split('-').collect();
    !file.is_empty()
        && parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// The contents of one result file: text rendered in memory, or a file
/// staged while the work ran.
pub enum Body {
    Text(String),
    Staged(Staged),
}

/// A result file written while the work runs, under a temporary name
/// beside its target, with its size and digest kept as it is written.
/// Removed if dropped before it is placed.
pub struct Staged {
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
    hash: Sha256,
    bytes: u64,
}

impl Staged {
    fn new(target: &Path) -> Result<Staged, Failure> {
        let name = file_name(target)?;
        let tmp = parent(target).join(temp_name(&name, "tmp"));
        let file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| Failure::failed(format!("cannot write {}: {e}", target.display())))?;
        Ok(Staged {
            tmp,
            file: Some(BufWriter::with_capacity(1 << 16, file)),
            hash: Sha256::new(),
            bytes: 0,
        })
    }

    /// Flushes and syncs the file; its size and digest.
    fn seal(&mut self) -> io::Result<(u64, String)> {
        let file = self
            .file
            .take()
            .ok_or_else(|| io::Error::other("sealed twice"))?;
        let file = file.into_inner().map_err(io::IntoInnerError::into_error)?;
        file.sync_all()?;
        Ok((self.bytes, hex(std::mem::take(&mut self.hash))))
    }
}

impl Write for Staged {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let file = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("sealed"))?;
        let n = file.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), BufWriter::flush)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Still staged: the set was not written; placed files have moved.
        let _ = fs::remove_file(&self.tmp);
    }
}

fn hex(hash: Sha256) -> String {
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn file_name(target: &Path) -> Result<String, Failure> {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| Failure::failed(format!("{} is not a file name", target.display())))
}

/// The result files of one command, written together or not at all: if
/// [`Results::write`] fails, every target is as it was before (one that
/// did not exist still does not) and no temporary or backup file is left.
#[derive(Default)]
pub struct Results<'r> {
    files: Vec<(PathBuf, Body)>,
    /// The results directory whose manifest describes the set, if any.
    manifest: Option<(PathBuf, &'r RunInfo)>,
}

impl Results<'_> {
    /// Adds `name` in directory `dir` (created if missing).
    pub fn in_dir(&mut self, dir: &Path, name: &str, contents: String) {
        self.add(dir.join(name), Body::Text(contents));
    }

    fn add(&mut self, target: PathBuf, body: Body) {
        self.files.push((target, body));
    }

    /// Writes every file to a temporary name beside its target, checks
    /// every target, then swaps them in one by one, each previous target
    /// moved aside to a backup first; with a manifest, the old one is
    /// moved aside before the first swap and the new one is written after
    /// the last. Renaming a single file is atomic, renaming several is
    /// not: the backups are what let a failure part-way undo the swaps
    /// done, and the missing manifest what tells a reader after a crash.
    /// On success the backups are removed and each directory is synced.
    pub fn write(self) -> Result<(), Failure> {
        let mut swaps = Vec::with_capacity(self.files.len());
        let mut manifest = None;
        let shown: Vec<String> = self
            .files
            .iter()
            .map(|(t, _)| t.display().to_string())
            .collect();
        if let Err(mut e) = self.swap_in(&mut swaps, &mut manifest) {
            // Newest first, so a target named twice ends with its original;
            // the old manifest last, once the files it lists are back.
            for swap in swaps.iter().rev().chain(&manifest) {
                if let Err(note) = swap.undo() {
                    e.message.push_str(&format!("; {note}"));
                }
            }
            return Err(e);
        }
        let mut dirs = Vec::new();
        for swap in swaps.iter().chain(&manifest) {
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
        if !shown.is_empty() {
            super::note(&format!("wrote {}", shown.join(", ")));
        }
        Ok(())
    }

    /// Stages every file, checks every target, then places each, between
    /// the old manifest's removal and the new one's placing; `swaps` and
    /// `manifest` record what was done, for [`Swap::undo`].
    fn swap_in(self, swaps: &mut Vec<Swap>, manifest: &mut Option<Swap>) -> Result<(), Failure> {
        let mut listed = Vec::new();
        for (target, body) in self.files {
            swaps.push(Swap::stage(target, body)?);
            let swap = &swaps[swaps.len() - 1];
            if let Some((dir, _)) = &self.manifest
                && swap.dir == *dir
            {
                listed.push((file_name(&swap.target)?, swap.bytes, swap.sha256.clone()));
            }
        }
        for swap in swaps.iter() {
            swap.check()?;
        }
        if let Some((dir, run)) = &self.manifest {
            let target = dir.join(MANIFEST);
            let m = manifest.insert(Swap::stage(
                target,
                Body::Text(manifest_json(run, &listed)),
            )?);
            m.check()?;
            // The old manifest goes first: from here until the new one is
            // in place, the directory says it holds no complete set.
            m.move_aside()?;
        }
        swaps.iter_mut().try_for_each(Swap::place)?;
        manifest.as_mut().map_or(Ok(()), Swap::place)
    }
}

/// The manifest: the run, then each file with its size and digest.
fn manifest_json(run: &RunInfo, files: &[(String, u64, String)]) -> String {
    let written = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let files: Vec<serde_json::Value> = files
        .iter()
        .map(|(name, bytes, sha)| serde_json::json!({"name": name, "bytes": bytes, "sha256": sha}))
        .collect();
    let m = serde_json::json!({
        "format": "ccsim-results",
        "version": 1,
        "command": run.command,
        "scenario": run.scenario,
        "seed": run.seed,
        "replications": run.replications,
        "ccsim_build": env!("CCSIM_BUILD"),
        "written_unix_s": written,
        "files": files,
    });
    let mut text = serde_json::to_string_pretty(&m).expect("JSON of strings and numbers");
    text.push('\n');
    text
}

/// One target on its way in: the new contents wait at `tmp`, the previous
/// target (if any) goes to `backup` until the whole write has succeeded.
struct Swap {
    target: PathBuf,
    dir: PathBuf,
    tmp: PathBuf,
    backup: PathBuf,
    bytes: u64,
    sha256: String,
    moved_aside: bool,
    placed: bool,
}

impl Swap {
    /// Puts `body` at a temporary name beside `target`, synced.
    fn stage(target: PathBuf, body: Body) -> Result<Self, Failure> {
        let dir = parent(&target);
        let name = file_name(&target)?;
        let failed =
            |e: io::Error| Failure::failed(format!("cannot write {}: {e}", target.display()));
        let (tmp, bytes, sha256) = match body {
            Body::Text(contents) => {
                let tmp = dir.join(temp_name(&name, "tmp"));
                fs::create_dir_all(&dir)
                    .and_then(|()| write_new(&tmp, &contents))
                    .map_err(failed)?;
                let mut hash = Sha256::new();
                hash.update(contents.as_bytes());
                (tmp, contents.len() as u64, hex(hash))
            }
            Body::Staged(mut s) => {
                let (bytes, sha) = s.seal().map_err(failed)?;
                // The swap owns the temporary file from here.
                (std::mem::take(&mut s.tmp), bytes, sha)
            }
        };
        Ok(Swap {
            backup: dir.join(temp_name(&name, "old")),
            target,
            dir,
            tmp,
            bytes,
            sha256,
            moved_aside: false,
            placed: false,
        })
    }

    /// Refuses a target that is a directory before anything is replaced:
    /// a rename would move it aside and replace it, or fail part-way.
    fn check(&self) -> Result<(), Failure> {
        match fs::symlink_metadata(&self.target) {
            Ok(m) if m.is_dir() => Err(self.failed(ErrorKind::IsADirectory.into())),
            _ => Ok(()),
        }
    }

    /// Moves the previous target, if any, to the backup name.
    fn move_aside(&mut self) -> Result<(), Failure> {
        match fs::symlink_metadata(&self.target) {
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(self.failed(e)),
            Ok(m) if m.is_dir() => Err(self.failed(ErrorKind::IsADirectory.into())),
            Ok(_) => {
                fs::rename(&self.target, &self.backup).map_err(|e| self.failed(e))?;
                self.moved_aside = true;
                Ok(())
            }
        }
    }

    /// Moves the previous target aside (unless done), then renames the
    /// new file in.
    fn place(&mut self) -> Result<(), Failure> {
        if !self.moved_aside {
            self.move_aside()?;
        }
        fs::rename(&self.tmp, &self.target).map_err(|e| self.failed(e))?;
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
            fs::rename(&self.backup, &self.target).map_err(|e| {
                format!(
                    "cannot restore {} ({e}): it is at {}",
                    self.target.display(),
                    self.backup.display()
                )
            })
        } else {
            if self.placed {
                let _ = fs::remove_file(&self.target);
            }
            Ok(())
        }
    }

    fn failed(&self, e: io::Error) -> Failure {
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

/// Writes every `(name, contents)` into `dir` as one [`Results`], with no
/// manifest (a shard file, which carries its own digest).
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
    fn temporary_names_are_recognized_and_nothing_else() {
        let made = temp_name("replications.csv", "tmp");
        assert!(is_temp_name(&made), "{made}");
        assert!(is_temp_name(&temp_name("r.html", "old")));
        for other in [
            "summary.csv",
            ".ccsim.lock",
            ".notes.tmp",
            ".a.1-2.tmp",
            ".a.1-2-x.tmp",
            "a.1-2-3.tmp",
            "..1-2-3.tmp",
            ".a.1-2-3.bak",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }

    fn sample_run() -> RunInfo {
        RunInfo {
            command: "run",
            scenario: "s".into(),
            seed: 3,
            replications: 2,
        }
    }

    /// A set with a manifest: the manifest lists the files in the results
    /// directory with their sizes and digests, and replaces the old one.
    #[test]
    fn manifest_lists_the_set_and_replaces_the_old_one() {
        let dir = dir_with(&[("a.csv", "old a"), (MANIFEST, "old manifest")]);
        let run = sample_run();
        let mut r = Results {
            manifest: Some((dir.path().to_path_buf(), &run)),
            ..Results::default()
        };
        r.in_dir(dir.path(), "a.csv", "new a".into());
        r.in_dir(dir.path(), "b.csv", "new b".into());
        r.write().unwrap();
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", MANIFEST]);
        let m: serde_json::Value = serde_json::from_str(&read(dir.path(), MANIFEST)).unwrap();
        assert_eq!(m["seed"], 3);
        let files = m["files"].as_array().unwrap();
        assert_eq!(files.len(), 2);
        assert_eq!(files[0]["name"], "a.csv");
        assert_eq!(files[0]["bytes"], 5);
        // sha256("new a")
        let mut h = Sha256::new();
        h.update(b"new a");
        assert_eq!(files[0]["sha256"], hex(h));
    }

    /// A target that is a directory is found before anything is replaced:
    /// the old manifest stays, and so do the other files.
    #[test]
    fn a_directory_target_leaves_the_old_set_and_manifest() {
        let dir = dir_with(&[("a.csv", "old a"), (MANIFEST, "old manifest")]);
        block(dir.path(), "b.csv");
        let run = sample_run();
        let mut r = Results {
            manifest: Some((dir.path().to_path_buf(), &run)),
            ..Results::default()
        };
        r.in_dir(dir.path(), "a.csv", "new a".into());
        r.in_dir(dir.path(), "b.csv", "new b".into());
        let e = r.write().unwrap_err();
        assert!(e.message.contains("b.csv"), "{}", e.message);
        assert_eq!(names(dir.path()), ["a.csv", "b.csv", MANIFEST]);
        assert_eq!(read(dir.path(), "a.csv"), "old a");
        assert_eq!(read(dir.path(), MANIFEST), "old manifest");
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
