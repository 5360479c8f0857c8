//! Website validity: a value that names a host an enrichment vendor can look up.
//!
//! ## What it does
//! Accepts an optional `http://` or `https://`, then a host with a dot and a last label of
//! two or more letters, then anything (a path, a query). An email address, or a bare `www.`
//! or `http://`, is not a website.
//!
//! ## Why is this bad?
//! The domain is the join key to intent and firmographic data: `www.` or `n/a.com` in the
//! Website field joins to nothing.
//!
//! ## Example
//! `https://www.acme.com/about` and `acme.co.uk` are valid (host `acme.com`, `acme.co.uk`);
//! `www.`, `http://` and `acme` are `bad_host`; `jane@acme.com` is `email_not_url`.

use super::validity::Invalid;

/// The lower-cased host without `www.` of a valid website, or why it is not one.
pub fn check(value: &str) -> Result<String, Invalid> {
    let lower = value.to_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if host.contains('@') {
        return Err(Invalid::EmailNotUrl);
    }
    // A port is part of the address, not of the host.
    let host = host.split(':').next().unwrap_or_default();
    let host = host.strip_suffix('.').unwrap_or(host);
    let host = host.strip_prefix("www.").unwrap_or(host);
    if !super::email::valid_host(host) {
        return Err(Invalid::BadHost);
    }
    Ok(host.to_owned())
}

/// Hosts that serve many companies' pages: a website there names no company's domain.
pub const PLATFORMS: &[&str] = &[
    "linkedin.com",
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "youtube.com",
    "crunchbase.com",
    "github.com",
    "google.com",
    "sites.google.com",
    "wixsite.com",
    "yelp.com",
    "angel.co",
    "tiktok.com",
];

/// Whether a host (from `check`) is a platform's, not a company's own.
pub fn is_platform(host: &str) -> bool {
    PLATFORMS
        .iter()
        .any(|p| host == *p || host.strip_suffix(p).is_some_and(|s| s.ends_with('.')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_as_crms_hold_them() {
        assert_eq!(check("https://www.Acme.com/about").unwrap(), "acme.com");
        assert_eq!(check("acme.co.uk").unwrap(), "acme.co.uk");
        assert_eq!(
            check("http://shop.acme.io:8080?x=1").unwrap(),
            "shop.acme.io"
        );
        assert_eq!(check("www.acme.com.").unwrap(), "acme.com");
        assert_eq!(check("münchen.de").unwrap(), "münchen.de");
        assert_eq!(check("www."), Err(Invalid::BadHost));
        assert_eq!(check("http://"), Err(Invalid::BadHost));
        assert_eq!(check("acme"), Err(Invalid::BadHost));
        assert_eq!(check("acme.c"), Err(Invalid::BadHost));
        assert_eq!(check("jane@acme.com"), Err(Invalid::EmailNotUrl));
    }
}
