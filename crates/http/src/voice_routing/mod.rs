//! A group's voice routing: PSTN usages, voice routes and voice routing policies
//! (fusion-draas-groups), each a collection with the same four routes, and the references of a
//! usage (Canopy extension).

mod bodies;
mod handlers;

pub(crate) use bodies::ReferrerItem;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{
    Access, Answer, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, Route, Tag, errors, json_ok, node_not_found,
    node_params, path_param, schema, with_etag,
};
use crate::canopy::INSTANCE;
use crate::list::{ListQueryParams, ListSchema};
use bodies::ReferencesBody;
use canopy_domain::{NodeKind, Owned, Permission, Verb, VoiceKind};
use handlers::{Collection, Policies, Routes, Usages};
use utoipa::IntoParams;
use utoipa::openapi::ResponseBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

const BODY_400: &str = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field), `invalid_path`";

/// The words of one collection's operations.
struct Words {
    /// `PstnUsage`
    id: &'static str,
    /// `pstn usage`
    one: &'static str,
    /// `pstn usages`
    many: &'static str,
    /// Its list's schema.
    list: &'static str,
    /// `invalid_field` fields of its bodies.
    fields: &'static str,
}

const USAGES: Words =
    Words { id: "PstnUsage", one: "pstn usage", many: "pstn usages", list: "UsageList", fields: "`name`" };

const ROUTES: Words = Words {
    id: "VoiceRoute",
    one: "voice route",
    many: "voice routes",
    list: "RouteList",
    fields: "`name`, `pattern` (not a regular expression, too long or too complex), `priority`, `pstnUsages` (a \
             repeated or non-positive id, more than 100)",
};

const POLICIES: Words = Words {
    id: "VoiceRoutingPolicy",
    one: "voice routing policy",
    many: "voice routing policies",
    list: "PolicyList",
    fields: "`name`, `pstnUsages` (a repeated or non-positive id, more than 100)",
};

fn tag() -> Tag {
    Tag::new("voice routing", "A group's pstn usages, voice routes and voice routing policies (fusion-draas-groups).")
}

/// The field of a collection's list: `pstnUsages`, `voiceRoutes`, `voiceRoutingPolicies`.
fn field(kind: VoiceKind) -> &'static str {
    match kind {
        VoiceKind::PstnUsage => "pstnUsages",
        VoiceKind::VoiceRoute => "voiceRoutes",
        VoiceKind::VoiceRoutingPolicy => "voiceRoutingPolicies",
    }
}

fn id_param(one: &str) -> Parameter {
    path_param(
        "id",
        &format!("The {one}'s id, a number; anything else answers 400 `invalid_path`."),
        ObjectBuilder::new().schema_type(Type::Integer),
    )
}

fn no_content(description: &str) -> Answer {
    crate::api::empty(204, description)
}

pub(crate) fn routes() -> Vec<Route> {
    let mut all: Vec<Route> = collection::<Usages>(&USAGES).into();
    all.extend(collection::<Routes>(&ROUTES));
    all.extend(collection::<Policies>(&POLICIES));
    all.push(references());
    all
}

fn collection<C: Collection>(c: &'static Words) -> [Route; 4] {
    let path = format!("{INSTANCE}/groups/{{uuid}}/configurations/voice_routing/{}", C::KIND.segment());
    let item = format!("{path}/{{id}}");
    let access = |verb| Access::Permission(Permission::Owned(NodeKind::Group, owned(C::KIND), verb));
    [
        Route::new(Get, path.clone(), access(Verb::List), handlers::list::<C>, move || list_op::<C>(c)),
        Route::new(Post, path, access(Verb::Create), handlers::create::<C>, move || create_op::<C>(c)),
        Route::new(Put, item.clone(), access(Verb::Update), handlers::modify::<C>, move || modify_op::<C>(c)),
        Route::new(Delete, item, access(Verb::Delete), handlers::delete::<C>, move || delete_op::<C>(c)),
    ]
}

fn params() -> Vec<Parameter> {
    node_params(NodeKind::Group)
}

fn item_params(c: &Words) -> Vec<Parameter> {
    let mut params = params();
    params.push(id_param(c.one));
    params
}

/// What the bodies of a collection that links usages must name.
fn links<C: Collection>() -> &'static str {
    if C::KIND == VoiceKind::PstnUsage {
        ""
    } else {
        " `pstnUsages` must name pstn usages of the same group (else 400 `unknown_pstn_usage`, whose `details.ids` \
         lists the others)."
    }
}

fn list_op<C: Collection>(c: &Words) -> Op {
    let group_404 = node_not_found("group");
    Op {
        id: format!("list{}s", c.id),
        tag: tag(),
        summary: format!("List the {} of a group", c.many),
        description: format!(
            "Spec: \"Get the list of {}\". One page, searched by name (case-insensitive substring), sorted by `name` \
             (default) or `id`, ties by id; `next` continues the list after the page (signed, bound to the list and \
             the query). An empty list answers 200 with an empty array.",
            c.many
        ),
        params: params().into_iter().chain(ListQueryParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok(format!("A page of {}, possibly empty.", c.many), list_of::<C>(c)),
        errors: errors(&[
            (
                400,
                "`invalid_field` (`search`, `sort` other than `name` or `id`, `dir`, `page`, `page_size`), \
                 `invalid_query`, `invalid_next_token`, `invalid_path`.",
            ),
            (404, &format!("{group_404} or {INSTANCE_404}.")),
        ]),
    }
}

fn create_op<C: Collection>(c: &Words) -> Op {
    let group_404 = node_not_found("group");
    let links = links::<C>();
    Op {
        id: format!("create{}", c.id),
        tag: tag(),
        summary: format!("Create a {}", c.one),
        description: format!(
            "Spec: \"Create a new {}\". Answers 204 with no body, and `Location` naming the new {} (its id is \
             assigned by the server). Names are unique per group and kind, case-insensitively after trimming.{links}",
            c.one, c.one
        ),
        params: params(),
        body: Some(schema::<C::Create>()),
        ok: with_etag(Answer {
            status: 204,
            response: ResponseBuilder::new()
                .description("Created; `Location` names it, `ETag` gives its first version.")
                .header(
                    "Location",
                    HeaderBuilder::new()
                        .schema(ObjectBuilder::new().schema_type(Type::String))
                        .description(Some("`…/configurations/voice_routing/{segment}/{id}` of the new object."))
                        .build(),
                )
                .build(),
            schemas: vec![],
        }),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` ({}), `duplicate_name`, `unknown_pstn_usage`.", c.fields)),
            (404, &format!("{group_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

fn modify_op<C: Collection>(c: &Words) -> Op {
    let links = links::<C>();
    Op {
        id: format!("modify{}", c.id),
        tag: tag(),
        summary: format!("Modify a {}", c.one),
        description: format!(
            "Spec: \"Modify an existing {}\". Absent fields are kept; `pstnUsages`, when sent, replaces the linked \
             usages (missing entries are disconnected).{links}",
            c.one
        ),
        params: item_params(c),
        body: Some(schema::<C::Modify>()),
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
    }
}

fn delete_op<C: Collection>(c: &Words) -> Op {
    let group_404 = node_not_found("group");
    let in_use = if C::KIND == VoiceKind::PstnUsage {
        " A usage that a voice route or policy links cannot be deleted: 400 `pstn_usage_in_use`, whose \
         `details.referrers` lists them (`kind`, `id`, `name`)."
    } else {
        ""
    };
    Op {
        id: format!("delete{}", c.id),
        tag: tag(),
        summary: format!("Delete a {}", c.one),
        description: format!(
            "Spec: \"Delete a {}\". Answers 204 also when there is no such {} (idempotent).{in_use}",
            c.one, c.one
        ),
        params: item_params(c),
        body: None,
        ok: no_content("Deleted, or there was nothing to delete."),
        errors: errors(&[
            (400, "`invalid_path`, `pstn_usage_in_use` (pstn usages only)."),
            (404, &format!("{group_404} or {INSTANCE_404}.")),
        ]),
    }
}

/// What a group owns in a collection, as permissions name it.
fn owned(kind: VoiceKind) -> Owned {
    match kind {
        VoiceKind::PstnUsage => Owned::PstnUsages,
        VoiceKind::VoiceRoute => Owned::VoiceRoutes,
        VoiceKind::VoiceRoutingPolicy => Owned::VoiceRoutingPolicies,
    }
}

/// The schema of a page of a collection.
fn list_of<C: Collection>(c: &Words) -> crate::api::SchemaRef {
    let about = format!("A page of the group's {many} (spec: \"Get the list of {many}\").", many = c.many);
    let list = ListSchema::new(c.list, about, field(C::KIND), schema::<C::Item>());
    list.items(format!("The {} of this page.", c.many)).with_page_size().schema()
}

fn references() -> Route {
    let path = format!("{INSTANCE}/groups/{{uuid}}/configurations/voice_routing/pstn_usages/{{id}}/references");
    let op = || Op {
        id: "pstnUsageReferences".to_owned(),
        tag: tag(),
        summary: "The voice routes and policies linking a pstn usage".to_owned(),
        description: "Canopy extension: what blocks the usage's deletion, routes first then policies, each by id; \
                      an empty array when it may be deleted."
            .to_owned(),
        params: item_params(&USAGES),
        body: None,
        ok: json_ok("The referrers.", schema::<ReferencesBody>()),
        errors: errors(&[
            (400, "`invalid_path`."),
            (404, &format!("`not_found` (no pstn usage with this id in the group, or no group) or {INSTANCE_404}.")),
        ]),
    };
    let access = Access::Permission(Permission::Owned(NodeKind::Group, Owned::PstnUsages, Verb::Read));
    Route::new(Get, path, access, handlers::usage_references, op)
}
