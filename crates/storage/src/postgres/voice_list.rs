//! Lists of a group's voice routing objects, in the order of `VoiceSort::key_of` then id.
//!
//! As for node lists, the one pager ([`pager::page`]) runs them: fixed fragments chosen by enum
//! matches, every client value a bound parameter. A row's linked usages are read by subqueries of
//! the same statement, hence the same snapshot.

use super::pager;
use crate::error::StoreError;
use canopy_domain::{Page, PageRequest, VoiceScope, VoiceSort};
use sqlx::postgres::PgRow;
use sqlx::{PgPool, Postgres, QueryBuilder};

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

    /// The table with the alias `t` its columns are read with.
    fn aliased(self) -> &'static str {
        match self {
            Self::Usages => "pstn_usages t",
            Self::Routes => "voice_routes t",
            Self::Policies => "voice_routing_policies t",
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

/// One page of the request's group's objects of `table`, through the one pager.
pub(super) async fn list_rows<T>(
    pool: &PgPool,
    request: &PageRequest<VoiceScope>,
    table: Table,
    parse: impl Fn(&PgRow) -> Result<T, StoreError>,
) -> Result<Page<T>, StoreError> {
    let rows = pager::Table { from: table.aliased(), columns: table.columns(), id: "t.id" };
    let sort_key = match request.query.sort {
        VoiceSort::Name => Some(r#"t.name_key COLLATE "C""#),
        VoiceSort::Id => None,
    };
    let filter = |sql: &mut QueryBuilder<Postgres>| {
        sql.push("t.group_id = ").push_bind(request.scope.group.0);
        if let Some(needle) = &request.query.search {
            // strpos: exactly Rust's `contains`, with '%' and '_' as plain characters.
            sql.push(" AND strpos(t.name_key, ").push_bind(needle.clone()).push(") > 0");
        }
    };
    pager::page(pool, request, &rows, sort_key, filter, parse).await
}
