//! The values the attributes of site groups and users are made of, each parsed from what a client
//! sent and refused naming its field: labels, digit strings, phone numbers, IANA time zones and
//! small JSON objects of text.

use super::Field;
use crate::error::DomainError;
use crate::text;
use serde_json::{Map, Value};

/// The time zone names a site group accepts: tzdata's Zone and Link names, shipped as data
/// (`crates/domain/data/time_zones.txt`, how to refresh it is in its header).
const TIME_ZONES: &str = include_str!("../../../data/time_zones.txt");

/// A member of the client's object that must be text: absent or `null` is `None`.
pub(super) fn text<'a>(input: &'a Map<String, Value>, field: &Field) -> Result<Option<&'a str>, DomainError> {
    match input.get(field.name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(raw)) => Ok(Some(raw)),
        Some(_) => Err(DomainError::invalid(field.name, "must be a string")),
    }
}

/// A member that must be an integer in the field's range: absent or `null` is `None`.
pub(super) fn integer(input: &Map<String, Value>, field: &Field) -> Result<Option<u32>, DomainError> {
    let super::JsonType::Integer { minimum, maximum } = field.json_type else {
        unreachable!("{} is not described as an integer", field.name)
    };
    match input.get(field.name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => value
            .as_u64()
            .filter(|n| (minimum..=maximum).contains(n))
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| DomainError::invalid(field.name, format!("must be an integer from {minimum} to {maximum}"))),
    }
}

/// Text of `min..=field.max_length` characters after trimming and normalisation, without control
/// characters.
pub(super) fn label(field: &Field, raw: &str, min: usize) -> Result<String, DomainError> {
    let value = text::identifier(field.name, raw)?;
    let length = value.chars().count();
    if length < min || length > field.max_length || value.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field.name,
            format!("must be {min} to {} characters, without control characters", field.max_length),
        ));
    }
    Ok(value)
}

/// Decimal digits only, `min..=field.max_length` of them.
pub(super) fn digits(field: &Field, raw: &str, min: usize) -> Result<String, DomainError> {
    let value = raw.trim();
    if value.len() < min || value.len() > field.max_length || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DomainError::invalid(field.name, format!("must be {min} to {} digits", field.max_length)));
    }
    Ok(value.to_owned())
}

/// A telephone number as people write it: an optional leading `+`, digits, and the separators
/// space, `-`, `.`, `(` and `)`; at least one digit, at most `field.max_length` characters.
pub(super) fn phone(field: &Field, raw: &str) -> Result<String, DomainError> {
    let value = raw.trim();
    let body = value.strip_prefix('+').unwrap_or(value);
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')');
    if value.len() > field.max_length || !body.chars().all(allowed) || !body.chars().any(|c| c.is_ascii_digit()) {
        return Err(DomainError::invalid(
            field.name,
            format!(
                "must be a telephone number of at most {} characters: an optional +, digits, spaces, '-', '.', '(' \
                 or ')'",
                field.max_length
            ),
        ));
    }
    Ok(value.to_owned())
}

/// An IANA time zone name (`Europe/Brussels`, `UTC`), matched case-insensitively and kept in its
/// canonical spelling; the text lives in the shipped list, so holding one costs no allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(&'static str);

impl TimeZone {
    pub fn parse(field: &'static str, raw: &str) -> Result<Self, DomainError> {
        let wanted = raw.trim();
        TIME_ZONES
            .lines()
            .filter(|line| !line.starts_with('#'))
            .find(|zone| zone.eq_ignore_ascii_case(wanted))
            .map(Self)
            .ok_or_else(|| DomainError::invalid(field, "must be an IANA time zone name, such as Europe/Brussels"))
    }

    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

/// Free-form details as a JSON object (`contactInformation`, `addressInformation`): members are
/// text or objects of the same kind, at most 8 levels deep, keys 1 to 64 characters, texts at
/// most 1024 characters, neither with control characters; at most 4096 bytes as compact JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InfoObject(Map<String, Value>);

/// The deepest nesting of an [`InfoObject`] (the object itself is level 1).
const INFO_DEPTH: usize = 8;

impl InfoObject {
    pub fn parse(field: &Field, value: &Value) -> Result<Self, DomainError> {
        let Value::Object(object) = value else { return Err(DomainError::invalid(field.name, "must be an object")) };
        check_members(field.name, object, 1)?;
        let bytes = value.to_string().len();
        if bytes > field.max_length {
            return Err(DomainError::invalid(
                field.name,
                format!("must be at most {} bytes as JSON ({bytes} sent)", field.max_length),
            ));
        }
        Ok(Self(object.clone()))
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }
}

fn check_members(field: &'static str, object: &Map<String, Value>, depth: usize) -> Result<(), DomainError> {
    if depth > INFO_DEPTH {
        return Err(DomainError::invalid(field, format!("must be at most {INFO_DEPTH} levels deep")));
    }
    for (key, value) in object {
        let length = key.chars().count();
        if length == 0 || length > 64 || key.chars().any(char::is_control) {
            return Err(DomainError::invalid(field, "keys must be 1 to 64 characters, without control characters"));
        }
        match value {
            Value::String(text) if text.chars().count() <= 1024 && !text.chars().any(char::is_control) => {}
            Value::String(_) => {
                return Err(DomainError::invalid(
                    field,
                    format!("{key}: must be at most 1024 characters, without control characters"),
                ));
            }
            Value::Object(inner) => check_members(field, inner, depth + 1)?,
            _ => return Err(DomainError::invalid(field, format!("{key}: must be a string or an object"))),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::JsonType;
    use super::*;
    use serde_json::json;

    const INFO: Field = Field {
        name: "contactInformation",
        json_type: JsonType::Object,
        required: false,
        clearable: true,
        max_length: 4096,
        description: "d",
        example: "{}",
        sort: None,
    };

    #[test]
    fn time_zones_are_iana_names_in_their_canonical_spelling() {
        assert_eq!(TimeZone::parse("timeZone", " europe/brussels ").unwrap().as_str(), "Europe/Brussels");
        assert_eq!(TimeZone::parse("timeZone", "UTC").unwrap().as_str(), "UTC");
        assert_eq!(TimeZone::parse("timeZone", "US/Eastern").unwrap().as_str(), "US/Eastern", "links count");
        for raw in ["", "Mars/Olympus", "Europe", "# IANA time zone names"] {
            assert_eq!(TimeZone::parse("timeZone", raw).unwrap_err().field(), Some("timeZone"), "{raw:?}");
        }
    }

    #[test]
    fn information_objects_hold_text_and_objects_within_bounds() {
        let ok = json!({"name": "Jane", "address": {"city": "Brussels", "lines": {"1": "Rue Haute 1"}}});
        assert!(InfoObject::parse(&INFO, &ok).is_ok());
        let mut deep = json!("leaf");
        for _ in 0..8 {
            deep = json!({ "k": deep });
        }
        assert!(InfoObject::parse(&INFO, &deep).is_ok(), "8 levels");
        assert!(InfoObject::parse(&INFO, &json!({ "k": deep })).is_err(), "9 levels");
        for refused in [
            json!("text"),
            json!({"n": 1}),
            json!({"n": ["a"]}),
            json!({"n": null}),
            json!({"": "x"}),
            json!({"n": "a\u{7}"}),
            json!({"n": "x".repeat(1025)}),
            json!({"a": "x".repeat(1000), "b": "x".repeat(1000), "c": "x".repeat(1000), "d": "x".repeat(1000), "e": "x".repeat(200)}),
        ] {
            assert_eq!(InfoObject::parse(&INFO, &refused).unwrap_err().field(), Some("contactInformation"));
        }
    }
}
