//! The error envelope of every failure (portal spec):
//! `{"error": {"code", "message", "domain": "canopy", "details": {...}, "context": {}}}`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::NodeError;
use canopy_domain::DomainError;
use serde_json::{Value, json};

/// The envelope's code, left on the response for the metrics layer to count.
#[derive(Debug, Clone, Copy)]
pub struct ErrorCode(pub &'static str);

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Value,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self { status, code, details: json!({ "info": message }), message }
    }

    /// Adds fields to `details`, beside its `info`.
    pub fn with_details(mut self, extra: Value) -> Self {
        if let (Value::Object(details), Value::Object(extra)) = (&mut self.details, extra) {
            details.extend(extra);
        }
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "error": {
                "code": self.code,
                "message": self.message,
                "domain": "canopy",
                "details": self.details,
                "context": {},
            }
        });
        let mut response = (self.status, Json(body)).into_response();
        response.extensions_mut().insert(ErrorCode(self.code));
        response
    }
}

impl From<DomainError> for ApiError {
    fn from(err: DomainError) -> Self {
        let message = err.to_string();
        match err {
            DomainError::Invalid { field, reason } => ApiError::new(StatusCode::BAD_REQUEST, "invalid_field", message)
                .with_details(json!({ "field": field, "reason": reason })),
            DomainError::ForbiddenChild { .. } => ApiError::new(StatusCode::BAD_REQUEST, "forbidden_child", message),
            DomainError::InvalidNextToken(_) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_next_token", message),
            DomainError::NotEmpty { children, .. } => ApiError::new(StatusCode::BAD_REQUEST, "not_empty", message)
                .with_details(json!({ "children": children })),
        }
    }
}

impl From<NodeError> for ApiError {
    fn from(err: NodeError) -> Self {
        let message = err.to_string();
        match err {
            NodeError::InstanceNotFound => ApiError::new(StatusCode::NOT_FOUND, "instance_not_found", message),
            NodeError::NotFound(_) => ApiError::new(StatusCode::NOT_FOUND, "not_found", message),
            NodeError::Invalid(err) => err.into(),
            NodeError::DuplicateName => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_name", message)
                .with_details(json!({ "field": "name" })),
            NodeError::DuplicateTenantId => ApiError::new(StatusCode::BAD_REQUEST, "duplicate_tenant_id", message)
                .with_details(json!({ "field": "tenantId" })),
            NodeError::NotEmpty { kind, children } => {
                let message = format!("the {kind} still has children: delete them first");
                ApiError::new(StatusCode::BAD_REQUEST, "not_empty", message)
                    .with_details(json!({ "children": children }))
            }
            NodeError::Unavailable(reason) => {
                tracing::warn!(%reason, "store unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "store_unavailable",
                    "the store is unavailable, retry later",
                )
            }
            NodeError::Internal(source) => {
                tracing::error!(error = ?source, "internal error");
                internal()
            }
        }
    }
}

/// The generic answer to a server fault: details stay in the log.
pub fn internal() -> ApiError {
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal server error")
}
