//! The administrators of a node (or of the instance): list, create, change, delete, and send
//! the welcome message again.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::NodeError;
use crate::gate::Gate;
use crate::instances::Instances;
use crate::onboarding::Onboarding;
use canopy_domain::{
    Admin, AdminAction, AdminDetails, DomainError, Email, InstanceSlug, NodeId, NodeKind, Numbered, NumberedPage,
    Permission, Principal, Profile, TokenPurpose, check_password,
};
use canopy_storage::{AccountStore, AdminChanges, NewAdmin, NodeStore};
use std::sync::Arc;
use uuid::Uuid;

/// An administrator to create, as the client sent it.
#[derive(Clone, Default)]
pub struct AdminInput {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
    /// A password chosen by the creator (onboarding without e-mail): the account is active at
    /// once and must change it at its first login. Without one, an activation link is e-mailed.
    pub temporary_password: Option<String>,
}

// The temporary password never reaches a log.
impl std::fmt::Debug for AdminInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminInput")
            .field("email", &self.email)
            .field("temporary_password", &self.temporary_password.as_ref().map(|_| "********"))
            .finish_non_exhaustive()
    }
}

/// Changes to an administrator, as the client sent them; `None` keeps a field.
#[derive(Debug, Clone, Default)]
pub struct AdminUpdate {
    /// Must name the administrator of the path: the e-mail never changes.
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
    /// Clears the password, closes every session and e-mails a reset link.
    pub force_reset: bool,
}

/// One page of administrators: they are few per node, so the list is paged by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminPage {
    pub items: Vec<Admin>,
    pub page: u64,
    pub pages: u64,
    pub results: u64,
}

/// Where administrators belong: `None` the instance (system administrators), or a node.
pub type AdminHolder = Option<(NodeKind, Uuid)>;

pub struct AdminService {
    gate: Gate,
    accounts: Arc<dyn AccountStore>,
    onboarding: Onboarding,
    refusals: Refusals,
}

impl AdminService {
    pub fn new(
        nodes: Arc<dyn NodeStore>,
        accounts: Arc<dyn AccountStore>,
        instances: Instances,
        onboarding: Onboarding,
    ) -> Self {
        Self { gate: Gate::new(nodes, instances), accounts, onboarding, refusals: Refusals::default() }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { refusals, ..self }
    }

    /// Authorizes `action` on the holder's administrators: the permission first (no store call),
    /// then, for a node, that it exists in the caller's subtree. Outside it answers as absent.
    async fn holder(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        action: AdminAction,
    ) -> Result<(InstanceSlug, Option<NodeId>), NodeError> {
        let permission = Permission::Admins(holder.map(|(kind, _)| kind), action);
        match holder {
            None => Ok((self.gate.instance(caller, instance, permission)?, None)),
            Some((kind, id)) => {
                let (instance, view) = self.gate.node(caller, instance, kind, id, permission).await?;
                Ok((instance, Some(view.node.id)))
            }
        }
    }

    /// The administrator `username` of this holder; one of another holder is not found. The
    /// address is looked up as normalised, then as stored before normalisation existed, so an
    /// account whose address predates the rule is still found.
    async fn member(&self, instance: &InstanceSlug, home: Option<NodeId>, username: &str) -> Result<Admin, NodeError> {
        for key in Email::lookup_keys(username) {
            if let Some(record) = self.accounts.find_admin(instance, &key).await? {
                return Some(record.admin).filter(|admin| admin.home == home).ok_or(NodeError::AdminNotFound);
            }
        }
        Err(NodeError::AdminNotFound)
    }

    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        search: Option<&str>,
        page: Option<u64>,
        page_size: Option<u64>,
    ) -> Result<AdminPage, NodeError> {
        let numbered = NumberedPage::parse(page, page_size)?;
        let (instance, home) = self.holder(caller, instance, holder, AdminAction::List).await?;
        let needle = search.map(str::to_lowercase);
        let matches = |admin: &Admin| {
            let Some(needle) = &needle else { return true };
            let details = &admin.details;
            [Some(admin.email.key()), details.first_name.as_deref(), details.last_name.as_deref()]
                .into_iter()
                .flatten()
                .any(|field| field.to_lowercase().contains(needle.as_str()))
        };
        let all: Vec<Admin> = self.accounts.list_admins(&instance, home).await?.into_iter().filter(matches).collect();
        let Numbered { items, page, pages, results } = numbered.cut(all);
        Ok(AdminPage { items, page, pages, results })
    }

    /// Creates an administrator and e-mails its activation link, or, with a temporary password,
    /// creates it active and flagged to change that password at its first login (no mail). A
    /// mail failure does not undo the account: `welcome` sends the link again.
    pub async fn create(
        &self,
        caller: &Caller,
        instance: &str,
        holder: AdminHolder,
        input: AdminInput,
    ) -> Result<Admin, NodeError> {
        let email = Email::parse(&input.email)?;
        let details =
            AdminDetails::parse(input.first_name.as_deref(), input.last_name.as_deref(), input.mobile.as_deref())?;
        if let Some(password) = &input.temporary_password {
            check_password(password, Some(&email)).map_err(|err| err.renamed("temporaryPassword"))?;
        }
        let (instance, home) = self.holder(&caller.principal, instance, holder, AdminAction::Create).await?;
        let (token, password_hash) = match input.temporary_password {
            // Hashed once authorized: a refused caller costs no argon2 work.
            Some(password) => (None, Some(self.onboarding.passwords().hash(password).await?)),
            None => (Some(self.onboarding.token(TokenPurpose::Activation)), None),
        };
        let new = NewAdmin {
            instance,
            profile: Profile::of_level(holder.map(|(kind, _)| kind)),
            home,
            email,
            details,
            must_change_password: password_hash.is_some(),
            password_hash,
            token: token.as_ref().map(|(_, stored)| stored.clone()),
        };
        let change = caller.change("admin.create", home);
        let result = self
            .accounts
            .create_admin(new, &change)
            .await
            .map_err(|err| NodeError::from_create_admin(err, holder.map(|(kind, _)| kind)));
        let admin = self.refusals.check(&change, result).await?;
        if let Some((token, _)) = token {
            let letter = self.onboarding.letter(TokenPurpose::Activation, &admin.email, &token);
            self.onboarding.letters().send_in_background(letter);
        }
        Ok(admin)
    }

    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        holder: AdminHolder,
        username: &str,
        update: AdminUpdate,
    ) -> Result<Admin, NodeError> {
        let details =
            AdminDetails::parse(update.first_name.as_deref(), update.last_name.as_deref(), update.mobile.as_deref())?;
        let (instance, home) = self.holder(&caller.principal, instance, holder, AdminAction::Update).await?;
        let admin = self.member(&instance, home, username).await?;
        if !Email::lookup_keys(&update.email).iter().any(|key| key == admin.email.key()) {
            return Err(DomainError::invalid(
                "adminEmail",
                "must be the administrator's e-mail, which never changes (delete and create again instead)",
            )
            .into());
        }
        let reset = update.force_reset.then(|| self.onboarding.token(TokenPurpose::Reset));
        let changes = AdminChanges {
            first_name: details.first_name,
            last_name: details.last_name,
            mobile: details.mobile,
            reset: reset.as_ref().map(|(_, stored)| stored.clone()),
        };
        let change = caller.change("admin.update", home);
        let result = self.accounts.update_admin(admin.id, changes, &change).await.map_err(NodeError::from);
        let updated = self.refusals.check(&change, result).await?.ok_or(NodeError::AdminNotFound)?;
        if let Some((token, _)) = reset {
            let letter = self.onboarding.letter(TokenPurpose::Reset, &updated.email, &token);
            self.onboarding.letters().send_in_background(letter);
        }
        Ok(updated)
    }

    /// Deletes an administrator with its sessions; one that does not exist is already deleted.
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        holder: AdminHolder,
        username: &str,
    ) -> Result<(), NodeError> {
        let (instance, home) = self.holder(&caller.principal, instance, holder, AdminAction::Delete).await?;
        let admin = match self.member(&instance, home, username).await {
            Err(NodeError::AdminNotFound) => return Ok(()),
            other => other?,
        };
        // Deleting oneself could leave an instance with no administrator at all.
        if admin.id == caller.principal.admin {
            return Err(NodeError::CannotDeleteSelf);
        }
        let change = caller.change("admin.delete", home);
        let result = self.accounts.delete_admin(admin.id, &change).await.map_err(NodeError::from);
        self.refusals.check(&change, result).await?;
        Ok(())
    }

    /// Sends a fresh activation link (earlier ones stop working). Unlike creation, the client
    /// asked for the message itself, so a mail failure is its answer.
    pub async fn welcome(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        email: &str,
    ) -> Result<(), NodeError> {
        let (instance, home) = self.holder(caller, instance, holder, AdminAction::Welcome).await?;
        let admin = self.member(&instance, home, email).await?;
        let (token, stored) = self.onboarding.token(TokenPurpose::Activation);
        if !self.accounts.issue_token(admin.id, stored).await? {
            return Err(NodeError::AdminNotFound);
        }
        let letter = self.onboarding.letter(TokenPurpose::Activation, &admin.email, &token);
        self.onboarding.letters().send(letter).await.map_err(|err| NodeError::MailUnavailable(err.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::{Letters, Outbox};
    use crate::testing::unit::{acting, caller, tenant_outside};
    use crate::{AuthSettings, ManualClock};
    use canopy_storage::{MockAccountStore, MockNodeStore};

    fn service(nodes: MockNodeStore, accounts: MockAccountStore) -> AdminService {
        let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
        let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
        let onboarding = Onboarding::new(Arc::new(ManualClock::default()), letters, AuthSettings::default());
        AdminService::new(Arc::new(nodes), Arc::new(accounts), instances, onboarding)
    }

    fn input(email: &str) -> AdminInput {
        AdminInput { email: email.into(), ..Default::default() }
    }

    #[tokio::test]
    async fn a_missing_permission_is_refused_before_any_store_call() {
        // Mocks without expectations panic on any call.
        let service = service(MockNodeStore::new(), MockAccountStore::new());
        let tenant_admin = caller(Profile::TenantAdmin, Some(3));
        let group = Some((NodeKind::Group, Uuid::from_u128(1)));
        let err = service.create(&acting(&tenant_admin), "default", group, input("x@example.com")).await.unwrap_err();
        assert!(matches!(err, NodeError::Forbidden(Permission::Admins(Some(NodeKind::Group), AdminAction::Create))));
        let err = service.list(&tenant_admin, "default", None, None, None, None).await.unwrap_err();
        assert!(matches!(err, NodeError::Forbidden(Permission::Admins(None, AdminAction::List))), "{err:?}");
        let err =
            service.delete(&acting(&caller(Profile::GroupAdmin, Some(1))), "default", None, "a@b.c").await.unwrap_err();
        assert!(matches!(err, NodeError::Forbidden(_)), "{err:?}");
    }

    #[tokio::test]
    async fn invalid_input_is_refused_before_any_store_call() {
        let service = service(MockNodeStore::new(), MockAccountStore::new());
        let root = caller(Profile::SystemAdmin, None);
        for bad in [input("not an address"), AdminInput { mobile: Some("x".into()), ..input("a@b.c") }] {
            let err = service.create(&acting(&root), "default", None, bad).await.unwrap_err();
            assert!(matches!(err, NodeError::Invalid(_)), "{err:?}");
        }
        let weak = AdminInput { temporary_password: Some("short".into()), ..input("a@b.c") };
        let err = service.create(&acting(&root), "default", None, weak).await.unwrap_err();
        assert!(matches!(&err, NodeError::Invalid(e) if e.field() == Some("temporaryPassword")), "{err:?}");
        let shown =
            format!("{:?}", AdminInput { temporary_password: Some("Secret-Temporary-1".into()), ..input("a@b.c") });
        assert!(!shown.contains("Secret-Temporary-1"), "{shown}");
    }

    #[tokio::test]
    async fn a_node_outside_the_subtree_is_not_found_and_its_administrators_untouched() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
        let mut accounts = MockAccountStore::new();
        accounts.expect_create_admin().never();
        accounts.expect_list_admins().never();
        let service = service(nodes, accounts);
        let other_group_admin = caller(Profile::GroupAdmin, Some(1));
        let tenant = Some((NodeKind::Tenant, Uuid::from_u128(9)));
        let err =
            service.create(&acting(&other_group_admin), "default", tenant, input("x@example.com")).await.unwrap_err();
        assert!(matches!(err, NodeError::NotFound(NodeKind::Tenant)), "{err:?}");
        let err = service.list(&other_group_admin, "default", tenant, None, None, None).await.unwrap_err();
        assert!(matches!(err, NodeError::NotFound(NodeKind::Tenant)), "{err:?}");
    }
}
