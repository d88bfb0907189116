//! The filter of a read (`keys`, `search`) and the keys of a deletion.

use super::{MAX_PROPERTIES, MAX_SEARCH_CHARS, PropertyKey};
use crate::error::DomainError;
use std::collections::BTreeSet;

/// Which properties a read returns: `keys` (exact names) and `search` (a case-insensitive
/// substring of the key), both when both are given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PropertyFilter {
    keys: Option<BTreeSet<PropertyKey>>,
    search: Option<String>,
}

impl PropertyFilter {
    /// `keys` is a comma-separated list (items trimmed, empty items ignored; an empty list
    /// restricts nothing); `search` is trimmed (empty means none).
    pub fn parse(keys: Option<&str>, search: Option<&str>) -> Result<Self, DomainError> {
        let keys = match keys {
            None => None,
            Some(list) => {
                let names: Vec<&str> = list.split(',').map(str::trim).filter(|k| !k.is_empty()).collect();
                if names.len() > MAX_PROPERTIES {
                    return Err(DomainError::invalid("keys", "at most 500 keys"));
                }
                let parsed = names.into_iter().map(PropertyKey::parse).collect::<Result<BTreeSet<_>, _>>()?;
                (!parsed.is_empty()).then_some(parsed)
            }
        };
        let search = search.map(str::trim).filter(|s| !s.is_empty());
        if search.is_some_and(|s| s.chars().count() > MAX_SEARCH_CHARS) {
            return Err(DomainError::invalid("search", "at most 255 characters"));
        }
        Ok(Self { keys, search: search.map(str::to_lowercase) })
    }

    pub fn admits(&self, key: &PropertyKey) -> bool {
        self.keys.as_ref().is_none_or(|keys| keys.contains(key))
            && self.search.as_ref().is_none_or(|needle| key.as_str().to_ascii_lowercase().contains(needle.as_str()))
    }
}

/// The keys of a deletion (`{"keys": [...]}`), each valid, at most [`MAX_PROPERTIES`].
pub fn parse_keys(raw: &[String]) -> Result<BTreeSet<PropertyKey>, DomainError> {
    if raw.len() > MAX_PROPERTIES {
        return Err(DomainError::invalid("keys", "at most 500 keys"));
    }
    raw.iter().map(|key| PropertyKey::parse(key)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configuration::{MASK, Properties, PropertyValue};
    use serde_json::json;

    fn key(raw: &str) -> PropertyKey {
        PropertyKey::parse(raw).unwrap()
    }

    #[test]
    fn a_read_shows_the_selected_keys_with_secrets_masked() {
        let properties: Properties = [
            (key("draas_sip_password"), PropertyValue::Text("s3cret".into())),
            (key("Api_TOKEN"), PropertyValue::Number(7.into())),
            (key("draas_group"), PropertyValue::Text("Copaco".into())),
            (key("draas_sbc_ip"), PropertyValue::Text("152.70.50.133".into())),
        ]
        .into_iter()
        .collect();
        let all = properties.shown(&PropertyFilter::default());
        assert_eq!(all.get("draas_sip_password").unwrap().to_json(), json!(MASK));
        assert_eq!(all.get("Api_TOKEN").unwrap().to_json(), json!(MASK));
        assert_eq!(all.get("draas_group").unwrap().to_json(), json!("Copaco"));
        let keys = PropertyFilter::parse(Some(" draas_group, missing ,"), None).unwrap();
        assert_eq!(properties.shown(&keys).iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["draas_group"]);
        let search = PropertyFilter::parse(None, Some(" SBC ")).unwrap();
        assert_eq!(properties.shown(&search).iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["draas_sbc_ip"]);
        let both = PropertyFilter::parse(Some("draas_group,draas_sbc_ip"), Some("group")).unwrap();
        assert_eq!(properties.shown(&both).len(), 1);
        assert_eq!(PropertyFilter::parse(Some(" , "), Some("  ")).unwrap(), PropertyFilter::default());
        assert!(PropertyFilter::parse(Some("a b"), None).is_err());
        assert!(PropertyFilter::parse(None, Some(&"s".repeat(256))).is_err());
    }

    #[test]
    fn deleted_keys_are_validated_and_bounded() {
        let keys = parse_keys(&["prop_1".into(), "prop_1".into(), "prop_2".into()]).unwrap();
        assert_eq!(keys.len(), 2);
        assert!(parse_keys(&["bad key".into()]).is_err());
        assert!(parse_keys(&vec!["k".to_owned(); MAX_PROPERTIES + 1]).is_err());
    }
}
