//! Exact `f64` figures in JSON, undefined ones included: a serde `with`
//! module for `f64` and for arrays and vectors of them.
//!
//! A replication's figures are `NaN` where they are undefined (ASA with no
//! call answered, say). serde_json writes `NaN` and the infinities as `null`
//! and cannot read `null` back into an `f64`, so a shard file would lose
//! them or fail to load. Here `NaN` is written as `null`, `+∞` and `−∞` as
//! the strings `"inf"` and `"-inf"`, and every finite value as serde_json's
//! shortest round-trip number; with serde_json's `float_roundtrip` feature
//! reading gives back the same bits (subnormals and `-0.0` included). Only
//! a `NaN`'s payload is not kept: nothing reads it, every report treats all
//! `NaN`s alike as undefined.
//!
//! Use as `#[serde(with = "crate::serde_f64")]` on a field of type `f64`,
//! `[f64; N]`, `Vec<f64>` or `Vec<[f64; N]>`.

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, SerializeTuple, Serializer};
use std::fmt;
use std::marker::PhantomData;

/// A shape of `f64` values this module writes and reads.
pub trait Floats: Sized {
    /// Writes the value(s), `NaN` as `null`.
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error>;
    /// Reads what [`write`](Self::write) wrote.
    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error>;
}

/// For `#[serde(with = "crate::serde_f64")]`.
pub fn serialize<T: Floats, S: Serializer>(value: &T, s: S) -> Result<S::Ok, S::Error> {
    value.write(s)
}

/// For `#[serde(with = "crate::serde_f64")]`.
pub fn deserialize<'de, T: Floats, D: Deserializer<'de>>(d: D) -> Result<T, D::Error> {
    T::read(d)
}

/// Serializes an element through [`Floats`].
struct Out<'a, T>(&'a T);

impl<T: Floats> Serialize for Out<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(s)
    }
}

/// Deserializes an element through [`Floats`].
struct In<T>(T);

impl<'de, T: Floats> Deserialize<'de> for In<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::read(d).map(In)
    }
}

const INF: &str = "inf";
const NEG_INF: &str = "-inf";

impl Floats for f64 {
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_nan() {
            s.serialize_none()
        } else if self.is_infinite() {
            s.serialize_str(if *self > 0.0 { INF } else { NEG_INF })
        } else {
            s.serialize_f64(*self)
        }
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, null (undefined), \"inf\" or \"-inf\"")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<f64, E> {
                Ok(v)
            }
            // Whole numbers come as integers from a hand-written file; only
            // those a `f64` holds exactly are accepted, so nothing is rounded.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<f64, E> {
                let x = v as f64;
                if x < 9_007_199_254_740_992.0 {
                    Ok(x)
                } else {
                    Err(E::custom(format!("{v} is too large to be held exactly")))
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<f64, E> {
                let x = v as f64;
                if x.abs() < 9_007_199_254_740_992.0 {
                    Ok(x)
                } else {
                    Err(E::custom(format!("{v} is too large to be held exactly")))
                }
            }
            fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
                Ok(f64::NAN)
            }
            fn visit_none<E: de::Error>(self) -> Result<f64, E> {
                Ok(f64::NAN)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<f64, E> {
                match v {
                    INF => Ok(f64::INFINITY),
                    NEG_INF => Ok(f64::NEG_INFINITY),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl<T: Floats, const N: usize> Floats for [T; N] {
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut t = s.serialize_tuple(N)?;
        for x in self {
            t.serialize_element(&Out(x))?;
        }
        t.end()
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T, const N: usize>(PhantomData<T>);
        impl<'de, T: Floats, const N: usize> Visitor<'de> for V<T, N> {
            type Value = [T; N];
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "a list of {N} values")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<[T; N], A::Error> {
                let mut v = Vec::with_capacity(N);
                while let Some(In(x)) = seq.next_element::<In<T>>()? {
                    if v.len() == N {
                        return Err(de::Error::invalid_length(N + 1, &self));
                    }
                    v.push(x);
                }
                let found = v.len();
                v.try_into()
                    .map_err(|_| de::Error::invalid_length(found, &self))
            }
        }
        d.deserialize_seq(V::<T, N>(PhantomData))
    }
}

impl<T: Floats> Floats for Vec<T> {
    fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(Out))
    }

    fn read<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Vec::<In<T>>::deserialize(d)?;
        Ok(v.into_iter().map(|In(x)| x).collect())
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Serialize, Deserialize, Debug)]
    struct Figures {
        #[serde(with = "super")]
        one: f64,
        #[serde(with = "super")]
        array: [f64; 3],
        #[serde(with = "super")]
        rows: Vec<[f64; 2]>,
    }

    /// Equal bits, or both `NaN`.
    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn awkward_values_round_trip_bit_exactly() {
        let values = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -0.0,
            0.0,
            5e-324,                                // smallest subnormal
            f64::from_bits(0x000f_ffff_ffff_ffff), // largest subnormal
            0.1 + 0.2,
            1e300,
            f64::MAX,
            f64::MIN_POSITIVE,
            1.0 / 3.0,
        ];
        for &x in &values {
            let f = Figures {
                one: x,
                array: [x, -x, x * 0.5],
                rows: vec![[x, 1.0], [2.0, x]],
            };
            let json = serde_json::to_string(&f).unwrap();
            let back: Figures = serde_json::from_str(&json).unwrap();
            assert!(same(back.one, f.one), "{x:e}: {json}");
            for (a, b) in back.array.iter().zip(&f.array) {
                assert!(same(*a, *b), "{x:e}: {json}");
            }
            for (ra, rb) in back.rows.iter().zip(&f.rows) {
                for (a, b) in ra.iter().zip(rb) {
                    assert!(same(*a, *b), "{x:e}: {json}");
                }
            }
        }
    }

    #[test]
    fn undefined_is_null_and_lengths_are_checked() {
        let f = Figures {
            one: f64::NAN,
            array: [1.0, f64::NAN, f64::INFINITY],
            rows: vec![],
        };
        let json = serde_json::to_string(&f).unwrap();
        assert_eq!(json, r#"{"one":null,"array":[1.0,null,"inf"],"rows":[]}"#);
        let short = r#"{"one":1,"array":[1.0,2.0],"rows":[]}"#;
        assert!(serde_json::from_str::<Figures>(short).is_err());
        let long = r#"{"one":1,"array":[1.0,2.0,3.0,4.0],"rows":[]}"#;
        assert!(serde_json::from_str::<Figures>(long).is_err());
        let word = r#"{"one":"nan","array":[1.0,2.0,3.0],"rows":[]}"#;
        assert!(serde_json::from_str::<Figures>(word).is_err());
        let whole = r#"{"one":3,"array":[1,-2,3.5],"rows":[[1,2]]}"#;
        let back: Figures = serde_json::from_str(whole).unwrap();
        assert_eq!(
            (back.one, back.array, back.rows),
            (3.0, [1.0, -2.0, 3.5], vec![[1.0, 2.0]])
        );
    }
}
