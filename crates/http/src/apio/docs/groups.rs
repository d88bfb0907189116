//! The operations of the groups (G1, G2, the items) and of a group's users.

use super::{
    GROUP_404, TENANT_404, USER_404, created, group_params, groups_tag, query, shown_schema, tenant_params, user_params,
};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, errors, json_ok, schema, with_etag,
};
use crate::apio::bodies::{Empty, GroupRows};
use crate::apio::users::UserRows;
use crate::nodes::{DescribedCreate, DescribedUpdate, SiteGroups, Users};
use canopy_domain::NodeKind;
use utoipa::PartialSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::path::Parameter;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

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

pub(in crate::apio) fn search() -> Op {
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

pub(in crate::apio) fn create_group() -> Op {
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

pub(in crate::apio) fn read_group() -> Op {
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

pub(in crate::apio) fn update_group() -> Op {
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

pub(in crate::apio) fn delete_group() -> Op {
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

pub(in crate::apio) fn list_users() -> Op {
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

pub(in crate::apio) fn create_user() -> Op {
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

pub(in crate::apio) fn read_user() -> Op {
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

pub(in crate::apio) fn update_user() -> Op {
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

pub(in crate::apio) fn delete_user() -> Op {
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
