//! The operation of the audit log (issue 8: "every change ... is recorded ...; `GET .../audit`
//! lists it with the usual paging, filtered to the caller's subtree").

use crate::audit::AuditQuery;
use axum::http::Method;
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;

use super::BASE;
use super::operations::{Entry, INSTANCE_404, Op, errors, instance_param, json_ok};

pub(super) fn entries() -> Vec<Entry> {
    let list = Op {
        id: "listAuditEvents".to_owned(),
        tag: "audit",
        summary: "List the audit log".to_owned(),
        description: "Every change asked for in the instance, newest first: who (the administrator's id and \
                      e-mail), which node and path, what (`action` and the request's body, secrets masked), when, \
                      the request id, and the outcome: `applied` (recorded in the change's own transaction) or \
                      `refused` (the store refused it: a duplicate name, a stale version, a node with children...; \
                      nothing changed). Requests refused before reaching the store (401, 403, 404, invalid input) \
                      are not recorded. A system administrator sees every entry; a node administrator the entries \
                      of its node and of the nodes below it. Paged by `page` or by the `next` token."
            .to_owned(),
        params: std::iter::once(instance_param()).chain(AuditQuery::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok("One page of the audit log.", "AuditList"),
        errors: errors(&[
            (
                400,
                "`invalid_field` (`page` or `pageSize` out of range), `invalid_next_token`, `invalid_query` (e.g. \
                 `node` not a UUID), `invalid_path`.",
            ),
            (404, INSTANCE_404),
        ]),
    };
    vec![(Method::GET, format!("{BASE}/audit"), list)]
}
