//! The portal face (issue 17): the account-server API of `portal-account-server.txt` ("Multi-service
//! Portal API documentation version 1"), mounted at `…/draas/{draas_instance}/portal/api/1` and,
//! with a default instance, at the bare `/api/1`. Canopy's levels are the portal's kinds
//! ([`kinds`]); every `{group}` is an integer id or a uuid ([`named`]). It speaks Canopy's error
//! envelope (the spec's), with the seed's statuses where they differ ([`render`]).

mod actions;
mod actions_docs;
mod admins;
mod bodies;
mod brand;
mod brand_docs;
mod docs;
mod groups;
mod jwt;
mod jwt_docs;
mod kinds;
mod lock;
mod logic;
mod named;
mod session;
mod session_docs;
mod settings;
mod settings_docs;
mod unsupported;
mod users;

use crate::api::{Bearer, ErrorStyle, Face, JSON, Mount, SessionCookie};

/// Where the face is mounted: below an instance, like every face.
pub(crate) const PREFIX: &str = "/api/v01/draas/{draas_instance}/portal/api/1";

pub(crate) fn mount() -> Mount {
    let face = Face {
        name: "portal",
        prefix: PREFIX,
        alias: Some("/api/1"),
        errors: ErrorStyle::Render(render, envelope),
        media: &[JSON],
        auth: &[&Bearer, &SessionCookie],
    };
    let routes = [
        logic::routes(),
        groups::routes(),
        lock::routes(),
        users::routes(),
        admins::routes(),
        settings::routes(),
        brand::routes(),
        session::routes(),
        actions::routes(),
        jwt::routes(),
        unsupported::routes(),
    ];
    Mount { face, routes: routes.into_iter().flatten().collect() }
}

/// The schema of its failures: the envelope.
fn envelope() -> crate::api::SchemaRef {
    crate::api::schema::<crate::api::ErrorEnvelope>()
}

/// The envelope, with the seed's status where it differs from Canopy's: a duplicate is `409`
/// (Canopy: `400`), the seed's "Conflict".
fn render(error: &crate::error::ApiError, media: &'static str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut error = error.clone();
    if error.code == "logon_ip_refused" {
        // The seed's body, byte for byte (L62188, 403): not the envelope.
        let client_ip = error.details.get("clientIp").and_then(|ip| ip.as_str()).unwrap_or("unknown").to_owned();
        let message = format!("access from your IP '{client_ip}' address is not allowed");
        let body = serde_json::json!({ "client_ip": client_ip, "message": message });
        return (error.status, axum::Json(body)).into_response();
    }
    if error.code.starts_with("duplicate_") {
        error.status = axum::http::StatusCode::CONFLICT;
    }
    error.render(media, error.body().to_string())
}
