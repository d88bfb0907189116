//! The schema of the error envelope, for the document only: `crate::error` writes the envelope
//! itself, so these types are never constructed.

use serde_json::Value;
use utoipa::ToSchema;

/// The body of every failure.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorEnvelope {
    error: ErrorObject,
}

/// What went wrong: `code` is stable and meant for programs, `message` for people.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ErrorObject {
    /// A stable code, e.g. `not_found`, `duplicate_name` (see docs/api.md, "The error envelope").
    #[schema(example = "duplicate_name")]
    code: String,
    #[schema(example = "a sibling already has this name")]
    message: String,
    /// Always `canopy`.
    #[schema(example = "canopy")]
    domain: String,
    /// `info` repeats `message`; other fields depend on the code (`field`, `reason`, `children`).
    #[schema(value_type = Object, example = json!({ "info": "a sibling already has this name", "field": "name" }))]
    details: Value,
    /// Always `{}`.
    #[schema(value_type = Object, example = json!({}))]
    context: Value,
}
