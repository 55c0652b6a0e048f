//! Sets `CCSIM_BUILD`, an identity of everything that decides a
//! replication's figures besides the scenario: the source, the locked
//! dependency versions and the target. Shard files record it, so that
//! shards simulated by two builds (the binary rebuilt while a job array
//! waited in the queue, say) are not merged as one study: the crate
//! version alone does not change with every change to the engine.

use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=src");
    println!("cargo::rerun-if-changed=Cargo.lock");
    let mut files = Vec::new();
    source_files(Path::new("src"), &mut files);
    files.sort();
    files.push(PathBuf::from("Cargo.lock"));
    let mut hash = Fnv::default();
    for file in &files {
        // A missing Cargo.lock (a fresh checkout of a library user) hashes
        // as empty: the target and source still count.
        let bytes = fs::read(file).unwrap_or_default();
        hash.write(file.to_string_lossy().as_bytes());
        hash.write(&(bytes.len() as u64).to_le_bytes());
        hash.write(&bytes);
    }
    hash.write(std::env::var("TARGET").unwrap_or_default().as_bytes());
    println!("cargo::rustc-env=CCSIM_BUILD={:016x}", hash.0);
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

/// 64-bit FNV-1a: stable across Rust releases (std's hasher is not), and
/// enough to tell two builds apart.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}
