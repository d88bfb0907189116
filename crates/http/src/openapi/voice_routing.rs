//! The operations of a group's voice routing: PSTN usages, voice routes and voice routing
//! policies (fusion-draas-groups), and the references of a usage (Canopy extension).

use crate::dto::ListQueryParams;
use axum::http::Method;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{Required, ResponseBuilder};

use super::BASE;
use super::operations::{Answer, BODY_ERRORS_413, BODY_ERRORS_415, Entry, INSTANCE_404, Op, errors, instance_param};
use super::operations::{json_ok, uuid_param, with_etag};

const TAG: &str = "voice routing";
const BODY_400: &str = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field), `invalid_path`";
const GROUP_404: &str = "`not_found` (no group with this uuid, or one outside the caller's subtree)";

/// One collection: its path segment and words.
struct Collection {
    segment: &'static str,
    /// `PstnUsage`
    id: &'static str,
    /// `pstn usage`
    one: &'static str,
    /// `pstn usages`
    many: &'static str,
    spec: &'static str,
    list: &'static str,
    create: &'static str,
    modify: &'static str,
    /// `invalid_field` fields of its bodies.
    fields: &'static str,
}

const COLLECTIONS: [Collection; 3] = [
    Collection {
        segment: "pstn_usages",
        id: "PstnUsage",
        one: "pstn usage",
        many: "pstn usages",
        spec: "pstn usage",
        list: "UsageList",
        create: "UsageBody",
        modify: "UsageBody",
        fields: "`name`",
    },
    Collection {
        segment: "voice_routes",
        id: "VoiceRoute",
        one: "voice route",
        many: "voice routes",
        spec: "voice route",
        list: "RouteList",
        create: "RouteCreate",
        modify: "RouteModify",
        fields: "`name`, `pattern` (not a regular expression, too long or too complex), `priority`, `pstnUsages` \
                 (a repeated or non-positive id, more than 100)",
    },
    Collection {
        segment: "voice_routing_policies",
        id: "VoiceRoutingPolicy",
        one: "voice routing policy",
        many: "voice routing policies",
        spec: "voice routing policy",
        list: "PolicyList",
        create: "PolicyCreate",
        modify: "PolicyModify",
        fields: "`name`, `pstnUsages` (a repeated or non-positive id, more than 100)",
    },
];

fn id_param(one: &str) -> Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(format!("The {one}'s id, a number; anything else answers 400 `invalid_path`.")))
        .schema(Some(ObjectBuilder::new().schema_type(Type::Integer)))
        .build()
}

fn no_content(description: &str) -> Answer {
    (204, ResponseBuilder::new().description(description).build())
}

pub(super) fn entries() -> Vec<Entry> {
    let mut all = Vec::new();
    for c in COLLECTIONS {
        all.extend(collection(&c));
    }
    all.push(references());
    all
}

fn collection(c: &Collection) -> [Entry; 4] {
    let path = format!("{BASE}/groups/{{uuid}}/configurations/voice_routing/{}", c.segment);
    let item = format!("{path}/{{id}}");
    let params = vec![instance_param(), uuid_param("group")];
    let mut item_params = params.clone();
    item_params.push(id_param(c.one));
    let links = if c.segment == "pstn_usages" {
        ""
    } else {
        " `pstnUsages` must name pstn usages of the same group (else 400 `unknown_pstn_usage`, whose `details.ids` \
         lists the others)."
    };
    let list = Op {
        id: format!("list{}s", c.id),
        tag: TAG,
        summary: format!("List the {} of a group", c.many),
        description: format!(
            "Spec: \"Get the list of {}s\". One page, searched by name (case-insensitive substring), sorted by `name` \
             (default) or `id`, ties by id; `next` continues the list after the page (signed, bound to the list and \
             the query). An empty list answers 200 with an empty array.",
            c.spec
        ),
        params: params.iter().cloned().chain(ListQueryParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok(format!("A page of {}, possibly empty.", c.many), c.list),
        errors: errors(&[
            (
                400,
                "`invalid_field` (`search`, `sort` other than `name` or `id`, `dir`, `page`, `page_size`), \
                 `invalid_query`, `invalid_next_token`, `invalid_path`.",
            ),
            (404, &format!("{GROUP_404} or {INSTANCE_404}.")),
        ]),
    };
    let create = Op {
        id: format!("create{}", c.id),
        tag: TAG,
        summary: format!("Create a {}", c.one),
        description: format!(
            "Spec: \"Create a new {}\". Answers 204 with no body, and `Location` naming the new {} (its id is \
             assigned by the server). Names are unique per group and kind, case-insensitively after trimming.{links}",
            c.spec, c.one
        ),
        params: params.clone(),
        body: Some(c.create),
        ok: with_etag((
            204,
            ResponseBuilder::new()
                .description("Created; `Location` names it, `ETag` gives its first version.")
                .header(
                    "Location",
                    utoipa::openapi::header::HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some("`…/configurations/voice_routing/{segment}/{id}` of the new object."))
                        .build(),
                )
                .build(),
        )),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` ({}), `duplicate_name`, `unknown_pstn_usage`.", c.fields)),
            (404, &format!("{GROUP_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    let modify = Op {
        id: format!("modify{}", c.id),
        tag: TAG,
        summary: format!("Modify a {}", c.one),
        description: format!(
            "Spec: \"Modify an existing {}\". Absent fields are kept; `pstnUsages`, when sent, replaces the linked \
             usages (missing entries are disconnected).{links}",
            c.spec
        ),
        params: item_params.clone(),
        body: Some(c.modify),
        ok: with_etag(no_content("Modified; `ETag` gives the new version.")),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` ({}), `duplicate_name`, `unknown_pstn_usage`.", c.fields)),
            (
                404,
                &format!(
                    "`not_found` (no {} with this id in the group; or the group, as for a list) or {INSTANCE_404}.",
                    c.one
                ),
            ),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    let in_use = if c.segment == "pstn_usages" {
        " A usage that a voice route or policy links cannot be deleted: 400 `pstn_usage_in_use`, whose \
         `details.referrers` lists them (`kind`, `id`, `name`)."
    } else {
        ""
    };
    let delete = Op {
        id: format!("delete{}", c.id),
        tag: TAG,
        summary: format!("Delete a {}", c.one),
        description: format!(
            "Spec: \"Delete a {}\". Answers 204 also when there is no such {} (idempotent).{in_use}",
            c.spec, c.one
        ),
        params: item_params,
        body: None,
        ok: no_content("Deleted, or there was nothing to delete."),
        errors: errors(&[
            (400, "`invalid_path`, `pstn_usage_in_use` (pstn usages only)."),
            (404, &format!("{GROUP_404} or {INSTANCE_404}.")),
        ]),
    };
    [
        (Method::GET, path.clone(), list),
        (Method::POST, path, create),
        (Method::PUT, item.clone(), modify),
        (Method::DELETE, item, delete),
    ]
}

fn references() -> Entry {
    let path = format!("{BASE}/groups/{{uuid}}/configurations/voice_routing/pstn_usages/{{id}}/references");
    let op = Op {
        id: "pstnUsageReferences".to_owned(),
        tag: TAG,
        summary: "The voice routes and policies linking a pstn usage".to_owned(),
        description: "Canopy extension: what blocks the usage's deletion, routes first then policies, each by id; \
                      an empty array when it may be deleted."
            .to_owned(),
        params: vec![instance_param(), uuid_param("group"), id_param("pstn usage")],
        body: None,
        ok: json_ok("The referrers.", "ReferencesBody"),
        errors: errors(&[
            (400, "`invalid_path`."),
            (404, &format!("`not_found` (no pstn usage with this id in the group, or no group) or {INSTANCE_404}.")),
        ]),
    };
    (Method::GET, path, op)
}
