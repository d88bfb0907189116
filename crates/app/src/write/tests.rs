//! The order of the one write path, proven on every service that writes, with mocked stores
//! (a mock without expectations panics on any call): the permission before the body, the body
//! before the store.

use crate::auth::Onboarding;
use crate::error::AppError;
use crate::gate::Gate;
use crate::instances::Instances;
use crate::mail::{Letters, Outbox};
use crate::testing::unit::{acting, caller, finding_every_node};
use crate::{
    AdminInput, AdminService, AdminUpdate, AuthSettings, BrandingService, ConfigService, EnabledUcService, ManualClock,
    NodeInput, NodeService, NodeUpdate, PolicyInput, PriceInput, RatePlanService, RouteInput, RouteUpdate,
    UserGroupInput, UserGroupService, VoiceRoutingService,
};
use canopy_domain::{
    BrandingKey, DomainError, InstanceSlug, NodeKind, Profile, SettingInput, TokenKey, UserGroupId, WriteMode,
};
use canopy_storage::{
    MockAccountStore, MockAdminStore, MockConfigStore, MockNodeStore, MockOwnedStore, MockUserGroupStore,
    MockVoiceRoutingStore,
};
use serde_json::json;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use uuid::Uuid;

/// Every service that writes, on mocks: `nodes` answers the node reads, the other stores expect
/// no call at all.
struct Services {
    nodes: NodeService,
    admins: AdminService,
    branding: BrandingService,
    configuration: ConfigService,
    enabled_ucs: EnabledUcService,
    rate_plans: RatePlanService,
    voice_routing: VoiceRoutingService,
    user_groups: UserGroupService,
}

fn services(nodes: fn() -> MockNodeStore) -> Services {
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
    let clock = Arc::new(ManualClock::default());
    let onboarding = Onboarding::new(clock.clone(), letters, AuthSettings::default());
    let gate = || Gate::new(Arc::new(nodes()), instances.clone());
    let key = TokenKey::new(vec![5; 32]);
    Services {
        nodes: NodeService::new(Arc::new(nodes()), instances.clone(), key.clone(), onboarding.clone()),
        admins: AdminService::new(
            Arc::new(nodes()),
            Arc::new(MockAdminStore::new()),
            Arc::new(MockAccountStore::new()),
            instances.clone(),
            key.clone(),
            onboarding,
        ),
        branding: BrandingService::new(gate(), Arc::new(MockOwnedStore::new())),
        configuration: ConfigService::new(Arc::new(nodes()), Arc::new(MockConfigStore::new()), instances.clone()),
        enabled_ucs: EnabledUcService::new(gate(), Arc::new(MockOwnedStore::new())),
        rate_plans: RatePlanService::new(gate(), Arc::new(MockOwnedStore::new()), clock),
        voice_routing: VoiceRoutingService::new(gate(), Arc::new(MockVoiceRoutingStore::new()), key),
        user_groups: UserGroupService::new(gate(), Arc::new(MockUserGroupStore::new())),
    }
}

type Outcome<'a> = Pin<Box<dyn Future<Output = (&'static str, Result<(), AppError>)> + 'a>>;

fn named<'a, T>(name: &'static str, write: impl Future<Output = Result<T, AppError>> + 'a) -> Outcome<'a> {
    Box::pin(async move { (name, write.await.map(drop)) })
}

/// Every write of every service, each with an invalid body, by `profile` (home: node 1 or 9)
/// on the node of kind `kind` (`id` 1).
fn invalid_writes<'a>(s: &'a Services, who: &'a crate::Caller, kind: NodeKind) -> Vec<Outcome<'a>> {
    let (id, node) = (Uuid::from_u128(1), Some((kind, Uuid::from_u128(1))));
    let bad_name = || NodeInput { name: " ".into(), ..Default::default() };
    let bad_route = || RouteInput { name: "R".into(), pattern: "(".into(), priority: 1, pstn_usages: None };
    let bad_price =
        || PriceInput { destination_id: 0, active_since: "x".into(), national: (0.0, 0.0), international: (0.0, 0.0) };
    let bad_mobile = |email: &str| AdminUpdate { email: email.into(), mobile: Some("x".into()), ..Default::default() };
    vec![
        named("node create", s.nodes.create(who, "default", node, NodeKind::Tenant, bad_name())),
        named(
            "node update",
            s.nodes.update(who, "default", kind, id, NodeUpdate { name: Some(" ".into()), ..Default::default() }),
        ),
        named(
            "admin create",
            s.admins.create(who, "default", node, AdminInput { email: "no".into(), ..Default::default() }),
        ),
        named("admin update", s.admins.update(who, "default", node, "a@b.c", bad_mobile("a@b.c"))),
        named("branding put", s.branding.put(who, "default", kind, id, BrandingKey::General, json!([]))),
        named(
            "configuration write",
            s.configuration.write(who, "default", kind, id, WriteMode::Upsert, vec![("bad key".into(), json!(1))]),
        ),
        named("configuration delete", async move {
            s.configuration.delete(who, "default", kind, id, &["bad key".into()]).await
        }),
        named("enabled UCs set", async move { s.enabled_ucs.set(who, "default", kind, id, &["skype".into()]).await }),
        named("destination put", s.rate_plans.put_destination(who, "default", kind, id, "a b", (0, ""))),
        named("price add", s.rate_plans.add_price(who, "default", kind, id, "std", bad_price())),
        named(
            "instance branding put",
            s.branding.write_instance(who, "default", BrandingKey::General, Some(json!([]))),
        ),
        named("destination delete", s.rate_plans.delete_destination(who, ("default", kind, id), "a b", 1)),
        named("price delete", s.rate_plans.delete_price(who, ("default", kind, id), "std", (1, "soon"))),
        named("usage create", s.voice_routing.create_usage(who, "default", id, " ")),
        named("usage rename", s.voice_routing.rename_usage(who, "default", id, 1, " ")),
        named("route create", s.voice_routing.create_route(who, "default", id, bad_route())),
        named(
            "route update",
            s.voice_routing.update_route(
                who,
                "default",
                id,
                1,
                RouteUpdate { priority: Some(-1), ..Default::default() },
            ),
        ),
        named("policy create", s.voice_routing.create_policy(who, "default", id, PolicyInput::default())),
        named(
            "policy update",
            s.voice_routing.update_policy(
                who,
                "default",
                id,
                1,
                PolicyInput { pstn_usages: Some(vec![0]), ..Default::default() },
            ),
        ),
    ]
}

/// Every write of a tenant's user groups, each with an invalid body, on tenant 1. Every
/// administrator at the tenant's level or above holds their permissions.
fn invalid_user_group_writes<'a>(s: &'a Services, who: &'a crate::Caller) -> Vec<Outcome<'a>> {
    let (tenant, id) = (Uuid::from_u128(1), UserGroupId(1));
    let bad = || UserGroupInput { name: Some("Justice League".into()), ..Default::default() };
    let missing_value = [SettingInput { name: "Mobile".into(), value: None }];
    let bad_label = crate::CustomPermissionInput { label: " ".into(), ..Default::default() };
    vec![
        named("user group create", async move { s.user_groups.create(who, "default", tenant, &bad()).await }),
        named("user group update", async move { s.user_groups.update(who, "default", tenant, id, &bad()).await }),
        named("permissions set", async move {
            s.user_groups.set_permissions(who, "default", tenant, id, &missing_value).await
        }),
        named("custom permission create", async move {
            s.user_groups.create_custom_permission(who, "default", tenant, &bad_label).await
        }),
    ]
}

#[tokio::test]
async fn a_caller_without_the_permission_gets_403_for_an_invalid_body_and_no_store_is_called() {
    // A tenant administrator writes on a group: nothing of this is its to change.
    let services = services(MockNodeStore::new);
    let tenant_admin = acting(&caller(Profile::TenantAdmin, Some(9)));
    for write in invalid_writes(&services, &tenant_admin, NodeKind::Group) {
        let (name, result) = write.await;
        assert!(matches!(result, Err(AppError::Forbidden(_))), "{name}: {result:?}");
    }
}

#[tokio::test]
async fn an_invalid_body_from_a_permitted_caller_gets_400_and_nothing_is_written() {
    // A system administrator may do everything: the node is read, the body refused, no write made.
    let services = services(finding_every_node);
    let root = acting(&caller(Profile::SystemAdmin, None));
    let writes = invalid_writes(&services, &root, NodeKind::Group).into_iter();
    for write in writes.chain(invalid_user_group_writes(&services, &root)) {
        let (name, result) = write.await;
        assert!(
            matches!(result, Err(AppError::Invalid(DomainError::Invalid { .. } | DomainError::InvalidProperty { .. }))),
            "{name}: {result:?}"
        );
    }
}

#[tokio::test]
async fn an_end_user_gets_403_for_every_write_even_on_its_own_user_and_no_store_is_called() {
    let services = services(MockNodeStore::new);
    let end_user = acting(&caller(Profile::EndUser, Some(1)));
    for write in invalid_writes(&services, &end_user, NodeKind::User) {
        let (name, result) = write.await;
        assert!(matches!(result, Err(AppError::Forbidden(_))), "{name}: {result:?}");
    }
}

#[tokio::test]
async fn a_users_creation_checks_the_permission_then_the_parent_then_its_temporary_password() {
    let user = |password: &str| NodeInput {
        name: "jane".into(),
        attributes: json!({"firstName": "Jane", "lastName": "Doe", "email": "jane@example.com"})
            .as_object()
            .unwrap()
            .clone(),
        temporary_password: Some(password.into()),
        ..Default::default()
    };
    let parent = Some((NodeKind::SiteGroup, Uuid::from_u128(1)));
    let refused = services(MockNodeStore::new);
    let site_admin_elsewhere = acting(&caller(Profile::SiteGroupAdmin, Some(9)));
    let result =
        refused.nodes.create(&site_admin_elsewhere, "default", parent, NodeKind::SiteGroup, user("short")).await;
    assert!(matches!(result, Err(AppError::Forbidden(_))), "{result:?}");
    let permitted = services(finding_every_node);
    let site_admin = acting(&caller(Profile::SiteGroupAdmin, Some(1)));
    let result = permitted.nodes.create(&site_admin, "default", parent, NodeKind::User, user("short")).await;
    assert!(matches!(&result, Err(AppError::Invalid(e)) if e.field() == Some("temporaryPassword")), "{result:?}");
}

/// The APIO face's writes (authorization codes, the domain registry, a site group's creation with
/// APIO's options), on mocks that expect no call of what they store.
#[tokio::test]
async fn the_apio_writes_check_the_permission_then_the_body_before_any_write() {
    use crate::{AuthCodeService, SiteGroupOptions, SiteGroupService};
    use canopy_storage::{MockAuthCodeStore, MockDomainStore};
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let built = |nodes: fn() -> MockNodeStore| {
        let gate = Gate::new(Arc::new(nodes()), instances.clone());
        let letters = Letters::new(Arc::new(Outbox::new()), "http://portal");
        let onboarding = Onboarding::new(Arc::new(ManualClock::default()), letters, AuthSettings::default());
        let node_service =
            Arc::new(NodeService::new(Arc::new(nodes()), instances.clone(), TokenKey::new(vec![5; 32]), onboarding));
        let codes = AuthCodeService::new(gate.clone(), Arc::new(MockAuthCodeStore::new()));
        let configs = Arc::new(MockConfigStore::new());
        let site_groups =
            SiteGroupService::new(gate, node_service, Arc::new(nodes()), configs, Arc::new(MockDomainStore::new()));
        (codes, site_groups)
    };
    let user = Uuid::from_u128(1);
    let bad_code = || vec![("1".to_owned(), None)];
    // An end user changes none of its codes, and a tenant administrator no domain of the instance
    // or of its own tenant: 403 before anything is read.
    let (codes, site_groups) = built(MockNodeStore::new);
    let end_user = acting(&caller(Profile::EndUser, Some(1)));
    let tenant_admin = acting(&caller(Profile::TenantAdmin, Some(1)));
    let refused = [
        named("codes add", codes.add(&end_user, "default", user, bad_code())),
        named("codes delete", codes.delete(&end_user, "default", user, vec![])),
        named("domain add", site_groups.add_domain(&tenant_admin, "default", "not a domain")),
        named("domain assign", site_groups.assign_domain(&tenant_admin, "default", user, "not a domain")),
        named(
            "site group create",
            site_groups.create(
                &end_user,
                "default",
                canopy_domain::NodeId(user),
                NodeInput::default(),
                SiteGroupOptions::default(),
            ),
        ),
    ];
    for write in refused {
        let (name, result) = write.await;
        assert!(matches!(result, Err(AppError::Forbidden(_))), "{name}: {result:?}");
    }
    // A system administrator's invalid bodies: 400, and the code and domain stores never called.
    let (codes, site_groups) = built(finding_every_node);
    let root = acting(&caller(Profile::SystemAdmin, None));
    let invalid = [
        named("codes add", codes.add(&root, "default", user, bad_code())),
        named("codes delete", codes.delete(&root, "default", user, vec![])),
        named("domain add", site_groups.add_domain(&root, "default", "not a domain")),
        named("domain assign", site_groups.assign_domain(&root, "default", user, "not a domain")),
    ];
    for write in invalid {
        let (name, result) = write.await;
        assert!(matches!(result, Err(AppError::Invalid(DomainError::Invalid { .. }))), "{name}: {result:?}");
    }
}
