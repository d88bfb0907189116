//! The shape of each branding document, typed as the spec's examples show it
//! (fusion-draas-groups, "… configurations branding general / pages / styling"): which
//! properties are text, flags, numbers, lists, objects, and which are URLs (checked by
//! [`check_link`]). Properties the spec does not show are kept, as long as no string in them
//! would run script as a URL ([`runs_script`]).

use super::links::{LinkKind, check_link, runs_script};
use crate::error::DomainError;
use serde_json::{Map, Value};

/// What a value must be.
#[derive(Debug)]
pub(super) enum Shape {
    /// A string without control characters, shown as text.
    Text,
    Flag,
    /// A whole number from 0 (milliseconds, counts).
    Count,
    /// A link or a loaded resource: a relative path or an `https:` URL.
    Link,
    /// An image: a [`Shape::Link`], or an inline raster image.
    Image,
    /// An image, or an object of images (`"login": {"bg": …, "logo": …}`).
    Images,
    List(&'static Shape),
    /// An object with these known properties; others are free.
    Object(&'static [(&'static str, Shape)]),
    /// An object whose every value has this shape (names are free).
    Each(&'static Shape),
    /// Anything, as long as no string in it runs script.
    Free,
}

use Shape::*;

// Shapes that others point to (a `&'static Shape` needs a static to point at).
static TEXT: Shape = Text;
static LINK: Shape = Link;
static IMAGES: Shape = Images;

static SSO: Shape = Object(&[("enabled", Flag), ("icon", Image), ("mode", Text), ("name", Text), ("state", Link)]);
static MODE: Shape = Object(&[("sso", List(&SSO))]);

/// `general`: the spec's example, property by property.
pub(super) static GENERAL: Shape = Object(&[
    ("apiVersion", Text),
    ("appTitle", Text),
    (
        "authentication",
        Object(&[
            ("customLogOut", Object(&[("enabled", Flag), ("route", Link)])),
            ("emailID", Text),
            ("keepUserLoggedIn", Flag),
        ]),
    ),
    ("backendUrl", Link),
    ("customTranslations", Flag),
    ("draasInstance", Text),
    ("guideLink", Link),
    ("languages", List(&TEXT)),
    ("modes", Each(&MODE)),
    ("msTeamInterval", Count),
    ("name", Text),
]);

/// A page of the console: `{"enabled": true}`, with tabs that are pages themselves.
static PAGE: Shape = Object(&[("enabled", Flag), ("tabs", Each(&PAGE))]);
static SECTION: Shape = Each(&PAGE);
/// `pages`: sections (`group`, `tenant`, …) of pages (`groupAdmins`, …).
pub(super) static PAGES: Shape = Each(&SECTION);

/// `styling` of `type=font`, `image`, `theme` (their cross-field rules are in `check_styling`).
pub(super) static FONT: Shape = Object(&[("allowed", List(&TEXT)), ("name", Text)]);
pub(super) static IMAGE: Shape = Each(&IMAGES);
pub(super) static THEME: Shape = Object(&[("allowed", List(&TEXT)), ("selected", Text), ("themes", Each(&LINK))]);

/// Checks `map`, a whole document, against `shape`; a refusal names the property's path
/// (`modes.admin.sso[0].icon`).
pub(super) fn check_document(shape: &Shape, map: &Map<String, Value>) -> Result<(), DomainError> {
    check_object(shape, map, "")
}

fn check_object(shape: &Shape, map: &Map<String, Value>, at: &str) -> Result<(), DomainError> {
    for (name, value) in map {
        let path = if at.is_empty() { name.clone() } else { format!("{at}.{name}") };
        let inner = match shape {
            Object(fields) => fields.iter().find(|(field, _)| field == name).map_or(&Free, |(_, shape)| shape),
            Each(inner) => inner,
            _ => &Free,
        };
        check(inner, value, &path)?;
    }
    Ok(())
}

fn check(shape: &Shape, value: &Value, path: &str) -> Result<(), DomainError> {
    let refuse = |reason: String| Err(DomainError::invalid(path.to_owned(), reason));
    match (shape, value) {
        (Free, Value::String(text)) if runs_script(text) => refuse("must not be a script URL".into()),
        (Free, Value::Array(items)) => {
            items.iter().enumerate().try_for_each(|(i, item)| check(&Free, item, &format!("{path}[{i}]")))
        }
        (Free, Value::Object(map)) => check_object(&Free, map, path),
        (Free, _) => Ok(()),
        (Text, Value::String(text)) if !text.chars().any(char::is_control) => Ok(()),
        (Text, _) => refuse("must be a string without control characters".into()),
        (Flag, Value::Bool(_)) => Ok(()),
        (Flag, _) => refuse("must be true or false".into()),
        (Count, Value::Number(n)) if n.is_u64() => Ok(()),
        (Count, _) => refuse("must be a whole number from 0".into()),
        (Link | Image | Images, Value::String(url)) => {
            let kind = if matches!(shape, Link) { LinkKind::Link } else { LinkKind::Image };
            check_link(url, kind).or_else(refuse)
        }
        (Images, Value::Object(map)) => {
            map.iter().try_for_each(|(name, value)| check(&Image, value, &format!("{path}.{name}")))
        }
        (Link, _) => refuse("must be a relative path or an https: URL (a string)".into()),
        (Image, _) => refuse("must be an image path or URL (a string)".into()),
        (Images, _) => refuse("must be an image path or URL, or an object of them".into()),
        (List(inner), Value::Array(items)) => {
            items.iter().enumerate().try_for_each(|(i, item)| check(inner, item, &format!("{path}[{i}]")))
        }
        (List(_), _) => refuse("must be a list".into()),
        (Object(_) | Each(_), Value::Object(map)) => check_object(shape, map, path),
        (Object(_) | Each(_), _) => refuse("must be an object".into()),
    }
}

#[cfg(test)]
mod tests {
    use crate::branding::{BrandingDocument, BrandingKey};
    use serde_json::{Value, json};

    /// The spec's example of `general` (fusion-draas-groups, "Modify the configurations branding
    /// general"), verbatim.
    fn spec_general() -> Value {
        json!({
            "apiVersion": "api/v01", "appTitle": "Fusion",
            "authentication": { "customLogOut": { "enabled": false, "route": "/forgot-password" },
                                "emailID": "en", "keepUserLoggedIn": true },
            "backendUrl": "https://apio-dev.fusion.netaxis.cloud", "customTranslations": false,
            "draasInstance": "draas/draas_fusion_dev",
            "guideLink": "https://fusion.docs.netaxis.solutions/guides/onboarding/",
            "languages": ["en", "de", "fr"],
            "modes": { "admin": { "sso": [
                { "enabled": true, "icon": "/branding/default/img/GoogleLogo.svg", "mode": "oidc", "name": "Google",
                  "state": "https://portal-dev.fusion.netaxis.cloud/login" },
                { "enabled": false, "icon": "/branding/default/img/ExponentialELogo.svg", "mode": "oidc",
                  "name": "Exponential-e", "state": "https://portal-dev.fusion.netaxis.cloud/login" } ] } },
            "msTeamInterval": 15000, "name": "DRaaS"
        })
    }

    fn refused_field(key: BrandingKey, document: Value) -> String {
        let err = BrandingDocument::parse(key, document.clone()).expect_err(&document.to_string());
        err.field().unwrap_or_else(|| panic!("{err:?}")).to_owned()
    }

    #[test]
    fn the_specs_examples_are_accepted() {
        assert!(BrandingDocument::parse(BrandingKey::General, spec_general()).is_ok());
        let pages = json!({ "group": { "groupAdmins": { "enabled": true } },
                            "subscription": { "subscriptionNumbers": { "tabs": { "porting": { "enabled": true } } } } });
        assert!(BrandingDocument::parse(BrandingKey::Pages, pages).is_ok());
        let image = json!({ "favicon": "/branding/default/favicon/favicon.ico",
                            "login": { "bg": "/branding/default/img/Loginbackground.png", "logo": "/branding/default/img/LoginLogo.svg" } });
        assert!(BrandingDocument::parse(BrandingKey::Image, image).is_ok());
    }

    #[test]
    fn every_property_has_the_type_of_the_specs_example_and_a_wrong_one_is_named() {
        for (document, field) in [
            (json!({ "appTitle": 5 }), "appTitle"),
            (json!({ "languages": "en" }), "languages"),
            (json!({ "languages": ["en", 2] }), "languages[1]"),
            (json!({ "customTranslations": "no" }), "customTranslations"),
            (json!({ "msTeamInterval": -1 }), "msTeamInterval"),
            (json!({ "msTeamInterval": 1.5 }), "msTeamInterval"),
            (
                json!({ "authentication": { "customLogOut": { "enabled": "yes" } } }),
                "authentication.customLogOut.enabled",
            ),
            (json!({ "modes": { "admin": { "sso": {} } } }), "modes.admin.sso"),
            (json!({ "modes": { "admin": { "sso": [{ "enabled": 1 }] } } }), "modes.admin.sso[0].enabled"),
            (json!({ "name": "line\nbreak" }), "name"),
        ] {
            assert_eq!(refused_field(BrandingKey::General, document), field);
        }
        assert_eq!(refused_field(BrandingKey::Pages, json!({ "group": "x" })), "group");
        assert_eq!(
            refused_field(BrandingKey::Pages, json!({ "group": { "groupAdmins": { "enabled": 1 } } })),
            "group.groupAdmins.enabled"
        );
        assert_eq!(refused_field(BrandingKey::Font, json!({ "allowed": ["A", 1], "name": "A" })), "allowed[1]");
    }

    #[test]
    fn script_urls_are_refused_wherever_a_url_goes() {
        let script = "javascript:alert(document.cookie)";
        let general = |pointer: &str| {
            let mut document = spec_general();
            *document.pointer_mut(pointer).unwrap() = json!(script);
            document
        };
        for (pointer, field) in [
            ("/backendUrl", "backendUrl"),
            ("/guideLink", "guideLink"),
            ("/authentication/customLogOut/route", "authentication.customLogOut.route"),
            ("/modes/admin/sso/0/icon", "modes.admin.sso[0].icon"),
            ("/modes/admin/sso/1/state", "modes.admin.sso[1].state"),
        ] {
            assert_eq!(refused_field(BrandingKey::General, general(pointer)), field);
        }
        assert_eq!(refused_field(BrandingKey::Image, json!({ "favicon": script })), "favicon");
        assert_eq!(refused_field(BrandingKey::Image, json!({ "login": { "bg": "data:text/html,x" } })), "login.bg");
        let theme = json!({ "allowed": ["blue"], "selected": "blue", "themes": { "blue": "vbscript:x" } });
        assert_eq!(refused_field(BrandingKey::Theme, theme), "themes.blue");
        let inline = json!({ "favicon": "data:image/png;base64,iVBORw0KGgo=" });
        assert!(BrandingDocument::parse(BrandingKey::Image, inline).is_ok(), "an inline raster image");
        let png = json!("data:image/png;base64,iVBORw0KGgo=");
        let mut icon = spec_general();
        *icon.pointer_mut("/modes/admin/sso/0/icon").unwrap() = png.clone();
        assert!(BrandingDocument::parse(BrandingKey::General, icon).is_ok(), "an icon is an image");
        let mut link = spec_general();
        *link.pointer_mut("/guideLink").unwrap() = png;
        assert_eq!(refused_field(BrandingKey::General, link), "guideLink", "a link is not an image");
    }

    #[test]
    fn properties_the_spec_does_not_show_are_kept_unless_a_string_in_them_runs_script() {
        let extra = json!({ "supportText": "Call us: 24/7", "links": [{ "href": "https://x.example" }] });
        assert!(BrandingDocument::parse(BrandingKey::General, extra).is_ok());
        let hostile = json!({ "links": [{ "href": " JavaScript:alert(1)" }] });
        assert_eq!(refused_field(BrandingKey::General, hostile), "links[0].href");
        let page = json!({ "tenant": { "tenantAdmins": { "enabled": true, "icon": "vbscript:x" } } });
        assert_eq!(refused_field(BrandingKey::Pages, page), "tenant.tenantAdmins.icon");
    }

    #[test]
    fn a_stored_document_reads_back_even_if_the_rules_now_refuse_it() {
        let stored = r#"{"appTitle": 5, "favicon": "javascript:alert(1)"}"#;
        let document = BrandingDocument::from_stored(stored).unwrap();
        assert_eq!(document.as_map()["appTitle"], 5);
        assert!(BrandingDocument::from_stored("[1]").is_err());
    }
}
