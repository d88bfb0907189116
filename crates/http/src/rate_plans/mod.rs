//! The rate plans of every node: a plan's active prices, its destinations, and prices scheduled
//! in it.

mod bodies;
mod docs;
mod handlers;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Given, Op, Route};
use crate::canopy::INSTANCE;
use canopy_domain::{NodeKind, Owned, Permission, Verb};

pub(crate) fn routes() -> Vec<Route> {
    Owned::RatePlans.kinds().iter().copied().flat_map(of).collect()
}

fn of(kind: NodeKind) -> [Route; 6] {
    let plans = format!("{INSTANCE}/{}/{{uuid}}/rate_plans", kind.plural());
    let plan = format!("{plans}/{{rate_plan}}");
    let (destination, prices) = (format!("{plan}/destinations/{{destination_id}}"), format!("{plan}/prices"));
    let access = |verb| Permission::Owned(kind, Owned::RatePlans, verb).into();
    let op = move |op: fn(NodeKind) -> Op| move || op(kind);
    [
        Route::new(Get, plans, access(Verb::List), handlers::list.given(kind), op(docs::list)),
        Route::new(Get, plan, access(Verb::Read), handlers::get.given(kind), op(docs::get)),
        Route::new(
            Put,
            destination.clone(),
            access(Verb::Update),
            handlers::put_destination.given(kind),
            op(docs::put_destination),
        ),
        Route::new(
            Delete,
            destination,
            access(Verb::Update),
            handlers::delete_destination.given(kind),
            op(docs::delete_destination),
        ),
        Route::new(Post, prices.clone(), access(Verb::Update), handlers::add_price.given(kind), op(docs::add_price))
            .conditional(),
        Route::new(Delete, prices, access(Verb::Update), handlers::delete_price.given(kind), op(docs::delete_price)),
    ]
}
