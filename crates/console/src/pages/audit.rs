//! The audit log of the caller's subtree, newest first (`AuditService::list`: the store cuts it
//! to the subtree), optionally narrowed to one node's, paged by the log's `next` tokens.

use crate::layout::{self, Frame};
use crate::place::Place;
use crate::problem::Problem;
use crate::session::Signed;
use axum::extract::{Query, State};
use canopy_app::App;
use canopy_domain::{Outcome, format_datetime};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Deserialize, Serialize, Default)]
pub struct AuditQuery {
    node: Option<Uuid>,
    next: Option<String>,
    page: Option<u64>,
}

pub async fn page(State(app): State<App>, signed: Signed, Query(query): Query<AuditQuery>) -> Result<Markup, Problem> {
    let principal = signed.principal();
    let instance = principal.instance.as_str();
    let next = query.next.as_deref().filter(|next| !next.is_empty());
    let log = app.audit.list(&principal, instance, query.node, query.page, Some(25), next).await?;
    let frame = Frame { title: "Audit log", signed: &signed, place: Place::home_of(&principal), crumbs: vec![] };
    let link =
        |query: &AuditQuery| format!("/console/audit?{}", serde_urlencoded::to_string(query).unwrap_or_default());
    Ok(layout::page(
        frame,
        html! {
            h1 { "Audit log" }
            @if let Some(node) = query.node { p { "Changes in the subtree of node " code { (node) } ". " a href="/console/audit" { "All changes" } } }
            @if log.items.is_empty() { p.empty { "Nothing recorded yet." } } @else {
                div.scroll { table.audit {
                    thead { tr {
                        th scope="col" { "When (UTC)" } th scope="col" { "Who" } th scope="col" { "Action" }
                        th scope="col" { "Request" } th scope="col" { "Outcome" }
                    } }
                    tbody { @for entry in &log.items { tr {
                        td { (format_datetime(entry.at)) }
                        td { (entry.actor.email) }
                        td { code { (entry.action) } }
                        td { (entry.method) " " code { (entry.path) } }
                        td {
                            @match entry.outcome { Outcome::Applied => "applied", Outcome::Refused => "refused" }
                            @if let Some(reason) = &entry.reason { ": " (reason) }
                        }
                    } } }
                } }
            }
            nav.pager aria-label="Pages" {
                span { "Page " (log.page) " of " (log.pages) " · " (log.results) @if log.results_capped { "+" } " changes" }
                @if log.page > 1 { a rel="prev" href=(link(&AuditQuery { node: query.node, next: None, page: Some(log.page - 1) })) { "Previous" } }
                @if let Some(next) = &log.next { a rel="next" href=(link(&AuditQuery { node: query.node, next: Some(next.clone()), page: None })) { "Next" } }
            }
        },
    ))
}
