//! The voice routing service: a group's PSTN usages, voice routes and voice routing policies.
//!
//! Every method decides the permission first (no store call), then parses the client's values,
//! then checks through the [`Gate`] that the group lies in the caller's subtree (one store call),
//! then makes one store call for the change. A group outside the subtree answers as absent.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use canopy_domain::{
    DomainError, ListParams, Listed, NodeId, NodeKind, NodeName, Owned, PageRequest, Permission, Principal, Priority,
    PstnUsage, Referrer, RoutePattern, TokenKey, UsageLinks, Verb, VoiceId, VoiceKind, VoiceRoute, VoiceRoutingPolicy,
    VoiceScope,
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
    gate: Gate,
    store: Arc<dyn VoiceRoutingStore>,
    token_key: TokenKey,
    refusals: Refusals,
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
        Self { gate, store, token_key, refusals: Refusals::default() }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { refusals, ..self }
    }

    /// The permission, decided before anything else and without a store call.
    fn allow(&self, caller: &Principal, instance: &str, kind: VoiceKind, verb: Verb) -> Result<(), AppError> {
        self.gate.instance(caller, instance, permission(owned(kind), verb))?;
        Ok(())
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
        let (_, view) = self.gate.node(caller, instance, NodeKind::Group, group, permission(owned(kind), verb)).await?;
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
        let slug = self.gate.instance(caller, instance, permission(owned(kind), Verb::List))?;
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
        self.allow(&caller.principal, instance, kind, Verb::Create)?;
        let name = NodeName::parse(name)?;
        let group = self.group(&caller.principal, instance, group, kind, Verb::Create).await?;
        let change = caller.change("pstn_usage.create", Some(group));
        let result = self.store.create_usage(group, name, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
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
        self.allow(&caller.principal, instance, kind, Verb::Update)?;
        let name = NodeName::parse(name)?;
        let group = self.group(&caller.principal, instance, group, kind, Verb::Update).await?;
        let change = caller.change("pstn_usage.update", Some(group));
        let result =
            self.store.rename_usage(group, VoiceId(id), name, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
    }

    /// Deleting a usage that does not exist succeeds; a linked one is refused with its referrers.
    pub async fn delete_usage(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let group = self.group(&caller.principal, instance, group, VoiceKind::PstnUsage, Verb::Delete).await?;
        let change = caller.change("pstn_usage.delete", Some(group));
        let result = match self.store.delete_usage(group, VoiceId(id), &change).await {
            Ok(_) => Ok(()),
            Err(DeleteUsageError::InUse(referrers)) => Err(AppError::UsageInUse(referrers)),
            Err(DeleteUsageError::VersionMismatch(mismatch)) => Err(mismatch.into()),
            Err(DeleteUsageError::Store(err)) => Err(err.into()),
        };
        self.refusals.check(&change, result).await
    }

    /// The routes and policies linking a usage: what blocks its deletion.
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
        self.allow(&caller.principal, instance, kind, Verb::Create)?;
        let new = NewRoute {
            name: NodeName::parse(&input.name)?,
            pattern: RoutePattern::parse(&input.pattern)?,
            priority: Priority::parse(input.priority)?,
            usages: links(input.pstn_usages.as_ref())?.unwrap_or_default(),
        };
        let group = self.group(&caller.principal, instance, group, kind, Verb::Create).await?;
        let change = caller.change("voice_route.create", Some(group));
        let result = self.store.create_route(group, new, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
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
        self.allow(&caller.principal, instance, kind, Verb::Update)?;
        let changes = RouteChanges {
            name: update.name.as_deref().map(NodeName::parse).transpose()?,
            pattern: update.pattern.as_deref().map(RoutePattern::parse).transpose()?,
            priority: update.priority.map(Priority::parse).transpose()?,
            usages: links(update.pstn_usages.as_ref())?,
        };
        let group = self.group(&caller.principal, instance, group, kind, Verb::Update).await?;
        let change = caller.change("voice_route.update", Some(group));
        let result =
            self.store.update_route(group, VoiceId(id), changes, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
    }

    pub async fn delete_route(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let group = self.group(&caller.principal, instance, group, VoiceKind::VoiceRoute, Verb::Delete).await?;
        let change = caller.change("voice_route.delete", Some(group));
        let result = self.store.delete_route(group, VoiceId(id), &change).await.map(drop).map_err(AppError::from);
        self.refusals.check(&change, result).await
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
        self.allow(&caller.principal, instance, kind, Verb::Create)?;
        let new = NewPolicy {
            name: NodeName::parse(input.name.as_deref().unwrap_or_default())?,
            usages: links(input.pstn_usages.as_ref())?.unwrap_or_default(),
        };
        let group = self.group(&caller.principal, instance, group, kind, Verb::Create).await?;
        let change = caller.change("voice_routing_policy.create", Some(group));
        let result = self.store.create_policy(group, new, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
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
        self.allow(&caller.principal, instance, kind, Verb::Update)?;
        let changes = PolicyChanges {
            name: update.name.as_deref().map(NodeName::parse).transpose()?,
            usages: links(update.pstn_usages.as_ref())?,
        };
        let group = self.group(&caller.principal, instance, group, kind, Verb::Update).await?;
        let change = caller.change("voice_routing_policy.update", Some(group));
        let result =
            self.store.update_policy(group, VoiceId(id), changes, &change).await.map_err(|err| from_write(err, kind));
        self.refusals.check(&change, result).await
    }

    pub async fn delete_policy(&self, caller: &Caller, instance: &str, group: Uuid, id: i64) -> Result<(), AppError> {
        let group = self.group(&caller.principal, instance, group, VoiceKind::VoiceRoutingPolicy, Verb::Delete).await?;
        let change = caller.change("voice_routing_policy.delete", Some(group));
        let result = self.store.delete_policy(group, VoiceId(id), &change).await.map(drop).map_err(AppError::from);
        self.refusals.check(&change, result).await
    }
}

#[cfg(test)]
#[path = "voice_routing_tests.rs"]
mod tests;
