//! The portal's brand and logo of a group (`portal-account-server.txt` L29257–L31332,
//! L37361–L37998), kept beside Canopy's branding documents under their own keys and inherited
//! the same way: a group without its own shows its nearest ancestor's (`effective=1`).
//!
//! A brand is a flat object of the spec's fields, each of its type; a field it does not define
//! is refused by name, so that nothing a client sends is silently dropped. Its SMTP password is
//! masked in every read (ten stars, as the spec shows it) and a write that sends a mask back, of
//! either length, keeps the stored one. A logo is a PNG, checked by its signature and bounded.

use super::BrandingDocument;
use super::links::runs_script;
use crate::error::DomainError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

/// What the portal shows in place of a stored SMTP password (L31390).
pub const PORTAL_SECRET_MASK: &str = "**********";
/// The secret field of a brand.
const SMTP_PASSWORD: &str = "smtp_password";
/// The longest text field, in characters.
const MAX_TEXT: usize = 2048;
/// The largest logo, in bytes.
pub const MAX_LOGO_BYTES: usize = 1024 * 1024;
/// The first bytes of every PNG file, then the length and type of its first chunk, `IHDR`.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// The type of a brand field as the spec's example shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldType {
    /// Free text (a name, a phone number, an e-mail address, an encryption's name).
    Text,
    /// An address a portal links to: text that never runs script (`javascript:` and the like).
    Url,
    /// `0` or `1`.
    Flag,
    /// A TCP port, 1 to 65535.
    Port,
    /// `true` or `false`.
    Boolean,
    /// Six hexadecimal digits (`FFFFFF`).
    Color,
}

/// Every field of a brand (L29993: `brand_public` and `smtp_settings`), in the spec's order.
const FIELDS: [(&str, FieldType); 32] = [
    ("account_server_url", FieldType::Url),
    ("backup_console_url", FieldType::Url),
    ("color", FieldType::Color),
    ("color_scheme", FieldType::Text),
    ("company_name", FieldType::Text),
    ("help_url", FieldType::Url),
    ("hide_predefined", FieldType::Flag),
    ("home_url", FieldType::Url),
    ("knowledgebase_url", FieldType::Url),
    ("logotype", FieldType::Flag),
    ("mobile_app_android_download_url", FieldType::Url),
    ("mobile_app_ios_download_url", FieldType::Url),
    ("owns_custom_legal_docs", FieldType::Boolean),
    ("white_labeled_agent", FieldType::Boolean),
    ("platform_terms_url", FieldType::Url),
    ("privacy_policy_url", FieldType::Url),
    ("router_url", FieldType::Url),
    ("agent_gateway_url", FieldType::Url),
    ("service_name", FieldType::Text),
    ("reg_server_url", FieldType::Url),
    ("smtp_encryption", FieldType::Text),
    ("smtp_override", FieldType::Flag),
    (SMTP_PASSWORD, FieldType::Text),
    ("smtp_port", FieldType::Port),
    ("smtp_reply_address", FieldType::Text),
    ("smtp_server", FieldType::Text),
    ("smtp_user", FieldType::Text),
    ("support_phone", FieldType::Text),
    ("support_url", FieldType::Url),
    ("terms_url", FieldType::Url),
    ("upsell_url", FieldType::Url),
    ("user_guide_url", FieldType::Url),
];

/// The fields of a brand a client sent, each checked; `id` (which reads show) is ignored, so a
/// brand read can be sent back as it is.
pub fn parse_portal_brand(value: Value) -> Result<Map<String, Value>, DomainError> {
    let Value::Object(sent) = value else {
        return Err(DomainError::invalid("body", "must be a JSON object of brand fields"));
    };
    let mut checked = Map::new();
    for (name, value) in sent {
        if name == "id" {
            continue;
        }
        let Some((field, kind)) = FIELDS.iter().find(|(field, _)| *field == name) else {
            return Err(DomainError::invalid(name, "is not a field of a brand"));
        };
        check(field, *kind, &value)?;
        checked.insert(name, value);
    }
    Ok(checked)
}

fn check(field: &'static str, kind: FieldType, value: &Value) -> Result<(), DomainError> {
    let bad = |expected: &str| Err(DomainError::invalid(field, format!("must be {expected}")));
    match (kind, value) {
        (FieldType::Text | FieldType::Url, Value::String(text)) => {
            if text.chars().count() > MAX_TEXT || text.chars().any(char::is_control) {
                return bad(&format!("text of at most {MAX_TEXT} characters, without control characters"));
            }
            if kind == FieldType::Url && runs_script(text) {
                return bad("an address a browser may follow (not javascript:, vbscript: or data:)");
            }
            Ok(())
        }
        (FieldType::Color, Value::String(text)) if text.len() == 6 && text.chars().all(|c| c.is_ascii_hexdigit()) => {
            Ok(())
        }
        (FieldType::Color, _) => bad("six hexadecimal digits, e.g. \"FFFFFF\""),
        (FieldType::Flag, Value::Number(n)) if matches!(n.as_u64(), Some(0 | 1)) => Ok(()),
        (FieldType::Flag, _) => bad("0 or 1"),
        (FieldType::Port, Value::Number(n)) if n.as_u64().is_some_and(|port| (1..=65535).contains(&port)) => Ok(()),
        (FieldType::Port, _) => bad("a port number, 1 to 65535"),
        (FieldType::Boolean, Value::Bool(_)) => Ok(()),
        (FieldType::Boolean, _) => bad("true or false"),
        (FieldType::Text | FieldType::Url, _) => bad("a string"),
    }
}

/// The brand `sent` makes of `base` (the one stored, or inherited when a group's own brand is
/// enabled): the fields sent replace those of `base`, the others stay; an SMTP password sent
/// as a mask (eight or ten stars) keeps the one of `base`.
pub fn merge_portal_brand(base: Option<&Map<String, Value>>, sent: Map<String, Value>) -> BrandingDocument {
    let mut merged = base.cloned().unwrap_or_default();
    for (name, value) in sent {
        let masked = name == SMTP_PASSWORD && value.as_str().is_some_and(is_mask);
        if !masked {
            merged.insert(name, value);
        }
    }
    BrandingDocument(merged)
}

/// Whether a value is a mask a client sent back: the portal's ten stars or Canopy's eight.
fn is_mask(value: &str) -> bool {
    value == PORTAL_SECRET_MASK || value == crate::MASK
}

/// A stored brand as a read shows it: every field of the spec (`""`, `0` or `false` where none
/// was set), the SMTP password masked when there is one.
pub fn shown_portal_brand(stored: &BrandingDocument) -> Map<String, Value> {
    FIELDS
        .iter()
        .map(|(name, kind)| {
            let value = match (stored.0.get(*name), *name) {
                (Some(Value::String(password)), SMTP_PASSWORD) if !password.is_empty() => {
                    Value::from(PORTAL_SECRET_MASK)
                }
                (Some(value), _) => value.clone(),
                (None, _) => match kind {
                    FieldType::Flag | FieldType::Port => Value::from(0),
                    FieldType::Boolean => Value::Bool(false),
                    FieldType::Text | FieldType::Url | FieldType::Color => Value::from(""),
                },
            };
            ((*name).to_owned(), value)
        })
        .collect()
}

/// A group's logo: a PNG image, kept as a document of `BrandingKey::PortalLogo`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub png: Vec<u8>,
}

impl Logo {
    /// Checks an upload: a PNG (its signature and first chunk, `IHDR`), at most
    /// [`MAX_LOGO_BYTES`].
    pub fn parse(bytes: &[u8]) -> Result<Self, DomainError> {
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(DomainError::invalid("body", format!("a logo is at most {MAX_LOGO_BYTES} bytes")));
        }
        if bytes.len() < 16 || bytes[..8] != PNG_SIGNATURE || &bytes[12..16] != b"IHDR" {
            return Err(DomainError::invalid("body", "must be a PNG image"));
        }
        Ok(Self { png: bytes.to_vec() })
    }

    /// Its entity tag: the first 16 bytes of its SHA-256, in hexadecimal.
    pub fn tag(&self) -> String {
        Sha256::digest(&self.png)[..16].iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// The document that keeps it.
    pub fn document(&self) -> BrandingDocument {
        let mut map = Map::new();
        map.insert("png".to_owned(), Value::from(STANDARD.encode(&self.png)));
        BrandingDocument(map)
    }

    /// The logo a stored document keeps.
    pub fn stored(document: &BrandingDocument) -> Result<Self, DomainError> {
        let encoded = document.0.get("png").and_then(Value::as_str).unwrap_or_default();
        let png = STANDARD.decode(encoded).map_err(|e| DomainError::invalid("png", e.to_string()))?;
        Ok(Self { png })
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
    fn the_specs_example_is_a_brand_and_each_field_keeps_its_type() {
        let example = json!({ "account_server_url": "mc-cloud.acronis.com", "color": "FFFFFF", "logotype": 1,
            "owns_custom_legal_docs": false, "smtp_port": 465, "smtp_password": "**********", "id": 7,
            "privacy_policy_url": "https://www.acronis.com/company/privacy.html" });
        let brand = parse_portal_brand(example).unwrap();
        assert!(!brand.contains_key("id"), "a read's id is not kept");
        assert_eq!(brand["smtp_port"], 465);
        let refused = |body: Value| field_of(parse_portal_brand(body).unwrap_err());
        assert_eq!(refused(json!({ "logotype": 2 })), "logotype");
        assert_eq!(refused(json!({ "color": "white" })), "color");
        assert_eq!(refused(json!({ "smtp_port": 0 })), "smtp_port");
        assert_eq!(refused(json!({ "white_labeled_agent": 1 })), "white_labeled_agent");
        assert_eq!(refused(json!({ "home_url": "JavaScript:alert(1)" })), "home_url");
        assert_eq!(refused(json!({ "company_name": "a\u{0}b" })), "company_name");
        assert_eq!(refused(json!({ "favourite_color": "FFFFFF" })), "favourite_color");
        assert_eq!(refused(json!(["color"])), "body");
    }

    #[test]
    fn a_masked_password_keeps_the_stored_one_and_reads_show_the_mask() {
        let stored = merge_portal_brand(None, parse_portal_brand(json!({ "smtp_password": "s3cret" })).unwrap());
        assert_eq!(shown_portal_brand(&stored)["smtp_password"], PORTAL_SECRET_MASK);
        for mask in [PORTAL_SECRET_MASK, "********"] {
            let sent = parse_portal_brand(json!({ "smtp_password": mask, "company_name": "B" })).unwrap();
            let kept = merge_portal_brand(Some(stored.as_map()), sent);
            assert_eq!(
                (&kept.as_map()["smtp_password"], &kept.as_map()["company_name"]),
                (&json!("s3cret"), &json!("B"))
            );
        }
        let changed =
            merge_portal_brand(Some(stored.as_map()), parse_portal_brand(json!({ "smtp_password": "new" })).unwrap());
        assert_eq!(changed.as_map()["smtp_password"], "new");
        let shown = shown_portal_brand(&merge_portal_brand(None, Map::new()));
        assert_eq!((shown.len(), &shown["smtp_password"], &shown["smtp_port"]), (FIELDS.len(), &json!(""), &json!(0)));
    }

    #[test]
    fn a_logo_is_a_bounded_png_kept_and_tagged_by_its_content() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend([0, 0, 0, 13]);
        png.extend(b"IHDR");
        png.extend([0; 17]);
        let logo = Logo::parse(&png).unwrap();
        assert_eq!(Logo::stored(&logo.document()).unwrap(), logo);
        assert_eq!(logo.tag().len(), 32);
        assert_ne!(Logo::parse(&[&png[..], b"x"].concat()).unwrap().tag(), logo.tag());
        assert_eq!(field_of(Logo::parse(b"GIF89a......IHDR....").unwrap_err()), "body");
        let mut huge = png.clone();
        huge.resize(MAX_LOGO_BYTES + 1, 0);
        assert_eq!(field_of(Logo::parse(&huge).unwrap_err()), "body");
    }
}
