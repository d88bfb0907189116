//! A face: one API spoken over the tree. Each face is mounted under its own prefix and says how
//! its failures are rendered, which content types it speaks and how its callers authenticate.
//! The canopy API is the first face ([`crate::canopy`]); another one is a folder with its routes
//! and one more entry in [`super::faces`], and touches no other face.

use super::doc::SchemaRef;
use super::route::Route;
use super::schemes::{AuthScheme, Bearer};
use crate::error::ApiError;
use crate::metrics::Routed;
use axum::Extension;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request};
use axum::http::header::ACCEPT;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::MethodRouter;
use canopy_app::App;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tower::{Layer, Service};

/// An API face: where it is mounted and how it speaks.
pub struct Face {
    /// A short name (`canopy`).
    pub name: &'static str,
    /// Where its routes are mounted: their paths are declared below it.
    pub prefix: &'static str,
    /// A second, shorter mount for clients written for the system this face imitates (`/api/v1`),
    /// served only when the server has a default instance ([`super::HttpConfig::default_instance`]),
    /// which then stands for the prefix's `{draas_instance}`. Not in the OpenAPI document.
    pub alias: Option<&'static str>,
    /// How its failures are written.
    pub errors: ErrorStyle,
    /// The content types it speaks, preferred first: a failure is written in the first one the
    /// request's `Accept` admits, else in the first.
    pub media: &'static [&'static str],
    /// How its callers authenticate, tried in order: the first scheme the request uses decides.
    pub auth: &'static [&'static dyn AuthScheme],
}

/// How a face writes a failure.
#[derive(Clone, Copy)]
pub enum ErrorStyle {
    /// The canopy error envelope, as [`ApiError`] writes it.
    Envelope,
    /// Rewritten from the [`ApiError`] in the negotiated content type (see [`ApiError::render`]),
    /// and documented by the schema (of its JSON form) the second function answers.
    Render(fn(&ApiError, &'static str) -> Response, fn() -> SchemaRef),
}

/// A face and its routes, whose paths lie below the face's prefix.
pub struct Mount {
    pub face: Face,
    pub routes: Vec<Route>,
}

impl Mount {
    /// Each route with its whole path, beside its face (the canonical mounts only: what the
    /// document and the authorization matrix read).
    pub(crate) fn mounted(self) -> Vec<(Arc<Face>, Route)> {
        let face = Arc::new(self.face);
        self.routes
            .into_iter()
            .map(|mut route| {
                route.path = format!("{}{}", face.prefix, route.path);
                (face.clone(), route)
            })
            .collect()
    }
}

/// The face a request entered through, left in the request's extensions for the extractors.
#[derive(Clone)]
pub(crate) struct Entered {
    pub(crate) face: Arc<Face>,
}

/// The instance a request names without a `{draas_instance}` segment: it entered through a
/// face's alias, which stands for the server's default instance.
#[derive(Clone)]
pub(crate) struct DefaultInstance(pub(crate) Arc<str>);

/// The instance a request addresses: the path's `{draas_instance}`, or the default instance when
/// the request entered through a face's alias. A route mounted neither way answers 404
/// `instance_not_found`, as an instance this server does not serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceInstance(pub String);

impl<S: Send + Sync> FromRequestParts<S> for FaceInstance {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        if let Some(DefaultInstance(slug)) = parts.extensions.get::<DefaultInstance>() {
            return Ok(Self(slug.to_string()));
        }
        let not_served = || ApiError::new(StatusCode::NOT_FOUND, "instance_not_found", "no such instance");
        let params = RawPathParams::from_request_parts(parts, state).await.map_err(|_| not_served())?;
        let slug = params.iter().find(|(name, _)| *name == "draas_instance").map(|(_, value)| value.to_owned());
        slug.map(Self).ok_or_else(not_served)
    }
}

impl Face {
    /// The first of the face's content types that `Accept` admits, in the client's order; the
    /// face's first when the request states none it speaks.
    pub(crate) fn negotiate(&self, headers: &HeaderMap) -> &'static str {
        self.accepted(headers).unwrap_or_else(|| self.media.first().copied().unwrap_or(super::doc::JSON))
    }

    /// The first of the face's content types that `Accept` admits, in the client's order (the
    /// face's first without `Accept`, or for `*/*`); `None` when `Accept` admits none of them.
    pub(crate) fn accepted(&self, headers: &HeaderMap) -> Option<&'static str> {
        let default = self.media.first().copied().unwrap_or(super::doc::JSON);
        if headers.get(ACCEPT).is_none() {
            return Some(default);
        }
        let accepted = headers.get_all(ACCEPT).iter().filter_map(|value| value.to_str().ok());
        let ranges = accepted.flat_map(|value| value.split(',')).filter_map(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next()?.to_ascii_lowercase();
            let refused = parts.any(|param| param.replace(' ', "").eq_ignore_ascii_case("q=0"));
            (!refused).then_some(media)
        });
        for range in ranges {
            if range == "*/*" {
                return Some(default);
            }
            let found = self.media.iter().find(|media| match range.strip_suffix("/*") {
                Some(kind) => media.split('/').next() == Some(kind),
                None => media.eq_ignore_ascii_case(&range),
            });
            if let Some(media) = found {
                return Some(media);
            }
        }
        None
    }
}

/// The content type a handler answers in: the first of its face's types that the request's
/// `Accept` admits; 406 `not_acceptable` when it admits none.
pub struct Negotiated(pub &'static str);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Negotiated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(entered) = parts.extensions.get::<Entered>() else { return Ok(Self(super::doc::JSON)) };
        entered.face.accepted(&parts.headers).map(Self).ok_or_else(|| {
            let speaks = entered.face.media.join(", ");
            ApiError::new(
                axum::http::StatusCode::NOT_ACCEPTABLE,
                "not_acceptable",
                format!("Accept admits none of the types this API speaks: {speaks}"),
            )
        })
    }
}

/// The alias path of a route mounted at `path` under its face's prefix, when the face has an
/// alias: the prefix replaced by the alias.
pub(crate) fn alias_path(face: &Face, path: &str) -> Option<String> {
    let alias = face.alias?;
    path.strip_prefix(face.prefix).map(|rest| format!("{alias}{rest}"))
}

/// A route's handler under its face's alias: the default instance stands for `{draas_instance}`.
pub(crate) fn aliased(handler: MethodRouter<App>, default: Arc<str>) -> MethodRouter<App> {
    handler.layer(Extension(DefaultInstance(default)))
}

/// A route's handler within its face: the face recorded for the extractors, the route's failures
/// written the face's way unless the face writes the envelope, and the matched template carried
/// out on the answer for the metrics (which run around the router, [`crate::stack`]). One
/// hand-written layer, not a `from_fn`: it runs on every request.
pub(crate) fn within(handler: MethodRouter<App>, face: Arc<Face>) -> MethodRouter<App> {
    handler.layer(Within::new(face))
}

#[derive(Clone)]
struct Within<S = ()> {
    face: Arc<Face>,
    inner: S,
}

impl Within {
    fn new(face: Arc<Face>) -> Self {
        Self { face, inner: () }
    }
}

impl<S> Layer<S> for Within {
    type Service = Within<S>;

    fn layer(&self, inner: S) -> Within<S> {
        Within { face: self.face.clone(), inner }
    }
}

impl<S> Service<Request> for Within<S>
where
    S: Service<Request, Response = Response, Error = Infallible>,
    S::Future: Send + 'static,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request) -> Self::Future {
        let face = self.face.clone();
        let matched = request.extensions().get::<MatchedPath>().cloned();
        let media = matches!(face.errors, ErrorStyle::Render(..)).then(|| face.negotiate(request.headers()));
        request.extensions_mut().insert(Entered { face: face.clone() });
        let answer = self.inner.call(request);
        Box::pin(async move {
            let Ok(mut response) = answer.await;
            if let Some(matched) = matched {
                response.extensions_mut().insert(Routed(matched));
            }
            Ok(match media {
                Some(media) => rendered(&face, media, response),
                None => response,
            })
        })
    }
}

/// A failure written the face's way (once: the answer is marked as written).
fn rendered(face: &Face, media: &'static str, response: Response) -> Response {
    let ErrorStyle::Render(render, _) = face.errors else { return response };
    if response.extensions().get::<Rendered>().is_some() {
        return response;
    }
    match response.extensions().get::<ApiError>() {
        Some(error) => {
            let mut written = render(error, media);
            written.extensions_mut().insert(Rendered);
            written
        }
        None => response,
    }
}

/// Marks a failure a face already wrote its way.
#[derive(Clone, Copy)]
struct Rendered;

/// The faces that write failures their own way, for the refusals made before a request is
/// routed (a declared body over the limit, a body or a request that took too long): written the
/// way of the face whose prefix the path lies under.
#[derive(Clone)]
pub(crate) struct RenderedFaces(pub(crate) Arc<Vec<Arc<Face>>>);

pub(crate) async fn render_unrouted<F: Future<Output = Response>>(
    faces: &RenderedFaces,
    request: Request,
    next: impl FnOnce(Request) -> F,
) -> Response {
    let face = faces.0.iter().find(|face| under(face.prefix, request.uri().path())).cloned();
    let media = face.as_ref().map(|face| face.negotiate(request.headers()));
    let response = next(request).await;
    match (face, media) {
        (Some(face), Some(media)) => rendered(&face, media, response),
        _ => response,
    }
}

/// Whether `path` lies under the prefix `template` (whose `{param}` segments match any segment).
fn under(template: &str, path: &str) -> bool {
    let mut segments = path.split('/');
    template.split('/').all(|expected| {
        segments.next().is_some_and(|segment| expected == segment || (expected.starts_with('{') && !segment.is_empty()))
    })
}

/// The schemes a request may authenticate with: its face's, or the bearer scheme outside any face.
pub(crate) fn schemes(parts: &Parts) -> &'static [&'static dyn AuthScheme] {
    match parts.extensions.get::<Entered>() {
        Some(entered) => entered.face.auth,
        None => &[&Bearer],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn negotiated(accept: Option<&str>) -> &'static str {
        let face = Face {
            name: "test",
            prefix: "",
            alias: None,
            errors: ErrorStyle::Envelope,
            media: &["application/xml", "application/json"],
            auth: &[],
        };
        let mut headers = HeaderMap::new();
        if let Some(accept) = accept {
            headers.insert(ACCEPT, HeaderValue::from_str(accept).unwrap());
        }
        face.negotiate(&headers)
    }

    #[test]
    fn a_path_lies_under_a_prefix_whose_parameters_match_any_segment() {
        let prefix = "/api/v01/draas/{draas_instance}/tenants/{uuid}/x";
        assert!(under(prefix, "/api/v01/draas/default/tenants/42/x/user-group"));
        assert!(under(prefix, "/api/v01/draas/default/tenants/42/x"));
        assert!(!under(prefix, "/api/v01/draas/default/tenants/42/y/user-group"));
        assert!(!under(prefix, "/api/v01/draas/default/tenants//x"));
        assert!(!under(prefix, "/api/v01/draas/default"));
    }

    #[test]
    fn a_face_speaks_the_first_of_its_types_the_client_accepts_else_its_first() {
        assert_eq!(negotiated(None), "application/xml");
        assert_eq!(negotiated(Some("application/json")), "application/json");
        assert_eq!(negotiated(Some("text/html, Application/JSON; charset=utf-8")), "application/json");
        assert_eq!(negotiated(Some("application/*")), "application/xml");
        assert_eq!(negotiated(Some("*/*, application/json")), "application/xml");
        assert_eq!(negotiated(Some("application/xml;q=0, application/json")), "application/json");
        assert_eq!(negotiated(Some("text/plain")), "application/xml");
    }
}
