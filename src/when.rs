//! The report's clock: when it was made (`SOURCE_DATE_EPOCH` fixes it, so the same input
//! gives the same bytes) and the day the data is judged as of (`--as-of`).

use std::time::{SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch: `SOURCE_DATE_EPOCH` when set, else now.
pub fn now_seconds() -> i64 {
    if let Some(fixed) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
    {
        return fixed;
    }
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Days since 1970-01-01 of a civil date (`days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `2026-11-28T08:13:23Z`.
pub fn rfc3339(seconds: i64) -> String {
    let (y, mo, d) = civil_from_days(seconds.div_euclid(86_400));
    let s = seconds.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// `2026-11-28`.
pub fn date(seconds: i64) -> String {
    rfc3339(seconds)[..10].to_owned()
}

/// A `YYYY-MM-DD` date that exists in the calendar, as given to `--as-of`.
pub fn parse_date(text: &str) -> Result<String, String> {
    let bad = || format!("{text:?} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-28");
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (year, month, day) = (
        y.parse::<i64>().map_err(|_| bad())?,
        m.parse::<u32>().map_err(|_| bad())?,
        d.parse::<u32>().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(bad());
    }
    // A day that does not exist (2026-02-30) does not survive the round trip.
    if civil_from_days(days_from_civil(year, month, day)) != (year, month, day) {
        return Err(bad());
    }
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        // 2026-11-28 08:13:23 UTC, worked out as 20,785 days and 29,603 seconds.
        assert_eq!(rfc3339(20_785 * 86_400 + 29_603), "2026-11-28T08:13:23Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn dates_must_exist() {
        assert_eq!(parse_date("2026-11-28").as_deref(), Ok("2026-11-28"));
        assert_eq!(parse_date("2024-02-29").as_deref(), Ok("2024-02-29"));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "28/11/2026",
            "2026-1-5",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }
}
