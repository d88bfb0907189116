//! The PostgreSQL adapter's tree locks under the two interleavings that matter, forced by hand
//! with a transaction of this test holding what the other side holds mid-flight
//! (`src/postgres/tree_locks.rs`): a write whose check meets a lock being taken waits for it and
//! is refused; a lock being taken meets a write holding its lineage and waits for its commit.
//! (The contract's race case cannot tell: its window is too short to be met by chance.)

// This test's own transactions are awaited to the end, never cancelled (`src/postgres/begin.rs`).
#![allow(clippy::disallowed_methods)]

use canopy_contract::testing;
use canopy_domain::{
    Actor, AdminId, Attributes, Change, ConfigWrite, Home, InstanceSlug, LockRequest, Node, NodeId, NodeKind, NodeName,
    TenantId, Timestamp, WriteMode,
};
use canopy_storage::{
    ConfigStore, Lifecycle, NewNode, NodeStore, ParentRef, PostgresStore, StoreError, WriteConfigError,
};
use sqlx::PgPool;
use std::time::Duration;
use tokio::time::Instant;
use uuid::Uuid;

fn instance() -> InstanceSlug {
    InstanceSlug::parse("default").unwrap()
}

/// A change by a system administrator, which no lock binds.
fn system() -> Change {
    Change {
        instance: instance(),
        actor: Actor { admin: AdminId(1), email: "tester@canopy.test".into() },
        at: Timestamp(1_800_000_000_000),
        request_id: "forced".into(),
        method: "POST".into(),
        path: "/forced".into(),
        action: "forced.change".into(),
        node: None,
        body: None,
        expected: None,
        home: None,
    }
}

/// A change by an administrator homed at `home`.
fn by(home: &Node) -> Change {
    Change { home: Some(Home { id: home.id, kind: home.kind }), ..system() }
}

async fn create(store: &PostgresStore, parent: Option<&Node>, attributes: Attributes, name: &str) -> Node {
    let new = NewNode {
        id: NodeId(Uuid::new_v4()),
        instance: instance(),
        parent: parent.map(|p| ParentRef { id: p.id, kind: p.kind }),
        name: NodeName::parse(name).unwrap(),
        attributes,
        admin: None,
        register_domain: false,
    };
    store.create_node(new, &system()).await.unwrap()
}

/// A migrated store, a pool of its own on the same database, and G > R > T > S.
async fn world() -> (PostgresStore, PgPool, Node, Node, Node) {
    let url = testing::fresh_database().await;
    let store = PostgresStore::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    store.ensure_instances(&[instance()]).await.unwrap();
    let pool = PgPool::connect(&url).await.unwrap();
    let group = create(&store, None, Attributes::blank(NodeKind::Group), "G").await;
    let reseller = create(&store, Some(&group), Attributes::blank(NodeKind::Reseller), "R").await;
    let tenant_id = TenantId::parse("t").unwrap();
    let tenant = create(&store, Some(&reseller), Attributes::Tenant { tenant_id }, "T").await;
    let limit = serde_json::json!({ "userLimit": 5 });
    let site = Attributes::parse_new(NodeKind::SiteGroup, limit.as_object().unwrap()).unwrap();
    let site_group = create(&store, Some(&tenant), site, "S").await;
    (store, pool, reseller, tenant, site_group)
}

/// Waits (with a deadline) until a session of the database waits for a row lock.
async fn someone_waits_for_a_lock(pool: &PgPool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        if waiting > 0 {
            return;
        }
        assert!(Instant::now() < deadline, "nobody waits for a lock: the two did not meet");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn upsert() -> ConfigWrite {
    let properties = serde_json::json!({ "k": 1 }).as_object().unwrap().clone();
    ConfigWrite::parse(WriteMode::Upsert, properties.into_iter().collect()).unwrap()
}

#[tokio::test]
async fn a_write_meeting_a_lock_being_taken_waits_for_it_and_is_refused() {
    let (store, pool, _, tenant, site_group) = world().await;
    // The locker, mid-flight: the tenant's row held as `set_tree_lock` holds it, the lock written,
    // not committed.
    let mut locker = pool.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM nodes WHERE id = $1 FOR UPDATE").bind(tenant.id.0).execute(&mut *locker).await.unwrap();
    sqlx::query("UPDATE nodes SET locked_by = 'reseller' WHERE id = $1")
        .bind(tenant.id.0)
        .execute(&mut *locker)
        .await
        .unwrap();
    let store = std::sync::Arc::new(store);
    // The tenant's administrator writes its site group's configuration: a row of its own to hold,
    // none the locker holds but through the check.
    let writer = {
        let (store, tenant, site_group) = (store.clone(), tenant.clone(), site_group.clone());
        tokio::spawn(async move { store.write_config(site_group.id, &upsert(), &by(&tenant)).await })
    };
    someone_waits_for_a_lock(&pool).await;
    assert!(!writer.is_finished(), "the write went ahead of a lock being taken");
    locker.commit().await.unwrap();
    let written = writer.await.unwrap();
    assert!(matches!(written, Err(WriteConfigError::Store(StoreError::TreeLocked))), "{written:?}");
    let (properties, version) = store.get_config(site_group.id).await.unwrap().unwrap();
    assert!(properties.iter().next().is_none() && version.0 == 1, "nothing written");
}

#[tokio::test]
async fn a_lock_meeting_a_write_in_its_commit_waits_for_it() {
    let (store, pool, reseller, tenant, _) = world().await;
    // A write of the tenant's administrator in its last statement: its home's row held as the
    // check holds it.
    let mut writer = pool.begin().await.unwrap();
    sqlx::query("SELECT 1 FROM nodes WHERE id = $1 FOR KEY SHARE")
        .bind(tenant.id.0)
        .execute(&mut *writer)
        .await
        .unwrap();
    let store = std::sync::Arc::new(store);
    let locker = {
        let (store, tenant) = (store.clone(), tenant.clone());
        let change = Change { node: Some(tenant.id), ..by(&reseller) };
        tokio::spawn(async move {
            store
                .set_tree_lock(
                    &instance(),
                    NodeKind::Tenant,
                    tenant.id,
                    LockRequest::Lock,
                    Some(NodeKind::Reseller),
                    &change,
                )
                .await
        })
    };
    someone_waits_for_a_lock(&pool).await;
    assert!(!locker.is_finished(), "the lock was taken while a write it binds was committing");
    writer.commit().await.unwrap();
    assert!(locker.await.unwrap().unwrap(), "then the lock is taken");
    let view = store.get_node(&instance(), NodeKind::Tenant, tenant.id).await.unwrap().unwrap();
    assert!(view.node.lock.is_some());
}
