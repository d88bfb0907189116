//! The audit log: `GET /api/v01/draas/{draas_instance}/audit` (issue 8: "every change ... is
//! recorded ...; `GET .../audit` lists it with the usual paging, filtered to the caller's
//! subtree").

mod bodies;

use crate::api::{Access, ErrorEnvelope, INSTANCE_404, InstancePath, Route, SchemaRef, Tag, schema};
use crate::canopy::INSTANCE;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Authenticated};
use crate::list::{ListBody, ListSchema};
use axum::Json;
use axum::extract::State;
use bodies::{AuditEvent, AuditQuery};
use canopy_app::App;
use canopy_domain::Permission;
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

pub(crate) fn routes() -> Vec<Route> {
    let tag = Tag::new(
        "audit",
        "The audit log: every change applied or refused, cut to the caller's subtree (Canopy extension).",
    );
    Route::derived::<__path_list, _, _>(tag, Access::Permission(Permission::AuditList), list)
}

const ABOUT: &str = "Every change asked for in the instance, newest first: who (the administrator's id and e-mail), \
                     which node and path, what (`action` and the request's body, secrets masked), when, the request \
                     id, and the outcome: `applied` (recorded in the change's own transaction) or `refused` (the \
                     store refused it: a duplicate name, a stale version, a node with children...; nothing \
                     changed). Requests refused before reaching the store (401, 403, 404, invalid input) are not \
                     recorded. A system administrator sees every entry; a node administrator the entries of its node \
                     and of the nodes below it. Paged by `page` or by the `next` token.";

#[utoipa::path(
    get,
    path = format!("{INSTANCE}/audit"),
    operation_id = "listAuditEvents",
    summary = "List the audit log",
    description = ABOUT,
    params(InstancePath, AuditQuery),
    responses(
        (status = 200, description = "One page of the audit log.", body = AuditList),
        (status = 400, description = "`invalid_field` (`page` or `pageSize` out of range), `invalid_next_token`, \
                                      `invalid_query` (e.g. `node` not a UUID), `invalid_path`.", body = ErrorEnvelope),
        (status = 404, description = INSTANCE_404, body = ErrorEnvelope),
    )
)]
async fn list(
    State(app): State<App>,
    caller: Authenticated,
    ApiPath(instance): ApiPath<String>,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> Result<Json<ListBody<AuditEvent>>, ApiError> {
    let list = app
        .audit
        .list(&caller.principal, &instance, query.node, query.page, query.page_size, query.next.as_deref())
        .await?;
    Ok(Json(ListBody::new("events", list)))
}

/// The schema of a page of the audit log, for the attribute above.
struct AuditList;

impl AuditList {
    fn schema_ref() -> SchemaRef {
        let list =
            ListSchema::new("AuditList", "One page of the audit log, newest first.", "events", schema::<AuditEvent>());
        list.items("The entries of this page, newest first.").schema()
    }
}

impl PartialSchema for AuditList {
    fn schema() -> RefOr<Schema> {
        Self::schema_ref().components.swap_remove(0).1
    }
}

impl ToSchema for AuditList {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("AuditList")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.extend(Self::schema_ref().components.into_iter().skip(1));
    }
}
