//! Extractors whose rejections speak the error envelope, and the caller of every route.

use crate::api::{Credentials, Presented, presented, schemes};
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use canopy_app::{App, AuthError};
use canopy_domain::{Admin, Principal};
use serde::de::DeserializeOwned;
use validator::Validate;

/// A JSON body: deserialized strictly (unknown fields refused) and validated.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Validate> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await.map_err(json_rejection)?;
        value.validate().map_err(|errors| {
            // Report the first failing field as domain errors do: its wire (camelCase) name.
            let field_errors = errors.field_errors();
            let (field, errs) =
                field_errors.iter().min_by_key(|(field, _)| field.to_string()).expect("validation failed");
            let reason = errs.first().and_then(|e| e.message.as_deref()).unwrap_or("is invalid").to_owned();
            let field = camel_case(field);
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", format!("{field}: {reason}"))
                .with_details(serde_json::json!({ "field": field, "reason": reason }))
        })?;
        Ok(Self(value))
    }
}

fn camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let first = parts.next().unwrap_or_default().to_owned();
    parts.fold(first, |mut out, part| {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
        out
    })
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let text = rejection.body_text();
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        return too_large();
    }
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::new(StatusCode::BAD_REQUEST, "malformed_json", text),
        JsonRejection::JsonDataError(_) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", text),
        JsonRejection::MissingJsonContentType(_) => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "expected a body with Content-Type: application/json",
        ),
        _ => ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", text),
    }
}

pub fn too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", "the request body is too large")
}

/// Path parameters; a malformed one (a uuid that is not a uuid) is a 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| Self(value))
            .map_err(|rejection: PathRejection| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_path", rejection.body_text())
            })
    }
}

/// Query parameters; a value of the wrong type is a 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection: QueryRejection| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", rejection.body_text())
            })
    }
}

/// The authenticated administrator calling a route: the session token presented by the first of
/// its face's schemes that the request uses (`Authorization: Bearer <token>` on the canopy face),
/// checked against the store's sessions (once per request: `record_body` leaves what it checked in
/// the request's extensions). Without one the answer is 401 `unauthenticated`; with a token that
/// is not (or no longer) a session, 401 `invalid_token`.
#[derive(Clone)]
pub struct Authenticated {
    pub admin: Admin,
    pub principal: Principal,
    /// The session token itself, for logout; empty when the caller sent its e-mail and password
    /// instead (HTTP Basic), which opens no session.
    pub token: String,
}

impl FromRequestParts<App> for Authenticated {
    type Rejection = ApiError;

    /// A session of an account that must change its password is refused here (403
    /// `password_change_required`): only [`OwnSession`] routes take it.
    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Self::resolve(parts, app, false).await
    }
}

/// The caller of the routes a session may use while its account must change its password: the
/// change itself and logout. Otherwise as [`Authenticated`].
pub struct OwnSession(pub Authenticated);

impl FromRequestParts<App> for OwnSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        Authenticated::resolve(parts, app, true).await.map(Self)
    }
}

impl Authenticated {
    /// The session of the request: the one `record_body` already checked (one session read per
    /// request), else the bearer token's. `pending_password_change` admits a session whose
    /// account must change its password.
    pub(crate) async fn resolve(parts: &Parts, app: &App, pending_password_change: bool) -> Result<Self, ApiError> {
        let checked = match parts.extensions.get::<Self>() {
            Some(checked) => checked.clone(),
            None => Self::lookup(parts, app).await?,
        };
        if checked.admin.must_change_password && !pending_password_change {
            return Err(AuthError::PasswordChangeRequired.into());
        }
        Ok(checked)
    }

    /// The session the request presents by the first of its face's schemes it uses, whether or
    /// not its account must change its password.
    pub(crate) async fn lookup(parts: &Parts, app: &App) -> Result<Self, ApiError> {
        let (admin, token) = match presented(schemes(parts), parts).ok_or(AuthError::MissingToken)?? {
            Presented::Token(token) => (app.auth.session(&token).await?, token),
            Presented::Credentials(Credentials { instance, email, password }) => {
                (app.auth.authenticate_password(instance.as_deref(), &email, password).await?, String::new())
            }
        };
        // Every log line of the request names who made it (never the token).
        tracing::Span::current().record("admin", admin.id.0);
        Ok(Self { principal: admin.principal(), admin, token })
    }
}

/// Who calls a route, as a handler takes it: an [`Authenticated`] administrator for a read, an
/// `Acting` one (with its request and precondition) for a change.
pub trait Who: FromRequestParts<App, Rejection = ApiError> {
    type Caller: Send;
    fn caller(self) -> Self::Caller;
}

impl Who for Authenticated {
    type Caller = Self;

    fn caller(self) -> Self {
        self
    }
}

/// What a handler takes, extracted in this order: the app, its caller (401 before anything
/// else), the path's parameters (400 `invalid_path`).
pub struct Calling<W: Who, P> {
    pub app: App,
    pub caller: W::Caller,
    pub path: P,
}

/// What a read takes: the app, the authenticated caller and the path's parameters.
pub type Reading<P> = Calling<Authenticated, P>;

impl<W: Who, P: DeserializeOwned + Send> FromRequestParts<App> for Calling<W, P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let caller = W::from_request_parts(parts, app).await?.caller();
        let ApiPath(path) = ApiPath::from_request_parts(parts, app).await?;
        Ok(Self { app: app.clone(), caller, path })
    }
}
