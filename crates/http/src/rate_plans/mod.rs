//! The rate plans of every node: a plan's active prices, its destinations, and prices scheduled
//! in it.

mod bodies;
mod handlers;

use crate::api::{
    Access, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, HttpMethod, Op, Route, Tag, capitalize, empty, errors, json_ok,
    node_not_found, node_params, path_param, schema, versioned,
};
use crate::canopy::INSTANCE;
use bodies::{DestinationBody, PriceBody, PricesBody};
use canopy_domain::{NodeKind, Owned, Permission, Verb};
use serde_json::Value;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::schema::{ObjectBuilder, Type};

pub(crate) fn routes() -> Vec<Route> {
    NodeKind::ALL.into_iter().flat_map(of).collect()
}

fn of(kind: NodeKind) -> [Route; 3] {
    let plan = format!("{INSTANCE}/{}/{{uuid}}/rate_plans/{{rate_plan}}", kind.plural());
    let access = |verb| Access::Permission(Permission::Owned(kind, Owned::RatePlans, verb));
    [
        Route::new(
            HttpMethod::Get,
            plan.clone(),
            access(Verb::Read),
            move |state, caller, path| handlers::get_rate_plan(kind, state, caller, path),
            move || get_op(kind),
        ),
        Route::new(
            HttpMethod::Put,
            format!("{plan}/destinations/{{destination_id}}"),
            access(Verb::Update),
            move |state, caller, path, body| handlers::put_destination(kind, state, caller, path, body),
            move || destination_op(kind),
        ),
        Route::new(
            HttpMethod::Post,
            format!("{plan}/prices"),
            access(Verb::Update),
            move |state, caller, path, body| handlers::add_price(kind, state, caller, path, body),
            move || price_op(kind),
        )
        .conditional(),
    ]
}

fn tag() -> Tag {
    Tag::new("rate plans", "The rate plans of every node: destinations and scheduled prices.")
}

fn not_found(kind: NodeKind) -> String {
    format!("{}, `instance_not_found`", node_not_found(kind.as_str()))
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

fn get_op(kind: NodeKind) -> Op {
    Op {
        id: format!("get{}RatePlan", capitalize(kind.as_str())),
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

fn destination_op(kind: NodeKind) -> Op {
    let mut params = plan_params(kind);
    params.push(path_param(
        "destination_id",
        "The destination's id, 1 to 2147483647.",
        ObjectBuilder::new().schema_type(Type::Integer).examples([Value::from(177)]),
    ));
    Op {
        id: format!("put{}RatePlanDestination", capitalize(kind.as_str())),
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

fn price_op(kind: NodeKind) -> Op {
    Op {
        id: format!("add{}RatePlanPrice", capitalize(kind.as_str())),
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
