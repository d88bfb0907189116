//! Lists of a group's voice routing objects, in the order of `VoiceSort::key_of` then id.
//!
//! As for node lists, the SQL is assembled from fixed fragments chosen by enum matches, every
//! client value is a bound parameter, a first page counts its matches in the same statement,
//! and a page after a `next` cursor is a row comparison on (sort key, id). A row's linked usages
//! are read by subqueries of the same statement, hence the same snapshot.

use super::errors::store_error;
use crate::error::StoreError;
use crate::voice_routing::VoicePage;
use canopy_domain::{Direction, VoicePageRequest, VoicePosition, VoiceSort};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder, Row};

/// The three tables of voice routing objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Table {
    Usages,
    Routes,
    Policies,
}

/// The linked usages of a route or policy (`t` is the owner's alias), in link order.
macro_rules! linked {
    ($links:literal, $owner:literal) => {
        concat!(
            "array(SELECT u.id FROM ",
            $links,
            " l JOIN pstn_usages u ON u.id = l.pstn_usage_id WHERE l.",
            $owner,
            " = t.id ORDER BY l.position) AS usage_ids, array(SELECT u.name FROM ",
            $links,
            " l JOIN pstn_usages u ON u.id = l.pstn_usage_id WHERE l.",
            $owner,
            " = t.id ORDER BY l.position) AS usage_names"
        )
    };
}

impl Table {
    pub(super) fn name(self) -> &'static str {
        match self {
            Self::Usages => "pstn_usages",
            Self::Routes => "voice_routes",
            Self::Policies => "voice_routing_policies",
        }
    }

    /// The link table and its owner column.
    pub(super) fn links(self) -> Option<(&'static str, &'static str)> {
        match self {
            Self::Usages => None,
            Self::Routes => Some(("route_pstn_usages", "route_id")),
            Self::Policies => Some(("policy_pstn_usages", "policy_id")),
        }
    }

    /// What a row of the table is read with (alias `t`).
    pub(super) fn columns(self) -> &'static str {
        match self {
            Self::Usages => "t.id, t.group_id, t.name, t.version",
            Self::Routes => concat!(
                "t.id, t.group_id, t.name, t.version, t.pattern, t.priority, ",
                linked!("route_pstn_usages", "route_id")
            ),
            Self::Policies => {
                concat!("t.id, t.group_id, t.name, t.version, ", linked!("policy_pstn_usages", "policy_id"))
            }
        }
    }
}

fn push_filter(sql: &mut QueryBuilder<Postgres>, request: &VoicePageRequest) {
    sql.push("t.group_id = ").push_bind(request.scope.group.0);
    if let Some(needle) = &request.query.search {
        // strpos: exactly Rust's `contains`, with '%' and '_' as plain characters.
        sql.push(" AND strpos(t.name_key, ").push_bind(needle.clone()).push(") > 0");
    }
}

pub(super) async fn list_rows<T>(
    pool: &PgPool,
    request: &VoicePageRequest,
    table: Table,
    parse: impl Fn(&PgRow) -> Result<T, StoreError>,
) -> Result<VoicePage<T>, StoreError> {
    let query = &request.query;
    if query.search.as_deref().is_some_and(|needle| needle.contains('\0')) {
        // No stored name holds NUL, which PostgreSQL text cannot carry anyway.
        return Ok(VoicePage { items: vec![], total: request.known_total.unwrap_or(0), more: false });
    }
    let size = query.page_size.get();
    let (dir, op) = match query.dir {
        Direction::Asc => ("ASC", ">"),
        Direction::Desc => ("DESC", "<"),
    };
    let from = format!(" FROM {} t WHERE ", table.name());
    let mut sql = QueryBuilder::<Postgres>::new(format!("SELECT {}", table.columns()));
    if request.known_total.is_none() {
        sql.push(format!(", (SELECT count(*){from}"));
        push_filter(&mut sql, request);
        sql.push(") AS total");
    }
    sql.push(&from);
    push_filter(&mut sql, request);
    if let VoicePosition::After(cursor) = &request.position {
        match query.sort {
            VoiceSort::Name => {
                sql.push(format!(r#" AND (t.name_key COLLATE "C", t.id) {op} ("#));
                sql.push_bind(cursor.key.clone()).push(", ").push_bind(cursor.id).push(")");
            }
            VoiceSort::Id => {
                sql.push(format!(" AND t.id {op} ")).push_bind(cursor.id);
            }
        }
    }
    sql.push(" ORDER BY ");
    if query.sort == VoiceSort::Name {
        sql.push(format!(r#"t.name_key COLLATE "C" {dir}, "#));
    }
    sql.push(format!("t.id {dir} LIMIT ")).push_bind(i64::from(size) + 1);
    if let VoicePosition::Offset(skip) = request.position {
        sql.push(" OFFSET ").push_bind(i64::try_from(skip).unwrap_or(i64::MAX));
    }
    let rows: Vec<PgRow> = sql.build().fetch_all(pool).await.map_err(store_error)?;
    let more = rows.len() > size as usize;
    let total = match (request.known_total, rows.first()) {
        (Some(total), _) => total,
        (None, Some(row)) => super::rows::count("total", row.try_get("total").map_err(store_error)?)?,
        (None, None) => {
            let mut sql = QueryBuilder::<Postgres>::new(format!("SELECT count(*){from}"));
            push_filter(&mut sql, request);
            let total: i64 = sql.build_query_scalar().fetch_one(pool).await.map_err(store_error)?;
            super::rows::count("total", total)?
        }
    };
    let items = rows.iter().take(size as usize).map(parse).collect::<Result<_, _>>()?;
    Ok(VoicePage { items, total, more })
}
