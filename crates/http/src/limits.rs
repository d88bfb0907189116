//! Request bodies are bounded before anything reads them: a declared `Content-Length` over the
//! limit is refused at once, unread, and a body that does not arrive within the read timeout is
//! answered `408`, whoever was reading it (the audit recorder or a handler's extractor). Both are
//! the client's faults: they never turn into a `503`.

use crate::error::ApiError;
use crate::extract::too_large;
use crate::metrics::Routed;
use axum::body::{Body, Bytes, HttpBody};
use axum::extract::Request;
use axum::http::header::{CONNECTION, CONTENT_LENGTH};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::Sleep;

/// What a request body may be: at most `max_bytes`, all of it arrived within `read_timeout` of
/// the first read.
#[derive(Debug, Clone)]
pub struct BodyLimits {
    pub max_bytes: usize,
    pub read_timeout: Duration,
    /// The routes bounded by a limit of their own instead of `max_bytes`.
    pub wider: Arc<Vec<WiderLimit>>,
}

/// A route whose bodies are bounded by their own limit (a logo upload): its method and path
/// template, whose `{parameters}` match any one segment.
#[derive(Debug, Clone)]
pub struct WiderLimit {
    method: Method,
    segments: Vec<String>,
    max_bytes: usize,
}

impl WiderLimit {
    pub fn new(method: Method, template: &str, max_bytes: usize) -> Self {
        Self { method, segments: template.split('/').map(str::to_owned).collect(), max_bytes }
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        let parameter = |segment: &str| segment.starts_with('{') && segment.ends_with('}');
        *method == self.method
            && path.split('/').count() == self.segments.len()
            && path.split('/').zip(&self.segments).all(|(sent, template)| parameter(template) || sent == template)
    }
}

impl BodyLimits {
    /// The limit of the route the request is for.
    fn of(&self, request: &Request) -> usize {
        let (method, path) = (request.method(), request.uri().path());
        self.wider.iter().find(|wider| wider.matches(method, path)).map_or(self.max_bytes, |wider| wider.max_bytes)
    }
}

/// Refuses a declared length over the limit without reading, and answers `408` when the body's
/// read timed out, or was still waiting for the client when the request timeout struck.
pub(crate) async fn guard_body<F: Future<Output = Response>>(
    limits: &BodyLimits,
    request: Request,
    next: impl FnOnce(Request) -> F,
) -> Response {
    if declared_length(&request).is_some_and(|length| length > limits.of(&request) as u64) {
        return closing(too_large());
    }
    // A request without a body (most reads) has nothing to time: no timer, no wrapper.
    if request.body().is_end_stream() {
        return next(request).await;
    }
    let progress = Progress::default();
    let request = request.map(|body| Body::new(TimedBody::new(body, limits.read_timeout, progress.clone())));
    let response = next(request).await;
    let request_timed_out = response.extensions().get::<ApiError>().is_some_and(|error| error.code == "timeout");
    match progress.get() {
        TIMED_OUT => timed_out(response),
        READING if request_timed_out => timed_out(response),
        _ => response,
    }
}

/// The 408 in place of `answer`, still counted under the route it was routed to.
fn timed_out(answer: Response) -> Response {
    let mut response = closing(request_timeout());
    if let Some(routed) = answer.extensions().get::<Routed>() {
        response.extensions_mut().insert(routed.clone());
    }
    response
}

/// `408 request_timeout`: the body did not arrive in time.
pub fn request_timeout() -> ApiError {
    ApiError::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", "the request body did not arrive in time")
}

/// The answer, with the connection closed after it: the rest of the body is never read.
fn closing(error: ApiError) -> Response {
    error.with_header(CONNECTION, HeaderValue::from_static("close")).into_response()
}

fn declared_length(request: &Request) -> Option<u64> {
    request.headers().get(CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

const UNREAD: u8 = 0;
const READING: u8 = 1;
const DONE: u8 = 2;
const TIMED_OUT: u8 = 3;

/// How far the body's reading went, seen by the middleware after the handler answered.
#[derive(Clone)]
struct Progress(Arc<AtomicU8>);

impl Default for Progress {
    fn default() -> Self {
        Self(Arc::new(AtomicU8::new(UNREAD)))
    }
}

impl Progress {
    fn get(&self) -> u8 {
        self.0.load(Ordering::Acquire)
    }

    fn set(&self, state: u8) {
        self.0.store(state, Ordering::Release);
    }
}

/// The request's body, failing once `read_timeout` has passed since its first read.
struct TimedBody {
    inner: Body,
    read_timeout: Duration,
    deadline: Option<Pin<Box<Sleep>>>,
    progress: Progress,
}

impl TimedBody {
    fn new(inner: Body, read_timeout: Duration, progress: Progress) -> Self {
        Self { inner, read_timeout, deadline: None, progress }
    }
}

#[derive(Debug)]
struct BodyTimedOut;

impl std::fmt::Display for BodyTimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the request body did not arrive in time")
    }
}

impl std::error::Error for BodyTimedOut {}

impl HttpBody for TimedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = &mut *self;
        if this.progress.get() == TIMED_OUT {
            return Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))));
        }
        if this.deadline.is_none() {
            this.progress.set(READING);
            this.deadline = Some(Box::pin(tokio::time::sleep(this.read_timeout)));
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(None) => {
                this.progress.set(DONE);
                Poll::Ready(None)
            }
            Poll::Ready(Some(frame)) => Poll::Ready(Some(frame)),
            Poll::Pending => match this.deadline.as_mut().map(|deadline| deadline.as_mut().poll(cx)) {
                Some(Poll::Ready(())) => {
                    this.progress.set(TIMED_OUT);
                    Poll::Ready(Some(Err(axum::Error::new(BodyTimedOut))))
                }
                _ => Poll::Pending,
            },
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::routing::post;
    use futures::StreamExt;
    use tower::ServiceExt;

    fn limits() -> BodyLimits {
        let logo = WiderLimit::new(Method::POST, "/groups/{group}/logo", 4096);
        BodyLimits { max_bytes: 1024, read_timeout: Duration::from_secs(10), wider: Arc::new(vec![logo]) }
    }

    fn router() -> Router {
        let echo = post(|body: Bytes| async move { body.len().to_string() });
        let routes = Router::new().route("/", echo.clone()).route("/groups/{group}/logo", echo);
        routes.layer(axum::middleware::from_fn(|request: Request, next: axum::middleware::Next| async move {
            guard_body(&limits(), request, |request| next.run(request)).await
        }))
    }

    #[tokio::test]
    async fn a_route_with_a_limit_of_its_own_is_held_to_that_one() {
        let sized = |path: &str, length: usize| {
            let request = Request::post(path).header(CONTENT_LENGTH, length.to_string());
            request.body(Body::from(vec![0u8; length])).unwrap()
        };
        let status = async |request: Request| router().oneshot(request).await.unwrap().status();
        assert_eq!(status(sized("/groups/7/logo", 3000)).await, StatusCode::OK);
        assert_eq!(status(sized("/groups/7/logo", 5000)).await, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(status(sized("/", 3000)).await, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(status(sized("/groups/7/logo/x", 3000)).await, StatusCode::PAYLOAD_TOO_LARGE, "a longer path");
    }

    async fn code_of(response: Response) -> String {
        let body = axum::body::to_bytes(response.into_body(), 4096).await.unwrap();
        serde_json::from_slice::<serde_json::Value>(&body).unwrap()["error"]["code"].as_str().unwrap().to_owned()
    }

    #[tokio::test]
    async fn a_declared_length_over_the_limit_is_refused_without_reading_the_body() {
        // A body that would never end: answering proves it was not read.
        let endless = Body::from_stream(futures::stream::pending::<Result<Bytes, std::io::Error>>());
        let request = Request::post("/").header(CONTENT_LENGTH, "99999999999").body(endless).unwrap();
        let response = router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(response.headers()[CONNECTION], "close");
        assert_eq!(code_of(response).await, "payload_too_large");
        let request = Request::post("/").header(CONTENT_LENGTH, "3").body(Body::from("abc")).unwrap();
        assert_eq!(router().oneshot(request).await.unwrap().status(), StatusCode::OK);
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stalls_is_answered_408_after_the_read_timeout() {
        let stalled = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"{\"na"))])
            .chain(futures::stream::pending());
        let request = Request::post("/").body(Body::from_stream(stalled)).unwrap();
        let response = router().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::REQUEST_TIMEOUT);
        assert_eq!(response.headers()[CONNECTION], "close");
        assert_eq!(code_of(response).await, "request_timeout");
    }
}
