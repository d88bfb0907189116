//! The XML of request bodies, read by a hardened reader (quick-xml, which expands no entity
//! itself): a document type declaration is refused outright (no DTD, so no entity is ever
//! defined, expanded or fetched: no billion laughs, no external entities); of references, only
//! the five predefined entities and character references are read. The body is UTF-8 (any other
//! declared encoding is refused), at most [`MAX_BYTES`] long, nested at most [`MAX_DEPTH`]
//! deep, with at most [`MAX_ELEMENTS`] elements. Attributes, comments and processing
//! instructions are ignored. Every refusal is a 400 `malformed_xml` naming the reason.
//!
//! A document is read as JSON, the way its JSON twin is: an element with children is an object
//! (a name repeated is an array), an element without is its text (`""` when empty).

use crate::error::ApiError;
use axum::http::StatusCode;
use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

/// The longest body read.
pub const MAX_BYTES: usize = 64 * 1024;
/// The deepest nesting of elements.
pub const MAX_DEPTH: usize = 32;
/// The most elements of one document.
pub const MAX_ELEMENTS: usize = 4096;

fn malformed(reason: impl Into<String>) -> ApiError {
    let mut reason = reason.into();
    if reason.len() > 200 {
        let mut end = 200;
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        reason.truncate(end);
    }
    ApiError::new(StatusCode::BAD_REQUEST, "malformed_xml", format!("the body is not acceptable XML: {reason}"))
}

/// An element as read.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn into_json(self) -> Value {
        if self.children.is_empty() {
            return Value::String(self.text);
        }
        let mut fields: Map<String, Value> = Map::new();
        for child in self.children {
            let name = child.name.clone();
            let value = child.into_json();
            match fields.get_mut(&name) {
                Some(Value::Array(items)) => items.push(value),
                Some(first) => *first = Value::Array(vec![first.take(), value]),
                None => {
                    fields.insert(name, value);
                }
            }
        }
        Value::Object(fields)
    }
}

/// The root element's name and its content read as JSON.
pub fn parse(body: &[u8]) -> Result<(String, Value), ApiError> {
    if body.len() > MAX_BYTES {
        return Err(crate::extract::too_large());
    }
    let text = std::str::from_utf8(body).map_err(|err| malformed(format!("not UTF-8 ({err})")))?;
    let mut reader = Reader::from_str(text);
    let mut open: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    let mut elements = 0;
    loop {
        let event = reader.read_event().map_err(|err| malformed(err.to_string()))?;
        match event {
            Event::Start(start) | Event::Empty(start) if root.is_some() => {
                return Err(malformed(format!("a second root element <{}>", name_of(start.name().as_ref()))));
            }
            Event::Start(start) => {
                elements += 1;
                if open.len() >= MAX_DEPTH || elements > MAX_ELEMENTS {
                    return Err(malformed(format!(
                        "nested deeper than {MAX_DEPTH} or more than {MAX_ELEMENTS} elements"
                    )));
                }
                open.push(Element { name: name_of(start.name().as_ref()), ..Element::default() });
            }
            Event::Empty(start) => {
                elements += 1;
                if open.len() >= MAX_DEPTH || elements > MAX_ELEMENTS {
                    return Err(malformed(format!(
                        "nested deeper than {MAX_DEPTH} or more than {MAX_ELEMENTS} elements"
                    )));
                }
                close(&mut open, &mut root, Element { name: name_of(start.name().as_ref()), ..Element::default() });
            }
            Event::End(_) => {
                let element = open.pop().ok_or_else(|| malformed("an end tag without its start"))?;
                if !element.children.is_empty() && !element.text.trim().is_empty() {
                    return Err(malformed(format!("<{}> mixes text and elements", element.name)));
                }
                close(&mut open, &mut root, element);
            }
            Event::Text(text) => {
                let text = text.xml10_content().map_err(|err| malformed(err.to_string()))?;
                append(&mut open, &text)?;
            }
            Event::CData(data) => {
                let text = data.decode().map_err(|err| malformed(err.to_string()))?;
                append(&mut open, &text)?;
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref().map_err(|err| malformed(err.to_string()))? {
                    Some(c) => c,
                    None => predefined(&reference.decode().map_err(|err| malformed(err.to_string()))?)?,
                };
                append(&mut open, resolved.encode_utf8(&mut [0; 4]))?;
            }
            Event::DocType(_) => {
                return Err(malformed("a document type declaration (DOCTYPE): DTDs and entities are not accepted"));
            }
            Event::Decl(declaration) => {
                if let Some(encoding) = declaration.encoding() {
                    let encoding = encoding.map_err(|err| malformed(err.to_string()))?;
                    if !encoding.eq_ignore_ascii_case(b"utf-8") {
                        return Err(malformed("an encoding other than UTF-8"));
                    }
                }
            }
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !open.is_empty() {
        return Err(malformed("the document ends inside an element"));
    }
    let root = root.ok_or_else(|| malformed("no root element"))?;
    Ok((root.name.clone(), root.into_json()))
}

fn name_of(raw: &[u8]) -> String {
    String::from_utf8_lossy(raw).into_owned()
}

fn close(open: &mut [Element], root: &mut Option<Element>, element: Element) {
    match open.last_mut() {
        Some(parent) => parent.children.push(element),
        None => *root = Some(element),
    }
}

/// Text inside the open element; outside the root only whitespace may stand.
fn append(open: &mut [Element], text: &str) -> Result<(), ApiError> {
    match open.last_mut() {
        Some(element) => {
            element.text.push_str(text);
            Ok(())
        }
        None if text.trim().is_empty() => Ok(()),
        None => Err(malformed("text outside the root element")),
    }
}

/// The five entities every XML document has; any other is undefined (no DTD can define one).
fn predefined(name: &str) -> Result<char, ApiError> {
    match name {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(malformed(format!("the undefined entity &{other};"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn refused(body: &[u8]) -> String {
        let err = parse(body).unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::BAD_REQUEST, "malformed_xml"), "{}", err.message);
        err.message
    }

    #[test]
    fn a_document_reads_as_its_json_twin() {
        let body = br#"<?xml version="1.0" encoding="UTF-8"?>
            <!-- a group --><group id="ignored"><id>5</id><name>J&amp;L &#x263A; &lt;x&gt;</name><description/>
            <permissions><setting><name>A</name><value>ENABLE</value></setting>
            <setting><name>B</name><value><![CDATA[DISABLE]]></value></setting></permissions></group>"#;
        let (root, value) = parse(body).unwrap();
        assert_eq!(root, "group");
        assert_eq!(
            value,
            json!({ "id": "5", "name": "J&L \u{263a} <x>", "description": "",
                    "permissions": { "setting": [{ "name": "A", "value": "ENABLE" }, { "name": "B", "value": "DISABLE" }] } })
        );
        assert_eq!(parse(b"<group/>").unwrap(), ("group".to_owned(), json!("")));
    }

    #[test]
    fn entities_and_document_types_are_refused() {
        let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>
            <group><name>&lol2;</name></group>"#;
        assert!(refused(laughs).contains("DOCTYPE"));
        let external =
            br#"<!DOCTYPE group [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><group><name>&xxe;</name></group>"#;
        assert!(refused(external).contains("DOCTYPE"));
        assert!(refused(b"<group><name>&xxe;</name></group>").contains("undefined entity &xxe;"));
        assert!(refused(b"<group><name>&#0;</name></group>").contains("not acceptable XML"));
    }

    #[test]
    fn depth_count_encoding_and_shape_are_bounded() {
        let deep = format!("{}{}", "<a>".repeat(MAX_DEPTH + 1), "</a>".repeat(MAX_DEPTH + 1));
        assert!(refused(deep.as_bytes()).contains("nested deeper"));
        let just = format!("{}{}", "<a>".repeat(MAX_DEPTH), "</a>".repeat(MAX_DEPTH));
        assert!(parse(just.as_bytes()).is_ok());
        let wide = format!("<g>{}</g>", "<s/>".repeat(MAX_ELEMENTS));
        assert!(refused(wide.as_bytes()).contains("elements"));
        assert!(refused(b"<group>\xff\xfe</group>").contains("not UTF-8"));
        assert!(refused(br#"<?xml version="1.0" encoding="ISO-8859-1"?><group/>"#).contains("UTF-8"));
        assert!(refused(b"<group><name>x</group>").contains("not acceptable"));
        assert!(refused(b"<group/><group/>").contains("second root"));
        assert!(refused(b"text<group/>").contains("outside the root"));
        assert!(refused(b"").contains("no root"));
        assert!(refused(b"<group>a<b/></group>").contains("mixes"));
        assert!(refused(b"<group><name>x</name>").contains("ends inside"));
        let huge = vec![b' '; MAX_BYTES + 1];
        assert_eq!(parse(&huge).unwrap_err().status, StatusCode::PAYLOAD_TOO_LARGE);
    }
}
