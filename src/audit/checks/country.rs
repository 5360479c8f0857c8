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
const EXTRA: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("britain", "GB"),
    ("korea", "KR"),
    ("uae", "AE"),
    ("vatican", "VA"),
    ("vaticancity", "VA"),
    ("vaticancitystate", "VA"),
    ("ivorycoast", "CI"),
];

/// A Latin letter without its accent (`é` -> `e`): ISO names are written in ASCII.
pub const UNACCENT_FROM: &str = "àáâãäåāăąçćčďđèéêëēėęěìíîïīįıñńňòóôõöøōőœŕřśšşťţùúûüūůűųýÿžźż";
pub const UNACCENT_TO: &str = "aaaaaaaaacccddeeeeeeeeiiiiiiinnnooooooooorrsssttuuuuuuuuyyzzz";

fn unaccent(c: char) -> char {
    const FROM: &str = UNACCENT_FROM;
    const TO: &str = UNACCENT_TO;
    FROM.chars()
        .position(|f| f == c)
        .and_then(|i| TO.chars().nth(i))
        .unwrap_or(c)
}

/// The lookup key of a name: lower case, accents and everything but letters and digits
/// dropped, `&` read as `and`.
fn key_of(text: &str) -> String {
    text.replace('&', " and ")
        .chars()
        .flat_map(char::to_lowercase)
        .map(unaccent)
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// Every lookup key `check` knows a country by, with a leading `the` taken off (`check`
/// tries a key with and without it): the SQL audit writes them out as a literal list. Built
/// from the ISO table's codes, names and aliases, each kept only if `find` knows it.
pub fn keys_without_the() -> std::collections::BTreeSet<String> {
    let mut keys = std::collections::BTreeSet::new();
    let mut add = |text: &str| {
        let key = key_of(text);
        if !key.is_empty() && !key.bytes().all(|b| b.is_ascii_digit()) && find(&key).is_some() {
            keys.insert(key.strip_prefix("the").unwrap_or(&key).to_owned());
        }
    };
    for (key, _) in EXTRA {
        add(key);
    }
    for country in Country::get_countries() {
        add(country.alpha2);
        add(country.alpha3);
        add(country.long_name);
        for alias in celes::LookupTable::iter(&country.aliases) {
            add(alias);
        }
    }
    keys
}

fn find(key: &str) -> Option<&'static str> {
    if let Some((_, code)) = EXTRA.iter().find(|(k, _)| *k == key) {
        return Some(code);
    }
    Country::from_str(key)
        .or_else(|_| Country::from_alias(key))
        .or_else(|_| Country::from_name(key))
        .ok()
        .map(|c| c.alpha2)
}

/// The alpha-2 code of the country `value` names.
pub fn check(value: &str) -> Result<&'static str, Invalid> {
    let key = key_of(value);
    if key.is_empty() || key.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Invalid::NotACountry);
    }
    // The forms to try: as written; without a parenthesis (`Falkland Islands (Malvinas)`);
    // ISO's inverted names turned round (`Korea, Republic of`: `Republic of Korea`) or cut at
    // the comma (`Taiwan, Province of China`: `Taiwan`).
    let plain = value.split('(').next().unwrap_or(value);
    let mut candidates = vec![key, key_of(plain)];
    if let Some((head, tail)) = plain.split_once(',') {
        candidates.push(key_of(&format!("{tail} {head}")));
        candidates.push(key_of(head));
    }
    candidates
        .iter()
        .filter(|k| !k.is_empty())
        .find_map(|k| {
            find(k)
                // `the Netherlands`, `the United States`; `Bahamas` for `The Bahamas`.
                .or_else(|| k.strip_prefix("the").and_then(find))
                .or_else(|| find(&format!("the{k}")))
        })
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
        // Salesforce's state and country picklist names (ISO's short names).
        for (name, code) in [
            ("Korea, Republic of", "KR"),
            ("Iran, Islamic Republic of", "IR"),
            ("Taiwan, Province of China", "TW"),
            ("Côte d'Ivoire", "CI"),
            ("Åland Islands", "AX"),
            ("Curaçao", "CW"),
            ("Réunion", "RE"),
            ("Saint Barthélemy", "BL"),
            ("Bolivia, Plurinational State of", "BO"),
            ("Venezuela, Bolivarian Republic of", "VE"),
            ("Tanzania, United Republic of", "TZ"),
            ("Moldova, Republic of", "MD"),
            ("Virgin Islands, British", "VG"),
            ("Micronesia, Federated States of", "FM"),
            ("Palestine, State of", "PS"),
            ("Falkland Islands (Malvinas)", "FK"),
            ("Holy See (Vatican City State)", "VA"),
            ("UAE", "AE"),
            ("Trinidad & Tobago", "TT"),
            ("Bosnia & Herzegovina", "BA"),
        ] {
            assert_eq!(check(name), Ok(code), "{name}");
        }
        for bad in ["EMEA", "Cal.", "840", "Narnia", "..."] {
            assert_eq!(check(bad), Err(Invalid::NotACountry), "{bad}");
        }
    }
}
