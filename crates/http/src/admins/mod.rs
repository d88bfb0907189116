//! The administrators of the instance (system administrators) and of each node: one set of
//! routes for every level, the level passed in.

mod bodies;
mod docs;
mod handlers;

pub(crate) use bodies::AdminBody;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Given, Op, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{AdminAction, Level, Permission, admin_levels};
use docs::Holder;

/// The administrators of the instance, then those of each kind of node.
pub(crate) fn routes() -> Vec<Route> {
    admin_levels().flat_map(admins).collect()
}

/// `GET` and `POST` of `.../admins`, `POST .../admins/welcome`, `PUT` and `DELETE` of
/// `.../admins/{username}`.
fn admins(level: Level) -> [Route; 5] {
    let path = match level {
        None => format!("{INSTANCE}/admins"),
        Some(kind) => format!("{INSTANCE}/{}/{{uuid}}/admins", kind.plural()),
    };
    let (welcome, one) = (format!("{path}/welcome"), format!("{path}/{{username}}"));
    let doc = move |op: fn(&Holder) -> Op| move || op(&Holder::new(level));
    let access = |action| Permission::Admins(level, action).into();
    [
        Route::new(Get, path.clone(), access(AdminAction::List), handlers::list.given(level), doc(docs::list)),
        Route::new(Post, path, access(AdminAction::Create), handlers::create.given(level), doc(docs::create)),
        Route::new(Post, welcome, access(AdminAction::Welcome), handlers::welcome.given(level), doc(docs::welcome)),
        Route::new(Put, one.clone(), access(AdminAction::Update), handlers::update.given(level), doc(docs::update)),
        Route::new(Delete, one, access(AdminAction::Delete), handlers::delete.given(level), doc(docs::delete)),
    ]
}
