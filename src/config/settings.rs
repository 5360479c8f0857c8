//! Validated configuration: what the audit works from once the TOML has been checked.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// The kind of CRM record an export holds, shared across vendors.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    Contact,
    Lead,
    Account,
    Opportunity,
}

impl ObjectKind {
    pub const ALL: [ObjectKind; 4] = [
        ObjectKind::Contact,
        ObjectKind::Lead,
        ObjectKind::Account,
        ObjectKind::Opportunity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Contact => "contact",
            ObjectKind::Lead => "lead",
            ObjectKind::Account => "account",
            ObjectKind::Opportunity => "opportunity",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A vendor export layout: column labels (matched case-insensitively, trimmed) to canonical fields.
#[derive(Debug, Clone)]
pub struct FieldMap {
    /// `vendor/object`, e.g. `hubspot/contacts`.
    pub name: String,
    pub vendor: String,
    pub object: String,
    pub kind: ObjectKind,
    /// Normalised label -> canonical field.
    labels: BTreeMap<String, String>,
    /// Normalised label prefixes (labels written with a trailing `*`) -> canonical field.
    prefixes: Vec<(String, String)>,
    /// Normalised labels that tell this kind of export apart from others.
    distinctive: Vec<String>,
    /// canonical field -> the label the vendor's export gives it (the first listed).
    vendor_labels: BTreeMap<String, String>,
}

impl FieldMap {
    pub fn new(
        vendor: String,
        object: String,
        kind: ObjectKind,
        labels: BTreeMap<String, String>,
    ) -> Self {
        FieldMap {
            name: format!("{vendor}/{object}"),
            vendor,
            object,
            kind,
            labels,
            prefixes: Vec::new(),
            distinctive: Vec::new(),
            vendor_labels: BTreeMap::new(),
        }
    }

    /// Sets the label to ask for when a field is missing from an export (`Contact owner`).
    pub fn with_vendor_labels(mut self, vendor_labels: BTreeMap<String, String>) -> Self {
        self.vendor_labels = vendor_labels;
        self
    }

    /// The map with more labels: `aliases` maps canonical fields to labels. A label the map
    /// already knows keeps its meaning.
    pub fn with_aliases(mut self, aliases: &BTreeMap<String, Vec<String>>) -> Self {
        for (canonical, labels) in aliases {
            for label in labels {
                self.labels
                    .entry(normalize_label(label))
                    .or_insert_with(|| canonical.clone());
            }
        }
        self
    }

    /// The column label under which this vendor exports `canonical`, to re-export with.
    pub fn vendor_label(&self, canonical: &str) -> Option<&str> {
        self.vendor_labels.get(canonical).map(String::as_str)
    }

    /// Adds labels written as `prefix*` and the distinctive labels.
    pub fn with_patterns(
        mut self,
        prefixes: Vec<(String, String)>,
        distinctive: Vec<String>,
    ) -> Self {
        self.prefixes = prefixes;
        self.distinctive = distinctive.iter().map(|d| normalize_label(d)).collect();
        self
    }

    /// The canonical field a column label carries, if the map knows it.
    pub fn canonical_for(&self, label: &str) -> Option<&str> {
        let label = normalize_label(label);
        self.labels.get(&label).map(String::as_str).or_else(|| {
            self.prefixes
                .iter()
                .find(|(prefix, _)| label.starts_with(prefix.as_str()))
                .map(|(_, canonical)| canonical.as_str())
        })
    }

    /// How many of `labels` are distinctive of this map's kind of export.
    pub fn distinctive_matches<'a>(&self, labels: impl IntoIterator<Item = &'a String>) -> usize {
        labels
            .into_iter()
            .filter(|l| self.distinctive.contains(&normalize_label(l)))
            .count()
    }

    /// Every canonical field this map can produce.
    pub fn canonical_fields(&self) -> impl Iterator<Item = &str> {
        self.labels
            .values()
            .chain(self.prefixes.iter().map(|(_, c)| c))
            .map(String::as_str)
    }
}

/// Labels compare without case and surrounding spaces.
pub fn normalize_label(label: &str) -> String {
    label.trim().to_lowercase()
}

/// What a field holds, and so how its values are checked.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    Email,
    Phone,
    Url,
    Country,
    Date,
    Number,
    Boolean,
    Picklist,
    Id,
    Text,
}

impl FieldType {
    pub const ALL: [FieldType; 10] = [
        FieldType::Email,
        FieldType::Phone,
        FieldType::Url,
        FieldType::Country,
        FieldType::Date,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Picklist,
        FieldType::Id,
        FieldType::Text,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FieldType::Email => "email",
            FieldType::Phone => "phone",
            FieldType::Url => "url",
            FieldType::Country => "country",
            FieldType::Date => "date",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Picklist => "picklist",
            FieldType::Id => "id",
            FieldType::Text => "text",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

/// The shipped field types (`field-maps/types.toml`): per canonical field its type, and the
/// lists that refine the checks.
#[derive(Debug, Clone, Default)]
pub struct FieldTypes {
    pub types: BTreeMap<String, FieldType>,
    /// Dates of record history: not after `--as-of` plus one day.
    pub history: std::collections::BTreeSet<String>,
    /// Numbers that cannot be negative.
    pub non_negative: std::collections::BTreeSet<String>,
    /// Text fields counted for consistency like picklists.
    pub categorical_text: std::collections::BTreeSet<String>,
    /// (vendor, field) -> the vendor's standard values.
    pub allowed: BTreeMap<(String, String), Vec<String>>,
}

impl Dictionary {
    /// Whether any requirement needs more than fill counts. A fill-only dictionary gets a
    /// fill-only audit, as fast as one can be; any other measure turns every check on.
    pub fn uses_checks(&self) -> bool {
        self.use_cases
            .iter()
            .flat_map(|u| &u.requires)
            .any(|r| !r.filter.is_empty() || !matches!(r.measure, Measure::Fill { .. }))
    }
}

impl FieldTypes {
    pub fn type_of(&self, field: &str) -> FieldType {
        self.types.get(field).copied().unwrap_or(FieldType::Text)
    }
}

/// What a dictionary says of one field or column, over the shipped types.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldRule {
    pub field_type: Option<FieldType>,
    /// Replaces the shipped allowed values.
    pub allowed: Option<Vec<String>>,
    /// A regular expression (already checked to compile) valid values must match.
    pub pattern: Option<String>,
    pub missing_values: Vec<String>,
}

/// What the dictionary asks of one field or column.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub target: Target,
    pub measure: Measure,
    /// Only records that pass all of these count (fill and count requirements).
    pub filter: Vec<Filter>,
    pub source: Option<String>,
}

/// The one measure a requirement names, and its threshold.
#[derive(Debug, Clone, PartialEq)]
pub enum Measure {
    /// Share of records with the field filled.
    Fill { min: f64 },
    /// Share of records with a valid value.
    Valid { min: f64 },
    /// Share of records with a date within `within_days` before `--as-of`.
    Fresh { min: f64, within_days: u32 },
    /// Duplicate records over all records, by an identity key.
    Duplicates { max: f64, key: String },
    /// Share of records holding the field's most common value.
    Dominant { max: f64 },
    /// Records (passing `filter`), with a date within a window when given.
    Count { min: u64, window: Option<Window> },
    /// Email addresses that may be emailed.
    Reachable { min: u64 },
}

impl Measure {
    /// The name JSON gives the measure.
    pub fn name(&self) -> &'static str {
        match self {
            Measure::Fill { .. } => "fill",
            Measure::Valid { .. } => "valid",
            Measure::Fresh { .. } => "fresh",
            Measure::Duplicates { .. } => "duplicates",
            Measure::Dominant { .. } => "dominant",
            Measure::Count { .. } => "count",
            Measure::Reachable { .. } => "reachable",
        }
    }

    /// The threshold as a number: a share, or a number of records.
    pub fn threshold(&self) -> f64 {
        match self {
            Measure::Fill { min }
            | Measure::Valid { min }
            | Measure::Fresh { min, .. }
            | Measure::Duplicates { max: min, .. }
            | Measure::Dominant { max: min } => *min,
            Measure::Count { min, .. } | Measure::Reachable { min } => *min as f64,
        }
    }
}

/// A time window for a count: the date field, and how many days before `--as-of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    pub date_field: Target,
    pub within_days: u32,
}

/// Which records a requirement counts: a field's value in a list, out of it, or a boolean.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub target: Target,
    pub test: FilterTest,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilterTest {
    In(Vec<String>),
    NotIn(Vec<String>),
    Is(bool),
}

/// A requirement names a canonical field (any vendor), a raw column (custom fields), or
/// several canonical fields of which any one will do, record by record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Field(String),
    Column(String),
    AnyOf {
        fields: Vec<String>,
        /// `website or email_domain`: how reports name it.
        name: String,
    },
    /// The records themselves (a count requirement names no field).
    Records,
    /// An identity key (`name_company`) for a duplicates requirement.
    Key(String),
}

impl Target {
    pub fn any_of(fields: Vec<String>) -> Target {
        let name = fields.join(" or ");
        Target::AnyOf { fields, name }
    }

    pub fn name(&self) -> &str {
        match self {
            Target::Field(name) | Target::Column(name) | Target::AnyOf { name, .. } => name,
            Target::Records => "records",
            Target::Key(key) => key,
        }
    }
}

/// Company-level fields that a contact or lead may take from its account by default: in
/// Salesforce they live on the Account, in HubSpot on the associated company.
pub const ACCOUNT_FIELDS: &[&str] = &[
    "annual_revenue",
    "company_name",
    "employee_count",
    "industry",
    "website",
];

#[derive(Debug, Clone, PartialEq)]
pub struct UseCase {
    pub id: String,
    pub title: String,
    /// Empty means the use case applies to every kind of export.
    pub objects: Vec<ObjectKind>,
    /// A vendor's own AI feature (`salesforce`): empty means any vendor.
    pub vendors: Vec<String>,
    pub requires: Vec<Requirement>,
}

impl UseCase {
    /// Whether the use case can be judged on an export of `kind` records. An export whose kind
    /// is unknown (no field map matched) only serves use cases that name no kind.
    pub fn applies_to(&self, kind: Option<ObjectKind>) -> bool {
        self.objects.is_empty() || kind.is_some_and(|kind| self.objects.contains(&kind))
    }

    /// Whether the use case is a feature of `vendor` (or of no vendor in particular).
    pub fn serves_vendor(&self, vendor: Option<&str>) -> bool {
        self.vendors.is_empty() || vendor.is_some_and(|v| self.vendors.iter().any(|w| w == v))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary {
    pub at_risk_margin: f64,
    /// Percentage points a measure may fall between runs before it is a regression.
    pub regression_points: f64,
    /// Placeholders that count as missing in every column, on top of the built-in ones.
    pub missing_values: Vec<String>,
    /// canonical field -> extra placeholders for that field only.
    pub field_missing_values: BTreeMap<String, Vec<String>>,
    /// canonical field -> type, allowed values and pattern set by the dictionary.
    pub field_rules: BTreeMap<String, FieldRule>,
    /// raw column label (normalised) -> type, allowed values, pattern and placeholders.
    pub column_rules: BTreeMap<String, FieldRule>,
    /// canonical field -> extra column labels, added to every map.
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Fields a record may take from its account (`from = [..., "account"]`; by default the
    /// `ACCOUNT_FIELDS`).
    pub from_account: std::collections::BTreeSet<String>,
    /// Sorted by id.
    pub use_cases: Vec<UseCase>,
    /// `built-in` or the file's path, for reports.
    pub name: String,
    /// `xxh3:` and the hash of the file's text.
    pub hash: String,
}
