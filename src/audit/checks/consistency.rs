//! Consistency: one value written several ways, fields that say the same thing on every
//! record, and text damaged by a wrong encoding.
//!
//! ## What it does
//! For categorical fields (picklists, countries, booleans, numbers and short text such as
//! state or job title) counts the distinct filled values as written and after normalising
//! case, whitespace and punctuation (a country by its ISO code, so `US`, `USA` and `United
//! States` are one); the difference is the number of `variants`. It also counts how many
//! records hold the most common value: a field that holds one value everywhere tells a model
//! nothing. In every field it counts cells that show double-encoded UTF-8 (`Ã©`, `â€™`, `Â `).
//!
//! Distinct values are counted exactly up to 10,000 per field. To stay mergeable and bounded,
//! the counter keeps the values with the 10,001 smallest 64-bit hashes (a bottom-k sketch):
//! whichever order batches are merged in, the same values are kept with exact counts. Past
//! 10,000 the report says "more than 10,000" and the most common value is the most common
//! of that sample.
//!
//! ## Why is this bad?
//! "Tech", "technology" and "Information Technology" split one industry into three weak
//! features; Lifecycle Stage = subscriber on every record is a constant, not a feature;
//! `MÃ¼ller` will not match `Müller` in any join or greeting.
//!
//! ## Example
//! Industry `technology`, `Technology `, `TECHNOLOGY`, `Retail`: 4 raw values, 2 normalised,
//! 2 variants; the most common normalised value holds 3 of 4 records (75%).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use xxhash_rust::xxh3::xxh3_64;

/// Keys that are already 64-bit hashes need no hashing again.
#[derive(Debug, Default, Clone, Copy)]
pub struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are used; anything else is folded in, never lost.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A map keyed by xxh3 hashes.
pub type HashedMap<V> = HashMap<u64, V, BuildHasherDefault<Prehashed>>;

/// Distinct values are exact up to this many.
pub const MAX_DISTINCT: usize = 10_000;
const KEEP: usize = MAX_DISTINCT + 1;

/// The `KEEP` smallest value hashes seen, with how many records hold each; the other
/// records go to `rest`, which can still find a value that most of them hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BottomK {
    pub counts: HashedMap<u64>,
    /// Hashes at or above this were dropped: they cannot be among the `KEEP` smallest.
    pub cut: u64,
    /// Every record whose value's hash is at or above `cut`.
    pub rest: Option<Box<Rest>>,
}

impl Default for BottomK {
    fn default() -> Self {
        BottomK {
            counts: HashedMap::default(),
            cut: u64::MAX,
            rest: None,
        }
    }
}

const GROUPS: usize = 64;
const SKETCH_ROWS: usize = 4;
const SKETCH_WIDTH: usize = 1024;

/// The records dropped from the sample, in linear counters (sums, so any merge order gives
/// the same result): per group of hashes (the top 6 bits), the records and how many have each
/// bit of the hash set, so a value held by most records of its group can be rebuilt bit by
/// bit; and a count-min sketch that bounds how many records hold it (it may overstate by a
/// few records per thousand, never understate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rest {
    totals: Vec<u64>,
    bits: Vec<u64>,
    sketch: Vec<u64>,
}

impl Default for Rest {
    fn default() -> Self {
        Rest {
            totals: vec![0; GROUPS],
            bits: vec![0; GROUPS * 64],
            sketch: vec![0; SKETCH_ROWS * SKETCH_WIDTH],
        }
    }
}

impl Rest {
    fn add(&mut self, hash: u64, n: u64) {
        let group = (hash >> 58) as usize;
        self.totals[group] += n;
        let bits = &mut self.bits[group * 64..(group + 1) * 64];
        for (b, slot) in bits.iter_mut().enumerate() {
            *slot += n * ((hash >> b) & 1);
        }
        for row in 0..SKETCH_ROWS {
            self.sketch[row * SKETCH_WIDTH + Self::cell(hash, row)] += n;
        }
    }

    /// The sketch's column for `hash` in `row`: ten independent bits of the hash each.
    fn cell(hash: u64, row: usize) -> usize {
        ((hash >> (10 * row)) as usize) & (SKETCH_WIDTH - 1)
    }

    fn merge(&mut self, other: &Rest) {
        for (a, b) in self
            .totals
            .iter_mut()
            .chain(self.bits.iter_mut())
            .chain(self.sketch.iter_mut())
            .zip(other.totals.iter().chain(&other.bits).chain(&other.sketch))
        {
            *a += b;
        }
    }

    /// The most common value among these records, if one holds most of its group: its hash
    /// and (an upper bound of) its count.
    fn top(&self) -> Option<(u64, u64)> {
        (0..GROUPS)
            .filter(|g| self.totals[*g] > 0)
            .map(|g| {
                let total = self.totals[g];
                let bits = &self.bits[g * 64..(g + 1) * 64];
                let hash = (0..64).fold(0u64, |h, b| h | (u64::from(bits[b] * 2 > total) << b));
                let estimate = (0..SKETCH_ROWS)
                    .map(|row| self.sketch[row * SKETCH_WIDTH + Self::cell(hash, row)])
                    .min()
                    .unwrap_or(0)
                    .min(total);
                (hash, estimate)
            })
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))
    }
}

impl BottomK {
    pub fn add(&mut self, hash: u64, n: u64) {
        if hash >= self.cut {
            self.rest.get_or_insert_default().add(hash, n);
            return;
        }
        *self.counts.entry(hash).or_insert(0) += n;
        if self.counts.len() >= 2 * KEEP {
            self.prune();
        }
    }

    /// Keeps the `KEEP` smallest hashes; the others' records go to `rest`.
    fn prune(&mut self) {
        if self.counts.len() <= KEEP {
            return;
        }
        let mut hashes: Vec<u64> = self.counts.keys().copied().collect();
        let (_, cut, _) = hashes.select_nth_unstable(KEEP);
        self.lower_cut(*cut);
    }

    fn lower_cut(&mut self, cut: u64) {
        self.cut = self.cut.min(cut);
        let cut = self.cut;
        let rest = &mut self.rest;
        self.counts.retain(|h, n| {
            if *h >= cut {
                rest.get_or_insert_default().add(*h, *n);
            }
            *h < cut
        });
    }

    pub fn merge(&mut self, other: BottomK) {
        if let Some(theirs) = &other.rest {
            self.rest.get_or_insert_default().merge(theirs);
        }
        self.lower_cut(other.cut);
        for (hash, n) in other.counts {
            self.add(hash, n);
        }
        self.prune();
    }

    /// Distinct values, or `None` when there are more than `MAX_DISTINCT`.
    pub fn distinct(&self) -> Option<u64> {
        // Nothing was ever dropped: the map holds every value.
        (self.cut == u64::MAX && self.counts.len() <= MAX_DISTINCT)
            .then_some(self.counts.len() as u64)
    }

    /// The hash and count of the most common value (ties: the smallest hash). Exact up to
    /// `MAX_DISTINCT` values; past that, a value of the sample is counted exactly and one of
    /// the rest is found if it holds most records of its group (an upper bound).
    pub fn top(&self) -> Option<(u64, u64)> {
        // The sample as if every record had been seen by one counter and pruned at the end:
        // the same values in it whatever the merge order.
        if self.counts.len() > KEEP {
            let mut canonical = self.clone();
            canonical.prune();
            return canonical.top();
        }
        let sampled = self
            .counts
            .iter()
            .map(|(h, n)| (*h, *n))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)));
        let rest = self.rest.as_ref().and_then(|r| r.top());
        match (sampled, rest) {
            (Some(a), Some(b)) if b.1 > a.1 => Some(b),
            (Some(a), _) => Some(a),
            (None, b) => b,
        }
    }
}

/// A value as consistency compares it: lower case, punctuation removed, whitespace collapsed.
pub fn normalize(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    normalize_into(&mut out, value);
    out
}

/// Appends `value` normalised to `out`, a space between words (none after a U+001F field
/// separator): the one folding that consistency and the `name_company` key share. Returns
/// whether it added a word.
pub fn normalize_into(out: &mut String, value: &str) -> bool {
    let before = out.len();
    for word in value
        .split(|c: char| c.is_whitespace() || (c.is_ascii_punctuation() && c != '&'))
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() && !out.ends_with(['\u{1f}']) {
            out.push(' ');
        }
        if word.is_ascii() {
            let at = out.len();
            out.push_str(word);
            out[at..].make_ascii_lowercase();
        } else {
            out.extend(word.chars().flat_map(char::to_lowercase));
        }
    }
    out.len() > before
}

/// US states and Canadian provinces by code and name: `CA` and `California` are one state.
const REGIONS: &[(&str, &str)] = &[
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
    ("PR", "Puerto Rico"),
    ("AB", "Alberta"),
    ("BC", "British Columbia"),
    ("MB", "Manitoba"),
    ("NB", "New Brunswick"),
    ("NL", "Newfoundland and Labrador"),
    ("NS", "Nova Scotia"),
    ("ON", "Ontario"),
    ("PE", "Prince Edward Island"),
    ("QC", "Quebec"),
    ("SK", "Saskatchewan"),
    ("NT", "Northwest Territories"),
    ("NU", "Nunavut"),
    ("YT", "Yukon"),
];

/// A state or province as consistency compares it: its code when the value names a US state
/// or a Canadian province (`Calif.` is not guessed), else the normalised text.
pub fn normalize_region(value: &str) -> String {
    let key = normalize(value);
    REGIONS
        .iter()
        .find(|(code, name)| key.eq_ignore_ascii_case(code) || key == normalize(name))
        .map_or(key, |(code, _)| (*code).to_owned())
}

/// Whether a cell shows UTF-8 text decoded as Windows-1252 or Latin-1 and encoded again:
/// `Ã` or `Â` followed by a character of U+0080..U+00BF (`Ã©`, `Â `), or `â€` (`â€™`).
pub fn is_mojibake(value: &str) -> bool {
    if value.is_ascii() {
        return false;
    }
    let bytes = value.as_bytes();
    bytes.windows(4).any(|w| {
        (w[0] == 0xC3 && (w[1] == 0x82 || w[1] == 0x83) && w[2] == 0xC2 && (0x80..=0xBF).contains(&w[3]))
            // Ã or Â, then a Windows-1252 punctuation mark (€ ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ)
            || (w[0] == 0xC3 && (w[1] == 0x82 || w[1] == 0x83) && (w[2] == 0xE2 || w[2] == 0xC5 || w[2] == 0xCB || w[2] == 0xC6))
    }) || value.contains("â€")
}

/// Everything consistency counts in one column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsistencyCounter {
    pub raw: BottomK,
    pub normalized: BottomK,
    /// With `--show-values`: per normalised hash, the smallest raw value seen.
    pub names: HashedMap<Box<str>>,
}

impl ConsistencyCounter {
    /// Counts one filled value (as written); `key` is its normalised form.
    pub fn count(&mut self, value: &str, key: &str, keep_names: bool) {
        self.count_hashed(
            xxh3_64(value.as_bytes()),
            xxh3_64(key.as_bytes()),
            value,
            keep_names,
        );
    }

    /// Counts one filled value by its hash and its normalised form's hash.
    pub fn count_hashed(&mut self, raw: u64, hash: u64, value: &str, keep_names: bool) {
        self.count_hashed_times(raw, hash, value, keep_names, 1);
    }

    /// Counts `n` records of one filled value.
    pub fn count_hashed_times(
        &mut self,
        raw: u64,
        hash: u64,
        value: &str,
        keep_names: bool,
        n: u64,
    ) {
        self.raw.add(raw, n);
        self.normalized.add(hash, n);
        if keep_names && hash < self.normalized.cut {
            let name = self.names.entry(hash).or_insert_with(|| value.into());
            if **name > *value {
                *name = value.into();
            }
        }
    }

    pub fn merge(&mut self, other: ConsistencyCounter) {
        self.raw.merge(other.raw);
        self.normalized.merge(other.normalized);
        for (hash, name) in other.names {
            let mine = self.names.entry(hash).or_insert_with(|| name.clone());
            if *mine > name {
                *mine = name;
            }
        }
        let kept = &self.normalized.counts;
        self.names.retain(|h, _| kept.contains_key(h));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_example() {
        let mut c = ConsistencyCounter::default();
        for v in ["technology", "Technology ", "TECHNOLOGY", "Retail"] {
            c.count(v, &normalize(v), true);
        }
        assert_eq!(c.raw.distinct(), Some(4));
        assert_eq!(c.normalized.distinct(), Some(2));
        let (hash, n) = c.normalized.top().unwrap();
        assert_eq!(n, 3);
        assert_eq!(&*c.names[&hash], "TECHNOLOGY");
    }

    #[test]
    fn states_by_code_or_name_are_one() {
        assert_eq!(normalize_region("California"), "CA");
        assert_eq!(normalize_region(" ca "), "CA");
        assert_eq!(normalize_region("new  york"), "NY");
        assert_eq!(normalize_region("Québec"), "québec");
        assert_eq!(normalize_region("Bavaria"), "bavaria");
    }

    #[test]
    fn normalising() {
        assert_eq!(
            normalize("  Information-Technology "),
            "information technology"
        );
        assert_eq!(normalize("R&D"), "r&d");
        assert_eq!(normalize("Closed - Won"), "closed won");
    }

    #[test]
    fn more_than_ten_thousand_values_in_any_merge_order() {
        let hashes: Vec<u64> = (0..25_000u64).map(|i| xxh3_64(&i.to_le_bytes())).collect();
        let mut whole = BottomK::default();
        for h in &hashes {
            whole.add(*h, 1);
        }
        let mut parts: Vec<BottomK> = (0..4).map(|_| BottomK::default()).collect();
        for (i, h) in hashes.iter().rev().enumerate() {
            parts[i % 4].add(*h, 1);
        }
        let mut merged = parts.pop().unwrap();
        for p in parts {
            merged.merge(p);
        }
        whole.prune();
        merged.prune();
        assert_eq!(whole.counts, merged.counts);
        assert_eq!(whole.cut, merged.cut);
        assert_eq!(
            whole.rest, merged.rest,
            "the rest is the same records in any order"
        );
        assert_eq!(merged.distinct(), None);
        let mut small = BottomK::default();
        for h in &hashes[..10_000] {
            small.add(*h, 2);
        }
        assert_eq!(small.distinct(), Some(10_000));
    }

    #[test]
    fn a_value_on_most_records_is_found_past_the_sample() {
        // 15,000 values once each, and one value on 25,000 records, whose hash is large.
        let heavy = u64::MAX - 12_345;
        let mut parts: Vec<BottomK> = (0..3).map(|_| BottomK::default()).collect();
        for i in 0..15_000u64 {
            parts[(i % 3) as usize].add(xxh3_64(&i.to_le_bytes()) >> 1, 1);
        }
        for i in 0..25_000u64 {
            parts[(i % 3) as usize].add(heavy, 1);
        }
        let mut merged = parts.pop().unwrap();
        for p in parts {
            merged.merge(p);
        }
        let (hash, count) = merged.top().unwrap();
        assert_eq!(hash, heavy);
        assert!((25_000..25_100).contains(&count), "{count}");
    }

    #[test]
    fn mojibake() {
        for bad in ["MÃ¼ller", "CafÃ©", "Itâ€™s", "SÃ£o Paulo", "100Â\u{a0}%"] {
            assert!(is_mojibake(bad), "{bad}");
        }
        for good in ["Müller", "Café", "It’s", "São Paulo", "Ãlvaro", "plain"] {
            assert!(!is_mojibake(good), "{good}");
        }
    }
}
