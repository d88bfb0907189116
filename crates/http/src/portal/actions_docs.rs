//! The OpenAPI operations of the portal's account actions (`actions.rs`), each naming its line
//! in `portal-account-server.txt`.

use super::actions::{ChangePassword, MailLink, SetPassword, TokenInfo, TokenQuery};
use super::docs::tag;
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, empty, errors, instance_param, json_ok,
    schema,
};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

const TOKEN_400: &str =
    "`invalid_one_time_token`: unknown, expired, already used, or a token of the other kind of link";
const PASSWORD_400: &str = "`invalid_field` `password` (12 to 128 characters, no control characters, at least 5 different ones, not the e-mail)";
const MD5_400: &str = "`invalid_field` `md5`: only 0; a password hashed by the client cannot be stored as argon2id";

fn token_params() -> Vec<Parameter> {
    std::iter::once(instance_param()).chain(TokenQuery::into_params(|| Some(ParameterIn::Query))).collect()
}

pub(super) fn success() -> SchemaRef {
    let text = ObjectBuilder::new().schema_type(Type::String).description(Some("`\"Success\"`")).build();
    SchemaRef::named("PortalSuccess", Schema::Object(text), &[])
}

fn info(id: &str, line: &str, what: &str) -> Op {
    Op {
        id: id.to_owned(),
        tag: tag(),
        summary: format!("Decode {what} token ({line})"),
        description: format!(
            "Whom the token of {what} link belongs to, without using it: `activated` (whether the account has a \
             password), `login` and `email`. No session needed: the token is the credential."
        ),
        params: token_params(),
        body: None,
        ok: json_ok("The token's account.", schema::<TokenInfo>()),
        errors: errors(&[(400, &format!("{TOKEN_400}, `invalid_query`.")), (404, INSTANCE_404)]),
    }
}

fn redeem(id: &str, line: &str, what: &str) -> Op {
    Op {
        id: id.to_owned(),
        tag: tag(),
        summary: format!("Set the password with {what} token ({line})"),
        description: format!(
            "Redeems the token of {what} link (single use) and sets the account's password, as \
             `POST /api/v01/auth/activate|reset` do: the policy applies, a login lock is cleared, every session of \
             the account is closed, the change is audited (the token masked in the audit log's path). `md5: 1` is \
             refused: passwords are stored with argon2id. Answers 200 `\"Success\"`."
        ),
        params: token_params(),
        body: Some(schema::<SetPassword>()),
        ok: json_ok("The password is set.", success()),
        errors: errors(&[
            (400, &format!("{TOKEN_400}, {PASSWORD_400}, {MD5_400}, {BODY_400}.")),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn activation_info() -> Op {
    info("portalActivationInfo", "L788", "an activation")
}

pub(super) fn reset_info() -> Op {
    info("portalResetInfo", "L8508", "a reset")
}

pub(super) fn activate() -> Op {
    redeem("portalActivate", "L1389", "an activation")
}

pub(super) fn reset() -> Op {
    redeem("portalReset", "L9013", "a reset")
}

pub(super) fn change_password() -> Op {
    Op {
        id: "portalChangePassword".to_owned(),
        tag: tag(),
        summary: "Change the caller's password (L2893)".to_owned(),
        description: "As `POST /api/v01/auth/password`: proves `current_password` (a wrong one is 400, as the spec \
                      says, and counts as a failed login), sets `new_password` by the policy, keeps this session and \
                      closes the account's others. Answers 200 `\"Success\"`."
            .to_owned(),
        params: vec![instance_param()],
        body: Some(schema::<ChangePassword>()),
        ok: json_ok("Changed.", success()),
        errors: errors(&[
            (400, &format!("`invalid_field` `current_password`, `new_password` (the policy), {BODY_400}.")),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (423, "`account_locked`: too many wrong passwords; `Retry-After` gives the seconds left."),
        ]),
    }
}

pub(super) fn mail_activate() -> Op {
    Op {
        id: "portalMailActivate".to_owned(),
        tag: tag(),
        summary: "E-mail an activation link (L5103)".to_owned(),
        description: "Sends the administrator `user_id` (its integer id, required here; `email` must be its e-mail) a \
                      fresh activation link, as Canopy's welcome does: earlier links stop working. The caller must \
                      be allowed to manage the administrator (else 403, or 404 outside its subtree)."
            .to_owned(),
        params: vec![instance_param()],
        body: Some(schema::<MailLink>()),
        ok: empty(204, "Sent."),
        errors: errors(&[
            (400, &format!("`invalid_field` `user_id`, `email`, {BODY_400}.")),
            (403, "`forbidden`: the caller may not manage this administrator."),
            (404, "`admin_not_found`, `instance_not_found`."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (503, "`mail_unavailable`: the mail server refused or is unreachable; retry later."),
        ]),
    }
}

pub(super) fn mail_reset() -> Op {
    Op {
        id: "portalMailReset".to_owned(),
        tag: tag(),
        summary: "E-mail a password reset link (L7362)".to_owned(),
        description: "If `email` has an account, e-mails it a reset link, as `POST /api/v01/auth/forgot` does. The \
                      answer is 204 either way and takes as long: it never tells whether the address has an account."
            .to_owned(),
        params: vec![instance_param()],
        body: Some(schema::<MailLink>()),
        ok: empty(204, "Accepted, whether or not the address has an account."),
        errors: errors(&[
            (400, &format!("`invalid_field` `username` (not an e-mail), {BODY_400}.")),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
