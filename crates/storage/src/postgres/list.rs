//! Lists: one page of a scope's nodes, in the order of `SortField::key_of` then id.
//!
//! The SQL is assembled from fixed fragments chosen by enum matches (sort field, direction,
//! kind); everything that comes from a client (search text, cursor) is a bound parameter.
//! Each sort has its own index ending with (sort key, id) in migrations/0001_nodes.sql, and the
//! expressions here are written exactly as in those indexes so the planner can use them.

use super::errors::store_error;
use super::rows::{NodeRow, node_columns};
use crate::error::StoreError;
use crate::nodes::Page;
use canopy_domain::{Cursor, Direction, PageRequest, Position, SortField};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgPool, Postgres, QueryBuilder, Row};

/// The SQL of a field's key, as in `SortField::key_of` (a missing value is ''). `None` for
/// [`SortField::Uuid`], whose key is always '' so that the order is the id's alone.
fn sort_key(field: SortField) -> Option<&'static str> {
    match field {
        SortField::Name => Some(r#"name_key COLLATE "C""#),
        SortField::Uuid => None,
        SortField::DraasDomain => Some(r#"(coalesce(draas_domain, '') COLLATE "C")"#),
        SortField::TenantId => Some(r#"(coalesce(tenant_key, '') COLLATE "C")"#),
    }
}

/// The SQL of the text a search looks into for a field, as in `ListQuery::matches`.
fn haystack(field: SortField) -> &'static str {
    match field {
        SortField::Name => "name_key",
        SortField::Uuid => "id::text",
        SortField::DraasDomain => "coalesce(draas_domain, '')",
        SortField::TenantId => "coalesce(tenant_key, '')",
    }
}

/// The scope, the subtree it is cut to and the search: which nodes the list holds, before any
/// position.
fn push_filter(sql: &mut QueryBuilder<Postgres>, request: &PageRequest) {
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
        // `ListScope::admits`: the node itself or a node with it in its lineage. In the filter,
        // hence in the count as in the page; the index still serves the scope and the order.
        sql.push(" AND ").push_bind(within.0).push(" IN (id, group_id, distributor_id, reseller_id)");
    }
    if let Some(needle) = &request.query.search {
        // strpos rather than LIKE: '%' and '_' in the search are plain characters, and
        // `strpos(h, n) > 0` is exactly Rust's `h.contains(n)`.
        sql.push(" AND (");
        for (i, field) in SortField::searchable_fields(scope.kind).iter().enumerate() {
            if i > 0 {
                sql.push(" OR ");
            }
            sql.push(format_args!("strpos({}, ", haystack(*field))).push_bind(needle.clone()).push(") > 0");
        }
        sql.push(")");
    }
}

/// Keeps the rows strictly after the cursor in list order: a row comparison on
/// (sort key, id), which a B-tree index serves as a seek.
fn push_after(sql: &mut QueryBuilder<Postgres>, field: SortField, dir: Direction, cursor: &Cursor) {
    let op = match dir {
        Direction::Asc => ">",
        Direction::Desc => "<",
    };
    match sort_key(field) {
        Some(key) => {
            sql.push(format_args!(" AND ({key}, id) {op} ("));
            sql.push_bind(cursor.key.clone()).push(", ").push_bind(cursor.id).push(")");
        }
        // Every key is '': the comparison of ('', id) with the cursor is decided here when the
        // cursor's key is not '' (which a token from this server never has).
        None => match (cursor.key.is_empty(), dir) {
            (true, _) => {
                sql.push(format_args!(" AND id {op} ")).push_bind(cursor.id);
            }
            (false, Direction::Asc) => {
                sql.push(" AND false");
            }
            (false, Direction::Desc) => {}
        },
    }
}

pub(super) async fn list_nodes(pool: &PgPool, request: &PageRequest) -> Result<Page, StoreError> {
    let query = &request.query;
    if query.search.as_deref().is_some_and(|needle| needle.contains('\0')) {
        // PostgreSQL text cannot hold NUL, and no stored field contains one: nothing matches.
        return Ok(Page { items: vec![], total: request.known_total.unwrap_or(0), more: false });
    }
    let size = query.page_size.get();
    let dir = match query.dir {
        Direction::Asc => "ASC",
        Direction::Desc => "DESC",
    };

    let mut sql = QueryBuilder::<Postgres>::new(concat!("SELECT ", node_columns!()));
    if request.known_total.is_none() {
        // Counted in the same statement, hence the same snapshot, as the page: an uncorrelated
        // subquery runs once. (An empty page returns no row to carry it: counted apart below.)
        sql.push(", (SELECT count(*) FROM nodes WHERE ");
        push_filter(&mut sql, request);
        sql.push(") AS total");
    }
    sql.push(" FROM nodes WHERE ");
    push_filter(&mut sql, request);
    if let Position::After(cursor) = &request.position {
        push_after(&mut sql, query.sort, query.dir, cursor);
    }
    sql.push(" ORDER BY ");
    if let Some(key) = sort_key(query.sort) {
        sql.push(format_args!("{key} {dir}, "));
    }
    sql.push(format_args!("id {dir} LIMIT ")).push_bind(i64::from(size) + 1);
    if let Position::Offset(skip) = request.position {
        // The slow path of page numbers: the server walks the skipped rows. `next` tokens
        // (Position::After) are the fast one.
        sql.push(" OFFSET ").push_bind(i64::try_from(skip).unwrap_or(i64::MAX));
    }

    let rows: Vec<PgRow> = sql.build().fetch_all(pool).await.map_err(store_error)?;
    let more = rows.len() > size as usize;
    let total = match (request.known_total, rows.first()) {
        (Some(total), _) => total,
        (None, Some(row)) => super::rows::count("total", row.try_get("total").map_err(store_error)?)?,
        (None, None) => {
            let mut sql = QueryBuilder::<Postgres>::new("SELECT count(*) FROM nodes WHERE ");
            push_filter(&mut sql, request);
            let total: i64 = sql.build_query_scalar().fetch_one(pool).await.map_err(store_error)?;
            super::rows::count("total", total)?
        }
    };
    let items = rows
        .iter()
        .take(size as usize)
        .map(|row| NodeRow::from_row(row).map_err(store_error)?.into_node())
        .collect::<Result<_, _>>()?;
    Ok(Page { items, total, more })
}
