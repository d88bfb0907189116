//! The OpenAPI operations of the APIO face, under its own tags, with the spec's examples: the
//! groups and users here and in `groups.rs`, the codes and the domain registry in `codes.rs`. What
//! every operation shares (security, 401/403, the store's failures) is added by `finish.rs`.

mod codes;
mod groups;

pub(in crate::apio) use codes::*;
pub(in crate::apio) use groups::*;

use crate::api::{Answer, SchemaRef, Tag, json_ok, path_param, with_etag};
use crate::nodes::property;
use canopy_domain::{Attributes, NodeKind};
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};

pub(super) fn groups_tag() -> Tag {
    Tag::new(
        "apio_groups",
        "APIO (Netaxis) tenant groups and their users, over Canopy's site groups and users: the API of \
         `apio-tenant-groups.txt`, mounted at `/api/v01/draas/{draas_instance}/apio/api/v1` (and at `/api/v1` when \
         the server has a default instance). A tenant is named by its `tenantId` (case-insensitively), a group by \
         its `groupId`, a user by its `userId`; paths work with and without their trailing slash.",
    )
}

pub(super) fn codes_tag() -> Tag {
    Tag::new(
        "apio_auth_codes",
        "APIO user outgoing call barring authorization codes (`apio-call-barring-auth-codes.txt`). Codes are secrets: \
         never logged, masked in the audit log.",
    )
}

pub(super) fn text_param(name: &str, description: &str) -> Parameter {
    path_param(name, description, ObjectBuilder::new().schema_type(Type::String))
}

pub(super) fn tenant_params() -> Vec<Parameter> {
    vec![
        crate::api::instance_param(),
        text_param(
            "tenant_id",
            "The tenant's `tenantId`, matched case-insensitively; a tenant outside the caller's subtree answers as absent.",
        ),
    ]
}

pub(super) fn group_params() -> Vec<Parameter> {
    let mut params = tenant_params();
    params.push(text_param("group_id", "The group's `groupId`, matched case-insensitively."));
    params
}

pub(super) fn user_params() -> Vec<Parameter> {
    let mut params = group_params();
    params.push(text_param("user_id", "The user's `userId` (a user of this group), matched case-insensitively."));
    params
}

pub(super) const TENANT_404: &str = "`not_found` (no tenant with this `tenantId`, or one outside the caller's subtree)";
pub(super) const GROUP_404: &str = "`not_found` (no such tenant or group, or one outside the caller's subtree)";
pub(super) const USER_404: &str =
    "`not_found` (no such tenant, group or user of the group, or one outside the caller's subtree)";

/// The schema of a site group or user as APIO shows it: its key, then its fields.
pub(super) fn shown_schema(kind: NodeKind, name: &str) -> SchemaRef {
    let key = kind.name_rule().field();
    let mut object = ObjectBuilder::new()
        .description(Some(format!("A {} as APIO shows it: `{key}`, then the fields it has.", kind.noun())))
        .property(key, ObjectBuilder::new().schema_type(Type::String))
        .required(key);
    for field in Attributes::fields(kind) {
        object = object.property(field.name, property(field, false, field.description));
    }
    let object = object.additional_properties(Some(AdditionalProperties::FreeForm(false)));
    SchemaRef::named(name, Schema::Object(object.build()), &[])
}

/// G2's body: a site group's creation body with APIO's options.
pub(super) fn created(description: &str, body: SchemaRef) -> Answer {
    let mut answer = with_etag(json_ok(description, body));
    answer.status = 201;
    answer.response.headers.insert("Location".into(), crate::api::header("Where the new item lies.", Type::String));
    answer
}

pub(super) fn query(name: &str, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// G1's query parameters: the names of its JSON body.
pub(super) fn code_params() -> Vec<Parameter> {
    let mut params = user_params();
    params.push(text_param("code", "The code (the spec's `instance_name`): 2 to 14 digits."));
    params
}
