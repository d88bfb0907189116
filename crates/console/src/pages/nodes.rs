//! The node forms: create a child (of any kind the place may hold, with its kind's fields),
//! rename or edit a node, delete it. Each is one call of `NodeService`, as the API's handlers
//! make; a refusal shows the page again with the reason next to its cause (a deletion refused
//! lists the children that block it).

use super::children::{ListState, holdable};
use super::tree::{render_instance, render_node};
use super::{Failed, Nothing};
use crate::form::Posted;
use crate::place::{At, Place};
use crate::problem::Problem;
use crate::session::{Signed, see_other};
use axum::response::{IntoResponse, Response};
use canopy_app::{App, NodeInput, NodeUpdate};
use canopy_domain::{Attributes, Field, JsonType, NodeKind};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

type Fields = BTreeMap<String, String>;

/// A field as the service takes it, from its text in the form: a number or an object as JSON
/// when the text reads as one, else the text itself (which the domain then refuses by name).
fn wire_value(field: &Field, text: &str) -> Value {
    let text_value = || Value::String(text.to_owned());
    match field.json_type {
        JsonType::String => text_value(),
        JsonType::Integer { .. } => text.parse::<u64>().map_or_else(|_| text_value(), Value::from),
        JsonType::Object => {
            serde_json::from_str::<Value>(text).ok().filter(Value::is_object).unwrap_or_else(text_value)
        }
    }
}

/// The kind's fields sent with a creation: blank ones are left out.
fn new_attributes(kind: NodeKind, form: &Fields) -> Map<String, Value> {
    let sent = Attributes::fields(kind).iter().filter_map(|field| {
        let text = form.get(field.name).map(|text| text.trim()).filter(|text| !text.is_empty())?;
        Some((field.name.to_owned(), wire_value(field, text)))
    });
    sent.collect()
}

/// The kind's fields sent with a change: a blank one clears what may be cleared and keeps the rest.
fn changed_attributes(kind: NodeKind, form: &Fields) -> Map<String, Value> {
    let sent = Attributes::fields(kind).iter().filter_map(|field| {
        let text = form.get(field.name)?.trim();
        match (text.is_empty(), field.clearable) {
            (true, true) => Some((field.name.to_owned(), Value::Null)),
            (true, false) => None,
            (false, _) => Some((field.name.to_owned(), wire_value(field, text))),
        }
    });
    sent.collect()
}

/// The page of `place` again, with the refusal of one of its forms.
async fn refused(app: &App, signed: &Signed, place: Place, failed: Failed) -> Response {
    let status = failed.problem.status;
    let state = ListState::default();
    let page = match place {
        Place::Instance => render_instance(app, signed, &state, Some(&failed)).await,
        Place::Node(kind, id) => render_node(app, signed, kind, id, &state, Some(&failed)).await,
    };
    super::shown_again(status, page)
}

async fn create_in(place: Place, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let raw = form.get("kind").map(String::as_str).unwrap_or_default();
    let Some(kind) = holdable(place).iter().copied().find(|kind| kind.plural() == raw) else {
        return Problem::invalid("kind", "is not a kind this place holds").into_response();
    };
    let input = NodeInput {
        name: form.get(kind.name_rule().field()).cloned().unwrap_or_default(),
        attributes: new_attributes(kind, &form),
        ..NodeInput::default()
    };
    let instance = caller.principal.instance.clone();
    match app.nodes.create(&caller, instance.as_str(), place.node(), kind, input).await {
        Ok(node) => see_other(&format!("{}?done=created", Place::Node(kind, node.id.0).url())),
        Err(err) => {
            let failed = Failed::new(format!("create-{}", kind.plural()), Problem::from(err), form);
            refused(&app, &signed, place, failed).await
        }
    }
}

/// A group, created in the instance.
pub async fn create_group(posted: Posted<Fields>) -> Response {
    create_in(Place::Instance, posted).await
}

/// A child of the node.
pub async fn create(at: At, posted: Posted<Fields>) -> Response {
    create_in(at.place(), posted).await
}

pub async fn rename(At(kind, id): At, Posted { app, signed, caller, form }: Posted<Fields>) -> Response {
    let name = form.get(kind.name_rule().field()).cloned();
    let update = NodeUpdate { name, attributes: changed_attributes(kind, &form), enabled: None };
    let instance = caller.principal.instance.clone();
    match app.nodes.update(&caller, instance.as_str(), kind, id, update).await {
        Ok(_) => see_other(&format!("{}?done=renamed", Place::Node(kind, id).url())),
        Err(err) => refused(&app, &signed, Place::Node(kind, id), Failed::new("rename", err.into(), form)).await,
    }
}

pub async fn delete(At(kind, id): At, Posted { app, signed, caller, .. }: Posted<Nothing>) -> Response {
    let (principal, instance) = (caller.principal.clone(), caller.principal.instance.clone());
    // Read first, as the caller: where to go once it is gone (its parent, or the instance).
    let node = match app.nodes.get(&principal, instance.as_str(), kind, id).await {
        Ok(view) => view.node,
        Err(err) => return Problem::from(err).into_response(),
    };
    let parent = node.lineage.ancestors().last().map_or(Place::Instance, |(kind, id)| Place::Node(*kind, id.0));
    match app.nodes.delete(&caller, instance.as_str(), kind, id).await {
        Ok(_) => see_other(&format!("{}?done=deleted", parent.url())),
        Err(err) => {
            refused(&app, &signed, Place::Node(kind, id), Failed::new("delete", err.into(), Fields::new())).await
        }
    }
}
