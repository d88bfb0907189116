//! The OpenAPI operations of the sipXconfig face (the schemas of its documents are in
//! `schemas.rs`).

use super::schemas::*;
use crate::api::{Answer, INSTANCE_404, Op, SchemaRef, Tag, errors, json_ok, path_param, schema, with_etag};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};

/// The schema of every failure of the face.
pub fn failure_schema() -> SchemaRef {
    schema::<SipxResponseDocument>()
}

fn tag() -> Tag {
    Tag::new(
        "sipXconfig user groups",
        "A tenant's user groups and their permissions, as sipXconfig's REST API serves them \
         (shared/spec/sipxconfig-user-groups.txt), below `/api/v01/draas/{draas_instance}/tenants/{uuid}/sipxconfig/rest`: \
         XML by default, JSON on `Accept: application/json`, failures in the `<response>` shape. HTTP Basic \
         (an administrator's e-mail and password) or a bearer token.",
    )
}

fn params(item: bool) -> Vec<Parameter> {
    let mut all = vec![
        crate::api::instance_param(),
        path_param(
            "uuid",
            "The tenant's uuid (its sipXconfig system); a tenant the caller does not reach answers 404 `not_found`.",
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ),
    ];
    if item {
        all.push(path_param(
            "id",
            "The user group's id; anything but an integer from 1 answers 400 `ERROR_ID_INVALID`.",
            ObjectBuilder::new().schema_type(Type::String),
        ));
    }
    all
}

fn query(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn list_params() -> Vec<Parameter> {
    let mut all = params(false);
    all.extend([
        query("page", "The page, from 1 (with `pagesize`). A page past the end is empty."),
        query("pagesize", "Groups per page, 1 to 1000 (with `page`). Without both, the first 1000 groups."),
        query("sortby", "`name` or `description` (any case); ties, and lists without it, in id order."),
        query("sortdir", "`forward` (default) or `reverse` (any case)."),
    ]);
    all
}

const LIST_400: &str = "`ERROR_VALIDATION_FAILED` (`page` without `pagesize` or the reverse, a value that is not an \
                        integer from 1, `pagesize` over 1000, an unknown `sortby` or `sortdir`), `invalid_path`.";
const BODY_400: &str = "`ERROR_VALIDATION_FAILED` (an unreadable body: malformed or hostile XML, a DOCTYPE, an \
                        undefined entity, nesting deeper than 32, not UTF-8, malformed JSON; another root than \
                        `group`/`userGroup`; an unknown field, named; a field breaking a rule, named)";
const ID_400: &str = "`ERROR_ID_INVALID` (an id that is not an integer from 1), `ERROR_OBJECT_NOT_FOUND` (no user \
                      group with this id in the tenant: sipXconfig's 400)";
const MEDIA: [(u16, &str); 3] = [
    (406, "`not_acceptable`: `Accept` admits none of `text/xml`, `application/xml`, `application/json`."),
    (413, "`payload_too_large`: the body exceeds 64 KiB."),
    (415, "`unsupported_media_type`: a body that is neither XML nor JSON."),
];

fn tenant_404() -> String {
    format!("`not_found` (no tenant with this uuid in the caller's reach) or {INSTANCE_404}.")
}

/// A `<response>` success.
fn response(status: u16, description: &str) -> Answer {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name("SipxResponseDocument"))).build();
    let response = ResponseBuilder::new().description(description).content(crate::api::JSON, content).build();
    with_etag(Answer { status, response, schemas: vec![schema::<SipxResponseDocument>()] })
}

fn op(id: &str, summary: &str, description: String, item: bool, ok: Answer, more: &[(u16, &str)]) -> Op {
    let mut failures: Vec<(u16, &str)> = more.to_vec();
    let not_found = tenant_404();
    failures.push((404, &not_found));
    failures.push(MEDIA[0]);
    Op {
        id: id.to_owned(),
        tag: tag(),
        summary: summary.to_owned(),
        description,
        params: if item { params(true) } else { params(false) },
        body: None,
        ok,
        errors: errors(&failures),
    }
}

fn with_body(mut op: Op, body: SchemaRef) -> Op {
    op.body = Some(body);
    op.errors.extend(errors(&MEDIA[1..]));
    op
}

pub fn list_groups() -> Op {
    let ok = json_ok("A page of the tenant's user groups.", schema::<SipxGroupListDocument>());
    Op {
        params: list_params(),
        ..op(
            "sipxListUserGroups",
            "List the user groups",
            "Seed L1-52. A page of the tenant's user groups with \
             their metadata."
                .to_owned(),
            false,
            ok,
            &[(400, LIST_400)],
        )
    }
}

pub fn create_group() -> Op {
    let body_400 = format!("{BODY_400}, `name` already taken in the tenant (case-insensitively).");
    let ok = response(201, "`SUCCESS_CREATED` with the new group's id; `Location` names it.");
    let description = "Seed L53-74. `PUT` on the collection creates: the body's `id` is ignored, the group gets \
                       the next id. `branch` is optional, kept as sent and shown back."
        .to_owned();
    with_body(
        op("sipxCreateUserGroup", "Create a user group", description, false, ok, &[(400, &body_400)]),
        schema::<SipxGroupInputDocument>(),
    )
}

pub fn read_group() -> Op {
    let ok = with_etag(json_ok("The group, with its branch.", schema::<SipxGroupDocument>()));
    let description = "Seed L76-131. One `<group>` (the real server's answer; the seed's example there is a copy of \
                       the list's)."
        .to_owned();
    op("sipxReadUserGroup", "Read a user group", description, true, ok, &[(400, ID_400)])
}

pub fn update_group() -> Op {
    let body_400 = format!("{ID_400}, {BODY_400}, `name` already taken in the tenant.");
    let ok = response(200, "`SUCCESS_UPDATED` with the group's id.");
    let description = "Seed L132-133. \"Uses the same XML as for creation\": every field is replaced, what is left \
                       out is cleared; the permissions stay."
        .to_owned();
    with_body(
        op("sipxUpdateUserGroup", "Update a user group", description, true, ok, &[(400, &body_400)]),
        schema::<SipxGroupInputDocument>(),
    )
}

pub fn delete_group() -> Op {
    let ok = response(200, "`SUCCESS_DELETED` with the group's id.");
    let description = "Seed L134-135 (\"Removes branch\" is a slip: the group is deleted, with its permission \
                       values). No such group answers 400 `ERROR_OBJECT_NOT_FOUND`, as sipXconfig does."
        .to_owned();
    op("sipxDeleteUserGroup", "Delete a user group", description, true, ok, &[(400, ID_400)])
}

pub fn list_permissions() -> Op {
    let ok = json_ok("A page of groups, each with every permission.", schema::<SipxGroupPermissionsListDocument>());
    Op {
        params: list_params(),
        ..op(
            "sipxListUserGroupPermissions",
            "List the user groups with their permissions",
            "Seed L137-149. \
             Paged and sorted as the groups' list."
                .to_owned(),
            false,
            ok,
            &[(400, LIST_400)],
        )
    }
}

pub fn read_permissions() -> Op {
    let ok =
        with_etag(json_ok("The group and every permission of the tenant.", schema::<SipxGroupPermissionsDocument>()));
    let description = "Seed L150-257. Every built-in permission and every custom one of the tenant (`perm_<id>`), \
                       in byte order, each with its `defaultValue` and, when the group set one, its `value`."
        .to_owned();
    op("sipxReadUserGroupPermissions", "Read a user group's permissions", description, true, ok, &[(400, ID_400)])
}

pub fn set_permissions() -> Op {
    let body_400 = format!(
        "{ID_400}, {BODY_400}: a setting without `value`, a value other than ENABLE/DISABLE/blank, a permission \
         named twice, or permissions the tenant does not have (all named)."
    );
    let ok = response(200, "`SUCCESS_UPDATED` with the group's id.");
    let description = "Seed L258-265. Sets the values of the settings listed, all or none: the others keep theirs. \
                       `ENABLE`/`DISABLE` in any case; a blank value sets the permission back to its default."
        .to_owned();
    with_body(
        op("sipxSetUserGroupPermissions", "Set a user group's permissions", description, true, ok, &[(400, &body_400)]),
        schema::<SipxPermissionsInputDocument>(),
    )
}
