//! The OpenAPI operations of the portal face, under the tag `portal`, each naming its line in
//! `portal-account-server.txt`.

use super::admins::{AdminBody, AdminChange, AdminCreate, AdminCreated, AdminsBody};
use super::bodies::{
    ChildCreate, ChildrenBody, ChildrenQuery, Created, GroupBody, GroupUpdate, SearchBody, SearchQuery, VersionBody,
};
use super::users::{UserBody, UserCreate, UserUpdate, UsersBody, UsersQuery};
use crate::api::{Answer, SchemaRef};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, Tag, empty, errors, instance_param, json_ok,
    path_param, schema, with_etag,
};
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, RefOr, ResponseBuilder};

pub(super) fn tag() -> Tag {
    Tag::new(
        "portal",
        "The portal face (issue 17): the account-server API of a multi-service portal (`portal-account-server.txt`), \
         under `…/portal/api/1` (and `/api/1` with a default instance). Canopy's levels are its group kinds: root 0 \
         (the instance), group 10, distributor 20, reseller 30, tenant 40, site group 50; `grade` is the depth. \
         Every `{group}` is an integer id or a uuid.",
    )
}

pub(super) const GROUP_404: &str = "`instance_not_found`, or `not_found`: nothing with this id or uuid, one outside the caller's \
                         subtree, or a user.";
pub(super) const GROUP_403: &str = "`forbidden`: the caller's profile lacks the permission of the group's kind (e.g. \
                         `tenants.instance.update` for a tenant administrator changing its own tenant); decided once \
                         the group is found in the caller's subtree, so it reveals nothing.";

fn group_param() -> Parameter {
    path_param(
        "group",
        "The group's integer id or uuid (anything else: 400 `invalid_path`). One outside the caller's subtree \
         answers exactly as one that does not exist.",
        ObjectBuilder::new().schema_type(Type::String).examples([Value::from("42")]),
    )
}

pub(super) fn group_params() -> Vec<Parameter> {
    vec![instance_param(), group_param()]
}

pub(super) fn object(name: &str, description: &str) -> SchemaRef {
    let schema = ObjectBuilder::new().schema_type(Type::Object).description(Some(description)).build();
    SchemaRef::named(name, Schema::Object(schema), &[])
}

pub(super) fn rules() -> Op {
    Op {
        id: "portalRules".to_owned(),
        tag: tag(),
        summary: "Get the rules for groups (L60354)".to_owned(),
        description: "`GroupBusinessRules.creation[kind].any`: the kinds each kind may hold, from Canopy's creation \
                      rules (0→10; 10→20,30,40; 20→30,40; 30→40; 40→50,-1; 50→-1); `modification` and the pricing \
                      rules are empty."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The rules.", object("PortalRules", "`GroupBusinessRules` and the (empty) pricing rules.")),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn constants() -> Op {
    Op {
        id: "portalConstants".to_owned(),
        tag: tag(),
        summary: "Get the constants (L58941)".to_owned(),
        description: "`GroupsKind` (Canopy's kinds only), `Status`, `AccessTypes`, `GroupsQuota`, `Notification`; \
                      the backup product's constants are left out."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The constants.", object("PortalConstants", "The constants, by name.")),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn search() -> Op {
    let params =
        std::iter::once(instance_param()).chain(SearchQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalSearchGroups".to_owned(),
        tag: tag(),
        summary: "Search groups by name (L21092)".to_owned(),
        description: "The groups of the caller's subtree (every level but users) whose name starts with `prefix` \
                      (case-insensitively; with `strict=1`, whose name is it), in name order, at most `limit` (10 by \
                      default, at most 100); then the administrators of its subtree whose login (e-mail) does, of the \
                      levels whose administrators it may list, at most `limit` too, in login order (`kind` and \
                      `uuid` null, `parent_id` their group's integer id)."
            .to_owned(),
        params,
        body: None,
        ok: json_ok("The groups found, possibly none.", schema::<SearchBody>()),
        errors: errors(&[
            (
                400,
                "`invalid_field` (`limit` out of 1–100, `strict` not 0 or 1, `prefix` with invisible characters), `invalid_query`.",
            ),
            (403, "`forbidden`: the account may list no kind of group (an end user)."),
            (404, INSTANCE_404),
        ]),
    }
}

pub(super) fn read() -> Op {
    Op {
        id: "portalGetGroup".to_owned(),
        tag: tag(),
        summary: "Get a group (L22436)".to_owned(),
        description: "The group: `id`, `uuid`, `name`, `kind`, `grade`, `parent_id`, `version`, `has_children`. The \
                      root (the instance, named by its integer id) has no uuid nor version."
            .to_owned(),
        params: group_params(),
        body: None,
        ok: with_etag(json_ok("The group.", schema::<GroupBody>())),
        errors: errors(&[(400, "`invalid_path`."), (403, GROUP_403), (404, GROUP_404)]),
    }
}

pub(super) fn update() -> Op {
    Op {
        id: "portalUpdateGroup".to_owned(),
        tag: tag(),
        summary: "Update a group (L23640)".to_owned(),
        description: "Renames, enables or disables the group and changes its stored fields (`contact`, \
                      `billing`, `customer_id`: a tenant's is its tenant id, `internal_tag`, `language`, \
                      `privileges`; `null` clears one; every field is checked before anything is written); a \
                      `kind` other than its own is refused, and any other field (`400 invalid_body`). \
                      `?version=` (or `If-Match`) is optional; a stale one answers 426 \"Version mismatch\"."
            .to_owned(),
        params: group_params(),
        body: Some(schema::<GroupUpdate>()),
        ok: with_etag(json_ok("The group's new version.", schema::<VersionBody>())),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_name`, `invalid_field` (`kind`), `invalid_target` (the root), `invalid_path`."
                ),
            ),
            (403, GROUP_403),
            (404, GROUP_404),
            (409, "`duplicate_name`: a sibling already has this name (case-insensitively)."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete() -> Op {
    Op {
        id: "portalDeleteGroup".to_owned(),
        tag: tag(),
        summary: "Delete an empty group (L21714)".to_owned(),
        description: "Deletes the group when nothing lies below it. A group that does not exist answers 404 on this \
                      face (Canopy's own face answers 200)."
            .to_owned(),
        params: group_params(),
        body: None,
        ok: empty(204, "Deleted."),
        errors: errors(&[
            (
                400,
                "`not_empty` (with the counts of what it holds in `details`), `invalid_target` (the root), `invalid_path`.",
            ),
            (403, GROUP_403),
            (404, GROUP_404),
        ]),
    }
}

pub(super) fn children() -> Op {
    let params = group_params().into_iter().chain(ChildrenQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalListChildren".to_owned(),
        tag: tag(),
        summary: "List a group's children (L32212)".to_owned(),
        description: "The groups directly under the group (users are not groups), each with `has_children`; with \
                      `request_type=uuids_list` their uuids only; with `request_type=tenants_batch&uuids=a,b` those \
                      of them named."
            .to_owned(),
        params,
        body: None,
        ok: json_ok("The children.", schema::<ChildrenBody>()),
        errors: errors(&[
            (400, "`invalid_query` (`request_type` or `uuids`), `invalid_path`."),
            (403, GROUP_403),
            (404, GROUP_404),
        ]),
    }
}

/// A `201` with a JSON body of a schema of the components.
fn created_with(description: &str, body: SchemaRef) -> Answer {
    let reference = RefOr::Ref(utoipa::openapi::Ref::from_schema_name(&body.name));
    let content = ContentBuilder::new().schema(Some(reference)).build();
    let response = ResponseBuilder::new().description(description).content("application/json", content).build();
    Answer { status: 201, response, schemas: vec![body] }
}

fn created() -> Answer {
    created_with("Created: its version, integer id and uuid.", schema::<Created>())
}

pub(super) fn create_child() -> Op {
    Op {
        id: "portalCreateChild".to_owned(),
        tag: tag(),
        summary: "Create a child group (L33205)".to_owned(),
        description: "Creates a group of `kind` under the group, named `name` (a site group's name is its `groupId`). \
                      A tenant takes `customer_id` as its tenant id (a fresh uuid when absent); a site group has \
                      Canopy's largest user limit; the stored fields (`contact`, `billing`, `internal_tag`, \
                      `language`, `privileges`, another kind's `customer_id`) are kept as sent. A kind the group \
                      cannot hold answers 400 listing those it can; any other field `400 invalid_body`."
            .to_owned(),
        params: group_params(),
        body: Some(schema::<ChildCreate>()),
        ok: created(),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `forbidden_child` (`details.allowed`: the kinds it may hold), `invalid_name`, `invalid_field`, `invalid_path`."
                ),
            ),
            (403, GROUP_403),
            (404, GROUP_404),
            (409, "`duplicate_name`, `duplicate_tenant_id`: a sibling has this name, a tenant this `customer_id`."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

const USER_404: &str = "`instance_not_found`, or `not_found`: no user with this id or uuid, or one outside the caller's \
                        subtree.";
const USER_403: &str = "`forbidden`: the caller's profile lacks the users' permission (`users.instance.update`...).";

fn user_params() -> Vec<Parameter> {
    let user = path_param(
        "user",
        "The user's integer id or uuid (anything else: 400 `invalid_path`).",
        ObjectBuilder::new().schema_type(Type::String).examples([Value::from("42")]),
    );
    vec![instance_param(), user]
}

pub(super) fn users() -> Op {
    let params = group_params().into_iter().chain(UsersQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalListUsers".to_owned(),
        tag: tag(),
        summary: "List a group's service users (L55997)".to_owned(),
        description: "The users directly in the group (a tenant or a site group; elsewhere none). `include_hidden` \
                      changes nothing: no user is hidden."
            .to_owned(),
        params,
        body: None,
        ok: json_ok("The users.", schema::<UsersBody>()),
        errors: errors(&[(400, "`invalid_path`, `invalid_query`."), (403, USER_403), (404, GROUP_404)]),
    }
}

pub(super) fn create_user() -> Op {
    Op {
        id: "portalCreateUser".to_owned(),
        tag: tag(),
        summary: "Create a service user (L56627)".to_owned(),
        description: "Creates a user in the group (a tenant or a site group): `login` is its `userId` (unique in the \
                      instance), `firstname` and `lastname` required, `email` gives it its own account (e-mailed an \
                      activation link). The seed's other fields are not kept yet: naming one is `400 invalid_body`."
            .to_owned(),
        params: group_params(),
        body: Some(schema::<UserCreate>()),
        ok: created(),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `forbidden_child` (a group that holds no users), `invalid_field`, `invalid_name`, `user_limit_reached`, `invalid_path`."
                ),
            ),
            (403, USER_403),
            (404, GROUP_404),
            (409, "`duplicate_user_id`, `duplicate_email`."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn user() -> Op {
    Op {
        id: "portalGetUser".to_owned(),
        tag: tag(),
        summary: "Get a service user (L70734)".to_owned(),
        description: "The user: `id`, `uuid`, `tenant_id` (its group's integer id), `login`, `firstname`, \
                      `lastname`, `email`, `phone`, `version`."
            .to_owned(),
        params: user_params(),
        body: None,
        ok: with_etag(json_ok("The user.", schema::<UserBody>())),
        errors: errors(&[(400, "`invalid_path`."), (403, USER_403), (404, USER_404)]),
    }
}

pub(super) fn update_user() -> Op {
    Op {
        id: "portalUpdateUser".to_owned(),
        tag: tag(),
        summary: "Update a service user (L71512)".to_owned(),
        description: "Changes the fields sent; `?version=` optional, stale: 426 \"Version mismatch\".".to_owned(),
        params: user_params(),
        body: Some(schema::<UserUpdate>()),
        ok: with_etag(json_ok("The user's new version.", schema::<VersionBody>())),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field`, `invalid_name`, `invalid_path`.")),
            (403, USER_403),
            (404, USER_404),
            (409, "`duplicate_user_id`, `duplicate_email`."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_user() -> Op {
    Op {
        id: "portalDeleteUser".to_owned(),
        tag: tag(),
        summary: "Delete a service user (L70012)".to_owned(),
        description: "Deletes the user and its own account; absent: 404.".to_owned(),
        params: user_params(),
        body: None,
        ok: empty(204, "Deleted."),
        errors: errors(&[(400, "`invalid_path`."), (403, USER_403), (404, USER_404)]),
    }
}

const ADMIN_404: &str = "`instance_not_found`, or `admin_not_found`: no administrator with this id, one whose home is \
                         outside the caller's subtree, or an end user's account.";
const ADMIN_403: &str = "`forbidden`: the caller's profile lacks the permission on that level's administrators \
                         (`tenants.instance.admins.update`...).";

fn admin_params() -> Vec<Parameter> {
    let admin = path_param(
        "admin",
        "The administrator's integer id (Canopy's administrators have no uuid; anything else: 400 `invalid_path`).",
        ObjectBuilder::new().schema_type(Type::Integer).examples([Value::from(7)]),
    );
    vec![instance_param(), admin]
}

pub(super) fn admins() -> Op {
    Op {
        id: "portalListAdmins".to_owned(),
        tag: tag(),
        summary: "List a group's administrators (L24902)".to_owned(),
        description: "The administrators homed at the group (the root's: the system administrators).".to_owned(),
        params: group_params(),
        body: None,
        ok: json_ok("The administrators.", schema::<AdminsBody>()),
        errors: errors(&[(400, "`invalid_path`."), (403, ADMIN_403), (404, GROUP_404)]),
    }
}

pub(super) fn create_admin() -> Op {
    Op {
        id: "portalCreateAdmin".to_owned(),
        tag: tag(),
        summary: "Create an administrator (L25550)".to_owned(),
        description:
            "Creates an administrator of the group (its profile is the group's level), e-mailed an activation \
                      link. `email` (or `login`, which must then be the e-mail) is required; `access_type` must hold Read \
                      (1): with Write (4) full access, without it a read-only administrator (default 15)."
                .to_owned(),
        params: group_params(),
        body: Some(schema::<AdminCreate>()),
        ok: created_with("Created: its id and version.", schema::<AdminCreated>()),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (`email`, `login`, `access_type`, names, `phone`), `invalid_path`."
                ),
            ),
            (403, ADMIN_403),
            (404, GROUP_404),
            (409, "`duplicate_email`: an account of the instance has this e-mail."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn admin() -> Op {
    Op {
        id: "portalGetAdmin".to_owned(),
        tag: tag(),
        summary: "Get an administrator (L10405)".to_owned(),
        description: "The administrator: `id`, `user_id`, `login` and `email` (the same), names, `phone`, `group`, \
                      `access_type` (15, or 1 for a read-only administrator), `status` (1 active, -1 until its password is \
                      set), `version`."
            .to_owned(),
        params: admin_params(),
        body: None,
        ok: with_etag(json_ok("The administrator.", schema::<AdminBody>())),
        errors: errors(&[(400, "`invalid_path`."), (403, ADMIN_403), (404, ADMIN_404)]),
    }
}

pub(super) fn update_admin() -> Op {
    Op {
        id: "portalUpdateAdmin".to_owned(),
        tag: tag(),
        summary: "Update an administrator (L11068)".to_owned(),
        description: "Changes the names, phone and `access_type` sent (without Write: read-only); `?version=` \
                      optional, stale: 426 \"Version mismatch\"."
            .to_owned(),
        params: admin_params(),
        body: Some(schema::<AdminChange>()),
        ok: with_etag(json_ok("The administrator's new version.", schema::<VersionBody>())),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field`, `invalid_path`.")),
            (403, ADMIN_403),
            (404, ADMIN_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_admin() -> Op {
    Op {
        id: "portalDeleteAdmin".to_owned(),
        tag: tag(),
        summary: "Delete an administrator (L9683)".to_owned(),
        description: "Deletes the administrator with its sessions; absent: 404; oneself: 400.".to_owned(),
        params: admin_params(),
        body: None,
        ok: empty(204, "Deleted."),
        errors: errors(&[(400, "`invalid_path`, `cannot_delete_self`."), (403, ADMIN_403), (404, ADMIN_404)]),
    }
}
