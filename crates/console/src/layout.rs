//! The frame of every page (head, header, navigation, the node's tabs) and the pieces forms are
//! made of: labelled inputs that show a refusal next to the input it is about, the session's
//! CSRF field, a form's own error. Only assets of this server are referenced.

use crate::csrf;
use crate::place::Place;
use crate::problem::Problem;
use crate::session::Signed;
use canopy_domain::{AdminAction, BrandingDoc, NodeKind, Owned, Permission, Verb};
use maud::{DOCTYPE, Markup, html};

/// What frames a page: its title, who is signed in, the place it shows (tabs, breadcrumbs and
/// the node's colours and logo).
pub struct Frame<'a> {
    pub title: &'a str,
    pub signed: &'a Signed,
    pub place: Place,
    /// The node's trail from the caller's home, each `(label, url)`.
    pub crumbs: Vec<(String, String)>,
}

fn head(title: &str, theme: Option<&str>) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Canopy" }
            link rel="stylesheet" href="/console/assets/console.css";
            @if let Some(theme) = theme { link rel="stylesheet" href=(theme); }
            script src="/console/assets/console.js" defer {}
        }
    }
}

/// A page without navigation: sign-in, password links, errors.
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, None))
            body.bare {
                header.top { span.logo role="img" aria-label="Canopy" {} span.app { "Canopy" } }
                main #main { (body) }
            }
        }
    }
}

/// A page of a signed-in administrator.
pub fn page(frame: Frame<'_>, body: Markup) -> Markup {
    let principal = frame.signed.principal();
    let home = Place::home_of(&principal);
    let theme = frame.place.sub("theme.css");
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(frame.title, Some(&theme)))
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    span.logo role="img" aria-label="Logo" {}
                    span.app { "Canopy" }
                    nav.user aria-label="Account" {
                        a href=(home.url()) { "Home" }
                        a href="/console/audit" { "Audit log" }
                        a href="/console/password" { "Password" }
                        form.inline method="post" action="/console/logout" {
                            (csrf_input(frame.signed))
                            button.link type="submit" { "Sign out" }
                        }
                        span.who { (frame.signed.admin.email.as_str()) }
                    }
                }
                @if !frame.crumbs.is_empty() {
                    nav.crumbs aria-label="Breadcrumbs" {
                        ol { @for (label, url) in &frame.crumbs { li { a href=(url) { (label) } } } }
                    }
                }
                @if let Place::Node(kind, _) = frame.place { (tabs(frame.signed, frame.place, kind)) }
                main #main { (body) }
            }
        }
    }
}

/// The pages of a node the caller may see.
fn tabs(signed: &Signed, place: Place, kind: NodeKind) -> Markup {
    let profile = signed.principal();
    let owns =
        |owned: Owned| owned.kinds().contains(&kind) && profile.grants(Permission::Owned(kind, owned, Verb::List));
    let Place::Node(_, id) = place else { return html! {} };
    html! {
        nav.tabs aria-label="Pages of this node" {
            a href=(place.url()) { "Overview" }
            @if profile.grants(Permission::Admins(Some(kind), AdminAction::List)) {
                a href=(place.sub("admins")) { "Administrators" }
            }
            @if owns(Owned::GeneralConfig) { a href=(place.sub("configuration")) { "Configuration" } }
            @if owns(Owned::Branding(BrandingDoc::General)) { a href=(place.sub("branding")) { "Branding" } }
            @if owns(Owned::PstnUsages) { a href=(place.sub("voice_routing")) { "Voice routing" } }
            a href={ "/console/audit?node=" (id) } { "Audit log" }
        }
    }
}

/// The hidden field that proves a form comes from this session's pages.
pub fn csrf_input(signed: &Signed) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(signed.csrf()); }
}

/// A labelled text input of `form`; a refusal about it is shown right after it.
pub fn input(form: &str, label: &str, name: &str, value: &str, failed: Option<&Problem>) -> Markup {
    typed_input(form, label, name, "text", value, failed)
}

/// A labelled input of some type (`email`, `password`, `number` ...).
pub fn typed_input(form: &str, label: &str, name: &str, kind: &str, value: &str, failed: Option<&Problem>) -> Markup {
    let id = format!("{form}-{name}");
    let error = failed.filter(|problem| problem.is_about(name));
    let error_id = format!("{id}-error");
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value)
                aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())];
            @if let Some(problem) = error { p.error id=(error_id) role="alert" { (problem.message) } }
        }
    }
}

/// A refusal of a form that names none of its inputs, shown at the top of the form.
pub fn form_error(failed: Option<&Problem>, fields: &[&str]) -> Markup {
    match failed.filter(|problem| problem.field.as_deref().is_none_or(|field| !fields.contains(&field))) {
        Some(problem) => html! { p.error role="alert" { (problem.message) } },
        None => html! {},
    }
}

/// A confirmation of what the last form did, from the page's `done` parameter (a fixed set of
/// messages: the parameter never puts text of its own on the page).
pub fn done(done: Option<&str>) -> Markup {
    let message = match done {
        Some("created") => "Created.",
        Some("renamed") => "Saved.",
        Some("deleted") => "Deleted.",
        Some("saved") => "Saved.",
        Some("invited") => "Invited: the administrator was e-mailed an activation link.",
        Some("welcomed") => "The welcome e-mail was sent again.",
        Some("removed") => "Removed.",
        Some("password") => "Your password was changed.",
        Some("signed_out") => "You are signed out.",
        Some("password_set") => "Your password is set: sign in with it.",
        _ => return html! {},
    };
    html! { p.done role="status" { (message) } }
}

/// A submit button; `slow` marks one whose action takes a while (the script shows progress).
pub fn submit(label: &str) -> Markup {
    html! { button type="submit" data-progress="Working…" { (label) } }
}
