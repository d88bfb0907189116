//! The storage contract: the behaviours every adapter of the storage ports shows, one case per
//! behaviour, run against every adapter by `crates/storage/tests/contract.rs`; and the fixtures
//! of tests that need a real PostgreSQL ([`testing`]).
//!
//! A dev-only crate: no production crate depends on it. Each case is a private `async fn` of a
//! module, registered once in that module's `CASES` list with `case!(name)`. A case written but
//! not registered is dead code, which `-D warnings` refuses: no case can be forgotten.

use canopy_domain::{
    Attributes, InstanceSlug, ListItem, ListParams, Node, NodeId, NodeKind, NodeName, NodeScope, PageRequest, TenantId,
    TokenKey,
};
use canopy_storage::{NewNode, ParentRef, Store};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;

mod accounts;
mod apio;
mod audit;
mod configurations;
mod enabled;
mod end_users;
mod levels;
mod lists;
pub mod mail;
mod nodes;
mod owned;
mod owned_deletions;
mod owned_versions;
mod passwords;
mod portal;
mod races;
pub mod testing;
mod throttle;
mod tree_locks;
mod user_groups;
mod versions;
mod voice_routing;

/// A case's run: the store under test, and how many rounds its races run.
pub type Run = fn(Arc<dyn Store>, usize) -> Pin<Box<dyn Future<Output = ()> + Send>>;

/// One behaviour of the contract.
#[derive(Clone, Copy)]
pub struct Case {
    /// The case function's name: a sentence saying what holds.
    pub name: &'static str,
    pub run: Run,
}

/// Registers a case function of the module under its own name.
macro_rules! case {
    ($name:ident) => {
        $crate::Case { name: stringify!($name), run: |store, rounds| Box::pin($name(store, rounds)) }
    };
}
pub(crate) use case;

/// Every case of the contract, module by module.
pub fn cases() -> impl Iterator<Item = &'static Case> {
    [
        nodes::CASES,
        lists::CASES,
        races::CASES,
        levels::CASES,
        end_users::CASES,
        accounts::CASES,
        enabled::CASES,
        throttle::CASES,
        passwords::CASES,
        owned::CASES,
        owned_deletions::CASES,
        configurations::CASES,
        owned_versions::CASES,
        voice_routing::CASES,
        user_groups::CASES,
        audit::CASES,
        versions::CASES,
        apio::CASES,
        portal::CASES,
        tree_locks::CASES,
    ]
    .into_iter()
    .flatten()
}

pub(crate) fn instance() -> InstanceSlug {
    InstanceSlug::parse("default").unwrap()
}

/// A change asked for by a client of the default instance, with no version precondition.
pub(crate) fn change() -> canopy_domain::Change {
    canopy_domain::Change {
        instance: instance(),
        actor: canopy_domain::Actor { admin: canopy_domain::AdminId(1), email: "tester@canopy.test".into() },
        at: canopy_domain::Timestamp(1_800_000_000_000),
        request_id: "contract".into(),
        method: "PUT".into(),
        path: "/contract".into(),
        action: "contract.change".into(),
        node: None,
        body: None,
        expected: None,
        home: None,
    }
}

pub(crate) fn other_instance() -> InstanceSlug {
    InstanceSlug::parse("other").unwrap()
}

pub(crate) async fn prepared(store: &dyn Store) {
    store.ensure_instances(&[instance(), other_instance()]).await.unwrap();
}

pub(crate) fn new_node(kind: NodeKind, parent: Option<&Node>, name: &str) -> NewNode {
    NewNode {
        id: NodeId(Uuid::new_v4()),
        instance: parent.map(|p| p.instance.clone()).unwrap_or_else(instance),
        parent: parent.map(|p| ParentRef { id: p.id, kind: p.kind }),
        name: NodeName::parse_as(kind.name_rule(), name).unwrap(),
        attributes: match kind {
            NodeKind::Tenant => {
                Attributes::Tenant { tenant_id: TenantId::parse(&format!("t-{}", Uuid::new_v4())).unwrap() }
            }
            other => Attributes::blank(other),
        },
        admin: None,
        register_domain: false,
    }
}

pub(crate) async fn create(store: &dyn Store, kind: NodeKind, parent: Option<&Node>, name: &str) -> Node {
    store.create_node(new_node(kind, parent, name), &change()).await.unwrap()
}

pub(crate) fn key() -> TokenKey {
    TokenKey::new(vec![1; 32])
}

pub(crate) fn request(parent: Option<&Node>, kind: NodeKind, params: ListParams) -> PageRequest<NodeScope> {
    let scope = NodeScope { instance: instance(), parent: parent.map(|p| p.id), kind, within: None };
    PageRequest::resolve(scope, params, &key()).unwrap()
}

/// Every node of a list, following `next` tokens, and the totals each page reported.
pub(crate) async fn walk(
    store: &dyn Store,
    parent: Option<&Node>,
    kind: NodeKind,
    params: ListParams,
) -> (Vec<Node>, u64) {
    let mut req = request(parent, kind, params);
    let mut all = Vec::new();
    let first_total = loop {
        let page = store.list_nodes(&req).await.unwrap();
        assert!(page.items.len() <= req.query.page_size.get() as usize);
        all.extend(page.items.iter().cloned());
        let last = page.items.last().map(|node| node.cursor(req.query.sort));
        let next = req.next_token(page.total, last, page.more, &key());
        match next {
            Some(token) => req = request(parent, kind, ListParams { next: Some(token), ..Default::default() }),
            None => break page.total,
        }
    };
    (all, first_total)
}

pub(crate) fn names(nodes: &[Node]) -> Vec<String> {
    nodes.iter().map(|n| n.name.as_str().to_owned()).collect()
}
