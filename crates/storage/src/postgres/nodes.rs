//! The PostgreSQL adapter of the node port: the same behaviour as the memory adapter, made to
//! hold across processes and under concurrency with row locks taken in one global order.
//!
//! # Locking
//!
//! Two rules must survive races: a node is only deleted when it has no children (a creation
//! racing the deletion of its parent either commits first, and the deletion sees the child, or
//! finds the parent gone), and the subtree counters of every ancestor stay exact.
//!
//! * A creation locks the new node's ancestors (its lineage) root first — group, distributor,
//!   reseller, tenant, site group — `FOR NO KEY UPDATE`, checks that the parent is still there
//!   (and, for a user in a site group, that the site group's limit has room: its `nb_users`,
//!   read after the lock), inserts, and bumps the ancestors' counters.
//! * An update locks the node `FOR UPDATE` (which waits for every creation holding it), and a
//!   site group counts its users in a fresh statement before its limit may change.
//! * A deletion locks the node's ancestors root first `FOR NO KEY UPDATE` (their counters change),
//!   then the node itself `FOR UPDATE`, counts its direct children in a snapshot taken after the
//!   lock, decides with `ensure_deletable`, deletes and decrements the ancestors' counters.
//!
//! The parent of a new node is locked by its creation and by its own deletion, so the two are
//! serialized; READ COMMITTED takes a new snapshot per statement, so the children count after the
//! lock sees every creation that held the lock before. Everyone locks in the same root-first
//! order, which rules out deadlocks between our own transactions; a deadlock or serialization
//! failure chosen by the server anyway is retried ([`retrying`]).
//!
//! The price: creations and deletions within one group are serialized on the group's row (its
//! counters are written by each of them anyway). Reads take no locks.
//!
//! Administrators (`accounts`) belong to nodes through a foreign key `ON DELETE CASCADE`: a
//! deletion takes its node's administrators with it and never counts them as children; so it
//! does with the node's configuration (`configurations`).

use super::PostgresStore;
use super::admins;
use super::domains;
use super::errors::{Fail, retrying, store_error};
use super::list;
use super::node_locks::{
    CounterDelta, ancestor_ids, counters_update, fetch_node, lock_ancestor, lock_lineage, lock_node, uncount,
};
use super::rows::{self, AttributeColumns, NodeRow, NodeViewRow, count_columns, lineage_disabled, node_columns};
use super::unit::Unit;
use crate::admins::NewAdmin;
use crate::error::{CreateNodeError, DeleteNodeError, StoreError, TreeLockError, UpdateNodeError};
use crate::nodes::{Deleted, Located, NewNode, NodeChanges, NodeStore, NodeView, Updated, account_created};
use async_trait::async_trait;
use canopy_domain::{Change, Level, LockRequest, Version, ensure_holds_users, ensure_room};
use canopy_domain::{
    ChildCounts, Found, GroupSearch, InstanceSlug, Lineage, Node, NodeId, NodeKey, NodeKind, NodeRef, NodeScope,
    NodeSearch, Page, PageRequest, Serial, ensure_deletable,
};
use sqlx::postgres::PgConnection;

impl PostgresStore {
    async fn create_once(&self, new: &NewNode, change: &Change) -> Result<Node, Fail<CreateNodeError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        let lineage = match new.parent {
            None => Lineage::default(),
            Some(parent) => {
                // The parent and its ancestors locked root first, in one round trip. Nodes never
                // move, but the parent may vanish (an ancestor that goes takes it along: foreign
                // keys), or in theory be deleted and created again elsewhere under the same id,
                // before it is locked: checked below.
                let not_found = || Fail::Op(CreateNodeError::ParentNotFound);
                let held = lock_lineage(&mut tx, &new.instance, parent.kind, parent.id).await?;
                let locked = held.last().ok_or_else(not_found)?;
                if (locked.id, locked.kind, &locked.instance) != (parent.id, parent.kind, &new.instance) {
                    return Err(not_found());
                }
                let lineage = Lineage::of_child_of(locked);
                // The rows held are the lineage as it is now, once the parent is locked.
                if !held.iter().map(|node| node.id).eq(lineage.root_first()) {
                    return Err(Fail::Retry);
                }
                let users = match locked.attributes.site_group() {
                    // Exact: every creation in the site group holds its row while it counts.
                    Some(_) => users_of(&mut tx, locked.id).await?,
                    None => 0,
                };
                ensure_room(locked, new.kind(), users).map_err(|e| Fail::Op(CreateNodeError::Invalid(e)))?;
                lineage
            }
        };
        let mut node = Node {
            id: new.id,
            serial: Serial(0),
            instance: new.instance.clone(),
            kind: new.kind(),
            parent: new.parent.map(|p| p.id),
            lineage,
            name: new.name.clone(),
            attributes: new.attributes.clone(),
            version: Version::FIRST,
            enabled: true,
            lock: None,
        };
        let columns = AttributeColumns::of(&node.attributes);
        let counted = CounterDelta::of(node.kind, 1);
        let lineage = node.lineage;
        // One round trip: the node inserted and its ancestors' counters (locked above) raised.
        let serial: i64 = sqlx::query_scalar(concat!(
            "WITH counted AS (",
            counters_update!("$19", "$20", "$21", "$22", "$23", "$24"),
            ") INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, \
             tenant_node_id, site_group_id, name, name_key, draas_domain, tenant_id, tenant_key, attributes, \
             group_name_key, first_name_key, last_name_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb, $16, $17, $18) \
             RETURNING serial"
        ))
        .bind(node.id.0)
        .bind(node.instance.as_str())
        .bind(node.kind.as_str())
        .bind(node.parent.map(|p| p.0))
        .bind(lineage.group.map(|id| id.0))
        .bind(lineage.distributor.map(|id| id.0))
        .bind(lineage.reseller.map(|id| id.0))
        .bind(lineage.tenant.map(|id| id.0))
        .bind(lineage.site_group.map(|id| id.0))
        .bind(node.name.as_str())
        .bind(node.name.key())
        .bind(columns.draas_domain)
        .bind(columns.tenant_id)
        .bind(columns.tenant_key)
        .bind(columns.attributes)
        .bind(columns.group_name_key)
        .bind(columns.first_name_key)
        .bind(columns.last_name_key)
        .bind(ancestor_ids(&node))
        .bind(counted.distributors)
        .bind(counted.resellers)
        .bind(counted.tenants)
        .bind(counted.site_groups)
        .bind(counted.users)
        .fetch_one(&mut *tx)
        .await?;
        node.serial = Serial(serial);
        // Under the tenant's lock (an ancestor of every site group): the `defaultDomain` is the
        // tenant's, or registered now with the group.
        domains::use_default_domain(&mut tx, &node, None, new.register_domain)
            .await?
            .map_err(|refused| Fail::Op(CreateNodeError::Invalid(refused)))?;
        if let Some(admin) = &new.admin {
            // The node's account (a group's first administrator, a user's own), in the node's
            // transaction: an address the instance already has (admins_email_key_key →
            // DuplicateEmail) rolls the node back with it.
            let admin = NewAdmin { home: Some(node.id), ..admin.clone() };
            if admins::insert_admin(&mut tx, &admin).await?.is_none() {
                let elsewhere = "the node's administrator names another instance than the node";
                return Err(Fail::Op(CreateNodeError::Store(StoreError::Backend(elsewhere.into()))));
            }
        }
        tx.commit(change).await?;
        Ok(node)
    }

    async fn delete_once(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, Fail<DeleteNodeError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        // Which ancestors to lock, read without a lock.
        let Some(seen) = fetch_node(&mut tx, instance, kind, id).await? else { return Ok(Deleted::Absent) };
        for ancestor in seen.lineage.root_first() {
            if lock_ancestor(&mut tx, ancestor).await?.is_none() {
                // Gone, so is the node below it (foreign keys). Dropping `tx` rolls back.
                return Ok(Deleted::Absent);
            }
        }
        let Some(node) = lock_node(&mut tx, instance, kind, id).await? else { return Ok(Deleted::Absent) };
        if node.lineage != seen.lineage {
            return Err(Fail::Retry);
        }
        canopy_domain::check_version(change.expected, node.version)?;
        // A fresh snapshot (READ COMMITTED), taken while the node is locked against new children.
        // Every row that names the node as its parent counts, whatever its instance.
        let counts: Vec<(String, i64)> =
            sqlx::query_as("SELECT kind, count(*) FROM nodes WHERE parent_id = $1 GROUP BY kind")
                .bind(id.0)
                .fetch_all(&mut *tx)
                .await?;
        let mut children = ChildCounts::default();
        for (kind, count) in counts {
            children.add(rows::parse_kind(&kind)?, rows::count("children", count)?);
        }
        ensure_deletable(&node, &children).map_err(|_| Fail::Op(DeleteNodeError::NotEmpty(children)))?;
        // Recorded while the node is there to give its lineage.
        tx.record(change).await?;
        sqlx::query("DELETE FROM nodes WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        uncount(&mut tx, &node).await?;
        tx.commit_as_is().await?;
        Ok(Deleted::Removed)
    }

    /// Locks the node alone and reads it (its version is checked under the lock), applies the
    /// changes (the domain's `Attributes::changed`), then writes it back: one row lock is the whole
    /// transaction, so there is no lock order to keep. `FOR UPDATE` conflicts with the lock every
    /// creation takes on its parent, so a site group's users, counted after it, are exact.
    /// Uniqueness is left to the constraints.
    async fn update_once(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: &NodeChanges,
        change: &Change,
    ) -> Result<Updated, Fail<UpdateNodeError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        let old = lock_node(&mut tx, instance, kind, id).await?.ok_or(Fail::Op(UpdateNodeError::NotFound))?;
        canopy_domain::check_version(change.expected, old.version)?;
        let invalid = |e| Fail::Op(UpdateNodeError::Invalid(e));
        let mut new = old.clone();
        if let Some(name) = &changes.name {
            new.name = name.clone();
        }
        if let Some(attributes) = &changes.attributes {
            new.attributes = old.attributes.changed(attributes).map_err(invalid)?;
        }
        new.enabled = changes.enabled.unwrap_or(old.enabled);
        if new.attributes.site_group().is_some() {
            let users: i64 = sqlx::query_scalar("SELECT count(*) FROM nodes WHERE parent_id = $1 AND kind = 'user'")
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?;
            ensure_holds_users(&new, rows::count("users", users)?).map_err(invalid)?;
        }
        let columns = AttributeColumns::of(&new.attributes);
        let updated: NodeRow = sqlx::query_as(concat!(
            "UPDATE nodes SET name = $2, name_key = $3, draas_domain = $4, tenant_id = $5, tenant_key = $6, \
             attributes = $7::jsonb, group_name_key = $8, first_name_key = $9, last_name_key = $10, \
             enabled = $11, version = version + 1 WHERE id = $1 RETURNING ",
            node_columns!()
        ))
        .bind(id.0)
        .bind(new.name.as_str())
        .bind(new.name.key())
        .bind(columns.draas_domain)
        .bind(columns.tenant_id)
        .bind(columns.tenant_key)
        .bind(columns.attributes)
        .bind(columns.group_name_key)
        .bind(columns.first_name_key)
        .bind(columns.last_name_key)
        .bind(new.enabled)
        .fetch_one(&mut *tx)
        .await?;
        let node = updated.into_node()?;
        if old.enabled && !node.enabled {
            close_sessions_below(&mut tx, id).await?;
        }
        // A changed `defaultDomain` must be the tenant's already: changes register nothing.
        domains::use_default_domain(&mut tx, &node, Some(&old), false).await?.map_err(invalid)?;
        let account = match account_created(&old, &node, changes.account.clone())? {
            // The user's own account, in the change's transaction: an address the instance already
            // has (admins_email_key_key → DuplicateEmail) rolls the change back with it.
            Some(account) => Some(admins::insert_admin(&mut tx, &account).await?.ok_or_else(|| {
                Fail::Op(UpdateNodeError::Store(StoreError::Backend("the user's account found no home".into())))
            })?),
            None => None,
        };
        tx.commit(change).await?;
        Ok(Updated { node, account })
    }
}

/// Closes the sessions of every account homed at `id` or below it (it was just disabled), in the
/// change's transaction; a session opened meanwhile is refused by `session_admin` all the same.
async fn close_sessions_below(conn: &mut PgConnection, id: NodeId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM sessions WHERE admin_id IN (SELECT admins.id FROM admins JOIN nodes home ON home.id = admins.home_id \
         WHERE $1 IN (home.id, home.group_id, home.distributor_id, home.reseller_id, home.tenant_node_id, home.site_group_id))",
    )
    .bind(id.0)
    .execute(conn)
    .await?;
    Ok(())
}

/// The users a site group holds now, read in a fresh statement (READ COMMITTED) after its lock.
async fn users_of<E: From<StoreError>>(conn: &mut PgConnection, id: NodeId) -> Result<u64, Fail<E>> {
    let users: i64 = sqlx::query_scalar("SELECT nb_users FROM nodes WHERE id = $1").bind(id.0).fetch_one(conn).await?;
    Ok(rows::count("nb_users", users)?)
}

impl PostgresStore {
    /// A node of this kind (any kind: `None`) in this instance, by uuid or integer id, with its
    /// subtree counters.
    async fn view(
        &self,
        instance: &InstanceSlug,
        kind: Option<NodeKind>,
        node: NodeRef,
    ) -> Result<Option<NodeView>, StoreError> {
        // The node's columns and counters, found by one column.
        macro_rules! by {
            ($column:literal) => {
                concat!(
                    "SELECT ",
                    node_columns!(),
                    ", ",
                    count_columns!(),
                    " FROM nodes WHERE ",
                    $column,
                    " = $1 AND instance = $2 AND ($3::text IS NULL OR kind = $3)"
                )
            };
        }
        let query = match node {
            NodeRef::Uuid(id) => sqlx::query_as(by!("id")).bind(id.0),
            NodeRef::Serial(serial) => sqlx::query_as(by!("serial")).bind(serial.0),
        };
        let row: Option<NodeViewRow> = query
            .bind(instance.as_str())
            .bind(kind.map(NodeKind::as_str))
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        row.map(NodeViewRow::into_view).transpose()
    }
}

#[async_trait]
impl NodeStore for PostgresStore {
    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError> {
        retrying(|| self.create_once(&new, change)).await
    }

    async fn get_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
    ) -> Result<Option<NodeView>, StoreError> {
        self.view(instance, Some(kind), NodeRef::Uuid(id)).await
    }

    async fn find_node(&self, instance: &InstanceSlug, key: &NodeKey) -> Result<Option<NodeView>, StoreError> {
        self.find(instance, key).await
    }

    async fn search_site_groups(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        search: &GroupSearch,
    ) -> Result<Found, StoreError> {
        self.search_groups(instance, tenant, search).await
    }

    async fn get_node_by_serial(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        serial: Serial,
    ) -> Result<Option<NodeView>, StoreError> {
        self.view(instance, Some(kind), NodeRef::Serial(serial)).await
    }

    async fn locate(&self, instance: &InstanceSlug, node: NodeRef) -> Result<Option<Located>, StoreError> {
        if let NodeRef::Serial(serial) = node {
            let root: Option<i32> = sqlx::query_scalar("SELECT 1 FROM instances WHERE serial = $1 AND slug = $2")
                .bind(serial.0)
                .bind(instance.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
            if root.is_some() {
                return Ok(Some(Located::Instance));
            }
        }
        let Some(view) = self.view(instance, None, node).await? else { return Ok(None) };
        // The parent's integer id; a group's parent is the instance.
        let parent: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT serial FROM nodes WHERE id = $1), (SELECT serial FROM instances WHERE slug = $2))",
        )
        .bind(view.node.parent.map(|parent| parent.0))
        .bind(instance.as_str())
        .fetch_one(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(Some(Located::Node { view: Box::new(view), parent: Serial(parent) }))
    }

    async fn lineage_enabled(&self, node: NodeId) -> Result<bool, StoreError> {
        let disabled: bool = sqlx::query_scalar(concat!("SELECT ", lineage_disabled!("$1")))
            .bind(node.0)
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(!disabled)
    }

    async fn search_nodes(&self, search: &NodeSearch) -> Result<Vec<Node>, StoreError> {
        // As `NodeSearch::admits`: `starts_with` on the name's key, the subtree as in the lists.
        let query = concat!(
            "SELECT ",
            node_columns!(),
            " FROM nodes WHERE instance = $1 AND kind <> 'user' \
             AND ($2::uuid IS NULL OR $2 IN (id, group_id, distributor_id, reseller_id, tenant_node_id, site_group_id)) \
             AND CASE WHEN $3 THEN name_key = $4 ELSE starts_with(name_key, $4) END \
             ORDER BY name_key, id LIMIT $5"
        );
        let rows: Vec<NodeRow> = sqlx::query_as(query)
            .bind(search.instance.as_str())
            .bind(search.within.map(|within| within.0))
            .bind(search.strict)
            .bind(&search.prefix)
            .bind(i64::from(search.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.into_iter().map(NodeRow::into_node).collect()
    }

    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Updated, UpdateNodeError> {
        retrying(|| self.update_once(instance, kind, id, &changes, change)).await
    }

    async fn delete_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, DeleteNodeError> {
        retrying(|| self.delete_once(instance, kind, id, change)).await
    }

    async fn set_tree_lock(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        request: LockRequest,
        by: Level,
        change: &Change,
    ) -> Result<bool, TreeLockError> {
        self.set_lock((instance, kind, id), request, by, change).await
    }

    async fn list_nodes(&self, request: &PageRequest<NodeScope>) -> Result<Page<Node>, StoreError> {
        list::list_nodes(&self.pool, request).await
    }
}
