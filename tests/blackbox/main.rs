//! Black-box tests: start the real `canopy` binary on a free loopback port, once per store,
//! and speak HTTP to it as a client would.

mod apio;
mod audit;
mod auth;
mod database_password;
mod database_tls;
mod http_stack;
mod legacy;
mod levels;
mod onboarding;
mod operations;
mod outage;
mod portal;
mod races;
mod raw;
mod secrets_in_logs;
mod security;
mod server;
mod sessions;
mod sipxconfig;

use apio::{the_spec_examples_replay_on_the_bare_mount, the_spec_examples_replay_on_the_prefixed_mount};
use audit::changes_are_audited_with_their_request_id_and_no_secret;
use levels::{an_end_user_logs_in_and_reads_its_own_user_only, site_groups_and_users_are_counted_guarded_and_limited};
use onboarding::administrators_are_onboarded_without_mail_by_a_temporary_password;
use portal::{
    a_lock_refuses_the_writes_below_it_on_every_face, an_impersonation_token_is_audited_used_and_expires,
    concurrent_brand_writes_on_one_version_apply_exactly_once,
    concurrent_portal_puts_on_one_version_apply_exactly_once, portal_logins_sessions_lists_and_links_over_the_binary,
    replays_the_portal_brand_logo_and_settings_examples, replays_the_portal_specs_examples,
    writes_racing_a_lock_applied_before_it_or_are_refused,
    writes_racing_a_lock_over_two_processes_applied_before_it_or_are_refused,
};
use races::{races_keep_every_invariant, races_spread_over_two_processes_keep_every_invariant};
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Server, Store};
use sessions::a_disabled_group_stops_its_accounts_until_enabled_again;
use sipxconfig::{
    concurrent_sipxconfig_changes_keep_every_permission_and_one_name, hostile_xml_is_refused_and_changes_nothing,
    replays_the_sipxconfig_examples,
};

async fn replays_the_specs_group_examples(store: Store) {
    let server = Server::start(store).await;
    let base = server.url("/api/v01/draas/default");
    let client = server.client().await;

    let body =
        json!({ "name": "CBUR Test POST", "draasDomain": "my.fusion.domain", "adminEmail": "john.doe@netaxis.be" });
    let response = client.post(format!("{base}/groups")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let uuid = response.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();

    let update = json!({ "name": "Group 1", "draasDomain": "first.draas.domain" });
    let response = client.put(format!("{base}/groups/{uuid}")).json(&update).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "uuid": uuid, "version": 2 }));

    for (path, body) in [
        ("distributors", json!({ "name": "D1" })),
        ("distributors", json!({ "name": "D2" })),
        ("resellers", json!({ "name": "R1" })),
        ("resellers", json!({ "name": "R2" })),
        ("tenants", json!({ "name": "T1", "tenantId": "t1" })),
        ("tenants", json!({ "name": "T2", "tenantId": "t2" })),
    ] {
        let response = client.post(format!("{base}/groups/{uuid}/{path}")).json(&body).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
    let group: Value = client.get(format!("{base}/groups/{uuid}")).send().await.unwrap().json().await.unwrap();
    assert_eq!(
        group,
        json!({ "draasDomain": "first.draas.domain", "id": group["id"], "name": "Group 1", "nbOfDistributors": 2,
                "nbOfResellers": 2, "nbOfTenants": 2, "nbOfSiteGroups": 0, "nbOfUsers": 0, "uuid": uuid,
                "version": 2 })
    );
    assert!(group["id"].as_i64().is_some_and(|id| id > 0), "an integer id: {group}");

    let list: Value =
        client.get(format!("{base}/groups?search=group&page_size=1")).send().await.unwrap().json().await.unwrap();
    assert_eq!((list["page"].clone(), list["pages"].clone(), list["results"].clone()), (json!(1), json!(1), json!(1)));
    assert_eq!(
        list["groups"],
        json!([{ "draasDomain": "first.draas.domain", "id": group["id"], "name": "Group 1", "uuid": uuid, "version": 2 }])
    );

    let response = client.delete(format!("{base}/groups/{uuid}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "not_empty");
    assert_eq!(error["error"]["domain"], "canopy");
    assert_eq!(error["error"]["details"]["children"], json!({ "distributors": 2, "resellers": 2, "tenants": 2 }));

    let missing = uuid::Uuid::new_v4();
    let response = client.delete(format!("{base}/groups/{missing}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.json::<Value>().await.unwrap(), json!({ "uuid": missing }));

    let response = client
        .post(format!("{base}/groups"))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(response.json::<Value>().await.unwrap()["error"]["code"], "malformed_json");
    server.stop().await;
}

async fn stops_gracefully_on_sigterm(store: Store) {
    let server = Server::start(store).await;
    let status = server.terminate().await;
    assert!(status.success(), "canopy exited with {status} after SIGTERM");
}

macro_rules! for_each_store {
    ($($case:ident),* $(,)?) => {
        mod memory {
            $(#[tokio::test] async fn $case() { super::$case(super::Store::Memory).await })*

            #[tokio::test]
            async fn warns_that_memory_data_is_not_persisted() {
                let server = super::Server::start(super::Store::Memory).await;
                assert!(server.log_contains("data is NOT persisted").await);
                server.stop().await;
            }
        }
        mod postgres {
            $(#[tokio::test] async fn $case() { super::$case(super::Store::postgres().await).await })*

            #[tokio::test]
            async fn races_spread_over_two_processes_keep_every_invariant() {
                super::races_spread_over_two_processes_keep_every_invariant().await
            }

            #[tokio::test]
            async fn a_logout_ends_its_session_here_at_once_and_elsewhere_within_the_cache_lifetime() {
                super::sessions::a_logout_ends_its_session_here_at_once_and_elsewhere_within_the_cache_lifetime().await
            }

            #[tokio::test]
            async fn writes_racing_a_lock_over_two_processes_applied_before_it_or_are_refused() {
                super::writes_racing_a_lock_over_two_processes_applied_before_it_or_are_refused().await
            }

            #[tokio::test]
            async fn migrate_applies_the_schema_and_exits() {
                let url = canopy_contract::testing::fresh_database().await;
                let (status, stderr) = super::server::run_migrate(Some(&url)).await;
                assert!(status.success(), "{stderr}");
                let server = super::Server::start(super::Store::Postgres(url)).await;
                assert!(server.log_contains("migrations applied").await);
                server.stop().await;
            }
        }
    };
}

for_each_store!(
    replays_the_specs_group_examples,
    races_keep_every_invariant,
    changes_are_audited_with_their_request_id_and_no_secret,
    administrators_are_onboarded_without_mail_by_a_temporary_password,
    replays_the_sipxconfig_examples,
    hostile_xml_is_refused_and_changes_nothing,
    concurrent_sipxconfig_changes_keep_every_permission_and_one_name,
    site_groups_and_users_are_counted_guarded_and_limited,
    an_end_user_logs_in_and_reads_its_own_user_only,
    the_spec_examples_replay_on_the_bare_mount,
    the_spec_examples_replay_on_the_prefixed_mount,
    replays_the_portal_specs_examples,
    concurrent_portal_puts_on_one_version_apply_exactly_once,
    replays_the_portal_brand_logo_and_settings_examples,
    concurrent_brand_writes_on_one_version_apply_exactly_once,
    portal_logins_sessions_lists_and_links_over_the_binary,
    an_impersonation_token_is_audited_used_and_expires,
    a_disabled_group_stops_its_accounts_until_enabled_again,
    a_lock_refuses_the_writes_below_it_on_every_face,
    writes_racing_a_lock_applied_before_it_or_are_refused,
    stops_gracefully_on_sigterm
);

#[tokio::test]
async fn migrate_without_a_database_url_fails_clearly() {
    let (status, stderr) = server::run_migrate(None).await;
    assert!(!status.success());
    assert!(stderr.contains("canopy migrate needs DATABASE_URL"), "the error names what is missing: {stderr}");
}
