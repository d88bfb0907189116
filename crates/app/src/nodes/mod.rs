//! The node service: create, read, change, delete and list the nodes of every kind (groups to
//! users), and the accounts some are created with (`accounts`).
//!
//! Every method authorizes first: the caller's instance and permission, decided before any
//! store call; then, for a node named by the path, that it lies in the caller's subtree. A node
//! outside it answers exactly as one that does not exist.

use crate::audit::Refusals;
use crate::auth::Onboarding;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::instances::Instances;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    AttributeChanges, Attributes, CREATION_RULES, Change, CreationRule, Holder, ListParams, Listed, Node, NodeId,
    NodeKind, NodeName, NodeRef, NodeScope, NodeSearch, PageRequest, Permission, Principal, Serial, SubtreeCounts,
    TokenKey, ensure_can_hold,
};
use canopy_storage::{Deleted, Located, NewNode, NodeChanges, NodeStore, NodeView, ParentRef};
use serde_json::{Map, Value};
use std::sync::Arc;
use uuid::Uuid;

/// A node to create, as the client sent it: raw values, parsed here into domain values.
#[derive(Clone, Default)]
pub struct NodeInput {
    /// The name, or the kind's identifier (`groupId`, `userId`: [`NodeKind::name_rule`]).
    pub name: String,
    /// What the kind carries beyond the name, by wire name (`draasDomain`, `tenantId`, ...), as
    /// the client sent it: the domain's [`Attributes`] decide what each kind takes.
    pub attributes: Map<String, Value>,
    /// A group's first administrator, created with it (e-mailed an activation link).
    pub admin_email: Option<String>,
    /// The password of a user's account (a user created with an `email`), chosen by its creator:
    /// the account is active at once and must change it at its first login. Without one, an
    /// activation link is e-mailed.
    pub temporary_password: Option<String>,
    /// A site group's `defaultDomain` that its tenant lacks is registered with it (APIO's
    /// `autoCreateDomain`): see `SiteGroupService::create`. Otherwise it must be the tenant's.
    pub register_domain: bool,
}

// The temporary password never reaches a log.
impl std::fmt::Debug for NodeInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeInput")
            .field("name", &self.name)
            .field("attributes", &self.attributes)
            .field("admin_email", &self.admin_email)
            .field("temporary_password", &self.temporary_password.as_ref().map(|_| "********"))
            .finish()
    }
}

/// Changes to a node, as the client sent them; `None` (or an absent attribute) keeps a field.
#[derive(Debug, Clone, Default)]
pub struct NodeUpdate {
    /// The name, or the kind's identifier (a rename is checked like a creation).
    pub name: Option<String>,
    /// By wire name; `null` clears what may be cleared ([`Attributes::parse_changes`]). A user's
    /// `email`, when it had none, creates its account (e-mailed an activation link).
    pub attributes: Map<String, Value>,
    /// Enables or disables the node ([`Node::enabled`]): not the caller's own node.
    pub enabled: Option<bool>,
}

/// What a face's integer id or uuid names ([`NodeService::locate`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// The instance itself (its root), by its integer id.
    Root,
    /// A node, with its subtree's counters and its parent's integer id (the instance's for a group).
    Node { node: Box<Node>, subtree: SubtreeCounts, parent: Serial },
}

pub struct NodeService {
    store: Arc<dyn NodeStore>,
    writes: Writes,
    token_key: TokenKey,
    onboarding: Onboarding,
}

impl NodeService {
    pub fn new(store: Arc<dyn NodeStore>, instances: Instances, token_key: TokenKey, onboarding: Onboarding) -> Self {
        let writes = Writes::new(Gate::new(store.clone(), instances));
        Self { store, writes, token_key, onboarding }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// Its changes end the cached sessions they may end or alter.
    pub(crate) fn ending_sessions(self, sessions: std::sync::Arc<crate::auth::SessionCache>) -> Self {
        Self { writes: self.writes.ending_sessions(sessions), ..self }
    }

    pub(crate) fn onboarding(&self) -> &Onboarding {
        &self.onboarding
    }

    /// The creation rules, served read-only to clients.
    pub fn rules(&self, caller: &Principal, instance: &str) -> Result<&'static [CreationRule], AppError> {
        self.writes.gate().instance(caller, instance, Permission::RulesRead)?;
        Ok(CREATION_RULES)
    }

    pub async fn create(
        &self,
        caller: &Caller,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        input: NodeInput,
    ) -> Result<Node, AppError> {
        let target = parent.map_or(Target::Instance, |(parent_kind, id)| Target::Reach(parent_kind, id.into()));
        let register_domain = input.register_domain;
        let parse = || {
            let holder = parent.map_or(Holder::Instance, |(parent_kind, _)| Holder::Node(parent_kind));
            ensure_can_hold(holder, kind)?;
            let name = NodeName::parse_as(kind.name_rule(), &input.name)?;
            let attributes = Attributes::parse_new(kind, &input.attributes)?;
            let account = accounts::created_with(kind, &attributes, input.admin_email, input.temporary_password)?;
            Ok((name, attributes, account))
        };
        // The change is the parent's (where a refusal is recorded: no node was made); the store
        // records the applied creation on the new node.
        let create =
            async |at: &Reached, (name, attributes, account): (_, _, Option<accounts::Plan>), change: &Change| {
                let mut new = NewNode {
                    id: NodeId(Uuid::new_v4()),
                    instance: at.instance.clone(),
                    parent: parent.map(|(kind, id)| ParentRef { kind, id: NodeId(id) }),
                    name,
                    attributes,
                    admin: None,
                    register_domain,
                };
                // The node's account is created with it, its activation token with it; the link is
                // mailed once both are committed.
                let invitation = match account {
                    Some(plan) => {
                        let (admin, token) = self.onboarding.account(plan.of(&new)).await?;
                        let invitation = token.map(|token| (admin.email.clone(), token));
                        new.admin = Some(admin);
                        invitation
                    }
                    None => None,
                };
                let on_node = Change { node: Some(new.id), ..change.clone() };
                let created = self.store.create_node(new, &on_node).await;
                let node = created.map_err(|err| AppError::from_create(err, kind, parent.map(|(kind, _)| kind)))?;
                Ok((node, invitation))
            };
        let action = format!("{}.create", kind.as_str());
        let (node, invitation) =
            self.writes.run(caller, instance, target, Permission::Create(kind), action, parse, create).await?;
        if let Some((email, token)) = invitation {
            self.onboarding.invite(&email, &token);
        }
        Ok(node)
    }

    /// What a face's integer id or uuid names, whatever its kind, where the caller reaches it
    /// ([`Gate::locate`]): the faces that name every level alike (the portal's `{group}`) learn
    /// the kind here, then call this service's methods of that kind.
    pub async fn locate(&self, caller: &Principal, instance: &str, node: NodeRef) -> Result<Place, AppError> {
        Ok(match self.writes.gate().locate(caller, instance, node).await? {
            Located::Instance => Place::Root,
            Located::Node { view, parent } => Place::Node { node: Box::new(view.node), subtree: view.subtree, parent },
        })
    }

    /// The nodes of the caller's subtree whose name starts with `prefix` (or is it: `strict`),
    /// every level but users, of the kinds the caller may list: at most `limit`, in name order.
    /// An account that may list no kind (an end user) may not search.
    pub async fn search(
        &self,
        caller: &Principal,
        instance: &str,
        prefix: &str,
        strict: bool,
        limit: Option<u64>,
    ) -> Result<Vec<Node>, AppError> {
        let kinds: Vec<NodeKind> = NodeSearch::kinds().filter(|kind| caller.grants(Permission::List(*kind))).collect();
        let asked = kinds.first().copied().unwrap_or(NodeKind::SiteGroup);
        let instance = self.writes.gate().instance(caller, instance, Permission::List(asked))?;
        let search = NodeSearch::parse(instance, caller.subtree(), prefix, strict, limit)?;
        let found = self.store.search_nodes(&search).await?;
        Ok(found.into_iter().filter(|node| kinds.contains(&node.kind)).collect())
    }

    /// A node, by uuid or integer id.
    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<NodeView, AppError> {
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, Permission::Read(kind)).await?;
        Ok(view)
    }

    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
        update: NodeUpdate,
    ) -> Result<Node, AppError> {
        let parse = || {
            Ok(NodeChanges {
                name: update.name.as_deref().map(|name| NodeName::parse_as(kind.name_rule(), name)).transpose()?,
                attributes: Some(Attributes::parse_changes(kind, &update.attributes)?),
                account: None,
                enabled: update.enabled,
            })
        };
        let apply = async |at: &Reached, mut changes: NodeChanges, change: &Change| {
            if changes.enabled.is_some() {
                caller.principal.may_switch(at.id.expect("a node's update reaches its node"))?;
            }
            // A user's e-mail, when the user has none yet, creates its account: planned for each
            // change that sends one, created by the store only if it is the e-mail's first.
            let id = at.id.expect("a node's update reaches its node");
            let mut token = None;
            if let Some(email) = changes.attributes.as_ref().and_then(AttributeChanges::email) {
                let (account, link) = self.onboarding.account(accounts::given(kind, email, &at.instance, id)).await?;
                (changes.account, token) = (Some(account), link);
            }
            let updated = self.store.update_node(&at.instance, kind, id, changes, change).await;
            let updated = updated.map_err(|err| AppError::from_update(err, kind))?;
            Ok((updated, token))
        };
        let (target, action) = (Target::Reach(kind, id.into()), format!("{}.update", kind.as_str()));
        let (updated, token) =
            self.writes.run(caller, instance, target, Permission::Update(kind), action, parse, apply).await?;
        if let (Some(account), Some(token)) = (&updated.account, token) {
            self.onboarding.invite(&account.email, &token);
        }
        Ok(updated.node)
    }

    /// Deletes an empty node (a user with its account); deleting a node that does not exist
    /// succeeds (idempotence), and so, changing nothing, does deleting one outside the caller's
    /// subtree.
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<Deleted, AppError> {
        let apply = async |at: &Reached, (), change: &Change| {
            let id = at.id.expect("a node's deletion reaches its node");
            let deleted = self.store.delete_node(&at.instance, kind, id, change).await;
            deleted.map_err(|err| AppError::from_delete(err, kind))
        };
        let (target, action) = (Target::Reach(kind, id.into()), format!("{}.delete", kind.as_str()));
        match self.writes.run(caller, instance, target, Permission::Delete(kind), action, || Ok(()), apply).await {
            Err(AppError::NotFound(absent)) if absent == kind => Ok(Deleted::Absent),
            other => other,
        }
    }

    /// Deletes an empty node that exists: one absent (or outside the caller's subtree) is
    /// `NotFound`, for the faces where deleting what is absent is an error (the portal's 404).
    pub async fn delete_existing(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: impl Into<NodeRef>,
    ) -> Result<(), AppError> {
        match self.delete(caller, instance, kind, id).await? {
            Deleted::Removed => Ok(()),
            Deleted::Absent => Err(AppError::NotFound(kind)),
        }
    }

    /// One page of the `kind` children of `parent` (or of the instance's groups, cut to the
    /// caller's subtree before counting and paging).
    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        parent: Option<(NodeKind, Uuid)>,
        kind: NodeKind,
        params: ListParams,
    ) -> Result<Listed<Node>, AppError> {
        let instance = self.writes.gate().instance(caller, instance, Permission::List(kind))?;
        // Below a reachable parent everything is reachable: only the instance's list is cut.
        let within = if parent.is_none() { caller.subtree() } else { None };
        let scope = NodeScope { instance, parent: parent.map(|(_, id)| NodeId(id)), kind, within };
        let request = PageRequest::resolve(scope, params, &self.token_key)?;
        if let Some((parent_kind, parent_id)) = parent {
            // A list under a parent that does not exist (for this caller) is not an empty list.
            self.writes.gate().reach(caller, &request.scope.instance, parent_kind, parent_id).await?;
        }
        let page = self.store.list_nodes(&request).await?;
        Ok(request.listed(page, &self.token_key))
    }
}

mod accounts;
mod keyed;
mod lock;

pub use keyed::KeyPath;
#[cfg(test)]
mod tests;
