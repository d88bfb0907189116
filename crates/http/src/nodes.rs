//! Handlers of the node routes, one set for every kind: the route table passes the kind in.

use crate::caller::Acting;
use crate::dto::{CreateBody, ListQueryParams, NodeBody, UpdateBody, UuidBody};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Authenticated};
use crate::versioning::tagged;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use canopy_app::App;
use canopy_domain::{CreationRule, NodeKind};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// Where a node is created or listed: the instance (groups) or a parent node.
#[derive(Debug, Clone, Copy)]
pub struct Under {
    pub parent: Option<NodeKind>,
    pub kind: NodeKind,
}

impl Under {
    fn parent_of(self, id: Option<Uuid>) -> Option<(NodeKind, Uuid)> {
        self.parent.zip(id)
    }
}

/// The path of a collection: the instance, and the parent's uuid below the instance.
#[derive(Debug, Deserialize)]
pub struct NodePath {
    draas_instance: String,
    uuid: Option<Uuid>,
}

pub async fn create<B: CreateBody>(
    under: Under,
    app: App,
    Acting(caller): Acting,
    path: NodePath,
    body: B,
) -> Result<Response, ApiError> {
    let parent = under.parent_of(path.uuid);
    let node = app.nodes.create(&caller, &path.draas_instance, parent, under.kind, body.into_input()).await?;
    Ok(tagged(node.version, Json(UuidBody { uuid: node.id.0, version: Some(node.version.0) })))
}

pub async fn list(
    under: Under,
    app: App,
    caller: Authenticated,
    path: NodePath,
    query: ListQueryParams,
) -> Result<Json<Value>, ApiError> {
    let parent = under.parent_of(path.uuid);
    let page = app.nodes.list(&caller.principal, &path.draas_instance, parent, under.kind, query.into()).await?;
    let items: Vec<NodeBody> = page.items.into_iter().map(NodeBody::summary).collect();
    let mut body = Map::new();
    body.insert("page".into(), page.page.into());
    body.insert("pages".into(), page.pages.into());
    body.insert("results".into(), page.results.into());
    if let Some(next) = page.next {
        body.insert("next".into(), next.into());
    }
    body.insert(under.kind.plural().into(), json!(items));
    Ok(Json(Value::Object(body)))
}

pub async fn read(
    kind: NodeKind,
    State(app): State<App>,
    caller: Authenticated,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
) -> Result<Response, ApiError> {
    let view = app.nodes.get(&caller.principal, &instance, kind, id).await?;
    Ok(tagged(view.node.version, Json(NodeBody::detailed(view.node, view.subtree))))
}

pub async fn update<B: UpdateBody>(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
    ApiJson(body): ApiJson<B>,
) -> Result<Response, ApiError> {
    let node = app.nodes.update(&caller, &instance, kind, id, body.into_update()).await?;
    Ok(tagged(node.version, Json(UuidBody { uuid: id, version: Some(node.version.0) })))
}

/// Deleting answers 200 with the uuid whether or not the node existed (the spec's idempotence).
pub async fn delete(
    kind: NodeKind,
    State(app): State<App>,
    Acting(caller): Acting,
    ApiPath((instance, id)): ApiPath<(String, Uuid)>,
) -> Result<Json<UuidBody>, ApiError> {
    app.nodes.delete(&caller, &instance, kind, id).await?;
    Ok(Json(UuidBody { uuid: id, version: None }))
}

pub async fn rules(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(instance): ApiPath<String>,
) -> Result<Json<Value>, ApiError> {
    let rules: &[CreationRule] = app.nodes.rules(&caller.principal, &instance)?;
    let creation: Map<String, Value> =
        rules.iter().map(|rule| (rule.holder.as_str().to_owned(), json!(rule.may_hold))).collect();
    Ok(Json(json!({ "creation": creation })))
}
