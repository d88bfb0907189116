//! A node's branding: its look (the theme among those its theme document allows, and a logo)
//! with a live preview, each document as the app shows it (inherited or its own) editable whole
//! or given back to inheritance, and the stylesheet that gives the console itself the node's
//! colours and logo (`theme.css`, from the effective documents). Every read and write is one
//! `BrandingService` call; the documents' rules (allowed themes, inline images, shapes) are the
//! domain's.

use super::Failed;
use crate::form::Posted;
use crate::layout::{self, Frame, csrf_input, form_error, submit};
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use canopy_app::{App, BrandingQuery};
use canopy_domain::{BrandingKey, NodeKind};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct Done {
    done: Option<String>,
}

const FULL: BrandingQuery = BrandingQuery { full: true, keys: None, search: None };

/// The colour of a theme the console knows by name, or written as `#rrggbb`.
pub fn colour_of(theme: &str) -> Option<String> {
    let named = match theme {
        "blue" => Some("#1f5fbf"),
        "red" => Some("#b3261e"),
        "green" => Some("#1e7b34"),
        "purple" => Some("#6a3fa0"),
        "orange" => Some("#b85c00"),
        "teal" => Some("#00707a"),
        _ => None,
    };
    let hex = theme.len() == 7 && theme.starts_with('#') && theme[1..].bytes().all(|b| b.is_ascii_hexdigit());
    named.map(str::to_owned).or_else(|| hex.then(|| theme.to_ascii_lowercase()))
}

/// A logo the console can show: an inline PNG, JPEG, GIF or WebP image (anything else, a path
/// of the portal or another site, is not this server's and is not referenced).
pub fn inline_logo(image: &Map<String, Value>) -> Option<&str> {
    let logo = image.get("main")?.get("logo")?.as_str()?;
    let (head, data) = logo.split_once(',')?;
    let typed = ["png", "jpeg", "gif", "webp"].iter().any(|t| head == format!("data:image/{t};base64"));
    let clean = data.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
    (typed && clean).then_some(logo)
}

/// The stylesheet of a theme and image document: only values checked above reach it.
fn stylesheet(theme: &Map<String, Value>, image: &Map<String, Value>) -> Response {
    let mut css = String::new();
    if let Some(colour) = theme.get("selected").and_then(Value::as_str).and_then(colour_of) {
        css.push_str(&format!(":root {{ --brand: {colour}; }}\n"));
    }
    if let Some(logo) = inline_logo(image) {
        css.push_str(&format!(".logo {{ background-image: url(\"{logo}\"); }}\n"));
    }
    ([(CONTENT_TYPE, "text/css; charset=utf-8"), (CACHE_CONTROL, "no-store")], css).into_response()
}

/// The console's colours and logo on a node's pages: the node's effective documents.
pub async fn node_theme(State(app): State<App>, signed: Signed, At(kind, id): At) -> Response {
    let principal = signed.principal();
    let instance = principal.instance.as_str();
    let theme = app.branding.get(&principal, instance, kind, id, BrandingKey::Theme, &FULL).await;
    let image = app.branding.get(&principal, instance, kind, id, BrandingKey::Image, &FULL).await;
    stylesheet(&theme.map(|(doc, _)| doc).unwrap_or_default(), &image.map(|(doc, _)| doc).unwrap_or_default())
}

/// On the instance's pages: the instance's own documents (a system administrator's).
pub async fn instance_theme(State(app): State<App>, signed: Signed) -> Response {
    let principal = signed.principal();
    let instance = principal.instance.as_str();
    let theme = app.branding.get_instance(&principal, instance, BrandingKey::Theme, &FULL).await;
    let image = app.branding.get_instance(&principal, instance, BrandingKey::Image, &FULL).await;
    stylesheet(&theme.map(|(doc, _)| doc).unwrap_or_default(), &image.map(|(doc, _)| doc).unwrap_or_default())
}

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
    let instance = principal.instance.as_str();
    let mut documents = Vec::new();
    for key in BrandingKey::ALL {
        let (document, version) = app.branding.get(&principal, instance, kind, id, key, &FULL).await?;
        documents.push((key, document, version));
    }
    let place = Place::Node(kind, id);
    let title = format!("Branding of {}", node.name.as_str());
    let frame = Frame { title: &title, signed, place, crumbs };
    let doc = |key| documents.iter().find(|(k, _, _)| *k == key).expect("every key was read");
    let (_, theme, theme_version) = doc(BrandingKey::Theme);
    let (_, image, image_version) = doc(BrandingKey::Image);
    let (_, general, _) = doc(BrandingKey::General);
    let selected = theme.get("selected").and_then(Value::as_str).unwrap_or_default();
    let allowed: Vec<&str> = theme
        .get("allowed")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let app_title = general.get("appTitle").and_then(Value::as_str).unwrap_or("Canopy");
    let look = Failed::of(failed, "look");
    Ok(layout::page(
        frame,
        html! {
            h1 { (title) }
            (layout::done(done))
            section aria-labelledby="look-title" {
                h2 #look-title { "Look" }
                div.preview data-preview aria-label="Preview" {
                    div.preview-top { span.logo.preview-logo role="img" aria-label="Logo preview" {} span { (app_title) } }
                    p { "How this node's pages look." }
                    button type="button" tabindex="-1" { "A button" }
                }
                form method="post" action=(place.sub("branding")) {
                    (csrf_input(signed))
                    input type="hidden" name="version.theme" value=(theme_version.0);
                    input type="hidden" name="version.image" value=(image_version.0);
                    (form_error(look, &[]))
                    fieldset {
                        legend { "Theme" }
                        @for name in &allowed {
                            label.choice {
                                input type="radio" name="theme" value=(name) checked[*name == selected]
                                    data-colour=[colour_of(name)];
                                " " (name)
                            }
                        }
                    }
                    div.field {
                        label for="logo-file" { "Logo (PNG, JPEG, GIF or WebP, small)" }
                        input #logo-file type="file" accept="image/png,image/jpeg,image/gif,image/webp" data-logo-into="logo";
                        input #logo type="hidden" name="logo" value="";
                        @if inline_logo(image).is_none() { p.hint { "This node shows the default logo." } }
                    }
                    (submit("Save look"))
                }
            }
            @for (key, document, version) in &documents {
                @let form = format!("document-{}", key.as_str());
                @let problem = Failed::of(failed, &form);
                @let text = Failed::value(failed, &form, "document", "");
                @let pretty = serde_json::to_string_pretty(document).unwrap_or_default();
                details.document open[problem.is_some()] {
                    summary { "Document " code { (key.as_str()) } }
                    form method="post" action=(place.sub("branding/document")) {
                        (csrf_input(signed))
                        input type="hidden" name="key" value=(key.as_str());
                        input type="hidden" name="version" value=(version.0);
                        @if let Some(problem) = problem { p.error role="alert" { (problem.message) } }
                        label for={ "doc-" (key.as_str()) } { "JSON (the effective document: its own, or inherited)" }
                        textarea id={ "doc-" (key.as_str()) } name="document" rows="12" spellcheck="false" {
                            @if text.is_empty() { (pretty) } @else { (text) }
                        }
                        div.buttons {
                            button type="submit" name="action" value="save" data-progress="Saving…" { "Save as this node's own" }
                            button type="submit" name="action" value="inherit" data-progress="Working…" { "Inherit again" }
                        }
                    }
                }
            }
        },
    ))
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

async fn answer(
    app: &App,
    signed: &Signed,
    (kind, id): (NodeKind, Uuid),
    outcome: Result<(), Problem>,
    failed: impl FnOnce(Problem) -> Failed,
) -> Response {
    match outcome {
        Ok(()) => see_other(&format!("{}?done=saved", Place::Node(kind, id).sub("branding"))),
        Err(problem) => {
            let status = problem.status;
            super::shown_again(status, render(app, signed, kind, id, None, Some(&failed(problem))).await)
        }
    }
}

/// The look: the theme chosen in the effective theme document, and the logo uploaded in the
/// effective image document, each written only when it changed.
pub async fn save_look(At(kind, id): At, Posted { app, signed, mut caller, form }: Posted<Fields>) -> Response {
    let principal = caller.principal.clone();
    let instance = principal.instance.clone();
    let outcome = async {
        let (mut theme, _) =
            app.branding.get(&principal, instance.as_str(), kind, id, BrandingKey::Theme, &FULL).await?;
        let version = |name: &str| form.get(name).and_then(|v| canopy_domain::parse_version(v));
        if let Some(chosen) =
            form.get("theme").filter(|chosen| theme.get("selected").and_then(Value::as_str) != Some(chosen.as_str()))
        {
            theme.insert("selected".into(), json!(chosen));
            caller.request.expected = version("version.theme");
            app.branding.put(&caller, instance.as_str(), kind, id, BrandingKey::Theme, Value::Object(theme)).await?;
        }
        if let Some(logo) = form.get("logo").filter(|logo| !logo.is_empty()) {
            let (mut image, _) =
                app.branding.get(&principal, instance.as_str(), kind, id, BrandingKey::Image, &FULL).await?;
            let main = image.entry("main").or_insert_with(|| json!({}));
            if let Value::Object(main) = main {
                main.insert("logo".into(), json!(logo));
            }
            caller.request.expected = version("version.image");
            app.branding.put(&caller, instance.as_str(), kind, id, BrandingKey::Image, Value::Object(image)).await?;
        }
        Ok::<_, canopy_app::AppError>(())
    };
    let outcome = outcome.await.map_err(Problem::from);
    answer(&app, &signed, (kind, id), outcome, |problem| Failed::new("look", problem, Fields::new())).await
}

/// One document, saved whole as the node's own, or removed so that the node inherits it again.
pub async fn save_document(At(kind, id): At, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let raw = form.get("key").map(String::as_str).unwrap_or_default();
    let Some(key) = BrandingKey::parse(raw) else {
        return Problem::invalid("key", "is not a branding document").into_response();
    };
    let instance = caller.principal.instance.clone();
    let text = form.get("document").cloned().unwrap_or_default();
    let outcome = match form.get("action").map(String::as_str) {
        Some("inherit") => {
            app.branding.delete(&caller, instance.as_str(), kind, id, key).await.map(drop).map_err(Problem::from)
        }
        _ => match serde_json::from_str::<Value>(&text) {
            Ok(document) => app
                .branding
                .put(&caller, instance.as_str(), kind, id, key, document)
                .await
                .map(drop)
                .map_err(Problem::from),
            Err(err) => Err(Problem::invalid("document", format!("is not JSON: {err}"))),
        },
    };
    let values = Fields::from([("document".to_owned(), text)]);
    answer(&app, &signed, (kind, id), outcome, |problem| {
        Failed::new(format!("document-{}", key.as_str()), problem, values)
    })
    .await
}
