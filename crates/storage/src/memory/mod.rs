//! The in-memory adapter: zero-setup runs and fast tests. One lock makes each method atomic.

use crate::error::{CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError};
use crate::lifecycle::{Lifecycle, PoolStats};
use crate::nodes::{Deleted, NewNode, NodeChanges, NodeStore, NodeView};
use async_trait::async_trait;
use canopy_domain::{Change, Version, check_version};
use canopy_domain::{
    ChildCounts, Direction, InstanceSlug, Lineage, Node, NodeId, NodeKind, NodeScope, NodeSort, Page, PageRequest,
    Position, SubtreeCounts, ensure_deletable,
};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Bound;
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

mod accounts;
mod admins;
mod audit;
mod configurations;
mod owned;
mod owned_versions;
mod pager;
mod user_groups;
mod voice_routing;

type ScopeKey = (InstanceSlug, Option<NodeId>, NodeKind);
/// (sort key, id): the order of every list, ties broken by id.
type SortKey = (String, NodeId);

#[derive(Default)]
pub struct MemoryStore {
    state: RwLock<State>,
}

#[derive(Default)]
struct State {
    instances: BTreeSet<InstanceSlug>,
    secret: Option<Vec<u8>>,
    nodes: HashMap<NodeId, Entry>,
    /// (instance, parent, name key) of every node: sibling names are unique.
    sibling_names: HashSet<(InstanceSlug, Option<NodeId>, String)>,
    /// (instance, `Attributes::unique_key`): tenant ids are unique per instance.
    unique_keys: HashSet<(InstanceSlug, String)>,
    /// Each list's nodes in name order, so the default listing is a range scan.
    by_name: HashMap<ScopeKey, BTreeSet<SortKey>>,
    accounts: accounts::Accounts,
    owned: owned::OwnedData,
    /// Each node's general configuration; removed with the node.
    configurations: HashMap<NodeId, canopy_domain::Properties>,
    /// The versions of what each node owns; removed with the node.
    owned_versions: owned_versions::OwnedVersions,
    voice: voice_routing::Voice,
    /// Each tenant's user groups and custom permissions; removed with the tenant.
    user_groups: user_groups::UserGroups,
    audit: audit::Audit,
}

struct Entry {
    node: Node,
    subtree: SubtreeCounts,
    children: ChildCounts,
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

/// The key a node's attributes make unique in its instance.
fn unique_key(node: &Node) -> Option<(InstanceSlug, String)> {
    node.attributes.unique_key().map(|key| (node.instance.clone(), key.to_owned()))
}

fn scope_of(node: &Node) -> ScopeKey {
    (node.instance.clone(), node.parent, node.kind)
}

impl State {
    fn node(&self, instance: &InstanceSlug, kind: NodeKind, id: NodeId) -> Option<&Entry> {
        self.nodes.get(&id).filter(|e| e.node.kind == kind && &e.node.instance == instance)
    }

    /// Counts `node` in (or out of) its ancestors' subtree counters and its parent's children.
    fn adjust_ancestors(&mut self, node: &Node, grow: bool) {
        let step = |count: &mut u64| *count = if grow { *count + 1 } else { *count - 1 };
        for ancestor in node.lineage.root_first() {
            let entry = self.nodes.get_mut(&ancestor).expect("ancestors outlive their descendants");
            if let Some(count) = entry.subtree.count_mut(node.kind) {
                step(count);
            }
        }
        if let Some(count) =
            node.parent.and_then(|p| self.nodes.get_mut(&p)).and_then(|p| p.children.count_mut(node.kind))
        {
            step(count);
        }
    }
}

#[async_trait]
impl Lifecycle for MemoryStore {
    async fn ensure_instances(&self, instances: &[InstanceSlug]) -> Result<(), StoreError> {
        self.write().instances.extend(instances.iter().cloned());
        Ok(())
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

#[async_trait]
impl NodeStore for MemoryStore {
    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError> {
        let mut state = self.write();
        // Same answers as the Postgres adapter's foreign and primary keys.
        if !state.instances.contains(&new.instance) {
            return Err(CreateNodeError::ParentNotFound);
        }
        if state.nodes.contains_key(&new.id) {
            return Err(StoreError::Backend(format!("node {} already exists", new.id).into()).into());
        }
        let lineage = match new.parent {
            None => Lineage::default(),
            Some(parent) => {
                let entry = state.node(&new.instance, parent.kind, parent.id).ok_or(CreateNodeError::ParentNotFound)?;
                Lineage::of_child_of(&entry.node)
            }
        };
        let node = Node {
            id: new.id,
            instance: new.instance,
            kind: new.attributes.kind(),
            parent: new.parent.map(|p| p.id),
            lineage,
            name: new.name,
            attributes: new.attributes,
            version: Version::FIRST,
        };
        let name_key = (node.instance.clone(), node.parent, node.name.key().to_owned());
        if state.sibling_names.contains(&name_key) {
            return Err(CreateNodeError::DuplicateName);
        }
        let unique_key = unique_key(&node);
        if unique_key.as_ref().is_some_and(|key| state.unique_keys.contains(key)) {
            return Err(CreateNodeError::DuplicateTenantId);
        }
        // The node's first administrator, checked before anything changes.
        if let Some(admin) = new.admin {
            let admin = crate::admins::NewAdmin { home: Some(node.id), ..admin };
            state.accounts.insert(admin).map_err(|_| CreateNodeError::DuplicateEmail)?;
        }
        state.sibling_names.insert(name_key);
        state.unique_keys.extend(unique_key);
        state.by_name.entry(scope_of(&node)).or_default().insert((node.name.key().to_owned(), node.id));
        state.adjust_ancestors(&node, true);
        let entry = Entry { node: node.clone(), subtree: SubtreeCounts::default(), children: ChildCounts::default() };
        state.nodes.insert(node.id, entry);
        state.record(change);
        Ok(node)
    }

    async fn get_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
    ) -> Result<Option<NodeView>, StoreError> {
        let state = self.read();
        Ok(state.node(instance, kind, id).map(|e| NodeView { node: e.node.clone(), subtree: e.subtree }))
    }

    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Node, UpdateNodeError> {
        let mut state = self.write();
        let old = state.node(instance, kind, id).ok_or(UpdateNodeError::NotFound)?.node.clone();
        check_version(change.expected, old.version)?;
        let mut new = old.clone();
        new.version = old.version.next();
        if let Some(name) = changes.name {
            new.name = name;
        }
        if let Some(changes) = &changes.attributes {
            new.attributes = old.attributes.changed(changes);
        }
        let name_key = |n: &Node| (n.instance.clone(), n.parent, n.name.key().to_owned());
        if name_key(&new) != name_key(&old) && state.sibling_names.contains(&name_key(&new)) {
            return Err(UpdateNodeError::DuplicateName);
        }
        let unique = unique_key(&new);
        if unique != unique_key(&old) && unique.as_ref().is_some_and(|k| state.unique_keys.contains(k)) {
            return Err(UpdateNodeError::DuplicateTenantId);
        }
        state.sibling_names.remove(&name_key(&old));
        state.sibling_names.insert(name_key(&new));
        if let Some(key) = unique_key(&old) {
            state.unique_keys.remove(&key);
        }
        state.unique_keys.extend(unique);
        let list = state.by_name.entry(scope_of(&old)).or_default();
        list.remove(&(old.name.key().to_owned(), id));
        list.insert((new.name.key().to_owned(), id));
        state.nodes.get_mut(&id).expect("found above").node = new.clone();
        state.record(change);
        Ok(new)
    }

    async fn delete_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, DeleteNodeError> {
        let mut state = self.write();
        let Some(entry) = state.node(instance, kind, id) else { return Ok(Deleted::Absent) };
        check_version(change.expected, entry.node.version)?;
        ensure_deletable(&entry.node, &entry.children).map_err(|_| DeleteNodeError::NotEmpty(entry.children))?;
        let node = entry.node.clone();
        // Recorded while the node is there to give its lineage; nothing below can fail.
        state.record(change);
        state.adjust_ancestors(&node, false);
        state.sibling_names.remove(&(node.instance.clone(), node.parent, node.name.key().to_owned()));
        if let Some(key) = unique_key(&node) {
            state.unique_keys.remove(&key);
        }
        if let Some(list) = state.by_name.get_mut(&scope_of(&node)) {
            list.remove(&(node.name.key().to_owned(), id));
        }
        state.nodes.remove(&id);
        state.accounts.remove_home(id);
        state.owned.remove_node(id);
        state.configurations.remove(&id);
        state.owned_versions.remove_node(id);
        // A group's voice routing goes with it (it never blocks the deletion).
        state.voice.remove_group(id);
        state.user_groups.remove_tenant(id);
        Ok(Deleted::Removed)
    }

    async fn list_nodes(&self, request: &PageRequest<NodeScope>) -> Result<Page<Node>, StoreError> {
        let state = self.read();
        let scope = (request.scope.instance.clone(), request.scope.parent, request.scope.kind);
        let Some(by_name) = state.by_name.get(&scope) else { return Ok(Page::empty(request.known_total)) };
        let query = &request.query;
        let node = |id: &NodeId| &state.nodes[id].node;
        // Cut to the caller's subtree before paging and counting: no short pages.
        let admitted = |n: &Node| request.scope.admits(n) && query.matches(n);
        let cursor = match &request.position {
            Position::After(c) => Some((c.key.clone(), NodeId(c.id))),
            _ => None,
        };
        // The scope's nodes in list order, starting after the cursor. Name order is kept ready
        // in a B-tree (a range seek, no copies); other orders are sorted here.
        let ordered: Box<dyn Iterator<Item = NodeId> + '_> = match (query.sort, query.dir, &cursor) {
            (NodeSort::Name, Direction::Asc, None) => Box::new(by_name.iter().map(|(_, id)| *id)),
            (NodeSort::Name, Direction::Desc, None) => Box::new(by_name.iter().rev().map(|(_, id)| *id)),
            (NodeSort::Name, Direction::Asc, Some(c)) => {
                Box::new(by_name.range((Bound::Excluded(c.clone()), Bound::Unbounded)).map(|(_, id)| *id))
            }
            (NodeSort::Name, Direction::Desc, Some(c)) => Box::new(by_name.range(..c.clone()).rev().map(|(_, id)| *id)),
            (field, dir, _) => {
                let mut keys: Vec<(&str, NodeId)> =
                    by_name.iter().map(|(_, id)| (field.key_str(node(id)), *id)).collect();
                keys.sort_unstable();
                if dir == Direction::Desc {
                    keys.reverse();
                }
                let after = |(key, id): &(&str, NodeId)| request.is_after(key, &id.0);
                Box::new(keys.into_iter().filter(after).map(|(_, id)| id).collect::<Vec<_>>().into_iter())
            }
        };
        let count = || match &query.search {
            None if request.scope.within.is_none() => by_name.len() as u64,
            _ => by_name.iter().filter(|(_, id)| admitted(node(id))).count() as u64,
        };
        Ok(pager::take(request, ordered.map(|id| node(&id)).filter(|n| admitted(n)).cloned(), count))
    }
}
