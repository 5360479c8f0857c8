//! Date validity: the formats CRMs and spreadsheets write, and dates that cannot be.
//!
//! ## What it does
//! Reads ISO 8601 (`2026-03-01`, with `T` or a space and a time, seconds, fractions, `Z` or
//! an offset), `M/D/YYYY` and `M/D/YY` with an optional `h:mm` and AM/PM, `D.M.YYYY`,
//! `YYYY/MM/DD` and epoch milliseconds (13 digits, as HubSpot's API writes them). A slash
//! date is read both ways, month first and day first: the column's values decide which
//! (see `freshness`), since `03/04/2026` alone cannot. Impossible dates (`2/29/2023`, month
//! 13) and years before 1900 are invalid. The time of day and the offset are checked for
//! form and then dropped: freshness is counted in days.
//!
//! ## Why is this bad?
//! A model reads an unparseable date as missing and an impossible one as noise; a column
//! read with the wrong day/month order shifts every recency feature by months.
//!
//! ## Example
//! `2024-02-29T10:00:00Z`, `2/29/2024 3:15 PM`, `29.02.2024` and `1709200800000` are the same
//! day; `2/29/2023` is `impossible_date`, `1899-12-31` is `before_1900`, `soon` is
//! `not_a_date`.

use chrono::{Datelike, NaiveDate};

use super::validity::Invalid;

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

/// A value read as a date: days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRead {
    /// A form with one reading.
    Fixed(Result<i32, Invalid>),
    /// `a/b/yyyy`: read month first and day first; `a` and `b` as written.
    Slash {
        month_first: Result<i32, Invalid>,
        day_first: Result<i32, Invalid>,
        a: u32,
        b: u32,
    },
}

/// Days since 1970-01-01 of a calendar date, or why it is none.
pub fn days(year: i32, month: u32, day: u32) -> Result<i32, Invalid> {
    if year < 1900 {
        return Err(Invalid::Before1900);
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .map(|d| d.num_days_from_ce() - UNIX_EPOCH_CE_DAYS)
        .ok_or(Invalid::ImpossibleDate)
}

fn number(part: &str, max_len: usize) -> Option<u32> {
    (!part.is_empty() && part.len() <= max_len && part.bytes().all(|b| b.is_ascii_digit()))
        .then(|| part.parse().ok())
        .flatten()
}

/// Whether what follows the date is a time of day: `10:00`, `10:00:00.123Z`,
/// `3:15 PM`, `10:00+02:00`.
fn is_time(rest: &str) -> bool {
    let rest = rest.trim();
    if rest.is_empty() {
        return true;
    }
    let (clock, twelve) = match rest
        .strip_suffix("AM")
        .or_else(|| rest.strip_suffix("PM"))
        .or_else(|| rest.strip_suffix("am"))
        .or_else(|| rest.strip_suffix("pm"))
    {
        Some(clock) => (clock.trim_end(), true),
        None => (rest, false),
    };
    // The offset: `Z`, `+02:00`, `-0500`.
    let clock = clock.strip_suffix(['Z', 'z']).unwrap_or(clock);
    let clock = match clock.rfind(['+', '-']) {
        Some(at) if at > 0 => {
            let offset = clock[at + 1..].replace(':', "");
            if !(offset.len() == 4 || offset.len() == 2) || number(&offset, 4).is_none() {
                return false;
            }
            clock[..at].trim_end()
        }
        _ => clock,
    };
    let mut parts = clock.split(':');
    let (Some(h), Some(m)) = (parts.next(), parts.next()) else {
        return false;
    };
    let seconds_ok = match parts.next() {
        None => true,
        Some(s) => {
            let whole = s.split(['.', ',']).next().unwrap_or_default();
            number(whole, 2).is_some_and(|s| s <= 60)
                && s[whole.len()..]
                    .get(1..)
                    .is_none_or(|f| f.bytes().all(|b| b.is_ascii_digit()))
        }
    };
    let hour_max = if twelve { 12 } else { 23 };
    parts.next().is_none()
        && seconds_ok
        && number(h, 2).is_some_and(|h| h <= hour_max && (!twelve || h >= 1))
        && number(m, 2).is_some_and(|m| m <= 59)
}

/// A two-digit year as spreadsheets read it: `29` is 2029, `30` is 1930.
fn full_year(year: &str) -> Option<i32> {
    let y = number(year, 4)? as i32;
    match year.len() {
        4 => Some(y),
        2 if y < 30 => Some(2000 + y),
        2 => Some(1900 + y),
        _ => None,
    }
}

/// Reads one filled, trimmed value.
pub fn read(value: &str) -> DateRead {
    use DateRead::Fixed;
    let bad = Fixed(Err(Invalid::NotADate));
    if value.len() == 13 && value.bytes().all(|b| b.is_ascii_digit()) {
        let millis: i64 = value.parse().unwrap_or(0);
        let days = millis.div_euclid(86_400_000) as i32;
        return Fixed(if days < -25_567 {
            Err(Invalid::Before1900)
        } else {
            Ok(days)
        });
    }
    let split = value.find(['T', ' ']).unwrap_or(value.len());
    let (date, time) = value.split_at(split);
    // `11/28/2026, 9:14 AM`: the form Salesforce's reports write (ICU's date, time).
    let date = date.strip_suffix(',').unwrap_or(date);
    let time = time.get(1..).unwrap_or_default();
    if !is_time(time) {
        return bad;
    }
    let separator = match date.bytes().find(|b| !b.is_ascii_digit()) {
        Some(b @ (b'-' | b'/' | b'.')) => b as char,
        _ => return bad,
    };
    let parts: Vec<&str> = date.split(separator).collect();
    let [p1, p2, p3] = parts[..] else {
        return bad;
    };
    if p1.len() == 4 && separator != '.' {
        // `2026-03-01`, `2026/03/01`.
        return match (full_year(p1), number(p2, 2), number(p3, 2)) {
            (Some(y), Some(m), Some(d)) => Fixed(days(y, m, d)),
            _ => bad,
        };
    }
    let (Some(a), Some(b), Some(year)) = (number(p1, 2), number(p2, 2), full_year(p3)) else {
        return bad;
    };
    match separator {
        // `1.3.2026` is day first wherever it is written.
        '.' if p3.len() == 4 => Fixed(days(year, b, a)),
        '/' => DateRead::Slash {
            month_first: days(year, a, b),
            day_first: days(year, b, a),
            a,
            b,
        },
        _ => bad,
    }
}

/// The date of `days` since 1970-01-01, as `YYYY-MM-DD`.
pub fn iso(days: i32) -> String {
    NaiveDate::from_num_days_from_ce_opt(days + UNIX_EPOCH_CE_DAYS)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(value: &str) -> Result<i32, Invalid> {
        match read(value) {
            DateRead::Fixed(r) => r,
            other => panic!("{value}: {other:?}"),
        }
    }

    fn month_first(value: &str) -> Result<i32, Invalid> {
        match read(value) {
            DateRead::Slash { month_first, .. } => month_first,
            other => panic!("{value}: {other:?}"),
        }
    }

    #[test]
    fn one_day_in_every_form() {
        let leap = days(2024, 2, 29).unwrap();
        assert_eq!(iso(leap), "2024-02-29");
        for v in [
            "2024-02-29",
            "2024-02-29T10:00:00Z",
            "2024-02-29T10:00:00.123+02:00",
            "2024-02-29 10:00",
            "2024-02-29 10:00:00-0500",
            "2024/02/29",
            "29.02.2024",
            "29.2.2024 10:00",
            "1709200800000",
        ] {
            assert_eq!(fixed(v), Ok(leap), "{v}");
        }
        for v in [
            "2/29/2024",
            "02/29/2024 3:15 PM",
            "2/29/24",
            "2/29/2024 15:15",
        ] {
            assert_eq!(month_first(v), Ok(leap), "{v}");
        }
    }

    #[test]
    fn impossible_and_unreadable_dates() {
        assert_eq!(month_first("2/29/2023"), Err(Invalid::ImpossibleDate));
        assert_eq!(month_first("13/01/2026"), Err(Invalid::ImpossibleDate));
        assert_eq!(fixed("2026-13-01"), Err(Invalid::ImpossibleDate));
        assert_eq!(fixed("1899-12-31"), Err(Invalid::Before1900));
        for v in [
            "soon",
            "2026-03",
            "03-01-2026x",
            "2026-03-01T25:00",
            "2026-03-01 10:61",
            "3/1/2026 13:00 PM",
            "12345",
            "2026-03-01 lunch",
        ] {
            assert_eq!(read(v), DateRead::Fixed(Err(Invalid::NotADate)), "{v}");
        }
    }

    #[test]
    fn slash_dates_are_read_both_ways() {
        let DateRead::Slash {
            month_first,
            day_first,
            ..
        } = read("03/04/2026")
        else {
            panic!()
        };
        assert_eq!(month_first.map(iso), Ok("2026-03-04".to_owned()));
        assert_eq!(day_first.map(iso), Ok("2026-04-03".to_owned()));
        let DateRead::Slash { day_first, .. } = read("25/12/2025") else {
            panic!()
        };
        assert_eq!(day_first.map(iso), Ok("2025-12-25".to_owned()));
    }
}
