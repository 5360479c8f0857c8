//! Email validity: addresses a mail server would accept, and the ones B2B models cannot use.
//!
//! ## What it does
//! After trimming, an address needs exactly one `@`, a non-empty local part without spaces,
//! and a domain of labels (letters, including non-ASCII ones, digits, inner hyphens) with at
//! least one dot, no empty label and a last label of two or more letters. Valid addresses
//! on a personal mailbox provider (`gmail.com`, `yahoo.*`, ...) and role accounts (`info@`,
//! `sales@`, ...) are counted too.
//!
//! ## Why is this bad?
//! `jane at acme.com` is filled but cannot be emailed, scored or deduplicated. A personal
//! domain tells a B2B model nothing about the company; a role account is not a person.
//!
//! ## Example
//! `first.last+tag@sub.example.co.uk` and `ana@münchen.de` are valid; `jane at acme.com`
//! (`no_at`), `a@@b.com` (`several_at`), `x@y.c`, `foo@bar`, `a@b..com` (`bad_domain`) and
//! `john.doe@` (`bad_domain`) are not.

use super::validity::Invalid;

/// What a valid address is, beyond valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EmailInfo {
    pub personal_domain: bool,
    pub role_account: bool,
}

/// Mailbox providers whose addresses name a person, not a company. An entry ending in `.`
/// matches every top-level domain (`yahoo.co.uk`, `gmx.de`).
pub const PERSONAL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.",
    "hotmail.",
    "outlook.",
    "live.",
    "msn.com",
    "icloud.com",
    "me.com",
    "aol.com",
    "gmx.",
    "web.de",
    "proton.me",
    "protonmail.com",
    "yandex.",
    "mail.ru",
    "qq.com",
    "163.com",
];

/// Local parts that stand for a function, not a person.
pub const ROLE_ACCOUNTS: &[&str] = &[
    "info",
    "sales",
    "admin",
    "support",
    "noreply",
    "no-reply",
    "contact",
    "hello",
    "office",
    "marketing",
];

/// `text` without `prefix`, compared without ASCII case.
fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// Whether `domain` (any case) belongs to a personal mailbox provider.
pub fn is_personal_domain(domain: &str) -> bool {
    // Most company domains start with another letter than any provider: decided at once.
    let Some(first) = domain.bytes().next().map(|b| b.to_ascii_lowercase()) else {
        return false;
    };
    if !b"ghyolmiawpq1".contains(&first) {
        return false;
    }
    PERSONAL_DOMAINS.iter().any(|p| match p.strip_suffix('.') {
        // `yahoo.` matches `yahoo.com` and `yahoo.co.uk`, not `yahoo.evil.io`'s owner `yahoo`.
        // The rest must look like a public suffix (`com`, `co.uk`, `com.br`), not a company's
        // domain: `outlook.acme.com` is Acme's.
        Some(base) => strip_prefix_ignore_case(domain, base)
            .and_then(|rest| rest.strip_prefix('.'))
            .is_some_and(|tld| {
                !tld.is_empty()
                    && tld.split('.').count() <= 2
                    && tld.split('.').all(|l| (2..=3).contains(&l.len()))
            }),
        None => domain.eq_ignore_ascii_case(p),
    })
}

/// A host name: labels of letters (any script), digits and inner hyphens, at least two of
/// them, the last of two or more letters.
pub fn valid_host(domain: &str) -> bool {
    if domain.is_ascii() {
        return valid_ascii_host(domain.as_bytes());
    }
    let mut labels = 0;
    let mut last = "";
    for label in domain.split('.') {
        if label.is_empty()
            || label.starts_with('-')
            || label.ends_with('-')
            || !label.chars().all(|c| c.is_alphanumeric() || c == '-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    // A top-level domain is letters, or punycode (`xn--p1ai`, the Russian `.рф`).
    labels >= 2
        && last.chars().count() >= 2
        && (last.chars().all(char::is_alphabetic)
            || last
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--")))
}

/// `valid_host` for ASCII names, byte by byte.
fn valid_ascii_host(domain: &[u8]) -> bool {
    let mut labels = 0;
    let mut last: &[u8] = &[];
    for label in domain.split(|b| *b == b'.') {
        if label.is_empty()
            || label[0] == b'-'
            || label[label.len() - 1] == b'-'
            || !label
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        {
            return false;
        }
        labels += 1;
        last = label;
    }
    labels >= 2
        && last.len() >= 2
        && (last.iter().all(u8::is_ascii_alphabetic)
            || last
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"xn--")))
}

/// Checks one filled, trimmed value.
pub fn check(value: &str) -> Result<EmailInfo, Invalid> {
    let mut parts = value.split('@');
    let (Some(local), Some(domain)) = (parts.next(), parts.next()) else {
        return Err(Invalid::NoAt);
    };
    if parts.next().is_some() {
        return Err(Invalid::SeveralAt);
    }
    if local.is_empty() {
        return Err(Invalid::EmptyLocal);
    }
    if local.chars().any(char::is_whitespace) {
        return Err(Invalid::SpaceInAddress);
    }
    // Dots may not start, end or double in a local part; quotes, colons (`mailto:`), angle
    // brackets and commas belong to other syntaxes than an address.
    if local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
        || local.contains(['"', ':', '<', '>', ',', ';', '(', ')', '[', ']', '\\'])
    {
        return Err(Invalid::BadLocalPart);
    }
    if !valid_host(domain) {
        return Err(Invalid::BadDomain);
    }
    // `sales+eu@` is still the sales mailbox.
    let base = local.split('+').next().unwrap_or_default();
    Ok(EmailInfo {
        personal_domain: is_personal_domain(domain),
        role_account: ROLE_ACCOUNTS.iter().any(|r| r.eq_ignore_ascii_case(base)),
    })
}

/// The lower-cased domain of a valid address.
pub fn domain_of(value: &str) -> Option<String> {
    value.rsplit_once('@').map(|(_, d)| d.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_examples() {
        for ok in [
            "first.last+tag@sub.example.co.uk",
            "ana@münchen.de",
            "o'brien@acme.ie",
            "x@y.io",
            "ana@example.xn--p1ai",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("jane at acme.com", Invalid::NoAt),
            ("a@@b.com", Invalid::SeveralAt),
            ("x@y.c", Invalid::BadDomain),
            ("foo@bar", Invalid::BadDomain),
            ("john.doe@", Invalid::BadDomain),
            ("a@b..com", Invalid::BadDomain),
            ("a@b.com.", Invalid::BadDomain),
            ("a@-b.com", Invalid::BadDomain),
            ("a@b.c0m", Invalid::BadDomain),
            ("@acme.com", Invalid::EmptyLocal),
            ("jane doe@acme.com", Invalid::SpaceInAddress),
            ("mailto:jane@acme.com", Invalid::BadLocalPart),
            (".jane@acme.com", Invalid::BadLocalPart),
            ("jane.@acme.com", Invalid::BadLocalPart),
            ("jane..doe@acme.com", Invalid::BadLocalPart),
            ("jane\"@acme.com", Invalid::BadLocalPart),
        ] {
            assert_eq!(check(bad), Err(why), "{bad}");
        }
    }

    #[test]
    fn personal_domains_and_role_accounts() {
        let info = |v| check(v).unwrap();
        assert!(info("jane@gmail.com").personal_domain);
        assert!(info("jane@Yahoo.co.uk").personal_domain);
        assert!(info("jane@gmx.de").personal_domain);
        assert!(!info("jane@yahoo-inc.com").personal_domain);
        assert!(!info("info@outlook.acme.com").personal_domain);
        assert!(info("jane@yahoo.com.br").personal_domain);
        assert!(!info("jane@acme.com").personal_domain);
        assert!(info("Sales@acme.com").role_account);
        assert!(info("no-reply@acme.com").role_account);
        assert!(info("info+eu@acme.com").role_account);
        assert!(!info("information@acme.com").role_account);
    }
}
