//! Validated configuration: what the audit works from once the TOML has been checked.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// The kind of CRM record an export holds, shared across vendors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
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

/// What the dictionary asks of one field or column.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub target: Target,
    pub min_fill: f64,
    pub source: Option<String>,
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
}

impl Target {
    pub fn any_of(fields: Vec<String>) -> Target {
        let name = fields.join(" or ");
        Target::AnyOf { fields, name }
    }

    pub fn name(&self) -> &str {
        match self {
            Target::Field(name) | Target::Column(name) | Target::AnyOf { name, .. } => name,
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
    pub requires: Vec<Requirement>,
}

impl UseCase {
    /// Whether the use case can be judged on an export of `kind` records. An export whose kind
    /// is unknown (no field map matched) only serves use cases that name no kind.
    pub fn applies_to(&self, kind: Option<ObjectKind>) -> bool {
        self.objects.is_empty() || kind.is_some_and(|kind| self.objects.contains(&kind))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dictionary {
    pub at_risk_margin: f64,
    /// Placeholders that count as missing in every column, on top of the built-in ones.
    pub missing_values: Vec<String>,
    /// canonical field -> extra placeholders for that field only.
    pub field_missing_values: BTreeMap<String, Vec<String>>,
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
