//! The tree: the caller's home (its node, or the instance's groups for a system administrator)
//! and each node's page: breadcrumbs from the caller's home, the node's fields and counters, its
//! children (`children`), and the forms that rename and delete it (`nodes`).

use super::children::{self, ListState, field_input, shown};
use super::{Failed, label_of, plural_of};
use crate::layout::{self, Frame, csrf_input, form_error, submit};
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use canopy_app::App;
use canopy_domain::{AdminAction, Attributes, KindCounts, Node, NodeKind, Permission, SubtreeCounts};
use maud::{Markup, html};

/// The caller's home: its own node, or the instance for a system administrator.
pub async fn home(State(app): State<App>, signed: Signed, Query(state): Query<ListState>) -> Result<Response, Problem> {
    match Place::home_of(&signed.principal()) {
        Place::Instance => Ok(render_instance(&app, &signed, &state, None).await?.into_response()),
        home => Ok(see_other(&home.url())),
    }
}

pub async fn render_instance(
    app: &App,
    signed: &Signed,
    state: &ListState,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let principal = signed.principal();
    let children = children::section(app, signed, Place::Instance, state, failed).await?;
    let frame = Frame { title: "Instance", signed, place: Place::Instance, crumbs: vec![] };
    Ok(layout::page(
        frame,
        html! {
            h1 { "Instance " (principal.instance.as_str()) }
            (layout::done(state.done.as_deref()))
            @if signed.principal().grants(Permission::Admins(None, AdminAction::List)) {
                p { a href="/console/admins" { "System administrators" } }
            }
            (children)
        },
    ))
}

pub async fn node(
    State(app): State<App>,
    signed: Signed,
    at: At,
    Query(state): Query<ListState>,
) -> Result<Markup, Problem> {
    render_node(&app, &signed, at.0, at.1, &state, None).await
}

/// The trail from the caller's home (the instance for a system administrator) down to `node`.
pub async fn crumbs(app: &App, signed: &Signed, node: &Node) -> Vec<(String, String)> {
    let principal = signed.principal();
    let ancestors = node.lineage.ancestors();
    let (mut trail, start) = match principal.home {
        None => (vec![("Instance".to_owned(), "/console/".to_owned())], 0),
        Some(home) => (vec![], ancestors.iter().position(|(_, id)| *id == home).unwrap_or(ancestors.len())),
    };
    for (kind, id) in &ancestors[start..] {
        // Each ancestor is read as the caller (so only what it reaches is named).
        if let Ok(view) = app.nodes.get(&principal, principal.instance.as_str(), *kind, id.0).await {
            trail.push((format!("{} {}", kind.title(), view.node.name.as_str()), Place::Node(*kind, id.0).url()));
        }
    }
    trail.push((format!("{} {}", node.kind.title(), node.name.as_str()), Place::Node(node.kind, node.id.0).url()));
    trail
}

pub async fn render_node(
    app: &App,
    signed: &Signed,
    kind: NodeKind,
    id: uuid::Uuid,
    state: &ListState,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let principal = signed.principal();
    let view = app.nodes.get(&principal, principal.instance.as_str(), kind, id).await?;
    let node = view.node;
    let place = Place::Node(kind, id);
    let children = children::section(app, signed, place, state, failed).await?;
    let title = format!("{} {}", kind.title(), node.name.as_str());
    let frame = Frame { title: &title, signed, place, crumbs: crumbs(app, signed, &node).await };
    let profile = signed.principal();
    Ok(layout::page(
        frame,
        html! {
            h1 { span.kind { (kind.title()) } " " (node.name.as_str()) }
            (layout::done(state.done.as_deref()))
            (summary(&node, &view.subtree))
            (children)
            @if profile.grants(Permission::Update(kind)) { (rename_form(signed, &node, failed)) }
            @if profile.grants(Permission::Delete(kind)) { (delete_form(signed, &node, failed)) }
        },
    ))
}

fn summary(node: &Node, subtree: &SubtreeCounts) -> Markup {
    let wire = node.attributes.to_wire();
    let below: Vec<NodeKind> = KindCounts::COUNTED.into_iter().filter(|counted| *counted > node.kind).collect();
    html! {
        section.summary aria-label="Details" {
            dl {
                dt { "UUID" } dd { code { (node.id) } }
                @for field in Attributes::fields(node.kind) {
                    dt { (label_of(field.name)) } dd { (shown(wire.get(field.name))) }
                }
                dt { "Version" } dd { (node.version.0) }
            }
            @if !below.is_empty() {
                ul.counters aria-label="Below this node" {
                    @for counted in below {
                        li { span.count { (subtree.get(counted)) } " " (plural_of(counted)) }
                    }
                }
            }
        }
    }
}

fn rename_form(signed: &Signed, node: &Node, failed: Option<&Failed>) -> Markup {
    let form = "rename";
    let problem = Failed::of(failed, form);
    let wire = node.attributes.to_wire();
    let fields = Attributes::fields(node.kind);
    let name = node.kind.name_rule().field();
    let names: Vec<&str> = std::iter::once(name).chain(fields.iter().map(|f| f.name)).collect();
    html! {
        details.edit open[problem.is_some()] {
            summary { "Rename or edit" }
            form method="post" action=(Place::Node(node.kind, node.id.0).sub("rename")) {
                (csrf_input(signed))
                input type="hidden" name="version" value=(node.version.0);
                (form_error(problem, &names))
                (layout::input(form, &super::label_of(name), name, Failed::value(failed, form, name, node.name.as_str()), problem))
                @for field in fields {
                    @let current = shown(wire.get(field.name));
                    (field_input(form, field, Failed::value(failed, form, field.name, &current), problem))
                }
                (submit("Save"))
            }
        }
    }
}

fn delete_form(signed: &Signed, node: &Node, failed: Option<&Failed>) -> Markup {
    let problem = Failed::of(failed, "delete");
    let place = Place::Node(node.kind, node.id.0);
    html! {
        section.danger aria-labelledby="delete-title" {
            h2 #delete-title { "Delete this " (node.kind.as_str().replace('_', " ")) }
            @if let Some(problem) = problem {
                div.error role="alert" {
                    p { (problem.message) }
                    @if let Some(blockers) = problem.blockers {
                        p { "It still holds:" }
                        ul.blockers {
                            @for kind in KindCounts::COUNTED.into_iter().filter(|kind| blockers.get(*kind) > 0) {
                                li { a href={ (place.url()) "?kind=" (kind.plural()) } {
                                    (blockers.get(kind)) " " (plural_of(kind))
                                } }
                            }
                        }
                    }
                }
            }
            form method="post" action=(place.sub("delete")) data-confirm="Delete this node for good?" {
                (csrf_input(signed))
                (submit("Delete"))
            }
        }
    }
}
