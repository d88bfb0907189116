//! Contract cases of users' own accounts (`end_user`): created with the user when it has an
//! e-mail, or by the change that gives it one, in the same unit of work; gone with the user.

use crate::accounts::new_admin;
use crate::levels::{attributes, group_and_tenant, site_group};
use crate::{Case, case, change, instance, new_node, prepared};
use canopy_domain::{Attributes, Node, NodeKind, Profile};
use canopy_storage::{CreateNodeError, NewNode, NodeChanges, Store, UpdateNodeError};
use serde_json::json;
use std::sync::Arc;

/// A user `name` under `holder` with this e-mail and its account.
fn user_with_email(holder: &Node, name: &str, email: &str) -> NewNode {
    let mut new = new_node(NodeKind::User, Some(holder), name);
    new.attributes = attributes(NodeKind::User, json!({"firstName": "Jane", "lastName": "Doe", "email": email}));
    new.admin = Some(new_admin(instance(), Some((NodeKind::User, new.id)), email));
    new
}

fn email_change(email: &str) -> NodeChanges {
    let patch = json!({ "email": email });
    NodeChanges {
        attributes: Some(Attributes::parse_changes(NodeKind::User, patch.as_object().unwrap()).unwrap()),
        account: Some(new_admin(instance(), Some((NodeKind::User, canopy_domain::NodeId(uuid::Uuid::nil()))), email)),
        ..Default::default()
    }
}

async fn a_user_with_an_email_comes_and_goes_with_its_account(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let site = site_group(&*store, &tenant, "s", 5).await;
    let user = store.create_node(user_with_email(&site, "jane", "Jane@Example.com"), &change()).await.unwrap();
    let account = store.find_admin(&instance(), "jane@example.com").await.unwrap().expect("created with the user");
    assert_eq!((account.profile, account.home, account.active), (Profile::EndUser, Some(user.id), false));
    assert_eq!(user.email().map(|e| e.as_str()), Some("Jane@Example.com"));
    store
        .create_admin(new_admin(instance(), Some((NodeKind::Tenant, tenant.id)), "taken@example.com"), &change())
        .await
        .unwrap();
    let refused = store.create_node(user_with_email(&site, "john", "TAKEN@example.com"), &change()).await;
    assert!(
        matches!(refused, Err(CreateNodeError::DuplicateEmail)),
        "addresses are unique across accounts: {refused:?}"
    );
    assert_eq!(
        store.get_node(&instance(), NodeKind::SiteGroup, site.id).await.unwrap().unwrap().subtree.users,
        1,
        "nothing made"
    );
    store.delete_node(&instance(), NodeKind::User, user.id, &change()).await.unwrap();
    assert_eq!(store.find_admin(&instance(), "jane@example.com").await.unwrap(), None, "its account goes with it");
}

async fn a_users_email_set_later_creates_its_account_once_and_never_changes(store: Arc<dyn Store>, _: usize) {
    prepared(&*store).await;
    let (_, tenant) = group_and_tenant(&*store, "G").await;
    let user = store.create_node(new_node(NodeKind::User, Some(&tenant), "jane"), &change()).await.unwrap();
    store
        .create_admin(new_admin(instance(), Some((NodeKind::Tenant, tenant.id)), "admin@example.com"), &change())
        .await
        .unwrap();
    let taken =
        store.update_node(&instance(), NodeKind::User, user.id, email_change("admin@example.com"), &change()).await;
    assert!(matches!(taken, Err(UpdateNodeError::DuplicateEmail)), "{taken:?}");
    let unchanged = store.get_node(&instance(), NodeKind::User, user.id).await.unwrap().unwrap().node;
    assert_eq!((unchanged.email(), unchanged.version), (None, user.version), "nothing changed");
    let set = store
        .update_node(&instance(), NodeKind::User, user.id, email_change("jane@example.com"), &change())
        .await
        .unwrap();
    let account = set.account.expect("the change that gives the e-mail creates the account");
    assert_eq!(
        (account.profile, account.home, account.email.as_str()),
        (Profile::EndUser, Some(user.id), "jane@example.com")
    );
    let again = store
        .update_node(&instance(), NodeKind::User, user.id, email_change("JANE@example.com"), &change())
        .await
        .unwrap();
    assert_eq!(again.account, None, "set once");
    assert_eq!(again.node.email().map(|e| e.as_str()), Some("jane@example.com"));
    let other =
        store.update_node(&instance(), NodeKind::User, user.id, email_change("john@example.com"), &change()).await;
    assert!(matches!(&other, Err(UpdateNodeError::Invalid(e)) if e.field() == Some("email")), "{other:?}");
    assert_eq!(store.list_admins(&instance(), Some(user.id)).await.unwrap().len(), 1);
}

pub(crate) const CASES: &[Case] = &[
    case!(a_user_with_an_email_comes_and_goes_with_its_account),
    case!(a_users_email_set_later_creates_its_account_once_and_never_changes),
];
