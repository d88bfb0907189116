//! The OpenAPI 3.1 document, assembled from the route table: each route's operation (finished by
//! `finish.rs`) at its path, the schemas the operations name, the tags they are listed under (in
//! the order they first appear) and the security schemes of the faces.

use super::doc::{Doc, SchemaRef, Tag};
use super::face::{ErrorStyle, Face, Mount};
use super::finish::{Rules, finish};
use super::route::Route;
use super::schemas::{ErrorEnvelope, ErrorObject};
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{ComponentsBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder, PathsBuilder};
use utoipa::openapi::{ContentBuilder, Ref, RefOr};

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

/// The operation in its face's content types, when the face speaks others than JSON: each body
/// in every type of the face, and failures in the face's own shape (its schema, answered so that
/// the document lists it).
fn speak(op: &mut Operation, face: &Face) -> Option<SchemaRef> {
    let ErrorStyle::Render(_, error_schema) = face.errors else { return None };
    let error_schema = error_schema();
    let in_every_type = |schema: Option<RefOr<Schema>>| {
        face.media.iter().map(move |media| ((*media).to_owned(), ContentBuilder::new().schema(schema.clone()).build()))
    };
    if let Some(body) = op.request_body.as_mut() {
        let schema = body.content.values().next().and_then(|content| content.schema.clone());
        body.content = in_every_type(schema).collect();
    }
    for (status, response) in op.responses.responses.iter_mut() {
        let RefOr::T(response) = response else { continue };
        if status.starts_with('2') {
            if let Some(schema) = response.content.values().next().map(|content| content.schema.clone()) {
                response.content = in_every_type(schema).collect();
            }
        } else {
            let failure = Some(RefOr::Ref(Ref::from_schema_name(&error_schema.name)));
            response.content = in_every_type(failure).collect();
        }
    }
    Some(error_schema)
}

/// The document of the routes of `faces`.
pub(crate) fn document(faces: Vec<Mount>) -> OpenApi {
    let mut paths = PathsBuilder::new();
    let mut components = ComponentsBuilder::new().schema_from::<ErrorEnvelope>().schema_from::<ErrorObject>();
    let mut tags: Vec<Tag> = vec![];
    for (face, route) in faces.into_iter().flat_map(Mount::mounted) {
        for scheme in face.auth {
            components = components.security_scheme(scheme.name(), scheme.security_scheme());
        }
        let Route { path, access, http_method, doc, conditional, store, meets_locks, .. } = route;
        let Doc { operation, tag, components: used } = doc();
        let mut operation = finish(operation, Rules { access, conditional, store, meets_locks }, &face);
        if let Some(schema) = speak(&mut operation, &face) {
            components = components.schemas_from_iter(schema.components);
        }
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
