//! The OpenAPI operations of the APIO face, under its own tags, with the spec's examples. What
//! every operation shares (security, 401/403, the store's failures) is added by `finish.rs`.

use super::bodies::{Empty, GroupRows};
use super::codes::{CodeBody, CodeList, CodesToAdd, CodesToRemove};
use super::domains::{DomainBody, DomainList};
use super::users::UserRows;
use crate::api::{
    Answer, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, Tag, errors, json_ok, path_param,
    schema, with_etag,
};
use crate::nodes::{DescribedCreate, DescribedUpdate, SiteGroups, Users, property};
use canopy_domain::{Attributes, NodeKind};

use utoipa::PartialSchema;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, Type};
use utoipa::openapi::{RefOr, Required};

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

fn text_param(name: &str, description: &str) -> Parameter {
    path_param(name, description, ObjectBuilder::new().schema_type(Type::String))
}

fn tenant_params() -> Vec<Parameter> {
    vec![
        crate::api::instance_param(),
        text_param(
            "tenant_id",
            "The tenant's `tenantId`, matched case-insensitively; a tenant outside the caller's subtree answers as absent.",
        ),
    ]
}

fn group_params() -> Vec<Parameter> {
    let mut params = tenant_params();
    params.push(text_param("group_id", "The group's `groupId`, matched case-insensitively."));
    params
}

fn user_params() -> Vec<Parameter> {
    let mut params = group_params();
    params.push(text_param("user_id", "The user's `userId` (a user of this group), matched case-insensitively."));
    params
}

const TENANT_404: &str = "`not_found` (no tenant with this `tenantId`, or one outside the caller's subtree)";
const GROUP_404: &str = "`not_found` (no such tenant or group, or one outside the caller's subtree)";
const USER_404: &str = "`not_found` (no such tenant, group or user of the group, or one outside the caller's subtree)";

/// The schema of a site group or user as APIO shows it: its key, then its fields.
fn shown_schema(kind: NodeKind, name: &str) -> SchemaRef {
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
fn group_create_schema() -> SchemaRef {
    let RefOr::T(Schema::Object(mut object)) = DescribedCreate::<SiteGroups>::schema() else {
        unreachable!("a creation body is an object")
    };
    let text = |description: &str| {
        Schema::Object(ObjectBuilder::new().schema_type(Type::String).description(Some(description)).build())
    };
    object.properties.insert(
        "templateName".into(),
        RefOr::T(text("A group template (category `group`) whose defaults the body is laid over; unknown: 400.")),
    );
    object
        .properties
        .insert("resellerId".into(), RefOr::T(text("The tenant's own reseller, by uuid or name; any other: 400.")));
    object.properties.insert(
        "autoCreateDomain".into(),
        RefOr::T(Schema::Object(
            ObjectBuilder::new()
                .schema_type(Type::Boolean)
                .description(Some("Overrides the setting `AUTO_CREATE.GROUP_DEFAULT_DOMAIN`."))
                .build(),
        )),
    );
    object.description = Some("A group to create (spec L97–122).".into());
    #[allow(deprecated)]
    {
        object.example =
            Some(serde_json::json!({"groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25}));
    }
    SchemaRef::named("ApioGroupCreate", Schema::Object(object), &[])
}

fn created(description: &str, body: SchemaRef) -> Answer {
    let mut answer = with_etag(json_ok(description, body));
    answer.status = 201;
    answer.response.headers.insert("Location".into(), crate::api::header("Where the new item lies.", Type::String));
    answer
}

fn query(name: &str, description: &str, schema: ObjectBuilder) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(schema))
        .build()
}

/// G1's query parameters: the names of its JSON body.
fn search_params() -> Vec<Parameter> {
    let mut params = tenant_params();
    for case in ["sensitive", "insensitive"] {
        for field in ["GroupId", "GroupName"] {
            for mode in ["Starts", "Contains", "Equals"] {
                let about = format!("The group's {field} ({case}ly) {mode}: 1 to 80 characters; criteria are AND-ed.");
                params.push(query(
                    &format!("{case}{field}{mode}"),
                    &about,
                    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(80)),
                ));
            }
        }
    }
    let count = |minimum: f64| ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(minimum));
    params.push(query("responseSizeLimit", "At most this many rows (ignored with paging).", count(1.0)));
    params.push(query("startIndex", "`pagingControl.startIndex`: the first row, 1-based.", count(1.0)));
    params.push(query("pageSize", "`pagingControl.pageSize`: 1 to 1000 rows.", count(1.0).maximum(Some(1000.0))));
    params.push(query(
        "sortOrders",
        "Comma-separated, at most 3: `{sensitive|insensitive}{Ascending|Descending}{GroupId|GroupName}`.",
        ObjectBuilder::new().schema_type(Type::String),
    ));
    params
}

pub(super) fn search() -> Op {
    let mut ok = json_ok("The groups selected (possibly none).", schema::<GroupRows>());
    ok.response.headers.insert(
        "X-Total-Count".into(),
        crate::api::header("How many groups matched in all (Canopy addition).", Type::Integer),
    );
    Op {
        id: "apioListGroups".into(),
        tag: groups_tag(),
        summary: "Retrieve list of groups (G1, spec L3–76)".into(),
        description: "The tenant's groups that every criterion matches, sorted by `sortOrders` (default \
            `insensitiveAscendingGroupId`, ties broken by `groupId`), cut by `pagingControl` (`startIndex` is a \
            1-based row) or else `responseSizeLimit`. The search is a JSON object in the GET's body, as the spec \
            shows (Content-Type absent or `application/json`), or the same names as query parameters \
            (`startIndex`, `pageSize`, `sortOrders=a,b`); not both."
            .into(),
        params: search_params(),
        body: None,
        ok,
        errors: errors(&[
            (
                400,
                "`invalid_field` (a criterion, `responseSizeLimit`, `pagingControl` or `sortOrders` out of range; `details.apioCode` 42), `invalid_body` (an unknown search key), `malformed_json`, `invalid_query`.",
            ),
            (404, &format!("{TENANT_404} or {INSTANCE_404}.")),
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn create_group() -> Op {
    Op {
        id: "apioCreateGroup".into(),
        tag: groups_tag(),
        summary: "Create a group (G2, spec L78–127)".into(),
        description: "Creates a group (a Canopy site group) in the tenant and answers it (201, `Location`). \
            `groupId` is unique among the tenant's groups, case-insensitively; `userLimit` is required."
            .into(),
        params: tenant_params(),
        body: Some(group_create_schema()),
        ok: created("The group created.", shown_schema(NodeKind::SiteGroup, "ApioGroup")),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (a value, `templateName`, `resellerId`, `defaultDomain`), `duplicate_name` (another group of the tenant has the `groupId`)."
                ),
            ),
            (404, &format!("{TENANT_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn read_group() -> Op {
    Op {
        id: "apioReadGroup".into(),
        tag: groups_tag(),
        summary: "Read a group (Canopy extension)".into(),
        description: "The group with every field it has.".into(),
        params: group_params(),
        body: None,
        ok: with_etag(json_ok("The group.", shown_schema(NodeKind::SiteGroup, "ApioGroup"))),
        errors: errors(&[(404, &format!("{GROUP_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn update_group() -> Op {
    Op {
        id: "apioUpdateGroup".into(),
        tag: groups_tag(),
        summary: "Modify a group (Canopy extension)".into(),
        description: "Absent fields are kept, `null` clears a clearable one; `groupId` renames the group. Lowering \
            `userLimit` below the users the group holds is refused."
            .into(),
        params: group_params(),
        body: Some(schema::<DescribedUpdate<SiteGroups>>()),
        ok: with_etag(json_ok("The group as changed.", shown_schema(NodeKind::SiteGroup, "ApioGroup"))),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field`, `duplicate_name`, `user_limit_below_count`.")),
            (404, &format!("{GROUP_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_group() -> Op {
    Op {
        id: "apioDeleteGroup".into(),
        tag: groups_tag(),
        summary: "Delete a group (Canopy extension)".into(),
        description: "Deletes an empty group: `200 {}`, also when there is no such group (APIO's habit).".into(),
        params: group_params(),
        body: None,
        ok: json_ok("Deleted, or there was no such group.", schema::<Empty>()),
        errors: errors(&[
            (400, "`not_empty` (the group still has users: `details.children`)."),
            (404, &format!("{TENANT_404} or {INSTANCE_404}.")),
        ]),
    }
}

pub(super) fn list_users() -> Op {
    Op {
        id: "apioListUsers".into(),
        tag: groups_tag(),
        summary: "List a group's users (Canopy extension)".into(),
        description: "Every user of the group, in `userId` order.".into(),
        params: group_params(),
        body: None,
        ok: json_ok("The group's users.", schema::<UserRows>()),
        errors: errors(&[(404, &format!("{GROUP_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn create_user() -> Op {
    Op {
        id: "apioCreateUser".into(),
        tag: groups_tag(),
        summary: "Create a user of a group (Canopy extension)".into(),
        description: "Creates a user in the group (201, `Location`); `userId` is unique in the instance. A user \
            beyond the group's `userLimit` is refused."
            .into(),
        params: group_params(),
        body: Some(schema::<DescribedCreate<Users>>()),
        ok: created("The user created.", shown_schema(NodeKind::User, "ApioUser")),
        errors: errors(&[
            (
                400,
                &format!("{BODY_400}, `invalid_field`, `duplicate_user_id`, `duplicate_email`, `user_limit_reached`."),
            ),
            (404, &format!("{GROUP_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn read_user() -> Op {
    Op {
        id: "apioReadUser".into(),
        tag: groups_tag(),
        summary: "Read a user of a group (Canopy extension)".into(),
        description: "The user with every field it has.".into(),
        params: user_params(),
        body: None,
        ok: with_etag(json_ok("The user.", shown_schema(NodeKind::User, "ApioUser"))),
        errors: errors(&[(404, &format!("{USER_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn update_user() -> Op {
    Op {
        id: "apioUpdateUser".into(),
        tag: groups_tag(),
        summary: "Modify a user of a group (Canopy extension)".into(),
        description: "Absent fields are kept; `userId` renames the user; an `email` once set never changes.".into(),
        params: user_params(),
        body: Some(schema::<DescribedUpdate<Users>>()),
        ok: with_etag(json_ok("The user as changed.", shown_schema(NodeKind::User, "ApioUser"))),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field`, `duplicate_user_id`, `duplicate_email`.")),
            (404, &format!("{USER_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_user() -> Op {
    Op {
        id: "apioDeleteUser".into(),
        tag: groups_tag(),
        summary: "Delete a user of a group (Canopy extension)".into(),
        description: "Deletes the user with its account and codes: `200 {}`, also when there is no such user.".into(),
        params: user_params(),
        body: None,
        ok: json_ok("Deleted, or there was no such user.", schema::<Empty>()),
        errors: errors(&[(404, &format!("{GROUP_404} or {INSTANCE_404}."))]),
    }
}

fn code_params() -> Vec<Parameter> {
    let mut params = user_params();
    params.push(text_param("code", "The code (the spec's `instance_name`): 2 to 14 digits."));
    params
}

pub(super) fn list_codes() -> Op {
    Op {
        id: "apioListAuthCodes".into(),
        tag: codes_tag(),
        summary: "List all authorization codes for the Enduser (C1, spec L3–34)".into(),
        description: "The user's codes in code order. Authorization rights: minimum End User (the user itself).".into(),
        params: user_params(),
        body: None,
        ok: json_ok("The user's codes.", schema::<CodeList>()),
        errors: errors(&[(404, &format!("{USER_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn add_codes() -> Op {
    let mut ok = json_ok("Added: `{}`.", schema::<Empty>());
    ok.status = 201;
    Op {
        id: "apioAddAuthCodes".into(),
        tag: codes_tag(),
        summary: "Create a list of authorization codes, or one (C2 L36–70, C3 L72–98)".into(),
        description: "With `authCodes`, adds the list, all or nothing; else adds the one `code`. A code is 2 to 14 \
            digits, unique per user, at most 1000 per user. Authorization rights: minimum Group Admin."
            .into(),
        params: user_params(),
        body: Some(schema::<CodesToAdd>()),
        ok,
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (a code or description), `duplicate_code` (codes named twice or already the user's: `details.codes`, `details.apioCode` 11)."
                ),
            ),
            (404, &format!("{USER_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn read_code() -> Op {
    Op {
        id: "apioReadAuthCode".into(),
        tag: codes_tag(),
        summary: "Get an authorization code for the Enduser (C4, spec L100–123)".into(),
        description: "One of the user's codes. Authorization rights: minimum End User.".into(),
        params: code_params(),
        body: None,
        ok: json_ok("The code.", schema::<CodeBody>()),
        errors: errors(&[(
            404,
            &format!("`code_not_found` (the user has no such code), {USER_404} or {INSTANCE_404}."),
        )]),
    }
}

pub(super) fn remove_codes() -> Op {
    Op {
        id: "apioRemoveAuthCodes".into(),
        tag: codes_tag(),
        summary: "Remove a list of authorization codes from a User (C5, spec L125–160)".into(),
        description: "Removes the codes of the body's list (a JSON body on DELETE, as the spec shows); codes the user \
            does not hold are no error. Authorization rights: minimum Group Admin."
            .into(),
        params: user_params(),
        body: Some(schema::<CodesToRemove>()),
        ok: json_ok("Removed: `{}`.", schema::<Empty>()),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (an empty list).")),
            (404, &format!("{USER_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn remove_code() -> Op {
    Op {
        id: "apioRemoveAuthCode".into(),
        tag: codes_tag(),
        summary: "Remove an authorization code from a User (C6, spec L162–182)".into(),
        description: "Removes the code; absent is no error. Authorization rights: minimum Group Admin.".into(),
        params: code_params(),
        body: None,
        ok: json_ok("Removed: `{}`.", schema::<Empty>()),
        errors: errors(&[(404, &format!("{USER_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn domains_tag() -> Tag {
    Tag::new(
        "apio_domains",
        "The domain registry (Canopy extension for the APIO face): the instance's DNS domains and those assigned to \
         each tenant. A group's `defaultDomain` must be one of its tenant's, unless the creation registers it \
         (`autoCreateDomain`, or the setting `AUTO_CREATE.GROUP_DEFAULT_DOMAIN`).",
    )
}

fn added_ok() -> Answer {
    let mut ok = json_ok("Added (`201 {}`), or it was there already (`200 {}`).", schema::<Empty>());
    ok.status = 201;
    ok
}

pub(super) fn list_domains() -> Op {
    Op {
        id: "apioListDomains".into(),
        tag: domains_tag(),
        summary: "List the instance's domains".into(),
        description: "The instance's DNS domains, in name order.".into(),
        params: vec![crate::api::instance_param()],
        body: None,
        ok: json_ok("The domains.", schema::<DomainList>()),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn add_domain() -> Op {
    Op {
        id: "apioAddDomain".into(),
        tag: domains_tag(),
        summary: "Add a domain to the instance".into(),
        description: "Adds a DNS domain to the instance; adding one it has changes nothing (`200 {}`).".into(),
        params: vec![crate::api::instance_param()],
        body: Some(schema::<DomainBody>()),
        ok: added_ok(),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`domain`: not a DNS name).")),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn list_tenant_domains() -> Op {
    Op {
        id: "apioListTenantDomains".into(),
        tag: domains_tag(),
        summary: "List a tenant's domains".into(),
        description: "The domains assigned to the tenant, in name order.".into(),
        params: tenant_params(),
        body: None,
        ok: json_ok("The tenant's domains.", schema::<DomainList>()),
        errors: errors(&[(404, &format!("{TENANT_404} or {INSTANCE_404}."))]),
    }
}

pub(super) fn assign_domain() -> Op {
    Op {
        id: "apioAssignDomain".into(),
        tag: domains_tag(),
        summary: "Assign one of the instance's domains to a tenant".into(),
        description: "Assigns the domain to the tenant; assigning one it has changes nothing (`200 {}`).".into(),
        params: tenant_params(),
        body: Some(schema::<DomainBody>()),
        ok: added_ok(),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`domain`: not a DNS name, or not one of the instance's).")),
            (404, &format!("{TENANT_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
