//! Bodies of the enabled UCs routes.

use canopy_domain::{UcPlatform, Version};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use validator::Validate;

/// `GET …/enabled_ucs` and the body of `PUT …/enabled_ucs` (the spec's snake_case name).
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnabledUcsBody {
    /// UC platforms: `msteams`, `zoom`, `webex`.
    #[validate(length(max = 64, message = "must list at most 64 platforms"))]
    #[schema(example = json!(["msteams", "zoom"]))]
    pub enabled_ucs: Vec<String>,
    /// The version the write is made on (a read sent back carries it): the write applies only if
    /// it is still the stored one, like `If-Match`. Optional.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<u64>, minimum = 1, example = 2)]
    pub version: Option<Value>,
}

/// `GET …/enabled_ucs`: the platforms and their version.
#[derive(Debug, Serialize, ToSchema)]
pub struct EnabledUcsRead {
    /// UC platforms, in the order `msteams`, `zoom`, `webex`.
    #[schema(example = json!(["msteams", "zoom"]))]
    pub enabled_ucs: Vec<String>,
    /// The enabled UCs' version: 1 until their first write, one more with each.
    #[schema(example = 2)]
    pub version: u64,
}

impl EnabledUcsRead {
    pub fn new(platforms: &[UcPlatform], version: Version) -> Self {
        Self { enabled_ucs: platforms.iter().map(|p| p.as_str().to_owned()).collect(), version: version.0 }
    }
}
