//! The PostgreSQL adapter of the voice routing port (migrations/0003_voice_routing.sql).
//!
//! # Concurrency
//!
//! A link must never name a deleted usage, and a linked usage must never be deleted:
//!
//! * A creation or change that links usages first locks them, `SELECT … FOR KEY SHARE` in id
//!   order (the lock the links' foreign-key checks take anyway): a missing one is refused by id
//!   ([`VoiceWriteError::UnknownUsages`]), and the found ones cannot be deleted until it commits.
//! * A usage's deletion locks it `FOR UPDATE` (which waits for every linker holding it), then
//!   reads its referrers in a fresh statement (READ COMMITTED: every link committed before the
//!   lock is seen), refuses with the list, or deletes. `ON DELETE RESTRICT` is the backstop.
//! * Shared locks do not conflict with each other, and the deleter locks one row, so these
//!   cannot deadlock among themselves; anything the server still aborts is retried.
//! * An object's group is checked by its INSERT (`WHERE EXISTS` a group) and by the foreign key,
//!   whose check waits for a concurrent deletion of the group to commit.

use super::PostgresStore;
use super::errors::{Fail, OpError, retrying, store_error};
use super::voice_list::{Table, list_rows};
use crate::error::StoreError;
use crate::nodes::Deleted;
use crate::voice_routing::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoicePage, VoiceRoutingStore, VoiceWriteError,
};
use async_trait::async_trait;
use canopy_domain::{
    NodeId, NodeName, Priority, PstnUsage, Referrer, RoutePattern, UsageLinks, UsageRef, VoiceId, VoiceKind,
    VoicePageRequest, VoiceRoute, VoiceRoutingPolicy, ensure_unreferenced, missing_usages,
};
use sqlx::PgConnection;
use sqlx::postgres::PgRow;
// Every dynamic statement is assembled from the fixed fragments of `Table`: never client text.
use sqlx::{AssertSqlSafe, Row, Transaction};

impl OpError for VoiceWriteError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            "pstn_usages_name_key" | "voice_routes_name_key" | "voice_routing_policies_name_key" => {
                Some(Self::DuplicateName)
            }
            // The group deleted between the insert's check and its foreign-key check.
            "pstn_usages_group_id_fkey"
            | "voice_routes_group_id_fkey"
            | "voice_routing_policies_group_id_fkey"
            | "route_pstn_usages_group_id_fkey"
            | "policy_pstn_usages_group_id_fkey" => Some(Self::GroupNotFound),
            _ => None,
        }
    }
}

impl OpError for DeleteUsageError {}

pub(super) fn name_of(raw: &str) -> Result<NodeName, StoreError> {
    NodeName::parse(raw).map_err(|err| StoreError::Backend(format!("stored name no longer valid: {err}").into()))
}

/// The linked usages of each row: two arrays in link order, read in the row's own statement.
pub(super) fn usages_of(row: &PgRow) -> Result<Vec<UsageRef>, StoreError> {
    let ids: Vec<i64> = row.try_get("usage_ids").map_err(store_error)?;
    let names: Vec<String> = row.try_get("usage_names").map_err(store_error)?;
    ids.into_iter().zip(names).map(|(id, name)| Ok(UsageRef { id: VoiceId(id), name: name_of(&name)? })).collect()
}

/// Locks the linked usages of the group against deletion until commit; refuses missing ones.
async fn lock_usages(
    conn: &mut PgConnection,
    group: NodeId,
    links: &UsageLinks,
) -> Result<Vec<UsageRef>, Fail<VoiceWriteError>> {
    if links.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = links.ids().iter().map(|id| id.0).collect();
    let found: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM pstn_usages WHERE group_id = $1 AND id = ANY($2) ORDER BY id FOR KEY SHARE",
    )
    .bind(group.0)
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let missing = missing_usages(links, |id| found.iter().any(|(f, _)| *f == id.0));
    if !missing.is_empty() {
        return Err(Fail::Op(VoiceWriteError::UnknownUsages(missing)));
    }
    links
        .ids()
        .iter()
        .map(|id| {
            let name = &found.iter().find(|(f, _)| *f == id.0).expect("checked above").1;
            Ok(UsageRef { id: *id, name: name_of(name)? })
        })
        .collect()
}

/// Replaces the links of a route or policy (the caller has locked the usages).
async fn set_links(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    id: VoiceId,
    links: &UsageLinks,
) -> Result<(), sqlx::Error> {
    let (links_table, owner) = table.links().expect("routes and policies have links");
    sqlx::query(AssertSqlSafe(format!("DELETE FROM {links_table} WHERE {owner} = $1")))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<i64> = links.ids().iter().map(|id| id.0).collect();
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {links_table} (group_id, {owner}, pstn_usage_id, position) \
         SELECT $1, $2, u, p::integer FROM unnest($3::bigint[]) WITH ORDINALITY AS t(u, p)"
    )))
    .bind(group.0)
    .bind(id.0)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts a named object in a group that exists; `GroupNotFound` otherwise.
async fn insert_named(
    tx: &mut Transaction<'_, sqlx::Postgres>,
    table: Table,
    group: NodeId,
    name: &NodeName,
    route: Option<(&RoutePattern, Priority)>,
) -> Result<VoiceId, Fail<VoiceWriteError>> {
    let (extra_columns, extra_values) = if route.is_some() { (", pattern, priority", ", $4, $5") } else { ("", "") };
    let sql = format!(
        "INSERT INTO {} (group_id, name, name_key{extra_columns}) SELECT $1, $2, $3{extra_values} \
         WHERE EXISTS (SELECT 1 FROM nodes WHERE id = $1 AND kind = 'group') RETURNING id",
        table.name()
    );
    let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).bind(group.0).bind(name.as_str()).bind(name.key());
    if let Some((pattern, priority)) = route {
        query = query.bind(pattern.as_str()).bind(priority.get());
    }
    let id = query.fetch_optional(&mut **tx).await?.ok_or(Fail::Op(VoiceWriteError::GroupNotFound))?;
    Ok(VoiceId(id))
}

/// Renames (and for routes re-patterns) an object of the group; `NotFound` when there is none.
async fn update_named(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    id: VoiceId,
    name: Option<&NodeName>,
    route: (Option<&RoutePattern>, Option<Priority>),
) -> Result<(), Fail<VoiceWriteError>> {
    let route_sets = if table == Table::Routes {
        ", pattern = coalesce($5, pattern), priority = coalesce($6, priority)"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE {} SET name = coalesce($3, name), name_key = coalesce($4, name_key){route_sets} \
         WHERE group_id = $1 AND id = $2 RETURNING id",
        table.name()
    );
    let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
        .bind(group.0)
        .bind(id.0)
        .bind(name.map(|n| n.as_str()))
        .bind(name.map(|n| n.key()));
    if table == Table::Routes {
        query = query.bind(route.0.map(|p| p.as_str())).bind(route.1.map(|p| p.get()));
    }
    query.fetch_optional(&mut *conn).await?.ok_or(Fail::Op(VoiceWriteError::NotFound))?;
    Ok(())
}

async fn read_route<E: From<StoreError>>(conn: &mut PgConnection, id: VoiceId) -> Result<VoiceRoute, Fail<E>> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {} FROM voice_routes t WHERE t.id = $1", Table::Routes.columns())))
            .bind(id.0)
            .fetch_one(conn)
            .await?;
    Ok(route_of(&row)?)
}

async fn read_policy<E: From<StoreError>>(conn: &mut PgConnection, id: VoiceId) -> Result<VoiceRoutingPolicy, Fail<E>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {} FROM voice_routing_policies t WHERE t.id = $1",
        Table::Policies.columns()
    )))
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    Ok(policy_of(&row)?)
}

pub(super) fn usage_of(row: &PgRow) -> Result<PstnUsage, StoreError> {
    Ok(PstnUsage {
        id: VoiceId(row.try_get("id").map_err(store_error)?),
        group: NodeId(row.try_get("group_id").map_err(store_error)?),
        name: name_of(row.try_get("name").map_err(store_error)?)?,
    })
}

pub(super) fn route_of(row: &PgRow) -> Result<VoiceRoute, StoreError> {
    let usage = usage_of(row)?;
    let pattern: String = row.try_get("pattern").map_err(store_error)?;
    let priority: i32 = row.try_get("priority").map_err(store_error)?;
    let invalid = |err: canopy_domain::DomainError| StoreError::Backend(format!("stored route invalid: {err}").into());
    Ok(VoiceRoute {
        id: usage.id,
        group: usage.group,
        name: usage.name,
        pattern: RoutePattern::parse(&pattern).map_err(invalid)?,
        priority: Priority::parse(i64::from(priority)).map_err(invalid)?,
        usages: usages_of(row)?,
    })
}

pub(super) fn policy_of(row: &PgRow) -> Result<VoiceRoutingPolicy, StoreError> {
    let usage = usage_of(row)?;
    Ok(VoiceRoutingPolicy { id: usage.id, group: usage.group, name: usage.name, usages: usages_of(row)? })
}

impl PostgresStore {
    async fn delete_usage_once(&self, group: NodeId, id: VoiceId) -> Result<Deleted, Fail<DeleteUsageError>> {
        let mut tx = self.pool.begin().await?;
        let locked: Option<i64> =
            sqlx::query_scalar("SELECT id FROM pstn_usages WHERE group_id = $1 AND id = $2 FOR UPDATE")
                .bind(group.0)
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
        if locked.is_none() {
            return Ok(Deleted::Absent);
        }
        // A fresh snapshot, taken while the usage is locked against new links.
        let referrers = referrers(&mut tx, group, id).await?;
        ensure_unreferenced(referrers).map_err(|r| Fail::Op(DeleteUsageError::InUse(r)))?;
        sqlx::query("DELETE FROM pstn_usages WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(Deleted::Removed)
    }

    async fn delete_linker(&self, table: Table, group: NodeId, id: VoiceId) -> Result<Deleted, StoreError> {
        // One statement; the links go with it (ON DELETE CASCADE).
        let done = sqlx::query(AssertSqlSafe(format!("DELETE FROM {} WHERE group_id = $1 AND id = $2", table.name())))
            .bind(group.0)
            .bind(id.0)
            .execute(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(if done.rows_affected() > 0 { Deleted::Removed } else { Deleted::Absent })
    }
}

async fn referrers<E: From<StoreError>>(
    conn: &mut PgConnection,
    group: NodeId,
    usage: VoiceId,
) -> Result<Vec<Referrer>, Fail<E>> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT 'route', r.id, r.name FROM route_pstn_usages l JOIN voice_routes r ON r.id = l.route_id \
         WHERE l.group_id = $1 AND l.pstn_usage_id = $2 \
         UNION ALL SELECT 'policy', p.id, p.name FROM policy_pstn_usages l \
         JOIN voice_routing_policies p ON p.id = l.policy_id WHERE l.group_id = $1 AND l.pstn_usage_id = $2",
    )
    .bind(group.0)
    .bind(usage.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(kind, id, name)| {
            let kind = if kind == "route" { VoiceKind::VoiceRoute } else { VoiceKind::VoiceRoutingPolicy };
            Ok(Referrer { kind, id: VoiceId(id), name: name_of(&name)? })
        })
        .collect()
}

#[async_trait]
impl VoiceRoutingStore for PostgresStore {
    async fn create_usage(&self, group: NodeId, name: NodeName) -> Result<PstnUsage, VoiceWriteError> {
        let name = &name;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            let id = insert_named(&mut tx, Table::Usages, group, name, None).await?;
            tx.commit().await?;
            Ok(PstnUsage { id, group, name: name.clone() })
        })
        .await
    }

    async fn rename_usage(&self, group: NodeId, id: VoiceId, name: NodeName) -> Result<PstnUsage, VoiceWriteError> {
        let name = &name;
        retrying(|| async move {
            let mut conn = self.pool.acquire().await?;
            update_named(&mut conn, Table::Usages, group, id, Some(name), (None, None)).await?;
            Ok(PstnUsage { id, group, name: name.clone() })
        })
        .await
    }

    async fn delete_usage(&self, group: NodeId, id: VoiceId) -> Result<Deleted, DeleteUsageError> {
        retrying(|| self.delete_usage_once(group, id)).await
    }

    async fn usage_referrers(&self, group: NodeId, id: VoiceId) -> Result<Option<Vec<Referrer>>, StoreError> {
        retrying(|| async move {
            // One transaction, so the usage and its referrers are read consistently enough:
            // REPEATABLE READ would be stricter, but a report is stale the moment it is sent.
            let mut tx = self.pool.begin().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM pstn_usages WHERE group_id = $1 AND id = $2")
                .bind(group.0)
                .bind(id.0)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Ok(None);
            }
            let found = referrers::<StoreError>(&mut tx, group, id).await?;
            Ok(Some(ensure_unreferenced(found).err().unwrap_or_default()))
        })
        .await
    }

    async fn list_usages(&self, request: &VoicePageRequest) -> Result<VoicePage<PstnUsage>, StoreError> {
        list_rows(&self.pool, request, Table::Usages, usage_of).await
    }

    async fn create_route(&self, group: NodeId, new: NewRoute) -> Result<VoiceRoute, VoiceWriteError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            lock_usages(&mut tx, group, &new.usages).await?;
            let id = insert_named(&mut tx, Table::Routes, group, &new.name, Some((&new.pattern, new.priority))).await?;
            set_links(&mut tx, Table::Routes, group, id, &new.usages).await?;
            let route = read_route(&mut tx, id).await?;
            tx.commit().await?;
            Ok(route)
        })
        .await
    }

    async fn update_route(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: RouteChanges,
    ) -> Result<VoiceRoute, VoiceWriteError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if let Some(links) = &changes.usages {
                lock_usages(&mut tx, group, links).await?;
            }
            let route = (changes.pattern.as_ref(), changes.priority);
            update_named(&mut tx, Table::Routes, group, id, changes.name.as_ref(), route).await?;
            if let Some(links) = &changes.usages {
                set_links(&mut tx, Table::Routes, group, id, links).await?;
            }
            let route = read_route(&mut tx, id).await?;
            tx.commit().await?;
            Ok(route)
        })
        .await
    }

    async fn delete_route(&self, group: NodeId, id: VoiceId) -> Result<Deleted, StoreError> {
        self.delete_linker(Table::Routes, group, id).await
    }

    async fn list_routes(&self, request: &VoicePageRequest) -> Result<VoicePage<VoiceRoute>, StoreError> {
        list_rows(&self.pool, request, Table::Routes, route_of).await
    }

    async fn create_policy(&self, group: NodeId, new: NewPolicy) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            lock_usages(&mut tx, group, &new.usages).await?;
            let id = insert_named(&mut tx, Table::Policies, group, &new.name, None).await?;
            set_links(&mut tx, Table::Policies, group, id, &new.usages).await?;
            let policy = read_policy(&mut tx, id).await?;
            tx.commit().await?;
            Ok(policy)
        })
        .await
    }

    async fn update_policy(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: PolicyChanges,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = self.pool.begin().await?;
            if let Some(links) = &changes.usages {
                lock_usages(&mut tx, group, links).await?;
            }
            update_named(&mut tx, Table::Policies, group, id, changes.name.as_ref(), (None, None)).await?;
            if let Some(links) = &changes.usages {
                set_links(&mut tx, Table::Policies, group, id, links).await?;
            }
            let policy = read_policy(&mut tx, id).await?;
            tx.commit().await?;
            Ok(policy)
        })
        .await
    }

    async fn delete_policy(&self, group: NodeId, id: VoiceId) -> Result<Deleted, StoreError> {
        self.delete_linker(Table::Policies, group, id).await
    }

    async fn list_policies(&self, request: &VoicePageRequest) -> Result<VoicePage<VoiceRoutingPolicy>, StoreError> {
        list_rows(&self.pool, request, Table::Policies, policy_of).await
    }
}
