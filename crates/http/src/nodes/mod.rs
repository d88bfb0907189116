//! The nodes: a collection (list and create) for each holder and kind its creation rules allow,
//! read / modify / delete of each node by uuid, and the creation rules themselves. The level
//! structure comes from the domain (`CREATION_RULES`, `NodeKind::ALL`): nothing here lists kinds.

mod bodies;
mod described;
mod docs;
mod handlers;
mod node_schema;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Given, Op, Route, schema};
use crate::canopy::INSTANCE;
use bodies::{CreateBody, GroupCreate, GroupUpdate, NamedCreate, NamedUpdate, TenantCreate, TenantUpdate, UpdateBody};
use canopy_domain::{CREATION_RULES, Holder, NodeKind, Permission};
use handlers::Under;
use utoipa::ToSchema;

pub(crate) use bodies::{CreateBody as NodeCreateBody, UpdateBody as NodeUpdateBody};
pub(crate) use described::{DescribedCreate, DescribedUpdate, SiteGroups, Users, property};

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
    let op = move |op: fn(Under) -> Op| move || op(under);
    [
        Route::new(Get, path.clone(), Permission::List(kind).into(), handlers::list.given(under), op(docs::list_op)),
        (typed(kind).create)(under, path),
    ]
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item(kind: NodeKind) -> [Route; 3] {
    let path = format!("{INSTANCE}/{}/{{uuid}}", kind.plural());
    let op = move |op: fn(NodeKind) -> Op| move || op(kind);
    [
        Route::new(Get, path.clone(), Permission::Read(kind).into(), handlers::read.given(kind), op(docs::read_op)),
        (typed(kind).update)(kind, path.clone()),
        Route::new(Delete, path, Permission::Delete(kind).into(), handlers::delete.given(kind), op(docs::delete_op)),
    ]
}

/// `GET …/logic/rules`.
pub(crate) fn rules_routes() -> Vec<Route> {
    vec![Route::new(Get, format!("{INSTANCE}/logic/rules"), Permission::RulesRead.into(), handlers::rules, docs::rules)]
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
        NodeKind::SiteGroup => {
            Typed { create: create::<DescribedCreate<SiteGroups>>, update: update::<DescribedUpdate<SiteGroups>> }
        }
        NodeKind::User => Typed { create: create::<DescribedCreate<Users>>, update: update::<DescribedUpdate<Users>> },
    }
}

fn create<B: CreateBody + ToSchema + 'static>(under: Under, path: String) -> Route {
    let op = move || Op { body: Some(schema::<B>()), ..docs::create_op(under) };
    Route::new(Post, path, Permission::Create(under.kind).into(), handlers::create::<B>.given(under), op)
}

fn update<B: UpdateBody + ToSchema + 'static>(kind: NodeKind, path: String) -> Route {
    let op = move || Op { body: Some(schema::<B>()), ..docs::update_op(kind) };
    Route::new(Put, path, Permission::Update(kind).into(), handlers::update::<B>.given(kind), op)
}
