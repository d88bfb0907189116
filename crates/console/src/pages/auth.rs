//! Signing in and out, the own password change, and the pages the e-mailed links open
//! (`/activate?token=`, `/reset?token=`), which set a password through the app's activation and
//! reset; and the request of a reset link.

use super::Nothing;
use crate::ConsoleConfig;
use crate::form::{Posted, PublicForm};
use crate::layout::{self, Frame, form_error, submit, typed_input};
use crate::place::Place;
use crate::problem::Problem;
use crate::session::{self, Signed, see_other};
use axum::Extension;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use canopy_app::App;
use canopy_http::ClientAddress;
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct Next {
    next: Option<String>,
    done: Option<String>,
}

fn login_form(next: &str, email: &str, failed: Option<&Problem>, done: Option<&str>) -> Markup {
    let form = "login";
    layout::bare(
        "Sign in",
        html! {
            h1 { "Sign in" }
            (layout::done(done))
            form method="post" action="/console/login" {
                (form_error(failed, &["username", "password", "instance"]))
                input type="hidden" name="next" value=(next);
                (typed_input(form, "E-mail", "username", "email", email, failed))
                (typed_input(form, "Password", "password", "password", "", failed))
                (typed_input(form, "Instance (only where this server serves several)", "instance", "text", "", failed))
                (submit("Sign in"))
            }
            p { a href="/console/forgot" { "Forgot your password?" } }
        },
    )
}

pub async fn login_page(Query(query): Query<Next>) -> Markup {
    login_form(session::safe_next(query.next.as_deref()), "", None, query.done.as_deref())
}

#[derive(Deserialize)]
pub struct Login {
    username: String,
    password: String,
    #[serde(default)]
    instance: String,
    next: Option<String>,
}

pub async fn login(
    Extension(config): Extension<ConsoleConfig>,
    ClientAddress(from): ClientAddress,
    PublicForm { app, form, .. }: PublicForm<Login>,
) -> Response {
    let next = session::safe_next(form.next.as_deref()).to_owned();
    let instance = Some(form.instance.trim()).filter(|instance| !instance.is_empty());
    match app.auth.login(instance, &form.username, form.password, from).await {
        Ok(opened) => {
            let to = if opened.admin.must_change_password { "/console/password" } else { next.as_str() };
            let max_age = (opened.expires.0 - opened.issued.0) / 1000;
            let mut response = see_other(to);
            response.headers_mut().insert(SET_COOKIE, session::set_cookie(&config, &opened.token, max_age));
            response
        }
        Err(err) => {
            let problem = Problem::from(err);
            (problem.status, login_form(&next, &form.username, Some(&problem), None)).into_response()
        }
    }
}

pub async fn logout(
    Extension(config): Extension<ConsoleConfig>,
    Posted { app, signed, .. }: Posted<Nothing, true>,
) -> Result<Response, Problem> {
    app.auth.logout(&signed.token).await?;
    let mut response = see_other("/console/login?done=signed_out");
    response.headers_mut().insert(SET_COOKIE, session::clear_cookie(&config));
    Ok(response)
}

fn password_form(signed: &Signed, failed: Option<&Problem>, done: Option<&str>) -> Markup {
    let form = "password";
    let frame = Frame { title: "Password", signed, place: Place::home_of(&signed.principal()), crumbs: vec![] };
    layout::page(
        frame,
        html! {
            h1 { "Change your password" }
            (layout::done(done))
            @if signed.admin.must_change_password {
                p.notice role="status" { "Your password is a temporary one: choose your own to go on." }
            }
            form method="post" action="/console/password" {
                (layout::csrf_input(signed))
                (form_error(failed, &["currentPassword", "newPassword"]))
                (typed_input(form, "Current password", "currentPassword", "password", "", failed))
                (typed_input(form, "New password (12 characters or more)", "newPassword", "password", "", failed))
                (submit("Change password"))
            }
        },
    )
}

pub async fn password_page(State(app): State<App>, parts: Parts, Query(query): Query<Next>) -> Response {
    match Signed::of(&parts, &app, true).await {
        Ok(signed) => password_form(&signed, None, query.done.as_deref()).into_response(),
        Err(response) => response,
    }
}

#[derive(Deserialize)]
pub struct PasswordChange {
    #[serde(rename = "currentPassword")]
    current: String,
    #[serde(rename = "newPassword")]
    new: String,
}

pub async fn change_password(Posted { app, signed, caller, form }: Posted<PasswordChange, true>) -> Response {
    let passwords = (form.current, form.new);
    match app.auth.change_password(&signed.admin, &signed.token, passwords, caller.request).await {
        Ok(_) => see_other("/console/password?done=password"),
        Err(err) => {
            let problem = Problem::from(err);
            (problem.status, password_form(&signed, Some(&problem), None)).into_response()
        }
    }
}

/// Which link a page serves.
#[derive(Clone, Copy)]
enum Link {
    Activate,
    Reset,
}

impl Link {
    fn path(self) -> &'static str {
        match self {
            Self::Activate => "/activate",
            Self::Reset => "/reset",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Activate => "Activate your account",
            Self::Reset => "Choose a new password",
        }
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

fn link_form(link: Link, token: &str, failed: Option<&Problem>) -> Markup {
    layout::bare(
        link.title(),
        html! {
            h1 { (link.title()) }
            p { "Choose the password you will sign in with: 12 characters or more, at least 5 different ones." }
            form method="post" action=(link.path()) {
                (form_error(failed, &["password"]))
                input type="hidden" name="token" value=(token);
                (typed_input("link", "New password", "password", "password", "", failed))
                (submit("Set password"))
            }
        },
    )
}

pub async fn activate_page(Query(query): Query<TokenQuery>) -> Markup {
    link_form(Link::Activate, &query.token, None)
}

pub async fn reset_page(Query(query): Query<TokenQuery>) -> Markup {
    link_form(Link::Reset, &query.token, None)
}

#[derive(Deserialize)]
pub struct SetPassword {
    token: String,
    password: String,
}

async fn redeem(link: Link, PublicForm { app, request, form }: PublicForm<SetPassword>) -> Response {
    let redeemed = match link {
        Link::Activate => app.auth.activate(&form.token, form.password, request).await,
        Link::Reset => app.auth.reset(&form.token, form.password, request).await,
    };
    match redeemed {
        Ok(_) => see_other("/console/login?done=password_set"),
        Err(err) => {
            let problem = Problem::from(err);
            (problem.status, link_form(link, &form.token, Some(&problem))).into_response()
        }
    }
}

pub async fn activate(form: PublicForm<SetPassword>) -> Response {
    redeem(Link::Activate, form).await
}

pub async fn reset(form: PublicForm<SetPassword>) -> Response {
    redeem(Link::Reset, form).await
}

fn forgot_form(failed: Option<&Problem>, sent: bool) -> Markup {
    layout::bare(
        "Forgot your password",
        html! {
            h1 { "Forgot your password" }
            @if sent {
                p.done role="status" { "If an account has this address, a link to choose a new password is on its way." }
            }
            form method="post" action="/console/forgot" {
                (form_error(failed, &["username"]))
                (typed_input("forgot", "E-mail", "username", "email", "", failed))
                (typed_input("forgot", "Instance (only where this server serves several)", "instance", "text", "", failed))
                (submit("Send me a link"))
            }
        },
    )
}

pub async fn forgot_page() -> Markup {
    forgot_form(None, false)
}

#[derive(Deserialize)]
pub struct Forgot {
    username: String,
    #[serde(default)]
    instance: String,
}

pub async fn forgot(PublicForm { app, form, .. }: PublicForm<Forgot>) -> Response {
    let instance = Some(form.instance.trim()).filter(|instance| !instance.is_empty());
    match app.auth.forgot(instance, &form.username) {
        Ok(()) => forgot_form(None, true).into_response(),
        Err(err) => {
            let problem = Problem::from(err);
            (problem.status, forgot_form(Some(&problem), false)).into_response()
        }
    }
}
