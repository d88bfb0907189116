//! The console's pages, one module per area; each handler reads through, or changes through, one
//! app service method (as the API's handler for the same thing does) and renders the answer.

pub mod admins;
pub mod audit;
pub mod auth;
pub mod branding;
mod children;
pub mod configuration;
pub mod nodes;
pub mod tree;
pub mod voice_routing;

use crate::problem::Problem;
use std::collections::BTreeMap;

/// A form the service refused: which one, why, and what was typed (shown again, but for
/// passwords, which are never sent back).
pub struct Failed {
    pub form: String,
    pub problem: Problem,
    pub values: BTreeMap<String, String>,
}

impl Failed {
    pub fn new(form: impl Into<String>, problem: Problem, values: BTreeMap<String, String>) -> Self {
        Self { form: form.into(), problem, values }
    }

    /// The refusal, when it is of `form`.
    pub fn of<'a>(failed: Option<&'a Self>, form: &str) -> Option<&'a Problem> {
        failed.filter(|failed| failed.form == form).map(|failed| &failed.problem)
    }

    /// What was typed in `form`'s `name`, else `default`.
    pub fn value<'a>(failed: Option<&'a Self>, form: &str, name: &str, default: &'a str) -> &'a str {
        let typed = failed.filter(|failed| failed.form == form).and_then(|failed| failed.values.get(name));
        typed.map_or(default, String::as_str)
    }
}

/// A wire name for people: `tenantId` is "Tenant id".
pub fn label_of(name: &str) -> String {
    let mut label = String::new();
    for (i, c) in name.chars().enumerate() {
        match (i, c.is_uppercase()) {
            (0, _) => label.extend(c.to_uppercase()),
            (_, true) => {
                label.push(' ');
                label.extend(c.to_lowercase());
            }
            _ => label.push(c),
        }
    }
    label
}

/// A kind's plural for people: `site_groups` is "site groups".
pub fn plural_of(kind: canopy_domain::NodeKind) -> String {
    kind.plural().replace('_', " ")
}

/// A form with nothing but its CSRF token.
#[derive(serde::Deserialize)]
pub struct Nothing {}

/// The node a page is about, read as the caller (one outside its subtree is not found), and the
/// breadcrumbs to it.
pub async fn node_of(
    app: &canopy_app::App,
    signed: &crate::session::Signed,
    kind: canopy_domain::NodeKind,
    id: uuid::Uuid,
) -> Result<(canopy_domain::Node, Vec<(String, String)>), Problem> {
    let principal = signed.principal();
    let view = app.nodes.get(&principal, principal.instance.as_str(), kind, id).await?;
    let crumbs = tree::crumbs(app, signed, &view.node).await;
    Ok((view.node, crumbs))
}

/// A page shown again after a refusal of one of its forms, answered with the refusal's status.
pub fn shown_again(status: axum::http::StatusCode, page: Result<maud::Markup, Problem>) -> axum::response::Response {
    use axum::response::IntoResponse;
    match page {
        Ok(page) => (status, page).into_response(),
        Err(problem) => problem.into_response(),
    }
}
