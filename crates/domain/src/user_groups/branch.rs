//! The `branch` of a user group. Canopy has no branch objects: a group keeps the branch element
//! the client sent as a validated snapshot and shows it back, field for field (sipXconfig's
//! `BranchRestInfoFull`: id, name, description, address, phone and fax numbers). Every field is
//! optional; an unknown one is refused by name, never dropped.

use super::optional_text;
use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A branch as a group shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fax_number: Option<String>,
}

/// A branch's address (sipXconfig's `Address`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zip: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub office_designation: Option<String>,
}

const BRANCH_FIELDS: [&str; 6] = ["id", "name", "description", "address", "phoneNumber", "faxNumber"];
const ADDRESS_FIELDS: [&str; 7] = ["id", "street", "city", "country", "state", "zip", "officeDesignation"];

impl Branch {
    /// The branch of a client's group, from its JSON form or the JSON reading of its XML form
    /// (where every value is text): `None` when absent, `null` or empty.
    pub fn parse(raw: Option<&Value>) -> Result<Option<Self>, DomainError> {
        let Some(fields) = object("branch", raw)? else { return Ok(None) };
        known("branch", fields, &BRANCH_FIELDS)?;
        let text = |name: &'static str, path: &'static str| optional_text(path, string(path, fields.get(name))?);
        let branch = Self {
            id: id("branch.id", fields.get("id"))?,
            name: text("name", "branch.name")?,
            description: text("description", "branch.description")?,
            address: Address::parse(fields.get("address"))?,
            phone_number: text("phoneNumber", "branch.phoneNumber")?,
            fax_number: text("faxNumber", "branch.faxNumber")?,
        };
        Ok((branch != Self::default()).then_some(branch))
    }
}

impl Address {
    fn parse(raw: Option<&Value>) -> Result<Option<Self>, DomainError> {
        let Some(fields) = object("branch.address", raw)? else { return Ok(None) };
        known("branch.address", fields, &ADDRESS_FIELDS)?;
        let text = |name: &'static str, path: &'static str| optional_text(path, string(path, fields.get(name))?);
        let address = Self {
            id: id("branch.address.id", fields.get("id"))?,
            street: text("street", "branch.address.street")?,
            city: text("city", "branch.address.city")?,
            country: text("country", "branch.address.country")?,
            state: text("state", "branch.address.state")?,
            zip: text("zip", "branch.address.zip")?,
            office_designation: text("officeDesignation", "branch.address.officeDesignation")?,
        };
        Ok((address != Self::default()).then_some(address))
    }
}

/// An element that holds fields; an empty element (`<branch/>`, `""`) or `null` is none.
fn object<'a>(field: &'static str, raw: Option<&'a Value>) -> Result<Option<&'a Map<String, Value>>, DomainError> {
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::Object(fields)) => Ok(Some(fields)),
        Some(_) => Err(DomainError::invalid(field, "must be an element with fields")),
    }
}

fn known(field: &str, fields: &Map<String, Value>, allowed: &[&str]) -> Result<(), DomainError> {
    match fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(unknown) => Err(DomainError::invalid(
            format!("{field}.{unknown}"),
            format!("is not a field of {field} (it has {})", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn string<'a>(field: &'static str, raw: Option<&'a Value>) -> Result<Option<&'a str>, DomainError> {
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(DomainError::invalid(field, "must be text")),
    }
}

/// A branch's or an address's id: a positive integer, as a number or as text.
fn id(field: &'static str, raw: Option<&Value>) -> Result<Option<i64>, DomainError> {
    let invalid = || DomainError::invalid(field, "must be a positive integer");
    match raw {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) if text.trim().is_empty() => Ok(None),
        Some(Value::String(text)) => super::UserGroupId::parse(text.trim()).map(|id| Some(id.0)).ok_or_else(invalid),
        Some(Value::Number(number)) => number.as_i64().filter(|id| *id >= 1).map(Some).ok_or_else(invalid),
        Some(_) => Err(invalid()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_spec_branch_is_kept_field_for_field() {
        let raw = json!({
            "id": "1", "name": "HallOfJustice", "description": "Hall of Superheroes",
            "address": { "id": 3, "street": "1 Justice Way", "city": "Smallville", "country": "United States",
                         "state": "MidAmerica", "zip": "55555", "officeDesignation": "MailStop" },
            "phoneNumber": "555-HERO"
        });
        let branch = Branch::parse(Some(&raw)).unwrap().unwrap();
        assert_eq!(branch.id, Some(1));
        assert_eq!(branch.address.as_ref().unwrap().office_designation.as_deref(), Some("MailStop"));
        let mut shown = raw.clone();
        shown["id"] = json!(1);
        assert_eq!(serde_json::to_value(&branch).unwrap(), shown);
    }

    #[test]
    fn an_empty_branch_is_none_and_an_unknown_field_is_refused_by_name() {
        assert_eq!(Branch::parse(None).unwrap(), None);
        assert_eq!(Branch::parse(Some(&json!(""))).unwrap(), None);
        assert_eq!(Branch::parse(Some(&json!({ "name": " " }))).unwrap(), None);
        let err = Branch::parse(Some(&json!({ "name": "B", "address": { "planet": "Krypton" } }))).unwrap_err();
        assert_eq!(err.field(), Some("branch.address.planet"));
        for bad in [json!({ "id": "x" }), json!({ "id": 0 }), json!({ "name": ["B"] }), json!(7)] {
            assert!(Branch::parse(Some(&bad)).is_err(), "{bad}");
        }
    }
}
