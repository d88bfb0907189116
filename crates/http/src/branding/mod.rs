//! The branding documents (general, pages, styling) of every node and of the instance itself:
//! read (the effective document, inherited down the tree), replace, delete.

mod bodies;
mod docs;
mod handlers;

use crate::api::HttpMethod::{Delete, Get, Put};
use crate::api::{Given, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{BrandingDoc, Level, Owned, Permission, Verb};
use docs::Holder;

pub(crate) fn routes() -> Vec<Route> {
    // The instance's own documents, then those of every kind that has branding (the kinds are
    // the same for the three documents).
    let kinds = Owned::Branding(BrandingDoc::General).kinds().iter().copied();
    let levels = std::iter::once(None).chain(kinds.map(Some));
    levels.flat_map(|level| BrandingDoc::ALL.into_iter().flat_map(move |doc| of(level, doc))).collect()
}

/// `GET`, `PUT` and `DELETE` of one document of the instance (`level` None) or of a node of a kind.
fn of(level: Level, doc: BrandingDoc) -> [Route; 3] {
    let path = |base: String| format!("{base}/configurations/branding/{}", doc.as_str());
    let op = move |op: fn(Holder, BrandingDoc) -> crate::api::Op| move || op(Holder::of(level), doc);
    let Some(kind) = level else {
        let (base, access) = (path(INSTANCE.to_owned()), |verb| Permission::InstanceBranding(doc, verb).into());
        return [
            Route::new(Get, base.clone(), access(Verb::List), handlers::get_instance.given(doc), op(docs::get)),
            Route::new(Put, base.clone(), access(Verb::Update), handlers::put_instance.given(doc), op(docs::put)),
            Route::new(Delete, base, access(Verb::Delete), handlers::delete_instance.given(doc), op(docs::delete)),
        ];
    };
    let base = path(format!("{INSTANCE}/{}/{{uuid}}", kind.plural()));
    let access = |verb| Permission::Owned(kind, Owned::Branding(doc), verb).into();
    [
        Route::new(Get, base.clone(), access(Verb::List), handlers::get.given((kind, doc)), op(docs::get)),
        Route::new(Put, base.clone(), access(Verb::Update), handlers::put.given((kind, doc)), op(docs::put)),
        Route::new(Delete, base, access(Verb::Delete), handlers::delete.given((kind, doc)), op(docs::delete)),
    ]
}
