//! Phone validity: a number that could be dialled.
//!
//! ## What it does
//! Removes spaces, dots, dashes, slashes, parentheses, a leading `+` or `00` and an extension
//! (`x12`, `ext. 12`, `#12`), then asks for 7 to 15 digits (E.164 allows 15) that are not one
//! digit repeated.
//!
//! ## Why is this bad?
//! `000-000-0000` fills the field and reaches no one; a dialler or an enrichment vendor
//! rejects it, and duplicate detection on phone numbers merges every such record.
//!
//! ## Example
//! `+1 (415) 555-0100 ext. 12` is valid (`14155550100`); `555-01` is `too_short`,
//! `1111111` is `repeated_digit`, `call me` is `not_a_phone`.

use super::validity::Invalid;

/// The digits of a valid number, or why it is not one.
pub fn check(value: &str) -> Result<String, Invalid> {
    // A number a spreadsheet stored as a float: `4155550100.0`.
    let value = value
        .strip_suffix(".0")
        .filter(|v| v.bytes().all(|b| b.is_ascii_digit()))
        .unwrap_or(value);
    // `(+44) 20 ...`: the country code in parentheses.
    let value = value.trim();
    let owned;
    let value = if value.starts_with("(+") {
        owned = value.replacen("(+", "+", 1).replacen(')', " ", 1);
        owned.as_str()
    } else {
        value
    };
    let lower: std::borrow::Cow<str> = if value.bytes().any(|b| b.is_ascii_uppercase()) {
        value.to_ascii_lowercase().into()
    } else {
        value.into()
    };
    // The extension goes first: `ext. 12`, `x12`, `#12` (most numbers have none: no search).
    let has_marker = lower.bytes().any(|b| b == b'x' || b == b'#');
    let number = ["extension", "ext.", "ext", "x", "#"]
        .iter()
        .filter(|_| has_marker)
        .filter_map(|marker| {
            let at = lower.rfind(marker)?;
            let rest = lower[at + marker.len()..].trim();
            (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then_some(&lower[..at])
        })
        .next()
        .unwrap_or(&lower);
    let number = number.trim();
    let number = number
        .strip_prefix('+')
        .or_else(|| number.strip_prefix("00"))
        .unwrap_or(number);
    // `+44 (0)20 ...`: the trunk zero in parentheses is dialled only from inside the country.
    let owned_number;
    let number = if number.contains("(0)") {
        owned_number = number.replace("(0)", "");
        owned_number.as_str()
    } else {
        number
    };
    let mut digits = String::with_capacity(number.len());
    for c in number.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '/' | '(' | ')' | '\u{a0}' => {}
            _ => return Err(Invalid::NotAPhone),
        }
    }
    if digits.len() < 7 {
        return Err(Invalid::TooShort);
    }
    if digits.len() > 15 {
        return Err(Invalid::TooLong);
    }
    let first = digits.as_bytes()[0];
    if digits.bytes().all(|b| b == first) {
        return Err(Invalid::RepeatedDigit);
    }
    Ok(digits)
}

/// The key two ways of writing one number share: the digits, without the `1` of a North
/// American number written with its country code (`+1 (415) 555-0100` is `(415) 555-0100`).
pub fn key(digits: &str) -> &str {
    match digits.strip_prefix('1') {
        Some(national) if digits.len() == 11 => national,
        _ => digits,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_crms_hold_them() {
        assert_eq!(check("+1 (415) 555-0100").unwrap(), "14155550100");
        assert_eq!(check("0049 30 1234567").unwrap(), "49301234567");
        assert_eq!(check("415.555.0100 x12").unwrap(), "4155550100");
        assert_eq!(check("415-555-0100 ext. 12").unwrap(), "4155550100");
        assert_eq!(check("415/555 0100 #7").unwrap(), "4155550100");
        assert_eq!(check("555-01"), Err(Invalid::TooShort));
        assert_eq!(check("000-000-0000"), Err(Invalid::RepeatedDigit));
        assert_eq!(check("1111111"), Err(Invalid::RepeatedDigit));
        assert_eq!(check("call me"), Err(Invalid::NotAPhone));
        assert_eq!(check("415 555 CALL"), Err(Invalid::NotAPhone));
        assert_eq!(check("1234567890123456"), Err(Invalid::TooLong));
        assert_eq!(check("4155550100.0").unwrap(), "4155550100");
        assert_eq!(check("(+44) 20 7946 0958").unwrap(), "442079460958");
        assert_eq!(check("+44 (0)20 7946 0958").unwrap(), "442079460958");
        assert_eq!(check("415 555 0100 extension 12").unwrap(), "4155550100");
    }
}
