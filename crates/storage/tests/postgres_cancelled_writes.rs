//! Writes cancelled at any point (a client that disconnects, the request time limit) leave no
//! transaction open on the pooled connection (`src/postgres/begin.rs`): on a pool of one
//! connection, a tenant's creation is dropped after 0, 25, 50, … µs, and after each the next
//! statements on that connection must each run in a transaction of their own.

use canopy_contract::testing;
use canopy_domain::{
    Actor, AdminId, Attributes, Change, InstanceSlug, NodeId, NodeKind, NodeName, TenantId, Timestamp,
};
use canopy_storage::{Lifecycle, NewNode, NodeStore, ParentRef, PostgresStore};
use sqlx::postgres::PgPoolOptions;
use std::time::Duration;
use uuid::Uuid;

fn instance() -> InstanceSlug {
    InstanceSlug::parse("default").unwrap()
}

fn change() -> Change {
    Change {
        instance: instance(),
        actor: Actor { admin: AdminId(1), email: "tester@canopy.test".into() },
        at: Timestamp(1_800_000_000_000),
        request_id: "cancelled".into(),
        method: "POST".into(),
        path: "/".into(),
        action: "group.create".into(),
        node: None,
        body: None,
        expected: None,
        home: None,
    }
}

fn new_node(parent: Option<ParentRef>, name: &str, attributes: Attributes) -> NewNode {
    NewNode {
        id: NodeId(Uuid::new_v4()),
        instance: instance(),
        parent,
        name: NodeName::parse(name).unwrap(),
        attributes,
        admin: None,
        register_domain: false,
    }
}

fn tenant(group: NodeId, i: usize) -> NewNode {
    let tenant_id = TenantId::parse(&format!("t{i}")).unwrap();
    let parent = ParentRef { id: group, kind: NodeKind::Group };
    new_node(Some(parent), &format!("T{i}"), Attributes::Tenant { tenant_id })
}

#[tokio::test]
async fn a_write_cancelled_anywhere_leaves_no_transaction_open_on_its_connection() {
    let url = testing::fresh_database().await;
    let pool = PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let store = PostgresStore::from_pool(pool.clone());
    store.migrate().await.unwrap();
    store.ensure_instances(&[instance()]).await.unwrap();
    let group = new_node(None, "G", Attributes::blank(NodeKind::Group));
    let group = store.create_node(group, &change()).await.unwrap();
    let mut cancelled = 0;
    for (i, micros) in (0..2_000).step_by(25).enumerate() {
        let change = change();
        let creation = store.create_node(tenant(group.id, i), &change);
        if tokio::time::timeout(Duration::from_micros(micros), creation).await.is_err() {
            cancelled += 1;
        }
        // Two statements in a row get transaction ids of their own, unless a transaction left
        // open before them holds both.
        let xid = || sqlx::query_scalar::<_, i64>("SELECT txid_current()").fetch_one(&pool);
        let (first, second) = (xid().await.unwrap(), xid().await.unwrap());
        assert_ne!(
            first, second,
            "after a creation cancelled at {micros} µs, the connection was still inside a transaction"
        );
    }
    assert!(cancelled > 10, "the creations were cancelled at many points ({cancelled})");
}
