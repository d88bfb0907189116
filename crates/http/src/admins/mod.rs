//! The administrators of the instance (system administrators) and of each node: one set of
//! routes for every level, the level passed in.

mod bodies;
mod docs;
mod handlers;

pub(crate) use bodies::AdminBody;

use crate::api::{Access, HttpMethod, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{AdminAction, Level, NodeKind, Permission};
use docs::Holder;

/// The administrators of the instance, then those of each kind of node.
pub(crate) fn routes() -> Vec<Route> {
    std::iter::once(None).chain(NodeKind::ALL.map(Some)).flat_map(admins).collect()
}

/// `GET` and `POST` of `.../admins`, `POST .../admins/welcome`, `PUT` and `DELETE` of
/// `.../admins/{username}`.
fn admins(level: Level) -> [Route; 5] {
    let path = match level {
        None => format!("{INSTANCE}/admins"),
        Some(kind) => format!("{INSTANCE}/{}/{{uuid}}/admins", kind.plural()),
    };
    let doc = move |op: fn(&Holder) -> crate::api::Op| move || op(&Holder::new(level));
    let access = |action| Access::Permission(Permission::Admins(level, action));
    [
        Route::new(
            HttpMethod::Get,
            path.clone(),
            access(AdminAction::List),
            move |state, caller, path, query| handlers::list(level, state, caller, path, query),
            doc(docs::list),
        ),
        Route::new(
            HttpMethod::Post,
            path.clone(),
            access(AdminAction::Create),
            move |state, caller, path, body| handlers::create(level, state, caller, path, body),
            doc(docs::create),
        ),
        Route::new(
            HttpMethod::Post,
            format!("{path}/welcome"),
            access(AdminAction::Welcome),
            move |state, caller, path, body| handlers::welcome(level, state, caller, path, body),
            doc(docs::welcome),
        ),
        Route::new(
            HttpMethod::Put,
            format!("{path}/{{username}}"),
            access(AdminAction::Update),
            move |state, caller, path, body| handlers::update(level, state, caller, path, body),
            doc(docs::update),
        ),
        Route::new(
            HttpMethod::Delete,
            format!("{path}/{{username}}"),
            access(AdminAction::Delete),
            move |state, caller, path| handlers::delete(level, state, caller, path),
            doc(docs::delete),
        ),
    ]
}
