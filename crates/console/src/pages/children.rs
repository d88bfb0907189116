//! The children of a place: a list per kind the place may hold (the creation rules), searched,
//! sorted and paged by the app's one list (`NodeService::list`, `next` tokens included), and a
//! form to create each kind the caller may create, with the fields its kind carries
//! ([`Attributes::fields`]): a new level of the domain shows up here without a change.

use super::{Failed, label_of, plural_of};
use crate::layout::{csrf_input, form_error, submit};
use crate::place::Place;
use crate::problem::Problem;
use crate::session::Signed;
use canopy_app::App;
use canopy_domain::{Attributes, Field, Holder, JsonType, ListParams, Node, NodeKind, NodeSort, Permission};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};

/// The list's state, as the page's query carries it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ListState {
    pub kind: Option<String>,
    pub search: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
    pub next: Option<String>,
    pub done: Option<String>,
}

const PAGE_SIZES: [u64; 4] = [10, 20, 50, 100];

/// The kinds `place` may hold.
pub fn holdable(place: Place) -> &'static [NodeKind] {
    match place {
        Place::Instance => Holder::Instance.may_hold(),
        Place::Node(kind, _) => kind.may_hold(),
    }
}

/// The lists and creation forms of `place`'s children.
pub async fn section(
    app: &App,
    signed: &Signed,
    place: Place,
    state: &ListState,
    failed: Option<&Failed>,
) -> Result<Markup, Problem> {
    let profile = signed.principal();
    let listed: Vec<NodeKind> =
        holdable(place).iter().copied().filter(|kind| profile.grants(Permission::List(*kind))).collect();
    let Some(first) = listed.first().copied() else { return Ok(html! {}) };
    let chosen = state.kind.as_deref().and_then(|raw| listed.iter().copied().find(|k| k.plural() == raw));
    let kind = chosen.unwrap_or(first);
    let params = ListParams {
        search: state.search.clone().filter(|s| !s.is_empty()),
        sort: state.sort.clone().filter(|s| !s.is_empty()),
        dir: state.dir.clone().filter(|s| !s.is_empty()),
        page: state.page,
        page_size: state.page_size,
        next: state.next.clone().filter(|s| !s.is_empty()),
    };
    let principal = signed.principal();
    let page = app.nodes.list(&principal, principal.instance.as_str(), place.node(), kind, params).await;
    let (page, refused) = match page {
        Ok(page) => (Some(page), None),
        Err(err) => (None, Some(Problem::from(err))),
    };
    let creatable = holdable(place).iter().copied().filter(|kind| profile.grants(Permission::Create(*kind)));
    Ok(html! {
        section.children aria-labelledby="children-title" {
            h2 #children-title { "Children" }
            @if listed.len() > 1 {
                nav.kinds aria-label="Kinds of children" {
                    @for other in &listed {
                        a href={ (place.url()) "?kind=" (other.plural()) } aria-current=[(*other == kind).then_some("true")] {
                            (label_of(&plural_of(*other)))
                        }
                    }
                }
            }
            (search_form(place, kind, state))
            @if let Some(problem) = &refused { p.error role="alert" { (problem.message) } }
            @if let Some(page) = &page {
                (table(kind, &page.items))
                nav.pager aria-label="Pages" {
                    span { "Page " (page.page) " of " (page.pages) " · " (page.results) @if page.results_capped { "+" } " " (plural_of(kind)) }
                    @if page.page > 1 {
                        a rel="prev" href=(page_link(place, kind, state, Some(page.page - 1), None)) { "Previous" }
                    }
                    @if let Some(next) = &page.next {
                        a rel="next" href=(page_link(place, kind, state, None, Some(next))) { "Next" }
                    }
                }
            }
            @for kind in creatable { (create_form(signed, place, kind, failed)) }
        }
    })
}

fn search_form(place: Place, kind: NodeKind, state: &ListState) -> Markup {
    let sort = state.sort.as_deref().unwrap_or("name");
    let dir = state.dir.as_deref().unwrap_or("asc");
    let size = state.page_size.unwrap_or(20);
    html! {
        form.search method="get" action=(place.url()) role="search" {
            input type="hidden" name="kind" value=(kind.plural());
            div.field {
                label for="search" { "Search " (plural_of(kind)) }
                input #search type="search" name="search" value=(state.search.as_deref().unwrap_or_default());
            }
            div.field {
                label for="sort" { "Sort by" }
                select #sort name="sort" {
                    @for field in NodeSort::searchable_fields(kind) {
                        option value=(field.as_str()) selected[field.as_str() == sort] { (label_of(field.as_str())) }
                    }
                }
            }
            div.field {
                label for="dir" { "Order" }
                select #dir name="dir" {
                    option value="asc" selected[dir == "asc"] { "Ascending" }
                    option value="desc" selected[dir == "desc"] { "Descending" }
                }
            }
            div.field {
                label for="page_size" { "Per page" }
                select #page_size name="page_size" {
                    @for n in PAGE_SIZES { option value=(n) selected[n == size] { (n) } }
                }
            }
            button type="submit" { "Search" }
        }
    }
}

/// The link to another page of the list: a page number (with the query), or the next token
/// (which carries the query itself).
fn page_link(place: Place, kind: NodeKind, state: &ListState, page: Option<u64>, next: Option<&str>) -> String {
    let query = match next {
        Some(next) => ListState { kind: Some(kind.plural().into()), next: Some(next.into()), ..ListState::default() },
        None => ListState { kind: Some(kind.plural().into()), page, next: None, done: None, ..state.clone() },
    };
    format!("{}?{}", place.url(), serde_urlencoded::to_string(&query).unwrap_or_default())
}

fn table(kind: NodeKind, nodes: &[Node]) -> Markup {
    let fields = Attributes::fields(kind);
    html! {
        @if nodes.is_empty() {
            p.empty { "No " (plural_of(kind)) " here." }
        } @else {
            div.scroll {
                table {
                    thead { tr { th scope="col" { "Name" } @for field in fields { th scope="col" { (label_of(field.name)) } } } }
                    tbody {
                        @for node in nodes {
                            @let wire = node.attributes.to_wire();
                            tr {
                                td { a href=(Place::Node(kind, node.id.0).url()) { (node.name.as_str()) } }
                                @for field in fields { td { (shown(wire.get(field.name))) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// An attribute's value as text.
pub fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

fn create_form(signed: &Signed, place: Place, kind: NodeKind, failed: Option<&Failed>) -> Markup {
    let form = format!("create-{}", kind.plural());
    let problem = Failed::of(failed, &form);
    // The name is the kind's identifier where it has one (`groupId`, `userId`).
    let name = kind.name_rule().field();
    let names: Vec<&str> = std::iter::once(name).chain(Attributes::fields(kind).iter().map(|f| f.name)).collect();
    html! {
        details.create open[problem.is_some()] {
            summary { "New " (label_of(kind.as_str()).replace('_', " ").to_lowercase()) }
            form method="post" action=(place.sub("children")) {
                (csrf_input(signed))
                input type="hidden" name="kind" value=(kind.plural());
                (form_error(problem, &names))
                (attribute_input(&form, name, &label_of(name), JsonType::String, Failed::value(failed, &form, name, ""), problem, ""))
                @for field in Attributes::fields(kind) {
                    (field_input(&form, field, Failed::value(failed, &form, field.name, ""), problem))
                }
                (submit(&format!("Create {}", kind.as_str().replace('_', " "))))
            }
        }
    }
}

/// The input of one of a kind's fields.
pub fn field_input(form: &str, field: &Field, value: &str, problem: Option<&Problem>) -> Markup {
    let label = if field.required { label_of(field.name) } else { format!("{} (optional)", label_of(field.name)) };
    attribute_input(form, field.name, &label, field.json_type, value, problem, field.description)
}

fn attribute_input(
    form: &str,
    name: &str,
    label: &str,
    json_type: JsonType,
    value: &str,
    problem: Option<&Problem>,
    hint: &str,
) -> Markup {
    let id = format!("{form}-{name}");
    let error = problem.filter(|problem| problem.is_about(name));
    let described: Vec<String> =
        [(!hint.is_empty()).then(|| format!("{id}-hint")), error.map(|_| format!("{id}-error"))]
            .into_iter()
            .flatten()
            .collect();
    let described = (!described.is_empty()).then(|| described.join(" "));
    let kind = match json_type {
        JsonType::String | JsonType::Object => "text",
        JsonType::Integer { .. } => "number",
    };
    html! {
        div.field {
            label for=(id) { (label) }
            input id=(id) name=(name) type=(kind) value=(value)
                aria-invalid=[error.map(|_| "true")] aria-describedby=[described];
            @if !hint.is_empty() { p.hint id={ (id) "-hint" } { (hint) } }
            @if let Some(problem) = error { p.error id={ (id) "-error" } role="alert" { (problem.message) } }
        }
    }
}
