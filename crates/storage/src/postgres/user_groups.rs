//! The PostgreSQL adapter of the user group port (migrations/0030_user_groups.sql).
//!
//! # Concurrency
//!
//! * A creation is one INSERT that checks its tenant (`WHERE EXISTS`, then the foreign key, whose
//!   check waits for a concurrent deletion of the tenant); `user_groups_name_key` makes one of
//!   concurrent creations of a name win and the others `DuplicateName`.
//! * A change, a permission change or a deletion of a group locks its row `FOR UPDATE` first and
//!   checks the client's version under the lock: changes of one group take turns, each applies
//!   to the values the previous one committed (changes of disjoint permissions all apply).
//! * A permission change locks the custom permissions it names `FOR KEY SHARE` (the lock of the
//!   values' foreign key) after its group: a missing one is refused by name, the found ones
//!   cannot be deleted until it commits.
//! * Defining or deleting a custom permission locks the tenant's groups `FOR UPDATE` in id order
//!   (to count a version on each) before it touches the permission, the same order as a
//!   permission change (group, then permission): they cannot deadlock each other.

use super::PostgresStore;
use super::errors::{Fail, OpError, retrying, store_error};
use super::unit::Unit;
use super::user_group_rows::{CustomRow, GROUP_COLUMNS, GroupRow, branch_text, order_by};
use super::versions::version_of;
use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use crate::user_groups::{UserGroupPage, UserGroupStore, UserGroupWriteError};
use async_trait::async_trait;
use canopy_domain::{
    Change, CustomPermission, NewCustomPermission, NodeId, PermissionChanges, UserGroup, UserGroupFields, UserGroupId,
    UserGroupQuery, check_version,
};
use sqlx::{AssertSqlSafe, PgConnection};

impl OpError for UserGroupWriteError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            "user_groups_name_key" => Some(Self::DuplicateName),
            // The tenant deleted between the insert's check and its foreign-key check.
            "user_groups_tenant_id_fkey" | "custom_permissions_tenant_id_fkey" => Some(Self::TenantNotFound),
            _ => None,
        }
    }
}

async fn read_group(
    conn: &mut PgConnection,
    tenant: NodeId,
    id: UserGroupId,
) -> Result<Option<UserGroup>, sqlx::Error> {
    let sql = format!("SELECT {GROUP_COLUMNS} FROM user_groups g WHERE g.tenant_id = $1 AND g.id = $2");
    let row: Option<GroupRow> =
        sqlx::query_as(AssertSqlSafe(sql)).bind(tenant.0).bind(id.0).fetch_optional(conn).await?;
    row.map(GroupRow::into_group).transpose().map_err(|err| sqlx::Error::Decode(err.into()))
}

/// Locks a group of the tenant and checks the change's version; `false` when there is none.
async fn lock_group<E>(
    conn: &mut PgConnection,
    tenant: NodeId,
    id: UserGroupId,
    change: &Change,
) -> Result<bool, Fail<E>>
where
    E: From<StoreError> + From<canopy_domain::VersionMismatch>,
{
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT version FROM user_groups WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(tenant.0)
            .bind(id.0)
            .fetch_optional(&mut *conn)
            .await?;
    let Some(raw) = stored else { return Ok(false) };
    check_version(change.expected, version_of("user_groups", raw)?)?;
    Ok(true)
}

/// A statement's `$2` to `$6`: a group's fields, as the columns hold them.
fn with_fields<'q>(
    query: sqlx::query::QueryScalar<'q, sqlx::Postgres, i64, sqlx::postgres::PgArguments>,
    fields: &'q UserGroupFields,
) -> sqlx::query::QueryScalar<'q, sqlx::Postgres, i64, sqlx::postgres::PgArguments> {
    query
        .bind(fields.name.as_str())
        .bind(fields.name.key())
        .bind(fields.description.as_deref())
        .bind(fields.description_key())
        .bind(branch_text(fields))
}

fn found(group: Option<UserGroup>) -> Result<UserGroup, Fail<UserGroupWriteError>> {
    group.ok_or_else(|| Fail::Op(StoreError::Backend("a locked user group vanished".into()).into()))
}

impl PostgresStore {
    async fn apply_permissions(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        changes: &PermissionChanges,
        change: &Change,
    ) -> Result<UserGroup, Fail<UserGroupWriteError>> {
        let mut tx = Unit::begin(&self.pool).await?;
        if !lock_group(&mut tx, tenant, id, change).await? {
            return Err(Fail::Op(UserGroupWriteError::NotFound));
        }
        let wanted = changes.custom_ids();
        let defined: Vec<i64> = sqlx::query_scalar(
            "SELECT id FROM custom_permissions WHERE tenant_id = $1 AND id = ANY($2) ORDER BY id FOR KEY SHARE",
        )
        .bind(tenant.0)
        .bind(&wanted)
        .fetch_all(&mut *tx)
        .await?;
        let unknown: Vec<String> =
            wanted.iter().filter(|id| !defined.contains(id)).map(|id| format!("perm_{id}")).collect();
        if !unknown.is_empty() {
            return Err(Fail::Op(UserGroupWriteError::UnknownPermissions(unknown)));
        }
        let (mut set, mut customs, mut enabled, mut reset) = (vec![], vec![], vec![], vec![]);
        for (name, value) in &changes.0 {
            match value {
                Some(value) => {
                    set.push(name.as_string());
                    customs.push(match name {
                        canopy_domain::PermissionName::Custom(id) => Some(*id),
                        canopy_domain::PermissionName::BuiltIn(_) => None,
                    });
                    enabled.push(*value);
                }
                None => reset.push(name.as_string()),
            }
        }
        sqlx::query("DELETE FROM user_group_permissions WHERE group_id = $1 AND name = ANY($2)")
            .bind(id.0)
            .bind(&reset)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO user_group_permissions (tenant_id, group_id, name, custom_id, enabled) \
             SELECT $1, $2, * FROM unnest($3::text[], $4::bigint[], $5::boolean[]) \
             ON CONFLICT (group_id, name) DO UPDATE SET enabled = EXCLUDED.enabled",
        )
        .bind(tenant.0)
        .bind(id.0)
        .bind(&set)
        .bind(&customs)
        .bind(&enabled)
        .execute(&mut *tx)
        .await?;
        sqlx::query("UPDATE user_groups SET version = version + 1 WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        let group = found(read_group(&mut tx, tenant, id).await?)?;
        tx.commit(change).await?;
        Ok(group)
    }
}

#[async_trait]
impl UserGroupStore for PostgresStore {
    async fn create_user_group(
        &self,
        tenant: NodeId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        let fields = &fields;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            let insert = sqlx::query_scalar(
                "INSERT INTO user_groups (tenant_id, name, name_key, description, description_key, branch) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS (SELECT 1 FROM nodes WHERE id = $1 AND kind = 'tenant') \
                 RETURNING id",
            );
            let id: Option<i64> = with_fields(insert.bind(tenant.0), fields).fetch_optional(&mut *tx).await?;
            let Some(id) = id else { return Err(Fail::Op(UserGroupWriteError::TenantNotFound)) };
            let group = found(read_group(&mut tx, tenant, UserGroupId(id)).await?)?;
            tx.commit(change).await?;
            Ok(group)
        })
        .await
    }

    async fn update_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        fields: UserGroupFields,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        let fields = &fields;
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if !lock_group(&mut tx, tenant, id, change).await? {
                return Err(Fail::Op(UserGroupWriteError::NotFound));
            }
            let update = sqlx::query_scalar(
                "UPDATE user_groups SET name = $2, name_key = $3, description = $4, description_key = $5, \
                 branch = $6, version = version + 1 WHERE id = $1 RETURNING id",
            );
            let _: i64 = with_fields(update.bind(id.0), fields).fetch_one(&mut *tx).await?;
            let group = found(read_group(&mut tx, tenant, id).await?)?;
            tx.commit(change).await?;
            Ok(group)
        })
        .await
    }

    async fn delete_user_group(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        change: &Change,
    ) -> Result<Deleted, VersionedWriteError> {
        retrying(|| async move {
            let mut tx = Unit::begin(&self.pool).await?;
            if !lock_group(&mut tx, tenant, id, change).await? {
                return Ok(Deleted::Absent);
            }
            // Its values go with it (ON DELETE CASCADE).
            sqlx::query("DELETE FROM user_groups WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
            tx.commit(change).await?;
            Ok(Deleted::Removed)
        })
        .await
    }

    async fn set_user_group_permissions(
        &self,
        tenant: NodeId,
        id: UserGroupId,
        changes: &PermissionChanges,
        change: &Change,
    ) -> Result<UserGroup, UserGroupWriteError> {
        retrying(|| self.apply_permissions(tenant, id, changes, change)).await
    }

    async fn get_user_group(&self, tenant: NodeId, id: UserGroupId) -> Result<Option<UserGroup>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        read_group(&mut conn, tenant, id).await.map_err(store_error)
    }

    async fn list_user_groups(&self, tenant: NodeId, query: &UserGroupQuery) -> Result<UserGroupPage, StoreError> {
        // One snapshot for the count and the page.
        let mut tx = super::begin::begin(&self.pool).await.map_err(store_error)?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await
            .map_err(store_error)?;
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM user_groups WHERE tenant_id = $1")
            .bind(tenant.0)
            .fetch_one(&mut *tx)
            .await
            .map_err(store_error)?;
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM user_groups g WHERE g.tenant_id = $1 ORDER BY {} OFFSET $2 LIMIT $3",
            order_by(query)
        );
        let rows: Vec<GroupRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(tenant.0)
            .bind(i64::try_from(query.offset()).unwrap_or(i64::MAX))
            .bind(i64::try_from(query.limit()).unwrap_or(i64::MAX))
            .fetch_all(&mut *tx)
            .await
            .map_err(store_error)?;
        tx.commit().await.map_err(store_error)?;
        let groups = rows.into_iter().map(GroupRow::into_group).collect::<Result<_, _>>()?;
        Ok(UserGroupPage { groups, total: u64::try_from(total).unwrap_or_default() })
    }

    async fn custom_permissions(&self, tenant: NodeId) -> Result<Vec<CustomPermission>, StoreError> {
        let rows: Vec<CustomRow> = sqlx::query_as(
            "SELECT id, label, description, default_value FROM custom_permissions WHERE tenant_id = $1 ORDER BY id",
        )
        .bind(tenant.0)
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(rows.into_iter().map(CustomRow::into_permission).collect())
    }

    async fn create_custom_permission(
        &self,
        tenant: NodeId,
        new: NewCustomPermission,
        change: &Change,
    ) -> Result<CustomPermission, UserGroupWriteError> {
        retrying(|| self.create_custom_once(tenant, &new, change)).await
    }

    async fn delete_custom_permission(&self, tenant: NodeId, id: i64, change: &Change) -> Result<Deleted, StoreError> {
        retrying(|| self.delete_custom_once(tenant, id, change)).await
    }
}
