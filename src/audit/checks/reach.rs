//! Reach: who may be emailed, once suppression is applied.
//!
//! ## What it does
//! A record is blocked when it has opted out of email (`email_opt_out` or a subscription
//! opt-out is true), is a non-marketing contact (HubSpot's `Marketing contact status`), or
//! its address bounced (`email_bounce_reason` or `email_bounced_at` filled,
//! `email_invalid` true). `reachable` counts valid email addresses none of whose records is
//! blocked, each address once (the email identity key of `duplicates` carries the flag).
//! When the export has none of these consent fields, reach is unknown and the email use
//! cases say so.
//!
//! ## Why is this bad?
//! Personalisation sent to opted-out or bounced addresses is a compliance breach and burns
//! the sending domain; a list of 10,000 contacts may hold 3,000 people who can be emailed.
//!
//! ## Example
//! Four records `ana@acme.com` (opted out), `ana@acme.com`, `bob@acme.com` (bounced),
//! `cy@acme.com`: 3 addresses, 1 reachable (`cy`); `ana` is blocked by her opt-out.

use super::boolean;

/// A consent field and what it says about a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    /// True means opted out.
    OptOut,
    /// `Non-marketing contact` (or `false`) means not to be emailed.
    MarketingStatus,
    /// Filled means the address bounced.
    Bounced,
    /// True means the address is known bad.
    InvalidFlag,
}

impl Consent {
    /// The consent a canonical field carries.
    pub fn of(field: &str) -> Option<Consent> {
        match field {
            "email_opt_out" | "email_subscription_opt_out" => Some(Consent::OptOut),
            "marketing_contact_status" => Some(Consent::MarketingStatus),
            "email_bounce_reason" | "email_bounced_at" => Some(Consent::Bounced),
            "email_invalid" => Some(Consent::InvalidFlag),
            _ => None,
        }
    }

    /// Whether a filled, trimmed value blocks the record.
    pub fn blocks(self, value: &str) -> bool {
        match self {
            Consent::OptOut | Consent::InvalidFlag => boolean::check(value) == Ok(true),
            Consent::MarketingStatus => {
                let v = value.to_ascii_lowercase();
                v.starts_with("non") || v == "false"
            }
            Consent::Bounced => true,
        }
    }
}

/// Records blocked, by reason (a record may count under several).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReachCounter {
    pub opted_out: u64,
    pub not_marketing: u64,
    pub bounced: u64,
}

impl ReachCounter {
    pub fn add(&mut self, consent: Consent) {
        match consent {
            Consent::OptOut => self.opted_out += 1,
            Consent::MarketingStatus => self.not_marketing += 1,
            Consent::Bounced | Consent::InvalidFlag => self.bounced += 1,
        }
    }

    pub fn merge(&mut self, other: ReachCounter) {
        self.opted_out += other.opted_out;
        self.not_marketing += other.not_marketing;
        self.bounced += other.bounced;
    }
}

#[cfg(test)]
mod tests {
    use super::super::duplicates::{KeyCounter, key_hash};
    use super::*;

    #[test]
    fn the_header_example() {
        let rows = [
            ("ana@acme.com", Some((Consent::OptOut, "true"))),
            ("ana@acme.com", None),
            ("bob@acme.com", Some((Consent::Bounced, "Mailbox full"))),
            ("cy@acme.com", Some((Consent::OptOut, "false"))),
        ];
        let hashes = rows
            .iter()
            .map(|(email, consent)| {
                let blocked = consent.is_some_and(|(c, v)| c.blocks(v));
                key_hash(email) | u64::from(blocked)
            })
            .collect();
        let mut keys = KeyCounter::default();
        keys.push(hashes);
        let c = keys.counts();
        assert_eq!((c.distinct, c.clear), (3, 1));
    }

    #[test]
    fn marketing_status() {
        assert!(Consent::MarketingStatus.blocks("Non-marketing contact"));
        assert!(Consent::MarketingStatus.blocks("false"));
        assert!(!Consent::MarketingStatus.blocks("Marketing contact"));
    }
}
