//! An app for tests of the layers above: the memory store, mail in an outbox, a clock that
//! moves when told, cheap password hashing, and a system administrator ready to log in.

use crate::mail::Outbox;
use crate::{App, AppConfig, AuthSettings, Bootstrap, HashCost, ManualClock};
use canopy_domain::{InstanceSlug, Timestamp};
use canopy_storage::MemoryStore;
use std::sync::Arc;

/// The first system administrator of every [`TestApp`].
pub const ROOT_EMAIL: &str = "root@canopy.test";
pub const ROOT_PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub app: App,
    pub outbox: Arc<Outbox>,
    pub clock: Arc<ManualClock>,
}

impl TestApp {
    /// Serves the instance `default` only.
    pub async fn start() -> Self {
        Self::with_instances(&["default"]).await
    }

    pub async fn with_instances(instances: &[&str]) -> Self {
        let instances: Vec<InstanceSlug> = instances.iter().map(|i| InstanceSlug::parse(i).unwrap()).collect();
        let outbox = Arc::new(Outbox::new());
        let clock = Arc::new(ManualClock::at(Timestamp(1_800_000_000_000)));
        let config = AppConfig {
            instances,
            auth: AuthSettings { hash_cost: HashCost::FAST, ..AuthSettings::default() },
            mailer: outbox.clone(),
            clock: clock.clone(),
        };
        let app = App::start(Arc::new(MemoryStore::new()), config).await.expect("the memory store starts");
        let first = Bootstrap { email: ROOT_EMAIL.to_owned(), password: Some(ROOT_PASSWORD.to_owned()) };
        app.bootstrap(&first).await.expect("the root administrator is created");
        Self { app, outbox, clock }
    }
}

/// Helpers of the services' unit tests (mocked stores).
#[cfg(test)]
pub(crate) mod unit {
    use canopy_domain::{AdminId, InstanceSlug, Lineage, Node, NodeId, NodeKind, NodeName, Principal, Profile};
    use canopy_storage::NodeView;
    use uuid::Uuid;

    /// `principal` asking for a change, in a request without a body or version precondition.
    pub(crate) fn acting(principal: &Principal) -> crate::Caller {
        crate::Caller {
            principal: principal.clone(),
            email: "caller@canopy.test".into(),
            request: crate::RequestMeta::default(),
            at: canopy_domain::Timestamp(1_800_000_000_000),
        }
    }

    pub(crate) fn caller(profile: Profile, home: Option<u128>) -> Principal {
        Principal {
            admin: AdminId(1),
            instance: InstanceSlug::parse("default").unwrap(),
            profile,
            home: home.map(|id| NodeId(Uuid::from_u128(id))),
            read_only: false,
        }
    }

    /// A node directly in group 1 (a group itself when `kind` is a group).
    pub(crate) fn node_view(kind: NodeKind, id: Uuid) -> NodeView {
        let group = (kind != NodeKind::Group).then_some(NodeId(Uuid::from_u128(1)));
        let node = Node {
            id: NodeId(id),
            serial: canopy_domain::Serial(1),
            instance: InstanceSlug::parse("default").unwrap(),
            kind,
            parent: group,
            lineage: Lineage { group, ..Default::default() },
            name: NodeName::parse("N").unwrap(),
            attributes: canopy_domain::Attributes::blank(kind),
            version: canopy_domain::Version::FIRST,
            enabled: true,
            lock: None,
        };
        NodeView { node, subtree: Default::default() }
    }

    /// A node store that finds every node it is asked for (directly in group 1): writes get past
    /// the node's read, and a mock store of the write then proves nothing more is called.
    pub(crate) fn finding_every_node() -> canopy_storage::MockNodeStore {
        let mut nodes = canopy_storage::MockNodeStore::new();
        nodes.expect_get_node().returning(|_, kind, id| Ok(Some(node_view(kind, id.0))));
        nodes
    }

    /// Tenant 9 of group 8: outside the subtree of group 1's administrators.
    pub(crate) fn tenant_outside() -> NodeView {
        let mut view = node_view(NodeKind::Tenant, Uuid::from_u128(9));
        view.node.lineage.group = Some(NodeId(Uuid::from_u128(8)));
        view.node.parent = view.node.lineage.group;
        view
    }
}
