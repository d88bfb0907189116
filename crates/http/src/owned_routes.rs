//! The routes of what a node owns (its branding documents, enabled UCs, rate plans, general
//! configuration) and of the instance's own branding documents, for the route table
//! (`crate::routes`).

use crate::routes::{Access, BASE, Route};
use crate::{belongings, branding, configurations};
use axum::http::Method;
use axum::routing::{delete, get, post, put};
use canopy_domain::NodeKind;
use canopy_domain::{BrandingDoc, Owned, Permission, Verb, WriteMode};

/// The instance's own branding documents, inherited last by every node: the system's.
pub(crate) fn instance_branding_routes(all: &mut Vec<Route>) {
    for doc in BrandingDoc::ALL {
        let path = format!("{BASE}/configurations/branding/{}", doc.as_str());
        let access = |verb| Access::Permission(Permission::InstanceBranding(doc, verb));
        all.extend([
            Route::new(
                Method::GET,
                path.clone(),
                access(Verb::List),
                get(move |state, caller, path, query| branding::get_instance_branding(doc, state, caller, path, query)),
            ),
            Route::new(
                Method::PUT,
                path.clone(),
                access(Verb::Update),
                put(move |state, caller, path, body| branding::put_instance_branding(doc, state, caller, path, body)),
            ),
            Route::new(
                Method::DELETE,
                path,
                access(Verb::Delete),
                delete(move |state, caller, path, query| {
                    branding::delete_instance_branding(doc, state, caller, path, query)
                }),
            ),
        ]);
    }
}

/// What a node owns: its branding documents, enabled UCs and rate plans.
pub(crate) fn belonging_routes(all: &mut Vec<Route>, kind: NodeKind) {
    let base = format!("{BASE}/{}/{{uuid}}", kind.plural());
    let access = |owned, verb| Access::Permission(Permission::Owned(kind, owned, verb));
    for doc in BrandingDoc::ALL {
        let path = format!("{base}/configurations/branding/{}", doc.as_str());
        all.extend([
            Route::new(
                Method::GET,
                path.clone(),
                access(Owned::Branding(doc), Verb::List),
                get(move |state, caller, path, query| branding::get_branding((kind, doc), state, caller, path, query)),
            ),
            Route::new(
                Method::PUT,
                path.clone(),
                access(Owned::Branding(doc), Verb::Update),
                put(move |state, caller, path, body| branding::put_branding((kind, doc), state, caller, path, body)),
            ),
            Route::new(
                Method::DELETE,
                path,
                access(Owned::Branding(doc), Verb::Delete),
                delete(move |state, caller, path, query| {
                    branding::delete_branding((kind, doc), state, caller, path, query)
                }),
            ),
        ]);
    }
    let plan = format!("{base}/rate_plans/{{rate_plan}}");
    all.extend([
        Route::new(
            Method::GET,
            format!("{base}/enabled_ucs"),
            access(Owned::EnabledUcs, Verb::List),
            get(move |state, caller, path| belongings::get_enabled_ucs(kind, state, caller, path)),
        ),
        Route::new(
            Method::PUT,
            format!("{base}/enabled_ucs"),
            access(Owned::EnabledUcs, Verb::Update),
            put(move |state, caller, path, body| belongings::put_enabled_ucs(kind, state, caller, path, body)),
        ),
        Route::new(
            Method::GET,
            format!("{base}/rate_plans"),
            access(Owned::RatePlans, Verb::List),
            get(move |state, caller, path, query| belongings::list_rate_plans(kind, state, caller, path, query)),
        ),
        Route::new(
            Method::GET,
            plan.clone(),
            access(Owned::RatePlans, Verb::Read),
            get(move |state, caller, path| belongings::get_rate_plan(kind, state, caller, path)),
        ),
        Route::new(
            Method::PUT,
            format!("{plan}/destinations/{{destination_id}}"),
            access(Owned::RatePlans, Verb::Update),
            put(move |state, caller, path, body| belongings::put_destination(kind, state, caller, path, body)),
        ),
        Route::new(
            Method::DELETE,
            format!("{plan}/destinations/{{destination_id}}"),
            access(Owned::RatePlans, Verb::Update),
            delete(move |state, caller, path| belongings::delete_destination(kind, state, caller, path)),
        ),
        Route::new(
            Method::POST,
            format!("{plan}/prices"),
            access(Owned::RatePlans, Verb::Update),
            post(move |state, caller, path, body| belongings::add_price(kind, state, caller, path, body)),
        ),
        Route::new(
            Method::DELETE,
            format!("{plan}/prices"),
            access(Owned::RatePlans, Verb::Update),
            delete(move |state, caller, path, body| belongings::delete_price(kind, state, caller, path, body)),
        ),
    ]);
}

/// The general configuration of each node of a kind: read, upsert, replace, delete keys.
pub(crate) fn config_routes(all: &mut Vec<Route>, kind: NodeKind) {
    let path = format!("{BASE}/{}/{{uuid}}/configurations/general", kind.plural());
    let access = |verb| Access::Permission(Permission::Owned(kind, Owned::GeneralConfig, verb));
    all.extend([
        Route::new(
            Method::GET,
            path.clone(),
            access(Verb::List),
            get(move |state, caller, path, query| configurations::get(kind, state, caller, path, query)),
        ),
        Route::new(
            Method::POST,
            path.clone(),
            access(Verb::Create),
            post(move |state, caller, path, body| {
                configurations::write(kind, WriteMode::Upsert, state, caller, path, body)
            }),
        ),
        Route::new(
            Method::PUT,
            path.clone(),
            access(Verb::Update),
            put(move |state, caller, path, body| {
                configurations::write(kind, WriteMode::Replace, state, caller, path, body)
            }),
        ),
        Route::new(
            Method::DELETE,
            path,
            access(Verb::Delete),
            delete(move |state, caller, path, body| configurations::delete(kind, state, caller, path, body)),
        ),
    ]);
}
