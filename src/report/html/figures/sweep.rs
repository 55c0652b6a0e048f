//! A sweep's figures against the varied value: which varied key goes
//! along the x axis (numbers or durations on a numeric axis, anything else
//! as categories), and a line per combination of the other keys' values.

use super::compare::ByVariant;
use crate::experiment::variants::{Point, Vary};
use crate::model::parse_duration;
use crate::report::html::charts::{SweepLine, XValues};

/// The x axis of a sweep's charts: the key along it, its values, and the
/// lines: each a label (the other keys' values) and its points, as (index
/// into the x values, variant).
pub struct SweepAxis {
    pub key: String,
    pub x: XValues,
    pub lines: Vec<(String, Vec<(usize, usize)>)>,
}

/// The values as numbers (durations in seconds), if every one is one.
fn numeric(values: &[String]) -> Option<Vec<f64>> {
    values.iter().map(|v| parse_duration(v).ok()).collect()
}

/// The last part of a dotted key.
fn short_key(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The axis for the sweep of `vary` whose variants are `points`, in order:
/// the key with the most values among those whose values are all numbers
/// (or, if none is, among all keys), the first on a tie. `None` when no key
/// takes two values or the points do not match the grid.
pub fn sweep_axis(vary: &[Vary], points: &[Point]) -> Option<SweepAxis> {
    let candidates = |numeric_only: bool| {
        vary.iter()
            .enumerate()
            .filter(|(_, v)| v.values.len() >= 2)
            .filter(|(_, v)| !numeric_only || numeric(&v.values).is_some())
            .fold(None, |best: Option<(usize, &Vary)>, (i, v)| match best {
                Some((_, b)) if b.values.len() >= v.values.len() => best,
                _ => Some((i, v)),
            })
    };
    let (xi, xv) = candidates(true).or_else(|| candidates(false))?;
    let x = match numeric(&xv.values) {
        Some(at) => XValues::Numeric {
            at,
            labels: xv.values.clone(),
        },
        None => XValues::Categories(xv.values.clone()),
    };
    let mut lines: Vec<(String, Vec<(usize, usize)>)> = Vec::new();
    for (v, point) in points.iter().enumerate() {
        let (_, value) = point.get(xi).filter(|(k, _)| *k == xv.key)?;
        let at = xv.values.iter().position(|x| x == value)?;
        let label = point
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != xi)
            .map(|(_, (k, val))| format!("{}={val}", short_key(k)))
            .collect::<Vec<_>>()
            .join(" ");
        match lines.iter_mut().find(|(l, _)| *l == label) {
            Some((_, pts)) => pts.push((at, v)),
            None => lines.push((label, vec![(at, v)])),
        }
    }
    Some(SweepAxis {
        key: xv.key.clone(),
        x,
        lines,
    })
}

/// A figure across the variants as lines along the sweep's axis, coloured
/// by `pal` (one colour per line).
pub fn sweep_lines(axis: &SweepAxis, by: &ByVariant, pal: &[String]) -> Vec<SweepLine> {
    axis.lines
        .iter()
        .zip(pal)
        .map(|((_, pts), color)| SweepLine {
            color: color.clone(),
            points: pts
                .iter()
                .map(|&(x, v)| (x, by.rows.get(v).and_then(|r| r.value)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vary(s: &str) -> Vary {
        s.parse().unwrap()
    }

    #[test]
    fn the_numeric_key_with_most_values_goes_along_x() {
        let v = vec![
            vary("queues.q.callback.position=keep,back"),
            vary("queues.q.callback.offer_after=30s,1m,90s"),
            vary("queues.q.callback.accept_probability=0.3,0.6"),
        ];
        let points = crate::experiment::variants::grid(&v).unwrap();
        let a = sweep_axis(&v, &points).unwrap();
        assert_eq!(a.key, "queues.q.callback.offer_after");
        match &a.x {
            XValues::Numeric { at, labels } => {
                assert_eq!(at, &[30.0, 60.0, 90.0]);
                assert_eq!(labels[1], "1m");
            }
            XValues::Categories(_) => panic!("durations are numbers"),
        }
        assert_eq!(a.lines.len(), 4);
        assert_eq!(a.lines[0].0, "position=keep accept_probability=0.3");
        assert_eq!(a.lines[0].1, [(0, 0), (1, 2), (2, 4)]);

        let v = vec![vary("queues.q.callback.position=keep,back")];
        let points = crate::experiment::variants::grid(&v).unwrap();
        let a = sweep_axis(&v, &points).unwrap();
        assert!(matches!(a.x, XValues::Categories(_)));
        assert_eq!(a.lines.len(), 1);
        assert!(sweep_axis(&[vary("a=1")], &[vec![("a".into(), "1".into())]]).is_none());
    }
}
