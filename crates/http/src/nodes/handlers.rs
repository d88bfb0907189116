//! Handlers of the node routes, one set for every kind: the routes pass the kind in.

use super::bodies::{CreateBody, CreationRules, NodeBody, UpdateBody, UuidBody};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Reading};
use crate::list::{ListBody, ListQueryParams};
use crate::versioning::tagged;
use axum::Json;
use axum::response::Response;
use canopy_domain::NodeKind;
use serde::Deserialize;
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
    Changing { app, caller, path }: Changing<NodePath>,
    ApiJson(body): ApiJson<B>,
) -> Result<Response, ApiError> {
    let parent = under.parent_of(path.uuid);
    let node = app.nodes.create(&caller, &path.draas_instance, parent, under.kind, body.into_input()).await?;
    Ok(UuidBody::answer(node.id.0, node.version))
}

pub async fn list(
    under: Under,
    Reading { app, caller, path }: Reading<NodePath>,
    ApiQuery(query): ApiQuery<ListQueryParams>,
) -> Result<Json<ListBody<NodeBody>>, ApiError> {
    let parent = under.parent_of(path.uuid);
    let page = app.nodes.list(&caller.principal, &path.draas_instance, parent, under.kind, query.into()).await?;
    Ok(Json(ListBody::new(under.kind.plural(), page)))
}

pub async fn read(
    kind: NodeKind,
    Reading { app, caller, path: (instance, id) }: Reading<(String, Uuid)>,
) -> Result<Response, ApiError> {
    let view = app.nodes.get(&caller.principal, &instance, kind, id).await?;
    Ok(tagged(view.node.version, Json(NodeBody::detailed(view.node, view.subtree))))
}

pub async fn update<B: UpdateBody>(
    kind: NodeKind,
    Changing { app, caller, path: (instance, id) }: Changing<(String, Uuid)>,
    ApiJson(body): ApiJson<B>,
) -> Result<Response, ApiError> {
    let node = app.nodes.update(&caller, &instance, kind, id, body.into_update()).await?;
    Ok(UuidBody::answer(id, node.version))
}

/// Deleting answers 200 with the uuid whether or not the node existed (the spec's idempotence).
pub async fn delete(
    kind: NodeKind,
    Changing { app, caller, path: (instance, id) }: Changing<(String, Uuid)>,
) -> Result<Json<UuidBody>, ApiError> {
    app.nodes.delete(&caller, &instance, kind, id).await?;
    Ok(Json(UuidBody { uuid: id, version: None }))
}

pub async fn rules(Reading { app, caller, path: instance }: Reading<String>) -> Result<Json<CreationRules>, ApiError> {
    let rules = app.nodes.rules(&caller.principal, &instance)?;
    Ok(Json(CreationRules { creation: rules.iter().map(|rule| (rule.holder.as_str(), rule.may_hold)).collect() }))
}
