//! The general configuration of every kind of node (fusion-draas-groups "Get the configuration
//! of a group", "Create or modify properties", "Modify the configurations", "Remove properties").

mod bodies;
mod handlers;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{
    BODY_ERRORS_413, BODY_ERRORS_415, Given, INSTANCE_404, Op, Route, Tag, empty, errors, json_ok, node_not_found,
    node_params, schema, versioned,
};
use crate::canopy::INSTANCE;
use bodies::{ConfigQuery, ConfigurationRead, KeysBody, PropertiesBody};
use canopy_domain::{NodeKind, Owned, Permission, Verb, WriteMode};
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

const SECRETS: &str = "Keys containing `password` or `token`, in any case, are secrets: reads show `********` in \
                       their place, and `********` sent for such a key keeps its stored value.";

const VALUES: &str = "Values are strings (at most 4096 characters), numbers or booleans; the spec's standard \
                      properties have their type (`draas_sbc_port` a number, \
                      `draas_oc_onboarding_confirmation_required` a boolean, the others strings). Keys are 1 to 128 \
                      of ASCII letters, digits, `_`, `.`, `-`; a node holds at most 500 properties.";

/// The four routes of each kind.
pub(crate) fn routes() -> Vec<Route> {
    Owned::GeneralConfig.kinds().iter().copied().flat_map(general).collect()
}

fn general(kind: NodeKind) -> [Route; 4] {
    let path = format!("{INSTANCE}/{}/{{uuid}}/configurations/general", kind.plural());
    let access = |verb| Permission::Owned(kind, Owned::GeneralConfig, verb).into();
    let write = |mode| handlers::write.given((kind, mode));
    let (upsert, replace) = (move || write_op(kind, WriteMode::Upsert), move || write_op(kind, WriteMode::Replace));
    [
        Route::new(Get, path.clone(), access(Verb::List), handlers::get.given(kind), move || read_op(kind)),
        Route::new(Post, path.clone(), access(Verb::Create), write(WriteMode::Upsert), upsert).conditional(),
        Route::new(Put, path.clone(), access(Verb::Update), write(WriteMode::Replace), replace),
        Route::new(Delete, path, access(Verb::Delete), handlers::delete.given(kind), move || remove_op(kind)),
    ]
}

fn tag() -> Tag {
    Tag::new("configuration", "The general configuration (key / value properties) of every node, secrets masked.")
}

fn not_found(kind: NodeKind) -> String {
    format!("{} or {INSTANCE_404}.", node_not_found(kind.as_str()))
}

/// The failures of a write whose body fails as `bad`.
fn body_errors(kind: NodeKind, bad: &str) -> Vec<(u16, String)> {
    errors(&[(400, bad), (404, &not_found(kind)), BODY_ERRORS_413, BODY_ERRORS_415])
}

fn read_op(kind: NodeKind) -> Op {
    let one = kind.as_str();
    Op {
        id: format!("get{}Configuration", kind.title()),
        tag: tag(),
        summary: format!("Get the configuration of a {one}"),
        description: format!(
            "The {one}'s properties as key / value pairs, restricted by `keys` and `search` when given (both: \
             properties matching both). {SECRETS}"
        ),
        params: node_params(kind).into_iter().chain(ConfigQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: versioned(json_ok(
            "The properties, secrets masked, and the configuration's version.",
            schema::<ConfigurationRead>(),
        )),
        errors: errors(&[
            (
                400,
                "`invalid_property` (a key of `keys` that cannot exist), `invalid_field` (`search` over 255 \
                 characters), `invalid_query`, `invalid_path`.",
            ),
            (404, &not_found(kind)),
        ]),
    }
}

/// `POST` (upsert) and `PUT` (replace).
fn write_op(kind: NodeKind, mode: WriteMode) -> Op {
    let one = kind.as_str();
    let (id, summary, description, done) = match mode {
        WriteMode::Upsert => (
            format!("upsert{}Configuration", kind.title()),
            format!("Create or modify properties of a {one}"),
            "Adds the properties sent and changes those that exist; the others are kept. One transaction: nothing \
             changes if any property is refused.",
            "The properties were added or changed.",
        ),
        WriteMode::Replace => (
            format!("replace{}Configuration", kind.title()),
            format!("Modify the configuration of a {one}"),
            "Replaces the whole configuration with the properties sent: properties not sent are deleted, secrets \
             included. A read sent back unchanged changes nothing, as its masked secrets keep their values. One \
             transaction; concurrent replacements never mix their keys.",
            "The configuration was replaced.",
        ),
    };
    Op {
        id,
        tag: tag(),
        summary,
        description: format!("{description} {VALUES} {SECRETS}"),
        params: node_params(kind),
        body: Some(schema::<PropertiesBody>()),
        ok: versioned(empty(204, done)),
        errors: body_errors(
            kind,
            "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field), `invalid_property` \
             (`details.key` names the property: a bad key, a value of the wrong type, a masked secret with no \
             stored value), `invalid_field` (more than 500 properties), `invalid_path`.",
        ),
    }
}

fn remove_op(kind: NodeKind) -> Op {
    Op {
        id: format!("delete{}ConfigurationKeys", kind.title()),
        tag: tag(),
        summary: format!("Remove properties from a {}", kind.as_str()),
        description: "Deletes the properties named in `keys`; keys the node does not have are ignored.".to_owned(),
        params: node_params(kind),
        body: Some(schema::<KeysBody>()),
        ok: versioned(empty(204, "The properties were removed.")),
        errors: body_errors(
            kind,
            "`malformed_json`, `invalid_body`, `invalid_property` (a key that cannot exist), `invalid_field` (more \
             than 500 keys), `invalid_path`.",
        ),
    }
}
