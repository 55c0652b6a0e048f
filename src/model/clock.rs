//! Clock time (SPEC §8): `"08:00"` in scenario files, and the clock time
//! every output shows for an interval. The engine's clock counts seconds
//! from the start of the horizon; `horizon.start` says what the wall clock
//! shows then.

/// Seconds in a day.
pub const DAY: f64 = 86_400.0;

/// Parses `"HH:MM"` or `"HH:MM:SS"` (00:00 to 24:00) into seconds after
/// midnight.
pub fn parse_clock(s: &str) -> Result<f64, String> {
    let bad = || format!("invalid clock time {s:?}: expected \"HH:MM\", e.g. \"08:30\"");
    let parts: Vec<&str> = s.trim().split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let n: Vec<u32> = parts.iter().map(|p| p.parse().unwrap_or(99)).collect();
    let (h, m, sec) = (n[0], n[1], n.get(2).copied().unwrap_or(0));
    if m > 59 || sec > 59 || h > 24 || (h == 24 && (m, sec) != (0, 0)) {
        return Err(bad());
    }
    Ok(f64::from(h * 3600 + m * 60 + sec))
}

/// The clock time `secs` after midnight: `"08:30"`, with seconds when
/// there are any (`"08:30:15"`). Past midnight the hours go on (`"25:30"`
/// is 01:30 the next day), as workforce tools show a day that runs late,
/// so labels stay in order over a horizon longer than a day.
pub fn format_clock(secs: f64) -> String {
    let total = secs.round().max(0.0) as u64;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if s == 0 {
        format!("{h:02}:{m:02}")
    } else {
        format!("{h:02}:{m:02}:{s:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_times_round_trip() {
        for (text, secs) in [("00:00", 0.0), ("08:30", 30600.0), ("24:00", DAY)] {
            assert_eq!(parse_clock(text), Ok(secs));
            assert_eq!(format_clock(secs), text);
        }
        assert_eq!(parse_clock("17:05:30"), Ok(61530.0));
        assert_eq!(format_clock(61530.0), "17:05:30");
        assert_eq!(format_clock(DAY + 5400.0), "25:30");
        for bad in ["8:00", "24:01", "12:60", "12", "ab:cd", "12:00:00:00", ""] {
            assert!(parse_clock(bad).is_err(), "{bad}");
        }
    }
}
