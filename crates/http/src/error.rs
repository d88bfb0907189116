//! The error envelope of every failure (portal spec):
//! `{"error": {"code", "message", "domain": "canopy", "details": {...}, "context": {}}}`.

use axum::Json;
use axum::body::Body;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_TYPE, ETAG, HeaderName, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::response::{IntoResponse, Response};
use canopy_app::{AppError, AuthError};
use canopy_domain::{BadPrecondition, DomainError, VersionMismatch};
use serde_json::{Value, json};

/// A failure. It is written as the canopy envelope, and left in the response's extensions: the
/// metrics layer counts its code, and a face that writes failures its own way renders it again
/// ([`ApiError::render`]).
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Value,
    /// Headers the status calls for (`Retry-After` on 423, `WWW-Authenticate` on 401).
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self { status, code, details: json!({ "info": message }), message, headers: vec![] }
    }

    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Adds fields to `details`, beside its `info`.
    pub fn with_details(mut self, extra: Value) -> Self {
        if let (Value::Object(details), Value::Object(extra)) = (&mut self.details, extra) {
            details.extend(extra);
        }
        self
    }

    /// The envelope itself: the body of every failure.
    pub fn body(&self) -> Value {
        json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "domain": "canopy",
                "details": self.details,
                "context": {},
            }
        })
    }

    /// The failure with another body, of content type `media`: its status, its headers, and itself
    /// in the extensions, as the envelope has them.
    pub fn render(&self, media: &'static str, body: impl Into<Body>) -> Response {
        let mut response = (self.status, [(CONTENT_TYPE, media)], body.into()).into_response();
        response.headers_mut().extend(self.headers.clone());
        response.extensions_mut().insert(self.clone());
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body())).into_response();
        response.headers_mut().extend(self.headers.clone());
        response.extensions_mut().insert(self);
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let message = err.to_string();
        match err {
            DomainError::Invalid { field, reason } => ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
                .with_details(json!({ "field": field, "reason": reason })),
            DomainError::InvalidProperty { key, reason } => {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_property", message)
                    .with_details(json!({ "key": key, "reason": reason }))
            }
            DomainError::ForbiddenChild { .. } => ApiError::new(StatusCode::BAD_REQUEST, "forbidden_child", message),
            DomainError::InvalidNextToken(_) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_next_token", message),
            DomainError::NotEmpty { children, .. } => ApiError::new(StatusCode::BAD_REQUEST, "not_empty", message)
                .with_details(json!({ "children": children })),
            // The client's answer names the codes (it sent them); the message, which the audit
            // log records, does not. `apioCode` 11: APIO's ALREADY_EXISTS.
            DomainError::DuplicateCodes(codes) => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_code", message)
                .with_details(json!({
                    "field": "authCodes",
                    "codes": codes.iter().map(|code| code.as_str()).collect::<Vec<_>>(),
                    "apioCode": 11,
                })),
            DomainError::UserLimitReached { limit, count } => {
                ApiError::new(StatusCode::BAD_REQUEST, "user_limit_reached", message)
                    .with_details(json!({ "field": "userLimit", "limit": limit, "count": count }))
            }
            DomainError::UserLimitBelowCount { limit, count } => {
                ApiError::new(StatusCode::BAD_REQUEST, "user_limit_below_count", message)
                    .with_details(json!({ "field": "userLimit", "limit": limit, "count": count }))
            }
        }
    }
}

impl From<BadPrecondition> for ApiError {
    fn from(err: BadPrecondition) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "invalid_precondition", err.to_string())
    }
}

impl From<AppError> for ApiError {
    fn from(err: AppError) -> Self {
        let message = err.to_string();
        match err {
            AppError::InstanceNotFound => ApiError::new(StatusCode::NOT_FOUND, "instance_not_found", message),
            AppError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", message),
            AppError::Invalid(err) => err.into(),
            AppError::DuplicateName(kind) => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_name", message)
                .with_details(json!({ "field": kind.name_rule().field() })),
            AppError::DuplicateTenantId => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_tenant_id", message)
                .with_details(json!({ "field": "tenantId" })),
            AppError::DuplicateUserId => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_user_id", message)
                .with_details(json!({ "field": "userId" })),
            AppError::NotEmpty { kind, children } => {
                let message = format!("the {} still has children: delete them first", kind.noun());
                ApiError::new(StatusCode::BAD_REQUEST, "not_empty", message)
                    .with_details(json!({ "children": children.shown(kind.may_hold()) }))
            }
            AppError::Forbidden(permission) => ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
                .with_details(json!({ "permission": permission.to_string() })),
            AppError::AdminNotFound => ApiError::new(StatusCode::NOT_FOUND, "admin_not_found", message),
            AppError::DuplicateEmail(field) => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_email", message)
                .with_details(json!({ "field": field })),
            AppError::RatePlanNotFound => ApiError::new(StatusCode::NOT_FOUND, "rate_plan_not_found", message),
            AppError::BrandNotFound => ApiError::new(StatusCode::NOT_FOUND, "brand_not_found", message),
            AppError::LogoNotFound => ApiError::new(StatusCode::NOT_FOUND, "logo_not_found", message),
            AppError::UnknownDestination => ApiError::new(StatusCode::BAD_REQUEST, "unknown_destination", message)
                .with_details(json!({ "field": "destinationId" })),
            AppError::VersionMismatch(VersionMismatch { expected, current }) => {
                ApiError::new(StatusCode::UPGRADE_REQUIRED, "version_mismatch", message)
                    .with_details(json!({ "info": "Version mismatch", "expected": expected.0, "current": current.0 }))
                    .with_header(ETAG, crate::versioning::etag(current))
            }
            AppError::CodeNotFound => ApiError::new(StatusCode::NOT_FOUND, "code_not_found", message),
            AppError::VoiceNotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", message),
            AppError::DuplicateVoiceName(_) => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_name", message)
                .with_details(json!({ "field": "name" })),
            AppError::UnknownUsages(ids) => ApiError::new(StatusCode::BAD_REQUEST, "unknown_pstn_usage", message)
                .with_details(json!({ "field": "pstnUsages", "ids": ids.iter().map(|id| id.0).collect::<Vec<_>>() })),
            AppError::UsageInUse(referrers) => {
                let referrers: Vec<crate::voice_routing::ReferrerItem> = referrers.iter().map(Into::into).collect();
                ApiError::new(StatusCode::BAD_REQUEST, "pstn_usage_in_use", message)
                    .with_details(json!({ "referrers": referrers }))
            }
            AppError::UserGroupNotFound(id) => ApiError::new(StatusCode::NOT_FOUND, "user_group_not_found", message)
                .with_details(json!({ "id": id.0 })),
            AppError::DuplicateUserGroupName(_) => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_name", message)
                .with_details(json!({ "field": "name" })),
            AppError::UnknownPermissions(names) => {
                ApiError::new(StatusCode::BAD_REQUEST, "unknown_permission", message)
                    .with_details(json!({ "field": "permissions", "names": names }))
            }
            AppError::CannotDeleteSelf => ApiError::new(StatusCode::BAD_REQUEST, "cannot_delete_self", message),
            // No `Retry-After`: a tree lock lasts until someone unlocks it.
            AppError::TreeLocked => ApiError::new(StatusCode::LOCKED, "tree_locked", message),
            AppError::MailUnavailable(reason) => {
                tracing::warn!(%reason, "mail server unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "mail_unavailable",
                    "the mail server is unavailable, retry later",
                )
            }
            AppError::Unavailable(reason) => {
                tracing::warn!(%reason, "store unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    "the store is unavailable, retry later",
                )
            }
            AppError::Internal(source) => {
                tracing::error!(error = ?source, "internal error");
                internal()
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(err: AuthError) -> Self {
        let message = err.to_string();
        let bearer = || (WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        match err {
            AuthError::MissingToken => {
                let (name, value) = bearer();
                ApiError::new(StatusCode::UNAUTHORIZED, "unauthenticated", message).with_header(name, value)
            }
            AuthError::InvalidToken => {
                let (name, value) = (WWW_AUTHENTICATE, HeaderValue::from_static("Bearer error=\"invalid_token\""));
                ApiError::new(StatusCode::UNAUTHORIZED, "invalid_token", message).with_header(name, value)
            }
            AuthError::InvalidCredentials => ApiError::new(StatusCode::UNAUTHORIZED, "invalid_credentials", message),
            AuthError::Locked { retry_after_secs } => ApiError::new(StatusCode::LOCKED, "account_locked", message)
                .with_details(json!({ "retryAfter": retry_after_secs }))
                .with_header(RETRY_AFTER, HeaderValue::from(retry_after_secs)),
            AuthError::AddressRefused { client_ip } => {
                ApiError::new(StatusCode::FORBIDDEN, "logon_ip_refused", message)
                    .with_details(json!({ "clientIp": client_ip }))
            }
            AuthError::AccountDisabled => ApiError::new(StatusCode::FORBIDDEN, "account_disabled", message),
            AuthError::InvalidOneTimeToken => ApiError::new(StatusCode::BAD_REQUEST, "invalid_one_time_token", message),
            AuthError::PasswordChangeRequired => {
                ApiError::new(StatusCode::FORBIDDEN, "password_change_required", message)
            }
            AuthError::App(err) => err.into(),
        }
    }
}

/// The generic answer to a server fault: details stay in the log.
pub fn internal() -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error")
}
