//! Parameters and failures that many operations share: the instance and node of a path, and the
//! texts of the failures every body or store may cause.

use canopy_domain::NodeKind;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};

/// What an instance answers when it is not there for the caller.
pub const INSTANCE_404: &str = "`instance_not_found` (an instance this server does not serve, or not the caller's)";
pub const STORE_503: &str =
    "`store_unavailable` (the store cannot be reached; retry later) or `timeout` (the request took too long).";
pub const BODY_ERRORS_413: (u16, &str) =
    (413, "`payload_too_large`: the body exceeds the server's limit (64 KiB by default).");
pub const BODY_ERRORS_415: (u16, &str) = (415, "`unsupported_media_type`: the body is not sent as `application/json`.");
/// What a session that must change its password first answers elsewhere than there and logout.
pub const PASSWORD_CHANGE_403: &str = "`password_change_required`: the account's password is a temporary one and \
                                       this session may only change it (`POST /api/v01/auth/password`) or log out";
/// The 400 of a body that is not the JSON its operation takes.
pub const BODY_400: &str = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field)";

/// A parameter of the path.
pub fn path_param(name: &str, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// `{draas_instance}`.
pub fn instance_param() -> Parameter {
    path_param(
        "draas_instance",
        "The instance (an isolated namespace) served by this server, the caller's own; any other value answers 404 \
         `instance_not_found`.",
        ObjectBuilder::new().schema_type(Type::String).examples([Value::from("default")]),
    )
}

/// The `{uuid}` of a node; `one` names its kind (`group`).
pub fn uuid_param(one: &str) -> Parameter {
    path_param(
        "uuid",
        &format!(
            "The {one}'s uuid; anything that is not a UUID answers 400 `invalid_path`. A {one} outside the caller's \
             subtree answers exactly as one that does not exist."
        ),
        ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
    )
}

/// The path parameters of a route on one node of a kind: the instance and the node's `{uuid}`.
pub fn node_params(kind: NodeKind) -> Vec<Parameter> {
    vec![instance_param(), uuid_param(kind.as_str())]
}

/// The 404 of the node a path names, absent or outside the caller's subtree; `one` names its kind.
pub fn node_not_found(one: &str) -> String {
    format!("`not_found` (no {one} with this uuid, or one outside the caller's subtree)")
}

/// The path of the routes of the instance itself, for `#[utoipa::path(params(InstancePath, ...))]`.
pub struct InstancePath;

impl IntoParams for InstancePath {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![instance_param()]
    }
}
