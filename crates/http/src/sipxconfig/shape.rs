//! What the sipXconfig face writes: documents built once as a [`Node`] tree and written as XML
//! (XStream's shape: one element per field, a list's items each in an element of the item's
//! name) or as JSON (the seed's shape: `{"root": {…}}`, a list an array of its items), in the
//! negotiated content type; and the `<response>` document of successes and failures
//! (`code`, `message`, `data`), in the same type.

use crate::error::ApiError;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, HeaderValue, WWW_AUTHENTICATE};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

/// A value of a document.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Text(String),
    Number(i64),
    Bool(bool),
    /// Fields in order; a field whose value is `None` is left out (XStream omits nulls).
    Fields(Vec<(&'static str, Node)>),
    /// Items, each written in an element of this name in XML.
    List(&'static str, Vec<Node>),
}

impl Node {
    /// A field of text, left out when `None`.
    pub fn text(value: Option<&str>) -> Option<Node> {
        value.map(|v| Node::Text(v.to_owned()))
    }

    fn json(&self) -> Value {
        match self {
            Node::Text(text) => Value::String(text.clone()),
            Node::Number(n) => Value::from(*n),
            Node::Bool(b) => Value::Bool(*b),
            Node::Fields(fields) => Value::Object(
                fields.iter().map(|(name, node)| ((*name).to_owned(), node.json())).collect::<Map<_, _>>(),
            ),
            Node::List(_, items) => Value::Array(items.iter().map(Node::json).collect()),
        }
    }

    fn xml(&self, out: &mut String) {
        match self {
            Node::Text(text) => escape(text, out),
            Node::Number(n) => out.push_str(&n.to_string()),
            Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Node::Fields(fields) => {
                for (name, node) in fields {
                    element(name, node, out);
                }
            }
            Node::List(item, items) => {
                for node in items {
                    element(item, node, out);
                }
            }
        }
    }
}

/// Fields of which the `None`s are left out.
pub fn fields(all: Vec<(&'static str, Option<Node>)>) -> Node {
    Node::Fields(all.into_iter().filter_map(|(name, node)| node.map(|node| (name, node))).collect())
}

fn element(name: &str, node: &Node, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    node.xml(out);
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// Whether a content type is JSON.
pub fn is_json(media: &str) -> bool {
    media == "application/json"
}

/// The document `root` of `node`, in `media`.
pub fn write(media: &str, root: &'static str, node: &Node) -> String {
    if is_json(media) {
        let mut document = Map::new();
        document.insert(root.to_owned(), node.json());
        Value::Object(document).to_string()
    } else {
        let mut out = String::new();
        element(root, node, &mut out);
        out
    }
}

/// A response with the document `root` of `node`, in `media`.
pub fn respond(status: StatusCode, media: &'static str, root: &'static str, node: &Node) -> Response {
    (status, [(CONTENT_TYPE, media)], write(media, root, node)).into_response()
}

/// sipXconfig's `<response>` document: its code, message and data.
pub fn response_document(code: &str, message: &str, data: Option<Node>) -> Node {
    let mut all = vec![("code", Node::Text(code.to_owned())), ("message", Node::Text(message.to_owned()))];
    all.extend(data.map(|data| ("data", data)));
    Node::Fields(all)
}

/// A success in the `<response>` shape (`SUCCESS_CREATED`, `SUCCESS_UPDATED`,
/// `SUCCESS_DELETED`), with the object's id as its data.
pub fn success(status: StatusCode, media: &'static str, code: &str, message: &str, id: i64) -> Response {
    let data = Node::Fields(vec![("id", Node::Number(id))]);
    respond(status, media, "response", &response_document(code, message, Some(data)))
}

/// How a failure is shown on this face: sipXconfig's code, message and status where sipXconfig
/// has one for it, Canopy's code and message otherwise; the details (but their `info`) as data.
fn translated(error: &ApiError) -> (StatusCode, &'static str, String, Option<Node>) {
    let additional = || Some(Node::Fields(vec![("additionalMessage", Node::Text(error.message.clone()))]));
    match error.code {
        "ERROR_ID_INVALID" => (StatusCode::BAD_REQUEST, error.code, "ID value is invalid".into(), additional()),
        "user_group_not_found" => {
            let id = error.details.get("id").and_then(Value::as_i64).unwrap_or_default();
            let data = Some(Node::Fields(vec![("id", Node::Number(id))]));
            (StatusCode::BAD_REQUEST, "ERROR_OBJECT_NOT_FOUND", "Could not retrieve object using ID".into(), data)
        }
        "invalid_field" | "duplicate_name" | "unknown_permission" | "malformed_xml" | "malformed_json"
        | "invalid_body" => {
            (StatusCode::BAD_REQUEST, "ERROR_VALIDATION_FAILED", "Failed input validation".into(), additional())
        }
        code => (error.status, code, error.message.clone(), details(&error.details)),
    }
}

/// An error's details as data: every field but `info`, scalars as text, objects as elements.
fn details(details: &Value) -> Option<Node> {
    let Value::Object(all) = details else { return None };
    let kept: Vec<(&'static str, Node)> =
        all.iter().filter(|(key, _)| key.as_str() != "info").filter_map(|(key, value)| detail(key, value)).collect();
    (!kept.is_empty()).then_some(Node::Fields(kept))
}

/// One detail; its key among the few that errors use (the node tree names fields statically).
fn detail(key: &str, value: &Value) -> Option<(&'static str, Node)> {
    const KEYS: [&str; 8] = ["field", "reason", "permission", "expected", "current", "retryAfter", "names", "id"];
    let key = *KEYS.iter().find(|known| **known == key)?;
    let node = match value {
        Value::String(text) => Node::Text(text.clone()),
        Value::Number(n) => Node::Number(n.as_i64().unwrap_or_default()),
        Value::Bool(b) => Node::Bool(*b),
        Value::Array(items) => Node::List("name", items.iter().map(|v| Node::Text(text_of(v))).collect()),
        other => Node::Text(other.to_string()),
    };
    Some((key, node))
}

fn text_of(value: &Value) -> String {
    value.as_str().map_or_else(|| value.to_string(), str::to_owned)
}

/// The face's rendering of every failure (`ErrorStyle::Render`): the `<response>` document in
/// the negotiated type; a 401 challenges for HTTP Basic (and bearer tokens).
pub fn render(error: &ApiError, media: &'static str) -> Response {
    let (status, code, message, data) = translated(error);
    let body = write(media, "response", &response_document(code, &message, data));
    let mut shown = ApiError { status, ..error.clone() };
    if status == StatusCode::UNAUTHORIZED {
        shown.headers.retain(|(name, _)| name != WWW_AUTHENTICATE);
        shown
            .headers
            .push((WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"sipXconfig\", charset=\"UTF-8\"")));
        shown.headers.push((WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
    }
    shown.render(media, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn group() -> Node {
        fields(vec![
            ("id", Some(Node::Number(5))),
            ("name", Some(Node::Text("J&L".into()))),
            ("description", None),
            ("permissions", Some(Node::List("setting", vec![fields(vec![("value", Some(Node::Bool(true)))])]))),
        ])
    }

    #[test]
    fn a_document_is_xstreams_xml_or_the_seeds_json() {
        assert_eq!(
            write("text/xml", "group", &group()),
            "<group><id>5</id><name>J&amp;L</name><permissions><setting><value>true</value></setting></permissions></group>"
        );
        let json: Value = serde_json::from_str(&write("application/json", "group", &group())).unwrap();
        assert_eq!(json, json!({ "group": { "id": 5, "name": "J&L", "permissions": [{ "value": true }] } }));
    }

    #[test]
    fn failures_speak_sipxconfigs_codes_where_it_has_them() {
        let not_found =
            ApiError::new(StatusCode::NOT_FOUND, "user_group_not_found", "x").with_details(json!({"id": 7}));
        let response = render(&not_found, "text/xml");
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let invalid = ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "name: cannot be empty");
        let (status, code, message, data) = translated(&invalid);
        assert_eq!(
            (status, code, message.as_str()),
            (StatusCode::BAD_REQUEST, "ERROR_VALIDATION_FAILED", "Failed input validation")
        );
        assert_eq!(
            write("text/xml", "response", &response_document(code, &message, data)),
            "<response><code>ERROR_VALIDATION_FAILED</code><message>Failed input validation</message>\
             <data><additionalMessage>name: cannot be empty</additionalMessage></data></response>"
        );
        let forbidden = ApiError::new(StatusCode::FORBIDDEN, "forbidden", "no")
            .with_details(json!({ "permission": "tenants.instance.user_groups.create" }));
        let (status, code, _, data) = translated(&forbidden);
        assert_eq!((status, code), (StatusCode::FORBIDDEN, "forbidden"));
        assert_eq!(
            data,
            Some(Node::Fields(vec![("permission", Node::Text("tenants.instance.user_groups.create".into()))]))
        );
        let unauthenticated = ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", "who?");
        let response = render(&unauthenticated, "application/json");
        let challenges: Vec<_> = response.headers().get_all(WWW_AUTHENTICATE).iter().collect();
        assert_eq!(challenges.len(), 2);
        assert!(challenges[0].to_str().unwrap().starts_with("Basic realm="));
    }
}
