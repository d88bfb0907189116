//! Secret properties: which keys are secret, the mask reads show in their place, and how a write
//! that sends the mask back keeps the stored secret. The one place these rules live: both
//! adapters call [`ConfigWrite::apply`] on the values they hold, inside their unit of work.

use super::{MAX_PROPERTIES, Properties, PropertyKey, PropertyValue};
use crate::error::DomainError;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// What reads show in place of a secret value, and what a write sends to keep one.
pub const MASK: &str = "********";

/// Whether a property is a secret: its key contains `password` or `token`, in any case.
pub fn is_secret(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("password") || key.contains("token")
}

/// How a write treats the properties it does not name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// `POST`: the properties sent are added or changed, the others kept.
    Upsert,
    /// `PUT`: the configuration becomes exactly the properties sent; the others are deleted.
    Replace,
}

/// One property of a write.
#[derive(Clone, PartialEq, Eq)]
enum Incoming {
    Set(PropertyValue),
    /// [`MASK`] sent for a secret key: the stored value stays.
    KeepSecret,
}

/// A write of a configuration, validated, to be applied against the stored properties.
#[derive(Clone, PartialEq, Eq)]
pub struct ConfigWrite {
    mode: WriteMode,
    entries: BTreeMap<PropertyKey, Incoming>,
}

impl fmt::Debug for ConfigWrite {
    /// Keys and what happens to them, never a value.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let entries: Vec<(&str, &str)> = self
            .entries
            .iter()
            .map(|(key, incoming)| match incoming {
                Incoming::Set(value) => (key.as_str(), value.value_type().as_str()),
                Incoming::KeepSecret => (key.as_str(), "kept"),
            })
            .collect();
        f.debug_struct("ConfigWrite").field("mode", &self.mode).field("entries", &entries).finish()
    }
}

impl ConfigWrite {
    /// The properties a client sent: at most [`MAX_PROPERTIES`], each key and value valid.
    pub fn parse(mode: WriteMode, properties: Vec<(String, Value)>) -> Result<Self, DomainError> {
        if properties.len() > MAX_PROPERTIES {
            return Err(DomainError::invalid("properties", "at most 500 properties"));
        }
        let mut entries = BTreeMap::new();
        for (raw, value) in properties {
            let key = PropertyKey::parse(&raw)?;
            let incoming = match value {
                Value::String(text) if text == MASK && is_secret(key.as_str()) => Incoming::KeepSecret,
                value => Incoming::Set(PropertyValue::from_json(&key, value)?),
            };
            entries.insert(key, incoming);
        }
        Ok(Self { mode, entries })
    }

    pub fn mode(&self) -> WriteMode {
        self.mode
    }

    /// The configuration after this write, given the stored one. A masked secret with nothing
    /// stored to keep is refused (naming the key), and so is a result of more than
    /// [`MAX_PROPERTIES`].
    pub fn apply(&self, stored: &Properties) -> Result<Properties, DomainError> {
        let mut result = match self.mode {
            WriteMode::Upsert => stored.clone(),
            WriteMode::Replace => Properties::default(),
        };
        for (key, incoming) in &self.entries {
            let value = match incoming {
                Incoming::Set(value) => value.clone(),
                Incoming::KeepSecret => stored.get(key.as_str()).cloned().ok_or_else(|| {
                    DomainError::property(
                        key.as_str(),
                        "is the mask ******** but no value is stored to keep: send the secret itself",
                    )
                })?,
            };
            result.insert(key.clone(), value);
        }
        if result.len() > MAX_PROPERTIES {
            return Err(DomainError::invalid("properties", "a configuration holds at most 500 properties"));
        }
        Ok(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn stored(pairs: &[(&str, Value)]) -> Properties {
        pairs
            .iter()
            .map(|(k, v)| {
                let key = PropertyKey::parse(k).unwrap();
                let value = PropertyValue::from_json(&key, v.clone()).unwrap();
                (key, value)
            })
            .collect()
    }

    fn write(mode: WriteMode, pairs: &[(&str, Value)]) -> ConfigWrite {
        ConfigWrite::parse(mode, pairs.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect()).unwrap()
    }

    fn json_of(properties: &Properties) -> Value {
        properties.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_json())).collect::<serde_json::Map<_, _>>().into()
    }

    #[test]
    fn keys_naming_a_password_or_a_token_in_any_case_are_secret() {
        for secret in ["draas_sip_password", "PASSWORD", "api_Token", "tokens", "xPassWordx"] {
            assert!(is_secret(secret), "{secret}");
        }
        for plain in ["draas_group", "pass_word", "tok_en", "draas_sbc_port"] {
            assert!(!is_secret(plain), "{plain}");
        }
    }

    #[test]
    fn an_upsert_adds_and_changes_and_keeps_the_rest() {
        let before = stored(&[("draas_group", json!("Copaco")), ("draas_vrp", json!("World-Fusion"))]);
        let after = write(WriteMode::Upsert, &[("draas_group", json!("Arrow")), ("prop_1", json!("A new property"))])
            .apply(&before)
            .unwrap();
        assert_eq!(
            json_of(&after),
            json!({ "draas_group": "Arrow", "draas_vrp": "World-Fusion", "prop_1": "A new property" })
        );
    }

    #[test]
    fn a_replacement_is_exactly_what_was_sent() {
        let before = stored(&[("draas_group", json!("Copaco")), ("draas_sip_password", json!("s3cret"))]);
        let after = write(WriteMode::Replace, &[("draas_vrp", json!("World-Fusion"))]).apply(&before).unwrap();
        assert_eq!(json_of(&after), json!({ "draas_vrp": "World-Fusion" }), "a secret not sent is deleted too");
    }

    #[test]
    fn the_mask_sent_back_for_a_secret_keeps_the_stored_secret() {
        let before = stored(&[("draas_sip_password", json!("s3cret")), ("api_token", json!(42))]);
        for mode in [WriteMode::Upsert, WriteMode::Replace] {
            let after = write(mode, &[("draas_sip_password", json!(MASK)), ("API_TOKEN", json!("new"))])
                .apply(&before)
                .unwrap();
            assert_eq!(after.get("draas_sip_password"), before.get("draas_sip_password"), "{mode:?}");
            assert_eq!(after.get("API_TOKEN").unwrap().to_json(), json!("new"));
        }
        let kept = write(WriteMode::Replace, &[("api_token", json!(MASK))]).apply(&before).unwrap();
        assert_eq!(kept.get("api_token").unwrap().to_json(), json!(42), "a secret of any type is kept");
    }

    #[test]
    fn a_read_sent_back_as_a_replacement_changes_nothing() {
        let before = stored(&[
            ("draas_sip_password", json!("s3cret")),
            ("draas_sbc_port", json!(5061)),
            ("draas_group", json!("Copaco")),
        ]);
        let read = before.shown(&super::super::PropertyFilter::default());
        let sent: Vec<(String, Value)> = read.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_json())).collect();
        let after = ConfigWrite::parse(WriteMode::Replace, sent).unwrap().apply(&before).unwrap();
        assert_eq!(after, before);
    }

    #[test]
    fn the_mask_for_a_secret_with_nothing_stored_is_refused_by_name() {
        let err = write(WriteMode::Upsert, &[("new_password", json!(MASK))]).apply(&Properties::default()).unwrap_err();
        assert!(matches!(&err, DomainError::InvalidProperty { key, .. } if key == "new_password"), "{err:?}");
    }

    #[test]
    fn the_mask_is_an_ordinary_value_for_a_key_that_is_not_secret() {
        let after = write(WriteMode::Upsert, &[("prop_1", json!(MASK))]).apply(&Properties::default()).unwrap();
        assert_eq!(after.get("prop_1").unwrap().to_json(), json!(MASK));
    }

    #[test]
    fn a_configuration_holds_at_most_500_properties() {
        let many: Vec<(String, Value)> = (0..MAX_PROPERTIES).map(|i| (format!("k{i}"), json!(i))).collect();
        let full = ConfigWrite::parse(WriteMode::Replace, many.clone()).unwrap().apply(&Properties::default()).unwrap();
        assert_eq!(full.len(), MAX_PROPERTIES);
        let one_more = write(WriteMode::Upsert, &[("extra", json!(1))]).apply(&full).unwrap_err();
        assert_eq!(one_more.field(), Some("properties"), "{one_more:?}");
        let mut too_many = many;
        too_many.push(("extra".into(), json!(1)));
        assert!(ConfigWrite::parse(WriteMode::Replace, too_many).is_err());
    }

    #[test]
    fn a_write_debugs_without_its_values() {
        let debug = format!("{:?}", write(WriteMode::Upsert, &[("a_password", json!("hunter2")), ("b", json!("x1"))]));
        assert!(!debug.contains("hunter2") && !debug.contains("x1"), "{debug}");
        assert!(debug.contains("a_password"), "{debug}");
    }
}
