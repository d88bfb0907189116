//! The operations of what every node owns: enabled UCs and rate plans (branding documents:
//! `branding.rs`).

use crate::account_dto::NumberedQuery;
use axum::http::Method;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

use super::BASE;
use super::nodes::{KINDS, Kind};
use super::operations::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Entry, Op, empty, errors, instance_param, json_ok, uuid_param,
};
use super::versions_owned::versioned;

const TAG: &str = "belongings";

pub(super) fn entries() -> Vec<Entry> {
    KINDS.into_iter().flat_map(of_kind).collect()
}

fn path_param(name: &str, description: &str, schema_type: Type, example: Value) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(schema_type).examples([example])))
        .build()
}

fn of_kind(kind: Kind) -> Vec<Entry> {
    let base = format!("{BASE}/{}/{{uuid}}", kind.many);
    let params = vec![instance_param(), uuid_param(kind.one)];
    let not_found = format!(
        "`not_found` (no {} with this uuid, or one outside the caller's subtree), `instance_not_found`",
        kind.one
    );
    let t = kind.title;
    let mut all = Vec::new();
    all.extend(super::branding::of_kind(&kind, &base, &params, &not_found));
    let ucs = format!("{base}/enabled_ucs");
    all.push((Method::GET, ucs.clone(), Op {
        id: format!("get{t}EnabledUcs"),
        tag: TAG,
        summary: format!("Get the enabled UCs of a {}", kind.one),
        description: "Spec: fusion-draas-groups \"Get the enabled UCs of a group\". The UC platforms enabled for the node, in the order `msteams`, `zoom`, `webex`; none by default.".to_owned(),
        params: params.clone(),
        body: None,
        ok: versioned(json_ok("The enabled platforms and their version.", "EnabledUcsRead")),
        errors: errors(&[(400, "`invalid_path`."), (404, &format!("{not_found}."))]),
    }));
    all.push((Method::PUT, ucs, Op {
        id: format!("put{t}EnabledUcs"),
        tag: TAG,
        summary: format!("Set the enabled UCs of a {}", kind.one),
        description: "Canopy extension. Replaces the node's platforms (duplicates are dropped); an unknown platform refuses the whole list. Only the levels above a node set its platforms.".to_owned(),
        params: params.clone(),
        body: Some("EnabledUcsBody"),
        ok: versioned(empty(204, "Set: no body.")),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`enabled_ucs`: an unknown platform, named in the message), `invalid_path`.")),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }));
    let plan_param = path_param(
        "rate_plan",
        "The rate plan's name: 1 to 64 of letters, digits, `.`, `_`, `-`, compared exactly.",
        Type::String,
        Value::from("standard"),
    );
    let mut plan_params = params.clone();
    plan_params.push(plan_param);
    all.push((Method::GET, format!("{base}/rate_plans"), Op {
        id: format!("list{t}RatePlans"),
        tag: TAG,
        summary: format!("List the rate plans of a {}", kind.one),
        description: "Canopy extension. The node's rate plans (those with a destination) by name, each with its number of destinations and prices and its version; `search` keeps the names containing it (case-insensitive). Few per node, so pages are numbered (`page`, `page_size`), without `next` tokens, as administrators.".to_owned(),
        params: params.iter().cloned().chain(NumberedQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok("One page of the node's rate plans.", "RatePlanList"),
        errors: errors(&[
            (400, "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`page`, `page_size`), `invalid_path`."),
            (404, &format!("{not_found}.")),
        ]),
    }));
    let plan = format!("{base}/rate_plans/{{rate_plan}}");
    all.push((Method::GET, plan.clone(), Op {
        id: format!("get{t}RatePlan"),
        tag: TAG,
        summary: format!("Get a rate plan of a {}", kind.one),
        description: "Spec: fusion-draas-groups \"Get a specific rateplan\". For each destination, the price active now (the latest `activeSince` not in the future), with `nextUpdate` when a later price is scheduled; most recently activated first. Destinations without an active price yet are left out.".to_owned(),
        params: plan_params.clone(),
        body: None,
        ok: versioned(json_ok("The active prices and the rate plan's version.", "PricesBody")),
        errors: errors(&[
            (400, "`invalid_path`, `invalid_field` (`rate_plan`)."),
            (404, &format!("`rate_plan_not_found` (no destination defined in this plan), {not_found}.")),
        ]),
    }));
    let mut destination_params = plan_params.clone();
    destination_params.push(path_param(
        "destination_id",
        "The destination's id, 1 to 2147483647.",
        Type::Integer,
        Value::from(177),
    ));
    all.push((
        Method::PUT,
        format!("{plan}/destinations/{{destination_id}}"),
        Op {
            id: format!("put{t}RatePlanDestination"),
            tag: TAG,
            summary: format!("Define a destination of a rate plan of a {}", kind.one),
            description:
                "Canopy extension. Creates the destination (and the plan with its first destination) or renames it."
                    .to_owned(),
            params: destination_params.clone(),
            body: Some("DestinationBody"),
            ok: versioned(empty(204, "Defined: no body.")),
            errors: errors(&[
                (
                    400,
                    &format!(
                        "{BODY_400}, `invalid_field` (`destination`, `destinationId`, `rate_plan`), `invalid_path`."
                    ),
                ),
                (404, &format!("{not_found}.")),
                BODY_ERRORS_413,
                BODY_ERRORS_415,
            ]),
        },
    ));
    all.push((Method::DELETE, format!("{plan}/destinations/{{destination_id}}"), Op {
        id: format!("delete{t}RatePlanDestination"),
        tag: TAG,
        summary: format!("Delete a destination of a rate plan of a {}", kind.one),
        description: "Canopy extension. Deletes the destination and every price of it (past, active and scheduled); the plan goes with its last destination. A destination the plan lacks answers 204 too; the deletion counts as a write of the plan (its version and the audit log).".to_owned(),
        params: destination_params,
        body: None,
        ok: versioned(empty(204, "Deleted (or there was none): no body.")),
        errors: errors(&[
            (400, "`invalid_field` (`destinationId`, `rate_plan`), `invalid_path`."),
            (404, &format!("{not_found}.")),
        ]),
    }));
    all.push((Method::POST, format!("{plan}/prices"), Op {
        id: format!("add{t}RatePlanPrice"),
        tag: TAG,
        summary: format!("Schedule a price in a rate plan of a {}", kind.one),
        description: "Canopy extension. Adds a price of a defined destination, active from `activeSince` (UTC, `YYYY-MM-DD HH:MM:SS`) until its next price; a price of the same destination at the same instant is replaced. Amounts are 0 to 1000000.".to_owned(),
        params: plan_params.clone(),
        body: Some("PriceBody"),
        ok: versioned(empty(204, "Scheduled: no body.")),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`activeSince`, `national`, `international`, `destinationId`, `rate_plan`), `unknown_destination`, `invalid_path`.")),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }));
    all.push((Method::DELETE, format!("{plan}/prices"), Op {
        id: format!("delete{t}RatePlanPrice"),
        tag: TAG,
        summary: format!("Delete a scheduled price of a rate plan of a {}", kind.one),
        description: "Canopy extension. Deletes the price of `destinationId` that starts at `activeSince` (as `POST` scheduled it); the destination's other prices stay. A price the plan lacks answers 204 too; the deletion counts as a write of the plan (its version and the audit log).".to_owned(),
        params: plan_params,
        body: Some("PriceKeyBody"),
        ok: versioned(empty(204, "Deleted (or there was none): no body.")),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`activeSince`, `destinationId`, `rate_plan`), `invalid_path`.")),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }));
    all
}
