//! Branding documents (`general`, `pages`, and `styling` of three types): JSON dictionaries typed
//! as the spec's examples show them, whose URLs a web console may render safely
//! ([`shape`], [`links`]), the instance's defaults (data: `data/branding_defaults.json`), and
//! inheritance: a node without its own document shows the nearest ancestor's, and at the top the
//! defaults.

mod links;
mod portal;
mod shape;

pub use links::INLINE_IMAGE_TYPES;
pub use portal::{
    Logo, MAX_LOGO_BYTES, PORTAL_SECRET_MASK, merge_portal_brand, parse_portal_brand, shown_portal_brand,
};

use crate::access::BrandingDoc;
use crate::error::DomainError;
use crate::node::NodeId;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::OnceLock;

/// The largest document kept, serialized, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024;
/// The deepest nesting of objects and arrays a document may have.
pub const MAX_DEPTH: usize = 16;

/// One stored document: `general`, `pages`, or the styling of one `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BrandingKey {
    General,
    Pages,
    Font,
    Image,
    Theme,
    /// The portal's brand of a group (`portal/brand.rs`): not one of Canopy's own documents.
    PortalBrand,
    /// The portal's logo of a group, a PNG.
    PortalLogo,
}

impl BrandingKey {
    /// Canopy's own documents (its branding API's); the portal's are kept beside them.
    pub const ALL: [BrandingKey; 5] = [Self::General, Self::Pages, Self::Font, Self::Image, Self::Theme];

    /// The key stored (`general`, `pages`, `styling.font`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Pages => "pages",
            Self::Font => "styling.font",
            Self::Image => "styling.image",
            Self::Theme => "styling.theme",
            Self::PortalBrand => "portal.brand",
            Self::PortalLogo => "portal.logo",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == raw)
    }

    /// The styling document of a `type` (`font`, `image`, `theme`); anything else names `type`.
    pub fn styling(kind: Option<&str>) -> Result<Self, DomainError> {
        match kind {
            Some("font") => Ok(Self::Font),
            Some("image") => Ok(Self::Image),
            Some("theme") => Ok(Self::Theme),
            Some(_) => Err(DomainError::invalid("type", "must be one of font, image, theme")),
            None => Err(DomainError::invalid("type", "is required: font, image or theme")),
        }
    }

    /// The shape of one of Canopy's documents; the portal's are checked by `portal.rs`.
    fn shape(self) -> Option<&'static shape::Shape> {
        match self {
            Self::General => Some(&shape::GENERAL),
            Self::Pages => Some(&shape::PAGES),
            Self::Font => Some(&shape::FONT),
            Self::Image => Some(&shape::IMAGE),
            Self::Theme => Some(&shape::THEME),
            Self::PortalBrand | Self::PortalLogo => None,
        }
    }

    /// The document its permission names.
    pub fn doc(self) -> BrandingDoc {
        match self {
            Self::General | Self::PortalBrand => BrandingDoc::General,
            Self::Pages => BrandingDoc::Pages,
            Self::Font | Self::Image | Self::Theme | Self::PortalLogo => BrandingDoc::Styling,
        }
    }
}

/// A valid branding document: a JSON object.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandingDocument(Map<String, Value>);

impl BrandingDocument {
    /// Checks a client's document: an object, at most [`MAX_DOCUMENT_BYTES`] and [`MAX_DEPTH`],
    /// each property of the type the spec shows and each URL safe to render ([`shape`]), and what
    /// its key implies (see [`check_styling`]). A refusal names the property's path.
    pub fn parse(key: BrandingKey, value: Value) -> Result<Self, DomainError> {
        let Some(shape) = key.shape() else {
            return Err(DomainError::invalid("key", "the portal's documents are parsed by their own rules"));
        };
        let Value::Object(map) = value else {
            return Err(DomainError::invalid("body", "must be a JSON object"));
        };
        if depth(&Value::Object(map.clone())) > MAX_DEPTH {
            return Err(DomainError::invalid("body", format!("nests deeper than {MAX_DEPTH} levels")));
        }
        let size = serde_json::to_vec(&map).map(|b| b.len()).unwrap_or(usize::MAX);
        if size > MAX_DOCUMENT_BYTES {
            return Err(DomainError::invalid("body", format!("is larger than {MAX_DOCUMENT_BYTES} bytes")));
        }
        shape::check_document(shape, &map)?;
        check_styling(key, &map)?;
        Ok(Self(map))
    }

    /// A stored document, as it was stored: only its being an object is checked. Documents
    /// written before the rules of [`parse`](Self::parse) tightened (issue 21) still read; the
    /// rules apply to writes.
    pub fn from_stored(json: &str) -> Result<Self, DomainError> {
        match serde_json::from_str(json) {
            Ok(Value::Object(map)) => Ok(Self(map)),
            Ok(_) => Err(DomainError::invalid("body", "must be a JSON object")),
            Err(e) => Err(DomainError::invalid("body", e.to_string())),
        }
    }

    pub fn to_json(&self) -> String {
        Value::Object(self.0.clone()).to_string()
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    /// The instance's default document of `key`.
    pub fn default_for(key: BrandingKey) -> Self {
        static DEFAULTS: OnceLock<Map<String, Value>> = OnceLock::new();
        let all = DEFAULTS.get_or_init(|| {
            serde_json::from_str(include_str!("../data/branding_defaults.json")).expect("the defaults are JSON")
        });
        match all.get(key.as_str()) {
            Some(Value::Object(map)) => Self(map.clone()),
            // The portal's documents have no default: a group without one has none.
            _ => Self(Map::new()),
        }
    }

    /// The part of the document a read asks for: everything with `full` or without filters;
    /// otherwise the top-level keys named in `keys` (comma-separated) and those containing
    /// `search` (case-insensitively), both when both are given.
    pub fn select(&self, full: bool, keys: Option<&str>, search: Option<&str>) -> Map<String, Value> {
        let keys: Option<Vec<&str>> = keys.map(|k| k.split(',').map(str::trim).filter(|k| !k.is_empty()).collect());
        let search = search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        if full || (keys.is_none() && search.is_none()) {
            return self.0.clone();
        }
        self.0
            .iter()
            .filter(|(k, _)| keys.as_ref().is_none_or(|keys| keys.contains(&k.as_str())))
            .filter(|(k, _)| search.as_ref().is_none_or(|s| k.to_lowercase().contains(s.as_str())))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// The document a node shows: its own, else the nearest ancestor's (`chain` lists the node
/// then its ancestors, nearest first), else the instance's own default (`instance`, set by a
/// system administrator), else the built-in default.
pub fn effective(
    key: BrandingKey,
    chain: &[NodeId],
    own: &HashMap<NodeId, BrandingDocument>,
    instance: Option<&BrandingDocument>,
) -> BrandingDocument {
    chain.iter().find_map(|id| own.get(id)).or(instance).cloned().unwrap_or_else(|| BrandingDocument::default_for(key))
}

fn depth(value: &Value) -> usize {
    match value {
        Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// What the styling documents imply beyond their shape: a font's `name` and a theme's `selected`
/// are among its `allowed` (a non-empty list of distinct names); a theme has a `themes` entry (a
/// URL) for each allowed theme.
fn check_styling(key: BrandingKey, map: &Map<String, Value>) -> Result<(), DomainError> {
    let allowed = || -> Result<Vec<&str>, DomainError> {
        let bad = || DomainError::invalid("allowed", "must be a non-empty list of distinct non-empty names");
        let names: Vec<&str> = match map.get("allowed") {
            Some(Value::Array(items)) => {
                items.iter().map(|v| v.as_str().filter(|s| !s.is_empty())).collect::<Option<_>>()
            }
            _ => None,
        }
        .ok_or_else(bad)?;
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        if names.is_empty() || sorted.len() != names.len() {
            return Err(bad());
        }
        Ok(names)
    };
    let one_of = |field: &'static str, allowed: &[&str]| match map.get(field).and_then(Value::as_str) {
        Some(name) if allowed.contains(&name) => Ok(()),
        _ => Err(DomainError::invalid(field, "must be one of `allowed`")),
    };
    match key {
        BrandingKey::General | BrandingKey::Pages | BrandingKey::Image => Ok(()),
        BrandingKey::PortalBrand | BrandingKey::PortalLogo => Ok(()),
        BrandingKey::Font => one_of("name", &allowed()?),
        BrandingKey::Theme => {
            let allowed = allowed()?;
            one_of("selected", &allowed)?;
            let themes = map.get("themes").and_then(Value::as_object);
            let complete = themes.is_some_and(|themes| allowed.iter().all(|a| themes.contains_key(*a)));
            if complete { Ok(()) } else { Err(DomainError::invalid("themes", "must map every allowed theme to a URL")) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use uuid::Uuid;

    fn field_of(err: DomainError) -> String {
        err.field().unwrap_or_else(|| panic!("{err:?}")).to_owned()
    }

    #[test]
    fn every_default_is_a_valid_document_of_its_key() {
        for key in BrandingKey::ALL {
            let default = BrandingDocument::default_for(key);
            assert_eq!(BrandingDocument::parse(key, Value::Object(default.as_map().clone())), Ok(default), "{key:?}");
        }
        assert_eq!(BrandingDocument::default_for(BrandingKey::Theme).as_map()["selected"], "blue");
    }

    #[test]
    fn a_theme_must_select_one_of_its_allowed_themes_and_map_each() {
        let theme = |selected: &str| json!({ "allowed": ["blue", "red"], "selected": selected, "themes": { "blue": "/b", "red": "/r" } });
        assert!(BrandingDocument::parse(BrandingKey::Theme, theme("red")).is_ok());
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Theme, theme("pink")).unwrap_err()), "selected");
        let missing = json!({ "allowed": ["blue", "red"], "selected": "red", "themes": { "blue": "/b" } });
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Theme, missing).unwrap_err()), "themes");
        let dup = json!({ "allowed": ["blue", "blue"], "selected": "blue", "themes": { "blue": "/b" } });
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Theme, dup).unwrap_err()), "allowed");
    }

    #[test]
    fn a_font_must_be_one_of_its_allowed_fonts() {
        let font = |name: &str| json!({ "allowed": ["Roboto", "Ubuntu"], "name": name });
        assert!(BrandingDocument::parse(BrandingKey::Font, font("Ubuntu")).is_ok());
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Font, font("Arial")).unwrap_err()), "name");
        let none = json!({ "allowed": [], "name": "Arial" });
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Font, none).unwrap_err()), "allowed");
    }

    #[test]
    fn documents_are_objects_of_bounded_size_and_depth() {
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::General, json!([1])).unwrap_err()), "body");
        let big = json!({ "x": "a".repeat(MAX_DOCUMENT_BYTES) });
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::General, big).unwrap_err()), "body");
        let mut deep = json!(1);
        for _ in 0..=MAX_DEPTH {
            deep = json!({ "d": deep });
        }
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Pages, deep).unwrap_err()), "body");
        let image = json!({ "favicon": 3 });
        assert_eq!(field_of(BrandingDocument::parse(BrandingKey::Image, image).unwrap_err()), "favicon");
    }

    #[test]
    fn the_nearest_own_document_wins_then_the_instances_and_the_built_in_default_is_last() {
        let (tenant, reseller, group) =
            (NodeId(Uuid::from_u128(3)), NodeId(Uuid::from_u128(2)), NodeId(Uuid::from_u128(1)));
        let doc = |name: &str| BrandingDocument::parse(BrandingKey::General, json!({ "name": name })).unwrap();
        let mut own = HashMap::from([(group, doc("group"))]);
        let chain = [tenant, reseller, group];
        let instance = doc("instance");
        assert_eq!(effective(BrandingKey::General, &chain, &own, Some(&instance)), doc("group"));
        own.insert(reseller, doc("reseller"));
        assert_eq!(effective(BrandingKey::General, &chain, &own, None), doc("reseller"));
        assert_eq!(effective(BrandingKey::General, &chain[..1], &HashMap::new(), Some(&instance)), instance);
        assert_eq!(
            effective(BrandingKey::General, &chain[..1], &HashMap::new(), None),
            BrandingDocument::default_for(BrandingKey::General)
        );
    }

    #[test]
    fn a_read_selects_keys_and_searches_unless_full() {
        let doc =
            BrandingDocument::parse(BrandingKey::General, json!({ "appTitle": "F", "apiVersion": "v", "name": "D" }))
                .unwrap();
        let keys = |m: Map<String, Value>| m.keys().cloned().collect::<Vec<_>>();
        assert_eq!(keys(doc.select(false, Some("name, appTitle,missing"), None)), ["appTitle", "name"]);
        assert_eq!(keys(doc.select(false, None, Some("AP"))), ["apiVersion", "appTitle"]);
        assert_eq!(keys(doc.select(false, Some("name,appTitle"), Some("app"))), ["appTitle"]);
        assert_eq!(keys(doc.select(true, Some("name"), Some("zzz"))).len(), 3, "full ignores the others");
        assert_eq!(keys(doc.select(false, None, None)).len(), 3);
    }

    #[test]
    fn styling_types_parse_and_name_the_type_field() {
        assert_eq!(BrandingKey::styling(Some("theme")), Ok(BrandingKey::Theme));
        assert_eq!(field_of(BrandingKey::styling(Some("color")).unwrap_err()), "type");
        assert_eq!(field_of(BrandingKey::styling(None).unwrap_err()), "type");
        for key in BrandingKey::ALL {
            assert_eq!(BrandingKey::parse(key.as_str()), Some(key));
        }
    }
}
