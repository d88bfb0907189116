//! Response bodies of what a node owns, with the document's `version` beside it (optimistic
//! concurrency), and that version sent back in a write's body: a read sent back whole (the
//! spec's way to keep masked secrets) then changes the document only if nobody did meanwhile.

use crate::error::ApiError;
use canopy_app::Caller;
use canopy_domain::{BadPrecondition, Properties, UcPlatform, Version, agree};
use serde::Serialize;
use serde_json::{Map, Value};
use std::fmt;
use utoipa::ToSchema;

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

/// `GET …/configurations/branding/...`: the document's properties and, beside them, `version`:
/// the version of the node's own document (1 while it inherits it and never set it).
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingRead {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub document: Map<String, Value>,
    /// The node's own document's version, also answered as the `ETag`.
    #[schema(example = 1)]
    pub version: u64,
}

/// The top-level key of a branding document that carries its version: answered by a read, taken
/// out of a `PUT`'s body as its precondition, never stored.
pub const VERSION_KEY: &str = "version";

/// Makes the `version` of a write's body the change's precondition, like `If-Match` and
/// `?version=`: all that are sent must name the same version.
pub fn expect_body_version(caller: &mut Caller, version: Option<&Value>) -> Result<(), ApiError> {
    let Some(version) = version else { return Ok(()) };
    let version = version.as_u64().filter(|v| *v > 0).map(Version);
    let version = version.ok_or(BadPrecondition("version must be a positive integer"))?;
    caller.request.expected = agree(caller.request.expected, Some(version))?;
    Ok(())
}
