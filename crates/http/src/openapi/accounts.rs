//! The operations of the administrators (one table for every level: the instance's system
//! administrators and the administrators of each kind of node); the authentication routes are in
//! `auth.rs`.

use crate::account_dto::NumberedQuery;
use axum::http::Method;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};

use super::BASE;
use super::nodes::{KINDS, Kind};
use super::operations::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Entry, INSTANCE_404, Op, STORE_503, empty, errors, instance_param,
    json_ok, uuid_param, with_etag,
};

const TAG: &str = "administrators";

/// The administrators of the instance, then those of each kind of node.
pub(super) fn entries() -> Vec<Entry> {
    let mut all: Vec<Entry> = admins(None).into();
    for kind in KINDS {
        all.extend(admins(Some(kind)));
    }
    all.extend(super::auth::entries());
    all
}

/// Where an administrators' collection lies, in the words of its operations.
struct Holder {
    /// `.../admins`
    path: String,
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
    fn new(level: Option<Kind>) -> Self {
        match level {
            None => Self {
                path: format!("{BASE}/admins"),
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
            Some(kind) => Self {
                path: format!("{BASE}/{}/{{uuid}}/admins", kind.many),
                params: vec![instance_param(), uuid_param(kind.one)],
                id: format!("{}Admin", kind.title),
                whose: format!("the administrators of a {}", kind.one),
                one: format!("an administrator of a {}", kind.one),
                here: format!("this {}", kind.one),
                profile: format!("{}_admin", kind.one),
                path_400: ", `invalid_path`",
                not_found: format!(
                    "`not_found` (no {} with this uuid, or one outside the caller's subtree) or {INSTANCE_404}",
                    kind.one
                ),
                subtree: format!(
                    " A {one} outside the caller's subtree answers 404 `not_found`, exactly as one that does not \
                     exist.",
                    one = kind.one
                ),
            },
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
    ParameterBuilder::new()
        .name("username")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "The administrator's e-mail, its login, compared case-insensitively. A value that is not an e-mail names \
             no administrator.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
                .examples([Value::from("john.doe@netaxis.be")]),
        ))
        .build()
}

/// `GET` and `POST` of `.../admins`, `POST .../admins/welcome`, `PUT` and `DELETE` of
/// `.../admins/{username}`.
fn admins(level: Option<Kind>) -> [Entry; 5] {
    let holder = Holder::new(level);
    let Holder { path, params, id, whose, one, here, profile, path_400, not_found, subtree } = &holder;
    let mut one_params = params.clone();
    one_params.push(username_param());
    let list = Op {
        id: format!("list{id}s"),
        tag: TAG,
        summary: format!("List {whose}"),
        description: format!(
            "One page of the administrators that belong to {here} (not those of the nodes below it), ordered by \
             e-mail. `search` keeps those whose e-mail, first or last name contains it, case-insensitively. They are \
             few, so pages are numbered (no `next` token); an empty list answers 200 with an empty array.{subtree}"
        ),
        params: params.iter().cloned().chain(NumberedQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok("A page of administrators, possibly empty.", "AdminList"),
        errors: errors(&[
            (
                400,
                &format!(
                    "`invalid_field` (`page` 0, `page_size` outside 1..1000), `invalid_query` (an unknown parameter \
                     or one of the wrong type){path_400}."
                ),
            ),
            (404, &format!("{not_found}.")),
        ]),
    };
    let create = Op {
        id: format!("create{id}"),
        tag: TAG,
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
        body: Some("AdminCreate"),
        ok: with_etag(json_ok("Created: the administrator's id and version.", "IdBody")),
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
    };
    let welcome = Op {
        id: format!("welcome{id}"),
        tag: TAG,
        summary: format!("Send the welcome e-mail again to {one}"),
        description: format!(
            "E-mails the administrator `adminEmail` of {here} a fresh activation link; the links sent before stop \
             working. Answers 200 with no body once the mail server has accepted the message: a mail failure is the \
             answer (503 `mail_unavailable`).{subtree}"
        ),
        params: params.clone(),
        body: Some("WelcomeBody"),
        ok: empty(200, "Sent: no body."),
        errors: errors(&[
            (400, &format!("{BODY_400}{path_400}.")),
            (404, &holder.admin_not_found()),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (503, &format!("`mail_unavailable` (the mail server did not take the message; retry later), {STORE_503}")),
        ]),
    };
    let update = Op {
        id: format!("update{id}"),
        tag: TAG,
        summary: format!("Modify {one}"),
        description: format!(
            "Absent fields are kept. `adminEmail` is required and must be the `{{username}}` of the path: the e-mail \
             never changes (delete the administrator and create it again instead). `force_reset: true` clears the \
             password, closes every session of the administrator and e-mails it a reset link. Answers the \
             administrator's id.{subtree}"
        ),
        params: one_params.clone(),
        body: Some("AdminModify"),
        ok: with_etag(json_ok("Updated: the administrator's id and new version.", "IdBody")),
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
    };
    let delete = Op {
        id: format!("delete{id}"),
        tag: TAG,
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
    };
    [
        (Method::GET, path.clone(), list),
        (Method::POST, path.clone(), create),
        (Method::POST, format!("{path}/welcome"), welcome),
        (Method::PUT, format!("{path}/{{username}}"), update),
        (Method::DELETE, format!("{path}/{{username}}"), delete),
    ]
}
