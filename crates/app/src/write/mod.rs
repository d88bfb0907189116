//! The one path of every write: [`Writes::run`] takes each service's change through the same
//! steps, in one order, so that what a client learns from an answer never depends on which
//! service it asked:
//!
//! 1. the instance of the path, and the caller's permission (no store call: a 403 reveals
//!    nothing, whatever the body);
//! 2. the node the change concerns, in the caller's subtree (one outside answers as absent);
//! 3. the client's input, parsed into domain values (a 400);
//! 4. the [`Change`] (who, which request, the action, the node) the store records;
//! 5. the store call;
//! 6. a refusal by the store recorded in the audit log ([`Refusals::check`]); and, for the
//!    services whose changes can end or alter a session (nodes, administrators), the session
//!    cache moved on ([`SessionCache::forget_all`]), whatever the outcome.

use crate::audit::Refusals;
use crate::auth::SessionCache;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use canopy_domain::{Change, DomainError, InstanceSlug, NodeId, NodeKind, NodeRef, Permission};
use canopy_storage::NodeView;
use std::sync::Arc;

/// What a write changes, as the path names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// The instance itself (its groups, its system administrators).
    Instance,
    /// A node the write needs to see (what it owns, its administrators): read, and absent
    /// outside the caller's subtree.
    Node(NodeKind, NodeRef),
    /// A node the store finds by itself (by instance, kind and uuid): read only to check a node
    /// administrator's reach; system administrators reach every node, so they skip the read
    /// (unless the node is named by its integer id, which the read turns into its uuid).
    Reach(NodeKind, NodeRef),
}

/// What steps 1 and 2 found: the instance, and the node when there is one.
#[derive(Debug, Clone)]
pub(crate) struct Reached {
    pub instance: InstanceSlug,
    /// The node of the path; `None` for the instance.
    pub id: Option<NodeId>,
    /// The node as read, when it was ([`Target::Node`], or [`Target::Reach`] for a node
    /// administrator).
    pub view: Option<NodeView>,
}

impl Reached {
    /// The node as read; only [`Target::Node`] promises one.
    pub fn node(&self) -> &NodeView {
        self.view.as_ref().expect("a Target::Node write reads its node")
    }
}

/// The steps every service write goes through; see the module documentation.
#[derive(Clone)]
pub(crate) struct Writes {
    gate: Gate,
    refusals: Refusals,
    /// The cache of sessions these writes can end or alter, when they can.
    sessions: Option<Arc<SessionCache>>,
}

impl Writes {
    pub fn new(gate: Gate) -> Self {
        Self { gate, refusals: Refusals::default(), sessions: None }
    }

    /// The same writes, ending the cached sessions after each (they may end or alter sessions).
    pub fn ending_sessions(self, sessions: Arc<SessionCache>) -> Self {
        Self { sessions: Some(sessions), ..self }
    }

    /// The same writes, recording the store's refusals.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { refusals, ..self }
    }

    /// The gate of reads, which take steps 1 and 2 only.
    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    /// Takes one write through the six steps: `parse` reads the client's input, `apply` makes
    /// the one store call with the change `action` on the reached node.
    #[allow(clippy::too_many_arguments)] // Each step's own input; a struct would only rename them.
    pub async fn run<I, T>(
        &self,
        caller: &Caller,
        instance: &str,
        target: Target,
        permission: Permission,
        action: impl Into<String>,
        parse: impl FnOnce() -> Result<I, DomainError>,
        apply: impl AsyncFnOnce(&Reached, I, &Change) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let principal = &caller.principal;
        let instance = self.gate.instance(principal, instance, permission)?;
        let reached = match target {
            Target::Instance => Reached { instance, id: None, view: None },
            Target::Reach(_, NodeRef::Uuid(id)) if principal.home.is_none() => {
                Reached { instance, id: Some(id), view: None }
            }
            Target::Node(kind, id) | Target::Reach(kind, id) => {
                let view = self.gate.reach(principal, &instance, kind, id).await?;
                Reached { instance, id: Some(view.node.id), view: Some(view) }
            }
        };
        let input = parse()?;
        let change = caller.change(action, reached.id);
        let result = apply(&reached, input, &change).await;
        if let Some(sessions) = &self.sessions {
            sessions.forget_all();
        }
        self.refusals.check(&change, result).await
    }
}

#[cfg(test)]
mod tests;
