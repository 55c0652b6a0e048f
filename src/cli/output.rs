//! Writing result files whole or not at all.

use super::Failure;
use std::fs;
use std::path::{Path, PathBuf};

/// Writes one file whole or not at all (through a temporary file).
pub fn write_file(path: &Path, contents: &str) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Failure::failed(format!("{} is not a file name", path.display())))?
        .to_string_lossy()
        .into_owned();
    write_all(dir, &[(name.as_str(), contents.to_string())])
}

/// Writes every `(name, contents)` into `dir`: each goes to a temporary file
/// first, and only when all are written are they renamed into place. On any
/// failure the temporary files are removed and no result file is touched.
pub fn write_all(dir: &Path, files: &[(&str, String)]) -> Result<(), Failure> {
    fs::create_dir_all(dir).map_err(|e| {
        Failure::failed(format!(
            "cannot create output directory {}: {e}",
            dir.display()
        ))
    })?;
    let mut written: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |written: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in written {
            let _ = fs::remove_file(tmp);
        }
    };
    for (name, contents) in files {
        let target = dir.join(name);
        let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
        if let Err(e) = fs::write(&tmp, contents) {
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
