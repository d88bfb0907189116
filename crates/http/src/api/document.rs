//! The OpenAPI 3.1 document, assembled from the route table: each route's operation (finished by
//! `finish.rs`) at its path, the schemas the operations name, the tags they are listed under (in
//! the order they first appear) and the security schemes of the faces.

use super::doc::{Doc, Tag};
use super::face::Mount;
use super::finish::{Rules, finish};
use super::route::Route;
use super::schemas::{ErrorEnvelope, ErrorObject};
use utoipa::openapi::path::PathItem;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder, PathsBuilder};

const ABOUT: &str = "Provisioning of a telecom provider's customer hierarchy: groups, and below them distributors, \
                     resellers and tenants, each `{draas_instance}` being an isolated namespace, and the \
                     administrators of the instance and of each node. Every failure answers the `ErrorEnvelope`; \
                     an unknown path answers 404 `route_not_found` and a known path with another method 405 \
                     `method_not_allowed`.\n\n\
                     Every operation but the probes, the metrics, this documentation and the `auth` routes that \
                     need no session requires `Authorization: Bearer <token>` (the `bearer` security scheme; \
                     `POST /api/v01/auth/login` answers a token): without one it answers 401. Each operation names \
                     what it requires in `x-required-permission`: a permission as the spec spells it (e.g. \
                     `groups.instance.admins.create`), which the caller's profile must hold (else 403 `forbidden`); \
                     the string `authenticated` (any logged-in administrator, whatever its profile); or `null` \
                     (public). An administrator reaches its own node and what lies below it: a node outside the \
                     caller's subtree answers exactly as one that does not exist, and a path naming another \
                     instance than the caller's answers 404 `instance_not_found`.";

/// The document of the routes of `faces`.
pub(crate) fn document(faces: Vec<Mount>) -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut components = ComponentsBuilder::new().schema_from::<ErrorEnvelope>().schema_from::<ErrorObject>();
    let mut tags: Vec<Tag> = vec![];
    for (face, route) in faces.into_iter().flat_map(Mount::mounted) {
        for scheme in face.auth {
            components = components.security_scheme(scheme.name(), scheme.security_scheme());
        }
        let Route { path, access, http_method, doc, conditional, store, .. } = route;
        let Doc { operation, tag, components: used } = doc();
        let operation = finish(operation, Rules { access, conditional, store }, &face);
        paths = paths.path(path, PathItem::new(http_method, operation));
        components = components.schemas_from_iter(used);
        if !tags.iter().any(|known| known.name == tag.name) {
            tags.push(tag);
        }
    }
    let tags = tags.into_iter().map(|tag| TagBuilder::new().name(tag.name).description(Some(tag.description)).build());
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Canopy")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(ABOUT))
                .license(Some(LicenseBuilder::new().name("Apache-2.0").identifier(Some("Apache-2.0")).build()))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components.build()))
        .tags(Some(tags))
        .build()
}
