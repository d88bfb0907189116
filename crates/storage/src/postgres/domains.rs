//! The PostgreSQL domain registry, and the check of a site group's `defaultDomain` that node
//! creations and changes make in their own transaction (a creation holds its tenant's row: see
//! `nodes.rs`), registering it when the creation asks to.

use super::PostgresStore;
use super::errors::{Fail, retrying, store_error};
use super::unit::{Hold, Unit, node_exists};
use crate::domains::{AssignDomainError, DomainStore};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{
    Change, DomainError, DomainUse, DraasDomain, InstanceSlug, Node, NodeId, NodeKind, claimed_default_domain,
    default_domain_use,
};
use sqlx::PgConnection;

/// Checks a site group's `defaultDomain` against its tenant's and, when the write may, registers
/// it for the instance and the tenant. `Err` is the domain's refusal.
pub(super) async fn use_default_domain(
    conn: &mut PgConnection,
    node: &Node,
    old: Option<&Node>,
    register: bool,
) -> Result<Result<(), DomainError>, sqlx::Error> {
    let (Some(domain), Some(tenant)) = (claimed_default_domain(node, old), node.lineage.tenant) else {
        return Ok(Ok(()));
    };
    let assigned: Option<i32> = sqlx::query_scalar("SELECT 1 FROM tenant_domains WHERE tenant_id = $1 AND name = $2")
        .bind(tenant.0)
        .bind(domain.as_str())
        .fetch_optional(&mut *conn)
        .await?;
    match default_domain_use(assigned.is_some(), register) {
        Err(refused) => Ok(Err(refused)),
        Ok(DomainUse::Register) => {
            sqlx::query("INSERT INTO domains (instance, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(node.instance.as_str())
                .bind(domain.as_str())
                .execute(&mut *conn)
                .await?;
            sqlx::query(
                "INSERT INTO tenant_domains (tenant_id, instance, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(tenant.0)
            .bind(node.instance.as_str())
            .bind(domain.as_str())
            .execute(&mut *conn)
            .await?;
            Ok(Ok(()))
        }
        Ok(DomainUse::Assigned | DomainUse::Nothing) => Ok(Ok(())),
    }
}

fn parsed(names: Vec<String>) -> Vec<DraasDomain> {
    names.into_iter().filter_map(|name| DraasDomain::parse(&name).ok()).collect()
}

impl PostgresStore {
    async fn add_domain_once(
        &self,
        instance: &InstanceSlug,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, Fail<StoreError>> {
        let mut unit = Unit::begin(&self.pool).await?;
        let added = sqlx::query("INSERT INTO domains (instance, name) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(instance.as_str())
            .bind(domain.as_str())
            .execute(&mut *unit)
            .await?
            .rows_affected();
        Ok(unit.commit_if_changed(added, change).await?)
    }

    async fn assign_once(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, Fail<AssignDomainError>> {
        let mut unit = Unit::begin(&self.pool).await?;
        if !unit.holds((instance, NodeKind::Tenant, tenant), Hold::KeyShare).await? {
            return Err(Fail::Op(AssignDomainError::TenantNotFound));
        }
        let known: Option<i32> = sqlx::query_scalar("SELECT 1 FROM domains WHERE instance = $1 AND name = $2")
            .bind(instance.as_str())
            .bind(domain.as_str())
            .fetch_optional(&mut *unit)
            .await?;
        if known.is_none() {
            return Err(Fail::Op(AssignDomainError::UnknownDomain));
        }
        let added = sqlx::query(
            "INSERT INTO tenant_domains (tenant_id, instance, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(tenant.0)
        .bind(instance.as_str())
        .bind(domain.as_str())
        .execute(&mut *unit)
        .await?
        .rows_affected();
        Ok(unit.commit_if_changed(added, change).await?)
    }
}

#[async_trait]
impl DomainStore for PostgresStore {
    async fn list_domains(&self, instance: &InstanceSlug) -> Result<Vec<DraasDomain>, StoreError> {
        let names: Vec<String> = sqlx::query_scalar("SELECT name FROM domains WHERE instance = $1 ORDER BY name")
            .bind(instance.as_str())
            .fetch_all(&self.pool)
            .await
            .map_err(store_error)?;
        Ok(parsed(names))
    }

    async fn add_domain(
        &self,
        instance: &InstanceSlug,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, StoreError> {
        retrying(|| self.add_domain_once(instance, domain, change)).await
    }

    async fn tenant_domains(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
    ) -> Result<Option<Vec<DraasDomain>>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        if !node_exists(&mut conn, (instance, NodeKind::Tenant, tenant), None).await.map_err(store_error)? {
            return Ok(None);
        }
        let names: Vec<String> =
            sqlx::query_scalar("SELECT name FROM tenant_domains WHERE tenant_id = $1 ORDER BY name")
                .bind(tenant.0)
                .fetch_all(&mut *conn)
                .await
                .map_err(store_error)?;
        Ok(Some(parsed(names)))
    }

    async fn assign_domain(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        domain: &DraasDomain,
        change: &Change,
    ) -> Result<bool, AssignDomainError> {
        retrying(|| self.assign_once(instance, tenant, domain, change)).await
    }
}
