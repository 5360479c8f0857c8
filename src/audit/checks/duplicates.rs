//! Duplicates: the same person or company entered more than once, by identity key.
//!
//! ## What it does
//! Builds identity keys where their fields exist: `email` (valid addresses, trimmed and
//! lower-cased), `domain` (account records: the website's host without `www.`, else the
//! domain of a non-personal email), `name_company` (first and last name, or the full name,
//! with the company; case-folded, punctuation removed, whitespace collapsed) and `phone`
//! (the digits of a valid number). For each key: records with the key, distinct keys,
//! groups of two or more, and `duplicate_records`, the records beyond the first of each
//! group; `duplicate_rate` is that over all records.
//!
//! Keys are held as 64-bit hashes (xxh3), 8 bytes a record, in one slice per batch; the
//! groups are counted once at the end, a sixteenth of the hashes at a time. Two different
//! keys share a hash with probability about n²/2⁶⁵: for 5 million records, 7 in 10 million,
//! far below one record in any CRM. The email key also carries, in its lowest bit, whether
//! the record may not be emailed (see `reach`), so that reach counts each address once.
//!
//! ## Why is this bad?
//! The same contact three times is three people to a model: its engagement is split, its
//! score diluted, and personalised emails go out three times.
//!
//! ## Example
//! Emails `ana@acme.com`, `ANA@acme.com `, `bob@acme.com`, `bob@acme.com`, `cy@acme.com`
//! on 6 records (one without email): 5 records with the key, 3 distinct, 2 groups,
//! 2 duplicate records, duplicate rate 2/6 = 33%.

/// The identity keys, in report order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdentityKey {
    Email,
    Domain,
    NameCompany,
    Phone,
}

impl IdentityKey {
    pub const ALL: [IdentityKey; 4] = [
        IdentityKey::Email,
        IdentityKey::Domain,
        IdentityKey::NameCompany,
        IdentityKey::Phone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKey::Email => "email",
            IdentityKey::Domain => "domain",
            IdentityKey::NameCompany => "name_company",
            IdentityKey::Phone => "phone",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }
}

/// The key hashes of one identity key, batch by batch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyCounter {
    pub chunks: Vec<Box<[u64]>>,
}

/// What the key hashes add up to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KeyCounts {
    pub records: u64,
    pub distinct: u64,
    pub groups: u64,
    pub duplicate_records: u64,
    /// Distinct keys none of whose records carry the low "blocked" bit.
    pub clear: u64,
}

/// The hash of a key, with its lowest bit free for a flag.
pub fn key_hash(key: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(key.as_bytes()) & !1
}

impl KeyCounter {
    pub fn push(&mut self, hashes: Vec<u64>) {
        if !hashes.is_empty() {
            self.chunks.push(hashes.into_boxed_slice());
        }
    }

    pub fn merge(&mut self, other: KeyCounter) {
        self.chunks.extend(other.chunks);
    }

    /// Counts the groups, a sixteenth of the hash space at a time, so that the extra memory
    /// is a sixteenth of the keys'.
    pub fn counts(&self) -> KeyCounts {
        let mut counts = KeyCounts::default();
        let mut part: Vec<u64> = Vec::new();
        for slice in 0..16u64 {
            part.clear();
            part.extend(
                self.chunks
                    .iter()
                    .flat_map(|c| c.iter())
                    .filter(|h| *h >> 60 == slice),
            );
            part.sort_unstable();
            let mut i = 0;
            while i < part.len() {
                let key = part[i] & !1;
                let mut j = i;
                let mut blocked = false;
                while j < part.len() && part[j] & !1 == key {
                    blocked |= part[j] & 1 == 1;
                    j += 1;
                }
                let size = (j - i) as u64;
                counts.records += size;
                counts.distinct += 1;
                if size > 1 {
                    counts.groups += 1;
                    counts.duplicate_records += size - 1;
                }
                counts.clear += u64::from(!blocked);
                i = j;
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_example() {
        let emails = [
            "ana@acme.com",
            "ANA@acme.com ",
            "bob@acme.com",
            "bob@acme.com",
            "cy@acme.com",
        ];
        let mut counter = KeyCounter::default();
        counter.push(
            emails[..2]
                .iter()
                .map(|e| key_hash(&e.trim().to_lowercase()))
                .collect(),
        );
        counter.push(
            emails[2..]
                .iter()
                .map(|e| key_hash(&e.trim().to_lowercase()))
                .collect(),
        );
        let c = counter.counts();
        assert_eq!(
            (c.records, c.distinct, c.groups, c.duplicate_records),
            (5, 3, 2, 2)
        );
        assert_eq!(c.clear, 3);
    }

    #[test]
    fn a_blocked_record_blocks_its_key() {
        let mut counter = KeyCounter::default();
        let a = key_hash("a@x.io");
        counter.push(vec![a, a | 1, key_hash("b@x.io")]);
        let c = counter.counts();
        assert_eq!((c.distinct, c.clear), (2, 1));
    }
}
