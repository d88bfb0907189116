//! The portal's stored fields of a group (`portal-account-server.txt` L22436, L23659–L23890):
//! its `contact` and `billing` addresses, `customer_id`, `internal_tag`, `language` and
//! `privileges` (the backup product's quotas, an open map). Canopy keeps them as plain data, as
//! properties of the node's general configuration (`portal.group.<field>`), checked here: a
//! field of the wrong shape is refused by name, never dropped.

use crate::error::DomainError;
use serde_json::{Map, Value};

/// The prefix of the configuration properties that keep them.
pub const GROUP_FIELD_PREFIX: &str = "portal.group.";
/// The fields kept, by their names on the portal.
pub const GROUP_FIELDS: [&str; 6] = ["contact", "billing", "customer_id", "internal_tag", "language", "privileges"];
/// The members of a contact or billing address (L22880).
const ADDRESS: [&str; 10] =
    ["firstname", "lastname", "email", "phone", "address1", "address2", "city", "state", "country", "zipcode"];
/// The longest text of a field or of an address's member, in characters.
const MAX_TEXT: usize = 255;
/// The most quotas `privileges` may hold, and the longest name of one.
const MAX_PRIVILEGES: usize = 40;
const MAX_PRIVILEGE_NAME: usize = 64;

/// Checks the value of one field a client sent, and answers it as it is kept: text as text, an
/// object as its JSON text. `null` clears the field (answered as `None`).
pub fn check_group_field(name: &str, value: &Value) -> Result<Option<String>, DomainError> {
    let field: &'static str = GROUP_FIELDS.iter().find(|f| **f == name).copied().ok_or_else(|| {
        DomainError::invalid("body", format!("{name} is not a stored field of a group ({})", GROUP_FIELDS.join(", ")))
    })?;
    match (field, value) {
        (_, Value::Null) => Ok(None),
        ("contact" | "billing", Value::Object(address)) => {
            for (member, value) in address {
                if !ADDRESS.contains(&member.as_str()) {
                    return Err(DomainError::invalid(field, format!("{member}: not a member of an address")));
                }
                if !value.is_null() {
                    text(field, value)?;
                }
            }
            Ok(Some(Value::Object(address.clone()).to_string()))
        }
        ("privileges", Value::Object(quotas)) => {
            check_quotas(quotas, true)?;
            let kept = Value::Object(quotas.clone()).to_string();
            // What a configuration value may hold.
            if kept.chars().count() > crate::configuration::MAX_TEXT_CHARS {
                let limit = crate::configuration::MAX_TEXT_CHARS;
                return Err(DomainError::invalid(field, format!("must be at most {limit} characters as JSON")));
            }
            Ok(Some(kept))
        }
        ("language", Value::String(code))
            if !code.is_empty()
                && code.len() <= 16
                && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') =>
        {
            Ok(Some(code.clone()))
        }
        ("language", _) => Err(DomainError::invalid(field, "must be a language code such as \"en\" or \"pt-BR\"")),
        ("customer_id" | "internal_tag", value) => text(field, value).map(|text| Some(text.to_owned())),
        (_, _) => Err(DomainError::invalid(field, "must be an object")),
    }
}

fn text<'a>(field: &'static str, value: &'a Value) -> Result<&'a str, DomainError> {
    match value.as_str() {
        Some(text) if text.chars().count() <= MAX_TEXT && !text.chars().any(char::is_control) => Ok(text),
        _ => Err(DomainError::invalid(field, format!("must be text of at most {MAX_TEXT} characters"))),
    }
}

/// Quotas: names of lowercase letters, digits and `_`, each an integer of at least -1
/// (unlimited) or, at the top level only, an object of such integers (`local_backup`).
fn check_quotas(quotas: &Map<String, Value>, top: bool) -> Result<(), DomainError> {
    let bad = |reason: String| Err(DomainError::invalid("privileges", reason));
    if quotas.len() > MAX_PRIVILEGES {
        return bad(format!("at most {MAX_PRIVILEGES} quotas"));
    }
    for (name, value) in quotas {
        let named = !name.is_empty()
            && name.len() <= MAX_PRIVILEGE_NAME
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !named {
            return bad(format!("{name:?}: a quota's name is lowercase letters, digits and _"));
        }
        match value {
            Value::Number(n) if n.as_i64().is_some_and(|n| n >= -1) => {}
            Value::Object(inner) if top => check_quotas(inner, false)?,
            _ => return bad(format!("{name}: must be an integer of at least -1 (unlimited)")),
        }
    }
    Ok(())
}

/// A kept field as reads show it: an address or the quotas as their object, text as text.
pub fn shown_group_field(name: &str, kept: &str) -> Value {
    match name {
        "contact" | "billing" | "privileges" => serde_json::from_str(kept).unwrap_or(Value::Null),
        _ => Value::from(kept),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field_of(err: DomainError) -> String {
        err.field().unwrap_or_else(|| panic!("{err:?}")).to_owned()
    }

    #[test]
    fn the_specs_example_fields_are_kept_and_shown_as_sent() {
        let contact = json!({ "firstname": "Example", "phone": "+1(0000)-0000-0000", "zipcode": "00000-0000" });
        let privileges = json!({ "quota_storage_hard": 1000, "vm_count": -1, "local_backup": { "visible": 0 } });
        for (name, value) in [("contact", contact), ("privileges", privileges), ("language", json!("en"))] {
            let kept = check_group_field(name, &value).unwrap().unwrap();
            assert_eq!(shown_group_field(name, &kept), value, "{name}");
        }
        assert_eq!(check_group_field("internal_tag", &Value::Null), Ok(None), "null clears");
    }

    #[test]
    fn a_field_of_the_wrong_shape_is_refused_by_name() {
        let refused = |name: &str, value: Value| field_of(check_group_field(name, &value).unwrap_err());
        assert_eq!(refused("contact", json!({ "street": "x" })), "contact");
        assert_eq!(refused("billing", json!("x")), "billing");
        assert_eq!(refused("privileges", json!({ "vm_count": -2 })), "privileges");
        assert_eq!(refused("privileges", json!({ "a": { "b": { "c": 1 } } })), "privileges");
        let inner: serde_json::Map<String, Value> =
            (0..40).map(|i| (format!("quota_{i:02}_{}", "x".repeat(50)), json!(1))).collect();
        let wide: serde_json::Map<String, Value> =
            (0..4).map(|i| (format!("q{i}"), Value::Object(inner.clone()))).collect();
        assert_eq!(refused("privileges", Value::Object(wide)), "privileges", "larger than a configuration value");
        assert_eq!(refused("language", json!("en us")), "language");
        assert_eq!(refused("internal_tag", json!("x".repeat(256))), "internal_tag");
        assert_eq!(refused("storage", json!(1)), "body");
    }
}
