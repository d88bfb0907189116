//! APIO's settings of group creation (`apio-tenant-groups.txt` L129–176), as Canopy keeps them:
//! general-configuration properties with APIO's own keys, typed in `STANDARD_PROPERTIES`, read
//! along the lineage of the tenant a group is created in (the tenant, then its reseller,
//! distributor and group: the nearest that sets a key wins; unset, the default below). Group
//! templates are properties too: `TEMPLATE.<name>` holds `{"category": "group", "defaults":
//! {…}}` as JSON text, so that they are stored per node, inherited, versioned, audited and managed
//! through the configuration routes like every property.
//!
//! | Key | Type | Default | In Canopy |
//! |---|---|---|---|
//! | `AUTO_CREATE.GROUP_DEFAULT_DOMAIN` | boolean | false | an unknown `defaultDomain` is registered for the instance and the tenant with the group |
//! | `APIO_OBJECT_CREATION.GROUP_DATA` | boolean | true | accepted, no effect: Canopy always keeps a group's data |
//! | `APIO_OBJECT_CREATION.RESELLER` | boolean | false | accepted, no effect: resellers are tree nodes, `resellerId` must name the tenant's own |
//! | `DEFAULT_TEMPLATES.GROUP_CREATE` | string | none | the template applied when a creation names none |
//! | `RESELLER_GROUP`, `RESELLER_TENANT` | boolean | true, false | accepted, no effect: a reseller's administrators reach only their subtree |

use crate::configuration::{Properties, PropertyValue};
use crate::error::DomainError;
use serde_json::{Map, Value};

pub const AUTO_CREATE_DOMAIN: &str = "AUTO_CREATE.GROUP_DEFAULT_DOMAIN";
pub const CREATE_GROUP_DATA: &str = "APIO_OBJECT_CREATION.GROUP_DATA";
pub const CREATE_RESELLER: &str = "APIO_OBJECT_CREATION.RESELLER";
pub const DEFAULT_GROUP_TEMPLATE: &str = "DEFAULT_TEMPLATES.GROUP_CREATE";
pub const RESELLER_GROUP: &str = "RESELLER_GROUP";
pub const RESELLER_TENANT: &str = "RESELLER_TENANT";
/// The prefix of a template's property: `TEMPLATE.<name>`.
pub const TEMPLATE_PREFIX: &str = "TEMPLATE.";
/// The category of the templates group creations use.
pub const GROUP_CATEGORY: &str = "group";

/// The settings of one creation, read along the tenant's lineage.
pub struct GroupSettings<'a> {
    /// Nearest first: the tenant's configuration, then its ancestors'.
    lineage: &'a [Properties],
}

impl<'a> GroupSettings<'a> {
    pub fn new(lineage: &'a [Properties]) -> Self {
        Self { lineage }
    }

    fn nearest(&self, key: &str) -> Option<&'a PropertyValue> {
        self.lineage.iter().find_map(|properties| properties.get(key))
    }

    /// Whether an unknown `defaultDomain` is registered with the group: the creation's
    /// `autoCreateDomain` when sent, else the setting, else false.
    pub fn auto_create_domain(&self, sent: Option<bool>) -> bool {
        sent.unwrap_or_else(|| matches!(self.nearest(AUTO_CREATE_DOMAIN), Some(PropertyValue::Boolean(true))))
    }

    /// The defaults of the template a creation names, else of the default template; `None` when
    /// neither is set. An unknown template, or one of another category, is refused by name.
    pub fn template(&self, named: Option<&str>) -> Result<Option<Map<String, Value>>, DomainError> {
        let name = match named {
            Some(name) => name.to_owned(),
            None => match self.nearest(DEFAULT_GROUP_TEMPLATE) {
                Some(PropertyValue::Text(name)) => name.clone(),
                _ => return Ok(None),
            },
        };
        let refused = |reason: &str| DomainError::invalid("templateName", format!("template {name:?}: {reason}"));
        let Some(PropertyValue::Text(document)) = self.nearest(&format!("{TEMPLATE_PREFIX}{name}")) else {
            return Err(refused("no such template here"));
        };
        let Ok(Value::Object(mut template)) = serde_json::from_str::<Value>(document) else {
            return Err(refused("is not a JSON object"));
        };
        if template.get("category").and_then(Value::as_str) != Some(GROUP_CATEGORY) {
            return Err(refused("is not of the category group"));
        }
        match template.remove("defaults") {
            Some(Value::Object(defaults)) if !defaults.contains_key("groupId") => Ok(Some(defaults)),
            None => Ok(Some(Map::new())),
            _ => Err(refused("its defaults must be an object of group fields without groupId")),
        }
    }
}

/// A creation's fields laid over a template's defaults: the body wins.
pub fn laid_over(defaults: Map<String, Value>, body: Map<String, Value>) -> Map<String, Value> {
    let mut merged = defaults;
    merged.extend(body);
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configuration::PropertyKey;
    use serde_json::json;

    fn properties(value: Value) -> Properties {
        let mut properties = Properties::default();
        for (key, value) in value.as_object().unwrap() {
            let key = PropertyKey::parse(key).unwrap();
            let value = PropertyValue::from_json(&key, value.clone()).unwrap();
            properties.insert(key, value);
        }
        properties
    }

    #[test]
    fn the_nearest_setting_wins_and_the_creation_overrides_it() {
        let tenant = properties(json!({ "draas_group": "x" }));
        let reseller = properties(json!({ AUTO_CREATE_DOMAIN: true }));
        let group = properties(json!({ AUTO_CREATE_DOMAIN: false }));
        let lineage = [tenant, reseller, group];
        let settings = GroupSettings::new(&lineage);
        assert!(settings.auto_create_domain(None));
        assert!(!settings.auto_create_domain(Some(false)));
        assert!(!GroupSettings::new(&[]).auto_create_domain(None), "off by default");
    }

    #[test]
    fn a_template_is_named_or_the_default_and_must_be_of_the_group_category() {
        let template = json!({ "category": "group", "defaults": { "userLimit": 50, "timeZone": "Europe/Brussels" } });
        let tenant = properties(json!({ "TEMPLATE.std": template.to_string(), DEFAULT_GROUP_TEMPLATE: "std" }));
        let group =
            properties(json!({ "TEMPLATE.user": json!({ "category": "user" }).to_string(), "TEMPLATE.bad": "{" }));
        let lineage = [tenant, group];
        let settings = GroupSettings::new(&lineage);
        let defaults = settings.template(None).unwrap().unwrap();
        assert_eq!(defaults["userLimit"], 50);
        assert_eq!(settings.template(Some("std")).unwrap(), Some(defaults.clone()));
        for bad in ["none", "user", "bad"] {
            assert_eq!(settings.template(Some(bad)).unwrap_err().field(), Some("templateName"), "{bad}");
        }
        assert_eq!(GroupSettings::new(&[]).template(None).unwrap(), None);
        let merged = laid_over(defaults, json!({ "userLimit": 5, "groupName": "x" }).as_object().unwrap().clone());
        assert_eq!(Value::Object(merged), json!({ "userLimit": 5, "timeZone": "Europe/Brussels", "groupName": "x" }));
    }
}
