//! The PostgreSQL writes of a tenant's custom permissions (migrations/0030_user_groups.sql):
//! each changes what every group of the tenant shows, so it locks the tenant's groups in id
//! order and counts a version on each, before it touches the permission (the order of a
//! permission change too: group, then permission).

use super::PostgresStore;
use super::errors::Fail;
use super::unit::Unit;
use super::user_group_rows::CustomRow;
use crate::error::StoreError;
use crate::nodes::Deleted;
use crate::user_groups::UserGroupWriteError;
use canopy_domain::{Change, CustomPermission, NewCustomPermission, NodeId};
use sqlx::PgConnection;

/// Counts one version on every group of the tenant, locking them in id order.
pub(super) async fn count_catalogue_change(conn: &mut PgConnection, tenant: NodeId) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT id FROM user_groups WHERE tenant_id = $1 ORDER BY id FOR UPDATE")
        .bind(tenant.0)
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE user_groups SET version = version + 1 WHERE tenant_id = $1")
        .bind(tenant.0)
        .execute(conn)
        .await?;
    Ok(())
}

impl PostgresStore {
    pub(super) async fn create_custom_once(
        &self,
        tenant: NodeId,
        new: &NewCustomPermission,
        change: &Change,
    ) -> Result<CustomPermission, Fail<UserGroupWriteError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        // The tenant first, held against its deletion, then its groups.
        let tenant_found: Option<i32> =
            sqlx::query_scalar("SELECT 1 FROM nodes WHERE id = $1 AND kind = 'tenant' FOR KEY SHARE")
                .bind(tenant.0)
                .fetch_optional(&mut *tx)
                .await?;
        if tenant_found.is_none() {
            return Err(Fail::Op(UserGroupWriteError::TenantNotFound));
        }
        count_catalogue_change(&mut tx, tenant).await?;
        let row: CustomRow = sqlx::query_as(
            "INSERT INTO custom_permissions (tenant_id, label, description, default_value) VALUES ($1, $2, $3, $4) \
             RETURNING id, label, description, default_value",
        )
        .bind(tenant.0)
        .bind(&new.label)
        .bind(new.description.as_deref())
        .bind(new.default)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit(change).await?;
        Ok(row.into_permission())
    }

    pub(super) async fn delete_custom_once(
        &self,
        tenant: NodeId,
        id: i64,
        change: &Change,
    ) -> Result<Deleted, Fail<StoreError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        let exists: Option<i64> =
            sqlx::query_scalar("SELECT id FROM custom_permissions WHERE tenant_id = $1 AND id = $2")
                .bind(tenant.0)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        if exists.is_none() {
            return Ok(Deleted::Absent);
        }
        count_catalogue_change(&mut tx, tenant).await?;
        // Its values go with it (ON DELETE CASCADE).
        let deleted = sqlx::query("DELETE FROM custom_permissions WHERE tenant_id = $1 AND id = $2")
            .bind(tenant.0)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if deleted.rows_affected() == 0 {
            return Ok(Deleted::Absent);
        }
        tx.commit(change).await?;
        Ok(Deleted::Removed)
    }
}
