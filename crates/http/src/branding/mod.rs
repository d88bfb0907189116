//! The branding documents (general, pages, styling) of every node and of the instance itself:
//! read (the effective document, inherited down the tree), replace, delete.

mod bodies;
mod docs;
mod handlers;

use crate::api::{Access, HttpMethod, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{BrandingDoc, Level, NodeKind, Owned, Permission, Verb};
use docs::Holder;

pub(crate) fn routes() -> Vec<Route> {
    let levels = std::iter::once(None).chain(NodeKind::ALL.map(Some));
    levels.flat_map(|level| BrandingDoc::ALL.into_iter().flat_map(move |doc| of(level, doc))).collect()
}

/// `GET`, `PUT` and `DELETE` of one document of the instance (`level` None) or of a node of a kind.
fn of(level: Level, doc: BrandingDoc) -> [Route; 3] {
    let (get, put, delete) = (HttpMethod::Get, HttpMethod::Put, HttpMethod::Delete);
    let path = |base: String| format!("{base}/configurations/branding/{}", doc.as_str());
    let op = move |op: fn(Holder, BrandingDoc) -> crate::api::Op| move || op(Holder::of(level), doc);
    let Some(kind) = level else {
        let access = |verb| Access::Permission(Permission::InstanceBranding(doc, verb));
        let base = path(INSTANCE.to_owned());
        return [
            Route::new(
                get,
                base.clone(),
                access(Verb::List),
                move |state, caller, path, query| handlers::get_instance_branding(doc, state, caller, path, query),
                op(docs::get),
            ),
            Route::new(
                put,
                base.clone(),
                access(Verb::Update),
                move |state, caller, path, body| handlers::put_instance_branding(doc, state, caller, path, body),
                op(docs::put),
            ),
            Route::new(
                delete,
                base,
                access(Verb::Delete),
                move |state, caller, path, query| handlers::delete_instance_branding(doc, state, caller, path, query),
                op(docs::delete),
            ),
        ];
    };
    let base = path(format!("{INSTANCE}/{}/{{uuid}}", kind.plural()));
    let access = |verb| Access::Permission(Permission::Owned(kind, Owned::Branding(doc), verb));
    [
        Route::new(
            get,
            base.clone(),
            access(Verb::List),
            move |state, caller, path, query| handlers::get_branding((kind, doc), state, caller, path, query),
            op(docs::get),
        ),
        Route::new(
            put,
            base.clone(),
            access(Verb::Update),
            move |state, caller, path, body| handlers::put_branding((kind, doc), state, caller, path, body),
            op(docs::put),
        ),
        Route::new(
            delete,
            base,
            access(Verb::Delete),
            move |state, caller, path, query| handlers::delete_branding((kind, doc), state, caller, path, query),
            op(docs::delete),
        ),
    ]
}
