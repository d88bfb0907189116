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
//! * an end user (a user's own account) is no administrator: it reads its own user, nothing else.
//!
//! What a permission reaches is then limited to the administrator's subtree ([`Principal::reaches`]).

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
        all
    }
}

impl Permission {
    /// Whether this permission is one of [`Permission::all`]: the administrators of a kind that
    /// has none (users), or what a kind does not own, are nobody's to touch, not even the system's.
    pub fn exists(self) -> bool {
        match self {
            Self::Admins(Some(kind), _) => kind.has_admins(),
            Self::Owned(kind, owned, verb) => owned.kinds().contains(&kind) && owned.verbs().contains(&verb),
            Self::InstanceBranding(doc, verb) => Owned::Branding(doc).verbs().contains(&verb),
            Self::InstanceDomains(verb) => matches!(verb, Verb::List | Verb::Create),
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
        if !self.profile.grants(permission) {
            return Err(Denied::Forbidden(permission));
        }
        Ok(())
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

    /// The node lists are cut to: `None` for system administrators (everything in the instance).
    pub fn subtree(&self) -> Option<NodeId> {
        self.home
    }
}

#[cfg(test)]
mod auth_code_tests {
    use super::*;

    #[test]
    fn an_end_user_reads_its_codes_and_a_site_group_administrator_changes_them() {
        let codes = |verb| Permission::Owned(NodeKind::User, Owned::AuthCodes, verb);
        assert_eq!(codes(Verb::List).to_string(), "users.instance.auth_codes.list");
        assert_eq!(codes(Verb::Create).to_string(), "users.instance.auth_codes.create");
        assert_eq!(codes(Verb::Read).to_string(), "users.instance.auth_codes.instance.read");
        assert_eq!(codes(Verb::Delete).to_string(), "users.instance.auth_codes.instance.delete");
        for verb in [Verb::List, Verb::Read] {
            assert!(Profile::EndUser.grants(codes(verb)));
        }
        for verb in [Verb::Create, Verb::Delete] {
            assert!(!Profile::EndUser.grants(codes(verb)));
            assert!(Profile::SiteGroupAdmin.grants(codes(verb)));
            assert!(Profile::TenantAdmin.grants(codes(verb)));
        }
        assert!(!codes(Verb::Update).exists());
    }

    #[test]
    fn the_instances_domains_are_the_systems_and_a_tenants_are_assigned_from_above() {
        let tenant = |verb| Permission::Owned(NodeKind::Tenant, Owned::Domains, verb);
        assert_eq!(tenant(Verb::Create).to_string(), "tenants.instance.domains.create");
        assert_eq!(Permission::InstanceDomains(Verb::List).to_string(), "domains.list");
        assert!(Profile::TenantAdmin.grants(tenant(Verb::List)));
        assert!(!Profile::TenantAdmin.grants(tenant(Verb::Create)));
        assert!(Profile::ResellerAdmin.grants(tenant(Verb::Create)));
        assert!(!Profile::GroupAdmin.grants(Permission::InstanceDomains(Verb::List)));
        assert!(Profile::SystemAdmin.grants(Permission::InstanceDomains(Verb::Create)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use NodeKind::*;

    fn names(profile: Profile) -> Vec<String> {
        profile.permissions().iter().map(ToString::to_string).collect()
    }

    #[test]
    fn permissions_are_spelled_as_the_spec_spells_them() {
        assert_eq!(Permission::List(Group).to_string(), "groups.list");
        assert_eq!(Permission::Read(Group).to_string(), "groups.instance.read");
        assert_eq!(Permission::Admins(Some(Group), AdminAction::Create).to_string(), "groups.instance.admins.create");
        assert_eq!(
            Permission::Admins(Some(Group), AdminAction::Welcome).to_string(),
            "groups.instance.admins.welcome.create"
        );
        assert_eq!(Permission::Admins(None, AdminAction::Delete).to_string(), "admins.delete");
        assert_eq!(Permission::List(Tenant).to_string(), "tenants.list");
        let all = Permission::all();
        let unique: std::collections::HashSet<String> = all.iter().map(ToString::to_string).collect();
        assert_eq!(unique.len(), all.len(), "two permissions share a name");
        assert_eq!(Permission::AuditList.to_string(), "audit.list");
        // Nodes; administrators of the instance and of five kinds; configuration and branding of
        // five kinds, UCs and rate plans of four, voice routing of groups, user groups (5 verbs) and
        // custom permissions (3) of tenants; the instance's branding; users' authorization codes,
        // tenants' and the instance's domains (the APIO face).
        assert_eq!(all.len(), 2 + 6 * 5 + 6 * 5 + 5 * (4 + 3 * 3) + 4 * (2 + 3) + 3 * 5 + 5 + 3 + 3 * 3 + 4 + 2 + 2);
        assert_eq!(Permission::List(SiteGroup).to_string(), "site_groups.list");
        assert_eq!(Permission::Read(User).to_string(), "users.instance.read");
        assert_eq!(
            Permission::Admins(Some(SiteGroup), AdminAction::Create).to_string(),
            "site_groups.instance.admins.create"
        );
        let owned = |kind, owned, verb| Permission::Owned(kind, owned, verb).to_string();
        assert_eq!(owned(Tenant, Owned::UserGroups, Verb::List), "tenants.instance.user_groups.list");
        assert_eq!(owned(Tenant, Owned::UserGroups, Verb::Update), "tenants.instance.user_groups.instance.update");
        assert_eq!(
            owned(Tenant, Owned::CustomPermissions, Verb::Delete),
            "tenants.instance.custom_permissions.instance.delete"
        );
        assert_eq!(owned(Group, Owned::GeneralConfig, Verb::List), "groups.instance.configurations.general.list");
        assert_eq!(owned(Group, Owned::GeneralConfig, Verb::Update), "groups.instance.configurations.general.update");
        assert_eq!(
            owned(Group, Owned::Branding(BrandingDoc::Pages), Verb::Update),
            "groups.instance.configurations.branding.pages.update"
        );
        assert_eq!(
            owned(Group, Owned::PstnUsages, Verb::Update),
            "groups.instance.configurations.voice_routing.pstn_usages.instance.update"
        );
        assert_eq!(
            owned(Group, Owned::VoiceRoutingPolicies, Verb::Create),
            "groups.instance.configurations.voice_routing.voice_routing_policies.create"
        );
        assert_eq!(owned(Group, Owned::RatePlans, Verb::Read), "groups.instance.rate_plans.instance.read");
        assert_eq!(owned(Tenant, Owned::EnabledUcs, Verb::List), "tenants.instance.enabled_ucs.list");
        assert_eq!(owned(Tenant, Owned::RatePlans, Verb::List), "tenants.instance.rate_plans.list");
        assert_eq!(
            owned(Reseller, Owned::Branding(BrandingDoc::Styling), Verb::Delete),
            "resellers.instance.configurations.branding.styling.delete"
        );
        assert_eq!(
            Permission::InstanceBranding(BrandingDoc::General, Verb::Delete).to_string(),
            "configurations.branding.general.delete"
        );
    }

    #[test]
    fn a_system_administrator_holds_every_permission_and_no_other() {
        assert_eq!(Profile::SystemAdmin.permissions(), Permission::all());
        assert!(Permission::all().into_iter().all(Permission::exists));
        for none in [
            Permission::Admins(Some(User), AdminAction::List),
            Permission::Owned(User, Owned::GeneralConfig, Verb::List),
            Permission::Owned(SiteGroup, Owned::RatePlans, Verb::Read),
            Permission::Owned(Tenant, Owned::PstnUsages, Verb::List),
        ] {
            assert!(!none.exists() && !Profile::SystemAdmin.grants(none), "{none}");
        }
    }

    #[test]
    fn a_group_administrator_manages_below_its_group_but_not_the_group_itself() {
        let names = names(Profile::GroupAdmin);
        for held in [
            "groups.list",
            "groups.instance.read",
            "groups.instance.admins.create",
            "distributors.create",
            "distributors.instance.delete",
            "tenants.instance.update",
            "tenants.instance.admins.welcome.create",
            "logic.rules.read",
        ] {
            assert!(names.iter().any(|n| n == held), "group_admin lacks {held}");
        }
        for refused in ["groups.create", "groups.instance.update", "groups.instance.delete", "admins.list"] {
            assert!(!names.iter().any(|n| n == refused), "group_admin holds {refused}");
        }
    }

    fn without_owned(profile: Profile) -> Vec<String> {
        names(profile)
            .into_iter()
            .filter(|n| {
                !n.contains(".instance.configurations.")
                    && !n.contains("enabled_ucs")
                    && !n.contains("rate_plans")
                    && !n.contains("auth_codes")
                    && !n.contains(".instance.domains.")
                    && !n.contains("user_groups")
                    && !n.contains("custom_permissions")
            })
            .collect()
    }

    #[test]
    fn a_tenant_administrator_reads_its_tenant_and_manages_what_lies_below() {
        let admins = |kinds: &str| {
            ["list", "create", "update", "delete", "welcome.create"].map(|a| format!("{kinds}.instance.admins.{a}"))
        };
        let nodes = |kinds: &str| {
            ["list", "create", "instance.read", "instance.update", "instance.delete"].map(|p| format!("{kinds}.{p}"))
        };
        let mut expected: Vec<String> =
            ["logic.rules.read", "audit.list", "tenants.list", "tenants.instance.read"].map(String::from).into();
        expected.extend(nodes("site_groups"));
        expected.extend(nodes("users"));
        expected.extend(admins("tenants"));
        expected.extend(admins("site_groups"));
        assert_eq!(without_owned(Profile::TenantAdmin), expected);
    }

    #[test]
    fn a_site_group_administrator_manages_its_users_and_reads_its_site_group() {
        let names = without_owned(Profile::SiteGroupAdmin);
        for held in [
            "site_groups.list",
            "site_groups.instance.read",
            "site_groups.instance.admins.create",
            "users.create",
            "users.instance.read",
            "users.instance.update",
            "users.instance.delete",
            "audit.list",
        ] {
            assert!(names.iter().any(|n| n == held), "site_group_admin lacks {held}");
        }
        for refused in
            ["site_groups.create", "site_groups.instance.update", "site_groups.instance.delete", "tenants.list"]
        {
            assert!(!names.iter().any(|n| n == refused), "site_group_admin holds {refused}");
        }
        let site_groups = Profile::SiteGroupAdmin;
        assert!(site_groups.grants(Permission::Owned(SiteGroup, Owned::GeneralConfig, Verb::Update)));
        assert!(site_groups.grants(Permission::Owned(SiteGroup, Owned::Branding(BrandingDoc::Pages), Verb::Update)));
    }

    #[test]
    fn an_end_user_reads_its_own_user_and_nothing_else() {
        assert_eq!(
            names(Profile::EndUser),
            ["users.instance.read", "users.instance.auth_codes.list", "users.instance.auth_codes.instance.read"]
        );
        assert_eq!(Profile::EndUser.level(), Some(User));
    }

    #[test]
    fn users_have_no_administrators_configuration_or_branding() {
        let all: Vec<String> = Permission::all().iter().map(ToString::to_string).collect();
        assert!(!all.iter().any(|n| n.starts_with("users.instance.admins")), "no administrators of users");
        assert!(!all.iter().any(|n| n.starts_with("users.instance.configurations")), "nor what they would own");
        assert!(!all.iter().any(|n| n.starts_with("site_groups.instance.rate_plans")), "rates are the platform's");
        assert!(admin_levels().all(|level| level != Some(User)));
    }

    #[test]
    fn a_node_configures_itself_but_its_prices_and_platforms_come_from_above() {
        let tenant = Profile::TenantAdmin;
        assert!(tenant.grants(Permission::Owned(Tenant, Owned::GeneralConfig, Verb::Update)));
        assert!(tenant.grants(Permission::Owned(Tenant, Owned::Branding(BrandingDoc::Styling), Verb::Update)));
        assert!(tenant.grants(Permission::Owned(Tenant, Owned::RatePlans, Verb::Read)));
        assert!(!tenant.grants(Permission::Owned(Tenant, Owned::RatePlans, Verb::Update)));
        assert!(!tenant.grants(Permission::Owned(Tenant, Owned::EnabledUcs, Verb::Update)));
        assert!(Profile::ResellerAdmin.grants(Permission::Owned(Tenant, Owned::EnabledUcs, Verb::Update)));
        assert!(Profile::GroupAdmin.grants(Permission::Owned(Group, Owned::PstnUsages, Verb::Delete)));
        assert!(!Profile::DistributorAdmin.grants(Permission::Owned(Group, Owned::PstnUsages, Verb::List)));
        assert!(!Profile::GroupAdmin.grants(Permission::Owned(Group, Owned::RatePlans, Verb::Update)));
        assert!(tenant.grants(Permission::Owned(Tenant, Owned::RatePlans, Verb::List)));
        assert!(tenant.grants(Permission::Owned(Tenant, Owned::Branding(BrandingDoc::Pages), Verb::Delete)));
        for doc in BrandingDoc::ALL {
            assert!(!Profile::GroupAdmin.grants(Permission::InstanceBranding(doc, Verb::List)), "the system's");
            assert!(Profile::SystemAdmin.grants(Permission::InstanceBranding(doc, Verb::Delete)));
        }
    }

    #[test]
    fn the_tenant_level_and_above_change_user_groups_and_every_administrator_reads_them() {
        for owned in [Owned::UserGroups, Owned::CustomPermissions] {
            for profile in Profile::ALL {
                for verb in owned.verbs() {
                    let permission = Permission::Owned(Tenant, owned, *verb);
                    let reads = matches!(verb, Verb::List | Verb::Read);
                    let expected = match profile {
                        Profile::EndUser => false,
                        Profile::SiteGroupAdmin => reads,
                        _ => true,
                    };
                    assert_eq!(profile.grants(permission), expected, "{profile} and {permission}");
                }
            }
        }
        // The levels below the tenant read them (the rule of `grants`); nothing else is read from below.
        assert!(Owned::UserGroups.read_from_below() && Owned::CustomPermissions.read_from_below());
        assert!(Owned::all().iter().filter(|owned| owned.read_from_below()).all(|owned| owned.kinds() == [Tenant]));
    }

    #[test]
    fn each_level_down_holds_fewer_permissions() {
        let counts: Vec<usize> = Profile::ALL.iter().map(|p| p.permissions().len()).collect();
        assert!(counts.windows(2).all(|w| w[0] > w[1]), "{counts:?}");
        // What a lower profile holds, every profile above it holds too.
        for pair in Profile::ALL.windows(2) {
            for permission in pair[1].permissions() {
                assert!(pair[0].grants(permission), "{} lacks {permission} that {} has", pair[0], pair[1]);
            }
        }
    }

    #[test]
    fn every_administrator_lists_the_audit_log_of_its_subtree() {
        for profile in Profile::ALL.into_iter().filter(|p| *p != Profile::EndUser) {
            assert!(profile.grants(Permission::AuditList), "{profile} cannot list the audit log");
        }
    }

    #[test]
    fn profiles_round_trip_through_their_names_and_levels() {
        for profile in Profile::ALL {
            assert_eq!(Profile::parse(profile.as_str()), Some(profile));
            assert_eq!(Profile::of_level(profile.level()), profile);
        }
    }
}

#[cfg(test)]
mod reach_tests {
    use super::*;
    use crate::account::AdminId;
    use crate::name::NodeName;
    use crate::node::Lineage;
    use uuid::Uuid;

    fn node(kind: NodeKind, id: u128, lineage: Lineage) -> Node {
        Node {
            id: NodeId(Uuid::from_u128(id)),
            serial: crate::node::Serial(id as i64),
            instance: InstanceSlug::parse("default").unwrap(),
            kind,
            parent: None,
            lineage,
            name: NodeName::parse("n").unwrap(),
            attributes: crate::node::Attributes::blank(kind),
            version: crate::change::Version::FIRST,
        }
    }

    fn admin(profile: Profile, home: Option<u128>) -> Principal {
        Principal {
            admin: AdminId(1),
            instance: InstanceSlug::parse("default").unwrap(),
            profile,
            home: home.map(|id| NodeId(Uuid::from_u128(id))),
        }
    }

    #[test]
    fn an_administrator_reaches_its_node_and_what_lies_below_only() {
        let id = |n: u128| Some(NodeId(Uuid::from_u128(n)));
        let group = node(NodeKind::Group, 1, Lineage::default());
        let reseller = node(NodeKind::Reseller, 2, Lineage { group: id(1), ..Default::default() });
        let tenant = node(NodeKind::Tenant, 3, Lineage { group: id(1), reseller: id(2), ..Default::default() });
        let sibling = node(NodeKind::Tenant, 4, Lineage { group: id(1), reseller: id(5), ..Default::default() });
        let reseller_admin = admin(Profile::ResellerAdmin, Some(2));
        assert!(reseller_admin.reaches(&reseller), "own node");
        assert!(reseller_admin.reaches(&tenant), "below");
        assert!(!reseller_admin.reaches(&sibling), "sibling");
        assert!(!reseller_admin.reaches(&group), "above");
        assert!(admin(Profile::SystemAdmin, None).reaches(&sibling));
        let mut elsewhere = tenant.clone();
        elsewhere.instance = InstanceSlug::parse("other").unwrap();
        assert!(!admin(Profile::SystemAdmin, None).reaches(&elsewhere), "another instance");
    }

    #[test]
    fn an_administrator_reads_from_below_the_nodes_its_own_node_lies_in() {
        let id = |n: u128| Some(NodeId(Uuid::from_u128(n)));
        let reseller = node(NodeKind::Reseller, 2, Lineage { group: id(1), ..Default::default() });
        let tenant = node(NodeKind::Tenant, 3, Lineage { group: id(1), reseller: id(2), ..Default::default() });
        let other = node(NodeKind::Tenant, 4, Lineage { group: id(1), reseller: id(5), ..Default::default() });
        let tenant_admin = admin(Profile::TenantAdmin, Some(3));
        assert!(!tenant_admin.reaches(&reseller));
        assert!(tenant_admin.reads_from_below(&reseller, Some(&tenant)), "its own node lies below");
        assert!(!tenant_admin.reads_from_below(&reseller, None), "its own node unread");
        assert!(!tenant_admin.reads_from_below(&reseller, Some(&other)), "another node than its own");
        assert!(tenant_admin.reads_from_below(&tenant, None), "what it reaches");
    }

    #[test]
    fn a_site_group_administrator_reaches_its_users_and_an_end_user_itself_only() {
        let id = |n: u128| Some(NodeId(Uuid::from_u128(n)));
        let tenant = node(NodeKind::Tenant, 3, Lineage { group: id(1), ..Default::default() });
        let site = node(NodeKind::SiteGroup, 4, Lineage { group: id(1), tenant: id(3), ..Default::default() });
        let in_site =
            node(NodeKind::User, 5, Lineage { group: id(1), tenant: id(3), site_group: id(4), ..Default::default() });
        let in_tenant = node(NodeKind::User, 6, Lineage { group: id(1), tenant: id(3), ..Default::default() });
        let site_admin = admin(Profile::SiteGroupAdmin, Some(4));
        assert!(site_admin.reaches(&site) && site_admin.reaches(&in_site));
        assert!(!site_admin.reaches(&in_tenant), "a user beside the site group");
        assert!(!site_admin.reaches(&tenant), "above");
        assert!(site_admin.reads_from_below(&tenant, Some(&site)), "the tenant its site group lies in");
        let end_user = admin(Profile::EndUser, Some(5));
        assert!(end_user.reaches(&in_site));
        assert!(!end_user.reaches(&in_tenant) && !end_user.reaches(&site));
    }

    #[test]
    fn authorization_checks_the_instance_then_the_permission() {
        let tenant_admin = admin(Profile::TenantAdmin, Some(3));
        let default = InstanceSlug::parse("default").unwrap();
        let other = InstanceSlug::parse("other").unwrap();
        assert_eq!(tenant_admin.authorize(&other, Permission::RulesRead), Err(Denied::OtherInstance));
        assert_eq!(
            tenant_admin.authorize(&default, Permission::Delete(NodeKind::Tenant)),
            Err(Denied::Forbidden(Permission::Delete(NodeKind::Tenant)))
        );
        assert_eq!(tenant_admin.authorize(&default, Permission::Read(NodeKind::Tenant)), Ok(()));
    }
}
