//! The node service: create, read, change, delete and list groups, distributors, resellers
//! and tenants.
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
    AdminDetails, Attributes, CREATION_RULES, Change, CreationRule, DomainError, Email, Holder, ListParams, Listed,
    Node, NodeId, NodeKind, NodeName, NodeScope, PageRequest, Permission, Principal, Profile, TokenKey, TokenPurpose,
    ensure_can_hold,
};
use canopy_storage::{Deleted, NewAdmin, NewNode, NodeChanges, NodeStore, NodeView, ParentRef};
use serde_json::{Map, Value};
use std::sync::Arc;
use uuid::Uuid;

/// A node to create, as the client sent it: raw values, parsed here into domain values.
#[derive(Debug, Clone, Default)]
pub struct NodeInput {
    pub name: String,
    /// What the kind carries beyond the name, by wire name (`draasDomain`, `tenantId`, ...), as
    /// the client sent it: the domain's [`Attributes`] decide what each kind takes.
    pub attributes: Map<String, Value>,
    /// A group's first administrator, created with it (e-mailed an activation link).
    pub admin_email: Option<String>,
}

/// Changes to a node, as the client sent them; `None` (or an absent attribute) keeps a field.
#[derive(Debug, Clone, Default)]
pub struct NodeUpdate {
    pub name: Option<String>,
    /// By wire name; `null` clears what may be cleared ([`Attributes::parse_changes`]).
    pub attributes: Map<String, Value>,
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
        let target = parent.map_or(Target::Instance, |(parent_kind, id)| Target::Reach(parent_kind, id));
        let parse = || {
            let holder = parent.map_or(Holder::Instance, |(parent_kind, _)| Holder::Node(parent_kind));
            ensure_can_hold(holder, kind)?;
            let first_admin = match (kind, input.admin_email) {
                (_, None) => None,
                (NodeKind::Group, Some(raw)) => Some(Email::parse(&raw)?),
                (_, Some(_)) => return Err(DomainError::invalid("adminEmail", "only groups are created with one")),
            };
            Ok((NodeName::parse(&input.name)?, Attributes::parse_new(kind, &input.attributes)?, first_admin))
        };
        // The change is the parent's (where a refusal is recorded: no node was made); the store
        // records the applied creation on the new node.
        let create = async |at: &Reached, (name, attributes, first_admin): (_, _, Option<Email>), change: &Change| {
            let mut new = NewNode {
                id: NodeId(Uuid::new_v4()),
                instance: at.instance.clone(),
                parent: parent.map(|(kind, id)| ParentRef { kind, id: NodeId(id) }),
                name,
                attributes,
                admin: None,
            };
            // The first administrator is created with the node, its activation token with it; the
            // link is mailed once both are committed.
            let invitation = first_admin.map(|email| {
                let (token, stored) = self.onboarding.token(TokenPurpose::Activation);
                new.admin = Some(NewAdmin {
                    instance: new.instance.clone(),
                    profile: Profile::of_level(Some(kind)),
                    home: Some(new.id),
                    email: email.clone(),
                    details: AdminDetails::default(),
                    password_hash: None,
                    must_change_password: false,
                    token: Some(stored),
                });
                self.onboarding.letter(TokenPurpose::Activation, &email, &token)
            });
            let on_node = Change { node: Some(new.id), ..change.clone() };
            let created = self.store.create_node(new, &on_node).await;
            let node = created.map_err(|err| AppError::from_create(err, parent.map(|(kind, _)| kind)))?;
            Ok((node, invitation))
        };
        let action = format!("{}.create", kind.as_str());
        let (node, invitation) =
            self.writes.run(caller, instance, target, Permission::Create(kind), action, parse, create).await?;
        if let Some(letter) = invitation {
            self.onboarding.letters().send_in_background(letter);
        }
        Ok(node)
    }

    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<NodeView, AppError> {
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, Permission::Read(kind)).await?;
        Ok(view)
    }

    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        update: NodeUpdate,
    ) -> Result<Node, AppError> {
        let parse = || {
            Ok(NodeChanges {
                name: update.name.as_deref().map(NodeName::parse).transpose()?,
                attributes: Some(Attributes::parse_changes(kind, &update.attributes)?),
            })
        };
        let apply = async |at: &Reached, changes, change: &Change| {
            let updated = self.store.update_node(&at.instance, kind, NodeId(id), changes, change).await;
            updated.map_err(|err| AppError::from_update(err, kind))
        };
        let (target, action) = (Target::Reach(kind, id), format!("{}.update", kind.as_str()));
        self.writes.run(caller, instance, target, Permission::Update(kind), action, parse, apply).await
    }

    /// Deletes an empty node; deleting a node that does not exist succeeds (idempotence), and so,
    /// changing nothing, does deleting one outside the caller's subtree.
    pub async fn delete(&self, caller: &Caller, instance: &str, kind: NodeKind, id: Uuid) -> Result<Deleted, AppError> {
        let apply = async |at: &Reached, (), change: &Change| {
            let deleted = self.store.delete_node(&at.instance, kind, NodeId(id), change).await;
            deleted.map_err(|err| AppError::from_delete(err, kind))
        };
        let (target, action) = (Target::Reach(kind, id), format!("{}.delete", kind.as_str()));
        match self.writes.run(caller, instance, target, Permission::Delete(kind), action, || Ok(()), apply).await {
            Err(AppError::NotFound(absent)) if absent == kind => Ok(Deleted::Absent),
            other => other,
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

#[cfg(test)]
mod tests;
