//! Validity: filled values that a model or a downstream system can use, by field type.
//!
//! ## What it does
//! Checks every filled value of a typed field: emails, phones, websites, countries, numbers
//! and booleans by their form (one module each beside this one), picklists against their
//! allowed values, any field against the dictionary's `pattern`. Counts the values that pass
//! and, for the others, why they fail (`no_at`, `bad_domain`, `not_allowed`, ...). Dates are
//! checked in `freshness`, which also needs the column's day/month order.
//!
//! ## Why is this bad?
//! "Filled" is not "usable": `jane at acme` fills the Email field and reaches no one. A use
//! case judged on fill alone is called ready when it is not.
//!
//! ## Example
//! Emails `ana@acme.com`, `jane at acme.com`, `bob@acme`, `N/A`: 3 filled, 1 valid, invalid
//! `no_at` 1 and `bad_domain` 1 (the placeholder is not filled, so not checked).

use std::collections::HashSet;

use regex::Regex;

use super::{boolean, country, email, number, phone, url};

/// Why a filled value is not valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Invalid {
    NoAt,
    SeveralAt,
    EmptyLocal,
    SpaceInAddress,
    BadLocalPart,
    BadDomain,
    NotAPhone,
    TooShort,
    TooLong,
    RepeatedDigit,
    BadHost,
    EmailNotUrl,
    NotACountry,
    NotADate,
    ImpossibleDate,
    Before1900,
    InTheFuture,
    NotANumber,
    BadGrouping,
    Negative,
    NotABoolean,
    NotAllowed,
    NoPatternMatch,
}

impl Invalid {
    pub const ALL: [Invalid; 23] = [
        Invalid::NoAt,
        Invalid::SeveralAt,
        Invalid::EmptyLocal,
        Invalid::SpaceInAddress,
        Invalid::BadLocalPart,
        Invalid::BadDomain,
        Invalid::NotAPhone,
        Invalid::TooShort,
        Invalid::TooLong,
        Invalid::RepeatedDigit,
        Invalid::BadHost,
        Invalid::EmailNotUrl,
        Invalid::NotACountry,
        Invalid::NotADate,
        Invalid::ImpossibleDate,
        Invalid::Before1900,
        Invalid::InTheFuture,
        Invalid::NotANumber,
        Invalid::BadGrouping,
        Invalid::Negative,
        Invalid::NotABoolean,
        Invalid::NotAllowed,
        Invalid::NoPatternMatch,
    ];

    /// The name reports use.
    pub fn as_str(self) -> &'static str {
        match self {
            Invalid::NoAt => "no_at",
            Invalid::SeveralAt => "several_at",
            Invalid::EmptyLocal => "empty_local_part",
            Invalid::SpaceInAddress => "space_in_address",
            Invalid::BadLocalPart => "bad_local_part",
            Invalid::BadDomain => "bad_domain",
            Invalid::NotAPhone => "not_a_phone",
            Invalid::TooShort => "too_short",
            Invalid::TooLong => "too_long",
            Invalid::RepeatedDigit => "repeated_digit",
            Invalid::BadHost => "bad_host",
            Invalid::EmailNotUrl => "email_not_url",
            Invalid::NotACountry => "not_a_country",
            Invalid::NotADate => "not_a_date",
            Invalid::ImpossibleDate => "impossible_date",
            Invalid::Before1900 => "before_1900",
            Invalid::InTheFuture => "in_the_future",
            Invalid::NotANumber => "not_a_number",
            Invalid::BadGrouping => "bad_grouping",
            Invalid::Negative => "negative",
            Invalid::NotABoolean => "not_a_boolean",
            Invalid::NotAllowed => "not_allowed",
            Invalid::NoPatternMatch => "no_pattern_match",
        }
    }
}

/// Counts per reason, indexed by `Invalid as usize`.
pub type InvalidCounts = [u64; Invalid::ALL.len()];

/// The most examples kept per reason, with `--show-values`.
pub const MAX_EXAMPLES: usize = 5;

/// Examples of values, chosen by the smallest hash so that the same input keeps the same
/// examples whatever order the batches are merged in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Examples {
    /// (reason, hash, value), at most `MAX_EXAMPLES` per reason.
    pub kept: Vec<(Invalid, u64, Box<str>)>,
}

impl Examples {
    pub fn offer(&mut self, reason: Invalid, value: &str) {
        let hash = xxhash_rust::xxh3::xxh3_64(value.as_bytes());
        let same: Vec<usize> = (0..self.kept.len())
            .filter(|&i| self.kept[i].0 == reason)
            .collect();
        if same.iter().any(|&i| self.kept[i].1 == hash) {
            return;
        }
        if same.len() < MAX_EXAMPLES {
            self.kept.push((reason, hash, value.into()));
        } else if let Some(&worst) = same.iter().max_by_key(|&&i| self.kept[i].1)
            && self.kept[worst].1 > hash
        {
            self.kept[worst] = (reason, hash, value.into());
        }
    }

    pub fn merge(&mut self, other: Examples) {
        for (reason, _, value) in other.kept {
            self.offer(reason, &value);
        }
    }
}

/// How one column's filled values are validated.
#[derive(Debug, Clone, Default)]
pub struct ValidityRule {
    pub form: Option<Form>,
    /// Allowed values, normalised (`normalize_choice`).
    pub allowed: Option<HashSet<String>>,
    pub pattern: Option<Regex>,
}

/// The type checks this module runs (dates run in `freshness`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Email,
    Phone,
    Url,
    Country,
    Number { non_negative: bool },
    Boolean,
}

/// A picklist value compared as people mean it: case, surrounding and repeated spaces ignored.
pub fn normalize_choice(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Everything validity counts in one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidCounter {
    /// Filled values checked.
    pub checked: u64,
    pub valid: u64,
    pub invalid: InvalidCounts,
    pub personal_domain: u64,
    pub role_account: u64,
    pub examples: Examples,
}

impl ValidCounter {
    pub fn fail(&mut self, reason: Invalid, value: &str, keep_examples: bool) {
        self.invalid[reason as usize] += 1;
        if keep_examples {
            self.examples.offer(reason, value);
        }
    }

    /// Adds `other`, the counts of one value, `n` times (its examples once).
    pub fn merge_times(&mut self, other: ValidCounter, n: u64) {
        self.checked += other.checked * n;
        self.valid += other.valid * n;
        for (mine, theirs) in self.invalid.iter_mut().zip(other.invalid) {
            *mine += theirs * n;
        }
        self.personal_domain += other.personal_domain * n;
        self.role_account += other.role_account * n;
        self.examples.merge(other.examples);
    }

    pub fn merge(&mut self, other: ValidCounter) {
        self.checked += other.checked;
        self.valid += other.valid;
        for (mine, theirs) in self.invalid.iter_mut().zip(other.invalid) {
            *mine += theirs;
        }
        self.personal_domain += other.personal_domain;
        self.role_account += other.role_account;
        self.examples.merge(other.examples);
    }
}

impl ValidityRule {
    /// Whether the rule checks anything.
    pub fn is_active(&self) -> bool {
        self.form.is_some() || self.allowed.is_some() || self.pattern.is_some()
    }

    /// Checks one filled, trimmed value into `counter`.
    pub fn check(&self, value: &str, counter: &mut ValidCounter, keep_examples: bool) {
        counter.checked += 1;
        let outcome = match self.form {
            None => Ok(()),
            Some(Form::Email) => email::check(value).map(|info| {
                counter.personal_domain += u64::from(info.personal_domain);
                counter.role_account += u64::from(info.role_account);
            }),
            Some(Form::Phone) => phone::check(value).map(drop),
            Some(Form::Url) => url::check(value).map(drop),
            Some(Form::Country) => country::check(value).map(drop),
            Some(Form::Number { non_negative }) => number::check(value).and_then(|x| {
                if non_negative && x < 0.0 {
                    Err(Invalid::Negative)
                } else {
                    Ok(())
                }
            }),
            Some(Form::Boolean) => boolean::check(value).map(drop),
        }
        .and_then(|()| match &self.allowed {
            Some(allowed) if !allowed.contains(&normalize_choice(value)) => {
                Err(Invalid::NotAllowed)
            }
            _ => Ok(()),
        })
        .and_then(|()| match &self.pattern {
            Some(pattern) if !pattern.is_match(value) => Err(Invalid::NoPatternMatch),
            _ => Ok(()),
        });
        match outcome {
            Ok(()) => counter.valid += 1,
            Err(reason) => counter.fail(reason, value, keep_examples),
        }
    }
}

/// An example as reports show it: emails as `j***@acme.com`, phones by their last two
/// digits, other values as they are (the user asked to see them).
pub fn masked(form: Option<Form>, value: &str) -> String {
    match form {
        Some(Form::Email) => match value.rsplit_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            // `jane at acme.com`: the first letter, then what follows the first word.
            None => {
                let first: String = value.chars().take(1).collect();
                let rest = value
                    .find(char::is_whitespace)
                    .map_or("", |at| &value[at..]);
                format!("{first}***{rest}")
            }
        },
        Some(Form::Phone) => {
            let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
            let tail: String = digits[digits.len().saturating_sub(2)..].iter().collect();
            format!("***{tail}")
        }
        _ => value.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_example() {
        let rule = ValidityRule {
            form: Some(Form::Email),
            ..ValidityRule::default()
        };
        let mut counter = ValidCounter::default();
        for v in ["ana@acme.com", "jane at acme.com", "bob@acme"] {
            rule.check(v, &mut counter, false);
        }
        assert_eq!(counter.checked, 3);
        assert_eq!(counter.valid, 1);
        assert_eq!(counter.invalid[Invalid::NoAt as usize], 1);
        assert_eq!(counter.invalid[Invalid::BadDomain as usize], 1);
    }

    #[test]
    fn allowed_values_and_patterns() {
        let rule = ValidityRule {
            form: None,
            allowed: Some(["lead", "customer"].iter().map(|s| s.to_string()).collect()),
            pattern: Some(Regex::new("^[A-Za-z ]+$").unwrap()),
        };
        let mut counter = ValidCounter::default();
        for v in ["Lead", "  customer", "partner", "lead2"] {
            rule.check(v.trim(), &mut counter, true);
        }
        assert_eq!(counter.valid, 2);
        assert_eq!(counter.invalid[Invalid::NotAllowed as usize], 2);
        assert_eq!(counter.examples.kept.len(), 2);
    }

    #[test]
    fn examples_do_not_depend_on_merge_order() {
        let values: Vec<String> = (0..40).map(|i| format!("bad{i}")).collect();
        let mut a = Examples::default();
        for v in &values {
            a.offer(Invalid::NotAllowed, v);
        }
        let (mut left, mut right) = (Examples::default(), Examples::default());
        for v in values.iter().rev().take(20) {
            left.offer(Invalid::NotAllowed, v);
        }
        for v in values.iter().rev().skip(20) {
            right.offer(Invalid::NotAllowed, v);
        }
        right.merge(left);
        let mut x: Vec<_> = a.kept.iter().map(|k| k.1).collect();
        let mut y: Vec<_> = right.kept.iter().map(|k| k.1).collect();
        x.sort();
        y.sort();
        assert_eq!(x, y);
        assert_eq!(x.len(), MAX_EXAMPLES);
    }

    #[test]
    fn masking() {
        assert_eq!(masked(Some(Form::Email), "jane@acme.com"), "j***@acme.com");
        assert_eq!(masked(Some(Form::Phone), "+1 415 555 0142"), "***42");
    }
}
