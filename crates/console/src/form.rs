//! The forms' bodies: `application/x-www-form-urlencoded`, read once. A change ([`Posted`]) comes
//! from a signed-in session's page: same origin, the session's CSRF token, then its fields; the
//! app receives it as a [`Caller`] whose request the audit log records (the fields, secrets masked
//! by the app, the token left out). A public form ([`PublicForm`]: sign-in, password links) only
//! has to come from the same origin.

use crate::csrf;
use crate::problem::Problem;
use crate::session::Signed;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use canopy_app::{App, Caller, RequestMeta};
use canopy_domain::parse_version;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// A change asked by a signed-in administrator through a console form. `PENDING` admits a
/// session whose account must change its password first (the password change and signing out).
pub struct Posted<T, const PENDING: bool = false> {
    pub app: App,
    pub signed: Signed,
    /// Who asks, through which request, as the services take it.
    pub caller: Caller,
    pub form: T,
}

/// A form anyone may send (it opens or restores a session).
pub struct PublicForm<T> {
    pub app: App,
    pub request: RequestMeta,
    pub form: T,
}

fn refused(message: &str) -> Response {
    Problem::new(StatusCode::FORBIDDEN, "csrf", message).into_response()
}

const FOREIGN: &str = "This form was not sent from a page of this console: nothing was changed.";
const EXPIRED: &str = "This form has expired or belongs to another session: nothing was changed. Reload the page \
                       and try again.";

async fn read(request: Request, app: &App) -> Result<(Parts, Vec<(String, String)>, Bytes), Response> {
    let (parts, body) = request.into_parts();
    if !csrf::same_origin(&parts.headers) {
        return Err(refused(FOREIGN));
    }
    let request = Request::from_parts(parts.clone(), body);
    let bytes = Bytes::from_request(request, app).await.map_err(IntoResponse::into_response)?;
    let pairs = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map_err(|_| Problem::new(StatusCode::BAD_REQUEST, "invalid_body", "The form could not be read."))
        .map_err(IntoResponse::into_response)?;
    Ok((parts, pairs, bytes))
}

fn typed<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, Problem> {
    serde_urlencoded::from_bytes(bytes).map_err(|err| {
        Problem::new(StatusCode::BAD_REQUEST, "invalid_body", format!("The form could not be read: {err}"))
    })
}

/// The request as the audit log records it: id, method, path, and the version the form was
/// filled on (its `version` field).
fn meta(parts: &Parts, pairs: &[(String, String)]) -> RequestMeta {
    let id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let path = crate::session::original(parts);
    let version = pairs.iter().find(|(name, _)| name == "version").and_then(|(_, value)| parse_version(value));
    RequestMeta::new(id, parts.method.to_string(), path, version)
}

impl<T: DeserializeOwned + Send, const PENDING: bool> FromRequest<App> for Posted<T, PENDING> {
    type Rejection = Response;

    async fn from_request(request: Request, app: &App) -> Result<Self, Response> {
        let (parts, body) = request.into_parts();
        let signed = Signed::of(&parts, app, PENDING).await?;
        let (parts, pairs, bytes) = read(Request::from_parts(parts, body), app).await?;
        let sent = pairs.iter().find(|(name, _)| name == csrf::FIELD).map(|(_, value)| value.as_str());
        if !sent.is_some_and(|sent| csrf::matches(&signed.token, sent)) {
            return Err(refused(EXPIRED));
        }
        let recorded: Map<String, Value> = pairs
            .iter()
            .filter(|(name, _)| name != csrf::FIELD)
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        let request = meta(&parts, &pairs).with_body(Value::Object(recorded));
        let caller = Caller::new(&signed.admin, request, app.now());
        Ok(Self { app: app.clone(), signed, caller, form: typed(&bytes).map_err(IntoResponse::into_response)? })
    }
}

impl<T: DeserializeOwned + Send> FromRequest<App> for PublicForm<T> {
    type Rejection = Response;

    async fn from_request(request: Request, app: &App) -> Result<Self, Response> {
        let (parts, pairs, bytes) = read(request, app).await?;
        Ok(Self {
            app: app.clone(),
            request: meta(&parts, &pairs),
            form: typed(&bytes).map_err(IntoResponse::into_response)?,
        })
    }
}
