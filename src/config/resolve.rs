//! Turns raw TOML shapes into validated settings, with errors that point into the file.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::error::ConfigError;
use serde::Deserialize;

use super::field_types;
use toml::Spanned;

use super::raw::{
    RawColumnRule, RawDictionary, RawFieldMap, RawFieldRule, RawFieldTypes, RawRequirement,
    RawUseCase, RawWhere,
};
use super::settings::{
    ACCOUNT_FIELDS, Dictionary, FieldMap, FieldRule, FieldType, FieldTypes, Filter, FilterTest,
    Measure, ObjectKind, Requirement, Target, UseCase, Window, normalize_label,
};

const DEFAULT_AT_RISK_MARGIN: f64 = 0.05;

/// A number as people write it: `0.6`, not `1e308` spelled out in 309 digits.
pub fn readable(x: f64) -> String {
    // Rust's shortest round-trip form: `1.0000000000000002` stays apart from `1`.
    if x.is_finite() && (x == 0.0 || (1e-4..1e6).contains(&x.abs())) {
        format!("{}", x + 0.0)
    } else {
        format!("{x:e}")
    }
}

/// A syntax error on a line that is not TOML at all: no `key = value`, no `[table]`.
fn looks_like_data_file(text: &str, err: &toml::de::Error) -> bool {
    let Some(span) = err.span() else {
        return false;
    };
    let line = text[..span.start.min(text.len())]
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .to_owned()
        + text[span.start.min(text.len())..]
            .split('\n')
            .next()
            .unwrap_or_default();
    let line = line.trim();
    !line.is_empty() && !line.starts_with(['[', '#']) && !line.contains('=')
}

fn toml_error(file: &Path, text: &str, err: toml::de::Error, hint: &str) -> ConfigError {
    let message = err.message().trim().to_owned();
    let hint = if looks_like_data_file(text, &err) {
        "the file does not look like TOML (a data file given by mistake?); `crm-ready dictionary` and `crm-ready maps NAME` print examples to start from".to_owned()
    } else if message.contains("duplicate key") {
        "each key, and each use case id, may appear only once in the file".to_owned()
    } else if message.contains("unknown field") {
        format!("remove or rename the key; {hint}")
    } else {
        hint.to_owned()
    };
    ConfigError::at(file, text, err.span(), message).with_hint(hint)
}

fn is_snake_case(name: &str) -> bool {
    !name.is_empty()
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// The byte span of `key` where it first stands as a key in `text` (serde gives no spans for map keys).
fn key_span(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let bare = trimmed.trim_start_matches('"');
        if bare.starts_with(key) && bare[key.len()..].trim_start().starts_with(['=', '"', ']']) {
            let start = offset + indent + (trimmed.len() - bare.len());
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

pub fn parse_field_map(file: &Path, text: &str) -> Result<FieldMap, ConfigError> {
    let raw: RawFieldMap = toml::from_str(text).map_err(|e| {
        toml_error(
            file,
            text,
            e,
            "a field map has `vendor`, `object`, `kind` and a [fields] table",
        )
    })?;
    let kind = ObjectKind::parse(raw.kind.get_ref()).ok_or_else(|| {
        ConfigError::at(
            file,
            text,
            Some(raw.kind.span()),
            format!("unknown object kind `{}`", raw.kind.get_ref()),
        )
        .with_hint("use one of: contact, lead, account, opportunity")
    })?;
    let mut labels: BTreeMap<String, String> = BTreeMap::new();
    let mut prefixes: Vec<(String, String)> = Vec::new();
    let mut vendor_labels: BTreeMap<String, String> = BTreeMap::new();
    for (canonical, aliases) in raw.fields {
        // What to ask for in a re-export: the first label people see (with a space, as
        // report and export labels have: `Lead Owner`, not the API name `OwnerId`), else the
        // first label.
        let plain: Vec<&str> = aliases
            .iter()
            .map(|a| a.get_ref().trim())
            .filter(|a| !a.ends_with('*'))
            .collect();
        if let Some(label) = plain.iter().find(|a| a.contains(' ')).or(plain.first()) {
            vendor_labels.insert(canonical.clone(), (*label).to_owned());
        }
        if !is_snake_case(&canonical) {
            return Err(ConfigError::at(
                file,
                text,
                key_span(text, &canonical),
                format!("canonical field `{canonical}` is not snake_case"),
            )
            .with_hint("canonical names are lower-case words joined by `_`, e.g. `job_title`"));
        }
        for alias in aliases {
            let label = normalize_label(alias.get_ref());
            if let Some(prefix) = label.strip_suffix('*').filter(|p| !p.trim().is_empty()) {
                prefixes.push((prefix.to_owned(), canonical.clone()));
                continue;
            }
            if label.is_empty() {
                return Err(ConfigError::at(
                    file,
                    text,
                    Some(alias.span()),
                    "empty column label",
                ));
            }
            if let Some(previous) = labels.insert(label, canonical.clone()) {
                return Err(ConfigError::at(
                    file,
                    text,
                    Some(alias.span()),
                    format!(
                        "column label `{}` is mapped to both `{previous}` and `{canonical}`",
                        alias.get_ref()
                    ),
                )
                .with_hint("a column label may carry only one canonical field"));
            }
        }
    }
    Ok(FieldMap::new(raw.vendor, raw.object, kind, labels)
        .with_patterns(prefixes, raw.distinctive)
        .with_vendor_labels(vendor_labels))
}

/// Parses `field-maps/types.toml`.
pub fn parse_field_types(file: &Path, text: &str) -> Result<FieldTypes, ConfigError> {
    let raw: RawFieldTypes = toml::from_str(text)
        .map_err(|e| toml_error(file, text, e, "types.toml has [types] and [checks] tables"))?;
    let mut types = BTreeMap::new();
    for (field, t) in raw.types {
        let parsed = FieldType::parse(t.get_ref()).ok_or_else(|| {
            ConfigError::at(
                file,
                text,
                Some(t.span()),
                format!("unknown type `{}`", t.get_ref()),
            )
        })?;
        types.insert(field, parsed);
    }
    let mut allowed = BTreeMap::new();
    for (vendor, fields) in raw.allowed {
        for (field, values) in fields {
            allowed.insert((vendor.clone(), field), values);
        }
    }
    Ok(FieldTypes {
        types,
        history: raw.checks.history.into_iter().collect(),
        non_negative: raw.checks.non_negative.into_iter().collect(),
        categorical_text: raw.checks.categorical_text.into_iter().collect(),
        allowed,
    })
}

/// The most errors a dictionary reports at once.
const MAX_ERRORS: usize = 20;

/// Where a dictionary is read from, and what it may name: shared by the checks below.
struct DictionaryContext<'a> {
    file: &'a Path,
    text: &'a str,
    known_fields: &'a BTreeSet<String>,
    /// Field types the dictionary sets (`[fields.X] type`), read before the use cases.
    types: std::cell::RefCell<BTreeMap<String, FieldType>>,
}

impl DictionaryContext<'_> {
    /// A canonical field's type: the dictionary's, else the shipped one.
    fn type_of(&self, field: &str) -> FieldType {
        self.types
            .borrow()
            .get(field)
            .copied()
            .unwrap_or_else(|| super::field_types().type_of(field))
    }

    fn error(
        &self,
        span: Option<std::ops::Range<usize>>,
        message: impl Into<String>,
    ) -> ConfigError {
        ConfigError::at(self.file, self.text, span, message)
    }

    fn unknown_field(&self, name: &str, span: Option<std::ops::Range<usize>>) -> ConfigError {
        let near = closest(name, self.known_fields.iter().map(String::as_str));
        let hint = match near {
            Some(near) => format!(
                "did you mean `{near}`? For a column that no field map knows, write `column = \"{name}\"`"
            ),
            None => format!(
                "use a canonical field (`crm-ready maps NAME` lists a map's fields), or `column = \"{name}\"` for a raw export column"
            ),
        };
        self.error(span, format!("unknown field `{name}`"))
            .with_hint(hint)
    }

    /// The field, column or fields a requirement names (`None` when it names none).
    fn target(
        &self,
        req: &mut RawRequirement,
        req_span: &std::ops::Range<usize>,
        errors: &mut Vec<ConfigError>,
    ) -> Option<Option<Target>> {
        match (req.field.take(), req.column.take(), req.any_of.take()) {
            (None, None, Some(any)) => {
                let span = any.span();
                let fields = any.into_inner();
                if fields.len() < 2 {
                    errors.push(
                        self.error(Some(span), "`any_of` needs at least two fields")
                            .with_hint("for one field write `field = \"...\"`"),
                    );
                }
                for field in &fields {
                    if !self.known_fields.contains(field.get_ref()) {
                        errors.push(self.unknown_field(field.get_ref(), Some(field.span())));
                    }
                }
                Some(Some(Target::any_of(
                    fields.into_iter().map(Spanned::into_inner).collect(),
                )))
            }
            (Some(field), None, None) => {
                if !self.known_fields.contains(field.get_ref()) {
                    errors.push(self.unknown_field(field.get_ref(), Some(field.span())));
                }
                Some(Some(Target::Field(field.into_inner())))
            }
            (None, Some(column), None) => {
                Some(Some(Target::Column(column.into_inner().trim().to_owned())))
            }
            (None, None, None) => Some(None),
            _ => {
                errors.push(self
                    .error(Some(req_span.clone()), "a requirement names more than one of `field`, `column` and `any_of`")
                    .with_hint("keep one: a canonical `field`, a raw export `column`, or `any_of` several fields"));
                None
            }
        }
    }

    /// `where = { ... }`, or `where = [{ ... }, { ... }]` (all must pass).
    fn filters(&self, raw: Spanned<toml::Value>, errors: &mut Vec<ConfigError>) -> Vec<Filter> {
        let span = raw.span();
        let tables = match raw.into_inner() {
            toml::Value::Array(list) => list,
            other => vec![other],
        };
        let mut filters = Vec::new();
        for table in tables {
            match RawWhere::deserialize(table) {
                Ok(raw) => {
                    if let Some(filter) = self.filter(raw, span.clone(), errors) {
                        filters.push(filter);
                    }
                }
                Err(e) => errors.push(
                    self.error(Some(span.clone()), format!("`where`: {}", e.message().trim()))
                        .with_hint("write where = { field = \"is_converted\", is = \"true\" }, or an array of such tables that must all pass"),
                ),
            }
        }
        if filters.is_empty() && errors.is_empty() {
            errors.push(self.error(Some(span), "`where` names no condition"));
        }
        filters
    }

    /// One `where` table.
    fn filter(
        &self,
        raw: RawWhere,
        span: std::ops::Range<usize>,
        errors: &mut Vec<ConfigError>,
    ) -> Option<Filter> {
        let target = match (raw.field, raw.column) {
            (Some(field), None) => {
                if !self.known_fields.contains(&field) {
                    errors.push(self.unknown_field(&field, Some(span.clone())));
                }
                Target::Field(field)
            }
            (None, Some(column)) => Target::Column(column.trim().to_owned()),
            _ => {
                errors.push(
                    self.error(Some(span), "`where` names one `field` or one `column`")
                        .with_hint("e.g. where = { field = \"is_converted\", is = \"true\" }"),
                );
                return None;
            }
        };
        let test = match (raw.in_list, raw.not_in, raw.is) {
            (Some(list), None, None) => {
                if list.is_empty() {
                    errors.push(
                        self.error(Some(span), "`in` lists no value")
                            .with_hint("list the values that count, e.g. in = [\"Closed Won\"]"),
                    );
                    return None;
                }
                FilterTest::In(list)
            }
            (None, Some(list), None) => FilterTest::NotIn(list),
            (None, None, Some(is)) => {
                let value = match &is {
                    toml::Value::Boolean(b) => Some(*b),
                    toml::Value::String(s) => crate::audit::checks::boolean::check(s.trim()).ok(),
                    _ => None,
                };
                match value {
                    Some(b) => FilterTest::Is(b),
                    None => {
                        errors.push(
                            self.error(Some(span), "`is` must be true or false")
                                .with_hint("write is = \"true\" or is = false"),
                        );
                        return None;
                    }
                }
            }
            _ => {
                errors.push(
                    self.error(
                        Some(span),
                        "`where` needs exactly one of `in`, `not_in` and `is`",
                    )
                    .with_hint("e.g. where = { field = \"deal_stage\", in = [\"Closed Won\"] }"),
                );
                return None;
            }
        };
        Some(Filter { target, test })
    }

    /// One requirement, checked against those of its use case so far; its errors go to
    /// `errors` (all of them: a wrong field and a wrong threshold are both said).
    fn requirement(
        &self,
        id: &str,
        req: Spanned<RawRequirement>,
        requires: &[Requirement],
        errors: &mut Vec<ConfigError>,
    ) -> Option<Requirement> {
        let before = errors.len();
        let req_span = req.span();
        let mut req = req.into_inner();
        let target = self.target(&mut req, &req_span, errors);
        // The one measure: a share of records, or a number of them.
        let shares = [
            ("min_fill", &req.min_fill),
            ("min_valid", &req.min_valid),
            ("min_fresh", &req.min_fresh),
            ("max_duplicate_rate", &req.max_duplicate_rate),
            ("max_dominant_share", &req.max_dominant_share),
        ];
        let counts = [
            ("min_count", &req.min_count),
            ("min_reachable", &req.min_reachable),
        ];
        let named: Vec<&str> = shares
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| *k)
            .chain(counts.iter().filter(|(_, v)| v.is_some()).map(|(k, _)| *k))
            .collect();
        const MEASURES: &str = "min_fill, min_valid, min_fresh (with within_days), max_duplicate_rate, max_dominant_share, min_count or min_reachable";
        match named.len() {
            0 => errors.push(
                self.error(Some(req_span.clone()), "a requirement names no measure")
                    .with_hint(format!("add one of {MEASURES}")),
            ),
            1 => {}
            _ => errors.push(
                self.error(
                    Some(req_span.clone()),
                    format!(
                        "a requirement names more than one measure: {}",
                        named.join(", ")
                    ),
                )
                .with_hint("a requirement checks one measure: write one requirement for each"),
            ),
        }
        let mut share = 0.0;
        for (key, value) in shares {
            if let Some(value) = value {
                // `-0.0` is zero: adding 0.0 drops the sign, so it never prints as "-0%".
                share = *value.get_ref() + 0.0;
                if !(0.0..=1.0).contains(&share) {
                    errors.push(
                        self.error(
                            Some(value.span()),
                            format!("{key} {} is outside 0..1", readable(share)),
                        )
                        .with_hint(format!("{key} is a fraction of records: 0.6 means 60%")),
                    );
                }
            }
        }
        let mut count = 0u64;
        for (key, value) in counts {
            if let Some(value) = value {
                match u64::try_from(*value.get_ref()) {
                    Ok(n) => count = n,
                    Err(_) => errors.push(
                        self.error(Some(value.span()), format!("{key} cannot be negative"))
                            .with_hint(format!("{key} is a number of records, e.g. 1000")),
                    ),
                }
            }
        }
        let within_days = match &req.within_days {
            Some(days) => match u32::try_from(*days.get_ref()) {
                Ok(d) if (1..=36_500).contains(&d) => Some(d),
                _ => {
                    errors.push(
                        self.error(
                            Some(days.span()),
                            format!("within_days {} is outside 1..36500", days.get_ref()),
                        )
                        .with_hint("a window in days before --as-of, e.g. 200"),
                    );
                    None
                }
            },
            None => None,
        };
        let measure_name = named.first().copied().unwrap_or("");
        let misplaced = |key: &str, span: std::ops::Range<usize>, works: &str| {
            self.error(
                Some(span),
                format!(
                    "`{key}` does not work with {}",
                    if measure_name.is_empty() {
                        "this requirement"
                    } else {
                        measure_name
                    }
                ),
            )
            .with_hint(format!("`{key}` works with {works}"))
        };
        if let Some(days) = &req.within_days
            && !matches!(measure_name, "min_fresh" | "min_count")
        {
            errors.push(misplaced(
                "within_days",
                days.span(),
                "min_fresh and min_count",
            ));
        }
        if measure_name == "min_fresh" && req.within_days.is_none() {
            errors.push(
                self.error(Some(req_span.clone()), "min_fresh needs `within_days`")
                    .with_hint("e.g. within_days = 365: a date in the last year is fresh"),
            );
        }
        if let Some(date_field) = &req.date_field
            && (measure_name != "min_count" || req.within_days.is_none())
        {
            errors.push(misplaced(
                "date_field",
                date_field.span(),
                "min_count and within_days",
            ));
        }
        if let Some(key) = &req.key
            && measure_name != "max_duplicate_rate"
        {
            errors.push(misplaced("key", key.span(), "max_duplicate_rate"));
        }
        let filter = match req.filter.take() {
            Some(raw) if !matches!(measure_name, "min_fill" | "min_count") => {
                errors.push(misplaced("where", raw.span(), "min_fill and min_count"));
                Vec::new()
            }
            Some(raw) => self.filters(raw, errors),
            None => Vec::new(),
        };
        let target = target?;
        let (target, measure) = match measure_name {
            "min_count" => {
                if target.is_some() {
                    errors.push(
                        self.error(Some(req_span.clone()), "min_count counts records: it names no field")
                            .with_hint("say which records with `where = { field = ..., in = [...] }` and `within_days`"),
                    );
                }
                let window =
                    within_days.map(|within_days| {
                        let date_field = req
                            .date_field
                            .as_ref()
                            .map_or("created_at", |f| f.get_ref());
                        if !self.known_fields.contains(date_field) {
                            errors.push(self.unknown_field(
                                date_field,
                                req.date_field.as_ref().map(Spanned::span),
                            ));
                        } else if self.type_of(date_field) != FieldType::Date {
                            errors.push(
                                self.error(
                                    req.date_field.as_ref().map(Spanned::span),
                                    format!("date_field `{date_field}` is not a date field (it is {})", self.type_of(date_field).as_str()),
                                )
                                .with_hint("use a date field such as created_at, close_date or last_activity_at"),
                            );
                        }
                        Window {
                            date_field: Target::Field(date_field.to_owned()),
                            within_days,
                        }
                    });
                (Target::Records, Measure::Count { min: count, window })
            }
            "min_reachable" => {
                if target
                    .as_ref()
                    .is_some_and(|t| *t != Target::Field("email".into()))
                {
                    errors.push(
                        self.error(
                            Some(req_span.clone()),
                            "min_reachable counts email addresses: it takes no other field",
                        )
                        .with_hint("remove the field, or write field = \"email\""),
                    );
                }
                (
                    Target::Field("email".into()),
                    Measure::Reachable { min: count },
                )
            }
            "max_duplicate_rate" => {
                let key = match (&target, &req.key) {
                    (_, Some(key)) => {
                        if crate::audit::checks::duplicates::IdentityKey::parse(key.get_ref())
                            .is_none()
                        {
                            errors.push(
                                self.error(
                                    Some(key.span()),
                                    format!("unknown identity key `{}`", key.get_ref()),
                                )
                                .with_hint("use email, domain, name_company or phone"),
                            );
                        }
                        key.get_ref().clone()
                    }
                    (Some(Target::Field(field)), None) => match field.as_str() {
                        "email" => "email".to_owned(),
                        "phone" => "phone".to_owned(),
                        "website" | "domain" => "domain".to_owned(),
                        other => {
                            errors.push(
                                self.error(Some(req_span.clone()), format!("`{other}` has no identity key"))
                                    .with_hint("duplicates are counted by key: field = \"email\", \"phone\" or \"website\", or key = \"name_company\" or \"domain\""),
                            );
                            String::new()
                        }
                    },
                    _ => {
                        errors.push(
                            self.error(
                                Some(req_span.clone()),
                                "max_duplicate_rate needs a `field` or a `key`",
                            )
                            .with_hint(
                                "e.g. field = \"email\", or key = \"name_company\" or \"domain\"",
                            ),
                        );
                        String::new()
                    }
                };
                let target = match (target, &req.key) {
                    (Some(target), None) => target,
                    (_, _) => Target::Key(key.clone()),
                };
                (target, Measure::Duplicates { max: share, key })
            }
            _ => {
                let Some(target) = target else {
                    if !measure_name.is_empty() {
                        errors.push(self
                            .error(Some(req_span.clone()), "a requirement names neither `field` nor `column`")
                            .with_hint("add `field = \"industry\"` (canonical), `column = \"Persona__c\"` (as in the export) or `any_of = [\"website\", \"email_domain\"]`"));
                    }
                    return None;
                };
                if measure_name == "min_fresh"
                    && let Target::Field(field) = &target
                    && self.known_fields.contains(field)
                    && self.type_of(field) != FieldType::Date
                {
                    errors.push(
                        self.error(
                            Some(req_span.clone()),
                            format!("min_fresh needs a date field; `{field}` is {}", self.type_of(field).as_str()),
                        )
                        .with_hint("freshness is measured on dates such as last_activity_at; or set [fields.X] type = \"date\""),
                    );
                }
                let measure = match measure_name {
                    "min_valid" => Measure::Valid { min: share },
                    "min_fresh" => Measure::Fresh {
                        min: share,
                        within_days: within_days.unwrap_or(1),
                    },
                    "max_dominant_share" => Measure::Dominant { max: share },
                    _ => Measure::Fill { min: share },
                };
                (target, measure)
            }
        };
        let same = |r: &Requirement| {
            r.target == target
                && r.measure.name() == measure.name()
                && r.filter == filter
                && match (&r.measure, &measure) {
                    (Measure::Count { window: a, .. }, Measure::Count { window: b, .. }) => a == b,
                    (
                        Measure::Fresh { within_days: a, .. },
                        Measure::Fresh { within_days: b, .. },
                    ) => a == b,
                    _ => true,
                }
        };
        if requires.iter().any(same) {
            errors.push(
                self.error(
                    Some(req_span),
                    format!(
                        "use case `{id}` requires {} of `{}` twice",
                        measure.name(),
                        target.name()
                    ),
                )
                .with_hint("keep one requirement per field and measure"),
            );
        }
        (errors.len() == before).then_some(Requirement {
            target,
            measure,
            filter,
            source: req.source,
        })
    }

    /// Dates are checked as dates: `allowed` and `pattern` do not apply to them, and are an
    /// error rather than silently ignored.
    fn date_rule_check(
        &self,
        field_type: FieldType,
        spans: (
            Option<std::ops::Range<usize>>,
            Option<std::ops::Range<usize>>,
        ),
        errors: &mut Vec<ConfigError>,
    ) {
        if field_type != FieldType::Date {
            return;
        }
        for (key, span) in [("allowed", spans.0), ("pattern", spans.1)] {
            if let Some(span) = span {
                errors.push(
                    self.error(Some(span), format!("`{key}` does not apply to a date field"))
                        .with_hint("dates are checked as dates (format, calendar, not in the future); remove the key, or set type = \"text\""),
                );
            }
        }
    }

    /// A field's or column's type, allowed values and pattern.
    fn rule(
        &self,
        field_type: Option<Spanned<String>>,
        allowed: Option<Spanned<Vec<String>>>,
        pattern: Option<Spanned<String>>,
        missing_values: Vec<String>,
        errors: &mut Vec<ConfigError>,
    ) -> FieldRule {
        let field_type = field_type.and_then(|t| {
            let parsed = FieldType::parse(t.get_ref());
            if parsed.is_none() {
                errors.push(
                    self.error(Some(t.span()), format!("unknown type `{}`", t.get_ref()))
                        .with_hint(format!(
                            "use one of: {}",
                            FieldType::ALL.map(FieldType::as_str).join(", ")
                        )),
                );
            }
            parsed
        });
        let allowed = allowed.map(|list| {
            if list.get_ref().is_empty() {
                errors.push(
                    self.error(Some(list.span()), "`allowed` lists no value")
                        .with_hint(
                            "list the valid values, or remove `allowed` to keep the shipped ones",
                        ),
                );
            }
            list.into_inner()
        });
        let pattern = pattern.and_then(|p| match regex::Regex::new(p.get_ref()) {
            Ok(_) => Some(p.into_inner()),
            Err(e) => {
                let detail = e.to_string();
                let last = detail.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("invalid");
                errors.push(
                    self.error(Some(p.span()), format!("invalid pattern: {}", last.trim().trim_start_matches("error: ")))
                        .with_hint("patterns use the syntax of Rust's regex crate; in TOML, write them in single quotes ('^\\d+$') so backslashes stay as they are"),
                );
                None
            }
        });
        FieldRule {
            field_type,
            allowed,
            pattern,
            missing_values,
        }
    }

    /// One use case; its errors go to `errors`, and it is returned only if it has none.
    fn use_case(
        &self,
        id: String,
        use_case: Spanned<RawUseCase>,
        errors: &mut Vec<ConfigError>,
    ) -> Option<UseCase> {
        let before = errors.len();
        let span = use_case.span();
        let use_case = use_case.into_inner();
        if !is_snake_case(&id) {
            errors.push(
                self.error(
                    key_span(self.text, &id),
                    format!("use case id `{id}` is not snake_case"),
                )
                .with_hint("ids are lower-case words joined by `_`, e.g. `lead_scoring`"),
            );
        }
        let mut objects = Vec::new();
        for object in use_case.objects.unwrap_or_default() {
            match ObjectKind::parse(object.get_ref()) {
                Some(kind) => objects.push(kind),
                None => errors.push(
                    self.error(
                        Some(object.span()),
                        format!("unknown object kind `{}`", object.get_ref()),
                    )
                    .with_hint("use one of: contact, lead, account, opportunity"),
                ),
            }
        }
        objects.sort();
        objects.dedup();
        let mut vendors = Vec::new();
        for vendor in use_case.vendors.unwrap_or_default() {
            if !is_snake_case(vendor.get_ref()) {
                errors.push(
                    self.error(
                        Some(vendor.span()),
                        format!("vendor `{}` is not lower case", vendor.get_ref()),
                    )
                    .with_hint("vendors are named as in the field maps: hubspot, salesforce"),
                );
            }
            vendors.push(vendor.into_inner());
        }
        if use_case.requires.is_empty() {
            errors.push(
                self.error(Some(span), format!("use case `{id}` requires nothing"))
                    .with_hint(format!(
                        "add a [[use_cases.{id}.requires]] entry with `field` and `min_fill`"
                    )),
            );
        }
        let mut requires = Vec::new();
        for req in use_case.requires {
            if let Some(req) = self.requirement(&id, req, &requires, errors) {
                requires.push(req);
            }
        }
        (errors.len() == before).then_some(UseCase {
            id,
            title: use_case.title,
            objects,
            vendors,
            requires,
        })
    }
}

/// The span of a `[table.name]` header in `text`.
fn table_span(text: &str, table: &str, name: &str) -> Option<std::ops::Range<usize>> {
    for header in [format!("[{table}.{name}]"), format!("[{table}.\"{name}\"]")] {
        if let Some(at) = text.find(&header) {
            let start = at + table.len() + 2 + usize::from(header.contains('"'));
            return Some(start..start + name.len());
        }
    }
    key_span(text, name)
}

/// Validates a dictionary against the canonical fields the field maps can produce. Every
/// error is reported (up to 20), not only the first.
pub fn parse_dictionary(
    file: &Path,
    text: &str,
    known_fields: &BTreeSet<String>,
) -> Result<Dictionary, ConfigError> {
    let raw: RawDictionary = toml::from_str(text).map_err(|e| {
        toml_error(
            file,
            text,
            e,
            "`crm-ready dictionary` prints the built-in dictionary, to copy and edit",
        )
    })?;
    let context = DictionaryContext {
        file,
        text,
        known_fields,
        types: Default::default(),
    };
    let mut errors = Vec::new();

    let at_risk_margin = match &raw.settings.at_risk_margin {
        Some(m) if !(0.0..1.0).contains(m.get_ref()) => {
            errors.push(
                context
                    .error(
                        Some(m.span()),
                        format!("at_risk_margin {} is outside 0..1", readable(*m.get_ref())),
                    )
                    .with_hint("a margin is a fraction of records, e.g. 0.05 for five points"),
            );
            DEFAULT_AT_RISK_MARGIN
        }
        Some(m) => *m.get_ref() + 0.0,
        None => DEFAULT_AT_RISK_MARGIN,
    };

    let regression_points = match &raw.settings.regression_points {
        Some(p) if !(0.0..=100.0).contains(p.get_ref()) => {
            errors.push(
                context
                    .error(
                        Some(p.span()),
                        format!("regression_points {} is outside 0..100", readable(*p.get_ref())),
                    )
                    .with_hint("percentage points, e.g. 5: a fill rate falling from 80% to 74% is a regression"),
            );
            5.0
        }
        Some(p) => *p.get_ref() + 0.0,
        None => 5.0,
    };

    let mut field_missing_values = BTreeMap::new();
    let mut field_rules = BTreeMap::new();
    let mut from_account: BTreeSet<String> = ACCOUNT_FIELDS.iter().map(|f| f.to_string()).collect();
    for (field, rule) in raw.fields {
        let RawFieldRule {
            missing_values,
            from,
            field_type,
            allowed,
            pattern,
        } = rule;
        let spans = (
            allowed.as_ref().map(Spanned::span),
            pattern.as_ref().map(Spanned::span),
        );
        let rule = context.rule(field_type, allowed, pattern, Vec::new(), &mut errors);
        let effective = rule
            .field_type
            .unwrap_or_else(|| field_types().type_of(&field));
        context.date_rule_check(effective, spans, &mut errors);
        if let Some(t) = rule.field_type {
            context.types.borrow_mut().insert(field.clone(), t);
        }
        if rule != FieldRule::default() {
            field_rules.insert(field.clone(), rule);
        }
        let rule = RawFieldRule {
            missing_values,
            from,
            field_type: None,
            allowed: None,
            pattern: None,
        };
        if !known_fields.contains(&field) {
            errors.push(context.unknown_field(&field, table_span(text, "fields", &field)));
        }
        if let Some(from) = rule.from {
            from_account.remove(&field);
            for object in from {
                match object.get_ref().as_str() {
                    "account" => {
                        from_account.insert(field.clone());
                    }
                    other if ObjectKind::parse(other).is_some() => {}
                    other => errors.push(
                        context
                            .error(
                                Some(object.span()),
                                format!("unknown object kind `{other}`"),
                            )
                            .with_hint("use contact, lead, account or opportunity"),
                    ),
                }
            }
        }
        field_missing_values.insert(field, rule.missing_values);
    }

    let mut column_rules = BTreeMap::new();
    for (column, rule) in raw.columns {
        let RawColumnRule {
            field_type,
            allowed,
            pattern,
            missing_values,
        } = rule;
        let spans = (
            allowed.as_ref().map(Spanned::span),
            pattern.as_ref().map(Spanned::span),
        );
        let rule = context.rule(field_type, allowed, pattern, missing_values, &mut errors);
        context.date_rule_check(
            rule.field_type.unwrap_or(FieldType::Text),
            spans,
            &mut errors,
        );
        column_rules.insert(normalize_label(&column), rule);
    }

    for field in raw.aliases.keys() {
        if !known_fields.contains(field) {
            errors.push(context.unknown_field(field, key_span(text, field)));
        }
    }

    if raw.use_cases.is_empty() {
        errors.push(
            context
                .error(None, "the dictionary defines no use case")
                .with_hint(
                    "add at least one [use_cases.<id>] table with a [[use_cases.<id>.requires]] entry",
                ),
        );
    }
    let use_cases: Vec<UseCase> = raw
        .use_cases
        .into_iter()
        .filter_map(|(id, use_case)| context.use_case(id, use_case, &mut errors))
        .collect();
    if !errors.is_empty() {
        errors.sort_by_key(|e| (e.line(), e.column()));
        let mut first = errors.remove(0);
        errors.truncate(MAX_ERRORS - 1);
        first.more = errors;
        return Err(first);
    }
    Ok(Dictionary {
        at_risk_margin,
        regression_points,
        missing_values: raw.settings.missing_values,
        field_missing_values,
        field_rules,
        column_rules,
        aliases: raw.aliases,
        from_account,
        use_cases,
        name: String::new(),
        hash: String::new(),
    })
}

/// The known name nearest to `name` by edit distance, if near enough to be a typo.
pub fn closest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 4))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> BTreeSet<String> {
        ["industry", "job_title", "email"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn dict(text: &str) -> Result<Dictionary, ConfigError> {
        parse_dictionary(Path::new("dict.toml"), text, &known())
    }

    const VALID: &str = r#"
[settings]
at_risk_margin = 0.1

[fields.industry]
missing_values = ["Other"]

[use_cases.email_personalization]
title = "AI email personalization"
objects = ["contact", "lead"]
[[use_cases.email_personalization.requires]]
field = "industry"
min_fill = 0.60
source = "rule of thumb"
[[use_cases.email_personalization.requires]]
column = "Persona__c"
min_fill = 0.5
"#;

    #[test]
    fn valid_dictionary_resolves() {
        let d = dict(VALID).unwrap();
        assert_eq!(d.at_risk_margin, 0.1);
        assert_eq!(
            d.field_missing_values["industry"],
            vec!["Other".to_string()]
        );
        let uc = &d.use_cases[0];
        assert_eq!(uc.id, "email_personalization");
        assert_eq!(uc.objects, vec![ObjectKind::Contact, ObjectKind::Lead]);
        assert_eq!(uc.requires[0].target, Target::Field("industry".into()));
        assert_eq!(uc.requires[1].target, Target::Column("Persona__c".into()));
        assert_eq!(uc.requires[1].measure, Measure::Fill { min: 0.5 });
    }

    #[test]
    fn unknown_key_points_at_it() {
        let text = VALID.replace("min_fill = 0.5", "min_fil = 0.5");
        let err = dict(&text).unwrap_err();
        assert!(err.message.contains("min_fil"), "{err}");
        assert_eq!(err.line(), Some(17), "{err}");
        assert_eq!(err.column(), Some(1), "{err}");
    }

    #[test]
    fn threshold_above_one_is_rejected_with_position() {
        let text = VALID.replace("min_fill = 0.60", "min_fill = 60");
        let err = dict(&text).unwrap_err();
        assert!(err.message.contains("outside 0..1"), "{err}");
        assert_eq!(err.line(), Some(13));
        assert_eq!(err.column(), Some(12));
        assert!(err.hint.as_deref().unwrap().contains("0.6 means 60%"));
    }

    #[test]
    fn unknown_field_suggests_the_near_one() {
        let text = VALID.replace("field = \"industry\"", "field = \"industy\"");
        let err = dict(&text).unwrap_err();
        assert_eq!(err.message, "unknown field `industy`");
        assert_eq!(err.line(), Some(12));
        assert!(
            err.hint
                .as_deref()
                .unwrap()
                .contains("did you mean `industry`")
        );
    }

    #[test]
    fn duplicate_use_case_is_an_error() {
        let text = format!("{VALID}\n[use_cases.email_personalization]\ntitle = \"again\"\n");
        let err = dict(&text).unwrap_err();
        assert!(err.message.contains("duplicate"), "{err}");
        assert_eq!(err.line(), Some(19), "{err}");
    }

    #[test]
    fn margin_outside_range_is_an_error() {
        let err = dict(&VALID.replace("0.1\n", "1.5\n")).unwrap_err();
        assert!(err.message.contains("at_risk_margin"), "{err}");
        assert_eq!(err.line(), Some(3));
    }

    #[test]
    fn field_and_column_together_is_an_error() {
        let text = VALID.replace(
            "column = \"Persona__c\"",
            "column = \"Persona__c\"\nfield = \"email\"",
        );
        let err = dict(&text).unwrap_err();
        assert!(err.message.contains("more than one of"), "{err}");
    }

    #[test]
    fn field_map_rejects_label_mapped_twice() {
        let text = "vendor = \"x\"\nobject = \"y\"\nkind = \"contact\"\n[fields]\nemail = [\"Email\"]\nphone = [\" email \"]\n";
        let err = parse_field_map(Path::new("m.toml"), text).unwrap_err();
        assert!(err.message.contains("mapped to both"), "{err}");
        assert_eq!(err.line(), Some(6));
    }

    #[test]
    fn field_map_matches_labels_without_case_or_spaces() {
        let text = "vendor = \"x\"\nobject = \"y\"\nkind = \"lead\"\n[fields]\njob_title = [\"Title\", \"Job Title\"]\n";
        let map = parse_field_map(Path::new("m.toml"), text).unwrap();
        assert_eq!(map.name, "x/y");
        assert_eq!(map.canonical_for("  JOB title "), Some("job_title"));
        assert_eq!(map.canonical_for("title"), Some("job_title"));
        assert_eq!(map.canonical_for("Titles"), None);
    }
}
