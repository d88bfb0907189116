//! The layers around every request, built once around the whole router rather than with
//! `Router::layer`, which wraps every route in each layer: axum then boxes the route once per
//! layer and clones the whole boxed chain at every level of every request, which cost an
//! in-memory GET more than its handler (docs/performance.md, "In-memory GET"). Here the layers
//! are one tower stack, and the steps that were middlewares of their own run inside two: what is
//! learnt of the client before anything else ([`admitted`]), and what bounds and counts the
//! answer ([`Bounds::answer`]).
//!
//! From the outside in: the client's request id kept when printable, the client's address; a
//! request id made when missing; the span every log line of the request carries; the id echoed on
//! the answer; the metrics; refusals made before routing written the way of the path's face; the
//! body's size and read time; the request's time limit; the panic catcher; the body limit the
//! extractors read; then the router (whose routes carry their face and template, `api::within`).

use crate::api::RenderedFaces;
use crate::client::{self, Clients};
use crate::error::internal;
use crate::limits::{self, BodyLimits};
use crate::metrics::{self, Metrics};
use crate::ops;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, MakeSpan, TraceLayer};

/// What bounds and counts every answer.
#[derive(Clone)]
pub(crate) struct Bounds {
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) faces: RenderedFaces,
    pub(crate) limits: BodyLimits,
    pub(crate) request_timeout: Duration,
}

impl Bounds {
    /// The answer to `request`: counted and timed; a refusal made here written the face's way;
    /// the body bounded in size and read time; the whole bounded in time.
    async fn answer(self, request: Request, next: Next) -> Response {
        metrics::track(&self.metrics, request, |request| {
            crate::api::render_unrouted(&self.faces, request, |request| {
                limits::guard_body(&self.limits, request, |request| {
                    ops::timeout(self.request_timeout, next.run(request))
                })
            })
        })
        .await
    }
}

/// The request as the layers inside need it: a client's unprintable request id dropped, the
/// client's address and cookie policy recorded.
fn admitted(clients: &Clients, request: Request) -> Request {
    client::identify(clients, ops::sanitize_request_id(request))
}

/// `router` inside every layer, as a router again (what the server and the tests serve).
pub(crate) fn around(
    router: Router,
    clients: Clients,
    span: impl MakeSpan<axum::body::Body> + Clone + Send + Sync + 'static,
    bounds: Bounds,
    body_limit: usize,
) -> Router {
    let stack = ServiceBuilder::new()
        .map_request(move |request| admitted(&clients, request))
        .layer(SetRequestIdLayer::new(ops::REQUEST_ID, ops::RequestIds))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(ops::REQUEST_ID))
        .layer(middleware::from_fn(move |request, next| bounds.clone().answer(request, next)))
        .layer(CatchPanicLayer::custom(|_| -> Response { internal().into_response() }))
        .layer(DefaultBodyLimit::max(body_limit))
        .service(router);
    Router::new().fallback_service(stack)
}
