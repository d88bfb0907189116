//! Unit tests of the voice routing service with mocked ports: what never reaches the store.

use super::*;
use crate::instances::Instances;
use crate::testing::unit::{acting, caller, finding_every_node};
use canopy_domain::{InstanceSlug, Lineage, Node, Profile};
use canopy_storage::{MockNodeStore, MockVoiceRoutingStore, NodeView};

fn service(nodes: MockNodeStore, voice: MockVoiceRoutingStore) -> VoiceRoutingService {
    let instances = Instances::new([InstanceSlug::parse("default").unwrap()]);
    let gate = Gate::new(Arc::new(nodes), instances);
    VoiceRoutingService::new(gate, Arc::new(voice), TokenKey::new(vec![1; 32]))
}

fn group_node(id: u128) -> NodeView {
    let node = Node {
        id: NodeId(Uuid::from_u128(id)),
        serial: canopy_domain::Serial(1),
        instance: InstanceSlug::parse("default").unwrap(),
        kind: NodeKind::Group,
        parent: None,
        lineage: Lineage::default(),
        name: NodeName::parse("G").unwrap(),
        attributes: canopy_domain::Attributes::blank(NodeKind::Group),
        version: canopy_domain::Version::FIRST,
        enabled: true,
        lock: None,
    };
    NodeView { node, subtree: Default::default() }
}

fn route(pattern: &str, priority: i64, usages: Vec<i64>) -> RouteInput {
    RouteInput { name: "VR".into(), pattern: pattern.into(), priority, pstn_usages: Some(usages) }
}

#[tokio::test]
async fn a_missing_permission_is_refused_before_any_store_call() {
    // Mocks without expectations panic on any call.
    let service = service(MockNodeStore::new(), MockVoiceRoutingStore::new());
    let group = Uuid::from_u128(1);
    let distributor_admin = caller(Profile::DistributorAdmin, Some(2));
    let err = service.list_usages(&distributor_admin, "default", group, ListParams::default()).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let err =
        service.create_route(&acting(&distributor_admin), "default", group, route(".*", 1, vec![])).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    let err = service.delete_usage(&acting(&distributor_admin), "default", group, 1).await.unwrap_err();
    assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
}

#[tokio::test]
async fn invalid_values_are_refused_before_any_write() {
    let service = service(finding_every_node(), MockVoiceRoutingStore::new());
    let root = caller(Profile::SystemAdmin, None);
    let group = Uuid::from_u128(1);
    for (input, field) in [
        (route("(", 1, vec![]), "pattern"),
        (route(".*", -1, vec![]), "priority"),
        (route(".*", 1, vec![8, 8]), "pstnUsages"),
        (RouteInput { name: " ".into(), ..route(".*", 1, vec![]) }, "name"),
    ] {
        let err = service.create_route(&acting(&root), "default", group, input).await.unwrap_err();
        assert!(
            matches!(&err, AppError::Invalid(DomainError::Invalid { field: f, .. }) if *f == field),
            "{field}: {err:?}"
        );
    }
    let bad_sort = ListParams { sort: Some("pattern".into()), ..Default::default() };
    assert!(service.list_routes(&root, "default", group, bad_sort).await.is_err());
    let tampered = ListParams { next: Some("abc.def".into()), ..Default::default() };
    let err = service.list_policies(&root, "default", group, tampered).await.unwrap_err();
    assert!(matches!(err, AppError::Invalid(DomainError::InvalidNextToken(_))), "{err:?}");
}

#[tokio::test]
async fn a_group_outside_the_subtree_is_not_found_and_its_voice_routing_untouched() {
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(|_, _, _| Ok(Some(group_node(9))));
    let mut voice = MockVoiceRoutingStore::new();
    voice.expect_create_usage().never();
    voice.expect_delete_usage().never();
    let service = service(nodes, voice);
    let other_group_admin = caller(Profile::GroupAdmin, Some(1));
    let err = service.create_usage(&acting(&other_group_admin), "default", Uuid::from_u128(9), "U").await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Group)), "{err:?}");
    let err = service.delete_usage(&acting(&other_group_admin), "default", Uuid::from_u128(9), 1).await.unwrap_err();
    assert!(matches!(err, AppError::NotFound(NodeKind::Group)), "{err:?}");
}

#[tokio::test]
async fn store_refusals_become_errors_naming_what_was_wrong() {
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(|_, _, _| Ok(Some(group_node(1))));
    let mut voice = MockVoiceRoutingStore::new();
    voice.expect_create_route().returning(|_, _, _| Err(VoiceWriteError::UnknownUsages(vec![VoiceId(8)])));
    voice.expect_update_policy().returning(|_, _, _, _| Err(VoiceWriteError::NotFound));
    voice.expect_usage_referrers().returning(|_, _| Ok(None));
    let service = service(nodes, voice);
    let root = caller(Profile::SystemAdmin, None);
    let group = Uuid::from_u128(1);
    let err = service.create_route(&acting(&root), "default", group, route(".*", 1, vec![8])).await.unwrap_err();
    assert!(matches!(&err, AppError::UnknownUsages(ids) if ids == &[VoiceId(8)]), "{err:?}");
    assert!(err.to_string().contains('8'), "{err}");
    let err = service.update_policy(&acting(&root), "default", group, 3, PolicyInput::default()).await.unwrap_err();
    assert!(matches!(err, AppError::VoiceNotFound(VoiceKind::VoiceRoutingPolicy)), "{err:?}");
    let err = service.usage_references(&root, "default", group, 3).await.unwrap_err();
    assert!(matches!(err, AppError::VoiceNotFound(VoiceKind::PstnUsage)), "{err:?}");
}

#[tokio::test]
async fn a_stale_version_answers_as_every_resource_does_and_passes_the_clients_version_down() {
    use canopy_domain::{Version, VersionMismatch};
    let mismatch = VersionMismatch { expected: Version(1), current: Version(2) };
    let mut nodes = MockNodeStore::new();
    nodes.expect_get_node().returning(|_, _, _| Ok(Some(group_node(1))));
    let mut voice = MockVoiceRoutingStore::new();
    voice
        .expect_update_route()
        .withf(|_, _, _, change| change.expected == Some(Version(1)))
        .returning(move |_, _, _, _| Err(VoiceWriteError::VersionMismatch(mismatch)));
    voice.expect_delete_route().returning(move |_, _, _| Err(canopy_storage::VersionedWriteError::from(mismatch)));
    voice.expect_delete_usage().returning(move |_, _, _| Err(DeleteUsageError::VersionMismatch(mismatch)));
    let service = service(nodes, voice);
    let mut root = acting(&caller(Profile::SystemAdmin, None));
    root.request.expected = Some(Version(1));
    let group = Uuid::from_u128(1);
    let err = service.update_route(&root, "default", group, 3, RouteUpdate::default()).await.unwrap_err();
    assert!(matches!(err, AppError::VersionMismatch(m) if m == mismatch), "{err:?}");
    let err = service.delete_route(&root, "default", group, 3).await.unwrap_err();
    assert!(matches!(err, AppError::VersionMismatch(m) if m == mismatch), "{err:?}");
    let err = service.delete_usage(&root, "default", group, 3).await.unwrap_err();
    assert!(matches!(err, AppError::VersionMismatch(m) if m == mismatch), "{err:?}");
}
