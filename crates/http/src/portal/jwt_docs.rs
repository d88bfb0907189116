//! The OpenAPI operations of the portal's signed tokens (`jwt.rs`), each naming its line in
//! `portal-account-server.txt`.

use super::docs::tag;
use super::jwt::{JwtBody, JwtQuery, ScopeQuery};
use super::session::LoggedIn;
use crate::api::{INSTANCE_404, Op, errors, header, instance_param, json_ok, path_param, schema};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

fn admin_params() -> Vec<Parameter> {
    let admin = path_param(
        "admin",
        "The administrator's integer id; one the caller does not reach answers 404 `admin_not_found`.",
        ObjectBuilder::new().schema_type(Type::Integer),
    );
    vec![instance_param(), admin]
}

const TOKEN: &str = "HS256 under a key derived (HKDF) from the server's secret, `kid` its generation \
                     (`--jwt-key-generation`: raising it rotates the key; the previous generation's tokens stay \
                     valid until they expire); claims `aud, email, exp = iat + 3600, iat, iss, name, nbf, scope, \
                     tenantId, uid, instance` (and `imp`, the impersonator's id).";

pub(super) fn issue() -> Op {
    let params = admin_params().into_iter().chain(ScopeQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalAdminJwt".to_owned(),
        tag: tag(),
        summary: "A signed token of an administrator (L12601)".to_owned(),
        description: format!(
            "A token describing the administrator for another service, with `scope` (comma-separated). {TOKEN} \
             Scoped tokens log in nowhere in Canopy."
        ),
        params,
        body: None,
        ok: json_ok("The token.", schema::<JwtBody>()),
        errors: errors(&[
            (400, "`invalid_field` `scope`, `invalid_path`."),
            (403, "`forbidden`: the caller may not list the administrators of that level."),
            (404, "`admin_not_found`, `instance_not_found`."),
        ]),
    }
}

pub(super) fn impersonate() -> Op {
    Op {
        id: "portalAdminImpersonate".to_owned(),
        tag: tag(),
        summary: "An impersonation token of an administrator (L12043)".to_owned(),
        description: format!(
            "A token that logs in as the administrator (`GET /login?jwt=`), for a caller that may change it \
             (`{{kinds}}.instance.admins.update` of its level, and reaches it). Recorded in the audit log \
             (`admin.impersonate`) though it changes nothing. {TOKEN}"
        ),
        params: admin_params(),
        body: None,
        ok: json_ok("The token.", schema::<JwtBody>()),
        errors: errors(&[
            (400, "`invalid_field` `admin` (the caller itself), `invalid_path`."),
            (403, "`forbidden`: the caller may not change administrators of that level."),
            (404, "`admin_not_found`, `instance_not_found`."),
        ]),
    }
}

pub(super) fn login() -> Op {
    let params = std::iter::once(instance_param()).chain(JwtQuery::into_params(|| Some(ParameterIn::Query))).collect();
    let mut ok = json_ok("Logged in as the impersonated administrator.", schema::<LoggedIn>());
    ok.response.headers.insert("Set-Cookie".to_owned(), header("The session, as `POST /login` sets it.", Type::String));
    Op {
        id: "portalLoginJwt".to_owned(),
        tag: tag(),
        summary: "Log in with an impersonation token (L61319)".to_owned(),
        description: "Opens a session of the administrator an impersonation token names (its logon IP lists apply), \
                      answered as `POST /login`. A scoped token, an expired one, or one of another instance or key \
                      is `401 invalid_token`. No `302`: Canopy has no page to redirect to."
            .to_owned(),
        params,
        body: None,
        ok,
        errors: errors(&[
            (400, "`invalid_query` (no `jwt`)."),
            (401, "`invalid_token`, `invalid_credentials` (an account without a password)."),
            (403, "`{client_ip, message}`: a logon IP list of the account does not admit the client's address."),
            (404, INSTANCE_404),
        ]),
    }
}

fn user_params() -> Vec<Parameter> {
    let user = path_param(
        "user",
        "The service user's integer id or uuid; one the caller does not reach, or without an account (no e-mail), \
         answers 404.",
        ObjectBuilder::new().schema_type(Type::String),
    );
    vec![instance_param(), user]
}

pub(super) fn user_jwt() -> Op {
    let params = user_params().into_iter().chain(ScopeQuery::into_params(|| Some(ParameterIn::Query))).collect();
    Op {
        id: "portalUserJwt".to_owned(),
        tag: tag(),
        summary: "A signed token of a service user (L73703)".to_owned(),
        description: format!(
            "A token describing the user's account (`end_user`: a user with an e-mail) for another service, for a \
             caller that may read the user; `uid` is the user's integer id. {TOKEN}"
        ),
        params,
        body: None,
        ok: json_ok("The token.", schema::<JwtBody>()),
        errors: errors(&[
            (400, "`invalid_field` `scope`, `invalid_path`."),
            (403, "`forbidden`: the caller may not read users."),
            (404, "`not_found` (no such user, outside the subtree, or without an account), `instance_not_found`."),
        ]),
    }
}

pub(super) fn user_impersonate() -> Op {
    Op {
        id: "portalUserImpersonate".to_owned(),
        tag: tag(),
        summary: "An impersonation token of a service user (L73143)".to_owned(),
        description: format!(
            "A token that logs in as the user's account (`GET /login?jwt=`), for a caller that may change users \
             (`users.update`) and reaches it; recorded in the audit log (`user.impersonate`). {TOKEN}"
        ),
        params: user_params(),
        body: None,
        ok: json_ok("The token.", schema::<JwtBody>()),
        errors: errors(&[
            (400, "`invalid_path`."),
            (403, "`forbidden`: the caller may not change users."),
            (404, "`not_found` (no such user, outside the subtree, or without an account), `instance_not_found`."),
        ]),
    }
}
