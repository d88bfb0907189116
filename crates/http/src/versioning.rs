//! Versions on the wire: every mutable resource answers with its version in the body and as a
//! strong `ETag` (`"3"`), which a client sends back in `If-Match` (or as `?version=3`) to change
//! or delete it only if nobody changed it meanwhile; a stale one is answered 426.

use axum::http::header::ETAG;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use canopy_domain::Version;

/// The strong entity tag of a version: `"3"`.
pub fn etag(version: Version) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", version.0)).expect("digits and quotes are a valid header value")
}

/// `204` with no body and the `ETag` of the version a change made.
pub fn changed(version: Version) -> Response {
    tagged(version, StatusCode::NO_CONTENT)
}

/// `response` with the `ETag` of `version`.
pub fn tagged(version: Version, response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    response.headers_mut().insert(ETAG, etag(version));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_etag_is_the_quoted_version() {
        assert_eq!(etag(Version(3)), HeaderValue::from_static("\"3\""));
        let response = tagged(Version(12), "body");
        assert_eq!(response.headers()[ETAG], "\"12\"");
    }
}
