//! Sets `CCSIM_BUILD`, an identity of everything that decides a
//! replication's figures besides the scenario: the source, the locked
//! dependency versions and the target. Shard files record it, so that
//! shards simulated by two builds (the binary rebuilt while a job array
//! waited in the queue, say) are not merged as one study: the crate
//! version alone does not change with every change to the engine.

use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    source_files(Path::new("src"), &mut files);
    files.sort();
    files.push(PathBuf::from("Cargo.lock"));
    let mut hash = Sha256::new();
    for file in &files {
        // A missing Cargo.lock (a fresh checkout of a library user) hashes
        // as empty: the target and source still count.
        let bytes = fs::read(file).unwrap_or_default();
        hash.update(file.to_string_lossy().as_bytes());
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(&bytes);
    }
    hash.update(std::env::var("TARGET").unwrap_or_default().as_bytes());
    let digest = hash.finalize();
    let id: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    println!("cargo::rustc-env=CCSIM_BUILD={id}");
}

/// Every file under `dir`.
fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            source_files(&path, out);
        } else {
            out.push(path);
        }
    }
}
