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
//! * A change or deletion of an object locks its row `FOR UPDATE` first and checks the client's
//!   version under the lock ([`lock_voice`]), before it locks any usage; the change then counts
//!   one version up in its UPDATE.
//! * An object's group is checked by its INSERT (`WHERE EXISTS` a group) and by the foreign key,
//!   whose check waits for a concurrent deletion of the group to commit.

use super::PostgresStore;
use super::errors::{Fail, OpError, retrying};
use super::unit::Unit;
use super::versions::lock_voice;
use super::voice_list::{Table, list_rows};
use super::voice_sql::{
    insert_named, lock_usages, policy_of, read_policy, read_route, referrers, route_of, set_links, update_named,
    usage_of,
};
use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use crate::voice_routing::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoiceRoutingStore, VoiceWriteError,
};
use async_trait::async_trait;
use canopy_domain::{Change, Version};
use canopy_domain::{
    NodeId, NodeName, Page, PageRequest, PstnUsage, Referrer, VoiceId, VoiceRoute, VoiceRoutingPolicy, VoiceScope,
    ensure_unreferenced,
};
// Every dynamic statement is assembled from the fixed fragments of `Table`: never client text.
use sqlx::AssertSqlSafe;

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

impl PostgresStore {
    async fn delete_usage_once(
        &self,
        group: NodeId,
        id: VoiceId,
        change: &Change,
    ) -> Result<Deleted, Fail<DeleteUsageError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        if lock_voice(&mut tx, Table::Usages, group, id, change.expected).await?.is_none() {
            return Ok(Deleted::Absent);
        }
        // A fresh snapshot, taken while the usage is locked against new links.
        let referrers = referrers(&mut tx, group, id).await?;
        ensure_unreferenced(referrers).map_err(|r| Fail::Op(DeleteUsageError::InUse(r)))?;
        sqlx::query("DELETE FROM pstn_usages WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        tx.commit(change).await?;
        Ok(Deleted::Removed)
    }

    async fn delete_linker(
        &self,
        table: Table,
        group: NodeId,
        id: VoiceId,
        change: &Change,
    ) -> Result<Deleted, VersionedWriteError> {
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if lock_voice(&mut tx, table, group, id, change.expected).await?.is_none() {
                return Ok(Deleted::Absent);
            }
            // The links go with it (ON DELETE CASCADE).
            sqlx::query(AssertSqlSafe(format!("DELETE FROM {} WHERE id = $1", table.name())))
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            tx.commit(change).await?;
            Ok(Deleted::Removed)
        })
        .await
    }
}

#[async_trait]
impl VoiceRoutingStore for PostgresStore {
    async fn create_usage(&self, group: NodeId, name: NodeName, change: &Change) -> Result<PstnUsage, VoiceWriteError> {
        let name = &name;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            let id = insert_named(&mut tx, Table::Usages, group, name, None).await?;
            tx.commit(change).await?;
            Ok(PstnUsage { id, group, name: name.clone(), version: Version::FIRST })
        })
        .await
    }

    async fn rename_usage(
        &self,
        group: NodeId,
        id: VoiceId,
        name: NodeName,
        change: &Change,
    ) -> Result<PstnUsage, VoiceWriteError> {
        let name = &name;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if lock_voice(&mut tx, Table::Usages, group, id, change.expected).await?.is_none() {
                return Err(Fail::Op(VoiceWriteError::NotFound));
            }
            let version = update_named(&mut tx, Table::Usages, group, id, Some(name), (None, None)).await?;
            tx.commit(change).await?;
            Ok(PstnUsage { id, group, name: name.clone(), version })
        })
        .await
    }

    async fn delete_usage(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, DeleteUsageError> {
        retrying(|| self.delete_usage_once(group, id, change)).await
    }

    async fn usage_referrers(&self, group: NodeId, id: VoiceId) -> Result<Option<Vec<Referrer>>, StoreError> {
        retrying(|| async move {
            // One transaction, so the usage and its referrers are read consistently enough:
            // REPEATABLE READ would be stricter, but a report is stale the moment it is sent.
            let mut tx = super::begin::begin(&self.pool).await?;
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

    async fn list_usages(&self, request: &PageRequest<VoiceScope>) -> Result<Page<PstnUsage>, StoreError> {
        list_rows(&self.pool, request, Table::Usages, usage_of).await
    }

    async fn create_route(&self, group: NodeId, new: NewRoute, change: &Change) -> Result<VoiceRoute, VoiceWriteError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            lock_usages(&mut tx, group, &new.usages).await?;
            let id = insert_named(&mut tx, Table::Routes, group, &new.name, Some((&new.pattern, new.priority))).await?;
            set_links(&mut tx, Table::Routes, group, id, &new.usages).await?;
            let route = read_route(&mut tx, id).await?;
            tx.commit(change).await?;
            Ok(route)
        })
        .await
    }

    async fn update_route(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: RouteChanges,
        change: &Change,
    ) -> Result<VoiceRoute, VoiceWriteError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            // The object first, then its usages: the order every change of it keeps.
            if lock_voice(&mut tx, Table::Routes, group, id, change.expected).await?.is_none() {
                return Err(Fail::Op(VoiceWriteError::NotFound));
            }
            if let Some(links) = &changes.usages {
                lock_usages(&mut tx, group, links).await?;
            }
            let route = (changes.pattern.as_ref(), changes.priority);
            update_named(&mut tx, Table::Routes, group, id, changes.name.as_ref(), route).await?;
            if let Some(links) = &changes.usages {
                set_links(&mut tx, Table::Routes, group, id, links).await?;
            }
            let route = read_route(&mut tx, id).await?;
            tx.commit(change).await?;
            Ok(route)
        })
        .await
    }

    async fn delete_route(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        self.delete_linker(Table::Routes, group, id, change).await
    }

    async fn list_routes(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoute>, StoreError> {
        list_rows(&self.pool, request, Table::Routes, route_of).await
    }

    async fn create_policy(
        &self,
        group: NodeId,
        new: NewPolicy,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            lock_usages(&mut tx, group, &new.usages).await?;
            let id = insert_named(&mut tx, Table::Policies, group, &new.name, None).await?;
            set_links(&mut tx, Table::Policies, group, id, &new.usages).await?;
            let policy = read_policy(&mut tx, id).await?;
            tx.commit(change).await?;
            Ok(policy)
        })
        .await
    }

    async fn update_policy(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: PolicyChanges,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            // The object first, then its usages: the order every change of it keeps.
            if lock_voice(&mut tx, Table::Policies, group, id, change.expected).await?.is_none() {
                return Err(Fail::Op(VoiceWriteError::NotFound));
            }
            if let Some(links) = &changes.usages {
                lock_usages(&mut tx, group, links).await?;
            }
            update_named(&mut tx, Table::Policies, group, id, changes.name.as_ref(), (None, None)).await?;
            if let Some(links) = &changes.usages {
                set_links(&mut tx, Table::Policies, group, id, links).await?;
            }
            let policy = read_policy(&mut tx, id).await?;
            tx.commit(change).await?;
            Ok(policy)
        })
        .await
    }

    async fn delete_policy(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        self.delete_linker(Table::Policies, group, id, change).await
    }

    async fn list_policies(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoutingPolicy>, StoreError> {
        list_rows(&self.pool, request, Table::Policies, policy_of).await
    }
}
