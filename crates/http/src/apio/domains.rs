//! The domain registry's routes (Canopy extensions the APIO face needs, as BroadWorks has system
//! and service provider domains): the instance's domains (`…/domains/`, the system's) and a
//! tenant's (`…/tenants/{tenant_id}/domains/`), listed and added. A group's `defaultDomain` must
//! be one of its tenant's.

use super::bodies::Empty;
use super::paths::{Keys, TenantPath};
use crate::api::FaceInstance;
use crate::caller::{Acting, Changing};
use crate::error::ApiError;
use crate::extract::Authenticated;
use crate::extract::{ApiJson, Reading};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_app::App;
use canopy_domain::{DraasDomain, NodeKind, Owned, Permission, Verb};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// Domains, in name order.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"domains": ["example.com", "voice.example.com"]}))]
pub struct DomainList {
    pub domains: Vec<String>,
}

impl DomainList {
    fn of(domains: Vec<DraasDomain>) -> Self {
        Self { domains: domains.iter().map(|d| d.as_str().to_owned()).collect() }
    }
}

/// A domain to add.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DomainBody {
    /// A DNS name, stored lowercase without a trailing dot.
    #[schema(example = "voice.example.com")]
    pub domain: String,
}

/// `201 {}` when added, `200 {}` when it was there already.
fn added(new: bool) -> Response {
    let status = if new { StatusCode::CREATED } else { StatusCode::OK };
    (status, Json(Empty {})).into_response()
}

// The instance's routes take no path parameter on the bare mount: no `Reading`/`Changing` path.
pub async fn list(
    State(app): State<App>,
    caller: Authenticated,
    instance: FaceInstance,
) -> Result<Json<DomainList>, ApiError> {
    Ok(Json(DomainList::of(app.site_groups.domains(&caller.principal, &instance.0).await?)))
}

pub async fn add(
    State(app): State<App>,
    Acting(caller): Acting,
    instance: FaceInstance,
    ApiJson(body): ApiJson<DomainBody>,
) -> Result<Response, ApiError> {
    Ok(added(app.site_groups.add_domain(&caller, &instance.0, &body.domain).await?))
}

fn of_tenant(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::Tenant, Owned::Domains, verb)
}

pub async fn tenant_list(
    Reading { app, caller, path }: Reading<TenantPath>,
    instance: FaceInstance,
) -> Result<Json<DomainList>, ApiError> {
    let tenant = path.resolve(&app, &caller.principal, &instance, of_tenant(Verb::List)).await?;
    let domains = app.site_groups.tenant_domains(&caller.principal, &instance.0, tenant.id.0).await?;
    Ok(Json(DomainList::of(domains)))
}

pub async fn assign(
    Changing { app, caller, path }: Changing<TenantPath>,
    instance: FaceInstance,
    ApiJson(body): ApiJson<DomainBody>,
) -> Result<Response, ApiError> {
    let tenant = path.resolve(&app, &caller.principal, &instance, of_tenant(Verb::Create)).await?;
    Ok(added(app.site_groups.assign_domain(&caller, &instance.0, tenant.id.0, &body.domain).await?))
}
