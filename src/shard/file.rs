//! The shard file itself: its fields, its JSON layout (one key per line,
//! one replication per line) and the checksum that seals it.

use super::{Hasher, ShardSpec};
use crate::results::Replication;
use serde::{Deserialize, Serialize};
use serde_json::ser::Formatter;
use std::io;

/// One shard's results as saved in its file. The fields are the file's
/// keys, in order.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardFile {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the ccsim that wrote it.
    pub format_version: u32,
    /// The version of the ccsim that wrote it.
    pub ccsim_version: String,
    /// [`CCSIM_BUILD`] of the ccsim that wrote it.
    pub ccsim_build: String,
    /// The scenario's display name.
    pub scenario_name: String,
    /// This shard's number, from 1 (from format version 2 on; version 1
    /// counted from 0).
    pub shard: u32,
    /// The number of shards of the study.
    pub shards: u32,
    /// Replications in the whole study.
    pub replications: u32,
    /// The study's base seed.
    pub seed: u64,
    /// [`fingerprint`] of the effective scenario.
    pub fingerprint: String,
    /// SHA-256 of the file's contents with this field empty, as compact
    /// JSON (see [`seal`](Self::seal)): a figure edited or damaged after
    /// writing would otherwise be merged without notice.
    pub checksum: String,
    /// The effective scenario as TOML text: the file after `--set`, with
    /// `name` filled in and `[run]` set to the replications and seed when
    /// a scenario file can hold them (the header's are the ones used).
    pub scenario: String,
    /// The shard's replications, in index order.
    pub results: Vec<Replication>,
}

impl ShardFile {
    /// The file's text: a header of one key per line, for `head` and
    /// `grep`, then one line per replication. Written straight from the
    /// replications, without a JSON tree in between (that took eight times
    /// the text's size in memory).
    pub fn to_json(&self) -> String {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::with_formatter(&mut out, Lines::default());
        // Serializing these types cannot fail: every map key is a string.
        self.serialize(&mut ser)
            .expect("a shard serializes to JSON");
        out.push(b'\n');
        String::from_utf8(out).expect("serde_json writes UTF-8")
    }

    /// Sets [`checksum`](Self::checksum) for the current contents.
    pub fn seal(&mut self) {
        self.checksum = self.content_checksum();
    }

    /// The checksum the contents should have; `checksum` itself is left
    /// out (taken out while hashing, so that nothing is copied).
    pub(super) fn content_checksum(&mut self) -> String {
        let kept = std::mem::take(&mut self.checksum);
        let mut hash = Hasher::default();
        // Cannot fail, as in `to_json`.
        serde_json::to_writer(&mut hash, &*self).expect("a shard serializes to JSON");
        self.checksum = kept;
        hash.text()
    }

    /// The shard's number and count.
    pub fn spec(&self) -> Result<ShardSpec, String> {
        ShardSpec::new(self.shard, self.shards).map_err(|e| e.to_string())
    }
}

/// serde_json's compact layout, except that the outer object has one key
/// per line and the array in it (`results`) one element per line.
#[derive(Default)]
struct Lines {
    /// Objects and arrays open around the next token.
    depth: usize,
    /// Whether the array at depth 2 has an element yet.
    listed: bool,
}

impl Formatter for Lines {
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 0 { b"\n}" } else { b"}" })
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        w.write_all(match (self.depth, first) {
            (1, true) => b"\n  ",
            (1, false) => b",\n  ",
            (_, true) => b"",
            (_, false) => b",",
        })
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(if self.depth == 1 { b": " } else { b":" })
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        if self.depth == 2 {
            self.listed = false;
        }
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        w.write_all(if self.depth == 1 && self.listed {
            b"\n  ]"
        } else {
            b"]"
        })
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        if self.depth == 2 {
            self.listed = true;
            return w.write_all(if first { b"\n    " } else { b",\n    " });
        }
        w.write_all(if first { b"" } else { b"," })
    }
}
