//! A node's general configuration: key/value properties, their values, and the limits.
//!
//! Values may be secrets (see `secrets.rs`): no `Debug` here ever prints a value, so a property
//! can never reach a log line through `{:?}`.

mod filter;
mod secrets;
mod standard;

pub use filter::{PropertyFilter, parse_keys};
pub use secrets::{ConfigWrite, MASK, WriteMode, is_secret};
pub use standard::{STANDARD_PROPERTIES, ValueType, standard_type};

use crate::error::DomainError;
use serde_json::{Number, Value};
use std::borrow::Borrow;
use std::collections::BTreeMap;
use std::fmt;

/// Most properties one node's configuration holds, and one request may name.
pub const MAX_PROPERTIES: usize = 500;
/// Longest key, in characters (all ASCII).
pub const MAX_KEY_CHARS: usize = 128;
/// Longest text value, in characters.
pub const MAX_TEXT_CHARS: usize = 4096;
/// Longest `search` of a read, in characters.
pub const MAX_SEARCH_CHARS: usize = 255;

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
}
