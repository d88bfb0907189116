//! What the sipXconfig face reads: a body in the type its `Content-Type` names (`application/json`,
//! or XML: `text/xml`, `application/xml`, or no type at all, which sipXconfig reads as XML),
//! under the root real clients send (`group`, or `userGroup` as the seed writes it; in JSON also
//! a bare object), read as JSON either way; then the group or the permission values it holds.
//! A field the operation does not know is refused by name, never dropped.

use super::xml;
use crate::error::ApiError;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use canopy_app::UserGroupInput;
use canopy_domain::SettingInput;
use serde_json::{Map, Value};

/// The roots a group's body may have.
const ROOTS: [&str; 2] = ["group", "userGroup"];

fn invalid(field: &str, reason: &str) -> ApiError {
    let message = format!("{field}: {reason}");
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
        .with_details(serde_json::json!({ "field": field, "reason": reason }))
}

/// The body as JSON, and whether it came as XML (then its JSON reading is what the audit log
/// records). The root is checked here: a group's body is a `group` or a `userGroup`.
pub fn read(headers: &HeaderMap, body: &[u8]) -> Result<(Value, bool), ApiError> {
    let media = headers.get(CONTENT_TYPE).map(|value| value.to_str().unwrap_or("?").to_owned());
    let essence = media.as_deref().map(|m| m.split(';').next().unwrap_or_default().trim().to_ascii_lowercase());
    match essence.as_deref() {
        Some("application/json") => {
            let value: Value = serde_json::from_slice(body).map_err(|err| {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", format!("the body is not JSON: {err}"))
            })?;
            Ok((unwrap_json(value)?, false))
        }
        None | Some("text/xml" | "application/xml") => {
            let (root, value) = xml::parse(body)?;
            if !ROOTS.contains(&root.as_str()) {
                return Err(invalid("root", &format!("must be <group> (or <userGroup>), not <{}>", shown(&root))));
            }
            Ok((value, true))
        }
        Some(_) => Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a body with Content-Type: text/xml, application/xml or application/json",
        )),
    }
}

/// `{"group": {…}}`, `{"userGroup": {…}}` or the bare object.
fn unwrap_json(value: Value) -> Result<Value, ApiError> {
    let Value::Object(mut fields) = value else { return Err(invalid("body", "must be an object")) };
    if fields.len() == 1
        && let Some(root) = ROOTS.iter().find(|root| fields.contains_key(**root))
    {
        return match fields.remove(*root) {
            Some(inner @ Value::Object(_)) => Ok(inner),
            _ => Err(invalid(root, "must be an object")),
        };
    }
    Ok(Value::Object(fields))
}

/// A name as an error shows it: its first characters only.
fn shown(name: &str) -> String {
    name.chars().take(64).collect()
}

/// The fields of an element: an empty element (`<group/>`) has none.
fn fields_of<'a>(field: &str, value: &'a Value) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match value {
        Value::Object(fields) => Ok(Some(fields)),
        Value::String(text) if text.trim().is_empty() => Ok(None),
        Value::Null => Ok(None),
        _ => Err(invalid(field, "must be an element with fields")),
    }
}

fn known(field: &str, fields: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    match fields.keys().find(|key| !allowed.contains(&key.as_str())) {
        Some(unknown) => {
            let path = if field.is_empty() { shown(unknown) } else { format!("{field}.{}", shown(unknown)) };
            Err(invalid(&path, &format!("is not a field here (known: {})", allowed.join(", "))))
        }
        None => Ok(()),
    }
}

/// Text, from XML or JSON; a JSON number is taken as its digits.
fn text(field: &str, value: Option<&Value>) -> Result<Option<String>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(Value::Number(n)) => Ok(Some(n.to_string())),
        Some(_) => Err(invalid(field, "must be text")),
    }
}

/// A user group's fields (`id` is ignored: the path, or the store, gives it).
pub fn group(value: &Value) -> Result<UserGroupInput, ApiError> {
    let Some(fields) = fields_of("group", value)? else { return Ok(UserGroupInput::default()) };
    known("", fields, &["id", "name", "description", "branch"])?;
    Ok(UserGroupInput {
        name: text("name", fields.get("name"))?,
        description: text("description", fields.get("description"))?,
        branch: fields.get("branch").cloned(),
    })
}

/// The `<setting>`s of a permission change. The group's `id`, `name` and `description`, and each
/// setting's `defaultValue` and `label`, are read and ignored, as sipXconfig does, so that a
/// client may send back what it read.
pub fn settings(value: &Value) -> Result<Vec<SettingInput>, ApiError> {
    let Some(fields) = fields_of("group", value)? else { return Err(invalid("permissions", "is required")) };
    known("", fields, &["id", "name", "description", "permissions"])?;
    let permissions = fields.get("permissions").ok_or_else(|| invalid("permissions", "is required"))?;
    let items: Vec<&Value> = match permissions {
        Value::String(text) if text.trim().is_empty() => vec![],
        Value::Array(items) => items.iter().collect(),
        Value::Object(inner) if inner.len() == 1 && inner.contains_key("setting") => match &inner["setting"] {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        },
        Value::Object(_) => vec![permissions],
        _ => return Err(invalid("permissions", "must list <setting> elements")),
    };
    items.into_iter().map(setting).collect()
}

fn setting(value: &Value) -> Result<SettingInput, ApiError> {
    // A JSON item may keep its element's name: `{"setting": {…}}`.
    let value = match value {
        Value::Object(inner) if inner.len() == 1 && inner.contains_key("setting") => &inner["setting"],
        other => other,
    };
    let Some(fields) = fields_of("permissions.setting", value)? else {
        return Err(invalid("permissions.setting.name", "is required"));
    };
    known("permissions.setting", fields, &["name", "value", "defaultValue", "label"])?;
    let name = text("permissions.setting.name", fields.get("name"))?
        .ok_or_else(|| invalid("permissions.setting.name", "is required"))?;
    Ok(SettingInput { value: text(&format!("permissions.{}.value", shown(&name)), fields.get("value"))?, name })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde_json::json;

    fn headers(content_type: Option<&str>) -> HeaderMap {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    #[test]
    fn a_body_is_read_by_its_content_type_under_either_root() {
        let xml = b"<userGroup><id>5</id><name>JL</name></userGroup>";
        for content_type in [None, Some("text/xml"), Some("application/xml; charset=UTF-8")] {
            assert_eq!(read(&headers(content_type), xml).unwrap(), (json!({ "id": "5", "name": "JL" }), true));
        }
        for body in [r#"{"group": {"name": "JL"}}"#, r#"{"userGroup": {"name": "JL"}}"#, r#"{"name": "JL"}"#] {
            let (value, xml) = read(&headers(Some("application/json")), body.as_bytes()).unwrap();
            assert_eq!((value, xml), (json!({ "name": "JL" }), false), "{body}");
        }
        let err = read(&headers(Some("text/plain")), b"x").unwrap_err();
        assert_eq!(err.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        let err = read(&headers(Some("text/xml")), b"<user><name>x</name></user>").unwrap_err();
        assert_eq!(err.message, "root: must be <group> (or <userGroup>), not <user>");
        assert_eq!(read(&headers(Some("application/json")), b"[1]").unwrap_err().code, "invalid_field");
        assert_eq!(read(&headers(Some("application/json")), b"{").unwrap_err().code, "malformed_json");
    }

    #[test]
    fn a_group_takes_its_fields_and_refuses_others_by_name() {
        let input = group(&json!({ "id": "9", "name": "JL", "description": "", "branch": { "name": "B" } })).unwrap();
        assert_eq!((input.name.as_deref(), input.description.as_deref()), (Some("JL"), Some("")));
        assert_eq!(input.branch, Some(json!({ "name": "B" })));
        assert_eq!(
            group(&json!({ "name": "JL", "weight": "3" })).unwrap_err().message.split(':').next(),
            Some("weight")
        );
        assert_eq!(group(&json!("")).unwrap().name, None);
        assert!(group(&json!({ "name": ["a"] })).is_err());
    }

    #[test]
    fn settings_come_in_xmls_shape_or_jsons() {
        let xml = json!({ "id": "5", "name": "JL", "permissions": { "setting": [
            { "name": "A", "value": "ENABLE", "defaultValue": "false" }, { "name": "B", "value": "" } ] } });
        let one = json!({ "permissions": { "setting": { "name": "A", "value": "DISABLE" } } });
        let json = json!({ "permissions": [{ "name": "A", "value": "ENABLE" }, { "setting": { "name": "B" } }] });
        assert_eq!(settings(&xml).unwrap().len(), 2);
        assert_eq!(settings(&one).unwrap(), [SettingInput { name: "A".into(), value: Some("DISABLE".into()) }]);
        assert_eq!(settings(&json).unwrap()[1], SettingInput { name: "B".into(), value: None });
        assert!(settings(&json!({ "permissions": "" })).unwrap().is_empty());
        assert_eq!(settings(&json!({ "name": "x" })).unwrap_err().message, "permissions: is required");
        let unknown = json!({ "permissions": [{ "name": "A", "value": "ENABLE", "weight": 1 }] });
        assert!(settings(&unknown).unwrap_err().message.starts_with("permissions.setting.weight"));
    }
}
