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
        enabled: true,
        lock: None,
    }
}

fn admin(profile: Profile, home: Option<u128>) -> Principal {
    Principal {
        admin: AdminId(1),
        instance: InstanceSlug::parse("default").unwrap(),
        profile,
        home: home.map(|id| NodeId(Uuid::from_u128(id))),
        read_only: false,
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

#[test]
fn an_administrator_never_switches_its_own_node_only_those_below() {
    let group = node(NodeKind::Group, 1, Lineage::default());
    let tenant = node(NodeKind::Tenant, 2, Lineage { group: Some(group.id), ..Lineage::default() });
    let admin = Principal {
        admin: AdminId(1),
        instance: InstanceSlug::parse("default").unwrap(),
        profile: Profile::GroupAdmin,
        home: Some(group.id),
        read_only: false,
    };
    assert!(admin.may_switch(group.id).is_err());
    assert!(admin.may_switch(tenant.id).is_ok());
    let system = Principal { home: None, profile: Profile::SystemAdmin, ..admin };
    assert!(system.may_switch(group.id).is_ok());
}
