//! Node lists: what selects a scope's nodes and how each sort orders them, for the one pager
//! ([`pager::page`]), in the order of `NodeSort::key_of` then id.
//!
//! The fragments are fixed, chosen by enum matches (sort field, kind); everything that comes from
//! a client (search text, cursor) is a bound parameter. Each sort has its own index ending with
//! (sort key, id) in migrations/0001_nodes.sql, and the expressions here are written exactly as
//! in those indexes so the planner can use them.

use super::errors::store_error;
use super::pager::{self, Table};
use super::rows::{NodeRow, node_columns};
use crate::error::StoreError;
use canopy_domain::{Node, NodeScope, NodeSort, Page, PageRequest};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool, Postgres, QueryBuilder};

/// The SQL of a field's key, as in `NodeSort::key_of` (a missing value is ''). `None` for
/// [`NodeSort::Uuid`], whose key is always '' so that the order is the id's alone.
fn sort_key(field: NodeSort) -> Option<&'static str> {
    match field {
        NodeSort::Name => Some(r#"name_key COLLATE "C""#),
        NodeSort::Uuid => None,
        NodeSort::DraasDomain => Some(r#"(coalesce(draas_domain, '') COLLATE "C")"#),
        NodeSort::TenantId => Some(r#"(coalesce(tenant_key, '') COLLATE "C")"#),
        NodeSort::GroupName => Some(r#"(coalesce(group_name_key, '') COLLATE "C")"#),
        NodeSort::LastName => Some(r#"(coalesce(last_name_key, '') COLLATE "C")"#),
        NodeSort::FirstName => Some(r#"(coalesce(first_name_key, '') COLLATE "C")"#),
    }
}

/// The SQL of the text a search looks into for a field, as in `ListQuery::matches`.
fn haystack(field: NodeSort) -> &'static str {
    match field {
        NodeSort::Name => "name_key",
        NodeSort::Uuid => "id::text",
        NodeSort::DraasDomain => "coalesce(draas_domain, '')",
        NodeSort::TenantId => "coalesce(tenant_key, '')",
        NodeSort::GroupName => "coalesce(group_name_key, '')",
        NodeSort::LastName => "coalesce(last_name_key, '')",
        NodeSort::FirstName => "coalesce(first_name_key, '')",
    }
}

/// The scope, the subtree it is cut to and the search: which nodes the list holds, before any
/// position.
fn push_filter(sql: &mut QueryBuilder<Postgres>, request: &PageRequest<NodeScope>) {
    let scope = &request.scope;
    // Written as `= $n` or `IS NULL`, not `IS NOT DISTINCT FROM`, which no index can serve.
    match scope.parent {
        Some(parent) => sql.push("parent_id = ").push_bind(parent.0),
        None => sql.push("parent_id IS NULL"),
    };
    sql.push(" AND instance = ").push_bind(scope.instance.as_str().to_owned());
    // The kind is a literal (from an enum) rather than a parameter so that the planner can
    // match the partial indexes `WHERE kind = 'group'` / `'tenant'`.
    sql.push(format_args!(" AND kind = '{}'", scope.kind.as_str()));
    if let Some(within) = scope.within {
        // `NodeScope::admits`: the node itself or a node with it in its lineage. In the filter,
        // hence in the count as in the page; the index still serves the scope and the order.
        sql.push(" AND ")
            .push_bind(within.0)
            .push(" IN (id, group_id, distributor_id, reseller_id, tenant_node_id, site_group_id)");
    }
    if let Some(needle) = &request.query.search {
        // strpos rather than LIKE: '%' and '_' in the search are plain characters, and
        // `strpos(h, n) > 0` is exactly Rust's `h.contains(n)`.
        sql.push(" AND (");
        for (i, field) in NodeSort::searchable_fields(scope.kind).enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(format_args!("strpos({}, ", haystack(field))).push_bind(needle.clone()).push(") > 0");
        }
        sql.push(")");
    }
}

pub(super) async fn list_nodes(pool: &PgPool, request: &PageRequest<NodeScope>) -> Result<Page<Node>, StoreError> {
    let table = Table { from: "nodes", columns: node_columns!(), id: "id" };
    let filter = |sql: &mut QueryBuilder<Postgres>| push_filter(sql, request);
    let parse = |row: &PgRow| NodeRow::from_row(row).map_err(store_error)?.into_node();
    pager::page(pool, request, &table, sort_key(request.query.sort), filter, parse).await
}
