//! What operators need around the API: the face of the probes, the metrics and the
//! documentation (public, outside any instance), request ids and timeouts.

use crate::api::{Access, ErrorEnvelope, ErrorStyle, Face, JSON, Mount, Route, Tag};
use crate::error::ApiError;
use crate::metrics::{self, Metrics};
use axum::Json;
use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canopy_app::App;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;
use tower_http::request_id::{MakeRequestId, RequestId};
use utoipa::ToSchema;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The face of the routes around the API: probes, metrics and the documentation, all public.
pub(crate) fn mount(metrics: Arc<Metrics>) -> Mount {
    let face =
        Face { name: "operations", prefix: "", alias: None, errors: ErrorStyle::Envelope, media: &[JSON], auth: &[] };
    let tag = Tag::new("operations", "Probes and metrics.");
    let scrape = move |State(app): State<App>| metrics::scrape(metrics.clone(), app);
    let routes = [
        Route::derived::<__path_healthz, _, _>(tag.clone(), Access::Public, healthz),
        Route::derived::<__path_readyz, _, _>(tag.clone(), Access::Public, readyz),
        Route::derived::<metrics::__path_scrape, _, _>(tag, Access::Public, scrape),
        crate::docs::routes(),
    ];
    Mount { face, routes: routes.into_iter().flatten().map(Route::without_store).collect() }
}

/// The answer of the health probes.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Status {
    /// `ok` (`/healthz`) or `ready` (`/readyz`).
    #[schema(example = "ok")]
    status: &'static str,
}

/// `/healthz`: the process is alive and answering.
#[utoipa::path(
    get,
    path = "/healthz",
    summary = "Liveness",
    description = "Answers while the process serves; does not touch the store.",
    responses((status = 200, description = "Alive: `{\"status\":\"ok\"}`.", body = Status))
)]
pub async fn healthz() -> Json<Status> {
    Json(Status { status: "ok" })
}

/// How long `/readyz` waits for the store before answering 503: under the 1 s a readiness probe
/// usually allows, whatever the store does (the API's own wait for a connection is 5 s).
pub const READINESS_BOUND: Duration = Duration::from_millis(800);

/// `/readyz`: the store is reachable and its migrations applied; 503 in the envelope otherwise,
/// or when the store does not say within [`READINESS_BOUND`], so a load balancer takes this
/// process out of rotation until the database is back.
#[utoipa::path(
    get,
    path = "/readyz",
    summary = "Readiness",
    description = "For load balancers: checks that the store is reachable and its migrations all applied.",
    responses(
        (status = 200, description = "Ready: `{\"status\":\"ready\"}`.", body = Status),
        (status = 503, description = "`not_ready`: the store is unreachable, not migrated, or did not answer within \
                                      800 ms; the cause is logged.", body = ErrorEnvelope),
    )
)]
pub async fn readyz(State(app): State<App>) -> Result<Json<Status>, ApiError> {
    bounded_readiness(app.ready()).await
}

async fn bounded_readiness<E: std::fmt::Display>(
    check: impl Future<Output = Result<(), E>>,
) -> Result<Json<Status>, ApiError> {
    let not_ready = || ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_ready", "the store is not ready");
    match tokio::time::timeout(READINESS_BOUND, check).await {
        Ok(Ok(())) => Ok(Json(Status { status: "ready" })),
        Ok(Err(err)) => {
            tracing::warn!(%err, "not ready");
            Err(not_ready())
        }
        Err(_) => {
            tracing::warn!(
                bound_ms = READINESS_BOUND.as_millis() as u64,
                "not ready: the store did not answer in time"
            );
            Err(not_ready())
        }
    }
}

/// Request ids: the client's `X-Request-Id` when it is short printable ASCII, else a new uuid.
#[derive(Clone, Copy, Default)]
pub struct RequestIds;

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _request: &axum::http::Request<B>) -> Option<RequestId> {
        Some(RequestId::new(new_request_id()))
    }
}

/// A random (version 4) uuid from the thread's generator: `Uuid::new_v4` asks the kernel for
/// every id (one `getrandom` system call per request, a third of a GET's system calls). An id
/// only tells requests apart in logs; it guards nothing, so it need not come from the kernel.
fn new_request_id() -> HeaderValue {
    let id = uuid::Builder::from_random_bytes(rand::random()).into_uuid();
    let mut text = [0u8; uuid::fmt::Hyphenated::LENGTH];
    HeaderValue::from_bytes(id.hyphenated().encode_lower(&mut text).as_bytes()).expect("a uuid is a valid header")
}

/// Removes a client request id that is too long or not printable, so logs stay readable (a new
/// one is made in its place).
pub(crate) fn sanitize_request_id(mut request: Request) -> Request {
    let acceptable = |value: &HeaderValue| {
        let bytes = value.as_bytes();
        !bytes.is_empty() && bytes.len() <= 128 && bytes.iter().all(|b| b.is_ascii_graphic())
    };
    if request.headers().get(&REQUEST_ID).is_some_and(|value| !acceptable(value)) {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

/// Answers 503 in the envelope when `answer` takes longer than `limit`; the handler's work is
/// dropped (a store transaction in flight rolls back).
pub(crate) async fn timeout(limit: Duration, answer: impl Future<Output = Response>) -> Response {
    match tokio::time::timeout(limit, answer).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis() as u64, "request timed out");
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "timeout", "the request took too long; retry later")
                .into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::routing::get;
    use serde_json::Value;
    use tower::ServiceExt;

    #[tokio::test(start_paused = true)]
    async fn readiness_answers_503_when_the_store_does_not_answer_within_the_bound() {
        let started = tokio::time::Instant::now();
        let never = std::future::pending::<Result<(), String>>();
        let err = bounded_readiness(never).await.unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::SERVICE_UNAVAILABLE, "not_ready"));
        assert_eq!(started.elapsed(), READINESS_BOUND, "paused time: exactly the bound");
        assert!(bounded_readiness(async { Ok::<(), String>(()) }).await.is_ok());
    }

    #[tokio::test]
    async fn a_request_over_the_time_limit_gets_503_timeout_and_a_quick_one_passes() {
        let router = Router::new()
            .route("/slow", get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }))
            .route("/quick", get(|| async {}))
            .layer(axum::middleware::from_fn(|request: axum::extract::Request, next: axum::middleware::Next| {
                timeout(Duration::from_millis(50), next.run(request))
            }));
        let call = |path: &'static str| {
            let router = router.clone();
            async move { router.oneshot(axum::http::Request::get(path).body(Body::empty()).unwrap()).await.unwrap() }
        };
        let slow = call("/slow").await;
        assert_eq!(slow.status(), StatusCode::SERVICE_UNAVAILABLE);
        let body = axum::body::to_bytes(slow.into_body(), 4096).await.unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(body["error"]["code"], "timeout");
        assert_eq!(call("/quick").await.status(), StatusCode::OK);
    }
}
