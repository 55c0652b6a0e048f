//! `--set KEY=VALUE`: changes to a scenario made on the command line, applied
//! to the parsed TOML before it is checked like any file.
//!
//! A key is a dotted path; queues and agent groups are addressed by name
//! (or by position, from 0): `queues.sales.callback.offer_after`,
//! `agents.generalists.staffing`, `run.replications`. The value is read as
//! TOML (`30`, `0.4`, `[10, 12]`, `{ dist = "constant", value = "20s" }`),
//! and as a plain string when it is not TOML (`30s`, `back`). An empty value
//! removes the key: `queues.sales.callback=` turns that queue's callbacks off.
//! Tables on the way are created, so `queues.sales.callback.offer_after=60s`
//! turns callbacks on for a queue that had none.

use super::error::{KeyPath, Segment};
use std::fmt;

/// One `KEY=VALUE` change.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// As the user wrote it, for messages.
    pub text: String,
    path: Vec<String>,
    /// `None` removes the key.
    value: Option<toml::Value>,
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Override {
    type Err = String;

    /// Parses `KEY=VALUE`.
    fn from_str(s: &str) -> Result<Override, String> {
        let (key, raw) = s.split_once('=').ok_or_else(|| {
            format!("{s:?} is not KEY=VALUE (e.g. queues.sales.callback.offer_after=30s)")
        })?;
        let key = key.trim();
        let path: Vec<String> = key.split('.').map(|p| p.trim().to_string()).collect();
        if path.iter().any(String::is_empty) {
            return Err(format!("{s:?}: the key {key:?} has an empty part"));
        }
        let raw = raw.trim();
        let value = if raw.is_empty() {
            None
        } else {
            Some(
                toml::from_str::<toml::Table>(&format!("v = {raw}"))
                    .ok()
                    .and_then(|mut t| t.remove("v"))
                    .unwrap_or_else(|| toml::Value::String(raw.to_string())),
            )
        };
        Ok(Override {
            text: s.to_string(),
            path,
            value,
        })
    }
}

impl Override {
    /// Applies the change to a parsed scenario and returns the key path it
    /// set, in the form validation errors use (`queues[0].callback`).
    pub(crate) fn apply(&self, root: &mut toml::Table) -> Result<KeyPath, String> {
        let mut table = root;
        let mut at = KeyPath::default();
        let mut i = 0;
        let last = self.path.len() - 1;
        while i < last {
            let key = &self.path[i];
            if matches!(key.as_str(), "queues" | "agents") {
                // An array of tables, addressed by name or position.
                let what = if key == "queues" {
                    "queue"
                } else {
                    "agent group"
                };
                let entries = table
                    .get_mut(key)
                    .and_then(toml::Value::as_array_mut)
                    .ok_or_else(|| format!("{}: the scenario has no {key}", self.text))?;
                let wanted = &self.path[i + 1];
                let names: Vec<String> = entries
                    .iter()
                    .map(|e| {
                        e.get("name")
                            .and_then(toml::Value::as_str)
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect();
                let index = names
                    .iter()
                    .position(|n| n == wanted)
                    .or_else(|| wanted.parse::<usize>().ok().filter(|&k| k < entries.len()))
                    .ok_or_else(|| {
                        format!(
                            "{}: no {what} named {wanted:?} (there are {names:?})",
                            self.text
                        )
                    })?;
                at = at.key(key).index(index);
                table = entries[index]
                    .as_table_mut()
                    .ok_or_else(|| format!("{}: {key}[{index}] is not a table", self.text))?;
                i += 2;
                if i > last {
                    return Err(format!(
                        "{}: name a key of the {what}, e.g. {key}.{wanted}.priority",
                        self.text
                    ));
                }
                continue;
            }
            at = at.key(key);
            let entry = table
                .entry(key.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            table = entry
                .as_table_mut()
                .ok_or_else(|| format!("{}: {at} is a value, not a table", self.text))?;
            i += 1;
        }
        let key = &self.path[last];
        at = at.key(key);
        match &self.value {
            Some(v) => {
                table.insert(key.clone(), v.clone());
            }
            None => {
                table
                    .remove(key)
                    .ok_or_else(|| format!("{}: there is no {at} to remove", self.text))?;
            }
        }
        Ok(at)
    }
}

/// Whether `key` lies at or under `prefix`.
pub(crate) fn within(key: &KeyPath, prefix: &KeyPath) -> bool {
    key.0.len() >= prefix.0.len()
        && key.0.iter().zip(&prefix.0).all(|(a, b)| match (a, b) {
            (Segment::Key(x), Segment::Key(y)) => x == y,
            (Segment::Index(x), Segment::Index(y)) => x == y,
            _ => false,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().unwrap()
    }

    const BASE: &str = r#"
        [run]
        seed = 3
        [[queues]]
        name = "sales"
        [queues.callback]
        offer_after = "60s"
        [[queues]]
        name = "care"
        [[agents]]
        name = "team"
        staffing = 10
    "#;

    #[test]
    fn values_are_toml_or_strings() {
        let o: Override = "run.replications=40".parse().unwrap();
        assert_eq!(o.value, Some(toml::Value::Integer(40)));
        let o: Override = "queues.sales.callback.offer_after=30s".parse().unwrap();
        assert_eq!(o.value, Some(toml::Value::String("30s".into())));
        let o: Override = "agents.team.staffing=[1, 2]".parse().unwrap();
        assert!(o.value.as_ref().unwrap().is_array());
        let o: Override = "queues.sales.callback=".parse().unwrap();
        assert_eq!(o.value, None);
        assert!("no-equals-sign".parse::<Override>().is_err());
        assert!("a..b=1".parse::<Override>().is_err());
    }

    #[test]
    fn named_and_indexed_entries() {
        let mut t = table(BASE);
        let o: Override = "queues.care.priority=2".parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[1].priority");
        assert_eq!(t["queues"][1]["priority"].as_integer(), Some(2));
        let o: Override = "queues.0.priority=5".parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[0].priority");
        let o: Override = "agents.team.staffing=12".parse().unwrap();
        o.apply(&mut t).unwrap();
        assert_eq!(t["agents"][0]["staffing"].as_integer(), Some(12));
    }

    #[test]
    fn tables_are_created_and_removed() {
        let mut t = table(BASE);
        let on: Override = "queues.care.callback.offer_after=90s".parse().unwrap();
        on.apply(&mut t).unwrap();
        assert_eq!(
            t["queues"][1]["callback"]["offer_after"].as_str(),
            Some("90s")
        );
        let off: Override = "queues.sales.callback=".parse().unwrap();
        off.apply(&mut t).unwrap();
        assert!(t["queues"][0].get("callback").is_none());
    }

    #[test]
    fn paths_that_name_nothing_are_errors() {
        let mut t = table(BASE);
        for bad in [
            "queues.nosuch.priority=1",
            "queues.sales=1",
            "run.seed.x=1",
            "queues.sales.wrap_up=",
            "agents.7.staffing=3",
        ] {
            let o: Override = bad.parse().unwrap();
            let e = o.apply(&mut t).unwrap_err();
            assert!(e.starts_with(bad), "{bad}: {e}");
        }
    }
}
