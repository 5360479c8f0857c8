//! Number validity: amounts, counts and scores as CRMs and spreadsheets write them.
//!
//! ## What it does
//! Accepts digits with optional thousands separators (`,`, `.`, a space or a thin space,
//! one kind per value, groups of three), a decimal part, a sign or accounting parentheses,
//! scientific notation (`1.2E+06`, as spreadsheets write large numbers), and a currency
//! symbol or ISO code before or after (`$1,200.50`, `1.200,50 EUR`). Fields that count or
//! measure something real (`employee_count`, `annual_revenue`, `amount`) must not be
//! negative.
//!
//! ## Why is this bad?
//! `fifty`, `10-50` or `-3` employees fill the field and break every size band a model or a
//! territory rule is built on.
//!
//! ## Example
//! `$1,200.50`, `1.200,50 EUR`, `1 200`, `(300)` and `4.5E+06` are numbers; `10-50` and
//! `fifty` are `not_a_number`, `1,20,0` is `bad_grouping`, `-3` employees is `negative`.

use super::validity::Invalid;

const CURRENCY_SYMBOLS: &[char] = &['$', '€', '£', '¥', '₹', '₩', '₽', '₺', '¢', '₪'];

/// Strips a currency symbol or a three-letter code at either end.
fn strip_currency(value: &str) -> &str {
    let value = value.trim_matches(CURRENCY_SYMBOLS).trim();
    let code = |s: &str| s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase());
    if let Some((head, tail)) = value.split_once(' ') {
        if code(head) {
            return tail.trim_start_matches(CURRENCY_SYMBOLS).trim();
        }
        if let Some((rest, last)) = value.rsplit_once(' ')
            && code(last)
        {
            return rest.trim_end_matches(CURRENCY_SYMBOLS).trim();
        }
    }
    // `USD1200`, `1200USD`.
    if value.len() > 3 {
        if value.is_char_boundary(3) && code(&value[..3]) {
            return value[3..].trim_start_matches(CURRENCY_SYMBOLS);
        }
        let at = value.len() - 3;
        if value.is_char_boundary(at) && code(&value[at..]) {
            return value[..at].trim_end_matches(CURRENCY_SYMBOLS);
        }
    }
    value
}

/// Whether `groups` (split at a thousands separator) are 1-3 digits, then threes; or, as in
/// India (`12,34,567`), 1-2 digits, then twos, then a last three.
fn grouped(groups: &[&str]) -> bool {
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let western = groups
        .first()
        .is_some_and(|g| (1..=3).contains(&g.len()) && digits(g))
        && groups[1..].iter().all(|g| g.len() == 3 && digits(g));
    let indian = groups.len() >= 3
        && groups
            .first()
            .is_some_and(|g| (1..=2).contains(&g.len()) && digits(g))
        && groups[1..groups.len() - 1]
            .iter()
            .all(|g| g.len() == 2 && digits(g))
        && groups.last().is_some_and(|g| g.len() == 3 && digits(g));
    western || indian
}

/// The value as a number, or why it is none.
pub fn check(value: &str) -> Result<f64, Invalid> {
    // A percentage is a number (`75%`, a probability).
    let value = value.trim();
    let value = value.strip_suffix('%').map_or(value, str::trim_end);
    let mut text = strip_currency(value).trim();
    let mut negative = false;
    if let Some(inner) = text.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
        negative = true;
        text = strip_currency(inner.trim()).trim();
    }
    if let Some(rest) = text
        .strip_prefix('-')
        .or_else(|| text.strip_prefix('\u{2212}'))
    {
        negative = true;
        text = strip_currency(rest.trim()).trim();
    } else if let Some(rest) = text.strip_prefix('+') {
        text = rest;
    }
    if text.is_empty() {
        return Err(Invalid::NotANumber);
    }
    // Scientific notation has no separators.
    if text.contains(['e', 'E']) {
        return match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(if negative { -x } else { x }),
            _ => Err(Invalid::NotANumber),
        };
    }
    if !text.chars().all(|c| {
        c.is_ascii_digit()
            || matches!(
                c,
                ',' | '.' | ' ' | '\'' | '’' | '\u{2009}' | '\u{202f}' | '\u{a0}'
            )
    }) {
        return Err(Invalid::NotANumber);
    }
    // The decimal separator is the last `.` or `,` when both kinds appear, or a lone one
    // not followed by exactly three digits (`1.5`, `0,25`).
    let dots = text.matches('.').count();
    let commas = text.matches(',').count();
    let decimal = match (dots, commas) {
        (0, 0) => None,
        (_, 0) | (0, _) => {
            let sep = if dots > 0 { '.' } else { ',' };
            let count = dots.max(commas);
            let after = text.rsplit(sep).next().unwrap_or_default();
            (count == 1 && after.len() != 3).then_some(sep)
        }
        _ => text
            .rfind(['.', ','])
            .map(|at| text[at..].chars().next().unwrap_or('.')),
    };
    let (whole, fraction) = match decimal {
        Some(sep) => text.rsplit_once(sep).unwrap_or((text, "")),
        None => (text, ""),
    };
    if !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::BadGrouping);
    }
    let thousands: Vec<char> = whole.chars().filter(|c| !c.is_ascii_digit()).collect();
    if let Some(&sep) = thousands.first() {
        if thousands.iter().any(|c| *c != sep) {
            return Err(Invalid::BadGrouping);
        }
        let groups: Vec<&str> = whole.split(sep).collect();
        if !grouped(&groups) {
            return Err(Invalid::BadGrouping);
        }
    }
    if whole.is_empty() && fraction.is_empty() {
        return Err(Invalid::NotANumber);
    }
    // Only the sign and the size matter to the checks: f64 arithmetic is exact enough.
    let mut x = 0.0f64;
    for b in whole.bytes().filter(u8::is_ascii_digit) {
        x = x * 10.0 + f64::from(b - b'0');
    }
    let mut scale = 0.1;
    for b in fraction.bytes() {
        x += f64::from(b - b'0') * scale;
        scale /= 10.0;
    }
    Ok(if negative { -x } else { x })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_write_them() {
        for (v, x) in [
            ("1200", 1200.0),
            ("$1,200.50", 1200.5),
            ("1.200,50 EUR", 1200.5),
            ("EUR 1.200,50", 1200.5),
            ("1 200", 1200.0),
            ("1\u{202f}200\u{202f}000", 1_200_000.0),
            ("1,200", 1200.0),
            ("1.5", 1.5),
            ("0,25", 0.25),
            ("(300)", -300.0),
            ("-3", -3.0),
            ("4.5E+06", 4_500_000.0),
            ("USD1200", 1200.0),
            ("£ 99", 99.0),
            (".5", 0.5),
            ("75%", 75.0),
            ("₹12,34,567", 1_234_567.0),
            ("1'234", 1234.0),
        ] {
            assert_eq!(check(v), Ok(x), "{v}");
        }
        assert_eq!(check("10-50"), Err(Invalid::NotANumber));
        assert_eq!(check("fifty"), Err(Invalid::NotANumber));
        assert_eq!(check("1,20,0"), Err(Invalid::BadGrouping));
        assert_eq!(check("1,200.000,5"), Err(Invalid::BadGrouping));
        assert_eq!(check("1.200 000"), Err(Invalid::BadGrouping));
        assert_eq!(check("$"), Err(Invalid::NotANumber));
    }
}
