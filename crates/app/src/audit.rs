//! The audit log's use cases: the list (every profile, cut to its subtree), and [`Refusals`], the
//! one place where a change that the store refused is recorded as `refused`.
//!
//! Applied changes need nothing here: the store records them in their own transaction. A refusal
//! is recorded only when the caller was allowed to attempt the change on a node it reaches (the
//! store refused it: a duplicate name, a stale version, a node still holding children...).
//! Failures before that (403, an unknown instance, a node outside the subtree, invalid input)
//! are not recorded: they would show one subtree's attempts in another's log, and the request
//! log has them.

use crate::error::AppError;
use crate::gate::Gate;
use canopy_domain::{
    AuditEntry, AuditScope, Change, ListParams, Listed, NodeId, PageRequest, Permission, Principal, TokenKey,
};
use canopy_storage::AuditStore;
use std::sync::Arc;
use uuid::Uuid;

/// An error that, coming back from the store, means the store refused the change.
pub(crate) trait Refusal {
    /// The reason to record, or `None` when this error is no refusal (not found, store down).
    fn refusal(&self) -> Option<String>;
}

impl Refusal for AppError {
    fn refusal(&self) -> Option<String> {
        match self {
            Self::DuplicateName(_)
            | Self::DuplicateTenantId
            | Self::DuplicateUserId
            | Self::NotEmpty { .. }
            | Self::DuplicateEmail(_)
            | Self::UnknownDestination
            | Self::DuplicateVoiceName(_)
            | Self::UnknownUsages(_)
            | Self::UsageInUse(_)
            | Self::DuplicateUserGroupName(_)
            | Self::UnknownPermissions(_)
            | Self::VersionMismatch(_)
            | Self::TreeLocked
            // Decided by the store on the values stored at the write (a masked secret with no
            // stored value, too many properties).
            | Self::Invalid(_) => Some(self.to_string()),
            _ => None,
        }
    }
}

/// Records the store's refusals of changes. Services start without one (their unit tests mock
/// the store they change); `App` gives every service the store's.
#[derive(Clone, Default)]
pub struct Refusals(Option<Arc<dyn AuditStore>>);

impl Refusals {
    pub fn new(store: Arc<dyn AuditStore>) -> Self {
        Self(Some(store))
    }

    /// Passes `result` through, recording `change` as refused when the store refused it. A
    /// failure to record is logged and does not hide the refusal from the client.
    pub(crate) async fn check<T, E: Refusal>(&self, change: &Change, result: Result<T, E>) -> Result<T, E> {
        if let (Some(store), Err(err)) = (&self.0, &result)
            && let Some(reason) = err.refusal()
            && let Err(failure) = store.record_refusal(change, &reason).await
        {
            tracing::warn!(error = %failure, action = %change.action, "a refused change could not be recorded");
        }
        result
    }
}

pub struct AuditService {
    gate: Gate,
    store: Arc<dyn AuditStore>,
    key: TokenKey,
}

impl AuditService {
    pub fn new(gate: Gate, store: Arc<dyn AuditStore>, key: TokenKey) -> Self {
        Self { gate, store, key }
    }

    /// The instance's entries, newest first, cut to the caller's subtree and, with `node`, to
    /// that node's subtree (a node outside the caller's shows nothing; one deleted since still
    /// shows its history).
    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        node: Option<Uuid>,
        page: Option<u64>,
        page_size: Option<u64>,
        next: Option<&str>,
    ) -> Result<Listed<AuditEntry>, AppError> {
        let instance = self.gate.instance(caller, instance, Permission::AuditList)?;
        let scope = AuditScope { instance, within: caller.subtree(), node: node.map(NodeId) };
        let params = ListParams { page, page_size, next: next.map(str::to_owned), ..ListParams::default() };
        let request = PageRequest::resolve(scope, params, &self.key)?;
        let found = self.store.list_audit(&request).await?;
        Ok(request.listed(found, &self.key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::instances::Instances;
    use crate::testing::unit::{acting, caller};
    use canopy_domain::Page;
    use canopy_domain::{InstanceSlug, NodeKind, Profile};
    use canopy_storage::{MockAuditStore, MockNodeStore};

    fn service(audit: MockAuditStore) -> AuditService {
        let gate = Gate::new(Arc::new(MockNodeStore::new()), Instances::new([InstanceSlug::parse("default").unwrap()]));
        AuditService::new(gate, Arc::new(audit), TokenKey::new(vec![3; 32]))
    }

    #[tokio::test]
    async fn a_node_administrator_lists_its_subtree_only() {
        let mut audit = MockAuditStore::new();
        audit
            .expect_list_audit()
            .withf(|request| request.scope.within == Some(NodeId(Uuid::from_u128(1))))
            .returning(|_| Ok(Page { items: vec![], total: 0, more: false }));
        let (service, tenant_admin) = (service(audit), caller(Profile::TenantAdmin, Some(1)));
        let listed = service.list(&tenant_admin, "default", None, None, None, None).await.unwrap();
        assert_eq!((listed.pages, listed.results, listed.next), (1, 0, None));
    }

    #[tokio::test]
    async fn bad_paging_or_another_instance_never_reaches_the_store() {
        let service = service(MockAuditStore::new());
        let root = caller(Profile::SystemAdmin, None);
        let zero = service.list(&root, "default", None, None, Some(0), None).await;
        assert!(matches!(zero, Err(AppError::Invalid(_))));
        let forged = service.list(&root, "default", None, None, None, Some("x.y")).await;
        assert!(matches!(forged, Err(AppError::Invalid(_))));
        let elsewhere = service.list(&root, "other", None, None, None, None).await;
        assert!(matches!(elsewhere, Err(AppError::InstanceNotFound)));
    }

    #[tokio::test]
    async fn only_the_stores_refusals_are_recorded_with_their_reason() {
        let mut audit = MockAuditStore::new();
        audit
            .expect_record_refusal()
            .withf(|change, reason| change.action == "group.create" && reason == "a sibling already has this name")
            .times(1)
            .returning(|_, _| Ok(()));
        let refusals = Refusals::new(Arc::new(audit));
        let change = acting(&caller(Profile::SystemAdmin, None)).change("group.create", None);
        let refused: Result<(), AppError> = Err(AppError::DuplicateName(canopy_domain::NodeKind::Group));
        assert!(matches!(refusals.check(&change, refused).await, Err(AppError::DuplicateName(_))));
        // Neither an absent node nor a store failure is a refusal: nothing more is recorded.
        let absent: Result<(), AppError> = Err(AppError::NotFound(NodeKind::Group));
        assert!(refusals.check(&change, absent).await.is_err());
        let down: Result<(), AppError> = Err(AppError::Unavailable("down".into()));
        assert!(refusals.check(&change, down).await.is_err());
        assert_eq!(refusals.check(&change, Ok::<_, AppError>(7)).await.unwrap(), 7);
    }

    #[tokio::test]
    async fn a_refusal_that_cannot_be_recorded_is_still_answered() {
        let mut audit = MockAuditStore::new();
        audit.expect_record_refusal().returning(|_, _| Err(canopy_storage::StoreError::Unavailable("down".into())));
        let refusals = Refusals::new(Arc::new(audit));
        let change = acting(&caller(Profile::SystemAdmin, None)).change("group.delete", None);
        let refused: Result<(), AppError> = Err(AppError::UsageInUse(vec![]));
        assert!(matches!(refusals.check(&change, refused).await, Err(AppError::UsageInUse(_))));
    }
}
