//! Bodies and query of the general configuration routes (fusion-draas-groups "Get the
//! configuration of a group" and the sections after it).
//!
//! Property values may be secrets, so no type here derives `Debug`: the hand-written ones show
//! the keys only.

use canopy_domain::{Properties, Version};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// `GET .../configurations/general`: which properties to return.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ConfigQuery {
    /// A comma-separated list of keys: only these are returned (keys the node lacks are ignored).
    #[param(example = "draas_group,draas_sbc_port")]
    pub keys: Option<String>,
    /// A case-insensitive substring of the keys to return, at most 255 characters.
    #[param(example = "sbc")]
    pub search: Option<String>,
}

/// A node's configuration, or the properties a write sends: key / value pairs whose values are
/// strings, numbers or booleans. Keys containing `password` or `token` (any case) are secrets:
/// returned as `********`, and `********` sent back for one keeps its stored value.
#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PropertiesBody {
    #[schema(value_type = Object, example = json!({
        "draas_default_mode": "Direct Routing",
        "draas_group": "Copaco",
        "draas_oc_onboarding_confirmation_required": true,
        "draas_sbc_port": 5061,
        "draas_sip_password": "********"
    }))]
    pub properties: Map<String, Value>,
    /// The version the write is made on (a read sent back carries it): the write applies only if
    /// it is still the stored one, like `If-Match`. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>, minimum = 1, example = 3)]
    pub version: Option<Value>,
}

impl fmt::Debug for PropertiesBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PropertiesBody").field("keys", &self.properties.keys().collect::<Vec<_>>()).finish()
    }
}

impl PropertiesBody {
    pub fn into_pairs(self) -> Vec<(String, Value)> {
        self.properties.into_iter().collect()
    }
}

/// `DELETE .../configurations/general`: the keys to remove.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KeysBody {
    /// Keys the node does not have are ignored.
    #[schema(example = json!(["prop_1", "prop_2", "prop_x"]))]
    pub keys: Vec<String>,
}

/// `GET .../configurations/general`: the properties (secrets masked) and the configuration's
/// version, also answered as the `ETag`.
#[derive(Serialize, ToSchema)]
pub struct ConfigurationRead {
    #[schema(value_type = Object, example = json!({ "draas_group": "Copaco", "draas_sip_password": "********" }))]
    pub properties: Map<String, Value>,
    /// The configuration's version: 1 until its first write, one more with each.
    #[schema(example = 3)]
    pub version: u64,
}

// Values may be secrets (masked already, but the keys are all a log needs).
impl fmt::Debug for ConfigurationRead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigurationRead").field("keys", &self.properties.keys().collect::<Vec<_>>()).finish()
    }
}

impl ConfigurationRead {
    pub fn new(properties: Properties, version: Version) -> Self {
        let properties = properties.iter().map(|(key, value)| (key.as_str().to_owned(), value.to_json())).collect();
        Self { properties, version: version.0 }
    }
}
