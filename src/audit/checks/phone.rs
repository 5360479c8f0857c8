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
    let lower: std::borrow::Cow<str> = if value.bytes().any(|b| b.is_ascii_uppercase()) {
        value.to_ascii_lowercase().into()
    } else {
        value.into()
    };
    // The extension goes first: `ext. 12`, `x12`, `#12`.
    let number = ["ext.", "ext", "x", "#"]
        .iter()
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
    }
}
