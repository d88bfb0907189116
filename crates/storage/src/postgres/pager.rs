//! The one SQL pager of every list: one page of a table's rows in the order of a sort key then
//! the id, the total counted in the same statement on a first page, keyset pages after a `next`
//! cursor, `OFFSET` for page numbers.
//!
//! A list gives its table, the SQL of its sort key and a filter (scope, subtree, search), which
//! pushes bound parameters only: nothing a client sent is ever part of a statement's text. Each
//! sort is served by an index ending with (sort key, id); the key's SQL is written exactly as in
//! that index so that the planner uses it.

use super::errors::store_error;
use super::rows::count;
use crate::error::StoreError;
use canopy_domain::{Direction, ListScope, Page, PageRequest, Position};
use sqlx::postgres::PgRow;
use sqlx::{Encode, PgPool, Postgres, QueryBuilder, Row, Type};

/// Where a list's rows are: the `FROM` (a table, with its alias if the columns use one), the
/// columns a row is read with, and the id column that breaks ties.
pub(super) struct Table {
    pub from: &'static str,
    pub columns: &'static str,
    pub id: &'static str,
}

/// One page of `request`'s list. `sort_key` is the SQL of the sort key (`None`: by id alone),
/// `filter` pushes the condition that selects the list's rows (used by the page and its count).
pub(super) async fn page<L, T>(
    pool: &PgPool,
    request: &PageRequest<L>,
    table: &Table,
    sort_key: Option<&'static str>,
    filter: impl Fn(&mut QueryBuilder<Postgres>),
    parse: impl Fn(&PgRow) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError>
where
    L: ListScope,
    L::Id: for<'q> Encode<'q, Postgres> + Type<Postgres> + Send + 'static,
{
    let query = &request.query;
    if query.search.as_deref().is_some_and(|needle| needle.contains('\0')) {
        // PostgreSQL text cannot hold NUL, and no stored field contains one: nothing matches.
        return Ok(Page::empty(request.known_total));
    }
    let size = query.page_size.get();
    let (dir, op) = match query.dir {
        Direction::Asc => ("ASC", ">"),
        Direction::Desc => ("DESC", "<"),
    };
    let Table { from, columns, id } = table;

    let mut sql = QueryBuilder::<Postgres>::new(format!("SELECT {columns}"));
    if request.known_total.is_none() {
        // Counted in the same statement, hence the same snapshot, as the page: an uncorrelated
        // subquery runs once. (An empty page returns no row to carry it: counted apart below.)
        sql.push(", ");
        push_count(&mut sql, from, &filter, request.counts_up_to());
        sql.push(" AS total");
    }
    sql.push(format!(" FROM {from} WHERE "));
    filter(&mut sql);
    if let Position::After(cursor) = &request.position {
        // Strictly after the cursor in list order: a row comparison on (sort key, id), which a
        // B-tree index serves as a seek.
        match sort_key {
            Some(key) => {
                sql.push(format!(" AND ({key}, {id}) {op} ("));
                sql.push_bind(cursor.key.clone()).push(", ").push_bind(cursor.id.clone()).push(")");
            }
            // Every key is '': the comparison of ('', id) with the cursor is decided here when the
            // cursor's key is not '' (which a token from this server never has).
            None => match (cursor.key.is_empty(), query.dir) {
                (true, _) => {
                    sql.push(format!(" AND {id} {op} ")).push_bind(cursor.id.clone());
                }
                (false, Direction::Asc) => {
                    sql.push(" AND false");
                }
                (false, Direction::Desc) => {}
            },
        }
    }
    sql.push(" ORDER BY ");
    if let Some(key) = sort_key {
        sql.push(format!("{key} {dir}, "));
    }
    sql.push(format!("{id} {dir} LIMIT ")).push_bind(i64::from(size) + 1);
    if let Position::Offset(skip) = request.position {
        // The slow path of page numbers: the server walks the skipped rows. `next` tokens
        // (Position::After) are the fast one.
        sql.push(" OFFSET ").push_bind(i64::try_from(skip).unwrap_or(i64::MAX));
    }

    let rows: Vec<PgRow> = sql.build().fetch_all(pool).await.map_err(store_error)?;
    let more = rows.len() > size as usize;
    let total = match (request.known_total, rows.first()) {
        (Some(total), _) => total,
        (None, Some(row)) => count("total", row.try_get("total").map_err(store_error)?)?,
        (None, None) => {
            let mut sql = QueryBuilder::<Postgres>::new("SELECT ");
            push_count(&mut sql, from, &filter, request.counts_up_to());
            let total: i64 = sql.build_query_scalar().fetch_one(pool).await.map_err(store_error)?;
            count("total", total)?
        }
    };
    let items = rows.iter().take(size as usize).map(parse).collect::<Result<_, _>>()?;
    Ok(Page { items, total, more })
}

/// `(SELECT count(*) …)` of the list's rows, stopping at `up_to` when there is a bound (a searched
/// list: `PageRequest::counts_up_to`), so that the count costs at most that many rows.
fn push_count(
    sql: &mut QueryBuilder<Postgres>,
    from: &str,
    filter: &impl Fn(&mut QueryBuilder<Postgres>),
    up_to: Option<u64>,
) {
    match up_to {
        Some(limit) => {
            sql.push(format!("(SELECT count(*) FROM (SELECT 1 FROM {from} WHERE "));
            filter(sql);
            sql.push(" LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX)).push(") AS counted)");
        }
        None => {
            sql.push(format!("(SELECT count(*) FROM {from} WHERE "));
            filter(sql);
            sql.push(")");
        }
    }
}
