//! What can go wrong in the services, in terms a client can act on: [`AppError`] for every
//! service (the hierarchy, its administrators, what its nodes own, voice routing, the audit log),
//! [`AuthError`] for logins, sessions and one-time tokens.

use canopy_domain::{
    ChildCounts, Denied, DomainError, NodeKind, Permission, Referrer, UserGroupId, VersionMismatch, VoiceId, VoiceKind,
};
use canopy_storage::{
    CreateAdminError, CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError, VersionedWriteError,
    WriteOwnedError,
};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("no such instance")]
    InstanceNotFound,
    #[error("no {} with this uuid", .0.noun())]
    NotFound(NodeKind),
    /// A client value breaks a domain rule.
    #[error(transparent)]
    Invalid(#[from] DomainError),
    /// Of a node of this kind (the name is its `groupId` for a site group).
    #[error("a sibling already has this name")]
    DuplicateName(NodeKind),
    #[error("a tenant of this instance already has this tenant id")]
    DuplicateTenantId,
    #[error("a user of this instance already has this user id")]
    DuplicateUserId,
    #[error("the {} still has children", kind.noun())]
    NotEmpty { kind: NodeKind, children: ChildCounts },
    /// The caller's profile lacks the permission. Decided before anything is looked up, so it
    /// says nothing about what exists.
    #[error("this account lacks the permission {0}")]
    Forbidden(Permission),
    #[error("no administrator with this e-mail here")]
    AdminNotFound,
    /// The address sent as the field named (`adminEmail`, a user's `email`).
    #[error("an account of this instance already has this e-mail")]
    DuplicateEmail(&'static str),
    #[error("an administrator cannot delete itself")]
    CannotDeleteSelf,
    #[error("this node has no rate plan of this name")]
    RatePlanNotFound,
    /// The portal's brand of a group, which neither it nor an ancestor (`effective`) has.
    #[error("this group has no brand of its own: enable one with POST first")]
    BrandNotFound,
    #[error("this group has no logo: upload one first")]
    LogoNotFound,
    #[error("the rate plan has no such destination: define it first")]
    UnknownDestination,
    /// The client's version (`If-Match`, `?version=`) is no longer the stored one: nothing
    /// changed. The spec's words and status (426).
    #[error("Version mismatch")]
    VersionMismatch(VersionMismatch),
    /// The user holds no such authorization code (never named: codes are secrets).
    #[error("the user has no such authorization code")]
    CodeNotFound,
    #[error("no {0} with this id in the group")]
    VoiceNotFound(VoiceKind),
    #[error("another {0} of the group already has this name")]
    DuplicateVoiceName(VoiceKind),
    #[error("not pstn usages of this group: {}", ids(.0))]
    UnknownUsages(Vec<VoiceId>),
    #[error("the pstn usage is still linked: unlink it from its voice routes and voice routing policies first")]
    UsageInUse(Vec<Referrer>),
    #[error("no user group with id {0} in the tenant")]
    UserGroupNotFound(UserGroupId),
    #[error("a group with name {0} already exists")]
    DuplicateUserGroupName(String),
    /// Permissions the tenant does not define, by name, sorted.
    #[error("unknown permissions: {}", .0.join(", "))]
    UnknownPermissions(Vec<String>),
    #[error("the mail server is unavailable")]
    MailUnavailable(String),
    /// A lock on a node of the caller's lineage (or on its own node, held above it) refuses its
    /// writes, or an unlock asked below the lock's holder. Never names the holder, which may lie
    /// outside the caller's subtree.
    #[error("this part of the tree is locked: changes wait until an administrator above unlocks it")]
    TreeLocked,
    #[error("the store is unavailable")]
    Unavailable(String),
    #[error(transparent)]
    Internal(anyhow::Error),
}

fn ids(ids: &[VoiceId]) -> String {
    ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Unavailable(reason) => Self::Unavailable(reason),
            StoreError::Backend(source) => Self::Internal(anyhow::Error::from_boxed(source)),
            StoreError::TreeLocked => Self::TreeLocked,
        }
    }
}

impl From<VersionMismatch> for AppError {
    fn from(mismatch: VersionMismatch) -> Self {
        Self::VersionMismatch(mismatch)
    }
}

impl From<VersionedWriteError> for AppError {
    fn from(err: VersionedWriteError) -> Self {
        match err {
            VersionedWriteError::VersionMismatch(mismatch) => mismatch.into(),
            VersionedWriteError::Store(err) => err.into(),
        }
    }
}

impl From<Denied> for AppError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::Forbidden(permission) => Self::Forbidden(permission),
            Denied::OtherInstance => Self::InstanceNotFound,
        }
    }
}

impl AppError {
    /// An administrator's home vanished: answered as its node not being found.
    pub(crate) fn from_create_admin(err: CreateAdminError, home: Option<NodeKind>) -> Self {
        match err {
            CreateAdminError::HomeNotFound => home.map_or(Self::InstanceNotFound, Self::NotFound),
            CreateAdminError::DuplicateEmail => Self::DuplicateEmail("adminEmail"),
            CreateAdminError::Store(err) => err.into(),
        }
    }

    /// A node of `kind` refused by the store; a parent gone is not found.
    pub(crate) fn from_create(err: CreateNodeError, kind: NodeKind, parent_kind: Option<NodeKind>) -> Self {
        match err {
            CreateNodeError::ParentNotFound => Self::NotFound(parent_kind.unwrap_or(NodeKind::Group)),
            CreateNodeError::DuplicateName => Self::DuplicateName(kind),
            CreateNodeError::DuplicateTenantId => Self::DuplicateTenantId,
            CreateNodeError::DuplicateUserId => Self::DuplicateUserId,
            CreateNodeError::DuplicateEmail => Self::DuplicateEmail(Self::email_field(kind)),
            CreateNodeError::Invalid(refused) => Self::Invalid(refused),
            CreateNodeError::Store(err) => err.into(),
        }
    }

    /// The field a node of `kind` sends its account's address in: a group's `adminEmail`, a
    /// user's `email`.
    fn email_field(kind: NodeKind) -> &'static str {
        if kind == NodeKind::Group { "adminEmail" } else { "email" }
    }

    pub(crate) fn from_update(err: UpdateNodeError, kind: NodeKind) -> Self {
        match err {
            UpdateNodeError::NotFound => Self::NotFound(kind),
            UpdateNodeError::DuplicateName => Self::DuplicateName(kind),
            UpdateNodeError::DuplicateTenantId => Self::DuplicateTenantId,
            UpdateNodeError::DuplicateUserId => Self::DuplicateUserId,
            UpdateNodeError::DuplicateEmail => Self::DuplicateEmail(Self::email_field(kind)),
            UpdateNodeError::Invalid(refused) => Self::Invalid(refused),
            UpdateNodeError::VersionMismatch(mismatch) => mismatch.into(),
            UpdateNodeError::Store(err) => err.into(),
        }
    }

    /// A write of what a node owns (branding, UCs, a rate plan's destination); a node deleted
    /// between the gate and the write is not found, like one that never was.
    pub(crate) fn from_owned(err: WriteOwnedError, kind: NodeKind) -> Self {
        match err {
            WriteOwnedError::NodeNotFound => Self::NotFound(kind),
            WriteOwnedError::VersionMismatch(mismatch) => mismatch.into(),
            WriteOwnedError::Store(err) => err.into(),
        }
    }

    pub(crate) fn from_delete(err: DeleteNodeError, kind: NodeKind) -> Self {
        match err {
            DeleteNodeError::NotEmpty(children) => Self::NotEmpty { kind, children },
            DeleteNodeError::VersionMismatch(mismatch) => mismatch.into(),
            DeleteNodeError::Store(err) => err.into(),
        }
    }
}

/// Why a login, a session or a one-time token is refused.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("authentication required: send Authorization: Bearer <token>")]
    MissingToken,
    #[error("the bearer token is invalid, expired or revoked")]
    InvalidToken,
    /// Unknown e-mail, wrong password and not-yet-activated account answer alike.
    #[error("wrong e-mail or password")]
    InvalidCredentials,
    #[error("too many failed logins: the account is locked for {retry_after_secs} s")]
    Locked { retry_after_secs: u64 },
    /// A logon IP list of the account does not admit the client's address.
    #[error("logins to this account are not allowed from this address")]
    AddressRefused { client_ip: Option<String> },
    /// A node on the account's lineage is disabled (the portal's `status`): no login, no session.
    #[error("this account is disabled: a node it belongs to is disabled")]
    AccountDisabled,
    #[error("the link is invalid, expired or already used")]
    InvalidOneTimeToken,
    /// The account's password is a temporary one: its session may only change it (or end).
    #[error("this account must change its password first: POST /api/v01/auth/password")]
    PasswordChangeRequired,
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<DomainError> for AuthError {
    fn from(err: DomainError) -> Self {
        Self::App(err.into())
    }
}

impl From<StoreError> for AuthError {
    fn from(err: StoreError) -> Self {
        Self::App(err.into())
    }
}
