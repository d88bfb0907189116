//! The groups of the portal (L21092–L33344): one group by integer id or uuid, its change and
//! deletion, its children and their creation. Each handler learns the kind of what `{group}`
//! names (`NodeService::locate`, reach checked), then calls the node service of that kind, which
//! decides permission, versions, uniqueness, delete-when-empty and the audit log as for every face.

use super::bodies::StoredFields;
use super::bodies::{
    Child, ChildCreate, ChildrenBody, ChildrenQuery, Created, Found, GroupBody, GroupUpdate, RequestType, SearchBody,
    SearchQuery, VersionBody,
};
use super::docs;
use super::kinds;
use super::named::GroupPath;
use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Access, FaceInstance, Route};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, Authenticated, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::{App, GroupFieldChanges, NodeInput, NodeUpdate, Place, parse_group_fields};
use canopy_domain::{Holder, ListParams, Node, NodeKind, NodeRef, Principal, Serial};
use serde_json::{Map, Value, json};
use uuid::Uuid;

pub(super) fn routes() -> Vec<Route> {
    // The permission depends on the kind `{group}` names: the app checks it once the kind is known.
    let access = Access::Authenticated;
    let one = "/groups/{group}".to_owned();
    let children = "/groups/{group}/children".to_owned();
    vec![
        Route::new(Get, "/groups".to_owned(), access, search, docs::search),
        Route::new(Get, one.clone(), access, read, docs::read),
        Route::new(Put, one.clone(), access, update, docs::update),
        Route::new(Delete, one, access, delete, docs::delete),
        Route::new(Get, children.clone(), access, list_children, docs::children),
        Route::new(Post, children, access, create_child, docs::create_child),
    ]
}

/// What `{group}` names, with the kind of its node; a user is no group here.
pub(super) async fn place(app: &App, caller: &Principal, instance: &str, path: &GroupPath) -> Result<Place, ApiError> {
    let place = app.nodes.locate(caller, instance, path.group.0).await?;
    match &place {
        Place::Node { node, .. } if node.kind == NodeKind::User => {
            Err(canopy_app::AppError::NotFound(NodeKind::Group).into())
        }
        _ => Ok(place),
    }
}

/// A node's kind and uuid, or the 400 of an operation the root does not take.
pub(super) fn node_of(place: &Place) -> Result<(NodeKind, Uuid), ApiError> {
    node_in(place).map(|node| (node.kind, node.id.0))
}

/// The node a place is, or the 400 of an operation the root does not take.
pub(super) fn node_in(place: &Place) -> Result<&Node, ApiError> {
    match place {
        Place::Node { node, .. } => Ok(node),
        Place::Root => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_target",
            "the root is the instance itself: it is changed by the server's configuration",
        )),
    }
}

/// Groups of the caller's subtree by name, and its administrators by login: up to `limit` of
/// each (the spec: "limited number of accounts + limited number of tenants"), groups first.
async fn search(
    State(app): State<App>,
    caller: Authenticated,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Json<SearchBody>, ApiError> {
    let strict = match query.strict {
        None | Some(0) => false,
        Some(1) => true,
        Some(_) => {
            return Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", "strict: must be 0 or 1")
                .with_details(json!({ "field": "strict" })));
        }
    };
    let principal = &caller.principal;
    let prefix = query.prefix.as_deref().unwrap_or_default();
    let found = app.nodes.search(principal, &instance, prefix, strict, query.limit).await?;
    let mut items = Vec::with_capacity(found.len());
    for node in found {
        // The parent's integer id, where the node is named.
        let Place::Node { parent, .. } = app.nodes.locate(principal, &instance, NodeRef::from(node.id)).await? else {
            continue;
        };
        let kind = kinds::code(node.kind);
        items.push(Found {
            id: node.serial.0,
            uuid: Some(node.id.0),
            name: node.name.as_str().to_owned(),
            parent_id: Some(parent.0),
            kind: Some(kind),
        });
    }
    for admin in app.admins.search(principal, &instance, prefix, strict, query.limit).await? {
        // The home's integer id; a system administrator's home is the root (none).
        let parent_id = match admin.home {
            None => None,
            Some(home) => match app.nodes.locate(principal, &instance, NodeRef::from(home)).await? {
                Place::Node { node, .. } => Some(node.serial.0),
                Place::Root => None,
            },
        };
        let name = admin.email.as_str().to_owned();
        items.push(Found { id: admin.id.0, uuid: None, name, parent_id, kind: None });
    }
    Ok(Json(SearchBody { items }))
}

async fn read(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    match place(&app, &caller.principal, &instance, &path).await? {
        Place::Root => Ok(Json(GroupBody::root(root_serial(&path), &instance)).into_response()),
        Place::Node { node, parent, .. } => {
            // Read again through the node's own service: its kind's permission.
            let view = app.nodes.get(&caller.principal, &instance, node.kind, node.id).await?;
            let fields = fields_of(&app, &caller.principal, &instance, &view.node).await?;
            let body = GroupBody::node(&view.node, parent).with_children(&view.subtree).with_fields(fields);
            Ok(tagged(view.node.version, Json(body)))
        }
    }
}

/// The stored fields of a node as reads show them: a tenant's `customer_id` is its tenant id. A
/// caller who may read the node but not its configuration sees none of them.
async fn fields_of(app: &App, caller: &Principal, instance: &str, node: &Node) -> Result<Map<String, Value>, ApiError> {
    let mut fields = match app.configurations.group_fields(caller, instance, node.kind, node.id.0).await {
        Ok(fields) => fields,
        Err(canopy_app::AppError::Forbidden(_)) => Map::new(),
        Err(err) => return Err(err.into()),
    };
    if let Some(tenant_id) = node.tenant_id() {
        fields.insert("customer_id".to_owned(), tenant_id.as_str().into());
    }
    Ok(fields)
}

/// The stored fields a body sent, checked before anything is written; a tenant's `customer_id`
/// goes to its tenant id (`attributes`), another kind's is kept as a field.
fn stored_fields(
    kind: NodeKind,
    customer_id: Option<Value>,
    fields: StoredFields,
) -> Result<(GroupFieldChanges, Map<String, Value>), ApiError> {
    let mut sent = fields.sent()?;
    let mut attributes = Map::new();
    if let Some(customer_id) = customer_id {
        match kind {
            NodeKind::Tenant => attributes.insert("tenantId".to_owned(), customer_id),
            _ => sent.insert("customer_id".to_owned(), customer_id),
        };
    }
    Ok((parse_group_fields(&sent)?, attributes))
}

/// The root is only ever named by its integer id.
fn root_serial(path: &GroupPath) -> Serial {
    match path.group.0 {
        NodeRef::Serial(serial) => serial,
        NodeRef::Uuid(_) => Serial(0),
    }
}

async fn update(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<GroupUpdate>,
) -> Result<Response, ApiError> {
    let (kind, id) = node_of(&place(&app, &caller.principal, &instance, &path).await?)?;
    if let Some(sent) = body.kind.filter(|sent| *sent != kinds::code(kind)) {
        let message = format!("a group's kind cannot change: this one is {}, not {sent}", kinds::code(kind));
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message).with_details(json!({ "field": "kind" }))
        );
    }
    let (fields, attributes) = stored_fields(kind, body.customer_id, body.fields)?;
    let update = NodeUpdate { name: body.name, attributes, enabled: body.status.map(|status| status == 1) };
    // The node's change checks the version and counts; the fields follow it (faces.md: their
    // own document, written after).
    let node = app.nodes.update(&caller, &instance, kind, id, update).await?;
    app.configurations.set_group_fields(&caller, &instance, kind, id, fields).await?;
    Ok(tagged(node.version, VersionBody::of(node.version)))
}

/// Deletes an empty group: `204`; absent is `404` on this face (the seed), `400 not_empty` with
/// the counts while it holds anything.
async fn delete(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (kind, id) = node_of(&place(&app, &caller.principal, &instance, &path).await?)?;
    app.nodes.delete_existing(&caller, &instance, kind, id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// The direct children of a group that are groups (users are listed by `…/users`).
async fn list_children(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiQuery(query): ApiQuery<ChildrenQuery>,
) -> Result<Json<ChildrenBody>, ApiError> {
    let principal = &caller.principal;
    let (holder, parent, serial) = match place(&app, principal, &instance, &path).await? {
        Place::Root => (Holder::Instance, None, root_serial(&path)),
        Place::Node { node, .. } => (Holder::Node(node.kind), Some((node.kind, node.id.0)), node.serial),
    };
    let wanted = batch(&query)?;
    let mut items = Vec::new();
    for kind in kinds::child_groups(holder) {
        for child in all_children(&app, principal, &instance, parent, kind).await? {
            if wanted.as_ref().is_some_and(|wanted| !wanted.contains(&child.id.0)) {
                continue;
            }
            items.push(match query.request_type {
                Some(RequestType::UuidsList) => Child::Uuid(child.id.0),
                _ => {
                    let view = app.nodes.get(principal, &instance, child.kind, child.id).await?;
                    let fields = fields_of(&app, principal, &instance, &child).await?;
                    Child::Group(GroupBody::node(&child, serial).with_children(&view.subtree).with_fields(fields))
                }
            });
        }
    }
    Ok(Json(ChildrenBody { items }))
}

/// The uuids `tenants_batch` asks for (`None`: every child).
fn batch(query: &ChildrenQuery) -> Result<Option<Vec<Uuid>>, ApiError> {
    if query.request_type != Some(RequestType::TenantsBatch) {
        return Ok(None);
    }
    let raw = query.uuids.as_deref().unwrap_or_default();
    let parsed: Result<Vec<Uuid>, _> =
        raw.split(',').filter(|s| !s.trim().is_empty()).map(|s| Uuid::parse_str(s.trim())).collect();
    parsed.map(Some).map_err(|_| {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", "uuids: a list of uuids separated by commas")
            .with_details(json!({ "field": "uuids" }))
    })
}

/// Every child of one kind, page after page.
pub(super) async fn all_children(
    app: &App,
    caller: &Principal,
    instance: &str,
    parent: Option<(NodeKind, Uuid)>,
    kind: NodeKind,
) -> Result<Vec<Node>, ApiError> {
    let mut all = Vec::new();
    let mut next = None;
    loop {
        let params = ListParams { page_size: Some(100), next: next.take(), ..ListParams::default() };
        let page = app.nodes.list(caller, instance, parent, kind, params).await?;
        all.extend(page.items);
        match page.next {
            Some(token) => next = Some(token),
            None => return Ok(all),
        }
    }
}

async fn create_child(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<ChildCreate>,
) -> Result<Response, ApiError> {
    let (holder, parent) = match place(&app, &caller.principal, &instance, &path).await? {
        Place::Root => (Holder::Instance, None),
        Place::Node { node, .. } => (Holder::Node(node.kind), Some((node.kind, node.id.0))),
    };
    let allowed = kinds::child_groups(holder);
    let kind = kinds::level(body.kind).filter(|kind| allowed.contains(kind)).ok_or_else(|| {
        let codes: Vec<i64> = allowed.iter().map(|kind| kinds::code(*kind)).collect();
        let listed: Vec<String> = codes.iter().map(ToString::to_string).collect();
        let message = format!(
            "a group of kind {} cannot hold kind {}: allowed {}",
            kinds::holder_code(holder),
            body.kind,
            if listed.is_empty() { "none".to_owned() } else { listed.join(", ") }
        );
        ApiError::new(StatusCode::BAD_REQUEST, "forbidden_child", message)
            .with_details(json!({ "field": "kind", "allowed": codes }))
    })?;
    let ChildCreate { name, customer_id, fields, .. } = body;
    let tenant_id = customer_id.clone().filter(|_| kind == NodeKind::Tenant);
    let other_kinds = customer_id.filter(|_| kind != NodeKind::Tenant).map(Value::from);
    let (fields, _) = stored_fields(kind, other_kinds, fields)?;
    let input = NodeInput { name, attributes: attributes(kind, tenant_id), ..NodeInput::default() };
    let node = app.nodes.create(&caller, &instance, parent, kind, input).await?;
    app.configurations.set_group_fields(&caller, &instance, kind, node.id.0, fields).await?;
    Ok(Created::answer(&node))
}

/// What Canopy's level needs beyond the name that the portal does not send: a tenant's
/// `tenantId` (its `customer_id`, else a fresh one), a site group's `userLimit` (the largest:
/// a portal department has none).
fn attributes(kind: NodeKind, customer_id: Option<String>) -> Map<String, Value> {
    let mut attributes = Map::new();
    match kind {
        NodeKind::Tenant => {
            let id = customer_id.unwrap_or_else(|| Uuid::new_v4().to_string());
            attributes.insert("tenantId".to_owned(), id.into());
        }
        NodeKind::SiteGroup => {
            attributes.insert("userLimit".to_owned(), 999_999.into());
        }
        _ => {}
    }
    attributes
}
