//! The operations of the rate plan routes of every kind of node.

use super::bodies::{DestinationBody, PriceBody, PriceKeyBody, PricesBody, RatePlanItem};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Op, SchemaRef, Tag, empty, errors, json_ok, node_not_found,
    node_params, path_param, schema, versioned,
};
use crate::list::{ListSchema, NumberedQuery};
use canopy_domain::NodeKind;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

fn tag() -> Tag {
    Tag::new("rate plans", "The rate plans of every node: destinations and scheduled prices.")
}

fn not_found(kind: NodeKind) -> String {
    format!("{}, `instance_not_found`", node_not_found(kind.as_str()))
}

pub(super) fn list(kind: NodeKind) -> Op {
    Op {
        id: format!("list{}RatePlans", kind.title()),
        tag: tag(),
        summary: format!("List the rate plans of a {}", kind.as_str()),
        description: "Canopy extension. The node's rate plans (those with a destination) by name, each with its \
                      number of destinations and prices and its version; `search` keeps the names containing it \
                      (case-insensitive). Few per node, so pages are numbered (`page`, `page_size`), without `next` \
                      tokens, as administrators."
            .to_owned(),
        params: node_params(kind).into_iter().chain(NumberedQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok("One page of the node's rate plans.", list_of_plans()),
        errors: errors(&[
            (
                400,
                "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`page`, \
                 `page_size`), `invalid_path`.",
            ),
            (404, &format!("{}.", not_found(kind))),
        ]),
    }
}

fn list_of_plans() -> SchemaRef {
    let list = ListSchema::new(
        "RatePlanList",
        "One page of a node's rate plans, by name.",
        "ratePlans",
        schema::<RatePlanItem>(),
    );
    list.items("The rate plans of this page.").numbered().schema()
}

/// The parameters of `…/rate_plans/{rate_plan}`.
fn plan_params(kind: NodeKind) -> Vec<Parameter> {
    let mut params = node_params(kind);
    params.push(path_param(
        "rate_plan",
        "The rate plan's name: 1 to 64 of letters, digits, `.`, `_`, `-`, compared exactly.",
        ObjectBuilder::new().schema_type(Type::String).examples([Value::from("standard")]),
    ));
    params
}

pub(super) fn get(kind: NodeKind) -> Op {
    Op {
        id: format!("get{}RatePlan", kind.title()),
        tag: tag(),
        summary: format!("Get a rate plan of a {}", kind.as_str()),
        description: "Spec: fusion-draas-groups \"Get a specific rateplan\". For each destination, the price active \
                      now (the latest `activeSince` not in the future), with `nextUpdate` when a later price is \
                      scheduled; most recently activated first. Destinations without an active price yet are left \
                      out."
            .to_owned(),
        params: plan_params(kind),
        body: None,
        ok: versioned(json_ok("The active prices and the rate plan's version.", schema::<PricesBody>())),
        errors: errors(&[
            (400, "`invalid_path`, `invalid_field` (`rate_plan`)."),
            (404, &format!("`rate_plan_not_found` (no destination defined in this plan), {}.", not_found(kind))),
        ]),
    }
}

/// The parameters of `…/rate_plans/{rate_plan}/destinations/{destination_id}`.
fn destination_params(kind: NodeKind) -> Vec<Parameter> {
    let mut params = plan_params(kind);
    params.push(path_param(
        "destination_id",
        "The destination's id, 1 to 2147483647.",
        ObjectBuilder::new().schema_type(Type::Integer).examples([Value::from(177)]),
    ));
    params
}

pub(super) fn put_destination(kind: NodeKind) -> Op {
    let params = destination_params(kind);
    Op {
        id: format!("put{}RatePlanDestination", kind.title()),
        tag: tag(),
        summary: format!("Define a destination of a rate plan of a {}", kind.as_str()),
        description: "Canopy extension. Creates the destination (and the plan with its first destination) or \
                      renames it."
            .to_owned(),
        params,
        body: Some(schema::<DestinationBody>()),
        ok: versioned(empty(204, "Defined: no body.")),
        errors: errors(&[
            (
                400,
                &format!("{BODY_400}, `invalid_field` (`destination`, `destinationId`, `rate_plan`), `invalid_path`."),
            ),
            (404, &format!("{}.", not_found(kind))),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn add_price(kind: NodeKind) -> Op {
    Op {
        id: format!("add{}RatePlanPrice", kind.title()),
        tag: tag(),
        summary: format!("Schedule a price in a rate plan of a {}", kind.as_str()),
        description: "Canopy extension. Adds a price of a defined destination, active from `activeSince` (UTC, \
                      `YYYY-MM-DD HH:MM:SS`) until its next price; a price of the same destination at the same \
                      instant is replaced. Amounts are 0 to 1000000."
            .to_owned(),
        params: plan_params(kind),
        body: Some(schema::<PriceBody>()),
        ok: versioned(empty(204, "Scheduled: no body.")),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (`activeSince`, `national`, `international`, `destinationId`, \
                     `rate_plan`), `unknown_destination`, `invalid_path`."
                ),
            ),
            (404, &format!("{}.", not_found(kind))),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_destination(kind: NodeKind) -> Op {
    Op {
        id: format!("delete{}RatePlanDestination", kind.title()),
        tag: tag(),
        summary: format!("Delete a destination of a rate plan of a {}", kind.as_str()),
        description: "Canopy extension. Deletes the destination and every price of it (past, active and scheduled); \
                      the plan goes with its last destination. A destination the plan lacks answers 204 too; the \
                      deletion counts as a write of the plan (its version and the audit log)."
            .to_owned(),
        params: destination_params(kind),
        body: None,
        ok: versioned(empty(204, "Deleted (or there was none): no body.")),
        errors: errors(&[
            (400, "`invalid_field` (`destinationId`, `rate_plan`), `invalid_path`."),
            (404, &format!("{}.", not_found(kind))),
        ]),
    }
}

pub(super) fn delete_price(kind: NodeKind) -> Op {
    Op {
        id: format!("delete{}RatePlanPrice", kind.title()),
        tag: tag(),
        summary: format!("Delete a scheduled price of a rate plan of a {}", kind.as_str()),
        description: "Canopy extension. Deletes the price of `destinationId` that starts at `activeSince` (as `POST` \
                      scheduled it); the destination's other prices stay. A price the plan lacks answers 204 too; \
                      the deletion counts as a write of the plan (its version and the audit log)."
            .to_owned(),
        params: plan_params(kind),
        body: Some(schema::<PriceKeyBody>()),
        ok: versioned(empty(204, "Deleted (or there was none): no body.")),
        errors: errors(&[
            (
                400,
                &format!("{BODY_400}, `invalid_field` (`activeSince`, `destinationId`, `rate_plan`), `invalid_path`."),
            ),
            (404, &format!("{}.", not_found(kind))),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
