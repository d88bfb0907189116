//! Prometheus metrics at `/metrics`: requests and latency by route template and status,
//! requests in flight, error codes (store errors among them) and the store's pool.

use crate::error::ApiError;
use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canopy_app::App;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue, LabelValueEncoder};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;
use std::sync::Arc;
use tokio::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: Label,
    /// The route template (`/api/v01/draas/{draas_instance}/groups/{uuid}`), never the raw path,
    /// so label cardinality stays bounded.
    route: Label,
    status: u16,
}

/// A label read from the request as it is: the method and the matched template are shared
/// values, so a request's labels are made without copying a string.
#[derive(Clone, Debug)]
enum Label {
    Method(Method),
    Route(Option<MatchedPath>),
}

impl Label {
    fn text(&self) -> &str {
        match self {
            Label::Method(method) => method.as_str(),
            Label::Route(route) => route.as_ref().map_or("unmatched", MatchedPath::as_str),
        }
    }
}

impl PartialEq for Label {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Label {}

impl std::hash::Hash for Label {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.text().hash(state);
    }
}

impl EncodeLabelValue for Label {
    fn encode(&self, encoder: &mut LabelValueEncoder) -> Result<(), std::fmt::Error> {
        EncodeLabelValue::encode(&self.text(), encoder)
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: &'static str,
}

/// The content type of `/metrics`.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Latency buckets from half a millisecond to ten seconds.
const BUCKETS: [f64; 14] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram>,
    in_flight: Gauge,
    errors: Family<ErrorLabels, Counter>,
    pool_size: Gauge,
    pool_idle: Gauge,
    pool_max: Gauge,
}

impl Metrics {
    pub fn new() -> Arc<Self> {
        let mut registry = Registry::with_prefix("canopy");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RequestLabels, Histogram>::new_with_constructor(|| Histogram::new(BUCKETS));
        let (in_flight, errors) = (Gauge::default(), Family::<ErrorLabels, Counter>::default());
        let (pool_size, pool_idle, pool_max) = (Gauge::default(), Gauge::default(), Gauge::default());
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency", latency.clone());
        registry.register("http_requests_in_flight", "HTTP requests being served", in_flight.clone());
        registry.register("http_errors", "Error envelopes answered, by code", errors.clone());
        registry.register("store_pool_connections", "Open store connections (busy or idle)", pool_size.clone());
        registry.register("store_pool_idle_connections", "Idle store connections", pool_idle.clone());
        registry.register("store_pool_max_connections", "Most store connections the pool opens", pool_max.clone());
        Arc::new(Self { registry, requests, latency, in_flight, errors, pool_size, pool_idle, pool_max })
    }

    fn render(&self, app: &App) -> String {
        if let Some(pool) = app.pool_stats() {
            self.pool_size.set(i64::from(pool.size));
            self.pool_idle.set(i64::from(pool.idle));
            self.pool_max.set(i64::from(pool.max));
        }
        let mut text = String::new();
        encode(&mut text, &self.registry).expect("writing to a String cannot fail");
        text
    }
}

/// Counts and times every request. It runs around the router, so the matched route template is
/// read from the answer ([`Routed`], put there by every route's own layer).
pub(crate) async fn track<F: Future<Output = Response>>(
    metrics: &Metrics,
    request: Request,
    next: impl FnOnce(Request) -> F,
) -> Response {
    let method = Label::Method(request.method().clone());
    let started = Instant::now();
    metrics.in_flight.inc();
    let response = next(request).await;
    metrics.in_flight.dec();
    let route = Label::Route(response.extensions().get::<Routed>().map(|routed| routed.0.clone()));
    let labels = RequestLabels { method, route, status: response.status().as_u16() };
    metrics.latency.get_or_create(&labels).observe(started.elapsed().as_secs_f64());
    metrics.requests.get_or_create(&labels).inc();
    if let Some(error) = response.extensions().get::<ApiError>() {
        metrics.errors.get_or_create(&ErrorLabels { code: error.code }).inc();
    }
    response
}

/// The route template a request was routed to, carried out on its answer for [`track`].
#[derive(Clone)]
pub(crate) struct Routed(pub(crate) MatchedPath);

/// Carries the matched template out on the answer: the layer of routes that are not an API
/// face's (the web console's pages); a face's routes do it in their own layer (`api::within`).
pub(crate) async fn carry_route(request: Request, next: Next) -> Response {
    let matched = request.extensions().get::<MatchedPath>().cloned();
    let mut response = next.run(request).await;
    if let Some(matched) = matched {
        response.extensions_mut().insert(Routed(matched));
    }
    response
}

/// `/metrics` in the Prometheus text format.
#[utoipa::path(
    get,
    path = "/metrics",
    operation_id = "metrics",
    summary = "Prometheus metrics",
    description = "OpenMetrics text of the `canopy_*` series (see docs/api.md); expose it only to the monitoring \
                   network.",
    responses((status = 200, description = "The metrics.", body = String, content_type = OPENMETRICS))
)]
pub async fn scrape(metrics: Arc<Metrics>, app: App) -> Response {
    ([(CONTENT_TYPE, OPENMETRICS)], metrics.render(&app)).into_response()
}
