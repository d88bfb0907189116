//! The operations of the authentication routes, under `/api/v01/auth`: logins, sessions, the
//! caller's own password, activation and reset links.

use axum::http::Method;

use super::operations::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Entry, Op, PASSWORD_CHANGE_403, empty, errors, json_ok,
};

const AUTH: &str = "/api/v01/auth";
const AUTH_TAG: &str = "authentication";

const PASSWORD_400: &str =
    "`invalid_field` `password` (12 to 128 characters, no control characters, at least 5 different ones)";
const INSTANCE_400: &str = "`invalid_field` `instance` (left out while the server serves several instances)";

/// The authentication routes, under `/api/v01/auth`.
pub(super) fn entries() -> [Entry; 7] {
    let op = |id: &str, summary: &str, description: String, body: Option<&'static str>, ok, errors| Op {
        id: id.to_owned(),
        tag: AUTH_TAG,
        summary: summary.to_owned(),
        description,
        params: vec![],
        body,
        ok,
        errors,
    };
    let redeem = |id: &str, summary: &str, what: &str, link: &str| {
        op(
            id,
            summary,
            format!(
                "{what} with the token of {link}. The token is single use; redeeming it also clears a login lock and \
                 closes every session of the account. Answers 204."
            ),
            Some("RedeemBody"),
            empty(204, "The password is set: the account can log in."),
            errors(&[
                (
                    400,
                    &format!(
                        "`invalid_one_time_token` (unknown, expired, already used, or a token of the other kind of \
                         link), {PASSWORD_400}, {BODY_400}."
                    ),
                ),
                BODY_ERRORS_413,
                BODY_ERRORS_415,
            ]),
        )
    };
    let login = op(
        "login",
        "Log in",
        "Checks an administrator's e-mail (`username`) and password and opens a session: send its token as \
         `Authorization: Bearer <token>` on every other call. It expires after 8 hours by default. An unknown \
         e-mail, a wrong password and an account not yet activated all answer 401 `invalid_credentials`, after the \
         same work. After 5 failures in a row each further one locks the address, 30 seconds at first and doubling \
         up to 15 minutes (by default): while locked every login answers 423 `account_locked`, without checking the \
         password. An address without an account is throttled alike, so the answers never tell whether it has one. \
         A successful login clears the count, as does an hour without a failure once no lock holds. An account created with a temporary password logs in \
         with it: the answer says `mustChangePassword: true`, and that session may only change the password \
         (`POST /api/v01/auth/password`) or log out; anything else answers 403 `password_change_required`."
            .to_owned(),
        Some("LoginBody"),
        json_ok("The session opened.", "SessionBody"),
        errors(&[
            (400, &format!("{BODY_400}, {INSTANCE_400}.")),
            (401, "`invalid_credentials`: wrong e-mail or password, or an account not activated yet."),
            (404, "`instance_not_found`: the `instance` is not served."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (
                423,
                "`account_locked`: too many failed logins; `Retry-After` and `details.retryAfter` give the seconds \
                 left.",
            ),
        ]),
    );
    let logout = op(
        "logout",
        "Log out",
        "Closes the session of the bearer token: the token stops working at once, also a session that must \
         change its password first. Answers 204."
            .to_owned(),
        None,
        empty(204, "The session is closed."),
        errors(&[]),
    );
    let password = op(
        "changePassword",
        "Change the caller's password",
        "Canopy extension. Any administrator changes its own password, proving it knows the current one; an \
         account created with a temporary password must do this before anything else (its session may call only \
         this route and logout). The new password follows the policy and differs from the current one. A wrong \
         `currentPassword` counts as a failed login (the same lock, 423). On success (204) the must-change flag is \
         cleared, this session stays open and may now be used for anything, every other session of the account is \
         closed, and the change is recorded in the audit log (`admin.change_password`, passwords never)."
            .to_owned(),
        Some("PasswordChangeBody"),
        empty(204, "Changed: this session stays, the account's other sessions are closed."),
        errors(&[
            (
                400,
                &format!(
                    "`invalid_field` `currentPassword` (not the account's password), `newPassword` (the policy: 12 \
                     to 128 characters, no control characters, at least 5 different ones, not the e-mail, not the \
                     current password), {BODY_400}."
                ),
            ),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (
                423,
                "`account_locked`: too many wrong passwords (logins and changes alike); `Retry-After` gives the \
                 seconds left.",
            ),
        ]),
    );
    let me = op(
        "me",
        "The caller",
        "The administrator of the bearer token: its account, its instance, the node it belongs to (absent for a \
         system administrator) and every permission of its profile, spelled as `x-required-permission` spells them."
            .to_owned(),
        None,
        json_ok("The caller.", "MeBody"),
        errors(&[(403, &format!("{PASSWORD_CHANGE_403}."))]),
    );
    let forgot = op(
        "forgot",
        "Ask for a password reset link",
        "If the address has an account, e-mails it a reset link (valid 1 hour by default) to \
         `POST /api/v01/auth/reset`. The answer is 202 either way, and takes as long: it reveals nothing about which \
         addresses have an account."
            .to_owned(),
        Some("ForgotBody"),
        empty(202, "Accepted, whether or not the address has an account."),
        errors(&[
            (400, &format!("{BODY_400}, `invalid_field` `username` (not an e-mail), {INSTANCE_400}.")),
            (404, "`instance_not_found`: the `instance` is not served."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    );
    [
        (Method::POST, format!("{AUTH}/login"), login),
        (Method::POST, format!("{AUTH}/logout"), logout),
        (Method::POST, format!("{AUTH}/password"), password),
        (Method::GET, format!("{AUTH}/me"), me),
        (
            Method::POST,
            format!("{AUTH}/activate"),
            redeem(
                "activate",
                "Activate an account",
                "Sets the first password of an account",
                "its activation e-mail (valid 72 hours by default)",
            ),
        ),
        (Method::POST, format!("{AUTH}/forgot"), forgot),
        (
            Method::POST,
            format!("{AUTH}/reset"),
            redeem(
                "reset",
                "Reset a password",
                "Sets a new password",
                "a reset e-mail (from `POST /api/v01/auth/forgot` or a forced reset; valid 1 hour by default)",
            ),
        ),
    ]
}
