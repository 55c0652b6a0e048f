//! Writing result files whole or not at all.

use super::Failure;
use std::fs;
use std::path::{Path, PathBuf};

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
            let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
            let result = fs::create_dir_all(&dir).and_then(|()| fs::write(&tmp, contents));
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

/// Writes every `(name, contents)` into `dir` as one [`Results`].
pub fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    let mut r = Results::default();
    for (name, contents) in files {
        r.in_dir(dir, name, contents.clone());
    }
    r.write()
}
