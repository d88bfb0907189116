//! The console's static files, embedded in the binary at build time: nothing is fetched at build
//! or run time, and the console works on a machine without network.

use crate::problem::Problem;
use axum::extract::Path;
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// Every asset: its name below `/console/assets/`, content type and bytes.
pub const ASSETS: &[(&str, &str, &[u8])] = &[
    ("console.css", "text/css; charset=utf-8", include_bytes!("../assets/console.css")),
    ("console.js", "text/javascript; charset=utf-8", include_bytes!("../assets/console.js")),
    ("logo.svg", "image/svg+xml", include_bytes!("../assets/logo.svg")),
];

pub async fn serve(Path(file): Path<String>) -> Result<Response, Problem> {
    let (_, media, bytes) = ASSETS.iter().find(|(name, _, _)| *name == file).ok_or_else(Problem::not_found)?;
    let mut response = (*bytes).into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(media));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
    Ok(response)
}
