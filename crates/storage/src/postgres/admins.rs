//! The PostgreSQL adapter of the admin port (migrations/0002_accounts.sql): administrators here,
//! their one-time tokens, failed logins and sessions in `accounts` (the account port). Each
//! method is one transaction.
//!
//! # Concurrency
//!
//! * An administrator's home is checked by its INSERT itself (`WHERE EXISTS`: a node of the same
//!   instance). A deletion of the node racing the insert is caught by the foreign key, whose check
//!   waits for the deletion to commit (`admins_home_id_fkey` → `HomeNotFound`); an administrator
//!   inserted first is deleted with its node (`ON DELETE CASCADE`).
//! * A bootstrap locks its instance's row `FOR UPDATE`, then checks for a system administrator
//!   in a snapshot taken under the lock, then inserts: bootstraps of one instance are serialized.
//! * A read-modify-write of one account (failed logins, token issuance) locks its row first,
//!   `FOR NO KEY UPDATE`: the lock its UPDATE takes anyway, which serializes the changes of one
//!   account without holding off the foreign-key checks of its sessions and tokens.
//! * A redemption deletes its token (`DELETE … RETURNING`) before anything else: of concurrent
//!   redemptions one deletes the row, the others wait for it to commit and find nothing.
//!
//! Transactions that still deadlock (e.g. a redemption, which locks the token then the account,
//! against the deletion of that account, which cascades the other way) are retried
//! ([`retrying`]).

use super::errors::{Fail, retrying, store_error};
use super::pager::{self, Table};
use super::rows::{AdminRow, admin_columns};
use super::unit::Unit;
use super::{PostgresStore, accounts, versions};
use crate::admins::{AdminChanges, AdminStore, NewAdmin};
use crate::error::{CreateAdminError, StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{Admin, AdminId, AdminScope, InstanceSlug, NodeId, NodeSearch, Page, PageRequest};
use sqlx::postgres::PgRow;
use sqlx::{FromRow, PgConnection, Postgres, QueryBuilder};

/// Inserts an administrator and its token in the caller's transaction; `None` (nothing inserted)
/// when it has a home that is not a node of its instance. A missing instance is left to the
/// foreign key (`admins_instance_fkey`).
pub(super) async fn insert_admin<E: From<StoreError>>(
    conn: &mut PgConnection,
    new: &NewAdmin,
) -> Result<Option<Admin>, Fail<E>> {
    let details = &new.details;
    let row: Option<AdminRow> = sqlx::query_as(concat!(
        "INSERT INTO admins (instance, profile, home_id, email, email_key, first_name, last_name, mobile, \
         password_hash, must_change_password, read_only) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 AND $9 IS NOT NULL, $11 \
         WHERE $3::uuid IS NULL OR EXISTS (SELECT 1 FROM nodes WHERE id = $3 AND instance = $1) RETURNING ",
        admin_columns!()
    ))
    .bind(new.instance.as_str())
    .bind(new.profile.as_str())
    .bind(new.home.map(|id| id.0))
    .bind(new.email.as_str())
    .bind(new.email.key())
    .bind(details.first_name.as_deref())
    .bind(details.last_name.as_deref())
    .bind(details.mobile.as_deref())
    .bind(new.password_hash.as_deref())
    .bind(new.must_change_password)
    .bind(new.read_only)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(admin) = row.map(AdminRow::into_admin).transpose()? else { return Ok(None) };
    if let Some(token) = &new.token {
        accounts::store_token(conn, admin.id, token).await?;
    }
    Ok(Some(admin))
}

#[async_trait]
impl AdminStore for PostgresStore {
    async fn create_admin(&self, new: NewAdmin, change: &Change) -> Result<Admin, CreateAdminError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            let admin = insert_admin(&mut tx, new).await?.ok_or(Fail::Op(CreateAdminError::HomeNotFound))?;
            tx.commit(change).await?;
            Ok(admin)
        })
        .await
    }

    async fn bootstrap_admin(&self, new: NewAdmin) -> Result<Option<Admin>, CreateAdminError> {
        let new = &new;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            // FOR UPDATE, not a weaker lock: it also conflicts with the KEY SHARE lock that the
            // foreign-key check of every administrator inserted into the instance takes, so no
            // administrator at all is created there between the check and the insert below.
            let locked: Option<String> = sqlx::query_scalar("SELECT slug FROM instances WHERE slug = $1 FOR UPDATE")
                .bind(new.instance.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if locked.is_none() {
                return Err(Fail::Op(CreateAdminError::HomeNotFound));
            }
            // A new snapshot (READ COMMITTED), taken under the lock: it sees the administrator of
            // every bootstrap that held the lock before.
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM admins WHERE instance = $1 AND home_id IS NULL)")
                    .bind(new.instance.as_str())
                    .fetch_one(&mut *tx)
                    .await?;
            if exists {
                return Ok(None);
            }
            let admin = insert_admin(&mut tx, new).await?.ok_or(Fail::Op(CreateAdminError::HomeNotFound))?;
            tx.commit_as_is().await?;
            Ok(Some(admin))
        })
        .await
    }

    async fn find_admin(&self, instance: &InstanceSlug, email_key: &str) -> Result<Option<Admin>, StoreError> {
        let row: Option<AdminRow> =
            sqlx::query_as(concat!("SELECT ", admin_columns!(), " FROM admins WHERE instance = $1 AND email_key = $2"))
                .bind(instance.as_str())
                .bind(email_key)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        row.map(AdminRow::into_admin).transpose()
    }

    async fn get_admin(&self, instance: &InstanceSlug, id: AdminId) -> Result<Option<Admin>, StoreError> {
        let row: Option<AdminRow> =
            sqlx::query_as(concat!("SELECT ", admin_columns!(), " FROM admins WHERE instance = $1 AND id = $2"))
                .bind(instance.as_str())
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        row.map(AdminRow::into_admin).transpose()
    }

    async fn list_admins(&self, instance: &InstanceSlug, home: Option<NodeId>) -> Result<Vec<Admin>, StoreError> {
        // Two statements, `= $1` and `IS NULL`, each matching one partial index of the schema.
        let query = match home {
            Some(home) => sqlx::query_as(concat!(
                "SELECT ",
                admin_columns!(),
                r#" FROM admins WHERE home_id = $1 AND instance = $2 ORDER BY email_key COLLATE "C""#
            ))
            .bind(home.0),
            None => sqlx::query_as(concat!(
                "SELECT ",
                admin_columns!(),
                r#" FROM admins WHERE home_id IS NULL AND instance = $1 ORDER BY email_key COLLATE "C""#
            )),
        };
        let rows: Vec<AdminRow> = query.bind(instance.as_str()).fetch_all(&self.pool).await.map_err(store_error)?;
        rows.into_iter().map(AdminRow::into_admin).collect()
    }

    async fn page_admins(&self, request: &PageRequest<AdminScope>) -> Result<Page<Admin>, StoreError> {
        // The sort key and the filters as the partial indexes of migration 0002 write them.
        let table = Table { from: "admins", columns: admin_columns!(), id: "id" };
        let scope = &request.scope;
        let search = request.query.search.clone();
        let filter = |sql: &mut QueryBuilder<Postgres>| {
            match scope.home {
                Some(home) => sql.push("home_id = ").push_bind(home.0),
                None => sql.push("home_id IS NULL"),
            };
            sql.push(" AND instance = ").push_bind(scope.instance.as_str().to_owned());
            if let Some(needle) = &search {
                sql.push(" AND (strpos(email_key, ").push_bind(needle.clone());
                sql.push(") > 0 OR strpos(lower(first_name), ").push_bind(needle.clone());
                sql.push(") > 0 OR strpos(lower(last_name), ").push_bind(needle.clone()).push(") > 0)");
            }
        };
        let parse = |row: &PgRow| AdminRow::from_row(row).map_err(store_error)?.into_admin();
        pager::page(&self.pool, request, &table, Some(r#"email_key COLLATE "C""#), filter, parse).await
    }

    async fn search_admins(&self, search: &NodeSearch) -> Result<Vec<Admin>, StoreError> {
        // As `NodeSearch::admits_admin`: the e-mail's key, the home in the subtree as the node
        // search reads it, no end user.
        let query = concat!(
            "SELECT ",
            admin_columns!(),
            " FROM admins WHERE instance = $1 AND profile <> 'end_user' \
             AND ($2::uuid IS NULL OR home_id IN (SELECT id FROM nodes WHERE instance = $1 \
                  AND $2 IN (id, group_id, distributor_id, reseller_id, tenant_node_id, site_group_id))) \
             AND CASE WHEN $3 THEN email_key = $4 ELSE starts_with(email_key, $4) END \
             ORDER BY email_key COLLATE \"C\", id LIMIT $5"
        );
        let rows: Vec<AdminRow> = sqlx::query_as(query)
            .bind(search.instance.as_str())
            .bind(search.within.map(|within| within.0))
            .bind(search.strict)
            .bind(&search.prefix)
            .bind(i64::from(search.limit))
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        rows.into_iter().map(AdminRow::into_admin).collect()
    }

    async fn update_admin(
        &self,
        id: AdminId,
        changes: AdminChanges,
        change: &Change,
    ) -> Result<Option<Admin>, VersionedWriteError> {
        let changes = &changes;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if versions::lock_admin(&mut tx, id, change.expected).await?.is_none() {
                return Ok(None);
            }
            let row: Option<AdminRow> = sqlx::query_as(concat!(
                "UPDATE admins SET first_name = coalesce($2, first_name), last_name = coalesce($3, last_name), \
                 mobile = coalesce($4, mobile), password_hash = CASE WHEN $5 THEN NULL ELSE password_hash END, \
                 must_change_password = must_change_password AND NOT $5, read_only = coalesce($6, read_only), \
                 version = version + 1 \
                 WHERE id = $1 RETURNING ",
                admin_columns!()
            ))
            .bind(id.0)
            .bind(changes.first_name.as_deref())
            .bind(changes.last_name.as_deref())
            .bind(changes.mobile.as_deref())
            .bind(changes.reset.is_some())
            .bind(changes.read_only)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(admin) = row.map(AdminRow::into_admin).transpose()? else { return Ok(None) };
            if let Some(token) = &changes.reset {
                // A forced reset: the cleared password, the closed sessions and the new token
                // commit together.
                accounts::close_sessions(&mut tx, id).await?;
                accounts::store_token(&mut tx, id, token).await?;
            }
            tx.commit(change).await?;
            Ok(Some(admin))
        })
        .await
    }

    async fn delete_admin(&self, id: AdminId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        // Sessions and tokens go with it (ON DELETE CASCADE).
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if versions::lock_admin(&mut tx, id, change.expected).await?.is_none() {
                return Ok(Deleted::Absent);
            }
            sqlx::query("DELETE FROM admins WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
            tx.commit(change).await?;
            Ok(Deleted::Removed)
        })
        .await
    }
}
