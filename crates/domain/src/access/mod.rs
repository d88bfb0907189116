//! Who may do what: administrator profiles, the permissions the spec names per endpoint, and
//! the subtree an administrator reaches.
//!
//! A profile belongs to one level: the instance (system administrators) or a node kind. The
//! mapping from profile to permissions is a rule over the hierarchy order, so it stays right as
//! kinds and routes are added:
//! * a system administrator holds every permission;
//! * a node administrator reads, lists and manages the administrators of its own kind and of
//!   every kind below it, and creates, changes and deletes only nodes of the kinds below it
//!   (a tenant administrator cannot rename or delete its own tenant);
//! * permissions over the instance itself (creating groups, system administrators) are the
//!   system's only;
//! * what a tenant owns for everyone below it (its user groups and custom permissions) is read by
//!   every administrator, those below the tenant included, and changed by the tenant's level and
//!   the levels above;
//! * an end user (a user's own account) is no administrator: it reads its own user, nothing else;
//! * locking a subtree is the platform's: the system's and the partner levels' (groups,
//!   distributors, resellers: the portal's `root_admin` and `partner_admin`), on their own node
//!   and below.
//!
//! What a permission reaches is then limited to the administrator's subtree ([`Principal::reaches`]).

use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::node::{Node, NodeId, NodeKind};
use std::fmt;

/// The level an administrator or an administrators' collection belongs to: `None` is the
/// instance (system level), `Some(kind)` a node of that kind.
pub type Level = Option<NodeKind>;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Profile {
    SystemAdmin,
    GroupAdmin,
    DistributorAdmin,
    ResellerAdmin,
    TenantAdmin,
    SiteGroupAdmin,
    /// A user's own account: logs in, reads its user, changes its password.
    EndUser,
}

impl Profile {
    pub const ALL: [Profile; 7] = [
        Self::SystemAdmin,
        Self::GroupAdmin,
        Self::DistributorAdmin,
        Self::ResellerAdmin,
        Self::TenantAdmin,
        Self::SiteGroupAdmin,
        Self::EndUser,
    ];

    /// The profile of an administrator of a level.
    pub fn of_level(level: Level) -> Self {
        match level {
            None => Self::SystemAdmin,
            Some(NodeKind::Group) => Self::GroupAdmin,
            Some(NodeKind::Distributor) => Self::DistributorAdmin,
            Some(NodeKind::Reseller) => Self::ResellerAdmin,
            Some(NodeKind::Tenant) => Self::TenantAdmin,
            Some(NodeKind::SiteGroup) => Self::SiteGroupAdmin,
            Some(NodeKind::User) => Self::EndUser,
        }
    }

    pub fn level(self) -> Level {
        match self {
            Self::SystemAdmin => None,
            Self::GroupAdmin => Some(NodeKind::Group),
            Self::DistributorAdmin => Some(NodeKind::Distributor),
            Self::ResellerAdmin => Some(NodeKind::Reseller),
            Self::TenantAdmin => Some(NodeKind::Tenant),
            Self::SiteGroupAdmin => Some(NodeKind::SiteGroup),
            Self::EndUser => Some(NodeKind::User),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::SystemAdmin => "system_admin",
            Self::GroupAdmin => "group_admin",
            Self::DistributorAdmin => "distributor_admin",
            Self::ResellerAdmin => "reseller_admin",
            Self::TenantAdmin => "tenant_admin",
            Self::SiteGroupAdmin => "site_group_admin",
            Self::EndUser => "end_user",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw)
    }

    /// Whether this profile holds `permission` (see the module documentation for the rule).
    pub fn grants(self, permission: Permission) -> bool {
        if !permission.exists() {
            return false;
        }
        let Some(own) = self.level() else { return true };
        if self == Self::EndUser {
            // Its own user, and (APIO: "minimum End User") its own authorization codes.
            let own_codes = |verb| permission == Permission::Owned(NodeKind::User, Owned::AuthCodes, verb);
            return permission == Permission::Read(NodeKind::User) || own_codes(Verb::List) || own_codes(Verb::Read);
        }
        match permission {
            // Every profile reads the audit log; the store cuts it to the caller's subtree.
            Permission::RulesRead | Permission::AuditList => true,
            // The instance's own documents are the system's: nodes only inherit them.
            Permission::InstanceBranding(..) | Permission::InstanceDomains(_) => false,
            // Lists of the own kind only ever show the own node (lists are cut to the subtree).
            Permission::List(kind) | Permission::Read(kind) => kind >= own,
            Permission::Create(kind) | Permission::Update(kind) | Permission::Delete(kind) => kind > own,
            Permission::Admins(level, _) => level.is_some_and(|kind| kind >= own),
            // The partner levels sit above tenants; a tenant's administrators lock nothing.
            Permission::Lock(kind) => own < NodeKind::Tenant && kind >= own,
            Permission::Owned(kind, owned, verb) => match verb {
                Verb::List | Verb::Read => kind >= own || owned.read_from_below(),
                Verb::Create | Verb::Update | Verb::Delete if owned.self_service() => kind >= own,
                Verb::Create | Verb::Update | Verb::Delete => kind > own,
            },
        }
    }

    /// Every permission this profile holds, in [`Permission::all`] order.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::all().into_iter().filter(|p| self.grants(*p)).collect()
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What can be done to an administrators' collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AdminAction {
    List,
    Create,
    Update,
    Delete,
    /// Send the welcome (activation) e-mail again.
    Welcome,
}

impl AdminAction {
    pub const ALL: [AdminAction; 5] = [Self::List, Self::Create, Self::Update, Self::Delete, Self::Welcome];
}

/// The branding documents of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BrandingDoc {
    General,
    Pages,
    Styling,
}

impl BrandingDoc {
    pub const ALL: [BrandingDoc; 3] = [Self::General, Self::Pages, Self::Styling];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Pages => "pages",
            Self::Styling => "styling",
        }
    }
}

/// What a node owns beside its children and administrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owned {
    /// `configurations.general`: key/value configuration, secrets masked.
    GeneralConfig,
    /// `configurations.branding.{general|pages|styling}`
    Branding(BrandingDoc),
    /// `enabled_ucs`: the UC platforms enabled for the node.
    EnabledUcs,
    /// `rate_plans`: prices per destination.
    RatePlans,
    /// `configurations.voice_routing.pstn_usages` (groups only)
    PstnUsages,
    /// `configurations.voice_routing.voice_routes` (groups only)
    VoiceRoutes,
    /// `configurations.voice_routing.voice_routing_policies` (groups only)
    VoiceRoutingPolicies,
    /// `auth_codes`: a user's outgoing call barring authorization codes (the APIO face, users
    /// only). Read from the end user up, changed from the site group administrator up.
    AuthCodes,
    /// `domains`: the DNS domains assigned to a tenant (the APIO face's domain registry), which
    /// its site groups' `defaultDomain` must be one of. Assigned from the levels above.
    Domains,
    /// `user_groups`: a tenant's user groups and the permissions they set (the sipXconfig face).
    UserGroups,
    /// `custom_permissions`: the permissions a tenant defines for its user groups.
    CustomPermissions,
}

impl Owned {
    pub fn all() -> Vec<Owned> {
        let mut all = vec![Self::GeneralConfig];
        all.extend(BrandingDoc::ALL.map(Self::Branding));
        all.extend([
            Self::EnabledUcs,
            Self::RatePlans,
            Self::PstnUsages,
            Self::VoiceRoutes,
            Self::VoiceRoutingPolicies,
            Self::AuthCodes,
            Self::Domains,
            Self::UserGroups,
            Self::CustomPermissions,
        ]);
        all
    }

    /// The permission path below `{kinds}.instance.`.
    pub fn path(self) -> String {
        match self {
            Self::GeneralConfig => "configurations.general".to_owned(),
            Self::Branding(doc) => format!("configurations.branding.{}", doc.as_str()),
            Self::EnabledUcs => "enabled_ucs".to_owned(),
            Self::RatePlans => "rate_plans".to_owned(),
            Self::PstnUsages => "configurations.voice_routing.pstn_usages".to_owned(),
            Self::VoiceRoutes => "configurations.voice_routing.voice_routes".to_owned(),
            Self::VoiceRoutingPolicies => "configurations.voice_routing.voice_routing_policies".to_owned(),
            Self::AuthCodes => "auth_codes".to_owned(),
            Self::Domains => "domains".to_owned(),
            Self::UserGroups => "user_groups".to_owned(),
            Self::CustomPermissions => "custom_permissions".to_owned(),
        }
    }

    /// Collections of identified items (`…/{id}`) spell item verbs `instance.update`, as the spec does.
    fn is_collection(self) -> bool {
        matches!(
            self,
            Self::RatePlans
                | Self::PstnUsages
                | Self::VoiceRoutes
                | Self::VoiceRoutingPolicies
                | Self::UserGroups
                | Self::CustomPermissions
                | Self::AuthCodes
        )
    }

    /// Whether the levels below its node read it too: what a tenant defines for everyone in it
    /// (its user groups and custom permissions). Who reaches it from below is
    /// [`Principal::reads_from_below`]'s to say.
    pub fn read_from_below(self) -> bool {
        matches!(self, Self::UserGroups | Self::CustomPermissions)
    }

    /// Whether a node's own administrators change it (configuration, branding, voice routing);
    /// otherwise only the levels above do (enabled UCs and prices are the platform's to give).
    fn self_service(self) -> bool {
        !matches!(self, Self::EnabledUcs | Self::RatePlans | Self::AuthCodes | Self::Domains)
    }

    /// The kinds that own it: voice routing belongs to groups only, enabled UCs and rate plans to
    /// the platform's levels (groups to tenants), configuration and branding to every kind that
    /// has administrators (users have neither).
    pub fn kinds(self) -> &'static [NodeKind] {
        use NodeKind::*;
        match self {
            Self::PstnUsages | Self::VoiceRoutes | Self::VoiceRoutingPolicies => &[Group],
            Self::UserGroups | Self::CustomPermissions => &[Tenant],
            Self::EnabledUcs | Self::RatePlans => &[Group, Distributor, Reseller, Tenant],
            Self::GeneralConfig | Self::Branding(_) => &[Group, Distributor, Reseller, Tenant, SiteGroup],
            Self::AuthCodes => &[User],
            Self::Domains => &[Tenant],
        }
    }

    /// The verbs it has.
    pub fn verbs(self) -> &'static [Verb] {
        match self {
            Self::GeneralConfig => &[Verb::List, Verb::Create, Verb::Update, Verb::Delete],
            Self::Branding(_) => &[Verb::List, Verb::Update, Verb::Delete],
            Self::EnabledUcs => &[Verb::List, Verb::Update],
            Self::RatePlans => &[Verb::List, Verb::Read, Verb::Update],
            Self::PstnUsages | Self::VoiceRoutes | Self::VoiceRoutingPolicies | Self::UserGroups => {
                &[Verb::List, Verb::Create, Verb::Read, Verb::Update, Verb::Delete]
            }
            Self::AuthCodes => &[Verb::List, Verb::Create, Verb::Read, Verb::Delete],
            Self::Domains => &[Verb::List, Verb::Create],
            Self::CustomPermissions => &[Verb::List, Verb::Create, Verb::Delete],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verb {
    List,
    Read,
    Create,
    Update,
    Delete,
}

/// A permission, written as the spec writes them (`groups.list`, `groups.instance.read`,
/// `groups.instance.admins.create`, ...): see [`Permission`]'s `Display`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// `logic.rules.read`
    RulesRead,
    /// `audit.list`: the audit log of the instance, cut to the caller's subtree.
    AuditList,
    /// `{kinds}.list`: a list of nodes of this kind (the instance's groups, or a parent's children).
    List(NodeKind),
    /// `{kinds}.create`
    Create(NodeKind),
    /// `{kinds}.instance.read`
    Read(NodeKind),
    /// `{kinds}.instance.update`
    Update(NodeKind),
    /// `{kinds}.instance.delete`
    Delete(NodeKind),
    /// `{kinds}.instance.admins.{action}`, or `admins.{action}` at the system level.
    Admins(Level, AdminAction),
    /// `{kinds}.instance.{owned path}.{verb}`, e.g. `groups.instance.configurations.general.list`,
    /// `groups.instance.configurations.voice_routing.pstn_usages.instance.update`,
    /// `groups.instance.rate_plans.instance.read`.
    Owned(NodeKind, Owned, Verb),
    /// `configurations.branding.{general|pages|styling}.{list|update|delete}`: the instance's
    /// default branding documents, which every node inherits last (system level, like `admins.*`).
    InstanceBranding(BrandingDoc, Verb),
    /// `domains.{list|create}`: the instance's DNS domains (the APIO face's domain registry;
    /// system level, like `admins.*`).
    InstanceDomains(Verb),
    /// `{kinds}.instance.lock.update`: lock or unlock a node's subtree (`crate::tree_lock`), for
    /// the kinds that have administrators (whom a lock binds).
    Lock(NodeKind),
}

impl Permission {
    /// Every permission there is.
    pub fn all() -> Vec<Permission> {
        let mut all = vec![Self::RulesRead, Self::AuditList];
        for kind in NodeKind::ALL {
            all.extend([
                Self::List(kind),
                Self::Create(kind),
                Self::Read(kind),
                Self::Update(kind),
                Self::Delete(kind),
            ]);
        }
        for level in admin_levels() {
            all.extend(AdminAction::ALL.map(|action| Self::Admins(level, action)));
        }
        for owned in Owned::all() {
            for kind in owned.kinds() {
                all.extend(owned.verbs().iter().map(|verb| Self::Owned(*kind, owned, *verb)));
            }
        }
        for doc in BrandingDoc::ALL {
            all.extend(Owned::Branding(doc).verbs().iter().map(|verb| Self::InstanceBranding(doc, *verb)));
        }
        all.extend([Self::InstanceDomains(Verb::List), Self::InstanceDomains(Verb::Create)]);
        all.extend(NodeKind::ALL.into_iter().filter(|kind| kind.has_admins()).map(Self::Lock));
        all
    }
}

impl Permission {
    /// Whether the permission only reads (lists or reads): all a read-only administrator holds.
    pub fn reads(self) -> bool {
        match self {
            Self::RulesRead | Self::AuditList | Self::List(_) | Self::Read(_) => true,
            Self::Admins(_, action) => action == AdminAction::List,
            Self::Owned(_, _, verb) | Self::InstanceBranding(_, verb) | Self::InstanceDomains(verb) => {
                matches!(verb, Verb::List | Verb::Read)
            }
            Self::Create(_) | Self::Update(_) | Self::Delete(_) | Self::Lock(_) => false,
        }
    }

    /// Whether this permission is one of [`Permission::all`]: the administrators of a kind that
    /// has none (users), or what a kind does not own, are nobody's to touch, not even the system's.
    pub fn exists(self) -> bool {
        match self {
            Self::Admins(Some(kind), _) => kind.has_admins(),
            Self::Owned(kind, owned, verb) => owned.kinds().contains(&kind) && owned.verbs().contains(&verb),
            Self::InstanceBranding(doc, verb) => Owned::Branding(doc).verbs().contains(&verb),
            Self::InstanceDomains(verb) => matches!(verb, Verb::List | Verb::Create),
            Self::Lock(kind) => kind.has_admins(),
            _ => true,
        }
    }
}

/// The levels that have administrators: the instance, then every kind but users.
pub fn admin_levels() -> impl Iterator<Item = Level> {
    std::iter::once(None).chain(NodeKind::ALL.into_iter().filter(|kind| kind.has_admins()).map(Some))
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RulesRead => f.write_str("logic.rules.read"),
            Self::AuditList => f.write_str("audit.list"),
            Self::List(kind) => write!(f, "{}.list", kind.plural()),
            Self::Create(kind) => write!(f, "{}.create", kind.plural()),
            Self::Read(kind) => write!(f, "{}.instance.read", kind.plural()),
            Self::Update(kind) => write!(f, "{}.instance.update", kind.plural()),
            Self::Delete(kind) => write!(f, "{}.instance.delete", kind.plural()),
            Self::Admins(level, action) => {
                if let Some(kind) = level {
                    write!(f, "{}.instance.", kind.plural())?;
                }
                f.write_str(match action {
                    AdminAction::List => "admins.list",
                    AdminAction::Create => "admins.create",
                    AdminAction::Update => "admins.update",
                    AdminAction::Delete => "admins.delete",
                    AdminAction::Welcome => "admins.welcome.create",
                })
            }
            Self::Owned(kind, owned, verb) => {
                let item = if owned.is_collection() { "instance." } else { "" };
                let verb = match verb {
                    Verb::List => "list",
                    Verb::Create => "create",
                    Verb::Read => "instance.read",
                    Verb::Update => return write!(f, "{}.instance.{}.{item}update", kind.plural(), owned.path()),
                    Verb::Delete => return write!(f, "{}.instance.{}.{item}delete", kind.plural(), owned.path()),
                };
                write!(f, "{}.instance.{}.{verb}", kind.plural(), owned.path())
            }
            Self::InstanceDomains(verb) => {
                f.write_str(if *verb == Verb::Create { "domains.create" } else { "domains.list" })
            }
            Self::Lock(kind) => write!(f, "{}.instance.lock.update", kind.plural()),
            Self::InstanceBranding(doc, verb) => {
                let verb = match verb {
                    Verb::List | Verb::Read => "list",
                    Verb::Create | Verb::Update => "update",
                    Verb::Delete => "delete",
                };
                write!(f, "{}.{verb}", Owned::Branding(*doc).path())
            }
        }
    }
}

/// An authenticated administrator, as authorization sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub admin: crate::account::AdminId,
    pub instance: InstanceSlug,
    pub profile: Profile,
    /// The node the administrator belongs to; `None` for system administrators.
    pub home: Option<NodeId>,
    /// A read-only administrator (the portal's `access_type` without Write): its profile's
    /// reading permissions only ([`Permission::reads`]).
    pub read_only: bool,
}

/// Why a request is refused before anything is looked up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denied {
    /// The profile lacks the permission (403).
    Forbidden(Permission),
    /// The path names another instance: answered as an instance that does not exist (404).
    OtherInstance,
}

impl Principal {
    /// The first check of every operation, made before any store call: the instance is the
    /// administrator's own and the profile holds the permission.
    pub fn authorize(&self, instance: &InstanceSlug, permission: Permission) -> Result<(), Denied> {
        if &self.instance != instance {
            return Err(Denied::OtherInstance);
        }
        if !self.grants(permission) {
            return Err(Denied::Forbidden(permission));
        }
        Ok(())
    }

    /// Whether the administrator holds the permission: its profile grants it, and it only reads
    /// when the administrator is read-only.
    pub fn grants(&self, permission: Permission) -> bool {
        self.profile.grants(permission) && (!self.read_only || permission.reads())
    }

    /// Whether `node` lies in the administrator's subtree: its own node or anything below it.
    /// Nodes never move, so a node's lineage read once decides this for good.
    pub fn reaches(&self, node: &Node) -> bool {
        match self.home {
            None => node.instance == self.instance,
            Some(home) => node.instance == self.instance && (node.id == home || node.lineage.contains(home)),
        }
    }

    /// Whether the administrator reads what `node` owns for everyone below it (a tenant's user
    /// groups): it reaches the node, or its own node, read as `home`, lies below it.
    pub fn reads_from_below(&self, node: &Node, home: Option<&Node>) -> bool {
        self.reaches(node)
            || home.is_some_and(|home| {
                Some(home.id) == self.home && home.instance == node.instance && home.lineage.contains(node.id)
            })
    }

    /// Refuses to enable or disable `node` when it is the administrator's own node: a node is
    /// switched from above it (disabling one's own would end one's own session; enabling it
    /// again is for whoever disabled it).
    pub fn may_switch(&self, node: NodeId) -> Result<(), DomainError> {
        if self.home == Some(node) {
            return Err(DomainError::invalid(
                "status",
                "an administrator cannot enable or disable its own node: an administrator above it can",
            ));
        }
        Ok(())
    }

    /// The node lists are cut to: `None` for system administrators (everything in the instance).
    pub fn subtree(&self) -> Option<NodeId> {
        self.home
    }
}

#[cfg(test)]
mod auth_code_tests;
#[cfg(test)]
mod reach_tests;
#[cfg(test)]
mod tests;
