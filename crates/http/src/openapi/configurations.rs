//! The operations of the general configuration of every kind of node (fusion-draas-groups "Get
//! the configuration of a group", "Create or modify properties", "Modify the configurations",
//! "Remove properties").

use crate::config_dto::ConfigQuery;
use axum::http::Method;
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

use super::BASE;
use super::nodes::{KINDS, Kind};
use super::operations::{
    BODY_ERRORS_413, BODY_ERRORS_415, Entry, INSTANCE_404, Op, empty, errors, instance_param, json_ok, uuid_param,
};
use super::versions_owned::versioned;

const TAG: &str = "configuration";

const SECRETS: &str = "Keys containing `password` or `token`, in any case, are secrets: reads show `********` in \
                       their place, and `********` sent for such a key keeps its stored value.";

const VALUES: &str = "Values are strings (at most 4096 characters), numbers or booleans; the spec's standard \
                      properties have their type (`draas_sbc_port` a number, \
                      `draas_oc_onboarding_confirmation_required` a boolean, the others strings). Keys are 1 to 128 \
                      of ASCII letters, digits, `_`, `.`, `-`; a node holds at most 500 properties.";

/// The four operations of each kind.
pub(super) fn entries() -> Vec<Entry> {
    KINDS.into_iter().flat_map(general).collect()
}

fn general(kind: Kind) -> [Entry; 4] {
    let path = format!("{BASE}/{}/{{uuid}}/configurations/general", kind.many);
    let params = vec![instance_param(), uuid_param(kind.one)];
    let not_found =
        format!("`not_found` (no {} with this uuid, or one outside the caller's subtree) or {INSTANCE_404}.", kind.one);
    let body_400 = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field), `invalid_property` \
                    (`details.key` names the property: a bad key, a value of the wrong type, a masked secret with \
                    no stored value), `invalid_field` (more than 500 properties), `invalid_path`.";
    let body_errors = |text: &str| errors(&[(400, text), (404, &not_found), BODY_ERRORS_413, BODY_ERRORS_415]);
    let read = Op {
        id: format!("get{}Configuration", kind.title),
        tag: TAG,
        summary: format!("Get the configuration of a {}", kind.one),
        description: format!(
            "The {}'s properties as key / value pairs, restricted by `keys` and `search` when given (both: \
             properties matching both). {SECRETS}",
            kind.one
        ),
        params: params.iter().cloned().chain(ConfigQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: versioned(json_ok("The properties, secrets masked, and the configuration's version.", "ConfigurationRead")),
        errors: errors(&[
            (
                400,
                "`invalid_property` (a key of `keys` that cannot exist), `invalid_field` (`search` over 255 characters), `invalid_query`, `invalid_path`.",
            ),
            (404, &not_found),
        ]),
    };
    let upsert = Op {
        id: format!("upsert{}Configuration", kind.title),
        tag: TAG,
        summary: format!("Create or modify properties of a {}", kind.one),
        description: format!(
            "Adds the properties sent and changes those that exist; the others are kept. One transaction: \
             nothing changes if any property is refused. {VALUES} {SECRETS}"
        ),
        params: params.clone(),
        body: Some("PropertiesBody"),
        ok: versioned(empty(204, "The properties were added or changed.")),
        errors: body_errors(body_400),
    };
    let replace = Op {
        id: format!("replace{}Configuration", kind.title),
        tag: TAG,
        summary: format!("Modify the configuration of a {}", kind.one),
        description: format!(
            "Replaces the whole configuration with the properties sent: properties not sent are deleted, secrets \
             included. A read sent back unchanged changes nothing, as its masked secrets keep their values. One \
             transaction; concurrent replacements never mix their keys. {VALUES} {SECRETS}"
        ),
        params: params.clone(),
        body: Some("PropertiesBody"),
        ok: versioned(empty(204, "The configuration was replaced.")),
        errors: body_errors(body_400),
    };
    let remove = Op {
        id: format!("delete{}ConfigurationKeys", kind.title),
        tag: TAG,
        summary: format!("Remove properties from a {}", kind.one),
        description: "Deletes the properties named in `keys`; keys the node does not have are ignored.".to_owned(),
        params,
        body: Some("KeysBody"),
        ok: versioned(empty(204, "The properties were removed.")),
        errors: body_errors(
            "`malformed_json`, `invalid_body`, `invalid_property` (a key that cannot exist), `invalid_field` (more \
             than 500 keys), `invalid_path`.",
        ),
    };
    [
        (Method::GET, path.clone(), read),
        (Method::POST, path.clone(), upsert),
        (Method::PUT, path.clone(), replace),
        (Method::DELETE, path, remove),
    ]
}
