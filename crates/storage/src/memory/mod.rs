//! The in-memory adapter: zero-setup runs and fast tests. One lock makes each method atomic.
//!
//! Memory per node matters (a million nodes fit in one process): the instance is shared (an
//! `Arc<str>`), a node's name and key are one allocation, counters are `u32`, the big levels'
//! attributes are boxed, and no index copies a key that another index can answer (sibling names
//! are checked in the list index, integer ids are positions in a vector).

use crate::error::StoreError;
use crate::lifecycle::{Lifecycle, PoolStats};
use async_trait::async_trait;
use canopy_domain::{ChildCounts, InstanceSlug, KindCounts, Node, NodeId, NodeKind, Serial, SubtreeCounts};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

mod accounts;
mod admins;
mod audit;
mod auth_codes;
mod chunked;
mod configurations;
mod domains;
mod group_search;
mod nodes;
mod owned;
mod owned_versions;
mod pager;
mod tree_locks;
mod user_groups;
mod voice_routing;

type ScopeKey = (InstanceSlug, Option<NodeId>, NodeKind);
/// (sort key, id): the order of every list, ties broken by id.
type SortKey = (String, NodeId);

/// The namespace of a key unique in an instance ([`canopy_domain::UniqueKey`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Space {
    TenantId,
    UserId,
}

#[derive(Default)]
pub struct MemoryStore {
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    /// Each instance with its integer id.
    instances: BTreeMap<InstanceSlug, Serial>,
    secret: Option<Vec<u8>>,
    /// Boxed: the map keeps half its slots empty after it grows (at 1,000,000 nodes, 2,097,152
    /// slots), so an entry inline (256 bytes) cost each node about 570 bytes of map, and every
    /// growth moved them all under the write lock; a box costs 8 bytes a slot.
    nodes: HashMap<NodeId, Box<Entry>>,
    /// The node of each integer id, at the id's position (`serial - 1`); `None` for an instance's
    /// id or a deleted node's. Ids are never reused.
    by_serial: chunked::Chunked<Option<NodeId>>,
    /// (instance, namespace, key) of every `Node::unique_key` (tenant ids and user ids are unique
    /// per instance), and the node holding it (the APIO face names nodes by these keys).
    unique_keys: HashMap<(InstanceSlug, Space, Box<str>), NodeId>,
    /// Each list's nodes in name order, so the default listing is a range scan; also where sibling
    /// names are looked up.
    by_name: HashMap<ScopeKey, BTreeSet<SortKey>>,
    accounts: accounts::Accounts,
    owned: owned::OwnedData,
    /// Each node's general configuration; removed with the node.
    configurations: HashMap<NodeId, canopy_domain::Properties>,
    /// The versions of what each node owns; removed with the node.
    owned_versions: owned_versions::OwnedVersions,
    voice: voice_routing::Voice,
    /// Each user's authorization codes; removed with the user.
    auth_codes: auth_codes::AuthCodes,
    /// The instances' domains and the tenants' (the latter removed with their tenant).
    domains: domains::Domains,
    /// Each tenant's user groups and custom permissions; removed with the tenant.
    user_groups: user_groups::UserGroups,
    audit: audit::Audit,
}

struct Entry {
    node: Node,
    tally: Tally,
}

/// A node's counters, in the order of [`KindCounts::COUNTED`]: the nodes of each kind anywhere
/// below it, and its direct children. `u32`: no process holds four billion nodes, and the
/// counters are checked before they grow.
#[derive(Debug, Default, Clone, Copy)]
struct Tally {
    subtree: [u32; 5],
    children: [u32; 5],
}

impl Tally {
    fn index(kind: NodeKind) -> Option<usize> {
        KindCounts::COUNTED.iter().position(|counted| *counted == kind)
    }

    fn counts(counters: &[u32; 5]) -> KindCounts {
        let mut counts = KindCounts::default();
        for (kind, count) in KindCounts::COUNTED.into_iter().zip(counters) {
            counts.add(kind, u64::from(*count));
        }
        counts
    }

    fn subtree(&self) -> SubtreeCounts {
        Self::counts(&self.subtree)
    }

    fn children(&self) -> ChildCounts {
        Self::counts(&self.children)
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> RwLockReadGuard<'_, State> {
        // A panic while holding the lock leaves no half-applied change (every write validates
        // before mutating), so a poisoned lock is safe to keep using.
        self.state.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, State> {
        self.state.write().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl State {
    fn node(&self, instance: &InstanceSlug, kind: NodeKind, id: NodeId) -> Option<&Entry> {
        self.nodes.get(&id).map(Box::as_ref).filter(|e| e.node.kind == kind && &e.node.instance == instance)
    }

    /// Whether `id` and every node above it are enabled (`NodeStore::lineage_enabled`); a node
    /// that is gone holds nobody back.
    pub(super) fn lineage_enabled(&self, id: NodeId) -> bool {
        let mut next = Some(id);
        while let Some(entry) = next.and_then(|id| self.nodes.get(&id)) {
            if !entry.node.enabled {
                return false;
            }
            next = entry.node.parent;
        }
        true
    }

    /// Closes the sessions of every account homed at `id` or below it (it was just disabled).
    pub(super) fn close_sessions_below(&mut self, id: NodeId) {
        let nodes = &self.nodes;
        let below = |home: Option<NodeId>| {
            home.and_then(|home| nodes.get(&home)).is_some_and(|e| e.node.id == id || e.node.lineage.contains(id))
        };
        let accounts = &mut self.accounts;
        let admins = &accounts.admins;
        accounts.sessions.retain(|_, (owner, _)| !admins.get(owner).is_some_and(|a| below(a.admin.home)));
    }

    /// The next integer id of the one sequence, given to `node` (`None`: an instance).
    fn draw_serial(&mut self, node: Option<NodeId>) -> Serial {
        self.by_serial.push(node);
        Serial(self.by_serial.len() as i64)
    }
}

#[async_trait]
impl Lifecycle for MemoryStore {
    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError> {
        let mut state = self.write();
        for instance in instances {
            if !state.instances.contains_key(instance) {
                let serial = state.draw_serial(None);
                state.instances.insert(instance.clone(), serial);
            }
        }
        Ok(())
    }

    async fn instance_serial(&self, instance: &InstanceSlug) -> Result<Option<Serial>, StoreError> {
        Ok(self.read().instances.get(instance).copied())
    }

    async fn shared_secret(&self, candidate: Vec<u8>) -> Result<Vec<u8>, StoreError> {
        Ok(self.write().secret.get_or_insert(candidate).clone())
    }

    async fn ready(&self) -> Result<(), StoreError> {
        Ok(())
    }

    fn pool_stats(&self) -> Option<PoolStats> {
        None
    }
}
