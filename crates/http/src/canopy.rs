//! The canopy face: the API of the spec, under `/api/v01` — the resources of each instance below
//! `/api/v01/draas/{draas_instance}`, and authentication below `/api/v01/auth`. It writes the
//! canopy error envelope, speaks JSON and takes bearer tokens. Its routes are those of each
//! resource, listed here once (the order is that of the document's tags).

use crate::api::{Bearer, ErrorStyle, Face, JSON, Mount};

/// Where the resources of an instance lie, below the face's prefix.
pub(crate) const INSTANCE: &str = "/draas/{draas_instance}";

pub(crate) fn mount() -> Mount {
    let face = Face {
        name: "canopy",
        prefix: "/api/v01",
        alias: None,
        errors: ErrorStyle::Envelope,
        media: &[JSON],
        auth: &[&Bearer],
    };
    let routes = [
        crate::nodes::routes(),
        crate::admins::routes(),
        crate::configuration::routes(),
        crate::branding::routes(),
        crate::enabled_ucs::routes(),
        crate::rate_plans::routes(),
        crate::auth::routes(),
        crate::voice_routing::routes(),
        crate::custom_permissions::routes(),
        crate::nodes::rules_routes(),
        crate::audit::routes(),
    ];
    Mount { face, routes: routes.into_iter().flatten().collect() }
}
