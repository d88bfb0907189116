//! The PostgreSQL lookups for the faces that name nodes by keys of their own (APIO): a node by its
//! key (each served by a unique index of migrations/0012), and the search of a tenant's site
//! groups, written to mirror `GroupSearch::matches` and `GroupSearch::compare` exactly: the same
//! texts (stored, or the lowercase key), byte order (`COLLATE "C"`), the final `groupId` bytes.
//! Only fixed fragments chosen by enum matches are SQL; every client value is a bound parameter,
//! and `%`/`_` stay plain characters (`starts_with`, `strpos`, never `LIKE`).

use super::PostgresStore;
use super::errors::store_error;
use super::rows::{NodeRow, NodeViewRow, count_columns, node_columns};
use crate::error::StoreError;
use crate::nodes::NodeView;
use canopy_domain::{Found, GroupField, GroupSearch, InstanceSlug, Mode, NodeId, NodeKey};
use sqlx::{Postgres, QueryBuilder};

/// The SQL of the text a criterion or sort reads, as `text_of` in the domain.
fn text_of(field: GroupField, sensitive: bool) -> &'static str {
    match (field, sensitive) {
        (GroupField::GroupId, true) => r#"(name COLLATE "C")"#,
        (GroupField::GroupId, false) => r#"(name_key COLLATE "C")"#,
        (GroupField::GroupName, true) => r#"(coalesce(attributes->>'groupName', '') COLLATE "C")"#,
        (GroupField::GroupName, false) => r#"(coalesce(group_name_key, '') COLLATE "C")"#,
    }
}

fn push_filter(sql: &mut QueryBuilder<Postgres>, instance: &InstanceSlug, tenant: NodeId, search: &GroupSearch) {
    sql.push(" FROM nodes WHERE parent_id = ").push_bind(tenant.0);
    sql.push(" AND instance = ").push_bind(instance.as_str().to_owned());
    sql.push(" AND kind = 'site_group'");
    for criterion in &search.criteria {
        let text = text_of(criterion.field, criterion.sensitive);
        let value = criterion.value.clone();
        match criterion.mode {
            Mode::Equals => sql.push(format_args!(" AND {text} = ")).push_bind(value),
            Mode::Starts => sql.push(format_args!(" AND starts_with({text}, ")).push_bind(value).push(")"),
            Mode::Contains => sql.push(format_args!(" AND strpos({text}, ")).push_bind(value).push(") > 0"),
        };
    }
}

impl PostgresStore {
    pub(super) async fn find(&self, instance: &InstanceSlug, key: &NodeKey) -> Result<Option<NodeView>, StoreError> {
        let mut sql = QueryBuilder::<Postgres>::new(concat!("SELECT ", node_columns!(), ", ", count_columns!()));
        sql.push(" FROM nodes WHERE instance = ").push_bind(instance.as_str().to_owned());
        match key {
            NodeKey::TenantId(key) => sql.push(r#" AND tenant_key COLLATE "C" = "#).push_bind(key.clone()),
            NodeKey::UserId(key) => {
                sql.push(r#" AND kind = 'user' AND name_key COLLATE "C" = "#).push_bind(key.clone())
            }
            NodeKey::SiteGroup { tenant, group_id } => sql
                .push(" AND kind = 'site_group' AND parent_id = ")
                .push_bind(tenant.0)
                .push(r#" AND name_key COLLATE "C" = "#)
                .push_bind(group_id.clone()),
        };
        let row: Option<NodeViewRow> = sql.build_query_as().fetch_optional(&self.pool).await.map_err(store_error)?;
        let view = row.map(NodeViewRow::into_view).transpose()?;
        Ok(view.filter(|view| key.names(&view.node)))
    }

    pub(super) async fn search_groups(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        search: &GroupSearch,
    ) -> Result<Found, StoreError> {
        // The count and the page from one snapshot.
        let mut tx = super::begin::begin(&self.pool).await.map_err(store_error)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        let mut count = QueryBuilder::<Postgres>::new("SELECT count(*)");
        push_filter(&mut count, instance, tenant, search);
        let total: i64 = count.build_query_scalar().fetch_one(&mut *tx).await.map_err(store_error)?;
        let mut page = QueryBuilder::<Postgres>::new(concat!("SELECT ", node_columns!()));
        push_filter(&mut page, instance, tenant, search);
        page.push(" ORDER BY ");
        for sort in &search.sorts {
            let direction = if sort.ascending { "ASC" } else { "DESC" };
            page.push(format_args!("{} {direction}, ", text_of(sort.field, sort.sensitive)));
        }
        page.push(text_of(GroupField::GroupId, true)).push(" ASC");
        if let Some(limit) = search.window.limit {
            page.push(" LIMIT ").push_bind(i64::try_from(limit).unwrap_or(i64::MAX));
        }
        page.push(" OFFSET ").push_bind(i64::try_from(search.window.offset).unwrap_or(i64::MAX));
        let rows: Vec<NodeRow> = page.build_query_as().fetch_all(&mut *tx).await.map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        let groups = rows.into_iter().map(NodeRow::into_node).collect::<Result<_, _>>()?;
        Ok(Found { groups, total: u64::try_from(total).unwrap_or_default() })
    }
}
