//! The administrators of a place (a node, or the instance's system administrators): the list
//! (searched, paged by number, as the app pages it), an invitation (the invitee is e-mailed an
//! activation link), the welcome e-mail sent again, and removal; each one `AdminService` call.

use super::Failed;
use crate::form::Posted;
use crate::layout::{self, Frame, csrf_input, form_error, submit, typed_input};
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::extract::{Query, State};
use axum::response::Response;
use canopy_app::{AdminInput, App};
use canopy_domain::{AdminAction, ListParams, Permission};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize, Default)]
pub struct AdminsQuery {
    search: Option<String>,
    page: Option<u64>,
    done: Option<String>,
}

const PAGE_SIZE: u64 = 20;

async fn render(
    app: &App,
    signed: &Signed,
    place: Place,
    query: &AdminsQuery,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let principal = signed.principal();
    let instance = principal.instance.as_str();
    let search = query.search.as_deref().filter(|s| !s.is_empty());
    let params = ListParams {
        search: search.map(str::to_owned),
        page: query.page,
        page_size: Some(PAGE_SIZE),
        ..ListParams::default()
    };
    let admins = app.admins.list(&principal, instance, place.node(), params).await?;
    let (crumbs, title) = match place.node() {
        Some((kind, id)) => {
            let view = app.nodes.get(&principal, instance, kind, id).await?;
            (
                super::tree::crumbs(app, signed, &view.node).await,
                format!("Administrators of {}", view.node.name.as_str()),
            )
        }
        None => (vec![], "System administrators".to_owned()),
    };
    let level = place.node().map(|(kind, _)| kind);
    let principal = signed.principal();
    let may = |action| principal.grants(Permission::Admins(level, action));
    let frame = Frame { title: &title, signed, place, crumbs };
    let problem = Failed::of(failed, "invite");
    let row_problem = failed.filter(|failed| failed.form != "invite");
    Ok(layout::page(
        frame,
        html! {
            h1 { (title) }
            (layout::done(query.done.as_deref()))
            form.search method="get" action=(place.sub("admins")) role="search" {
                div.field {
                    label for="search" { "Search by e-mail or name" }
                    input #search type="search" name="search" value=(search.unwrap_or_default());
                }
                button type="submit" { "Search" }
            }
            @if let Some(failed) = row_problem { p.error role="alert" { (failed.problem.message) } }
            @if admins.items.is_empty() { p.empty { "No administrators here." } } @else {
                div.scroll { table {
                    thead { tr { th scope="col" { "E-mail" } th scope="col" { "Name" } th scope="col" { "Status" } th scope="col" { "Actions" } } }
                    tbody { @for admin in &admins.items {
                        tr {
                            td { (admin.email.as_str()) }
                            td { (admin.details.first_name.as_deref().unwrap_or_default()) " " (admin.details.last_name.as_deref().unwrap_or_default()) }
                            td { @if admin.active { "active" } @else { "invited" } @if admin.read_only { ", read-only" } }
                            td.actions {
                                @if may(AdminAction::Welcome) && !admin.active {
                                    form.inline method="post" action=(place.sub("admins/welcome")) {
                                        (csrf_input(signed))
                                        input type="hidden" name="email" value=(admin.email.as_str());
                                        (submit("Resend welcome"))
                                    }
                                }
                                @if may(AdminAction::Delete) && admin.id != signed.admin.id {
                                    form.inline method="post" action=(place.sub("admins/remove")) data-confirm="Remove this administrator?" {
                                        (csrf_input(signed))
                                        input type="hidden" name="email" value=(admin.email.as_str());
                                        (submit("Remove"))
                                    }
                                }
                            }
                        }
                    } }
                } }
                nav.pager aria-label="Pages" {
                    span { "Page " (admins.page) " of " (admins.pages) " · " (admins.results) @if admins.results_capped { "+" } " administrators" }
                    @if admins.page > 1 { a rel="prev" href={ (place.sub("admins")) "?page=" (admins.page - 1) } { "Previous" } }
                    @if admins.page < admins.pages || admins.results_capped { a rel="next" href={ (place.sub("admins")) "?page=" (admins.page + 1) } { "Next" } }
                }
            }
            @if may(AdminAction::Create) {
                section aria-labelledby="invite-title" {
                    h2 #invite-title { "Invite an administrator" }
                    form method="post" action=(place.sub("admins")) {
                        (csrf_input(signed))
                        (form_error(problem, &["adminEmail", "firstName", "lastName", "mobile"]))
                        @let value = |name| Failed::value(failed, "invite", name, "");
                        (typed_input("invite", "E-mail", "adminEmail", "email", value("adminEmail"), problem))
                        (typed_input("invite", "First name (optional)", "firstName", "text", value("firstName"), problem))
                        (typed_input("invite", "Last name (optional)", "lastName", "text", value("lastName"), problem))
                        (typed_input("invite", "Mobile (optional)", "mobile", "tel", value("mobile"), problem))
                        div.field {
                            label { input type="checkbox" name="readOnly" value="1"; " Read-only (may look, changes nothing)" }
                        }
                        (submit("Invite"))
                    }
                }
            }
        },
    ))
}

async fn page(app: App, signed: Signed, place: Place, query: AdminsQuery) -> Result<Markup, Problem> {
    render(&app, &signed, place, &query, None).await
}

pub async fn instance_page(
    State(app): State<App>,
    signed: Signed,
    Query(q): Query<AdminsQuery>,
) -> Result<Markup, Problem> {
    page(app, signed, Place::Instance, q).await
}

pub async fn node_page(
    State(app): State<App>,
    signed: Signed,
    at: At,
    Query(q): Query<AdminsQuery>,
) -> Result<Markup, Problem> {
    page(app, signed, at.place(), q).await
}

type Fields = BTreeMap<String, String>;

/// The page again with a refusal, or on to the list with what was done.
async fn answer(
    app: &App,
    signed: &Signed,
    place: Place,
    done: &str,
    form: &str,
    outcome: Result<(), canopy_app::AppError>,
    fields: Fields,
) -> Response {
    match outcome {
        Ok(()) => see_other(&format!("{}?done={done}", place.sub("admins"))),
        Err(err) => {
            let failed = Failed::new(form, Problem::from(err), fields);
            let status = failed.problem.status;
            super::shown_again(status, render(app, signed, place, &AdminsQuery::default(), Some(&failed)).await)
        }
    }
}

fn text(fields: &Fields, name: &str) -> Option<String> {
    fields.get(name).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
}

async fn invite(place: Place, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let input = AdminInput {
        email: form.get("adminEmail").cloned().unwrap_or_default(),
        first_name: text(&form, "firstName"),
        last_name: text(&form, "lastName"),
        mobile: text(&form, "mobile"),
        temporary_password: None,
        read_only: form.contains_key("readOnly"),
    };
    let instance = caller.principal.instance.clone();
    let created = app.admins.create(&caller, instance.as_str(), place.node(), input).await.map(drop);
    answer(&app, &signed, place, "invited", "invite", created, form).await
}

async fn welcome(place: Place, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let email = form.get("email").cloned().unwrap_or_default();
    let instance = caller.principal.instance.clone();
    let sent = app.admins.welcome(&caller.principal, instance.as_str(), place.node(), &email).await;
    answer(&app, &signed, place, "welcomed", "welcome", sent, form).await
}

async fn remove(place: Place, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let email = form.get("email").cloned().unwrap_or_default();
    let instance = caller.principal.instance.clone();
    let removed = app.admins.delete(&caller, instance.as_str(), place.node(), &email).await;
    answer(&app, &signed, place, "removed", "remove", removed, form).await
}

pub async fn instance_invite(posted: Posted<Fields>) -> Response {
    invite(Place::Instance, posted).await
}

pub async fn node_invite(at: At, posted: Posted<Fields>) -> Response {
    invite(at.place(), posted).await
}

pub async fn instance_welcome(posted: Posted<Fields>) -> Response {
    welcome(Place::Instance, posted).await
}

pub async fn node_welcome(at: At, posted: Posted<Fields>) -> Response {
    welcome(at.place(), posted).await
}

pub async fn instance_remove(posted: Posted<Fields>) -> Response {
    remove(Place::Instance, posted).await
}

pub async fn node_remove(at: At, posted: Posted<Fields>) -> Response {
    remove(at.place(), posted).await
}
