//! Contract cases of what the portal face (and any face that names every level by one integer
//! id or uuid) needs from the store: finding what an id names whatever its kind.

use crate::levels::{group_and_tenant, site_group};
use crate::{Case, case, create, instance, other_instance, prepared};
use canopy_domain::{NodeKind, NodeRef, Serial};
use canopy_storage::{Located, Store};
use std::sync::Arc;

async fn an_integer_id_or_a_uuid_names_a_node_of_any_kind_or_the_instance_root(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (group, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 5).await;
    let user = create(&*store, NodeKind::User, Some(&site), "u").await;
    for node in [&group, &tenant, &site, &user] {
        for named in [NodeRef::Uuid(node.id), NodeRef::Serial(node.serial)] {
            let found = store.locate(&instance(), named).await.unwrap();
            let Some(Located::Node { view, parent }) = found else { panic!("{} by {named}: {found:?}", node.kind) };
            assert_eq!(&view.node, node, "{} by {named}", node.kind);
            let expected = match node.kind {
                NodeKind::Group => store.instance_serial(&instance()).await.unwrap().unwrap(),
                NodeKind::Tenant => group.serial,
                NodeKind::SiteGroup => tenant.serial,
                _ => site.serial,
            };
            assert_eq!(parent, expected, "the parent's integer id of the {}", node.kind);
        }
        let elsewhere = store.locate(&other_instance(), NodeRef::Serial(node.serial)).await.unwrap();
        assert_eq!(elsewhere, None, "another instance's {} is not found", node.kind);
    }
    let found = store.locate(&instance(), NodeRef::Uuid(tenant.id)).await.unwrap();
    let Some(Located::Node { view, .. }) = found else { panic!("the tenant") };
    assert_eq!(view.subtree.users, 1, "with its subtree's counters");
    let root = store.instance_serial(&instance()).await.unwrap().unwrap();
    assert_eq!(store.locate(&instance(), NodeRef::Serial(root)).await.unwrap(), Some(Located::Instance));
    assert_eq!(store.locate(&other_instance(), NodeRef::Serial(root)).await.unwrap(), None, "not its root");
    for absent in [Serial(i64::MAX), Serial(0), Serial(-1)] {
        assert_eq!(store.locate(&instance(), NodeRef::Serial(absent)).await.unwrap(), None);
    }
    assert_eq!(store.locate(&instance(), NodeRef::from(uuid::Uuid::new_v4())).await.unwrap(), None);
}

pub(crate) const CASES: &[Case] = &[case!(an_integer_id_or_a_uuid_names_a_node_of_any_kind_or_the_instance_root)];
