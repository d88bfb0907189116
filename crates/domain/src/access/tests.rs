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
    // tenants' and the instance's domains (the APIO face); the locks of the five kinds with
    // administrators.
    assert_eq!(all.len(), 2 + 6 * 5 + 6 * 5 + 5 * (4 + 3 * 3) + 4 * (2 + 3) + 3 * 5 + 5 + 3 + 3 * 3 + 4 + 2 + 2 + 5);
    assert_eq!(Permission::Lock(Tenant).to_string(), "tenants.instance.lock.update");
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
    for refused in ["site_groups.create", "site_groups.instance.update", "site_groups.instance.delete", "tenants.list"]
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

#[test]
fn the_system_and_the_partner_levels_lock_their_subtree_and_no_one_else_does() {
    for profile in Profile::ALL {
        for kind in NodeKind::ALL {
            let lock = Permission::Lock(kind);
            let expected = match profile.level() {
                None => kind.has_admins(),
                Some(own) => own < Tenant && kind >= own && kind.has_admins(),
            };
            assert_eq!(profile.grants(lock), expected, "{profile} {lock}");
        }
    }
    assert!(Profile::ResellerAdmin.grants(Permission::Lock(Reseller)), "its own node too");
    assert!(!Profile::TenantAdmin.grants(Permission::Lock(SiteGroup)), "not the spec's company administrators");
    assert!(!Permission::Lock(User).exists(), "no administrator inside a user for a lock to bind");
}

#[test]
fn a_read_only_administrator_holds_its_profiles_reading_permissions_and_nothing_else() {
    let instance = InstanceSlug::parse("default").unwrap();
    for profile in Profile::ALL {
        let full = Principal {
            admin: crate::account::AdminId(1),
            instance: instance.clone(),
            profile,
            home: None,
            read_only: false,
        };
        let read_only = Principal { read_only: true, ..full.clone() };
        for permission in Permission::all() {
            assert_eq!(full.grants(permission), profile.grants(permission), "{profile} {permission}");
            let expected = profile.grants(permission) && permission.reads();
            assert_eq!(read_only.grants(permission), expected, "read-only {profile} {permission}");
            assert_eq!(read_only.authorize(&instance, permission).is_ok(), expected, "{profile} {permission}");
        }
    }
    let reads = |p: Permission| p.reads();
    assert!(reads(Permission::List(NodeKind::Tenant)) && reads(Permission::Read(NodeKind::User)));
    assert!(reads(Permission::Admins(None, AdminAction::List)) && reads(Permission::AuditList));
    assert!(reads(Permission::Owned(NodeKind::Group, Owned::GeneralConfig, Verb::List)));
    assert!(!reads(Permission::Owned(NodeKind::Group, Owned::GeneralConfig, Verb::Update)));
    assert!(!reads(Permission::Admins(None, AdminAction::Welcome)) && !reads(Permission::Lock(NodeKind::Tenant)));
    assert!(!reads(Permission::Create(NodeKind::Tenant)) && !reads(Permission::InstanceDomains(Verb::Create)));
}
