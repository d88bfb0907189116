//! A node's general configuration: every property in one form, secrets shown masked (the app
//! masks them; the mask sent back keeps the stored value, the domain's rule), saved as one
//! replacement of the document (`ConfigService::write` with `WriteMode::Replace`) on the version
//! the form was filled on, so rows removed and added commit together or not at all.

use super::Failed;
use crate::form::Posted;
use crate::layout::{self, Frame, csrf_input, form_error, submit};
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::extract::{Query, State};
use axum::response::Response;
use canopy_app::App;
use canopy_domain::{NodeKind, Owned, Permission, PropertyValue, ValueType, Verb, WriteMode, is_secret};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Number, Value};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

const TYPES: [ValueType; 3] = [ValueType::String, ValueType::Number, ValueType::Boolean];

async fn render(
    app: &App,
    signed: &Signed,
    kind: NodeKind,
    id: Uuid,
    done: Option<&str>,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let (node, crumbs) = super::node_of(app, signed, kind, id).await?;
    let principal = signed.principal();
    let (properties, version) =
        app.configurations.get(&principal, principal.instance.as_str(), kind, id, None, None).await?;
    let may_change = signed.principal().grants(Permission::Owned(kind, Owned::GeneralConfig, Verb::Update));
    let problem = Failed::of(failed, "configuration");
    let keys: Vec<&str> = properties.iter().map(|(key, _)| key.as_str()).collect();
    let title = format!("Configuration of {}", node.name.as_str());
    let frame = Frame { title: &title, signed, place: Place::Node(kind, id), crumbs };
    Ok(layout::page(
        frame,
        html! {
            h1 { (title) }
            (layout::done(done))
            p { "Secret values (keys containing “password” or “token”) are shown masked; leave the mask to keep the stored value." }
            form method="post" action=(Place::Node(kind, id).sub("configuration")) {
                (csrf_input(signed))
                input type="hidden" name="version" value=(version.0);
                (form_error(problem, &keys))
                div.scroll { table.properties {
                    thead { tr { th scope="col" { "Key" } th scope="col" { "Type" } th scope="col" { "Value" } th scope="col" { "Remove" } } }
                    tbody {
                        @for (i, (key, value)) in properties.iter().enumerate() {
                            @let error = problem.filter(|p| p.is_about(key.as_str()));
                            tr {
                                th scope="row" { code { (key.as_str()) } input type="hidden" name={ "key." (i) } value=(key.as_str()); }
                                td { (value.value_type().as_str()) input type="hidden" name={ "type." (i) } value=(value.value_type().as_str()); }
                                td {
                                    (value_input(&format!("value.{i}"), key.as_str(), value, error.is_some()))
                                    @if let Some(error) = error { p.error id={ "value." (i) "-error" } role="alert" { (error.message) } }
                                }
                                td { input type="checkbox" name={ "delete." (i) } value="1" aria-label={ "Remove " (key.as_str()) }; }
                            }
                        }
                        @let new_key = Failed::value(failed, "configuration", "key.new", "");
                        @let error = problem.filter(|p| !new_key.is_empty() && p.is_about(new_key.trim()));
                        tr.new {
                            td { input name="key.new" value=(new_key) aria-label="New key" placeholder="new key"; }
                            td { select name="type.new" aria-label="New value's type" { @for t in TYPES { option value=(t.as_str()) { (t.as_str()) } } } }
                            td {
                                input name="value.new" value=(Failed::value(failed, "configuration", "value.new", "")) aria-label="New value";
                                @if let Some(error) = error { p.error role="alert" { (error.message) } }
                            }
                            td {}
                        }
                    }
                } }
                @if may_change { (submit("Save configuration")) }
            }
        },
    ))
}

fn value_input(name: &str, key: &str, value: &PropertyValue, invalid: bool) -> Markup {
    let shown = match value.to_json() {
        Value::String(text) => text,
        other => other.to_string(),
    };
    let kind = if is_secret(key) { "password" } else { "text" };
    html! {
        @if value.value_type() == ValueType::Boolean {
            select name=(name) aria-label={ "Value of " (key) } {
                option value="true" selected[shown == "true"] { "true" }
                option value="false" selected[shown == "false"] { "false" }
            }
        } @else {
            input name=(name) type=(kind) value=(shown) aria-label={ "Value of " (key) } autocomplete="off"
                aria-invalid=[invalid.then_some("true")];
        }
    }
}

pub async fn page(
    State(app): State<App>,
    signed: Signed,
    At(kind, id): At,
    Query(q): Query<Done>,
) -> Result<Markup, Problem> {
    render(&app, &signed, kind, id, q.done.as_deref(), None).await
}

type Fields = BTreeMap<String, String>;

/// A value's text as its type says; a number that is not one is refused next to its key.
fn typed(key: &str, kind: &str, text: &str) -> Result<Value, Problem> {
    match kind {
        "number" => {
            text.trim().parse::<Number>().map(Value::Number).map_err(|_| Problem::invalid(key, "must be a number"))
        }
        "boolean" => Ok(Value::Bool(text == "true")),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// The properties the form keeps: its rows not marked for removal, and the new row when keyed.
fn properties(form: &Fields) -> Result<Vec<(String, Value)>, Problem> {
    let mut kept = Vec::new();
    for (name, key) in form.iter().filter(|(name, _)| name.starts_with("key.")) {
        let row = &name["key.".len()..];
        if form.contains_key(&format!("delete.{row}")) || (row == "new" && key.trim().is_empty()) {
            continue;
        }
        let field = |what: &str| form.get(&format!("{what}.{row}")).map(String::as_str).unwrap_or_default();
        let key = key.trim();
        kept.push((key.to_owned(), typed(key, field("type"), field("value"))?));
    }
    Ok(kept)
}

pub async fn save(At(kind, id): At, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let written = match properties(&form) {
        Ok(properties) => {
            let instance = caller.principal.instance.clone();
            let write = app.configurations.write(&caller, instance.as_str(), kind, id, WriteMode::Replace, properties);
            write.await.map_err(Problem::from)
        }
        Err(problem) => Err(problem),
    };
    match written {
        Ok(_) => see_other(&format!("{}?done=saved", Place::Node(kind, id).sub("configuration"))),
        Err(problem) => {
            let status = problem.status;
            let failed = Failed::new(
                "configuration",
                problem,
                form.into_iter().filter(|(name, _)| name.ends_with(".new")).collect(),
            );
            super::shown_again(status, render(&app, &signed, kind, id, None, Some(&failed)).await)
        }
    }
}
