//! A group's voice routing: its PSTN usages (each with what uses it), voice routes and voice
//! routing policies, created and deleted through `VoiceRoutingService` (a usage still linked is
//! refused with its referrers, the domain's rule).

use super::Failed;
use crate::form::Posted;
use crate::layout::{self, Frame, csrf_input, form_error, submit, typed_input};
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use canopy_app::{App, AppError, PolicyInput, RouteInput};
use canopy_domain::{ListParams, NodeKind, PstnUsage, UsageRef, VoiceKind};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

fn first_page() -> ListParams {
    ListParams { page_size: Some(100), ..ListParams::default() }
}

fn referrer_kind(kind: VoiceKind) -> &'static str {
    match kind {
        VoiceKind::VoiceRoute => "route",
        VoiceKind::VoiceRoutingPolicy => "policy",
        VoiceKind::PstnUsage => "usage",
    }
}

fn usage_names(usages: &[UsageRef]) -> String {
    usages.iter().map(|usage| usage.name.as_str()).collect::<Vec<_>>().join(", ")
}

fn usage_choices(form: &str, usages: &[PstnUsage]) -> Markup {
    html! {
        @if !usages.is_empty() {
            fieldset {
                legend { "PSTN usages" }
                @for usage in usages {
                    label.choice { input type="checkbox" name="usage" value=(usage.id.0) form=(form); " " (usage.name.as_str()) }
                }
            }
        }
    }
}

async fn render(
    app: &App,
    signed: &Signed,
    id: Uuid,
    done: Option<&str>,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let (node, crumbs) = super::node_of(app, signed, NodeKind::Group, id).await?;
    let principal = signed.principal();
    let instance = principal.instance.as_str();
    let usages = app.voice_routing.list_usages(&principal, instance, id, first_page()).await?;
    let routes = app.voice_routing.list_routes(&principal, instance, id, first_page()).await?;
    let policies = app.voice_routing.list_policies(&principal, instance, id, first_page()).await?;
    let mut used_by = Vec::new();
    for usage in &usages.items {
        used_by.push(app.voice_routing.usage_references(&principal, instance, id, usage.id.0).await?);
    }
    let place = Place::Node(NodeKind::Group, id);
    let title = format!("Voice routing of {}", node.name.as_str());
    let frame = Frame { title: &title, signed, place, crumbs };
    let action = |name: &str| place.sub(&format!("voice_routing/{name}"));
    let value = |form: &str, name: &str| Failed::value(failed, form, name, "").to_owned();
    let row_error = failed.filter(|f| f.form.starts_with("delete")).map(|f| &f.problem);
    Ok(layout::page(
        frame,
        html! {
            h1 { (title) }
            (layout::done(done))
            @if let Some(problem) = row_error {
                div.error role="alert" {
                    p { (problem.message) }
                    @if !problem.referrers.is_empty() {
                        ul.blockers { @for referrer in &problem.referrers {
                            li { (referrer_kind(referrer.kind)) " " (referrer.name.as_str()) }
                        } }
                    }
                }
            }
            section aria-labelledby="usages-title" {
                h2 #usages-title { "PSTN usages (" (usages.results) ")" }
                div.scroll { table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Used by" } th scope="col" { "Actions" } } }
                    tbody { @for (usage, referrers) in usages.items.iter().zip(&used_by) { tr {
                        td { (usage.name.as_str()) }
                        td { @if referrers.is_empty() { "nothing" } @else {
                            @for (i, referrer) in referrers.iter().enumerate() {
                                @if i > 0 { ", " } (referrer_kind(referrer.kind)) " " (referrer.name.as_str())
                            }
                        } }
                        td { (delete_button(signed, &action("delete_usage"), usage.id.0)) }
                    } } }
                } }
                form method="post" action=(action("create_usage")) {
                    (csrf_input(signed))
                    @let problem = Failed::of(failed, "usage");
                    (form_error(problem, &["name"]))
                    (typed_input("usage", "New usage's name", "name", "text", &value("usage", "name"), problem))
                    (submit("Add usage"))
                }
            }
            section aria-labelledby="routes-title" {
                h2 #routes-title { "Voice routes (" (routes.results) ")" }
                div.scroll { table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Pattern" } th scope="col" { "Priority" } th scope="col" { "Usages" } th scope="col" { "Actions" } } }
                    tbody { @for route in &routes.items { tr {
                        td { (route.name.as_str()) } td { code { (route.pattern.as_str()) } } td { (route.priority.get()) }
                        td { (usage_names(&route.usages)) }
                        td { (delete_button(signed, &action("delete_route"), route.id.0)) }
                    } } }
                } }
                form #route-form method="post" action=(action("create_route")) {
                    (csrf_input(signed))
                    @let problem = Failed::of(failed, "route");
                    (form_error(problem, &["name", "pattern", "priority"]))
                    (typed_input("route", "Name", "name", "text", &value("route", "name"), problem))
                    (typed_input("route", "Pattern (a regular expression)", "pattern", "text", &value("route", "pattern"), problem))
                    (typed_input("route", "Priority", "priority", "number", &value("route", "priority"), problem))
                    (usage_choices("route-form", &usages.items))
                    (submit("Add route"))
                }
            }
            section aria-labelledby="policies-title" {
                h2 #policies-title { "Voice routing policies (" (policies.results) ")" }
                div.scroll { table {
                    thead { tr { th scope="col" { "Name" } th scope="col" { "Usages" } th scope="col" { "Actions" } } }
                    tbody { @for policy in &policies.items { tr {
                        td { (policy.name.as_str()) } td { (usage_names(&policy.usages)) }
                        td { (delete_button(signed, &action("delete_policy"), policy.id.0)) }
                    } } }
                } }
                form #policy-form method="post" action=(action("create_policy")) {
                    (csrf_input(signed))
                    @let problem = Failed::of(failed, "policy");
                    (form_error(problem, &["name"]))
                    (typed_input("policy", "Name", "name", "text", &value("policy", "name"), problem))
                    (usage_choices("policy-form", &usages.items))
                    (submit("Add policy"))
                }
            }
        },
    ))
}

fn delete_button(signed: &Signed, action: &str, id: i64) -> Markup {
    html! {
        form.inline method="post" action=(action) data-confirm="Delete it?" {
            (csrf_input(signed))
            input type="hidden" name="id" value=(id);
            (submit("Delete"))
        }
    }
}

pub async fn page(
    State(app): State<App>,
    signed: Signed,
    At(kind, id): At,
    Query(q): Query<Done>,
) -> Result<Markup, Problem> {
    if kind != NodeKind::Group {
        return Err(Problem::not_found());
    }
    render(&app, &signed, id, q.done.as_deref(), None).await
}

type Pairs = Vec<(String, String)>;

fn get<'a>(form: &'a Pairs, name: &str) -> &'a str {
    form.iter().find(|(n, _)| n == name).map_or("", |(_, v)| v.as_str())
}

fn number(form: &Pairs, name: &str) -> Result<i64, Problem> {
    get(form, name).trim().parse().map_err(|_| Problem::invalid(name, "must be a whole number"))
}

/// The usages ticked (`usage` once per box).
fn ticked(form: &Pairs) -> Result<Vec<i64>, Problem> {
    form.iter()
        .filter(|(n, _)| n == "usage")
        .map(|(_, v)| v.parse().map_err(|_| Problem::invalid("pstnUsages", "must be ids")))
        .collect()
}

pub async fn act(
    At(kind, id): At,
    Path(params): Path<BTreeMap<String, String>>,
    Posted { app, signed, caller, form }: Posted<Pairs>,
) -> Response {
    if kind != NodeKind::Group {
        return Problem::not_found().into_response();
    }
    let instance = caller.principal.instance.clone();
    let (instance, voice) = (instance.as_str(), &app.voice_routing);
    let action = params.get("action").map(String::as_str).unwrap_or_default();
    let from = |err: AppError| Problem::from(err);
    let (form_name, outcome): (&str, Result<(), Problem>) = match action {
        "create_usage" => {
            ("usage", voice.create_usage(&caller, instance, id, get(&form, "name")).await.map(drop).map_err(from))
        }
        "delete_usage" => (
            "delete",
            match number(&form, "id") {
                Ok(usage) => voice.delete_usage(&caller, instance, id, usage).await.map_err(from),
                Err(problem) => Err(problem),
            },
        ),
        "create_route" => (
            "route",
            async {
                let input = RouteInput {
                    name: get(&form, "name").to_owned(),
                    pattern: get(&form, "pattern").to_owned(),
                    priority: number(&form, "priority")?,
                    pstn_usages: Some(ticked(&form)?),
                };
                voice.create_route(&caller, instance, id, input).await.map(drop).map_err(from)
            }
            .await,
        ),
        "delete_route" => (
            "delete",
            match number(&form, "id") {
                Ok(route) => voice.delete_route(&caller, instance, id, route).await.map_err(from),
                Err(problem) => Err(problem),
            },
        ),
        "create_policy" => (
            "policy",
            async {
                let input =
                    PolicyInput { name: Some(get(&form, "name").to_owned()), pstn_usages: Some(ticked(&form)?) };
                voice.create_policy(&caller, instance, id, input).await.map(drop).map_err(from)
            }
            .await,
        ),
        "delete_policy" => (
            "delete",
            match number(&form, "id") {
                Ok(policy) => voice.delete_policy(&caller, instance, id, policy).await.map_err(from),
                Err(problem) => Err(problem),
            },
        ),
        _ => return Problem::not_found().into_response(),
    };
    match outcome {
        Ok(()) => see_other(&format!("{}?done=saved", Place::Node(kind, id).sub("voice_routing"))),
        Err(problem) => {
            let status = problem.status;
            let values = form.into_iter().filter(|(n, _)| n != "usage").collect();
            let failed = Failed::new(form_name, problem, values);
            super::shown_again(status, render(&app, &signed, id, None, Some(&failed)).await)
        }
    }
}
