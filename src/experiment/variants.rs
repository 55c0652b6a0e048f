//! The variants an experiment runs, as a command line gives them: named
//! sets of `--set`-style changes (`NAME:KEY=VALUE,...`), or a grid of
//! values for some keys (`KEY=V1,V2,...`, every combination).

use crate::model::Override;

/// Splits on commas outside brackets, braces and quotes, so that list and
/// table values keep theirs.
fn split_top_level(s: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut quoted = false;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' | '{' if !quoted => depth += 1,
            ']' | '}' if !quoted => depth -= 1,
            ',' if depth == 0 && !quoted => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// A named variant: `NAME:KEY=VALUE,KEY=VALUE,...`.
#[derive(Clone, Debug)]
pub struct VariantSpec {
    pub name: String,
    pub changes: Vec<Override>,
}

impl std::str::FromStr for VariantSpec {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, rest) = s.split_once(':').ok_or_else(|| {
            format!(
                "{s:?} is not NAME:KEY=VALUE,... (e.g. early:queues.sales.callback.offer_after=30s)"
            )
        })?;
        let name = name.trim();
        if name.is_empty() {
            return Err(format!("{s:?}: the variant needs a name before ':'"));
        }
        let changes = split_top_level(rest)
            .iter()
            .map(|c| c.parse::<Override>())
            .collect::<Result<Vec<_>, _>>()?;
        Ok(VariantSpec {
            name: name.to_string(),
            changes,
        })
    }
}

/// A key and the values a sweep gives it: `KEY=V1,V2,...`.
#[derive(Clone, Debug)]
pub struct Vary {
    pub key: String,
    pub values: Vec<String>,
}

impl std::str::FromStr for Vary {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let (key, values) = s.split_once('=').ok_or_else(|| {
            format!(
                "{s:?} is not KEY=V1,V2,... (e.g. queues.sales.callback.offer_after=30s,60s,90s)"
            )
        })?;
        let values = split_top_level(values);
        if values.iter().any(String::is_empty) {
            return Err(format!("{s:?}: empty value in the list"));
        }
        Ok(Vary {
            key: key.trim().to_string(),
            values,
        })
    }
}

/// One point of a sweep: a value for each varied key.
pub type Point = Vec<(String, String)>;

/// Every combination of the varied values, the first key varying slowest.
/// A key varied twice, or a value listed twice, is an error.
pub fn grid(vary: &[Vary]) -> Result<Vec<Point>, String> {
    for (i, v) in vary.iter().enumerate() {
        if vary[..i].iter().any(|w| w.key == v.key) {
            return Err(format!("--vary {}: the key is varied twice", v.key));
        }
        if let Some((_, dup)) = v
            .values
            .iter()
            .enumerate()
            .find(|(j, x)| v.values[..*j].contains(x))
        {
            return Err(format!("--vary {}: the value {dup} is listed twice", v.key));
        }
    }
    Ok(vary.iter().fold(vec![Vec::new()], |acc, v| {
        acc.iter()
            .flat_map(|p| {
                v.values.iter().map(move |val| {
                    let mut q = p.clone();
                    q.push((v.key.clone(), val.clone()));
                    q
                })
            })
            .collect()
    }))
}

/// A point's name: each key's last part and its value.
pub fn point_name(point: &Point) -> String {
    point
        .iter()
        .map(|(k, v)| format!("{}={v}", k.rsplit('.').next().unwrap_or(k)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A point's changes to the scenario.
pub fn point_changes(point: &Point) -> Result<Vec<Override>, String> {
    point
        .iter()
        .map(|(k, v)| format!("{k}={v}").parse::<Override>())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commas_inside_lists_are_kept() {
        assert_eq!(
            split_top_level("a=1,b=[1, 2],c={ x = 1, y = 2 }"),
            vec!["a=1", "b=[1, 2]", "c={ x = 1, y = 2 }"]
        );
        assert_eq!(split_top_level("30s,60s"), vec!["30s", "60s"]);
    }

    #[test]
    fn grid_is_every_combination() {
        let vary = vec![
            "a=1,2".parse::<Vary>().unwrap(),
            "b=x,y,z".parse::<Vary>().unwrap(),
        ];
        let g = grid(&vary).unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(
            g[0],
            vec![("a".into(), "1".into()), ("b".into(), "x".into())]
        );
        assert_eq!(
            g[5],
            vec![("a".into(), "2".into()), ("b".into(), "z".into())]
        );
        assert_eq!(point_name(&g[5]), "a=2 b=z");
        let twice = vec!["a=1,2".parse::<Vary>().unwrap(), "a=3".parse().unwrap()];
        assert!(grid(&twice).is_err());
        assert!(grid(&["a=1,1".parse::<Vary>().unwrap()]).is_err());
    }

    #[test]
    fn variant_specs_parse() {
        let v: VariantSpec = "early:queues.q.callback.offer_after=30s,run.replications=5"
            .parse()
            .unwrap();
        assert_eq!(v.name, "early");
        assert_eq!(v.changes.len(), 2);
        assert!("nocolon".parse::<VariantSpec>().is_err());
        assert!(":a=1".parse::<VariantSpec>().is_err());
    }
}
