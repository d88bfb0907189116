//! A refusal in words: what a service answered, as the API words it ([`ApiError`]: the same
//! status, code and message, and the field or key it names), so that a form shows it next to the
//! input that caused it. Shown alone, it is the console's error page.

use crate::layout;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::{AppError, AuthError};
use canopy_domain::{KindCounts, Referrer};
use canopy_http::ApiError;
use maud::html;
use serde_json::Value;

/// A refusal (boxed: results carry it often and it is rarely there).
#[derive(Debug, Clone)]
pub struct Problem(Box<Refused>);

#[derive(Debug, Clone)]
pub struct Refused {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The input it is about (`name`, `tenantId`, a configuration key ...), when it names one.
    pub field: Option<String>,
    /// The children that block a deletion, when it is that refusal.
    pub blockers: Option<KindCounts>,
    /// What still uses a PSTN usage whose deletion was refused.
    pub referrers: Vec<Referrer>,
}

impl std::ops::Deref for Problem {
    type Target = Refused;

    fn deref(&self) -> &Refused {
        &self.0
    }
}

impl From<ApiError> for Problem {
    fn from(error: ApiError) -> Self {
        let named = |key: &str| error.details.get(key).and_then(Value::as_str).map(str::to_owned);
        let field = named("field").or_else(|| named("key"));
        let mut problem = Self::new(error.status, error.code, error.message);
        problem.0.field = field;
        problem
    }
}

impl From<AppError> for Problem {
    fn from(error: AppError) -> Self {
        let (blockers, referrers) = match &error {
            AppError::NotEmpty { children, .. } => (Some(*children), vec![]),
            AppError::UsageInUse(referrers) => (None, referrers.clone()),
            _ => (None, vec![]),
        };
        let mut problem = Self::from(ApiError::from(error));
        problem.0.blockers = blockers;
        problem.0.referrers = referrers;
        problem
    }
}

impl From<AuthError> for Problem {
    fn from(error: AuthError) -> Self {
        ApiError::from(error).into()
    }
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self(Box::new(Refused { status, code, message, field: None, blockers: None, referrers: vec![] }))
    }

    /// A form's own input that is not what it should be (a number that is not one ...).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let mut problem = Self::new(StatusCode::BAD_REQUEST, "invalid_field", format!("{field}: {}", message.into()));
        problem.0.field = Some(field.to_owned());
        problem
    }

    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "There is no such page, or it is not yours to see.")
    }

    /// Whether it is about `field`.
    pub fn is_about(&self, field: &str) -> bool {
        self.field.as_deref() == Some(field)
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = match self.status {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::FORBIDDEN => "Not allowed",
            status if status.is_server_error() => "Unavailable",
            _ => "Refused",
        };
        let body = html! {
            h1 { (title) }
            p.error role="alert" data-code=(self.code) { (self.message.as_str()) }
            p { a href="/console/" { "Back to the console" } }
        };
        (self.status, layout::bare(title, body)).into_response()
    }
}

/// The console's page for a path it does not serve.
pub async fn not_found_page() -> Problem {
    Problem::not_found()
}
