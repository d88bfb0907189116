//! The memory adapter's nodes: the node port, and the indexes every write keeps true under the
//! one lock (list order and sibling names, unique keys, integer ids, counters).

use super::{Entry, MemoryStore, Space, State, Tally, pager};
use crate::admins::NewAdmin;
use crate::error::{CreateNodeError, DeleteNodeError, StoreError, TreeLockError, UpdateNodeError};
use crate::nodes::{Deleted, Located, NewNode, NodeChanges, NodeStore, NodeView, Updated, account_created};
use async_trait::async_trait;
use canopy_domain::{Change, Level, LockRequest, Version, check_version, ensure_holds_users, ensure_room};
use canopy_domain::{
    Direction, Found, GroupSearch, InstanceSlug, Lineage, Node, NodeId, NodeKey, NodeKind, NodeRef, NodeScope,
    NodeSearch, NodeSort, Page, PageRequest, Position, Serial, UniqueKey, ensure_deletable,
};
use std::ops::Bound;
use uuid::Uuid;

/// The entry of the unique-key set a node holds, if its kind has one.
fn unique_entry(node: &Node) -> Option<(InstanceSlug, Space, Box<str>)> {
    let (space, key) = match node.unique_key()? {
        UniqueKey::TenantId(key) => (Space::TenantId, key),
        UniqueKey::UserId(key) => (Space::UserId, key),
    };
    Some((node.instance.clone(), space, key.into()))
}

fn scope_of(node: &Node) -> super::ScopeKey {
    (node.instance.clone(), node.parent, node.kind)
}

impl State {
    /// Whether a node of a kind with sibling names, other than `except`, has `key` as its name
    /// key under `parent` (in the instance, for groups). Looked up in the lists' name order.
    fn sibling_named(&self, instance: &InstanceSlug, parent: Option<NodeId>, key: &str, except: NodeId) -> bool {
        let from = (key.to_owned(), NodeId(Uuid::nil()));
        NodeKind::ALL.into_iter().filter(|kind| kind.has_sibling_name()).any(|kind| {
            self.by_name.get(&(instance.clone(), parent, kind)).is_some_and(|list| {
                let mut named = list.range((Bound::Included(&from), Bound::Unbounded)).take_while(|(k, _)| k == key);
                named.any(|(_, id)| *id != except)
            })
        })
    }

    /// Refuses `node` (new, or as changed) when its name or unique key is another node's.
    fn ensure_unique(&self, node: &Node, old: Option<&Node>) -> Result<(), UniqueTaken> {
        let renamed = old.is_none_or(|old| old.name.key() != node.name.key());
        if renamed
            && node.kind.has_sibling_name()
            && self.sibling_named(&node.instance, node.parent, node.name.key(), node.id)
        {
            return Err(UniqueTaken::Name);
        }
        let entry = unique_entry(node);
        if entry != old.and_then(unique_entry) && entry.as_ref().is_some_and(|e| self.unique_keys.contains_key(e)) {
            return Err(match entry.map(|(_, space, _)| space) {
                Some(Space::UserId) => UniqueTaken::UserId,
                _ => UniqueTaken::TenantId,
            });
        }
        Ok(())
    }

    /// Enters `node` in the list and unique-key indexes (`index`), or takes it out.
    fn index(&mut self, node: &Node, index: bool) {
        let list = self.by_name.entry(scope_of(node)).or_default();
        let sort = (node.name.key().to_owned(), node.id);
        if index {
            list.insert(sort);
            self.unique_keys.extend(unique_entry(node).map(|entry| (entry, node.id)));
        } else {
            list.remove(&sort);
            if let Some(entry) = unique_entry(node) {
                self.unique_keys.remove(&entry);
            }
        }
    }

    /// Whether every counter `node` would grow has room (checked before anything changes).
    fn counters_have_room(&self, node: &Node) -> bool {
        let Some(i) = Tally::index(node.kind) else { return true };
        let ancestors = node.lineage.root_first();
        ancestors.iter().all(|id| self.nodes.get(id).is_some_and(|e| e.tally.subtree[i] < u32::MAX))
    }

    /// Counts `node` in (or out of) its ancestors' subtree counters and its parent's children.
    fn adjust_ancestors(&mut self, node: &Node, grow: bool) {
        let Some(i) = Tally::index(node.kind) else { return };
        let step = |count: &mut u32| *count = if grow { *count + 1 } else { *count - 1 };
        for ancestor in node.lineage.root_first() {
            let entry = self.nodes.get_mut(&ancestor).expect("ancestors outlive their descendants");
            step(&mut entry.tally.subtree[i]);
            if Some(ancestor) == node.parent {
                step(&mut entry.tally.children[i]);
            }
        }
    }
}

/// Which unique value a node would share with another.
enum UniqueTaken {
    Name,
    TenantId,
    UserId,
}

impl From<UniqueTaken> for CreateNodeError {
    fn from(taken: UniqueTaken) -> Self {
        match taken {
            UniqueTaken::Name => Self::DuplicateName,
            UniqueTaken::TenantId => Self::DuplicateTenantId,
            UniqueTaken::UserId => Self::DuplicateUserId,
        }
    }
}

impl From<UniqueTaken> for UpdateNodeError {
    fn from(taken: UniqueTaken) -> Self {
        match taken {
            UniqueTaken::Name => Self::DuplicateName,
            UniqueTaken::TenantId => Self::DuplicateTenantId,
            UniqueTaken::UserId => Self::DuplicateUserId,
        }
    }
}

#[async_trait]
impl NodeStore for MemoryStore {
    async fn create_node(&self, new: NewNode, change: &Change) -> Result<Node, CreateNodeError> {
        let mut state = self.write_as(change)?;
        // Same answers as the Postgres adapter's foreign and primary keys.
        if !state.instances.contains_key(&new.instance) {
            return Err(CreateNodeError::ParentNotFound);
        }
        if state.nodes.contains_key(&new.id) {
            return Err(StoreError::Backend(format!("node {} already exists", new.id).into()).into());
        }
        let lineage = match new.parent {
            None => Lineage::default(),
            Some(parent) => {
                let entry = state.node(&new.instance, parent.kind, parent.id).ok_or(CreateNodeError::ParentNotFound)?;
                let users = entry.tally.children().users;
                ensure_room(&entry.node, new.kind(), users).map_err(CreateNodeError::Invalid)?;
                Lineage::of_child_of(&entry.node)
            }
        };
        let mut node = Node {
            id: new.id,
            serial: Serial(0),
            instance: new.instance,
            kind: new.attributes.kind(),
            parent: new.parent.map(|p| p.id),
            lineage,
            name: new.name,
            attributes: new.attributes,
            version: Version::FIRST,
            enabled: true,
            lock: None,
        };
        state.ensure_unique(&node, None)?;
        if !state.counters_have_room(&node) {
            return Err(StoreError::Backend("a subtree counter is full".into()).into());
        }
        let domain = state.check_domain(&node, None, new.register_domain).map_err(CreateNodeError::Invalid)?;
        // The node's account (a group's first administrator, a user's own), checked before
        // anything changes.
        if let Some(admin) = new.admin {
            let admin = NewAdmin { home: Some(node.id), ..admin };
            state.accounts.insert(admin).map_err(|_| CreateNodeError::DuplicateEmail)?;
        }
        node.serial = state.draw_serial(Some(node.id));
        state.use_domain(&node, domain);
        state.index(&node, true);
        state.adjust_ancestors(&node, true);
        state.nodes.insert(node.id, Box::new(Entry { node: node.clone(), tally: Tally::default() }));
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
        Ok(state.node(instance, kind, id).map(|e| NodeView { node: e.node.clone(), subtree: e.tally.subtree() }))
    }

    async fn find_node(&self, instance: &InstanceSlug, key: &NodeKey) -> Result<Option<NodeView>, StoreError> {
        Ok(self.read().find(instance, key))
    }

    async fn search_site_groups(
        &self,
        instance: &InstanceSlug,
        tenant: NodeId,
        search: &GroupSearch,
    ) -> Result<Found, StoreError> {
        Ok(self.read().search_site_groups(instance, tenant, search))
    }

    async fn get_node_by_serial(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        serial: Serial,
    ) -> Result<Option<NodeView>, StoreError> {
        let id = {
            let state = self.read();
            let position = usize::try_from(serial.0 - 1).ok();
            position.and_then(|at| state.by_serial.get(at).copied().flatten())
        };
        match id {
            Some(id) => self.get_node(instance, kind, id).await,
            None => Ok(None),
        }
    }

    async fn locate(&self, instance: &InstanceSlug, node: NodeRef) -> Result<Option<Located>, StoreError> {
        let state = self.read();
        let id = match node {
            NodeRef::Serial(serial) if state.instances.get(instance) == Some(&serial) => {
                return Ok(Some(Located::Instance));
            }
            NodeRef::Serial(serial) => {
                let position = usize::try_from(serial.0 - 1).ok();
                position.and_then(|at| state.by_serial.get(at).copied().flatten())
            }
            NodeRef::Uuid(id) => Some(id),
        };
        let Some(entry) = id.and_then(|id| state.nodes.get(&id)).filter(|e| &e.node.instance == instance) else {
            return Ok(None);
        };
        let parent = match entry.node.parent {
            Some(parent) => state.nodes.get(&parent).map(|p| p.node.serial),
            None => state.instances.get(instance).copied(),
        };
        let parent = parent.ok_or_else(|| StoreError::Backend("a node without its parent".into()))?;
        let view = Box::new(NodeView { node: entry.node.clone(), subtree: entry.tally.subtree() });
        Ok(Some(Located::Node { view, parent }))
    }

    async fn lineage_enabled(&self, node: NodeId) -> Result<bool, StoreError> {
        Ok(self.read().lineage_enabled(node))
    }

    async fn search_nodes(&self, search: &NodeSearch) -> Result<Vec<Node>, StoreError> {
        let state = self.read();
        let mut found: Vec<&Node> = state.nodes.values().map(|e| &e.node).filter(|n| search.admits(n)).collect();
        found.sort_unstable_by(|a, b| (a.name.key(), a.id).cmp(&(b.name.key(), b.id)));
        Ok(found.into_iter().take(search.limit as usize).cloned().collect())
    }

    async fn update_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        changes: NodeChanges,
        change: &Change,
    ) -> Result<Updated, UpdateNodeError> {
        let mut state = self.write_as(change)?;
        let entry = state.node(instance, kind, id).ok_or(UpdateNodeError::NotFound)?;
        let (old, users) = (entry.node.clone(), entry.tally.children().users);
        check_version(change.expected, old.version)?;
        let mut new = old.clone();
        new.version = old.version.next();
        if let Some(name) = changes.name {
            new.name = name;
        }
        if let Some(attributes) = &changes.attributes {
            new.attributes = old.attributes.changed(attributes).map_err(UpdateNodeError::Invalid)?;
        }
        new.enabled = changes.enabled.unwrap_or(old.enabled);
        ensure_holds_users(&new, users).map_err(UpdateNodeError::Invalid)?;
        state.ensure_unique(&new, Some(&old))?;
        // A changed `defaultDomain` must be the tenant's already: changes register nothing.
        state.check_domain(&new, Some(&old), false).map_err(UpdateNodeError::Invalid)?;
        let account = account_created(&old, &new, changes.account)?;
        let account =
            account.map(|a| state.accounts.insert(a)).transpose().map_err(|_| UpdateNodeError::DuplicateEmail)?;
        if old.enabled && !new.enabled {
            state.close_sessions_below(id);
        }
        state.index(&old, false);
        state.index(&new, true);
        state.nodes.get_mut(&id).expect("found above").node = new.clone();
        state.record(change);
        Ok(Updated { node: new, account })
    }

    async fn delete_node(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        change: &Change,
    ) -> Result<Deleted, DeleteNodeError> {
        let mut state = self.write_as(change)?;
        let Some(entry) = state.node(instance, kind, id) else { return Ok(Deleted::Absent) };
        check_version(change.expected, entry.node.version)?;
        let children = entry.tally.children();
        ensure_deletable(&entry.node, &children).map_err(|_| DeleteNodeError::NotEmpty(children))?;
        let node = entry.node.clone();
        // Recorded while the node is there to give its lineage; nothing below can fail.
        state.record(change);
        state.adjust_ancestors(&node, false);
        state.index(&node, false);
        if let Some(slot) = usize::try_from(node.serial.0 - 1).ok().and_then(|at| state.by_serial.get_mut(at)) {
            *slot = None;
        }
        state.nodes.remove(&id);
        state.accounts.remove_home(id);
        state.owned.remove_node(id);
        state.configurations.remove(&id);
        state.owned_versions.remove_node(id);
        // A group's voice routing goes with it (it never blocks the deletion).
        state.voice.remove_group(id);
        state.auth_codes.remove_user(id);
        state.domains.remove_tenant(id);
        state.user_groups.remove_tenant(id);
        Ok(Deleted::Removed)
    }

    async fn set_tree_lock(
        &self,
        instance: &InstanceSlug,
        kind: NodeKind,
        id: NodeId,
        request: LockRequest,
        by: Level,
        change: &Change,
    ) -> Result<bool, TreeLockError> {
        self.set_lock((instance, kind, id), request, by, change)
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
        let count = || match (&query.search, request.counts_up_to()) {
            (None, _) if request.scope.within.is_none() => by_name.len() as u64,
            // A searched list counts one past the bound at most (`PageRequest::counts_up_to`).
            (_, Some(limit)) => {
                let matches = by_name.iter().filter(|(_, id)| admitted(node(id)));
                matches.take(usize::try_from(limit).unwrap_or(usize::MAX)).count() as u64
            }
            (_, None) => by_name.iter().filter(|(_, id)| admitted(node(id))).count() as u64,
        };
        Ok(pager::take(request, ordered.map(|id| node(&id)).filter(|n| admitted(n)).cloned(), count))
    }
}
