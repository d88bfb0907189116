//! The operations of what every node owns: branding documents, enabled UCs and rate plans.

use crate::belonging_dto::BrandingParams;
use axum::http::Method;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

use super::BASE;
use super::nodes::{KINDS, Kind};
use super::operations::{
    BODY_ERRORS_413, BODY_ERRORS_415, Entry, Op, empty, errors, instance_param, json_ok, uuid_param,
};
use super::versions_owned::versioned;

const TAG: &str = "belongings";
const BODY_400: &str = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field)";

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
    for (doc, extra) in [
        ("general", ""),
        ("pages", ""),
        (
            "styling",
            " Styling holds three documents: `type` (`font`, `image`, `theme`) chooses one, in the query of a read (required) and in the body of a write (where it is not stored).",
        ),
    ] {
        let path = format!("{base}/configurations/branding/{doc}");
        let title = super::operations::capitalize(doc);
        let get = Op {
            id: format!("get{t}Branding{title}"),
            tag: TAG,
            summary: format!("Get the branding {doc} of a {}", kind.one),
            description: format!(
                "Spec: fusion-draas-groups \"Get the configurations branding {doc}\". The effective document: the {one}'s \
                 own, else the nearest ancestor's, else the instance default. `full=true` answers it whole; otherwise \
                 `keys` (comma-separated) and `search` (case-insensitive, in top-level keys) keep part of it.{extra}",
                one = kind.one
            ),
            params: params.iter().cloned().chain(BrandingParams::into_params(|| Some(ParameterIn::Query))).collect(),
            body: None,
            ok: versioned(json_ok(
                "The document (an object of properties) and, beside its properties, `version`: the version of the \
                 node's own document (1 while it never set one).",
                "BrandingRead",
            )),
            errors: errors(&[
                (
                    400,
                    "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`type` missing or unknown on styling, present elsewhere), `invalid_path`.",
                ),
                (404, &format!("{not_found}.")),
            ]),
        };
        let put = Op {
            id: format!("put{t}Branding{title}"),
            tag: TAG,
            summary: format!("Set the branding {doc} of a {}", kind.one),
            description: format!(
                "Spec: fusion-draas-groups \"Modify the configurations branding {doc}\" (served here, not at the \
                 spec's inconsistent `/configurations/{doc}`). Replaces the {one}'s own document whole: it stops \
                 inheriting, and the nodes below without their own now inherit it. At most 16 KiB and 16 levels deep; \
                 every property the spec shows has the type of its example; every URL (links, `route`, `icon`, \
                 `state`, images, theme URLs) is a relative path or an `https:` URL, and an image may also be an \
                 inline `data:image/png|jpeg|gif|webp;base64,…`: `javascript:`, `vbscript:`, other `data:` URLs and \
                 every other scheme are refused (and, in properties the spec does not show, any script URL); a font's \
                 `name` and a theme's `selected` must be among `allowed`, a theme maps every allowed theme in \
                 `themes`.{extra}",
                one = kind.one
            ),
            params: params.clone(),
            body: Some("DocumentBody"),
            ok: versioned(empty(204, "Set: no body.")),
            errors: errors(&[
                (
                    400,
                    &format!(
                        "{BODY_400}, `invalid_field` naming the property that breaks a rule by its path (`appTitle`, `modes.admin.sso[0].icon`, `favicon`, `themes.blue`, `body`, `type`, `allowed`, `selected`…), `invalid_path`."
                    ),
                ),
                (404, &format!("{not_found}.")),
                BODY_ERRORS_413,
                BODY_ERRORS_415,
            ]),
        };
        all.push((Method::GET, path.clone(), get));
        all.push((Method::PUT, path, put));
    }
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
            params: destination_params,
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
    all.push((Method::POST, format!("{plan}/prices"), Op {
        id: format!("add{t}RatePlanPrice"),
        tag: TAG,
        summary: format!("Schedule a price in a rate plan of a {}", kind.one),
        description: "Canopy extension. Adds a price of a defined destination, active from `activeSince` (UTC, `YYYY-MM-DD HH:MM:SS`) until its next price; a price of the same destination at the same instant is replaced. Amounts are 0 to 1000000.".to_owned(),
        params: plan_params,
        body: Some("PriceBody"),
        ok: versioned(empty(204, "Scheduled: no body.")),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`activeSince`, `national`, `international`, `destinationId`, `rate_plan`), `unknown_destination`, `invalid_path`.")),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }));
    all
}
