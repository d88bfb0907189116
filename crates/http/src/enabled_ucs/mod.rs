//! The UC platforms enabled for every node: read and replace.

mod bodies;
mod handlers;

use crate::api::HttpMethod::{Get, Put};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Given, Op, Route, Tag, empty, errors, json_ok, node_not_found,
    node_params, schema, versioned,
};
use crate::canopy::INSTANCE;
use bodies::{EnabledUcsBody, EnabledUcsRead};
use canopy_domain::{NodeKind, Owned, Permission, Verb};

pub(crate) fn routes() -> Vec<Route> {
    Owned::EnabledUcs.kinds().iter().copied().flat_map(of).collect()
}

fn of(kind: NodeKind) -> [Route; 2] {
    let path = format!("{INSTANCE}/{}/{{uuid}}/enabled_ucs", kind.plural());
    let access = |verb| Permission::Owned(kind, Owned::EnabledUcs, verb).into();
    [
        Route::new(Get, path.clone(), access(Verb::List), handlers::get.given(kind), move || get_op(kind)),
        Route::new(Put, path, access(Verb::Update), handlers::put.given(kind), move || put_op(kind)),
    ]
}

fn tag() -> Tag {
    Tag::new("enabled UCs", "The UC platforms enabled for every node.")
}

fn not_found(kind: NodeKind) -> String {
    format!("{}, `instance_not_found`.", node_not_found(kind.as_str()))
}

fn get_op(kind: NodeKind) -> Op {
    Op {
        id: format!("get{}EnabledUcs", kind.title()),
        tag: tag(),
        summary: format!("Get the enabled UCs of a {}", kind.as_str()),
        description: "Spec: fusion-draas-groups \"Get the enabled UCs of a group\". The UC platforms enabled for the \
                      node, in the order `msteams`, `zoom`, `webex`; none by default."
            .to_owned(),
        params: node_params(kind),
        body: None,
        ok: versioned(json_ok("The enabled platforms and their version.", schema::<EnabledUcsRead>())),
        errors: errors(&[(400, "`invalid_path`."), (404, &not_found(kind))]),
    }
}

fn put_op(kind: NodeKind) -> Op {
    Op {
        id: format!("put{}EnabledUcs", kind.title()),
        tag: tag(),
        summary: format!("Set the enabled UCs of a {}", kind.as_str()),
        description: "Canopy extension. Replaces the node's platforms (duplicates are dropped); an unknown platform \
                      refuses the whole list. Only the levels above a node set its platforms."
            .to_owned(),
        params: node_params(kind),
        body: Some(schema::<EnabledUcsBody>()),
        ok: versioned(empty(204, "Set: no body.")),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (`enabled_ucs`: an unknown platform, named in the message), \
                     `invalid_path`."
                ),
            ),
            (404, &not_found(kind)),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
