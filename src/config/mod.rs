//! Field maps and the data dictionary: built-in defaults, user files, and their validation.

mod error;
mod raw;
mod resolve;
mod settings;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub use error::{ConfigError, Location, line_column};
pub use resolve::{closest, parse_dictionary, parse_field_map, parse_field_types, readable};
pub use settings::{
    ACCOUNT_FIELDS, Dictionary, FieldMap, FieldRule, FieldType, FieldTypes, Filter, FilterTest,
    Measure, ObjectKind, Requirement, Target, UseCase, Window, normalize_label,
};

/// The maps shipped in `field-maps/`, compiled in so the binary works from any directory.
const BUILTIN_MAPS: &[(&str, &str)] = &[
    (
        "hubspot/contacts",
        include_str!("../../field-maps/hubspot/contacts.toml"),
    ),
    (
        "hubspot/companies",
        include_str!("../../field-maps/hubspot/companies.toml"),
    ),
    (
        "hubspot/deals",
        include_str!("../../field-maps/hubspot/deals.toml"),
    ),
    (
        "salesforce/lead",
        include_str!("../../field-maps/salesforce/lead.toml"),
    ),
    (
        "salesforce/contact",
        include_str!("../../field-maps/salesforce/contact.toml"),
    ),
    (
        "salesforce/account",
        include_str!("../../field-maps/salesforce/account.toml"),
    ),
    (
        "salesforce/opportunity",
        include_str!("../../field-maps/salesforce/opportunity.toml"),
    ),
    (
        "fivetran/salesforce_lead",
        include_str!("../../field-maps/fivetran/salesforce_lead.toml"),
    ),
    (
        "fivetran/salesforce_contact",
        include_str!("../../field-maps/fivetran/salesforce_contact.toml"),
    ),
    (
        "fivetran/salesforce_account",
        include_str!("../../field-maps/fivetran/salesforce_account.toml"),
    ),
    (
        "fivetran/salesforce_opportunity",
        include_str!("../../field-maps/fivetran/salesforce_opportunity.toml"),
    ),
    (
        "fivetran/hubspot_contact",
        include_str!("../../field-maps/fivetran/hubspot_contact.toml"),
    ),
    (
        "fivetran/hubspot_company",
        include_str!("../../field-maps/fivetran/hubspot_company.toml"),
    ),
    (
        "fivetran/hubspot_deal",
        include_str!("../../field-maps/fivetran/hubspot_deal.toml"),
    ),
    (
        "airbyte/hubspot_contacts",
        include_str!("../../field-maps/airbyte/hubspot_contacts.toml"),
    ),
    (
        "airbyte/hubspot_companies",
        include_str!("../../field-maps/airbyte/hubspot_companies.toml"),
    ),
    (
        "airbyte/hubspot_deals",
        include_str!("../../field-maps/airbyte/hubspot_deals.toml"),
    ),
];

const BUILTIN_TYPES: &str = include_str!("../../field-maps/types.toml");

/// The shipped field types, parsed once (a test checks the file is valid).
pub fn field_types() -> &'static FieldTypes {
    static TYPES: std::sync::OnceLock<FieldTypes> = std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        parse_field_types(Path::new("field-maps/types.toml"), BUILTIN_TYPES).unwrap_or_default()
    })
}

pub const DEFAULT_DICTIONARY_PATH: &str = "field-maps/dictionary.toml";
const BUILTIN_DICTIONARY: &str = include_str!("../../field-maps/dictionary.toml");

/// Errors while loading configuration: unreadable files or invalid contents.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("cannot read {}: {source}", crate::shown::path(path))]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Invalid(#[from] ConfigError),
    #[error("no field map {name:?}: give a TOML file, or one of the built-in maps: {known}")]
    UnknownMap { name: String, known: String },
}

fn builtin_path(name: &str) -> PathBuf {
    PathBuf::from(format!("field-maps/{name}.toml"))
}

/// The shipped field maps, in a fixed order.
pub fn builtin_field_maps() -> Result<Vec<FieldMap>, ConfigError> {
    BUILTIN_MAPS
        .iter()
        .map(|(name, text)| parse_builtin(name, text))
        .collect()
}

/// A built-in map, named as it is shipped (`fivetran/salesforce_lead`, not its vendor and
/// object, which it shares with `salesforce/lead`).
fn parse_builtin(name: &str, text: &str) -> Result<FieldMap, ConfigError> {
    let mut map = parse_field_map(&builtin_path(name), text)?;
    map.name = name.to_owned();
    Ok(map)
}

/// Maps of tables a replication tool writes into a warehouse: for `crm-ready sql`, never
/// detected for an export file (their snake_case names would tie with every export's `Id`).
pub fn is_warehouse_map(name: &str) -> bool {
    name.starts_with("fivetran/") || name.starts_with("airbyte/")
}

/// The built-in dictionary, as shipped in field-maps/dictionary.toml: a starting point to copy.
pub fn builtin_dictionary_text() -> &'static str {
    BUILTIN_DICTIONARY
}

/// The built-in field map `name` (`hubspot/contacts`), as TOML text.
pub fn builtin_map_text(name: &str) -> Option<&'static str> {
    BUILTIN_MAPS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

pub fn builtin_map_names() -> impl Iterator<Item = &'static str> {
    BUILTIN_MAPS.iter().map(|(name, _)| *name)
}

fn read(path: &Path) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// A map named `vendor/object` among the built-in ones, or else a TOML file at that path.
pub fn load_field_map(name_or_path: &str) -> Result<FieldMap, LoadError> {
    if let Some((name, text)) = BUILTIN_MAPS.iter().find(|(name, _)| *name == name_or_path) {
        return Ok(parse_builtin(name, text)?);
    }
    let path = Path::new(name_or_path);
    if !path.exists() && !name_or_path.ends_with(".toml") {
        return Err(LoadError::UnknownMap {
            name: name_or_path.to_owned(),
            known: builtin_map_names().collect::<Vec<_>>().join(", "),
        });
    }
    let text = read(path)?;
    Ok(parse_field_map(path, &text)?)
}

/// Every canonical field that some map can produce: what a dictionary may name.
pub fn known_fields<'a>(maps: impl IntoIterator<Item = &'a FieldMap>) -> BTreeSet<String> {
    maps.into_iter()
        .flat_map(|m| m.canonical_fields().map(str::to_owned))
        .collect()
}

/// The dictionary at `path`, or the built-in default, with its name and the hash of its text
/// (so a report says exactly which rules it applied).
pub fn load_dictionary(
    path: Option<&Path>,
    known: &BTreeSet<String>,
) -> Result<Dictionary, LoadError> {
    let (name, text, file) = match path {
        Some(path) => (path.display().to_string(), read(path)?, path),
        None => (
            "built-in".to_owned(),
            BUILTIN_DICTIONARY.to_owned(),
            Path::new(DEFAULT_DICTIONARY_PATH),
        ),
    };
    let mut dictionary = parse_dictionary(file, &text, known)?;
    dictionary.name = name;
    dictionary.hash = format!("xxh3:{:016x}", xxhash_rust::xxh3::xxh3_64(text.as_bytes()));
    Ok(dictionary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_maps_and_dictionary_are_valid() {
        let maps = builtin_field_maps().unwrap();
        assert_eq!(maps.len(), BUILTIN_MAPS.len());
        let known = known_fields(&maps);
        let dict = load_dictionary(None, &known).unwrap();
        assert!(dict.use_cases.len() >= 6);
        for uc in &dict.use_cases {
            for req in &uc.requires {
                assert!(
                    req.source.is_some(),
                    "{} {} has no source",
                    uc.id,
                    req.target.name()
                );
            }
        }
    }

    #[test]
    fn field_types_are_valid_and_name_known_fields() {
        let types = parse_field_types(Path::new("field-maps/types.toml"), BUILTIN_TYPES).unwrap();
        let known = known_fields(&builtin_field_maps().unwrap());
        for field in types
            .types
            .keys()
            .chain(&types.history)
            .chain(&types.non_negative)
            .chain(&types.categorical_text)
            .chain(types.allowed.keys().map(|(_, f)| f))
        {
            assert!(known.contains(field), "{field} is in types.toml but no map");
        }
        for field in &known {
            assert!(
                types.types.contains_key(field),
                "{field} has no type in types.toml"
            );
        }
        for field in &types.history {
            assert_eq!(types.types[field], FieldType::Date, "{field}");
        }
    }

    #[test]
    fn canonical_minimum_set_is_known() {
        let known = known_fields(&builtin_field_maps().unwrap());
        for f in [
            "record_id",
            "first_name",
            "last_name",
            "email",
            "phone",
            "company_name",
            "website",
            "industry",
            "job_title",
            "lifecycle_stage",
            "lead_status",
            "annual_revenue",
            "employee_count",
            "city",
            "state",
            "country",
            "created_at",
            "last_activity_at",
            "owner",
            "lead_source",
            "email_opt_out",
        ] {
            assert!(known.contains(f), "{f} missing from the field maps");
        }
    }
}
