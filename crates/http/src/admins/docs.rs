//! The operations of the administrators' routes, for every level: the words of each level
//! (`Holder`), then one function per operation.

use super::bodies::{AdminBody, AdminCreate, AdminModify, IdBody, WelcomeBody};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, STORE_503, SchemaRef, Tag, empty, errors,
    instance_param, json_ok, node_not_found, node_params, path_param, schema, with_etag,
};
use crate::list::ListQueryParams;
use crate::list::ListSchema;
use canopy_domain::Level;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};

pub(super) fn tag() -> Tag {
    Tag::new("administrators", "The administrators of the instance (system) and of each node.")
}

/// Where an administrators' collection lies, in the words of its operations.
pub(super) struct Holder {
    params: Vec<Parameter>,
    /// `SystemAdmin`, `GroupAdmin`: for operation ids.
    id: String,
    /// `the system administrators`, `the administrators of a group`.
    whose: String,
    /// `a system administrator`, `an administrator of a group`.
    one: String,
    /// `the instance`, `this group`.
    here: String,
    /// The profile of the administrators created here.
    profile: String,
    /// `, \`invalid_path\`` under a node.
    path_400: &'static str,
    /// The 404 of the holder itself.
    not_found: String,
    /// The subtree rule, under a node.
    subtree: String,
}

impl Holder {
    pub(super) fn new(level: Level) -> Self {
        match level {
            None => Self {
                params: vec![instance_param()],
                id: "SystemAdmin".to_owned(),
                whose: "the system administrators".to_owned(),
                one: "a system administrator".to_owned(),
                here: "the instance".to_owned(),
                profile: "system_admin".to_owned(),
                path_400: "",
                not_found: INSTANCE_404.to_owned(),
                subtree: String::new(),
            },
            Some(kind) => {
                let one = kind.as_str();
                Self {
                    params: node_params(kind),
                    id: format!("{}Admin", kind.title()),
                    whose: format!("the administrators of a {one}"),
                    one: format!("an administrator of a {one}"),
                    here: format!("this {one}"),
                    profile: format!("{one}_admin"),
                    path_400: ", `invalid_path`",
                    not_found: format!("{} or {INSTANCE_404}", node_not_found(one)),
                    subtree: format!(
                        " A {one} outside the caller's subtree answers 404 `not_found`, exactly as one that does not \
                         exist."
                    ),
                }
            }
        }
    }

    /// The 404 of an operation on one administrator of the holder.
    fn admin_not_found(&self) -> String {
        format!(
            "`admin_not_found` (no administrator with this e-mail belongs to {}: those of other nodes and levels are \
             not found here), {}.",
            self.here, self.not_found
        )
    }
}

fn username_param() -> Parameter {
    path_param(
        "username",
        "The administrator's e-mail, its login, compared case-insensitively. A value that is not an e-mail names no \
         administrator.",
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
            .examples([Value::from("john.doe@netaxis.be")]),
    )
}

/// `GET .../admins`.
pub(super) fn list(holder: &Holder) -> Op {
    let Holder { params, id, whose, here, path_400, not_found, subtree, .. } = holder;
    Op {
        id: format!("list{id}s"),
        tag: tag(),
        summary: format!("List {whose}"),
        description: format!(
            "One page of the administrators that belong to {here} (not those of the nodes below it), ordered by \
             e-mail (`dir=desc`: reversed). `search` keeps those whose e-mail, first or last name contains it, \
             case-insensitively. Pages are numbered, and continued by the `next` token of the previous page as every \
             list is; an empty list answers 200 with an empty array.{subtree}"
        ),
        params: params.iter().cloned().chain(ListQueryParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok("A page of administrators, possibly empty.", list_of_admins()),
        errors: errors(&[
            (
                400,
                &format!(
                    "`invalid_field` (`page` outside 1..1000000000, `page_size` outside 1..1000, `sort` not `email`, `dir` \
                     not `asc`/`desc`, `search` over 255 characters), `invalid_next_token` (a `next` token not of this \
                     list, or parameters beside it that differ from its own), `invalid_query` (an unknown parameter \
                     or one of the wrong type){path_400}."
                ),
            ),
            (404, &format!("{not_found}.")),
        ]),
    }
}

/// `POST .../admins`.
pub(super) fn create(holder: &Holder) -> Op {
    let Holder { params, id, one, profile, path_400, not_found, subtree, .. } = holder;
    Op {
        id: format!("create{id}"),
        tag: tag(),
        summary: format!("Create {one}"),
        description: format!(
            "Creates an account of profile `{profile}` with no password and e-mails it an activation link (valid \
             72 hours by default) to `POST /api/v01/auth/activate`: until it is followed the account cannot log in. \
             Answers the administrator's numeric id (200). The e-mail is the login: unique in the instance, at \
             every level, case-insensitively. A mail failure does not undo the creation: `.../admins/welcome` sends \
             the link again. With `temporaryPassword` (onboarding without e-mail) the account is created active with \
             that password and no link is sent; its first login opens a session that may only change it \
             (`POST /api/v01/auth/password`).{subtree}"
        ),
        params: params.clone(),
        body: Some(schema::<AdminCreate>()),
        ok: with_etag(json_ok("Created: the administrator's id and version.", schema::<IdBody>())),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (`adminEmail` not an e-mail, `firstName`, `lastName`, `mobile`, \
                     `temporaryPassword`: the password policy), `duplicate_email`{path_400}."
                ),
            ),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

/// `POST .../admins/welcome`.
pub(super) fn welcome(holder: &Holder) -> Op {
    let Holder { params, id, one, here, path_400, subtree, .. } = holder;
    Op {
        id: format!("welcome{id}"),
        tag: tag(),
        summary: format!("Send the welcome e-mail again to {one}"),
        description: format!(
            "E-mails the administrator `adminEmail` of {here} a fresh activation link; the links sent before stop \
             working. Answers 200 with no body once the mail server has accepted the message: a mail failure is the \
             answer (503 `mail_unavailable`).{subtree}"
        ),
        params: params.clone(),
        body: Some(schema::<WelcomeBody>()),
        ok: empty(200, "Sent: no body."),
        errors: errors(&[
            (400, &format!("{BODY_400}{path_400}.")),
            (404, &holder.admin_not_found()),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (503, &format!("`mail_unavailable` (the mail server did not take the message; retry later), {STORE_503}")),
        ]),
    }
}

/// `PUT .../admins/{username}`.
pub(super) fn update(holder: &Holder) -> Op {
    let Holder { params, id, one, path_400, subtree, .. } = holder;
    let mut one_params = params.clone();
    one_params.push(username_param());
    Op {
        id: format!("update{id}"),
        tag: tag(),
        summary: format!("Modify {one}"),
        description: format!(
            "Absent fields are kept. `adminEmail` is required and must be the `{{username}}` of the path: the e-mail \
             never changes (delete the administrator and create it again instead). `force_reset: true` clears the \
             password, closes every session of the administrator and e-mails it a reset link. Answers the \
             administrator's id.{subtree}"
        ),
        params: one_params,
        body: Some(schema::<AdminModify>()),
        ok: with_etag(json_ok("Updated: the administrator's id and new version.", schema::<IdBody>())),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (`adminEmail` other than the `{{username}}` of the path, \
                     `firstName`, `lastName`, `mobile`){path_400}."
                ),
            ),
            (404, &holder.admin_not_found()),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

/// `DELETE .../admins/{username}`.
pub(super) fn delete(holder: &Holder) -> Op {
    let Holder { params, id, one, here, path_400, not_found, subtree, .. } = holder;
    let mut one_params = params.clone();
    one_params.push(username_param());
    Op {
        id: format!("delete{id}"),
        tag: tag(),
        summary: format!("Delete {one}"),
        description: format!(
            "Deletes the account and closes its sessions. Idempotent: deleting an administrator that does not exist, \
             or does not belong to {here}, succeeds (204) and changes nothing. An administrator cannot delete \
             itself.{subtree}"
        ),
        params: one_params,
        body: None,
        ok: empty(204, "Deleted, or there was nothing to delete."),
        errors: errors(&[
            (400, &format!("`cannot_delete_self` (the caller names itself){path_400}.")),
            (404, &format!("{not_found}.")),
        ]),
    }
}

fn list_of_admins() -> SchemaRef {
    let about = "One page of administrators: the items of the page, and where it lies in the whole list.";
    let list = ListSchema::new("AdminList", about, "admins", schema::<AdminBody>());
    list.items("The administrators of this page, ordered by e-mail.").schema()
}
