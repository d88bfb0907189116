//! What the resources a node owns (its configuration, branding documents, enabled UCs, rate
//! plans, a tenant's user groups and custom permissions) share: their path, and the `version` a
//! write's body may carry. Reads answer the document's version beside it (and as the `ETag`); a
//! read sent back whole (the spec's way to keep masked secrets) then changes the document only if
//! nobody did meanwhile.

use crate::error::ApiError;
use canopy_app::Caller;
use canopy_domain::{BadPrecondition, NodeKind, Version, agree};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

/// `…/{kinds}/{uuid}/…`, with the rate plan and destination of the rate plan routes.
#[derive(Debug, Deserialize)]
pub struct OwnedPath {
    pub draas_instance: String,
    pub uuid: Uuid,
    rate_plan: Option<String>,
    pub destination_id: Option<i64>,
}

/// `…/{kinds}/{uuid}/…/{id}`: an item of a collection a node owns (a tenant's user group or
/// custom permission), its id as `I` reads it.
#[derive(Debug, Deserialize)]
pub struct OwnedItemPath<I> {
    pub draas_instance: String,
    pub uuid: Uuid,
    pub id: I,
}

impl OwnedPath {
    pub fn rate_plan(&self) -> &str {
        self.rate_plan.as_deref().unwrap_or_default()
    }

    /// Where the node is: its instance, kind and uuid.
    pub fn node(&self, kind: NodeKind) -> (&str, NodeKind, Uuid) {
        (&self.draas_instance, kind, self.uuid)
    }
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
