//! Handlers whose first argument is fixed when their route is declared (the kind of node, the
//! level of an administrator, a branding document), followed by extractors:
//! `handlers::read.given(kind)` is the handler of one kind's route.

use axum::extract::{FromRequest, FromRequestParts};
use axum::handler::Handler;
use axum::response::IntoResponse;
use canopy_app::App;
use std::future::Future;

/// A function of a fixed first argument and extractors; `T` tells the extractors apart, as
/// axum's `Handler` does.
pub trait Given<P, T> {
    /// The handler that calls this function with `value` first.
    fn given(self, value: P) -> impl Handler<T, App>;
}

macro_rules! given {
    ($($part:ident: $Part:ident),*) => {
        impl<F, Fut, P, M, $($Part,)* Last> Given<P, (M, $($Part,)* Last)> for F
        where
            F: FnOnce(P, $($Part,)* Last) -> Fut + Clone + Send + Sync + 'static,
            Fut: Future + Send,
            Fut::Output: IntoResponse,
            P: Clone + Send + Sync + 'static,
            M: 'static,
            $($Part: FromRequestParts<App> + Send + 'static,)*
            Last: FromRequest<App, M> + Send + 'static,
        {
            fn given(self, value: P) -> impl Handler<(M, $($Part,)* Last), App> {
                move |$($part: $Part,)* last: Last| self(value, $($part,)* last)
            }
        }
    };
}

given!();
given!(a: A);
given!(a: A, b: B);
given!(a: A, b: B, c: C);
