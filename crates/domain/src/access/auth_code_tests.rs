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
