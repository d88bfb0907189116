//! Administrators and authentication over HTTP: the spec's admin examples, logins, sessions and
//! their revocation, throttling, activation, reset and the password policy.

mod support;

use axum::http::{Method, StatusCode};
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD};
use serde_json::{Value, json};
use support::{Api, BASE, link_token};

const PASSWORD: &str = "a password for tests";

async fn group(api: &Api) -> String {
    api.create(&format!("{BASE}/groups"), json!({ "name": format!("G {}", uuid::Uuid::new_v4()) })).await
}

#[tokio::test]
async fn the_specs_admin_examples_round_trip() {
    let api = Api::new().await;
    let group = group(&api).await;
    let admins = format!("{BASE}/groups/{group}/admins");
    let body = json!({ "adminEmail": "john.doe@netaxis.be", "firstName": "John", "lastName": "Doe", "mobile": "+33613575607" });
    let (status, created) = api.post(&admins, body).await;
    assert_eq!(status, StatusCode::OK);
    let id = created["id"].as_i64().expect("a numeric id");

    let (status, list) = api.get(&admins).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        list,
        json!({ "page": 1, "pages": 1, "results": 1, "admins": [{ "id": id, "adminEmail": "john.doe@netaxis.be",
                "firstName": "John", "lastName": "Doe", "mobile": "+33613575607", "profile": "group_admin",
                "active": false, "mustChangePassword": false, "version": 1 }] })
    );

    let update = json!({ "firstName": "Johnny", "lastName": "Doe", "mobile": "+33613575607", "adminEmail": "john.doe@netaxis.be" });
    let (status, body) = api.call(Method::PUT, &format!("{admins}/john.doe@netaxis.be"), Some(update)).await;
    assert_eq!((status, body), (StatusCode::OK, json!({ "id": id, "version": 2 })));
    let (_, list) = api.get(&format!("{admins}?search=johnny")).await;
    assert_eq!(list["results"], 1);

    // The e-mail is the reference: it cannot change, and it is unique in the instance.
    let moved = json!({ "adminEmail": "jane@netaxis.be" });
    let (status, body) = api.call(Method::PUT, &format!("{admins}/john.doe@netaxis.be"), Some(moved)).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("adminEmail")));
    let other = self::group(&api).await;
    let (status, body) =
        api.post(&format!("{BASE}/groups/{other}/admins"), json!({ "adminEmail": "JOHN.DOE@netaxis.be" })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("duplicate_email")));
    // An administrator of another node is not found on this one.
    let (status, body) = api
        .call(
            Method::PUT,
            &format!("{BASE}/groups/{other}/admins/john.doe@netaxis.be"),
            Some(json!({ "adminEmail": "john.doe@netaxis.be" })),
        )
        .await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("admin_not_found")));

    let (status, body) = api.call(Method::DELETE, &format!("{admins}/john.doe@netaxis.be"), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, _) = api.call(Method::DELETE, &format!("{admins}/john.doe@netaxis.be"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "deleting is idempotent");
    assert_eq!(api.get(&admins).await.1["results"], 0);
}

#[tokio::test]
async fn a_group_created_with_admin_email_has_that_administrator_who_can_activate_and_log_in() {
    let api = Api::new().await;
    let body =
        json!({ "name": "CBUR Test POST", "draasDomain": "my.fusion.domain", "adminEmail": "john.doe@netaxis.be" });
    let group = api.create(&format!("{BASE}/groups"), body).await;
    let (_, list) = api.get(&format!("{BASE}/groups/{group}/admins")).await;
    assert_eq!(list["admins"][0]["adminEmail"], "john.doe@netaxis.be");
    let token = api.activation_token("john.doe@netaxis.be").await;
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": token, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let john = api.with_token(Some(api.login("john.doe@netaxis.be", PASSWORD).await));
    let (status, me) = john.get("/api/v01/auth/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((me["profile"].as_str(), me["nodeUuid"].as_str()), (Some("group_admin"), Some(group.as_str())));
    assert!(me["permissions"].as_array().unwrap().contains(&json!("groups.instance.admins.create")));

    // The same address again: refused, and no second group is created.
    let body = json!({ "name": "Another", "adminEmail": "John.Doe@netaxis.be" });
    let (status, error) = api.post(&format!("{BASE}/groups"), body).await;
    assert_eq!((status, error["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("duplicate_email")));
    assert_eq!(api.get(&format!("{BASE}/groups")).await.1["results"], 1);
}

#[tokio::test]
async fn logout_password_change_and_deletion_revoke_tokens_and_sessions_expire() {
    let api = Api::new().await;
    let group = group(&api).await;
    let holder = format!("/groups/{group}");
    let admin = api.admin(&holder, "jane@example.com").await;
    let me = "/api/v01/auth/me";
    assert_eq!(admin.get(me).await.0, StatusCode::OK);

    let (status, _) = admin.post("/api/v01/auth/logout", json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = admin.get(me).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("invalid_token")));

    // A forced reset ends every session and sends a reset link.
    let admin = admin.with_token(Some(api.login("jane@example.com", PASSWORD).await));
    let reset = json!({ "adminEmail": "jane@example.com", "force_reset": true });
    let (status, _) = api.call(Method::PUT, &format!("{BASE}{holder}/admins/jane@example.com"), Some(reset)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(admin.get(me).await.0, StatusCode::UNAUTHORIZED);
    let (status, _) =
        api.post("/api/v01/auth/login", json!({ "username": "jane@example.com", "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the old password is gone");
    let token = wait_for_subject(&api, "jane@example.com", "Reset").await;
    let new_password = "another password entirely";
    let (status, _) = api.post("/api/v01/auth/reset", json!({ "token": token, "password": new_password })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let admin = admin.with_token(Some(api.login("jane@example.com", new_password).await));

    // Sessions expire (the root's too: it logs in again).
    api.clock.advance_secs(8 * 3600);
    assert_eq!(admin.get(me).await.0, StatusCode::UNAUTHORIZED);
    let admin = admin.with_token(Some(api.login("jane@example.com", new_password).await));
    let api = api.with_token(Some(api.login(ROOT_EMAIL, ROOT_PASSWORD).await));

    // Deleting the administrator revokes its tokens.
    let (status, _) = api.call(Method::DELETE, &format!("{BASE}{holder}/admins/jane@example.com"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(admin.get(me).await.0, StatusCode::UNAUTHORIZED);
}

/// The token of the newest message to `to` whose subject contains `subject`.
async fn wait_for_subject(api: &Api, to: &str, subject: &str) -> String {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let found = api.outbox.messages().into_iter().rev().find(|m| m.to == to && m.subject.contains(subject));
        if let Some(message) = found {
            return link_token(&message.body);
        }
        assert!(tokio::time::Instant::now() < deadline, "no {subject} message to {to}");
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn repeated_failures_lock_the_account_with_retry_after_then_it_unlocks() {
    let api = Api::new().await;
    let anonymous = api.with_token(None);
    let attempt = |password: &'static str| {
        let anonymous = &anonymous;
        async move {
            let request = axum::http::Request::post("/api/v01/auth/login")
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({ "username": ROOT_EMAIL, "password": password }).to_string()))
                .unwrap();
            tower::ServiceExt::oneshot(anonymous.router.clone(), request).await.unwrap()
        }
    };
    for _ in 0..5 {
        assert_eq!(attempt("wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
    let locked = attempt("wrong password!").await;
    assert_eq!(locked.status(), StatusCode::LOCKED);
    assert_eq!(locked.headers()["retry-after"], "30");
    // While locked, even the right password is refused, without being checked.
    let locked = attempt(ROOT_PASSWORD).await;
    assert_eq!(locked.status(), StatusCode::LOCKED);
    api.clock.advance_secs(31);
    assert_eq!(attempt(ROOT_PASSWORD).await.status(), StatusCode::OK);
    // A success resets the count: five more failures are free again.
    for _ in 0..5 {
        assert_eq!(attempt("wrong password!").await.status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn unknown_addresses_and_wrong_passwords_answer_alike() {
    let api = Api::new().await.with_token(None);
    let login = |username: &str, password: &str| {
        api.post("/api/v01/auth/login", json!({ "username": username, "password": password }))
    };
    let (unknown_status, unknown) = login("nobody@example.com", ROOT_PASSWORD).await;
    let (wrong_status, wrong) = login(ROOT_EMAIL, "not the password").await;
    assert_eq!((unknown_status, &unknown), (wrong_status, &wrong));
    assert_eq!(unknown["error"]["code"], "invalid_credentials");
    // A created but never activated account cannot log in either, and says so the same way.
    let root = Api::new().await;
    let (status, _) = root.post(&format!("{BASE}/admins"), json!({ "adminEmail": "new@example.com" })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = root
        .with_token(None)
        .post("/api/v01/auth/login", json!({ "username": "new@example.com", "password": "" }))
        .await;
    assert_eq!((status, &body), (StatusCode::UNAUTHORIZED, &unknown));
}

#[tokio::test]
async fn forgot_answers_the_same_for_any_address_and_mails_only_accounts() {
    let api = Api::new().await;
    for username in [ROOT_EMAIL, "nobody@example.com"] {
        let (status, body) = api.post("/api/v01/auth/forgot", json!({ "username": username })).await;
        assert_eq!((status, body), (StatusCode::ACCEPTED, Value::Null));
    }
    let token = wait_for_subject(&api, ROOT_EMAIL, "Reset").await;
    assert!(api.outbox.last_to("nobody@example.com").is_none());
    let (status, body) = api.post("/api/v01/auth/reset", json!({ "token": token, "password": "short" })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("password")));
    let (status, _) = api.post("/api/v01/auth/reset", json!({ "token": token, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a refused password does not spend the token");
    let (status, body) = api.post("/api/v01/auth/reset", json!({ "token": token, "password": PASSWORD })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_one_time_token")));
    // An activation token is no reset token, and links expire.
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": token, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    api.login(ROOT_EMAIL, PASSWORD).await;
}

#[tokio::test]
async fn activation_links_are_single_use_and_expire() {
    let api = Api::new().await;
    for email in ["a@example.com", "b@example.com"] {
        let (status, _) = api.post(&format!("{BASE}/admins"), json!({ "adminEmail": email })).await;
        assert_eq!(status, StatusCode::OK);
    }
    let first = api.activation_token("a@example.com").await;
    // The policy knows whose password it is: one holding the account's e-mail is refused, and
    // the refusal does not spend the link.
    let with_email = "a@example.com and more words";
    let (status, body) = api.post("/api/v01/auth/activate", json!({ "token": first, "password": with_email })).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("password")));
    assert!(body["error"]["message"].as_str().unwrap().contains("e-mail"), "{body}");
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": first, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": first, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "single use");

    let second = api.activation_token("b@example.com").await;
    api.clock.advance_secs(72 * 3600 + 1);
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": second, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "expired");
    let api = api.with_token(Some(api.login(ROOT_EMAIL, ROOT_PASSWORD).await));
    // welcome sends a fresh link, which works.
    let (status, body) = api.post(&format!("{BASE}/admins/welcome"), json!({ "adminEmail": "b@example.com" })).await;
    assert_eq!((status, body), (StatusCode::OK, Value::Null));
    let fresh = api.activation_token("b@example.com").await;
    assert_ne!(fresh, second);
    let (status, _) = api.post("/api/v01/auth/activate", json!({ "token": fresh, "password": PASSWORD })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) =
        api.post(&format!("{BASE}/admins/welcome"), json!({ "adminEmail": "nobody@example.com" })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::NOT_FOUND, Some("admin_not_found")));
}

#[tokio::test]
async fn bad_account_input_gets_a_clear_400_and_changes_nothing() {
    let api = Api::new().await;
    let group = group(&api).await;
    let admins = format!("{BASE}/groups/{group}/admins");
    for (body, field) in [
        (json!({ "adminEmail": "not an address" }), Some("adminEmail")),
        (json!({ "adminEmail": "x@example.com", "mobile": "call me" }), Some("mobile")),
        (json!({ "adminEmail": "x@example.com", "firstName": "" }), Some("firstName")),
        (json!({ "adminEmail": "x@example.com", "role": "system_admin" }), None),
        (json!({ "firstName": "No e-mail" }), None),
    ] {
        let (status, answer) = api.post(&admins, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        if let Some(field) = field {
            assert_eq!(answer["error"]["details"]["field"], field, "{body}");
        }
    }
    assert_eq!(api.get(&admins).await.1["results"], 0);
    let (status, body) = api.post("/api/v01/auth/login", json!({ "username": ROOT_EMAIL })).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, _) = api.get(&format!("{admins}?page=0")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = api.get(&format!("{admins}?page_size=5000")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_administrator_cannot_delete_itself() {
    let api = Api::new().await;
    let (status, body) = api.call(Method::DELETE, &format!("{BASE}/admins/{ROOT_EMAIL}"), None).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("cannot_delete_self")));
    assert_eq!(api.get("/api/v01/auth/me").await.0, StatusCode::OK);
}

#[tokio::test]
async fn an_administrators_list_is_continued_by_its_next_tokens_and_no_other() {
    let api = Api::new().await;
    let group = group(&api).await;
    let admins = format!("{BASE}/groups/{group}/admins");
    let mut expected = Vec::new();
    for i in [4, 9, 0, 7, 2, 11, 5, 1, 10, 3, 8, 6] {
        let email = format!("admin{i:02}@example.com");
        assert_eq!(api.post(&admins, json!({ "adminEmail": email })).await.0, StatusCode::OK);
        expected.push(email);
    }
    expected.sort();
    let (mut listed, mut url) = (Vec::new(), format!("{admins}?page_size=5"));
    let first_next = loop {
        let (status, page) = api.get(&url).await;
        assert_eq!((status, page["results"].as_u64(), page["pages"].as_u64()), (StatusCode::OK, Some(12), Some(3)));
        listed.extend(page["admins"].as_array().unwrap().iter().map(|admin| admin["adminEmail"].clone()));
        match page["next"].as_str() {
            Some(next) => url = format!("{admins}?next={next}"),
            None => break url,
        }
    };
    assert_eq!(listed, expected);
    // A token continues only the list it came from: another node's administrators refuse it.
    let other = self::group(&api).await;
    let foreign = first_next.replace(&group, &other);
    let (status, body) = api.get(&foreign).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_next_token")));
    let (status, body) = api.get(&format!("{admins}?sort=name")).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("sort")));
    let (_, backwards) = api.get(&format!("{admins}?dir=desc&page_size=1")).await;
    assert_eq!(backwards["admins"][0]["adminEmail"], "admin11@example.com");
}
