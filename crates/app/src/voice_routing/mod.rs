//! The voice routing service: a group's PSTN usages, voice routes and voice routing policies.
//!
//! Every change goes the one way of every write ([`Writes::run`]): the permission (no store
//! call), the group in the caller's subtree (one store call), the client's values, then one store
//! call. A group outside the subtree answers as absent.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    Change, DomainError, ListParams, Listed, NodeId, NodeKind, NodeName, Owned, PageRequest, Permission, Principal,
    Priority, PstnUsage, Referrer, RoutePattern, TokenKey, UsageLinks, Verb, VoiceId, VoiceKind, VoiceRoute,
    VoiceRoutingPolicy, VoiceScope,
};
use canopy_storage::{
    DeleteUsageError, NewPolicy, NewRoute, PolicyChanges, RouteChanges, VoiceRoutingStore, VoiceWriteError,
};
use std::sync::Arc;
use uuid::Uuid;

/// A voice routing write the store refused, in the app's terms.
fn from_write(err: VoiceWriteError, kind: VoiceKind) -> AppError {
    match err {
        VoiceWriteError::GroupNotFound => AppError::NotFound(NodeKind::Group),
        VoiceWriteError::NotFound => AppError::VoiceNotFound(kind),
        VoiceWriteError::DuplicateName => AppError::DuplicateVoiceName(kind),
        VoiceWriteError::UnknownUsages(ids) => AppError::UnknownUsages(ids),
        VoiceWriteError::VersionMismatch(mismatch) => mismatch.into(),
        VoiceWriteError::Store(err) => err.into(),
    }
}

/// A voice route as the client sent it.
#[derive(Debug, Clone, Default)]
pub struct RouteInput {
    pub name: String,
    pub pattern: String,
    pub priority: i64,
    pub pstn_usages: Option<Vec<i64>>,
}

/// Changes to a route; `None` keeps a field, `pstn_usages: Some(..)` replaces the links.
#[derive(Debug, Clone, Default)]
pub struct RouteUpdate {
    pub name: Option<String>,
    pub pattern: Option<String>,
    pub priority: Option<i64>,
    pub pstn_usages: Option<Vec<i64>>,
}

/// A policy as the client sent it (create), or its changes (update: `None` keeps a field).
#[derive(Debug, Clone, Default)]
pub struct PolicyInput {
    pub name: Option<String>,
    pub pstn_usages: Option<Vec<i64>>,
}

pub struct VoiceRoutingService {
    writes: Writes,
    store: Arc<dyn VoiceRoutingStore>,
    token_key: TokenKey,
}

fn permission(owned: Owned, verb: Verb) -> Permission {
    Permission::Owned(NodeKind::Group, owned, verb)
}

fn owned(kind: VoiceKind) -> Owned {
    match kind {
        VoiceKind::PstnUsage => Owned::PstnUsages,
        VoiceKind::VoiceRoute => Owned::VoiceRoutes,
        VoiceKind::VoiceRoutingPolicy => Owned::VoiceRoutingPolicies,
    }
}

fn links(raw: Option<&Vec<i64>>) -> Result<Option<UsageLinks>, DomainError> {
    raw.map(|ids| UsageLinks::parse(ids)).transpose()
}

impl VoiceRoutingService {
    pub fn new(gate: Gate, store: Arc<dyn VoiceRoutingStore>, token_key: TokenKey) -> Self {
        Self { writes: Writes::new(gate), store, token_key }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// One change of the group's voice routing, the one way of every write ([`Writes::run`]):
    /// `apply` makes the store call on the reached group.
    #[allow(clippy::too_many_arguments)] // The steps' inputs, as `Writes::run` takes them.
    async fn write<I, T>(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        (kind, verb): (VoiceKind, Verb),
        action: &str,
        parse: impl FnOnce() -> Result<I, DomainError>,
        apply: impl AsyncFnOnce(NodeId, I, &Change) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let (target, permission) = (Target::Node(NodeKind::Group, group.into()), permission(owned(kind), verb));
        let on_group = async |at: &Reached, input, change: &Change| apply(at.node().node.id, input, change).await;
        self.writes.run(caller, instance, target, permission, action, parse, on_group).await
    }

    /// The group of the path, in the caller's subtree.
    async fn group(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        kind: VoiceKind,
        verb: Verb,
    ) -> Result<NodeId, AppError> {
        let permission = permission(owned(kind), verb);
        let (_, view) = self.writes.gate().node(caller, instance, NodeKind::Group, group, permission).await?;
        Ok(view.node.id)
    }

    async fn page_request(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        kind: VoiceKind,
        params: ListParams,
    ) -> Result<PageRequest<VoiceScope>, AppError> {
        let slug = self.writes.gate().instance(caller, instance, permission(owned(kind), Verb::List))?;
        let group = NodeId(group);
        let scope = VoiceScope { instance: slug, group, kind, within: caller.subtree() };
        let request = PageRequest::resolve(scope, params, &self.token_key)?;
        self.group(caller, instance, group.0, kind, Verb::List).await?;
        Ok(request)
    }

    pub async fn list_usages(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        params: ListParams,
    ) -> Result<Listed<PstnUsage>, AppError> {
        let request = self.page_request(caller, instance, group, VoiceKind::PstnUsage, params).await?;
        let page = self.store.list_usages(&request).await?;
        Ok(request.listed(page, &self.token_key))
    }

    pub async fn create_usage(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        name: &str,
    ) -> Result<PstnUsage, AppError> {
        let kind = VoiceKind::PstnUsage;
        let parse = || NodeName::parse(name);
        let create = async |group, name, change: &Change| {
            self.store.create_usage(group, name, change).await.map_err(|err| from_write(err, kind))
        };
        self.write(caller, instance, group, (kind, Verb::Create), "pstn_usage.create", parse, create).await
    }

    pub async fn rename_usage(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        id: i64,
        name: &str,
    ) -> Result<PstnUsage, AppError> {
        let kind = VoiceKind::PstnUsage;
        let parse = || NodeName::parse(name);
        let rename = async |group, name, change: &Change| {
            self.store.rename_usage(group, VoiceId(id), name, change).await.map_err(|err| from_write(err, kind))
        };
        self.write(caller, instance, group, (kind, Verb::Update), "pstn_usage.update", parse, rename).await
    }

    /// Deleting a usage that does not exist succeeds; a linked one is refused with its referrers.
    pub async fn delete_usage(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let delete = async |group, (), change: &Change| match self.store.delete_usage(group, VoiceId(id), change).await
        {
            Ok(_) => Ok(()),
            Err(DeleteUsageError::InUse(referrers)) => Err(AppError::UsageInUse(referrers)),
            Err(DeleteUsageError::VersionMismatch(mismatch)) => Err(mismatch.into()),
            Err(DeleteUsageError::Store(err)) => Err(err.into()),
        };
        let verb = (VoiceKind::PstnUsage, Verb::Delete);
        self.write(caller, instance, group, verb, "pstn_usage.delete", || Ok(()), delete).await
    }

    pub async fn usage_references(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        id: i64,
    ) -> Result<Vec<Referrer>, AppError> {
        let kind = VoiceKind::PstnUsage;
        let group = self.group(caller, instance, group, kind, Verb::Read).await?;
        self.store.usage_referrers(group, VoiceId(id)).await?.ok_or(AppError::VoiceNotFound(kind))
    }

    pub async fn list_routes(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        params: ListParams,
    ) -> Result<Listed<VoiceRoute>, AppError> {
        let request = self.page_request(caller, instance, group, VoiceKind::VoiceRoute, params).await?;
        let page = self.store.list_routes(&request).await?;
        Ok(request.listed(page, &self.token_key))
    }

    pub async fn create_route(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        input: RouteInput,
    ) -> Result<VoiceRoute, AppError> {
        let kind = VoiceKind::VoiceRoute;
        let parse = || {
            Ok(NewRoute {
                name: NodeName::parse(&input.name)?,
                pattern: RoutePattern::parse(&input.pattern)?,
                priority: Priority::parse(input.priority)?,
                usages: links(input.pstn_usages.as_ref())?.unwrap_or_default(),
            })
        };
        let create = async |group, new, change: &Change| {
            self.store.create_route(group, new, change).await.map_err(|err| from_write(err, kind))
        };
        self.write(caller, instance, group, (kind, Verb::Create), "voice_route.create", parse, create).await
    }

    pub async fn update_route(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        id: i64,
        update: RouteUpdate,
    ) -> Result<VoiceRoute, AppError> {
        let kind = VoiceKind::VoiceRoute;
        let parse = || {
            Ok(RouteChanges {
                name: update.name.as_deref().map(NodeName::parse).transpose()?,
                pattern: update.pattern.as_deref().map(RoutePattern::parse).transpose()?,
                priority: update.priority.map(Priority::parse).transpose()?,
                usages: links(update.pstn_usages.as_ref())?,
            })
        };
        let change_route = async |group, changes, change: &Change| {
            self.store.update_route(group, VoiceId(id), changes, change).await.map_err(|err| from_write(err, kind))
        };
        self.write(caller, instance, group, (kind, Verb::Update), "voice_route.update", parse, change_route).await
    }

    pub async fn delete_route(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let delete = async |group, (), change: &Change| {
            self.store.delete_route(group, VoiceId(id), change).await.map(drop).map_err(AppError::from)
        };
        let verb = (VoiceKind::VoiceRoute, Verb::Delete);
        self.write(caller, instance, group, verb, "voice_route.delete", || Ok(()), delete).await
    }

    pub async fn list_policies(
        &self,
        caller: &Principal,
        instance: &str,
        group: Uuid,
        params: ListParams,
    ) -> Result<Listed<VoiceRoutingPolicy>, AppError> {
        let request = self.page_request(caller, instance, group, VoiceKind::VoiceRoutingPolicy, params).await?;
        let page = self.store.list_policies(&request).await?;
        Ok(request.listed(page, &self.token_key))
    }

    pub async fn create_policy(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        input: PolicyInput,
    ) -> Result<VoiceRoutingPolicy, AppError> {
        let kind = VoiceKind::VoiceRoutingPolicy;
        let parse = || {
            Ok(NewPolicy {
                name: NodeName::parse(input.name.as_deref().unwrap_or_default())?,
                usages: links(input.pstn_usages.as_ref())?.unwrap_or_default(),
            })
        };
        let create = async |group, new, change: &Change| {
            self.store.create_policy(group, new, change).await.map_err(|err| from_write(err, kind))
        };
        self.write(caller, instance, group, (kind, Verb::Create), "voice_routing_policy.create", parse, create).await
    }

    pub async fn update_policy(
        &self,
        caller: &Caller,
        instance: &str,
        group: Uuid,
        id: i64,
        update: PolicyInput,
    ) -> Result<VoiceRoutingPolicy, AppError> {
        let kind = VoiceKind::VoiceRoutingPolicy;
        let parse = || {
            Ok(PolicyChanges {
                name: update.name.as_deref().map(NodeName::parse).transpose()?,
                usages: links(update.pstn_usages.as_ref())?,
            })
        };
        let change_policy = async |group, changes, change: &Change| {
            self.store.update_policy(group, VoiceId(id), changes, change).await.map_err(|err| from_write(err, kind))
        };
        let action = "voice_routing_policy.update";
        self.write(caller, instance, group, (kind, Verb::Update), action, parse, change_policy).await
    }

    pub async fn delete_policy(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let delete = async |group, (), change: &Change| {
            self.store.delete_policy(group, VoiceId(id), change).await.map(drop).map_err(AppError::from)
        };
        let verb = (VoiceKind::VoiceRoutingPolicy, Verb::Delete);
        self.write(caller, instance, group, verb, "voice_routing_policy.delete", || Ok(()), delete).await
    }
}

#[cfg(test)]
mod tests;
