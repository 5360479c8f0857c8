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
    /// Rules for raw columns no map knows.
    #[serde(default)]
    pub columns: BTreeMap<String, RawColumnRule>,
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
    /// A measure that falls by more than this many percentage points since a run is a
    /// regression (counts: by more than this many percent).
    pub regression_points: Option<Spanned<f64>>,
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
    /// Overrides the field's shipped type.
    #[serde(rename = "type")]
    pub field_type: Option<Spanned<String>>,
    /// Valid values (replaces the shipped list).
    pub allowed: Option<Spanned<Vec<String>>>,
    /// A regular expression valid values match.
    pub pattern: Option<Spanned<String>>,
}

/// Rules for a raw export column that no map knows (`[columns."Persona__c"]`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawColumnRule {
    #[serde(rename = "type")]
    pub field_type: Option<Spanned<String>>,
    pub allowed: Option<Spanned<Vec<String>>>,
    pub pattern: Option<Spanned<String>>,
    #[serde(default)]
    pub missing_values: Vec<String>,
}

/// `where = { field = "is_converted", is = "true" }`. Read from the `where` value, so its
/// errors point at the whole table.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWhere {
    pub field: Option<String>,
    pub column: Option<String>,
    #[serde(rename = "in")]
    pub in_list: Option<Vec<String>>,
    pub not_in: Option<Vec<String>>,
    pub is: Option<toml::Value>,
}

/// `field-maps/types.toml`: the type of every canonical field.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFieldTypes {
    pub types: BTreeMap<String, Spanned<String>>,
    pub checks: RawTypeChecks,
    /// vendor -> field -> the vendor's standard values.
    #[serde(default)]
    pub allowed: BTreeMap<String, BTreeMap<String, Vec<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTypeChecks {
    pub history: Vec<String>,
    pub non_negative: Vec<String>,
    pub categorical_text: Vec<String>,
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
    /// A vendor's own AI feature: judged only on that vendor's exports.
    #[serde(default)]
    pub vendors: Option<Vec<Spanned<String>>>,
    pub requires: Vec<Spanned<RawRequirement>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRequirement {
    pub field: Option<Spanned<String>>,
    pub column: Option<Spanned<String>>,
    /// Met per record by any of these canonical fields.
    pub any_of: Option<Spanned<Vec<Spanned<String>>>>,
    /// Identity key of a duplicates requirement (`email`, `domain`, `name_company`, `phone`).
    pub key: Option<Spanned<String>>,
    pub min_fill: Option<Spanned<f64>>,
    pub min_valid: Option<Spanned<f64>>,
    pub min_fresh: Option<Spanned<f64>>,
    pub max_duplicate_rate: Option<Spanned<f64>>,
    pub max_dominant_share: Option<Spanned<f64>>,
    pub min_count: Option<Spanned<i64>>,
    pub min_reachable: Option<Spanned<i64>>,
    pub within_days: Option<Spanned<i64>>,
    pub date_field: Option<Spanned<String>>,
    /// One `{ field, in | not_in | is }` table, or an array of them that must all pass.
    #[serde(rename = "where")]
    pub filter: Option<Spanned<toml::Value>>,
    #[serde(default)]
    pub source: Option<String>,
}
