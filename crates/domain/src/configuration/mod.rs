//! A node's general configuration: key/value properties, the spec's standard properties and
//! their types (as data), the limits, and the filter of a read.
//!
//! Values may be secrets (see [`secrets`]): no `Debug` here ever prints a value, so a property
//! can never reach a log line through `{:?}`.

mod secrets;

pub use secrets::{ConfigWrite, MASK, WriteMode, is_secret};

use crate::error::DomainError;
use serde_json::{Number, Value};
use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Most properties one node's configuration holds, and one request may name.
pub const MAX_PROPERTIES: usize = 500;
/// Longest key, in characters (all ASCII).
pub const MAX_KEY_CHARS: usize = 128;
/// Longest text value, in characters.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Longest `search` of a read, in characters.
pub const MAX_SEARCH_CHARS: usize = 255;

/// The type of a value, as the spec's table of standard properties names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Boolean,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Boolean => "boolean",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::String, Self::Number, Self::Boolean].into_iter().find(|t| t.as_str() == raw)
    }
}

/// The standard properties of fusion-draas-groups ("Standard Properties") and their types: any
/// other key is free, these must carry a value of their type.
pub const STANDARD_PROPERTIES: &[(&str, ValueType)] = &[
    ("draas_azure_application_name", ValueType::String),
    ("draas_default_mode", ValueType::String),
    ("draas_dummy_user_name", ValueType::String),
    ("draas_external_trunkgroup_name", ValueType::String),
    ("draas_external_trunkgroup_uuid", ValueType::String),
    ("draas_group", ValueType::String),
    ("draas_main_domain", ValueType::String),
    ("draas_oc_calling_profile_id", ValueType::String),
    ("draas_oc_onboarding_confirmation_required", ValueType::Boolean),
    ("draas_porting_cc", ValueType::String),
    ("draas_profile_distributor_admin", ValueType::String),
    ("draas_profile_group_admin", ValueType::String),
    ("draas_profile_reseller_admin", ValueType::String),
    ("draas_profile_system_admin", ValueType::String),
    ("draas_profile_tenant_admin", ValueType::String),
    ("draas_pstn_usage", ValueType::String),
    ("draas_sbc_ip", ValueType::String),
    ("draas_sbc_network_interface", ValueType::String),
    ("draas_sbc_parent_realm", ValueType::String),
    ("draas_sbc_port", ValueType::Number),
    ("draas_tgrp_name", ValueType::String),
    ("draas_trunk_context", ValueType::String),
    ("draas_voice_route", ValueType::String),
    ("draas_vrp", ValueType::String),
    ("eva_combinations", ValueType::String),
    ("eva_licenses", ValueType::String),
];

/// The type a standard property must have; `None` for any other key.
pub fn standard_type(key: &str) -> Option<ValueType> {
    STANDARD_PROPERTIES.iter().find(|(name, _)| *name == key).map(|(_, t)| *t)
}

/// A property's name: 1 to 128 of ASCII letters, digits, `_`, `.`, `-`. Compared as written
/// (case-sensitive), as the keys of a JSON object are.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PropertyKey(String);

impl PropertyKey {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let valid = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
        if raw.is_empty() || raw.len() > MAX_KEY_CHARS || !raw.chars().all(valid) {
            return Err(DomainError::property(raw, "a key is 1 to 128 of ASCII letters, digits, '_', '.' or '-'"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for PropertyKey {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PropertyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A property's value: a JSON string, number or boolean.
#[derive(Clone, PartialEq, Eq)]
pub enum PropertyValue {
    Text(String),
    Number(Number),
    Boolean(bool),
}

impl fmt::Debug for PropertyValue {
    /// The type only: a value may be a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(..)", self.value_type().as_str())
    }
}

impl PropertyValue {
    /// The value a client sent for `key`: of the standard type for a standard key, a string of
    /// at most [`MAX_TEXT_CHARS`] without NUL characters. Errors name the key, never the value.
    pub fn from_json(key: &PropertyKey, value: Value) -> Result<Self, DomainError> {
        let parsed = match value {
            Value::String(text) => {
                if text.chars().count() > MAX_TEXT_CHARS {
                    return Err(DomainError::property(key.as_str(), "a text value is at most 4096 characters"));
                }
                if text.contains('\0') {
                    return Err(DomainError::property(key.as_str(), "a text value must not contain NUL characters"));
                }
                Self::Text(text)
            }
            Value::Number(number) => Self::Number(number),
            Value::Bool(flag) => Self::Boolean(flag),
            Value::Null | Value::Array(_) | Value::Object(_) => {
                return Err(DomainError::property(key.as_str(), "a value is a string, a number or a boolean"));
            }
        };
        match standard_type(key.as_str()) {
            Some(expected) if expected != parsed.value_type() => {
                let reason = format!("a standard property of type {}", expected.as_str());
                Err(DomainError::property(key.as_str(), reason))
            }
            _ => Ok(parsed),
        }
    }

    pub fn value_type(&self) -> ValueType {
        match self {
            Self::Text(_) => ValueType::String,
            Self::Number(_) => ValueType::Number,
            Self::Boolean(_) => ValueType::Boolean,
        }
    }

    pub fn to_json(&self) -> Value {
        match self {
            Self::Text(text) => Value::String(text.clone()),
            Self::Number(number) => Value::Number(number.clone()),
            Self::Boolean(flag) => Value::Bool(*flag),
        }
    }

    /// The value as stores keep it: its type and its text (`"5061"`, `"true"`).
    pub fn to_stored(&self) -> (ValueType, String) {
        let text = match self {
            Self::Text(text) => text.clone(),
            Self::Number(number) => number.to_string(),
            Self::Boolean(flag) => flag.to_string(),
        };
        (self.value_type(), text)
    }

    /// A value read back from a store; `None` when the text is not of the type.
    pub fn from_stored(value_type: ValueType, text: &str) -> Option<Self> {
        match value_type {
            ValueType::String => Some(Self::Text(text.to_owned())),
            ValueType::Number => text.parse().ok().map(Self::Number),
            ValueType::Boolean => text.parse().ok().map(Self::Boolean),
        }
    }
}

/// A node's configuration (or part of it), ordered by key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Properties(BTreeMap<PropertyKey, PropertyValue>);

impl fmt::Debug for Properties {
    /// Keys with their values masked when secret: `Debug` output may reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (key, value) in &self.0 {
            if is_secret(key.as_str()) {
                map.entry(&key.as_str(), &MASK);
            } else {
                map.entry(&key.as_str(), &value.to_json());
            }
        }
        map.finish()
    }
}

impl FromIterator<(PropertyKey, PropertyValue)> for Properties {
    fn from_iter<I: IntoIterator<Item = (PropertyKey, PropertyValue)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

impl Properties {
    pub fn get(&self, key: &str) -> Option<&PropertyValue> {
        self.0.get(key)
    }

    pub fn insert(&mut self, key: PropertyKey, value: PropertyValue) {
        self.0.insert(key, value);
    }

    pub fn remove(&mut self, key: &str) -> Option<PropertyValue> {
        self.0.remove(key)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&PropertyKey, &PropertyValue)> {
        self.0.iter()
    }

    /// What a read shows: the properties `filter` selects, secrets replaced by [`MASK`].
    pub fn shown(&self, filter: &PropertyFilter) -> Properties {
        self.0
            .iter()
            .filter(|(key, _)| filter.admits(key))
            .map(|(key, value)| {
                let value = if is_secret(key.as_str()) { PropertyValue::Text(MASK.to_owned()) } else { value.clone() };
                (key.clone(), value)
            })
            .collect()
    }
}

/// Which properties a read returns: `keys` (exact names) and `search` (a case-insensitive
/// substring of the key), both when both are given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyFilter {
    keys: Option<BTreeSet<PropertyKey>>,
    search: Option<String>,
}

impl PropertyFilter {
    /// `keys` is a comma-separated list (items trimmed, empty items ignored; an empty list
    /// restricts nothing); `search` is trimmed (empty means none).
    pub fn parse(keys: Option<&str>, search: Option<&str>) -> Result<Self, DomainError> {
        let keys = match keys {
            None => None,
            Some(list) => {
                let names: Vec<&str> = list.split(',').map(str::trim).filter(|k| !k.is_empty()).collect();
                if names.len() > MAX_PROPERTIES {
                    return Err(DomainError::invalid("keys", "at most 500 keys"));
                }
                let parsed = names.into_iter().map(PropertyKey::parse).collect::<Result<BTreeSet<_>, _>>()?;
                (!parsed.is_empty()).then_some(parsed)
            }
        };
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS) {
            return Err(DomainError::invalid("search", "at most 255 characters"));
        }
        Ok(Self { keys, search: search.map(str::to_lowercase) })
    }

    pub fn admits(&self, key: &PropertyKey) -> bool {
        self.keys.as_ref().is_none_or(|keys| keys.contains(key))
            && self.search.as_ref().is_none_or(|needle| key.as_str().to_ascii_lowercase().contains(needle.as_str()))
    }
}

/// The keys of a deletion (`{"keys": [...]}`), each valid, at most [`MAX_PROPERTIES`].
pub fn parse_keys(raw: &[String]) -> Result<BTreeSet<PropertyKey>, DomainError> {
    if raw.len() > MAX_PROPERTIES {
        return Err(DomainError::invalid("keys", "at most 500 keys"));
    }
    raw.iter().map(|key| PropertyKey::parse(key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn key(raw: &str) -> PropertyKey {
        PropertyKey::parse(raw).unwrap()
    }

    fn reason_of(err: DomainError) -> (String, String) {
        match err {
            DomainError::InvalidProperty { key, reason } => (key, reason),
            other => panic!("not a property error: {other:?}"),
        }
    }

    #[test]
    fn keys_are_1_to_128_of_a_restricted_alphabet() {
        for good in ["a", "draas_sbc_port", "prop.1-x_Y", &"k".repeat(128)] {
            assert_eq!(PropertyKey::parse(good).unwrap().as_str(), good);
        }
        for bad in ["", " a", "a b", "a/b", "é", "a\u{0}"] {
            assert_eq!(reason_of(PropertyKey::parse(bad).unwrap_err()).0, bad, "the error names the key");
        }
        let long = reason_of(PropertyKey::parse(&"k".repeat(5000)).unwrap_err()).0;
        assert_eq!(long, format!("{}…", "k".repeat(128)), "an over-long key is named by its start");
    }

    #[test]
    fn every_standard_property_of_the_spec_has_its_type() {
        assert_eq!(STANDARD_PROPERTIES.len(), 26);
        assert_eq!(standard_type("draas_sbc_port"), Some(ValueType::Number));
        assert_eq!(standard_type("draas_oc_onboarding_confirmation_required"), Some(ValueType::Boolean));
        assert_eq!(standard_type("eva_licenses"), Some(ValueType::String));
        assert_eq!(standard_type("prop_1"), None);
        let names: BTreeSet<&str> = STANDARD_PROPERTIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), STANDARD_PROPERTIES.len(), "a standard property is listed twice");
    }

    #[test]
    fn values_are_strings_numbers_or_booleans_and_standard_ones_typed() {
        assert_eq!(PropertyValue::from_json(&key("x"), json!("a")).unwrap(), PropertyValue::Text("a".into()));
        assert_eq!(PropertyValue::from_json(&key("draas_sbc_port"), json!(5061)).unwrap().to_json(), json!(5061));
        assert_eq!(PropertyValue::from_json(&key("x"), json!(2.5)).unwrap().to_json(), json!(2.5));
        for bad in [json!(null), json!([1]), json!({ "a": 1 })] {
            let (k, reason) = reason_of(PropertyValue::from_json(&key("prop_1"), bad).unwrap_err());
            assert_eq!((k.as_str(), reason.as_str()), ("prop_1", "a value is a string, a number or a boolean"));
        }
        let (k, reason) = reason_of(PropertyValue::from_json(&key("draas_sbc_port"), json!("5061")).unwrap_err());
        assert_eq!((k.as_str(), reason.as_str()), ("draas_sbc_port", "a standard property of type number"));
        let flag = key("draas_oc_onboarding_confirmation_required");
        assert!(PropertyValue::from_json(&flag, json!("true")).is_err());
        assert!(PropertyValue::from_json(&flag, json!(true)).is_ok());
    }

    #[test]
    fn text_values_are_bounded_and_never_hold_nul() {
        assert!(PropertyValue::from_json(&key("x"), json!("é".repeat(4096))).is_ok());
        assert!(PropertyValue::from_json(&key("x"), json!("é".repeat(4097))).is_err());
        assert!(PropertyValue::from_json(&key("x"), json!("a\u{0}b")).is_err());
    }

    #[test]
    fn values_round_trip_through_their_stored_form() {
        for value in [json!("text"), json!(5061), json!(-3), json!(2.31), json!(1e300), json!(true), json!(false)] {
            let parsed = PropertyValue::from_json(&key("x"), value.clone()).unwrap();
            let (value_type, text) = parsed.to_stored();
            let back = PropertyValue::from_stored(ValueType::parse(value_type.as_str()).unwrap(), &text).unwrap();
            assert_eq!(back.to_json(), value);
        }
        assert_eq!(PropertyValue::from_stored(ValueType::Number, "five"), None);
    }

    #[test]
    fn no_debug_output_shows_a_value_and_secrets_show_masked() {
        let value = PropertyValue::Text("hunter2-secret".into());
        assert_eq!(format!("{value:?}"), "string(..)");
        let properties: Properties = [
            (key("draas_sip_password"), PropertyValue::Text("hunter2-secret".into())),
            (key("draas_group"), PropertyValue::Text("Copaco".into())),
        ]
        .into_iter()
        .collect();
        let debug = format!("{properties:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("\"draas_sip_password\": \"********\"") && debug.contains("Copaco"), "{debug}");
    }

    #[test]
    fn a_read_shows_the_selected_keys_with_secrets_masked() {
        let properties: Properties = [
            (key("draas_sip_password"), PropertyValue::Text("s3cret".into())),
            (key("Api_TOKEN"), PropertyValue::Number(7.into())),
            (key("draas_group"), PropertyValue::Text("Copaco".into())),
            (key("draas_sbc_ip"), PropertyValue::Text("152.70.50.133".into())),
        ]
        .into_iter()
        .collect();
        let all = properties.shown(&PropertyFilter::default());
        assert_eq!(all.get("draas_sip_password").unwrap().to_json(), json!(MASK));
        assert_eq!(all.get("Api_TOKEN").unwrap().to_json(), json!(MASK));
        assert_eq!(all.get("draas_group").unwrap().to_json(), json!("Copaco"));
        let keys = PropertyFilter::parse(Some(" draas_group, missing ,"), None).unwrap();
        assert_eq!(properties.shown(&keys).iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["draas_group"]);
        let search = PropertyFilter::parse(None, Some(" SBC ")).unwrap();
        assert_eq!(properties.shown(&search).iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["draas_sbc_ip"]);
        let both = PropertyFilter::parse(Some("draas_group,draas_sbc_ip"), Some("group")).unwrap();
        assert_eq!(properties.shown(&both).len(), 1);
        assert_eq!(PropertyFilter::parse(Some(" , "), Some("  ")).unwrap(), PropertyFilter::default());
        assert!(PropertyFilter::parse(Some("a b"), None).is_err());
        assert!(PropertyFilter::parse(None, Some(&"s".repeat(256))).is_err());
    }

    #[test]
    fn deleted_keys_are_validated_and_bounded() {
        let keys = parse_keys(&["prop_1".into(), "prop_1".into(), "prop_2".into()]).unwrap();
        assert_eq!(keys.len(), 2);
        assert!(parse_keys(&["bad key".into()]).is_err());
        assert!(parse_keys(&vec!["k".to_owned(); MAX_PROPERTIES + 1]).is_err());
    }
}
