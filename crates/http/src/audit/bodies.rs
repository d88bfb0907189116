//! Bodies of the audit log.

use canopy_domain::AuditEntry;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The list parameters of the audit log.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only the changes of this node and of the nodes below it (a node deleted since included).
    pub node: Option<Uuid>,
    /// 1-based page number, 1 to 1000000000, default 1.
    #[param(minimum = 1, maximum = 1000000000)]
    pub page: Option<u64>,
    /// Entries per page, 1 to 1000, default 10 (`pageSize` is accepted too).
    #[param(minimum = 1, maximum = 1000)]
    #[serde(alias = "pageSize")]
    pub page_size: Option<u64>,
    /// The `next` token of the previous page.
    pub next: Option<String>,
}

/// One change, applied or refused.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    /// Increasing: a later change has a higher id.
    pub id: i64,
    /// When the request arrived (RFC 3339, UTC).
    #[schema(example = "2026-11-23T20:00:00Z")]
    pub at: String,
    pub actor: AuditActor,
    /// The node whose subtree the change belongs to; `null` for the instance itself.
    pub node: Option<Uuid>,
    #[schema(example = "PUT")]
    pub method: String,
    /// The request path with its query string.
    pub path: String,
    /// What was done, `<resource>.<verb>`.
    #[schema(example = "group.update")]
    pub action: String,
    /// The request's JSON body, every secret (a key containing `password` or `token`, and an authorization code's `code`) masked as `********`.
    #[schema(value_type = Option<Object>)]
    pub body: Option<Value>,
    /// The request's `X-Request-Id`.
    pub request_id: String,
    /// `applied` (the change committed with this entry) or `refused` (nothing changed).
    #[schema(example = "applied")]
    pub outcome: &'static str,
    /// Why a refused change was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub reason: Option<String>,
}

/// The administrator who asked for the change (it may have been deleted since).
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActor {
    pub id: i64,
    pub email: String,
}

impl From<AuditEntry> for AuditEvent {
    fn from(entry: AuditEntry) -> Self {
        Self {
            id: entry.id,
            at: entry.at.to_rfc3339(),
            actor: AuditActor { id: entry.actor.admin.0, email: entry.actor.email },
            node: entry.node.map(|n| n.0),
            method: entry.method,
            path: entry.path,
            action: entry.action,
            body: entry.body,
            request_id: entry.request_id,
            outcome: entry.outcome.as_str(),
            reason: entry.reason,
        }
    }
}
