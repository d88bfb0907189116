//! The rate plans of every node: a plan's active prices, its destinations, and prices scheduled
//! in it.

mod bodies;
mod docs;
mod handlers;

use crate::api::{Access, HttpMethod, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{NodeKind, Owned, Permission, Verb};

pub(crate) fn routes() -> Vec<Route> {
    NodeKind::ALL.into_iter().flat_map(of).collect()
}

fn of(kind: NodeKind) -> [Route; 6] {
    let plans = format!("{INSTANCE}/{}/{{uuid}}/rate_plans", kind.plural());
    let plan = format!("{plans}/{{rate_plan}}");
    let access = |verb| Access::Permission(Permission::Owned(kind, Owned::RatePlans, verb));
    [
        Route::new(
            HttpMethod::Get,
            plans,
            access(Verb::List),
            move |state, caller, path, query| handlers::list_rate_plans(kind, state, caller, path, query),
            move || docs::list_op(kind),
        ),
        Route::new(
            HttpMethod::Get,
            plan.clone(),
            access(Verb::Read),
            move |state, caller, path| handlers::get_rate_plan(kind, state, caller, path),
            move || docs::get_op(kind),
        ),
        Route::new(
            HttpMethod::Put,
            format!("{plan}/destinations/{{destination_id}}"),
            access(Verb::Update),
            move |state, caller, path, body| handlers::put_destination(kind, state, caller, path, body),
            move || docs::destination_op(kind),
        ),
        Route::new(
            HttpMethod::Delete,
            format!("{plan}/destinations/{{destination_id}}"),
            access(Verb::Update),
            move |state, caller, path| handlers::delete_destination(kind, state, caller, path),
            move || docs::delete_destination_op(kind),
        ),
        Route::new(
            HttpMethod::Post,
            format!("{plan}/prices"),
            access(Verb::Update),
            move |state, caller, path, body| handlers::add_price(kind, state, caller, path, body),
            move || docs::price_op(kind),
        )
        .conditional(),
        Route::new(
            HttpMethod::Delete,
            format!("{plan}/prices"),
            access(Verb::Update),
            move |state, caller, path, body| handlers::delete_price(kind, state, caller, path, body),
            move || docs::delete_price_op(kind),
        ),
    ]
}
