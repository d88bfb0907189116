//! The OpenAPI operations of the portal's identity routes (`session.rs`), each naming its line
//! in `portal-account-server.txt`.

use super::docs::tag;
use super::session::{AccountRoute, AccountsQuery, LoggedIn, LoginBody, ProfileBody};
use crate::api::{
    Answer, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, empty, errors, header,
    instance_param, json_ok, schema,
};
use utoipa::IntoParams;
use utoipa::openapi::path::{HttpMethod, ParameterIn};
use utoipa::openapi::schema::{ArrayBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};

const COOKIE: &str = "`SESSION=<token>; HttpOnly; SameSite=Lax; Path=/; Max-Age=<seconds>; Secure` (`Secure` left \
                      out only with `--insecure-cookies`): the session's token, which a bearer header may carry as well.";

fn with_cookie(mut answer: Answer, description: &str) -> Answer {
    answer.response.headers.insert("Set-Cookie".to_owned(), header(description, Type::String));
    answer
}

pub(super) fn accounts() -> Op {
    let params =
        std::iter::once(instance_param()).chain(AccountsQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalAccounts".to_owned(),
        tag: tag(),
        summary: "Find the server of an account (L13)".to_owned(),
        description: "The router lookup real clients call first: answers this server's public base URL \
                      (`--portal-url`) for any login, with `id` 0, so the answer never tells whether the login exists."
            .to_owned(),
        params,
        body: None,
        ok: json_ok("Where the account is served.", schema::<AccountRoute>()),
        errors: errors(&[(400, "`invalid_query`."), (404, INSTANCE_404)]),
    }
}

pub(super) fn login() -> Op {
    Op {
        id: "portalLogin".to_owned(),
        tag: tag(),
        summary: "Log in (L62188)".to_owned(),
        description:
            "Checks `username` (the administrator's e-mail) and `password` as `POST /api/v01/auth/login` does \
                      — the same sessions, the same throttle — and opens a session, set as the `SESSION` cookie. An \
                      enabled logon IP list on the account's lineage that does not admit the client's address answers \
                      403 with the spec's `{client_ip, message}`. Writes authenticated by the cookie take JSON bodies \
                      only (415 otherwise) and the cookie is `SameSite=Lax`: a cross-site form cannot carry it."
                .to_owned(),
        params: vec![instance_param()],
        body: Some(schema::<LoginBody>()),
        ok: with_cookie(json_ok("Logged in: the account's profile.", schema::<LoggedIn>()), COOKIE),
        errors: errors(&[
            (400, &format!("{BODY_400}.")),
            (401, "`invalid_credentials`: wrong login or password, or an account not activated yet."),
            (403, "`{client_ip, message}`: a logon IP list of the account does not admit the client's address."),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
            (423, "`account_locked`: too many failed logins; `Retry-After` gives the seconds left."),
        ]),
    }
}

pub(super) fn logout_post() -> Op {
    Op {
        id: "portalLogout".to_owned(),
        tag: tag(),
        summary: "Log out (L63350)".to_owned(),
        description: "Closes the session (cookie or bearer) and removes the cookie.".to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: with_cookie(empty(204, "Logged out."), "The cookie, removed (`Max-Age=0`)."),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn logout_get() -> Op {
    Op {
        id: "portalLogoutGet".to_owned(),
        tag: tag(),
        summary: "Log out (L62970)".to_owned(),
        description: "As `POST /logout`, answering 200 `\"Success\"` (no redirection: Canopy has no login page here)."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: with_cookie(json_ok("Logged out.", super::actions_docs::success()), "The cookie, removed (`Max-Age=0`)."),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn profile() -> Op {
    Op {
        id: "portalProfile".to_owned(),
        tag: tag(),
        summary: "The caller's profile (L63724)".to_owned(),
        description: "The account of the session: ids, login (the e-mail), names, its home group (`null` for a system \
                      administrator), `access_type` (15, or 1 when read-only), `version`."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The profile.", schema::<ProfileBody>()),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn profiles() -> Op {
    let profile = schema::<ProfileBody>();
    let list = ArrayBuilder::new().items(RefOr::Ref(Ref::from_schema_name(&profile.name))).build();
    Op {
        id: "portalProfiles".to_owned(),
        tag: tag(),
        summary: "The caller's profiles (L64580)".to_owned(),
        description: "The profiles of the session's identity: one, an identity being one account in Canopy.".to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The profiles.", SchemaRef::named("PortalProfiles", Schema::Array(list), &[profile])),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(super) fn checkauth(method: HttpMethod) -> Op {
    let (name, line) = match method {
        HttpMethod::Delete => ("Delete", "L14743"),
        HttpMethod::Post => ("Post", "L15653"),
        HttpMethod::Put => ("Put", "L16108"),
        HttpMethod::Head => ("Head", "L16563"),
        HttpMethod::Options => ("Options", "L17018"),
        _ => ("Get", "L15198"),
    };
    Op {
        id: format!("portalCheckauth{name}"),
        tag: tag(),
        summary: format!("Check the session ({line})"),
        description: "204 when the request carries a valid session (cookie or bearer), 401 otherwise.".to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: empty(204, "Authenticated."),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}
