//! The caller of a change route: who (the bearer's administrator), through which request (id,
//! method, path, body with secrets masked) and on the strength of which version (`If-Match` or
//! `?version=`). The app records all of it with the change ([`canopy_app::Caller`]).

use crate::error::ApiError;
use crate::extract::{Authenticated, Calling, Who, too_large};
use crate::ops::REQUEST_ID;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::Method;
use axum::http::header::IF_MATCH;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use canopy_app::{App, Caller, RequestMeta};
use canopy_domain::{BadPrecondition, Version, agree, mask_secrets, parse_if_match, parse_version};
use serde_json::Value;

/// The JSON body of an authenticated change, secrets already masked, kept for the audit log.
#[derive(Clone)]
struct RecordedBody(Value);

/// What [`record_body`] needs: the app, to authenticate, and the body limit.
#[derive(Clone)]
pub struct BodyRecorder {
    pub app: App,
    pub limit: usize,
}

/// Whether a route of `method` changes something: the routes [`record_body`] is installed on.
pub(crate) fn is_change(method: &Method) -> bool {
    matches!(*method, Method::POST | Method::PUT | Method::PATCH | Method::DELETE)
}

/// Reads the body of an authenticated change once, so the handler's extractor and the audit log
/// both see it. Installed on the change routes ([`is_change`]) that need a session only (reads
/// go without it), and reads nothing before the bearer token is known to be one (its one session
/// read is kept for the handler's extractor): an invalid token is refused with the body unread.
pub async fn record_body(State(recorder): State<BodyRecorder>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    // Any session will do here (one whose account must change its password too): the route's
    // own extractor decides what the session may do.
    match Authenticated::lookup(&parts, &recorder.app).await {
        Ok(authenticated) => parts.extensions.insert(authenticated),
        Err(refused) => return refused.into_response(),
    };
    // A read that fails is a body over the limit, or one that timed out (`limits::guard_body`
    // answers that one).
    let Ok(bytes) = axum::body::to_bytes(body, recorder.limit).await else {
        return too_large().into_response();
    };
    if let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) {
        mask_secrets(&mut value);
        parts.extensions.insert(RecordedBody(value));
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// The authenticated administrator asking for a change, with its request.
pub struct Acting(pub Caller);

/// What a change takes: the app, the acting caller and the path's parameters (see [`Calling`]);
/// a body comes after.
pub type Changing<P> = Calling<Acting, P>;

impl Who for Acting {
    type Caller = Caller;

    fn caller(self) -> Caller {
        self.0
    }
}

impl FromRequestParts<App> for Acting {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let Authenticated { admin, .. } = Authenticated::from_request_parts(parts, app).await?;
        let mut meta = request_meta(parts, expected_version(parts)?);
        if let Some(RecordedBody(body)) = parts.extensions.get::<RecordedBody>() {
            meta = meta.with_body(body.clone());
        }
        Ok(Self(Caller::new(&admin, meta, app.now())))
    }
}

/// The request of a public route that changes an account (activation, reset), as the audit log
/// records it: its id, method and path. Its body holds nothing but secrets and is not kept.
pub struct RequestInfo(pub RequestMeta);

impl<S: Send + Sync> FromRequestParts<S> for RequestInfo {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        Ok(Self(request_meta(parts, None)))
    }
}

fn request_meta(parts: &Parts, expected: Option<Version>) -> RequestMeta {
    let id = parts.headers.get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    // A path that carries a secret (an authorization code) is recorded as its route's template.
    let path = match parts.extensions.get::<crate::api::SecretTemplate>() {
        Some(template) => template.0.to_string(),
        None => parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned()),
    };
    RequestMeta::new(id, parts.method.to_string(), path, expected)
}

/// The version the client asserts: `If-Match: "<version>"` (an entity tag, weak or strong; `*`
/// asserts nothing) or `?version=<version>`; both must agree when both are sent. The reading
/// itself is the domain's (`parse_if_match`, `parse_version`, `agree`).
fn expected_version(parts: &Parts) -> Result<Option<Version>, ApiError> {
    const NOT_A_TAG: BadPrecondition = BadPrecondition("If-Match must be an entity tag such as \"3\"");
    let from_header = match parts.headers.get(IF_MATCH) {
        None => None,
        Some(value) => parse_if_match(value.to_str().map_err(|_| NOT_A_TAG)?)?,
    };
    let from_query = match parts.uri.query() {
        None => None,
        Some(query) => query
            .split('&')
            .filter_map(|pair| pair.split_once('=').filter(|(key, _)| *key == "version"))
            .map(|(_, value)| parse_version(value).ok_or(BadPrecondition("version must be a positive integer")))
            .next()
            .transpose()?,
    };
    Ok(agree(from_header, from_query)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request as HttpRequest;
    use axum::http::StatusCode;

    fn parts(uri: &str, if_match: Option<&str>) -> Parts {
        let mut builder = HttpRequest::builder().uri(uri);
        if let Some(value) = if_match {
            builder = builder.header(IF_MATCH, value);
        }
        builder.body(()).unwrap().into_parts().0
    }

    #[test]
    fn a_version_comes_from_if_match_or_the_query() {
        assert_eq!(expected_version(&parts("/x", None)).unwrap(), None);
        assert_eq!(expected_version(&parts("/x", Some("\"3\""))).unwrap(), Some(Version(3)));
        assert_eq!(expected_version(&parts("/x", Some("W/\"4\""))).unwrap(), Some(Version(4)));
        assert_eq!(expected_version(&parts("/x", Some("*"))).unwrap(), None);
        assert_eq!(expected_version(&parts("/x?a=1&version=5", None)).unwrap(), Some(Version(5)));
        assert_eq!(expected_version(&parts("/x?version=5", Some("\"5\""))).unwrap(), Some(Version(5)));
    }

    #[test]
    fn a_malformed_or_contradictory_version_is_refused() {
        for (uri, header) in [
            ("/x", Some("\"three\"")),
            ("/x", Some("\"1\", \"2\"")),
            ("/x?version=0", None),
            ("/x?version=-1", None),
            ("/x?version=99999999999999999999999", None),
            ("/x?version=5", Some("\"6\"")),
        ] {
            let err = expected_version(&parts(uri, header)).unwrap_err();
            assert_eq!(err.status, StatusCode::BAD_REQUEST, "{uri} {header:?}");
            assert_eq!(err.code, "invalid_precondition");
        }
    }
}
