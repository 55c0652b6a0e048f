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
//!
//! A value that starts with `*` or `+` changes the number the key holds
//! rather than replacing it, so that a sweep can scale a staffing or an
//! arrival list: `*1.1` multiplies, `+2` adds and `+-2` subtracts, a number
//! or every number of a list. Only these two prefixes are relative: `-2`
//! stays the number −2 (a priority may be negative), which is why
//! subtracting is written `+-2`. Agents come whole: a relative change of
//! `agents.*.staffing` rounds to the nearest whole agent, halves up, and
//! never goes below 0; any other key gets the exact result (a whole number
//! stays whole when the result is whole, so `run.replications=*2` works).
//!
//! A part of the key may be quoted as in a TOML dotted key, for a name
//! holding a `.`, a `=` or spaces: `queues."a.b".patience=...`, or
//! `queues.'a.b'.patience=...` (single quotes take the text as is; in
//! double quotes `\"` and `\\` stand for `"` and `\`). A quoted part is
//! always a name, never a position: `agents."0"` is the group named "0".

use super::error::{KeyPath, Segment};
use std::fmt;

/// One `KEY=VALUE` change.
#[derive(Clone, Debug, PartialEq)]
pub struct Override {
    /// As the user wrote it, for messages.
    pub text: String,
    path: Vec<String>,
    /// Which parts of `path` were quoted (names only, never positions).
    quoted: Vec<bool>,
    change: Change,
}

/// What an override does to its key.
#[derive(Clone, Debug, PartialEq)]
enum Change {
    /// Sets the key to this value.
    Set(toml::Value),
    /// Removes the key.
    Remove,
    /// Multiplies the number (or each number of the list) by this one.
    Multiply(Number),
    /// Adds this number to the number (or each number of the list).
    Add(Number),
}

/// The operand of a relative change, kept whole when written whole so that
/// whole numbers (a seed, say) change exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Number {
    Int(i64),
    Float(f64),
}

impl Number {
    fn parse(s: &str) -> Option<Number> {
        match toml::from_str::<toml::Table>(&format!("v = {s}"))
            .ok()?
            .remove("v")?
        {
            toml::Value::Integer(i) => Some(Number::Int(i)),
            toml::Value::Float(f) if f.is_finite() => Some(Number::Float(f)),
            _ => None,
        }
    }

    fn of(v: &toml::Value) -> Option<Number> {
        match *v {
            toml::Value::Integer(i) => Some(Number::Int(i)),
            toml::Value::Float(f) => Some(Number::Float(f)),
            _ => None,
        }
    }

    fn as_f64(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
        }
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::str::FromStr for Override {
    type Err = String;

    /// Parses `KEY=VALUE`, `KEY=*F`, `KEY=+N` or `KEY=` (remove).
    fn from_str(s: &str) -> Result<Override, String> {
        let (parts, raw) = split_key(s)?;
        let (path, quoted) = parts.into_iter().unzip();
        let raw = raw.trim();
        let relative = |op: char, rest: &str| {
            Number::parse(rest.trim()).ok_or_else(|| {
                format!(
                    "{s}: {raw:?} is not a relative value: {op} must be followed by a number \
                     (*1.1 multiplies, +2 adds, +-2 subtracts; quote a string that starts \
                     with {op}: \"{raw}\")"
                )
            })
        };
        let change = if raw.is_empty() {
            Change::Remove
        } else if let Some(rest) = raw.strip_prefix('*') {
            Change::Multiply(relative('*', rest)?)
        } else if let Some(rest) = raw.strip_prefix('+') {
            Change::Add(relative('+', rest)?)
        } else {
            Change::Set(
                toml::from_str::<toml::Table>(&format!("v = {raw}"))
                    .ok()
                    .and_then(|mut t| t.remove("v"))
                    .unwrap_or_else(|| toml::Value::String(raw.to_string())),
            )
        };
        Ok(Override {
            text: s.to_string(),
            path,
            quoted,
            change,
        })
    }
}

impl Override {
    /// Applies the change to a parsed scenario and returns the key path it
    /// set, in the form validation errors use (`queues[0].callback`).
    pub(crate) fn apply(&self, root: &mut toml::Table) -> Result<KeyPath, String> {
        // A relative change needs a number to change: it creates nothing.
        let create = matches!(self.change, Change::Set(_));
        let mut table = root;
        let mut at = KeyPath::default();
        // The name of the queue or group on the way, for messages.
        let mut shown: Vec<(usize, String)> = Vec::new();
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
                    .or_else(|| {
                        let position = wanted.parse::<usize>().ok();
                        position.filter(|&k| k < entries.len() && !self.quoted[i + 1])
                    })
                    .ok_or_else(|| {
                        format!(
                            "{}: no {what} named {wanted:?} (there are {names:?})",
                            self.text
                        )
                    })?;
                at = at.key(key).index(index);
                if !names[index].is_empty() {
                    shown.push((at.0.len() - 1, names[index].clone()));
                }
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
            if !create && !table.contains_key(key) {
                return Err(self.nothing_to_change(&at, &shown));
            }
            let entry = table
                .entry(key.clone())
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            table = entry.as_table_mut().ok_or_else(|| {
                let at = at.named(&shown);
                format!("{}: {at} is a value, not a table", self.text)
            })?;
            i += 1;
        }
        let key = &self.path[last];
        at = at.key(key);
        match &self.change {
            Change::Set(v) => {
                table.insert(key.clone(), v.clone());
            }
            Change::Remove => {
                table.remove(key).ok_or_else(|| {
                    let at = at.named(&shown);
                    format!("{}: there is no {at} to remove", self.text)
                })?;
            }
            Change::Multiply(_) | Change::Add(_) => {
                let value = table
                    .get_mut(key)
                    .ok_or_else(|| self.nothing_to_change(&at, &shown))?;
                let agents = is_staffing(&at);
                let changed = match &*value {
                    toml::Value::Array(items) => items
                        .iter()
                        .map(|v| self.relative(v, agents))
                        .collect::<Option<Vec<_>>>()
                        .map(toml::Value::Array),
                    v => self.relative(v, agents),
                };
                let Some(changed) = changed else {
                    return Err(format!(
                        "{}: {} is {}, and * and + change only a number or a list of \
                         numbers",
                        self.text,
                        at.named(&shown),
                        describe(value)
                    ));
                };
                *value = changed;
            }
        }
        Ok(at)
    }

    /// The error of a relative change to a key the scenario does not have.
    fn nothing_to_change(&self, at: &KeyPath, names: &[(usize, String)]) -> String {
        let at = at.named(names);
        format!(
            "{}: the scenario has no {at} to change (* and + change the number the file \
             gives; set a value instead)",
            self.text
        )
    }

    /// `v` changed relatively, if it is a number: a whole number of agents
    /// for a staffing; else exact, and whole when both numbers are whole or
    /// a whole number gives a whole result.
    fn relative(&self, v: &toml::Value, agents: bool) -> Option<toml::Value> {
        let x = Number::of(v)?;
        let (exact, int) = match (&self.change, x) {
            (&Change::Add(Number::Int(n)), Number::Int(i)) => {
                (i as f64 + n as f64, i.checked_add(n))
            }
            (&Change::Multiply(Number::Int(n)), Number::Int(i)) => {
                (i as f64 * n as f64, i.checked_mul(n))
            }
            (&Change::Add(n), x) => (x.as_f64() + n.as_f64(), None),
            (&Change::Multiply(n), x) => (x.as_f64() * n.as_f64(), None),
            (Change::Set(_) | Change::Remove, _) => return None,
        };
        if agents {
            return Some(toml::Value::Integer(whole_agents(exact)));
        }
        Some(match (int, x) {
            (Some(i), _) => toml::Value::Integer(i),
            // Beyond i64 (or not whole): the exact number, which the key's
            // own check then judges.
            (None, Number::Int(_)) if exact.fract() == 0.0 && exact.abs() < 9.0e18 => {
                toml::Value::Integer(exact as i64)
            }
            _ => toml::Value::Float(exact),
        })
    }

    /// A hint for a problem with the value this change set: a negative
    /// number is a value, not a subtraction, which is written `+-N`.
    pub(crate) fn hint(&self) -> Option<String> {
        let Change::Set(v) = &self.change else {
            return None;
        };
        let negative = match *v {
            toml::Value::Integer(i) => i < 0,
            toml::Value::Float(f) => f < 0.0,
            _ => false,
        };
        let (key, raw) = self.text.split_once('=')?;
        let raw = raw.trim();
        negative.then(|| {
            format!(
                "a plain {raw} sets the number {raw}; to subtract {}, write {key}=+{raw}",
                raw.trim_start_matches('-')
            )
        })
    }
}

/// A key's parts, each with whether it was quoted.
type KeyParts = Vec<(String, bool)>;

/// Splits `KEY=VALUE` at the first `=` outside quotes: the key's parts
/// and the value's text.
fn split_key(s: &str) -> Result<(KeyParts, &str), String> {
    let example = "e.g. queues.sales.callback.offer_after=30s";
    let mut parts = Vec::new();
    let mut part = String::new();
    let mut quoted = false;
    let mut chars = s.char_indices();
    let mut push = |part: &mut String, quoted: &mut bool| {
        let p = if *quoted {
            std::mem::take(part)
        } else {
            std::mem::take(part).trim().to_string()
        };
        if p.is_empty() && !*quoted {
            return Err(format!("{s:?}: the key has an empty part ({example})"));
        }
        parts.push((p, *quoted));
        *quoted = false;
        Ok(())
    };
    while let Some((at, c)) = chars.next() {
        match c {
            '=' => {
                push(&mut part, &mut quoted)?;
                return Ok((parts, &s[at + 1..]));
            }
            '.' => push(&mut part, &mut quoted)?,
            '"' | '\'' if part.trim().is_empty() && !quoted => {
                part.clear();
                let mut closed = false;
                while let Some((_, q)) = chars.next() {
                    match q {
                        _ if q == c => {
                            closed = true;
                            break;
                        }
                        '\\' if c == '"' => match chars.next() {
                            Some((_, e @ ('"' | '\\'))) => part.push(e),
                            _ => {
                                return Err(format!(
                                    "{s:?}: in a quoted key part, \\ must be followed by \" or \\"
                                ));
                            }
                        },
                        _ => part.push(q),
                    }
                }
                if !closed {
                    return Err(format!("{s:?}: the key has a quote {c} that is not closed"));
                }
                quoted = true;
            }
            _ if quoted => {
                if !c.is_whitespace() {
                    return Err(format!(
                        "{s:?}: a quoted part of the key must be followed by . or = ({example})"
                    ));
                }
            }
            _ => part.push(c),
        }
    }
    Err(format!("{s:?} is not KEY=VALUE ({example})"))
}

/// Whether `at` is an agent group's staffing, which counts whole agents.
fn is_staffing(at: &KeyPath) -> bool {
    matches!(
        at.0.as_slice(),
        [Segment::Key(a), Segment::Index(_), Segment::Key(s)] if a == "agents" && s == "staffing"
    )
}

/// A number of agents: the nearest whole number, halves up (a half within
/// rounding error, as `45 × 0.7 = 31.499999999999996`, counts as a half),
/// and never below 0.
fn whole_agents(x: f64) -> i64 {
    // `as` saturates, and maps NaN to 0.
    ((x + 1e-9).round() as i64).max(0)
}

/// What a TOML value is, in words, for messages.
fn describe(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => format!("the string {s:?}"),
        toml::Value::Boolean(b) => format!("{b}"),
        toml::Value::Array(_) => "a list with something other than numbers".to_string(),
        toml::Value::Table(_) => "a table".to_string(),
        toml::Value::Datetime(d) => format!("the date {d}"),
        toml::Value::Integer(_) | toml::Value::Float(_) => "a number".to_string(),
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

    fn change(s: &str) -> Change {
        s.parse::<Override>().unwrap().change
    }

    #[test]
    fn values_are_toml_or_strings() {
        assert_eq!(
            change("run.replications=40"),
            Change::Set(toml::Value::Integer(40))
        );
        assert_eq!(
            change("queues.sales.callback.offer_after=30s"),
            Change::Set(toml::Value::String("30s".into()))
        );
        assert!(matches!(
            change("agents.team.staffing=[1, 2]"),
            Change::Set(toml::Value::Array(_))
        ));
        assert_eq!(change("queues.sales.callback="), Change::Remove);
        assert!("no-equals-sign".parse::<Override>().is_err());
        assert!("a..b=1".parse::<Override>().is_err());
    }

    #[test]
    fn star_and_plus_are_relative_minus_is_a_value() {
        assert_eq!(
            change("agents.team.staffing=*1.1"),
            Change::Multiply(Number::Float(1.1))
        );
        assert_eq!(
            change("agents.team.staffing=*2"),
            Change::Multiply(Number::Int(2))
        );
        assert_eq!(
            change("agents.team.staffing=+2"),
            Change::Add(Number::Int(2))
        );
        assert_eq!(
            change("agents.team.staffing= +-2 "),
            Change::Add(Number::Int(-2))
        );
        assert_eq!(
            change("queues.sales.arrivals.per_hour=+ 0.5"),
            Change::Add(Number::Float(0.5))
        );
        // A negative number is a value: priorities may be negative.
        assert_eq!(
            change("queues.sales.priority=-2"),
            Change::Set(toml::Value::Integer(-2))
        );
        // A quoted string that starts with * or + is a string.
        assert_eq!(
            change(r#"name="*vip*""#),
            Change::Set(toml::Value::String("*vip*".into()))
        );
        for bad in [
            "agents.team.staffing=*",
            "agents.team.staffing=+",
            "agents.team.staffing=*x",
            "agents.team.staffing=+30s",
            "agents.team.staffing=*inf",
            "agents.team.staffing=+nan",
            "agents.team.staffing=*[2]",
        ] {
            let e = bad.parse::<Override>().unwrap_err();
            assert!(
                e.starts_with(&format!("{bad}: ")) && e.contains("is not a relative value"),
                "{bad}: {e}"
            );
        }
    }

    /// `text` applied to a copy of `RELATIVE`, and the changed `key`'s value.
    fn relative(text: &str, key: &[&str]) -> Result<toml::Value, String> {
        let mut t = table(RELATIVE);
        let o: Override = text.parse().unwrap();
        o.apply(&mut t)?;
        let mut v = &t[key[0]];
        for k in &key[1..] {
            v = match k.parse::<usize>() {
                Ok(i) => &v[i],
                Err(_) => &v[*k],
            };
        }
        Ok(v.clone())
    }

    const RELATIVE: &str = r#"
        [run]
        replications = 20
        seed = 9007199254740993
        [[queues]]
        name = "sales"
        priority = -1
        service_level = "20s"
        arrivals = { per_interval = [10, 20.5, 31] }
        [[queues]]
        name = "care"
        arrivals = { per_hour = 120 }
        [[agents]]
        name = "team"
        staffing = [5, 15, 45, 0, 1]
        [[agents]]
        name = "flat"
        staffing = 10
    "#;

    fn ints(v: &[i64]) -> toml::Value {
        toml::Value::Array(v.iter().map(|&i| toml::Value::Integer(i)).collect())
    }

    #[test]
    fn staffing_is_rounded_to_whole_agents_halves_up() {
        let staffing = ["agents", "0", "staffing"];
        // 5.5 → 6, 16.5 → 17, 49.5 → 50: halves round up.
        assert_eq!(
            relative("agents.team.staffing=*1.1", &staffing),
            Ok(ints(&[6, 17, 50, 0, 1]))
        );
        // 45 × 0.7 is 31.499999999999996 in floating point: still a half.
        assert_eq!(
            relative("agents.team.staffing=*0.7", &staffing),
            Ok(ints(&[4, 11, 32, 0, 1]))
        );
        assert_eq!(
            relative("agents.team.staffing=+2", &staffing),
            Ok(ints(&[7, 17, 47, 2, 3]))
        );
        // Never below 0.
        assert_eq!(
            relative("agents.team.staffing=+-2", &staffing),
            Ok(ints(&[3, 13, 43, 0, 0]))
        );
        assert_eq!(
            relative("agents.team.staffing=*-1", &staffing),
            Ok(ints(&[0, 0, 0, 0, 0]))
        );
        assert_eq!(
            relative("agents.team.staffing=+0.4", &staffing),
            Ok(ints(&[5, 15, 45, 0, 1]))
        );
        // A flat staffing, by position.
        assert_eq!(
            relative("agents.1.staffing=*1.25", &["agents", "1", "staffing"]),
            Ok(toml::Value::Integer(13))
        );
    }

    #[test]
    fn other_keys_get_the_exact_result() {
        let per_interval = ["queues", "0", "arrivals", "per_interval"];
        assert_eq!(
            relative("queues.sales.arrivals.per_interval=*1.5", &per_interval),
            Ok(toml::Value::Array(vec![
                toml::Value::Integer(15),
                toml::Value::Float(30.75),
                toml::Value::Float(46.5),
            ]))
        );
        assert_eq!(
            relative("queues.sales.arrivals.per_interval=+-0.5", &per_interval),
            Ok(toml::Value::Array(vec![
                toml::Value::Float(9.5),
                toml::Value::Float(20.0),
                toml::Value::Float(30.5),
            ]))
        );
        let per_hour = ["queues", "1", "arrivals", "per_hour"];
        assert_eq!(
            relative("queues.care.arrivals.per_hour=*1.01", &per_hour),
            Ok(toml::Value::Float(120.0 * 1.01))
        );
        // A whole number whose product is whole stays a whole number.
        assert_eq!(
            relative("queues.care.arrivals.per_hour=*1.1", &per_hour),
            Ok(toml::Value::Integer(132))
        );
        assert_eq!(
            relative("queues.care.arrivals.per_hour=+30", &per_hour),
            Ok(toml::Value::Integer(150))
        );
        // Whole numbers stay whole: exactly, beyond 2^53.
        assert_eq!(
            relative("run.seed=+1", &["run", "seed"]),
            Ok(toml::Value::Integer(9_007_199_254_740_994))
        );
        assert_eq!(
            relative("run.replications=*1.5", &["run", "replications"]),
            Ok(toml::Value::Integer(30))
        );
        // ...and a fraction is left for the key's own check to refuse.
        assert_eq!(
            relative("run.replications=*1.01", &["run", "replications"]),
            Ok(toml::Value::Float(20.0 * 1.01))
        );
        // A negative priority changes like any number.
        assert_eq!(
            relative("queues.sales.priority=+-2", &["queues", "0", "priority"]),
            Ok(toml::Value::Integer(-3))
        );
        // Overflow is not wrapped.
        assert_eq!(
            relative("run.seed=*9007199254740993", &["run", "seed"]),
            Ok(toml::Value::Float(
                9_007_199_254_740_993.0 * 9_007_199_254_740_993.0
            ))
        );
    }

    #[test]
    fn relative_changes_need_a_number_the_file_has() {
        for (bad, needle) in [
            (
                "queues.care.priority=+1",
                "the scenario has no queues[1] (\"care\").priority to change",
            ),
            (
                "queues.care.callback.offer_after=*2",
                "the scenario has no queues[1] (\"care\").callback to change",
            ),
            (
                "queues.sales.service_level=*2",
                "queues[0] (\"sales\").service_level is the string \"20s\", and * and + change only a \
                 number or a list of numbers",
            ),
            (
                "queues.sales.arrivals=*2",
                "queues[0] (\"sales\").arrivals is a table",
            ),
            ("queues.nosuch.priority=+1", "no queue named \"nosuch\""),
        ] {
            let e = relative(bad, &["run"]).unwrap_err();
            assert!(e.starts_with(&format!("{bad}: ")), "{bad}: {e}");
            assert!(e.contains(needle), "{bad}: {e}");
        }
        // A list with something else than numbers.
        let mut t = table("[[agents]]\nname = \"a\"\nstaffing = [1, \"2\"]");
        let o: Override = "agents.a.staffing=*2".parse().unwrap();
        let e = o.apply(&mut t).unwrap_err();
        assert!(
            e.contains("a list with something other than numbers"),
            "{e}"
        );
        // Nothing was created on the way.
        let mut t = table(RELATIVE);
        let before = t.clone();
        let o: Override = "queues.care.callback.offer_after=*2".parse().unwrap();
        assert!(o.apply(&mut t).is_err());
        assert_eq!(t, before);
    }

    #[test]
    fn a_negative_value_that_fails_hints_at_subtracting() {
        let o: Override = "agents.team.staffing=-2".parse().unwrap();
        assert_eq!(
            o.hint().as_deref(),
            Some("a plain -2 sets the number -2; to subtract 2, write agents.team.staffing=+-2")
        );
        for none in [
            "agents.team.staffing=2",
            "agents.team.staffing=+-2",
            "name=-x",
        ] {
            assert_eq!(none.parse::<Override>().unwrap().hint(), None, "{none}");
        }
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

    #[test]
    fn quoted_names_hold_dots_and_equals_signs() {
        let mut t = table(
            r#"
            [[queues]]
            name = "a.b"
            [[queues]]
            name = "x=y"
            [[queues]]
            name = "0"
            [[queues]]
            name = "it's"
        "#,
        );
        let o: Override = r#"queues."a.b".priority=2"#.parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[0].priority");
        let o: Override = "queues.'x=y'.priority = 3".parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[1].priority");
        // Quoted, "0" is a name, not the first position.
        let o: Override = r#"queues."0".priority=4"#.parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[2].priority");
        let o: Override = r#"queues . "it's" . priority=5"#.parse().unwrap();
        assert_eq!(o.apply(&mut t).unwrap().to_string(), "queues[3].priority");
        let o: Override = r#"queues."a.c".priority=1"#.parse().unwrap();
        let e = o.apply(&mut t).unwrap_err();
        assert!(
            e.starts_with(r#"queues."a.c".priority=1: no queue named "a.c""#),
            "{e}"
        );
        for bad in [
            r#"queues."a.b.priority=1"#,
            r#"queues."a"b.priority=1"#,
            r#"queues."a\x".p=1"#,
        ] {
            assert!(bad.parse::<Override>().is_err(), "{bad}");
        }
        let o: Override = r#"queues."q\"\\".priority=1"#.parse().unwrap();
        assert_eq!(o.path[1], "q\"\\");
    }
}
