//! The portal face (issue 17): the account-server API of `portal-account-server.txt` ("Multi-service
//! Portal API documentation version 1"), mounted at `…/draas/{draas_instance}/portal/api/1` and,
//! with a default instance, at the bare `/api/1`. Canopy's levels are the portal's kinds
//! ([`kinds`]); every `{group}` is an integer id or a uuid ([`named`]). It speaks Canopy's error
//! envelope (the spec's), with the seed's statuses where they differ ([`render`]).

mod admins;
mod bodies;
mod docs;
mod groups;
mod kinds;
mod logic;
mod named;
mod settings;
mod users;

use crate::api::{Bearer, ErrorStyle, Face, JSON, Mount};

/// Where the face is mounted: below an instance, like every face.
pub(crate) const PREFIX: &str = "/api/v01/draas/{draas_instance}/portal/api/1";

pub(crate) fn mount() -> Mount {
    let face = Face {
        name: "portal",
        prefix: PREFIX,
        alias: Some("/api/1"),
        errors: ErrorStyle::Render(render, envelope),
        media: &[JSON],
        auth: &[&Bearer],
    };
    let routes = [logic::routes(), groups::routes(), users::routes(), admins::routes(), settings::routes()];
    Mount { face, routes: routes.into_iter().flatten().collect() }
}

/// The schema of its failures: the envelope.
fn envelope() -> crate::api::SchemaRef {
    crate::api::schema::<crate::api::ErrorEnvelope>()
}

/// The envelope, with the seed's status where it differs from Canopy's: a duplicate is `409`
/// (Canopy: `400`), the seed's "Conflict".
fn render(error: &crate::error::ApiError, media: &'static str) -> axum::response::Response {
    let mut error = error.clone();
    if error.code.starts_with("duplicate_") {
        error.status = axum::http::StatusCode::CONFLICT;
    }
    error.render(media, error.body().to_string())
}
