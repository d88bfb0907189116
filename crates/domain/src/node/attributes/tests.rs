use super::*;
use serde_json::json;

fn object(value: Value) -> Map<String, Value> {
    value.as_object().unwrap().clone()
}

fn refused(kind: NodeKind, value: Value) -> String {
    Attributes::parse_new(kind, &object(value)).unwrap_err().to_string()
}

#[test]
fn each_kind_parses_its_own_fields_and_refuses_another_kinds_by_name() {
    let group = Attributes::parse_new(NodeKind::Group, &object(json!({"draasDomain": "A.Example."}))).unwrap();
    assert_eq!(group.draas_domain().map(DraasDomain::as_str), Some("a.example"));
    assert_eq!(Attributes::parse_new(NodeKind::Group, &Map::new()), Ok(Attributes::Group { draas_domain: None }));
    let tenant = Attributes::parse_new(NodeKind::Tenant, &object(json!({"tenantId": "Acme"}))).unwrap();
    assert_eq!((tenant.kind(), tenant.tenant_id().map(TenantId::key)), (NodeKind::Tenant, Some("acme")));
    assert_eq!(refused(NodeKind::Tenant, json!({})), "tenantId: is required");
    assert_eq!(refused(NodeKind::Reseller, json!({"tenantId": "x"})), "tenantId: only tenants have one");
    assert_eq!(
        refused(NodeKind::Tenant, json!({"tenantId": "t", "draasDomain": "a.b"})),
        "draasDomain: only groups have one"
    );
    assert_eq!(refused(NodeKind::Group, json!({"draasDomain": 7})), "draasDomain: must be a string");
    assert!(refused(NodeKind::Group, json!({"colour": "red"})).contains("unknown field"));
    assert_eq!(
        refused(NodeKind::Tenant, json!({"tenantId": "t", "userLimit": 3})),
        "userLimit: only site_groups have one"
    );
}

#[test]
fn a_change_keeps_what_is_absent_and_null_clears_only_what_may_be_cleared() {
    let group = Attributes::Group { draas_domain: Some(DraasDomain::parse("a.example").unwrap()) };
    let keep = Attributes::parse_changes(NodeKind::Group, &Map::new()).unwrap();
    assert_eq!(group.changed(&keep), Ok(group.clone()));
    let clear = Attributes::parse_changes(NodeKind::Group, &object(json!({"draasDomain": null}))).unwrap();
    assert_eq!(group.changed(&clear), Ok(Attributes::Group { draas_domain: None }));
    let tenant = Attributes::Tenant { tenant_id: TenantId::parse("t1").unwrap() };
    let null = Attributes::parse_changes(NodeKind::Tenant, &object(json!({"tenantId": null}))).unwrap();
    assert_eq!(tenant.changed(&null), Ok(tenant.clone()), "a tenant id is never cleared");
    let renamed = Attributes::parse_changes(NodeKind::Tenant, &object(json!({"tenantId": "t2"}))).unwrap();
    assert_eq!(tenant.changed(&renamed).unwrap().tenant_id().map(TenantId::as_str), Some("t2"));
}

#[test]
fn every_field_is_described_and_each_sort_is_named_after_its_field() {
    for kind in NodeKind::ALL {
        for field in Attributes::fields(kind) {
            assert!(!field.description.is_empty() && !field.example.is_empty(), "{kind}: {}", field.name);
            if let Some(sort) = field.sort {
                assert_eq!(sort.as_str(), field.name, "{kind} sorts by {}", field.name);
            }
        }
    }
    let tenant = Attributes::Tenant { tenant_id: TenantId::parse("t1").unwrap() };
    assert_eq!(Value::Object(tenant.to_wire()), json!({"tenantId": "t1"}));
    assert!(Attributes::Reseller.to_wire().is_empty());
}

#[test]
fn a_site_group_needs_a_user_limit_in_range_and_checks_each_field() {
    let full = json!({
        "groupName": " Brussels office ", "userLimit": 25, "defaultDomain": "Brussels.Example.COM.",
        "cliName": "Acme", "cliPhoneNumber": "+32 2 555 01 00", "locationDialingCode": "02",
        "timeZone": "europe/brussels", "contactInformation": {"name": "Jane"},
        "addressInformation": {"city": "Brussels", "street": {"line1": "Rue Haute 1"}}
    });
    let site = Attributes::parse_new(NodeKind::SiteGroup, &object(full)).unwrap();
    let wire = Value::Object(site.to_wire());
    assert_eq!(wire["groupName"], "Brussels office");
    assert_eq!(wire["defaultDomain"], "brussels.example.com");
    assert_eq!(wire["timeZone"], "Europe/Brussels");
    assert_eq!(site.site_group().unwrap().group_name_key(), "brussels office");
    assert_eq!(Attributes::parse_new(NodeKind::SiteGroup, &site.to_wire()), Ok(site.clone()), "reads back");
    let minimal = Attributes::parse_new(NodeKind::SiteGroup, &object(json!({"userLimit": 1}))).unwrap();
    assert_eq!(Value::Object(minimal.to_wire()), json!({"groupName": "", "userLimit": 1}));
    for (value, field) in [
        (json!({}), "userLimit"),
        (json!({"userLimit": 0}), "userLimit"),
        (json!({"userLimit": 1_000_000}), "userLimit"),
        (json!({"userLimit": 2.5}), "userLimit"),
        (json!({"userLimit": "3"}), "userLimit"),
        (json!({"userLimit": 3, "groupName": "x".repeat(81)}), "groupName"),
        (json!({"userLimit": 3, "defaultDomain": format!("{}.example", "a".repeat(75))}), "defaultDomain"),
        (json!({"userLimit": 3, "cliPhoneNumber": "+32-abc"}), "cliPhoneNumber"),
        (json!({"userLimit": 3, "cliPhoneNumber": "1".repeat(24)}), "cliPhoneNumber"),
        (json!({"userLimit": 3, "locationDialingCode": "0a"}), "locationDialingCode"),
        (json!({"userLimit": 3, "timeZone": "Nowhere/Town"}), "timeZone"),
        (json!({"userLimit": 3, "contactInformation": ["a"]}), "contactInformation"),
        (json!({"userLimit": 3, "cliName": ""}), "cliName"),
    ] {
        let err = Attributes::parse_new(NodeKind::SiteGroup, &object(value.clone())).unwrap_err();
        assert_eq!(err.field(), Some(field), "{value}: {err}");
    }
}

#[test]
fn a_site_group_change_is_checked_field_by_field_and_laid_over_the_stored_attributes() {
    let stored = Attributes::parse_new(NodeKind::SiteGroup, &object(json!({"userLimit": 5, "cliName": "A"}))).unwrap();
    let patch =
        Attributes::parse_changes(NodeKind::SiteGroup, &object(json!({"userLimit": 7, "cliName": null}))).unwrap();
    let changed = stored.changed(&patch).unwrap();
    assert_eq!(Value::Object(changed.to_wire()), json!({"groupName": "", "userLimit": 7}));
    let kept = Attributes::parse_changes(NodeKind::SiteGroup, &object(json!({"userLimit": null}))).unwrap();
    assert_eq!(stored.changed(&kept).unwrap().site_group().unwrap().user_limit(), 5, "a limit is never cleared");
    let err = Attributes::parse_changes(NodeKind::SiteGroup, &object(json!({"timeZone": "Mars/Base"}))).unwrap_err();
    assert_eq!(err.field(), Some("timeZone"));
}

#[test]
fn the_user_limit_admits_users_up_to_it_and_cannot_drop_below_them() {
    let site = SiteGroupAttributes::with_limit(2);
    assert_eq!(site.admit_user(1), Ok(()));
    assert_eq!(site.admit_user(2), Err(DomainError::UserLimitReached { limit: 2, count: 2 }));
    assert_eq!(site.ensure_holds(2), Ok(()));
    assert_eq!(site.ensure_holds(3), Err(DomainError::UserLimitBelowCount { limit: 2, count: 3 }));
}

#[test]
fn a_user_needs_both_names_and_keeps_its_email_once_set() {
    let user = Attributes::parse_new(
        NodeKind::User,
        &object(json!({"firstName": "Jane", "lastName": "Doe", "phoneNumber": "+32 2 555", "extension": "0123"})),
    )
    .unwrap();
    assert_eq!(user.user().unwrap().last_name_key(), "doe");
    for (value, field) in [
        (json!({"lastName": "Doe"}), "firstName"),
        (json!({"firstName": "Jane", "lastName": ""}), "lastName"),
        (json!({"firstName": "Jane", "lastName": "Doe", "extension": "1"}), "extension"),
        (json!({"firstName": "Jane", "lastName": "Doe", "email": "nope"}), "email"),
    ] {
        let err = Attributes::parse_new(NodeKind::User, &object(value.clone())).unwrap_err();
        assert_eq!(err.field(), Some(field), "{value}: {err}");
    }
    let set = Attributes::parse_changes(NodeKind::User, &object(json!({"email": "Jane@Example.com"}))).unwrap();
    let with_email = user.changed(&set).unwrap();
    assert_eq!(with_email.user().unwrap().email().map(|e| e.as_str()), Some("Jane@Example.com"), "set when absent");
    let same = Attributes::parse_changes(NodeKind::User, &object(json!({"email": "jane@example.com"}))).unwrap();
    let kept = with_email.changed(&same).unwrap();
    assert_eq!(kept.user().unwrap().email().map(|e| e.as_str()), Some("Jane@Example.com"), "its spelling stays");
    let other = Attributes::parse_changes(NodeKind::User, &object(json!({"email": "john@example.com"}))).unwrap();
    assert_eq!(with_email.changed(&other).unwrap_err().field(), Some("email"));
    let cleared =
        Attributes::parse_changes(NodeKind::User, &object(json!({"email": null, "extension": null}))).unwrap();
    let cleared = with_email.changed(&cleared).unwrap();
    assert!(cleared.user().unwrap().email().is_some(), "null keeps an e-mail");
    assert_eq!(Value::Object(cleared.to_wire()).get("extension"), None, "and clears an extension");
}
