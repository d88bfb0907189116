//! The memory adapter's voice routing, kept in the same `State` (so under the same lock) as the
//! groups it belongs to: every method validates, then applies, under one write lock.

use super::{MemoryStore, State, pager};
use crate::error::{StoreError, VersionedWriteError};
use crate::nodes::Deleted;
use crate::voice_routing::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoiceRoutingStore, VoiceWriteError,
};
use async_trait::async_trait;
use canopy_domain::{Change, Version, check_version};
use canopy_domain::{
    NodeId, NodeKind, NodeName, Page, PageRequest, Priority, PstnUsage, Referrer, RoutePattern, UsageLinks, UsageRef,
    VoiceId, VoiceKind, VoiceRoute, VoiceRoutingPolicy, VoiceScope, ensure_unreferenced, missing_usages,
};
use std::collections::BTreeMap;

#[derive(Default)]
pub(super) struct Voice {
    /// The last id given per kind: ids are never reused, as with a PostgreSQL identity.
    last: BTreeMap<VoiceKind, i64>,
    usages: BTreeMap<VoiceId, PstnUsage>,
    /// A route or policy: `pattern` and `priority` only for routes.
    linkers: BTreeMap<(VoiceKind, VoiceId), Linker>,
}

#[derive(Clone)]
struct Linker {
    group: NodeId,
    name: NodeName,
    route: Option<(RoutePattern, Priority)>,
    links: Vec<VoiceId>,
    version: Version,
}

impl Voice {
    fn owns_usage(&self, group: NodeId, id: VoiceId) -> bool {
        self.usages.get(&id).is_some_and(|u| u.group == group)
    }

    fn next_id(&mut self, kind: VoiceKind) -> VoiceId {
        let last = self.last.entry(kind).or_default();
        *last += 1;
        VoiceId(*last)
    }

    /// Whether another object of `kind` in the group has this name.
    fn name_taken(&self, kind: VoiceKind, group: NodeId, name: &NodeName, except: Option<VoiceId>) -> bool {
        let same = |g: NodeId, n: &NodeName, id: VoiceId| g == group && n.key() == name.key() && Some(id) != except;
        match kind {
            VoiceKind::PstnUsage => self.usages.values().any(|u| same(u.group, &u.name, u.id)),
            _ => self.linkers.iter().any(|((k, id), l)| *k == kind && same(l.group, &l.name, *id)),
        }
    }

    fn check_links(&self, group: NodeId, links: &UsageLinks) -> Result<(), VoiceWriteError> {
        let missing = missing_usages(links, |id| self.usages.get(&id).is_some_and(|u| u.group == group));
        if missing.is_empty() { Ok(()) } else { Err(VoiceWriteError::UnknownUsages(missing)) }
    }

    fn referrers(&self, usage: VoiceId) -> Vec<Referrer> {
        self.linkers
            .iter()
            .filter(|(_, l)| l.links.contains(&usage))
            .map(|((kind, id), l)| Referrer { kind: *kind, id: *id, name: l.name.clone() })
            .collect()
    }

    fn refs(&self, links: &[VoiceId]) -> Vec<UsageRef> {
        links.iter().map(|id| UsageRef { id: *id, name: self.usages[id].name.clone() }).collect()
    }

    fn route(&self, id: VoiceId, l: &Linker) -> VoiceRoute {
        let (pattern, priority) = l.route.clone().expect("routes carry a pattern");
        let usages = self.refs(&l.links);
        VoiceRoute { id, group: l.group, name: l.name.clone(), pattern, priority, usages, version: l.version }
    }

    fn policy(&self, id: VoiceId, l: &Linker) -> VoiceRoutingPolicy {
        let usages = self.refs(&l.links);
        VoiceRoutingPolicy { id, group: l.group, name: l.name.clone(), usages, version: l.version }
    }

    /// Drops everything of a group that is being deleted.
    pub(super) fn remove_group(&mut self, group: NodeId) {
        self.usages.retain(|_, u| u.group != group);
        self.linkers.retain(|_, l| l.group != group);
    }

    fn create_linker(&mut self, kind: VoiceKind, linker: Linker) -> Result<VoiceId, VoiceWriteError> {
        if self.name_taken(kind, linker.group, &linker.name, None) {
            return Err(VoiceWriteError::DuplicateName);
        }
        let id = self.next_id(kind);
        self.linkers.insert((kind, id), linker);
        Ok(id)
    }

    #[allow(clippy::too_many_arguments)] // One per changeable field, each optional.
    fn update_linker(
        &mut self,
        kind: VoiceKind,
        group: NodeId,
        id: VoiceId,
        name: Option<NodeName>,
        route: Option<(Option<RoutePattern>, Option<Priority>)>,
        links: Option<UsageLinks>,
        expected: Option<Version>,
    ) -> Result<(), VoiceWriteError> {
        let mut linker =
            self.linkers.get(&(kind, id)).filter(|l| l.group == group).ok_or(VoiceWriteError::NotFound)?.clone();
        check_version(expected, linker.version)?;
        linker.version = linker.version.next();
        if let Some(name) = name {
            if self.name_taken(kind, group, &name, Some(id)) {
                return Err(VoiceWriteError::DuplicateName);
            }
            linker.name = name;
        }
        if let (Some((pattern, priority)), Some((old_pattern, old_priority))) = (route, linker.route.as_mut()) {
            *old_pattern = pattern.unwrap_or_else(|| old_pattern.clone());
            *old_priority = priority.unwrap_or(*old_priority);
        }
        if let Some(links) = links {
            self.check_links(group, &links)?;
            linker.links = links.ids().to_vec();
        }
        self.linkers.insert((kind, id), linker);
        Ok(())
    }

    /// One page of the request's group's objects named `names`: the matches, as `item` makes them.
    fn page<T>(
        &self,
        request: &PageRequest<VoiceScope>,
        names: Vec<(&NodeName, VoiceId)>,
        item: impl Fn(VoiceId) -> T,
    ) -> Page<T> {
        let query = &request.query;
        let matches = names
            .into_iter()
            .filter(|(name, _)| query.matches(name.key()))
            .map(|(name, id)| (query.sort.key_of(name.key()), id.0, id))
            .collect();
        let page = pager::sorted(request, matches);
        Page { items: page.items.into_iter().map(item).collect(), total: page.total, more: page.more }
    }

    fn linker_names(&self, kind: VoiceKind, group: NodeId) -> Vec<(&NodeName, VoiceId)> {
        self.linkers
            .iter()
            .filter(|((k, _), l)| *k == kind && l.group == group)
            .map(|((_, id), l)| (&l.name, *id))
            .collect()
    }
}

impl State {
    fn has_group(&self, group: NodeId) -> bool {
        self.nodes.get(&group).is_some_and(|e| e.node.kind == NodeKind::Group)
    }

    fn group_checked(&self, group: NodeId) -> Result<(), VoiceWriteError> {
        if self.has_group(group) { Ok(()) } else { Err(VoiceWriteError::GroupNotFound) }
    }
}

#[async_trait]
impl VoiceRoutingStore for MemoryStore {
    async fn create_usage(&self, group: NodeId, name: NodeName, change: &Change) -> Result<PstnUsage, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        state.group_checked(group)?;
        let voice = &mut state.voice;
        if voice.name_taken(VoiceKind::PstnUsage, group, &name, None) {
            return Err(VoiceWriteError::DuplicateName);
        }
        let usage = PstnUsage { id: voice.next_id(VoiceKind::PstnUsage), group, name, version: Version::FIRST };
        voice.usages.insert(usage.id, usage.clone());
        state.record(change);
        Ok(usage)
    }

    async fn rename_usage(
        &self,
        group: NodeId,
        id: VoiceId,
        name: NodeName,
        change: &Change,
    ) -> Result<PstnUsage, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        let voice = &mut state.voice;
        let usage = voice.usages.get(&id).filter(|u| u.group == group).ok_or(VoiceWriteError::NotFound)?;
        check_version(change.expected, usage.version)?;
        if voice.name_taken(VoiceKind::PstnUsage, group, &name, Some(id)) {
            return Err(VoiceWriteError::DuplicateName);
        }
        let usage = voice.usages.get_mut(&id).expect("checked above");
        usage.name = name;
        usage.version = usage.version.next();
        let usage = usage.clone();
        state.record(change);
        Ok(usage)
    }

    async fn delete_usage(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, DeleteUsageError> {
        let mut state = self.write_as(change)?;
        let voice = &mut state.voice;
        let Some(usage) = voice.usages.get(&id).filter(|u| u.group == group) else { return Ok(Deleted::Absent) };
        check_version(change.expected, usage.version)?;
        ensure_unreferenced(voice.referrers(id)).map_err(DeleteUsageError::InUse)?;
        voice.usages.remove(&id);
        state.record(change);
        Ok(Deleted::Removed)
    }

    async fn usage_referrers(&self, group: NodeId, id: VoiceId) -> Result<Option<Vec<Referrer>>, StoreError> {
        let state = self.read();
        if !state.voice.owns_usage(group, id) {
            return Ok(None);
        }
        Ok(Some(ensure_unreferenced(state.voice.referrers(id)).err().unwrap_or_default()))
    }

    async fn list_usages(&self, request: &PageRequest<VoiceScope>) -> Result<Page<PstnUsage>, StoreError> {
        let state = self.read();
        let voice = &state.voice;
        let group = request.scope.group;
        let names = voice.usages.values().filter(|u| u.group == group).map(|u| (&u.name, u.id)).collect();
        Ok(voice.page(request, names, |id| voice.usages[&id].clone()))
    }

    async fn create_route(&self, group: NodeId, new: NewRoute, change: &Change) -> Result<VoiceRoute, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        state.group_checked(group)?;
        let voice = &mut state.voice;
        voice.check_links(group, &new.usages)?;
        let linker = Linker {
            group,
            name: new.name,
            route: Some((new.pattern, new.priority)),
            links: new.usages.ids().to_vec(),
            version: Version::FIRST,
        };
        let id = voice.create_linker(VoiceKind::VoiceRoute, linker)?;
        let route = voice.route(id, &voice.linkers[&(VoiceKind::VoiceRoute, id)]);
        state.record(change);
        Ok(route)
    }

    async fn update_route(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: RouteChanges,
        change: &Change,
    ) -> Result<VoiceRoute, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        let voice = &mut state.voice;
        let route = Some((changes.pattern, changes.priority));
        let kind = VoiceKind::VoiceRoute;
        voice.update_linker(kind, group, id, changes.name, route, changes.usages, change.expected)?;
        let route = voice.route(id, &voice.linkers[&(VoiceKind::VoiceRoute, id)]);
        state.record(change);
        Ok(route)
    }

    async fn delete_route(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        let mut state = self.write_as(change)?;
        let deleted = delete_linker(&mut state, VoiceKind::VoiceRoute, group, id, change.expected)?;
        Ok(state.record_removal(deleted, change))
    }

    async fn list_routes(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoute>, StoreError> {
        let state = self.read();
        let voice = &state.voice;
        let names = voice.linker_names(VoiceKind::VoiceRoute, request.scope.group);
        Ok(voice.page(request, names, |id| voice.route(id, &voice.linkers[&(VoiceKind::VoiceRoute, id)])))
    }

    async fn create_policy(
        &self,
        group: NodeId,
        new: NewPolicy,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        state.group_checked(group)?;
        let voice = &mut state.voice;
        voice.check_links(group, &new.usages)?;
        let links = new.usages.ids().to_vec();
        let linker = Linker { group, name: new.name, route: None, links, version: Version::FIRST };
        let id = voice.create_linker(VoiceKind::VoiceRoutingPolicy, linker)?;
        let policy = voice.policy(id, &voice.linkers[&(VoiceKind::VoiceRoutingPolicy, id)]);
        state.record(change);
        Ok(policy)
    }

    async fn update_policy(
        &self,
        group: NodeId,
        id: VoiceId,
        changes: PolicyChanges,
        change: &Change,
    ) -> Result<VoiceRoutingPolicy, VoiceWriteError> {
        let mut state = self.write_as(change)?;
        let voice = &mut state.voice;
        let kind = VoiceKind::VoiceRoutingPolicy;
        voice.update_linker(kind, group, id, changes.name, None, changes.usages, change.expected)?;
        let policy = voice.policy(id, &voice.linkers[&(VoiceKind::VoiceRoutingPolicy, id)]);
        state.record(change);
        Ok(policy)
    }

    async fn delete_policy(&self, group: NodeId, id: VoiceId, change: &Change) -> Result<Deleted, VersionedWriteError> {
        let mut state = self.write_as(change)?;
        let deleted = delete_linker(&mut state, VoiceKind::VoiceRoutingPolicy, group, id, change.expected)?;
        Ok(state.record_removal(deleted, change))
    }

    async fn list_policies(&self, request: &PageRequest<VoiceScope>) -> Result<Page<VoiceRoutingPolicy>, StoreError> {
        let state = self.read();
        let voice = &state.voice;
        let names = voice.linker_names(VoiceKind::VoiceRoutingPolicy, request.scope.group);
        let kind = VoiceKind::VoiceRoutingPolicy;
        Ok(voice.page(request, names, |id| voice.policy(id, &voice.linkers[&(kind, id)])))
    }
}

fn delete_linker(
    state: &mut State,
    kind: VoiceKind,
    group: NodeId,
    id: VoiceId,
    expected: Option<Version>,
) -> Result<Deleted, VersionedWriteError> {
    let voice = &mut state.voice;
    let Some(linker) = voice.linkers.get(&(kind, id)).filter(|l| l.group == group) else { return Ok(Deleted::Absent) };
    check_version(expected, linker.version)?;
    voice.linkers.remove(&(kind, id));
    Ok(Deleted::Removed)
}
