//! The nodes: a collection (list and create) for each holder and kind its creation rules allow,
//! read / modify / delete of each node by uuid, and the creation rules themselves. The level
//! structure comes from the domain (`CREATION_RULES`, `NodeKind::ALL`): nothing here lists kinds.

mod bodies;
mod docs;
mod handlers;

use crate::api::{Access, HttpMethod, Op, Route, schema};
use crate::caller::Acting;
use crate::canopy::INSTANCE;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Authenticated};
use crate::list::ListQueryParams;
use axum::extract::State;
use bodies::{CreateBody, GroupCreate, GroupUpdate, NamedCreate, NamedUpdate, TenantCreate, TenantUpdate, UpdateBody};
use canopy_app::App;
use canopy_domain::{CREATION_RULES, Holder, NodeKind, Permission};
use handlers::{NodePath, Under};
use utoipa::ToSchema;

/// A collection for each holder and each kind it may hold, then every node by uuid.
pub(crate) fn routes() -> Vec<Route> {
    let collections = CREATION_RULES.iter().flat_map(|rule| rule.may_hold.iter().map(|kind| (rule.holder, *kind)));
    let mut all: Vec<Route> = collections.flat_map(|(holder, kind)| collection(holder, kind)).collect();
    all.extend(NodeKind::ALL.into_iter().flat_map(item));
    all
}

/// `GET` and `POST` of a collection: the groups of the instance, or the `kind` children of a parent.
fn collection(holder: Holder, kind: NodeKind) -> [Route; 2] {
    let parent = match holder {
        Holder::Instance => None,
        Holder::Node(parent) => Some(parent),
    };
    let under = Under { parent, kind };
    let path = match parent {
        Some(parent) => format!("{INSTANCE}/{}/{{uuid}}/{}", parent.plural(), kind.plural()),
        None => format!("{INSTANCE}/{}", kind.plural()),
    };
    let list =
        move |State(app): State<App>,
              caller: Authenticated,
              ApiPath(path): ApiPath<NodePath>,
              ApiQuery(query): ApiQuery<ListQueryParams>| handlers::list(under, app, caller, path, query);
    [
        Route::new(HttpMethod::Get, path.clone(), Access::Permission(Permission::List(kind)), list, move || {
            docs::list_op(under)
        }),
        (typed(kind).create)(under, path),
    ]
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item(kind: NodeKind) -> [Route; 3] {
    let path = format!("{INSTANCE}/{}/{{uuid}}", kind.plural());
    [
        Route::new(
            HttpMethod::Get,
            path.clone(),
            Access::Permission(Permission::Read(kind)),
            move |state, caller, path| handlers::read(kind, state, caller, path),
            move || docs::read_op(kind),
        ),
        (typed(kind).update)(kind, path.clone()),
        Route::new(
            HttpMethod::Delete,
            path,
            Access::Permission(Permission::Delete(kind)),
            move |state, caller, path| handlers::delete(kind, state, caller, path),
            move || docs::delete_op(kind),
        ),
    ]
}

/// `GET …/logic/rules`.
pub(crate) fn rules_routes() -> Vec<Route> {
    vec![Route::new(
        HttpMethod::Get,
        format!("{INSTANCE}/logic/rules"),
        Access::Permission(Permission::RulesRead),
        handlers::rules,
        docs::rules,
    )]
}

/// The routes of a creation and of an update, with the bodies of their kind.
struct Typed {
    create: fn(Under, String) -> Route,
    update: fn(NodeKind, String) -> Route,
}

/// The one place that pairs each kind with its create and update bodies.
fn typed(kind: NodeKind) -> Typed {
    match kind {
        NodeKind::Group => Typed { create: create::<GroupCreate>, update: update::<GroupUpdate> },
        NodeKind::Tenant => Typed { create: create::<TenantCreate>, update: update::<TenantUpdate> },
        NodeKind::Distributor | NodeKind::Reseller => {
            Typed { create: create::<NamedCreate>, update: update::<NamedUpdate> }
        }
    }
}

fn create<B: CreateBody + ToSchema + 'static>(under: Under, path: String) -> Route {
    let handler = move |State(app): State<App>,
                        caller: Acting,
                        ApiPath(path): ApiPath<NodePath>,
                        ApiJson(body): ApiJson<B>| handlers::create(under, app, caller, path, body);
    let op = move || Op { body: Some(schema::<B>()), ..docs::create_op(under) };
    Route::new(HttpMethod::Post, path, Access::Permission(Permission::Create(under.kind)), handler, op)
}

fn update<B: UpdateBody + ToSchema + 'static>(kind: NodeKind, path: String) -> Route {
    let handler = move |state, caller, path, body| handlers::update::<B>(kind, state, caller, path, body);
    let op = move || Op { body: Some(schema::<B>()), ..docs::update_op(kind) };
    Route::new(HttpMethod::Put, path, Access::Permission(Permission::Update(kind)), handler, op)
}
