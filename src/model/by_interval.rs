//! A value for the whole day or one per interval: a queue's handle time,
//! patience and wrap-up may change over the day (SPEC §11, "Demand").

use serde::Serialize;

/// One value for every interval, or one per interval (exactly as many as
/// the horizon has, checked at validation). A day value serializes as the
/// value itself, so a model without per-interval lists keeps its form.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum ByInterval<T> {
    Day(T),
    PerInterval(Vec<T>),
}

impl<T> ByInterval<T> {
    /// The value in interval `k`.
    #[inline(always)]
    pub fn at(&self, k: usize) -> &T {
        match self {
            ByInterval::Day(v) => v,
            ByInterval::PerInterval(v) => &v[k],
        }
    }

    /// Every distinct value given: the day's one, or one per interval.
    pub fn values(&self) -> &[T] {
        match self {
            ByInterval::Day(v) => std::slice::from_ref(v),
            ByInterval::PerInterval(v) => v,
        }
    }

    /// The day's value, if the same holds in every interval.
    pub fn day(&self) -> Option<&T> {
        match self {
            ByInterval::Day(v) => Some(v),
            ByInterval::PerInterval(_) => None,
        }
    }
}

impl<T> From<T> for ByInterval<T> {
    fn from(v: T) -> Self {
        ByInterval::Day(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_and_values() {
        let day = ByInterval::Day(3);
        assert_eq!((*day.at(0), *day.at(7)), (3, 3));
        assert_eq!(day.values(), &[3]);
        let per = ByInterval::PerInterval(vec![1, 2]);
        assert_eq!((*per.at(0), *per.at(1)), (1, 2));
        assert_eq!(per.day(), None);
        assert_eq!(serde_json::to_string(&day).unwrap(), "3");
        assert_eq!(serde_json::to_string(&per).unwrap(), "[1,2]");
    }
}
