//! Serde shapes of the TOML files, exactly as written: every key checked, nothing interpreted yet.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// A field map: which vendor column labels mean which canonical field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFieldMap {
    pub vendor: String,
    pub object: String,
    /// The kind of record (contact, lead, account, opportunity) use cases refer to.
    pub kind: Spanned<String>,
    /// For people reading the file; not used by the audit.
    #[serde(default)]
    #[allow(dead_code, reason = "documentation inside the TOML file")]
    pub description: Option<String>,
    /// canonical field -> the column labels that carry it (`Opted out of email: *` matches
    /// every label that starts with the text before the `*`).
    pub fields: BTreeMap<String, Vec<Spanned<String>>>,
    /// Column labels only this kind of export has (`IsConverted` for leads, `StageName` for
    /// opportunities): they break a tie between maps that recognise as many columns.
    #[serde(default)]
    pub distinctive: Vec<String>,
}

/// A data dictionary: the AI use cases and what each needs from the data.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDictionary {
    #[serde(default)]
    pub settings: RawSettings,
    /// Per-field rules that apply wherever the field is measured.
    #[serde(default)]
    pub fields: BTreeMap<String, RawFieldRule>,
    #[serde(default)]
    pub use_cases: BTreeMap<String, Spanned<RawUseCase>>,
    /// canonical field -> more column labels that carry it, in every map.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub at_risk_margin: Option<Spanned<f64>>,
    /// Extra placeholder values that count as missing in every column.
    #[serde(default)]
    pub missing_values: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFieldRule {
    /// Values that count as missing for this field only (e.g. industry = "Other").
    #[serde(default)]
    pub missing_values: Vec<String>,
    /// Where the field may come from: the record itself and/or its account
    /// (`["contact", "account"]`).
    pub from: Option<Vec<Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUseCase {
    pub title: String,
    /// For people reading the file; not used by the audit.
    #[serde(default)]
    #[allow(dead_code, reason = "documentation inside the TOML file")]
    pub description: Option<String>,
    /// Record kinds the use case is built on; absent means every kind.
    #[serde(default)]
    pub objects: Option<Vec<Spanned<String>>>,
    pub requires: Vec<Spanned<RawRequirement>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    pub field: Option<Spanned<String>>,
    pub column: Option<Spanned<String>>,
    /// Met per record by any of these canonical fields.
    pub any_of: Option<Spanned<Vec<Spanned<String>>>>,
    pub min_fill: Spanned<f64>,
    #[serde(default)]
    pub source: Option<String>,
}
