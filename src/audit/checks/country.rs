//! Country validity: a value that names a country, in any of the forms people write.
//!
//! ## What it does
//! Looks the value up in the ISO 3166-1 table of the `celes` crate: English short and
//! official names, common aliases, alpha-2 and alpha-3 codes, ignoring case, spaces and
//! punctuation (`U.S.`, `united-states`). A number alone is not a country.
//!
//! ## Why is this bad?
//! Territory models and routing need the country; `Cal.`, `EMEA` or `123` fill the field
//! and place the record nowhere. The code found also tells apart real variants: `US`, `USA`
//! and `United States` are one country in three spellings (see `consistency`).
//!
//! ## Example
//! `United States`, `USA`, `U.S.`, `us`, `United Kingdom`, `UK`, `Great Britain` and
//! `Germany` are valid; `EMEA`, `Cal.` and `840` are `not_a_country`.

use std::str::FromStr;

use celes::Country;

use super::validity::Invalid;

/// Forms in common use that the ISO table lacks.
const EXTRA: &[(&str, &str)] = &[("uk", "GB"), ("britain", "GB"), ("korea", "KR")];

/// The alpha-2 code of the country `value` names.
pub fn check(value: &str) -> Result<&'static str, Invalid> {
    let key: String = value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    if key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::NotACountry);
    }
    if let Some((_, code)) = EXTRA.iter().find(|(k, _)| *k == key) {
        return Ok(code);
    }
    let find = |key: &str| {
        Country::from_str(key)
            .or_else(|_| Country::from_alias(key))
            .or_else(|_| Country::from_name(key))
            .ok()
    };
    find(&key)
        // `the Netherlands`, `the United States`.
        .or_else(|| key.strip_prefix("the").and_then(find))
        .map(|c| c.alpha2)
        .ok_or(Invalid::NotACountry)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_of_one_country_give_one_code() {
        for us in [
            "United States",
            "United States of America",
            "USA",
            "U.S.",
            "us",
            " U.S.A. ",
            "the United States",
        ] {
            assert_eq!(check(us), Ok("US"), "{us}");
        }
        for gb in ["UK", "United Kingdom", "Great Britain", "GBR", "gb"] {
            assert_eq!(check(gb), Ok("GB"), "{gb}");
        }
        assert_eq!(check("Germany"), Ok("DE"));
        assert_eq!(check("DEU"), Ok("DE"));
        assert_eq!(check("Türkiye"), Ok("TR"));
        for bad in ["EMEA", "Cal.", "840", "Narnia", "..."] {
            assert_eq!(check(bad), Err(Invalid::NotACountry), "{bad}");
        }
    }
}
