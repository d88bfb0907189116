//! The rules every operation of the document follows, applied to each route's operation from what
//! the route declares (its access, its method, whether it touches the store) and from its face
//! (its authentication schemes), never written in the operations themselves:
//! * `x-required-permission`: the permission as the spec spells it (`Access::Permission`), the
//!   string `"authenticated"` (`Access::Authenticated`) or `null` (`Access::Public`);
//! * every operation that is not public gets `security` (its face's schemes) and a 401; one that
//!   requires a permission, a 403 naming it;
//! * a change of what exists (every `PUT` and `DELETE`, and the `POST`s that declare it) takes a
//!   version precondition: `If-Match` or `?version=`, a 400 when it is malformed, 426 when stale;
//! * an operation that reaches the store may answer 500 and 503;
//! * an authenticated write (but of the caller's own session or credentials) may answer 423
//!   `tree_locked`;
//! * a 423 `account_locked` carries `Retry-After`, a 426 the stored version as `ETag`.

use super::doc::{failure, header};
use super::face::Face;
use super::params::{PASSWORD_CHANGE_403, STORE_503};
use super::route::Access;
use canopy_domain::Permission;
use serde_json::Value;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{RefOr, Required, Response};

/// The extension naming what an operation requires: a permission, [`AUTHENTICATED`], or `null`.
pub const PERMISSION_EXTENSION: &str = "x-required-permission";
/// The value of [`PERMISSION_EXTENSION`] of the operations open to any logged-in administrator.
pub const AUTHENTICATED: &str = "authenticated";

const TREE_LOCKED_423: &str = "`tree_locked`: a lock on the caller's own node or on one above it (not held at its \
                               own level) stops every write it makes, on every face, until an administrator above \
                               unlocks it; nothing changed. No `Retry-After`.";
const INTERNAL_500: &str = "`internal`: a server fault; the cause is logged, never returned.";
const PRECONDITION_400: &str = "`invalid_precondition`: `If-Match` or `version` is not one positive version, or \
                                the two disagree.";
const MISMATCH_426: &str = "`version_mismatch` (\"Version mismatch\", the spec's status): the version sent is no \
                            longer the stored one, nothing changed; `details.current` and the `ETag` header give the \
                            stored version.";

/// What a route says of its operation.
pub(crate) struct Rules {
    pub(crate) access: Access,
    /// It changes what exists: it takes a version precondition.
    pub(crate) conditional: bool,
    /// It reaches the store.
    pub(crate) store: bool,
    /// It changes the tree for its caller: the tree locks bind it.
    pub(crate) meets_locks: bool,
}

/// The operation of a route, as the document shows it.
pub(crate) fn finish(mut op: Operation, rules: Rules, face: &Face) -> Operation {
    if rules.conditional {
        precondition(&mut op);
    }
    if rules.store {
        respond_if_absent(&mut op, 500, INTERNAL_500);
        respond_if_absent(&mut op, 503, STORE_503);
    }
    require(&mut op, rules.access, face);
    if rules.meets_locks {
        respond_if_absent(&mut op, 423, TREE_LOCKED_423);
    }
    for (status, name, text, schema_type) in [
        ("423", "Retry-After", "Seconds until the account unlocks.", Type::Integer),
        ("426", "ETag", "The stored version, as an entity tag (`\"4\"`).", Type::String),
    ] {
        match op.responses.responses.get_mut(status) {
            // A tree lock lasts until it is lifted: no time to wait.
            Some(RefOr::T(response)) if status == "423" && !response.description.contains("account_locked") => {}
            Some(RefOr::T(response)) => {
                response.headers.entry(name.to_owned()).or_insert_with(|| header(text, schema_type));
            }
            _ => {}
        }
    }
    op
}

fn respond_if_absent(op: &mut Operation, status: u16, description: &str) {
    op.responses.responses.entry(status.to_string()).or_insert_with(|| RefOr::T(failure(description)));
}

/// The optimistic concurrency every change of an existing resource offers: `If-Match` or
/// `?version=`, and 426 when the version is stale.
fn precondition(op: &mut Operation) {
    let version = |name: &str, place: ParameterIn, description: &str, schema: ObjectBuilder| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(place)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema))
            .build()
    };
    let params = op.parameters.get_or_insert_with(Vec::new);
    params.push(version(
        "If-Match",
        ParameterIn::Header,
        "The resource's `ETag` as last read (`\"3\"`, weak tags accepted, `*` for any version): the change applies \
         only if the stored version is still this one, else 426 and nothing changes. Optional.",
        ObjectBuilder::new().schema_type(Type::String).examples([Value::from("\"3\"")]),
    ));
    params.push(version(
        "version",
        ParameterIn::Query,
        "The client's version of the object (the spec's `version` query parameter), as `If-Match`.",
        ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)),
    ));
    let responses = &mut op.responses.responses;
    match responses.get_mut("400") {
        Some(RefOr::T(bad)) => bad.description = format!("{}; or {PRECONDITION_400}", bad.description),
        _ => {
            responses.insert("400".to_owned(), RefOr::T(failure(PRECONDITION_400)));
        }
    }
    responses.insert("426".to_owned(), RefOr::T(failure(MISMATCH_426)));
}

/// What the operation requires, in its description, its extension, its security and its 401 and
/// 403.
fn require(op: &mut Operation, access: Access, face: &Face) {
    let (permission, access_text) = match access {
        Access::Public => (Value::Null, "Public: no token needed (`x-required-permission`: `null`).".to_owned()),
        Access::Authenticated => (
            Value::from(AUTHENTICATED),
            "Requires a bearer token of any administrator, whatever its profile (`x-required-permission`: \
             `authenticated`)."
                .to_owned(),
        ),
        Access::Permission(permission) => (
            Value::from(permission.to_string()),
            format!(
                "Requires a bearer token of an administrator whose profile holds the permission `{permission}` \
                 (`x-required-permission`)."
            ),
        ),
    };
    let description = op.description.take().unwrap_or_default();
    op.description = Some(format!("{description}\n\n{access_text}"));
    let extensions = op.extensions.get_or_insert_with(Default::default);
    extensions.merge(ExtensionsBuilder::new().add(PERMISSION_EXTENSION, permission).build());
    if access != Access::Public {
        let schemes = face.auth.iter().map(|scheme| SecurityRequirement::new(scheme.name(), Vec::<String>::new()));
        op.security.get_or_insert_with(Vec::new).extend(schemes);
        op.responses.responses.insert("401".to_owned(), RefOr::T(unauthorized()));
    }
    if let Access::Permission(permission) = access {
        op.responses.responses.insert("403".to_owned(), RefOr::T(forbidden(permission)));
    }
}

/// The 401 of every operation that requires a token.
fn unauthorized() -> Response {
    let mut response = failure(
        "`unauthenticated` (no `Authorization` header) or `invalid_token` (not a bearer token, or one that is \
         unknown, expired or closed by a logout); the response carries `WWW-Authenticate: Bearer`.",
    );
    response
        .headers
        .insert("WWW-Authenticate".to_owned(), header("`Bearer`, or `Bearer error=\"invalid_token\"`.", Type::String));
    response
}

/// The 403 of every operation that requires a permission.
fn forbidden(permission: Permission) -> Response {
    failure(format!(
        "`forbidden`: the caller's profile lacks `{permission}` (`details.permission` names it). Decided before \
         anything is looked up, so it says nothing about what exists. Or {PASSWORD_CHANGE_403}."
    ))
}
