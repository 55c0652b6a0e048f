//! Errors in scenario files: every error names the file, the key and, where
//! the key is written in the file, its line.

use std::fmt;

/// One step of a key path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Key(String),
    Index(usize),
}

/// A path to a key in a scenario file, such as `queues[0].handle_time.mean`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// The path of a top-level key.
    pub fn root(key: &str) -> Self {
        KeyPath(vec![Segment::Key(key.to_string())])
    }

    /// This path extended by a table key.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Key(key.to_string()));
        p
    }

    /// This path extended by an array index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Segment::Index(i));
        p
    }

    /// Converts a path recorded by `serde_path_to_error`.
    pub(crate) fn from_serde(path: &serde_path_to_error::Path) -> Self {
        use serde_path_to_error::Segment as S;
        KeyPath(
            path.iter()
                .filter_map(|s| match s {
                    S::Seq { index } => Some(Segment::Index(*index)),
                    S::Map { key } => Some(Segment::Key(key.clone())),
                    S::Enum { variant } => Some(Segment::Key(variant.clone())),
                    S::Unknown => None,
                })
                .collect(),
        )
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The path as messages show it: each `queues` and `agents` entry
    /// with its name, as in `queues[1] ("service").priority`. `names`
    /// holds the names by the position of their index in the path (from
    /// [`EntryNames::along`]).
    pub fn named<'a>(&'a self, names: &'a [(usize, String)]) -> impl fmt::Display + 'a {
        Named { path: self, names }
    }
}

/// A key path shown with the names of the entries it goes through.
struct Named<'a> {
    path: &'a KeyPath,
    names: &'a [(usize, String)],
}

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.path.0.iter().enumerate() {
            match s {
                Segment::Key(k) if i == 0 => write!(f, "{k}")?,
                Segment::Key(k) => write!(f, ".{k}")?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
            if let Some((_, name)) = self.names.iter().find(|(at, _)| *at == i) {
                write!(f, " ({name:?})")?;
            }
        }
        Ok(())
    }
}

/// The `name`s of a scenario's queues and agent groups, by position, as
/// the scenario gives them (a file after its `--set` changes, or a model
/// built in code). A message names an entry by its name as well as its
/// position: the file says `name = "service"`, not `queues[1]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct EntryNames {
    queues: Vec<Option<String>>,
    agents: Vec<Option<String>>,
}

impl EntryNames {
    pub fn new(queues: Vec<Option<String>>, agents: Vec<Option<String>>) -> Self {
        EntryNames { queues, agents }
    }

    /// The names in a parsed scenario: each entry's `name`, when it is a
    /// string.
    pub fn of_table(table: &toml::Table) -> Self {
        let names = |key: &str| -> Vec<Option<String>> {
            table
                .get(key)
                .and_then(toml::Value::as_array)
                .map_or(Vec::new(), |entries| {
                    entries
                        .iter()
                        .map(|e| {
                            e.get("name")
                                .and_then(toml::Value::as_str)
                                .map(str::to_string)
                        })
                        .collect()
                })
        };
        EntryNames::new(names("queues"), names("agents"))
    }

    /// The names along `key`: for a path that starts `queues[i]` or
    /// `agents[i]`, entry `i`'s name (if it has a non-empty one) at the
    /// position of the index.
    pub fn along(&self, key: &KeyPath) -> Vec<(usize, String)> {
        let (Some(Segment::Key(array)), Some(&Segment::Index(i))) = (key.0.first(), key.0.get(1))
        else {
            return Vec::new();
        };
        let entries = match array.as_str() {
            "queues" => &self.queues,
            "agents" => &self.agents,
            _ => return Vec::new(),
        };
        match entries.get(i) {
            Some(Some(name)) if !name.is_empty() => vec![(1, name.clone())],
            _ => Vec::new(),
        }
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.named(&[]).fmt(f)
    }
}

/// A problem found while reading or validating a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioError {
    /// The file (or other origin) the scenario came from.
    pub file: String,
    /// The key the problem concerns; empty for whole-file problems.
    pub key: KeyPath,
    /// 1-based line of the key in the file, when it is written there.
    pub line: Option<usize>,
    /// What is wrong, in words.
    pub message: String,
    /// The names of the `queues` and `agents` entries `key` goes through,
    /// by the position of their index in `key`: the message shows them
    /// (`queues[1] ("service").priority`), while `key` stays the plain
    /// path for code to compare.
    pub entry_names: Vec<(usize, String)>,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if !self.key.is_empty() {
            write!(f, ": key `{}`", self.key.named(&self.entry_names))?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ScenarioError {}

/// A validation problem before it is placed in a file: a key path and a message.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub key: KeyPath,
    pub message: String,
}

impl Problem {
    pub fn new(key: KeyPath, message: impl Into<String>) -> Self {
        Problem {
            key,
            message: message.into(),
        }
    }
}

pub(crate) type Check<T> = Result<T, Problem>;

/// Maps key paths to lines of the source text, using the spans the TOML
/// parser keeps for every key and value.
pub(crate) struct Locator<'a> {
    text: &'a str,
    root: Option<toml::Spanned<toml::de::DeTable<'a>>>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        Locator {
            text,
            root: toml::de::DeTable::parse(text).ok(),
        }
    }

    /// The line of byte offset `pos`, 1-based.
    pub fn line_of(&self, pos: usize) -> usize {
        let pos = pos.min(self.text.len());
        self.text.as_bytes()[..pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// The line of the deepest part of `path` that is written in the file:
    /// the key itself if present, else the table that should hold it.
    pub fn line(&self, path: &KeyPath) -> Option<usize> {
        self.find(path).map(|(line, _)| line)
    }

    /// Whether the whole of `path` is written in the file.
    pub fn has(&self, path: &KeyPath) -> bool {
        self.find(path).is_some_and(|(_, whole)| whole)
    }

    /// The line of the deepest written part of `path`, and whether that is
    /// all of it.
    fn find(&self, path: &KeyPath) -> Option<(usize, bool)> {
        use toml::de::DeValue;
        let root = self.root.as_ref()?;
        let mut found = 0;
        let mut table = root.get_ref();
        let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
        let mut best: Option<usize> = None;
        for seg in &path.0 {
            match seg {
                Segment::Key(k) => {
                    let tbl = match value {
                        None => table,
                        Some(v) => match v.get_ref() {
                            DeValue::Table(t) => t,
                            _ => break,
                        },
                    };
                    match tbl.iter().find(|(key, _)| key.get_ref() == k) {
                        Some((key, v)) => {
                            best = Some(key.span().start);
                            found += 1;
                            table = tbl;
                            value = Some(v);
                        }
                        None => break,
                    }
                }
                Segment::Index(i) => match value.map(|v| v.get_ref()) {
                    Some(DeValue::Array(a)) => match a.get(*i) {
                        Some(v) => {
                            best = Some(v.span().start);
                            found += 1;
                            value = Some(v);
                        }
                        None => break,
                    },
                    _ => break,
                },
            }
        }
        best.map(|p| (self.line_of(p), found == path.0.len()))
    }

    /// The names of the queues and agent groups as the file writes them.
    pub fn entry_names(&self) -> EntryNames {
        use toml::de::DeValue;
        let Some(root) = &self.root else {
            return EntryNames::default();
        };
        let names = |key: &str| -> Vec<Option<String>> {
            let Some(DeValue::Array(entries)) = root.get_ref().get(key).map(|v| v.get_ref()) else {
                return Vec::new();
            };
            entries
                .iter()
                .map(|e| match e.get_ref() {
                    DeValue::Table(t) => match t.get("name").map(|v| v.get_ref()) {
                        Some(DeValue::String(s)) => Some(s.to_string()),
                        _ => None,
                    },
                    _ => None,
                })
                .collect()
        };
        EntryNames::new(names("queues"), names("agents"))
    }

    /// The key written on the line of byte offset `pos`, if any.
    pub fn key_at(&self, pos: usize) -> KeyPath {
        use toml::de::{DeTable, DeValue};
        fn walk(table: &DeTable<'_>, want: usize, at: &Locator<'_>, path: &mut KeyPath) -> bool {
            for (k, v) in table.iter() {
                path.0.push(Segment::Key(k.get_ref().to_string()));
                if at.line_of(k.span().start) == want || descend(v.get_ref(), want, at, path) {
                    return true;
                }
                path.0.pop();
            }
            false
        }
        fn descend(v: &DeValue<'_>, want: usize, at: &Locator<'_>, path: &mut KeyPath) -> bool {
            match v {
                DeValue::Table(t) => walk(t, want, at, path),
                DeValue::Array(a) => a.iter().enumerate().any(|(i, item)| {
                    path.0.push(Segment::Index(i));
                    let found = descend(item.get_ref(), want, at, path);
                    if !found {
                        path.0.pop();
                    }
                    found
                }),
                _ => false,
            }
        }
        let mut path = KeyPath::default();
        if let Some(root) = &self.root {
            if within(root.get_ref(), pos, &mut path) {
                return path;
            }
            path = KeyPath::default();
            walk(root.get_ref(), self.line_of(pos), self, &mut path);
        }
        path
    }
}

/// The deepest key or list element whose value's text holds byte `pos`
/// (an overflowing number inside a list names its element), into `path`.
fn within(table: &toml::de::DeTable<'_>, pos: usize, path: &mut KeyPath) -> bool {
    use toml::de::DeValue;
    // Tables are searched whatever their span: an `[[agents]]` entry's
    // span is its header only.
    fn value(v: &toml::Spanned<DeValue<'_>>, pos: usize, path: &mut KeyPath) -> bool {
        match v.get_ref() {
            DeValue::Table(t) if within(t, pos, path) => return true,
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    path.0.push(Segment::Index(i));
                    if value(item, pos, path) {
                        return true;
                    }
                    path.0.pop();
                }
            }
            _ => {}
        }
        v.span().contains(&pos)
    }
    for (k, v) in table.iter() {
        path.0.push(Segment::Key(k.get_ref().to_string()));
        if value(v, pos, path) {
            return true;
        }
        path.0.pop();
    }
    false
}
