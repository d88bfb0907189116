//! The administrators of a node (or of the instance): list, create, change, delete, and send
//! the welcome message again; and the first system administrator of each instance (`bootstrap`).

mod bootstrap;

pub use bootstrap::{Bootstrap, Bootstrapped};

use crate::audit::Refusals;
use crate::auth::{AccountPlan, Onboarding};
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::instances::Instances;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    Admin, AdminAction, AdminDetails, AdminId, AdminScope, Change, Denied, DomainError, Email, InstanceSlug,
    ListParams, Listed, NodeId, NodeKind, NodeRef, NodeSearch, PageRequest, Permission, Principal, Profile, TokenKey,
    TokenPurpose, admin_levels, check_password,
};
use canopy_storage::{AccountStore, AdminChanges, AdminStore, Located, NodeStore};
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
    /// Holds its profile's reading permissions only.
    pub read_only: bool,
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
    /// Makes the administrator read-only or not; `None` keeps it.
    pub read_only: Option<bool>,
}

/// Where administrators belong: `None` the instance (system administrators), or a node.
pub type AdminHolder = Option<(NodeKind, Uuid)>;

pub struct AdminService {
    writes: Writes,
    admins: Arc<dyn AdminStore>,
    /// The administrators' credentials: `welcome` issues a new activation token.
    accounts: Arc<dyn AccountStore>,
    onboarding: Onboarding,
    /// Signs and opens the lists' `next` tokens.
    key: TokenKey,
}

impl AdminService {
    pub fn new(
        nodes: Arc<dyn NodeStore>,
        admins: Arc<dyn AdminStore>,
        accounts: Arc<dyn AccountStore>,
        instances: Instances,
        key: TokenKey,
        onboarding: Onboarding,
    ) -> Self {
        Self { writes: Writes::new(Gate::new(nodes, instances)), admins, accounts, onboarding, key }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// Its changes end the cached sessions they may end or alter.
    pub(crate) fn ending_sessions(self, sessions: std::sync::Arc<crate::auth::SessionCache>) -> Self {
        Self { writes: self.writes.ending_sessions(sessions), ..self }
    }

    /// Where a write of the holder's administrators goes, and the permission it needs.
    fn target(holder: AdminHolder, action: AdminAction) -> (Target, Permission) {
        let permission = Permission::Admins(holder.map(|(kind, _)| kind), action);
        (holder.map_or(Target::Instance, |(kind, id)| Target::Node(kind, id.into())), permission)
    }

    /// Authorizes `action` on the holder's administrators: the permission first (no store call),
    /// then, for a node, that it exists in the caller's subtree. Outside it answers as absent.
    async fn holder(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        action: AdminAction,
    ) -> Result<(InstanceSlug, Option<NodeId>), AppError> {
        let permission = Permission::Admins(holder.map(|(kind, _)| kind), action);
        match holder {
            None => Ok((self.writes.gate().instance(caller, instance, permission)?, None)),
            Some((kind, id)) => {
                let (instance, view) = self.writes.gate().node(caller, instance, kind, id, permission).await?;
                Ok((instance, Some(view.node.id)))
            }
        }
    }

    /// The administrators of the caller's subtree whose e-mail starts with `prefix` (or is it,
    /// `strict`), at most `limit`, in e-mail order: those of the levels whose administrators the
    /// caller may list (the portal's `GET /groups?prefix`, which finds administrators too).
    pub async fn search(
        &self,
        caller: &Principal,
        instance: &str,
        prefix: &str,
        strict: bool,
        limit: Option<u64>,
    ) -> Result<Vec<Admin>, AppError> {
        let may_list = |level| caller.grants(Permission::Admins(level, AdminAction::List));
        // A caller who may list no level's administrators finds none (its groups may still be found).
        let Some(level) = admin_levels().find(|level| may_list(*level)) else {
            return Ok(Vec::new());
        };
        let instance = self.writes.gate().instance(caller, instance, Permission::Admins(level, AdminAction::List))?;
        let search = NodeSearch::parse(instance, caller.subtree(), prefix, strict, limit)?;
        let found = self.admins.search_admins(&search).await?;
        Ok(found.into_iter().filter(|admin| may_list(admin.profile.level())).collect())
    }

    /// The administrator `username` of this holder; one of another holder is not found. The
    /// address is looked up as normalised, then as stored before normalisation existed, so an
    /// account whose address predates the rule is still found.
    async fn member(&self, instance: &InstanceSlug, home: Option<NodeId>, username: &str) -> Result<Admin, AppError> {
        for key in Email::lookup_keys(username) {
            if let Some(admin) = self.admins.find_admin(instance, &key).await? {
                return Some(admin).filter(|admin| admin.home == home).ok_or(AppError::AdminNotFound);
            }
        }
        Err(AppError::AdminNotFound)
    }

    /// The administrator with this integer id, where the caller reaches its home (a system
    /// administrator's: system administrators only) and may list that level's administrators;
    /// with its holder, by which the other methods name it. An end user's account is no
    /// administrator. Anything else is not found.
    pub async fn by_id(
        &self,
        caller: &Principal,
        instance: &str,
        id: AdminId,
    ) -> Result<(AdminHolder, Admin), AppError> {
        let slug = self.writes.gate().instances().resolve(instance)?;
        if caller.instance != slug {
            return Err(Denied::OtherInstance.into());
        }
        let admin = self.admins.get_admin(&slug, id).await?.filter(|admin| admin.profile != Profile::EndUser);
        let admin = admin.ok_or(AppError::AdminNotFound)?;
        let holder = match admin.home {
            None if caller.subtree().is_none() => None,
            None => return Err(AppError::AdminNotFound),
            Some(home) => match self.writes.gate().locate(caller, instance, NodeRef::from(home)).await {
                Ok(Located::Node { view, .. }) => Some((view.node.kind, home.0)),
                Ok(Located::Instance) | Err(AppError::NotFound(_)) => return Err(AppError::AdminNotFound),
                Err(other) => return Err(other),
            },
        };
        caller.authorize(&slug, Permission::Admins(holder.map(|(kind, _)| kind), AdminAction::List))?;
        Ok((holder, admin))
    }

    /// One page of the administrators of a node (or the system administrators), as every list
    /// of the one stack: searched over the e-mail and the names, sorted by e-mail, continued by
    /// `next` tokens bound to the holder.
    pub async fn list(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        params: ListParams,
    ) -> Result<Listed<Admin>, AppError> {
        let (instance, home) = self.holder(caller, instance, holder, AdminAction::List).await?;
        let request = PageRequest::resolve(AdminScope { instance, home }, params, &self.key)?;
        let page = self.admins.page_admins(&request).await?;
        Ok(request.listed(page, &self.key))
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
    ) -> Result<Admin, AppError> {
        let (target, permission) = Self::target(holder, AdminAction::Create);
        let parse = || {
            let email = Email::parse(&input.email)?;
            let details =
                AdminDetails::parse(input.first_name.as_deref(), input.last_name.as_deref(), input.mobile.as_deref())?;
            if let Some(password) = &input.temporary_password {
                check_password(password, Some(&email)).map_err(|err| err.renamed("temporaryPassword"))?;
            }
            Ok((email, details))
        };
        let mut link = None;
        let create = async |at: &Reached, (email, details), change: &Change| {
            let plan = AccountPlan {
                instance: at.instance.clone(),
                profile: Profile::of_level(holder.map(|(kind, _)| kind)),
                home: at.id,
                email,
                details,
                temporary_password: input.temporary_password.clone(),
                read_only: input.read_only,
            };
            let (new, token) = self.onboarding.account(plan).await?;
            let created = self.admins.create_admin(new, change).await;
            let admin = created.map_err(|err| AppError::from_create_admin(err, holder.map(|(kind, _)| kind)))?;
            link = token;
            Ok(admin)
        };
        let admin = self.writes.run(caller, instance, target, permission, "admin.create", parse, create).await?;
        if let Some(token) = link {
            self.onboarding.invite(&admin.email, &token);
        }
        Ok(admin)
    }

    /// Changes an administrator's details (its e-mail never changes), or forces a password reset.
    pub async fn update(
        &self,
        caller: &Caller,
        instance: &str,
        holder: AdminHolder,
        username: &str,
        update: AdminUpdate,
    ) -> Result<Admin, AppError> {
        let (target, permission) = Self::target(holder, AdminAction::Update);
        let parse = || {
            let details = AdminDetails::parse(
                update.first_name.as_deref(),
                update.last_name.as_deref(),
                update.mobile.as_deref(),
            )?;
            // The body names the administrator of the path (a path that names no address names no
            // administrator: not found, below), as normalised or as stored before normalisation.
            let path = Email::lookup_keys(username);
            if !path.is_empty() && !Email::lookup_keys(&update.email).iter().any(|key| path.contains(key)) {
                return Err(DomainError::invalid(
                    "adminEmail",
                    "must be the administrator's e-mail, which never changes (delete and create again instead)",
                ));
            }
            Ok(details)
        };
        let reset = update.force_reset.then(|| self.onboarding.token(TokenPurpose::Reset));
        let apply = async |at: &Reached, details: AdminDetails, change: &Change| {
            let admin = self.member(&at.instance, at.id, username).await?;
            let changes = AdminChanges {
                first_name: details.first_name,
                last_name: details.last_name,
                mobile: details.mobile,
                read_only: update.read_only,
                reset: reset.as_ref().map(|(_, stored)| stored.clone()),
            };
            self.admins.update_admin(admin.id, changes, change).await?.ok_or(AppError::AdminNotFound)
        };
        let updated = self.writes.run(caller, instance, target, permission, "admin.update", parse, apply).await?;
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
    ) -> Result<(), AppError> {
        let (target, permission) = Self::target(holder, AdminAction::Delete);
        let delete = async |at: &Reached, (), change: &Change| {
            let admin = match self.member(&at.instance, at.id, username).await {
                Err(AppError::AdminNotFound) => return Ok(()),
                other => other?,
            };
            // Deleting oneself could leave an instance with no administrator at all.
            if admin.id == caller.principal.admin {
                return Err(AppError::CannotDeleteSelf);
            }
            self.admins.delete_admin(admin.id, change).await.map(drop).map_err(AppError::from)
        };
        self.writes.run(caller, instance, target, permission, "admin.delete", || Ok(()), delete).await
    }

    /// Sends a fresh activation link (earlier ones stop working). Unlike creation, the client
    /// asked for the message itself, so a mail failure is its answer.
    pub async fn welcome(
        &self,
        caller: &Principal,
        instance: &str,
        holder: AdminHolder,
        email: &str,
    ) -> Result<(), AppError> {
        let (instance, home) = self.holder(caller, instance, holder, AdminAction::Welcome).await?;
        let admin = self.member(&instance, home, email).await?;
        let (token, stored) = self.onboarding.token(TokenPurpose::Activation);
        if !self.accounts.issue_token(admin.id, stored).await? {
            return Err(AppError::AdminNotFound);
        }
        let letter = self.onboarding.letter(TokenPurpose::Activation, &admin.email, &token);
        self.onboarding.letters().send(letter).await.map_err(|err| AppError::MailUnavailable(err.to_string()))
    }
}

#[cfg(test)]
mod tests;
