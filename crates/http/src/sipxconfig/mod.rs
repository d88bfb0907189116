//! The sipXconfig face: a tenant's user groups and their permissions, as sipXconfig's REST API
//! serves them (shared/spec/sipxconfig-user-groups.txt; decisions in shared/docs/faces.md §2),
//! so that a sipXconfig client works with its base URL changed only. Each tenant is one
//! sipXconfig system, below `…/tenants/{uuid}/sipxconfig/rest`.
//!
//! It speaks XML by default and JSON on `Accept: application/json` (`handlers.rs`, `shape.rs`),
//! reads bodies in either (`bodies.rs`, with the hardened XML reader of `xml.rs`), writes every
//! failure in sipXconfig's `<response>` shape, answers methods the seed marks unsupported 405
//! with `Allow` (the router does, the face's way), and takes HTTP Basic (`basic.rs`) beside
//! bearer tokens. Every rule is the app's (`UserGroupService`).

mod basic;
mod bodies;
mod docs;
mod handlers;
mod schemas;
mod shape;
mod xml;

use basic::Basic;

use crate::api::HttpMethod::{Delete, Get, Put};
use crate::api::{Bearer, ErrorStyle, Face, Mount, Route};
use canopy_domain::{NodeKind, Owned, Permission, Verb};

/// Where each tenant's sipXconfig API lies.
pub(crate) const PREFIX: &str = "/api/v01/draas/{draas_instance}/tenants/{uuid}/sipxconfig/rest";

/// The types it speaks: XML first (Restlet's first variant), then JSON.
pub const MEDIA: &[&str] = &["text/xml", "application/xml", "application/json"];

fn permission(verb: Verb) -> crate::api::Access {
    Permission::Owned(NodeKind::Tenant, Owned::UserGroups, verb).into()
}

pub(crate) fn mount() -> Mount {
    let face = Face {
        name: "sipxconfig",
        prefix: PREFIX,
        // sipXconfig clients are configured with a base URL: the tenant's path is that base.
        alias: None,
        errors: ErrorStyle::Render(shape::render, docs::failure_schema),
        media: MEDIA,
        // Basic first: the bearer scheme takes every other `Authorization` (refused as `invalid_token`).
        auth: &[&Basic, &Bearer],
    };
    let (groups, group) = ("/user-group".to_owned(), "/user-group/{id}".to_owned());
    let (permissions, permission_of) = ("/user-group-permission".to_owned(), "/user-group-permission/{id}".to_owned());
    let routes = vec![
        Route::new(Get, groups.clone(), permission(Verb::List), handlers::list_groups, docs::list_groups),
        Route::new(Put, groups, permission(Verb::Create), handlers::create_group, docs::create_group).unconditional(),
        Route::new(Get, group.clone(), permission(Verb::Read), handlers::read_group, docs::read_group),
        Route::new(Put, group.clone(), permission(Verb::Update), handlers::update_group, docs::update_group),
        Route::new(Delete, group, permission(Verb::Delete), handlers::delete_group, docs::delete_group),
        Route::new(Get, permissions, permission(Verb::List), handlers::list_permissions, docs::list_permissions),
        Route::new(
            Get,
            permission_of.clone(),
            permission(Verb::Read),
            handlers::read_permissions,
            docs::read_permissions,
        ),
        Route::new(Put, permission_of, permission(Verb::Update), handlers::set_permissions, docs::set_permissions),
    ];
    Mount { face, routes }
}
