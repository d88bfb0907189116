//! The sipXconfig face against the real binary, on both stores: the spec's examples replayed in
//! both representations (`examples.rs` keeps them, with their lines), hostile XML
//! (`hostile.rs`), and the races the issue names.

mod examples;
mod hostile;

pub use hostile::hostile_xml_is_refused_and_changes_nothing;

use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, Store};
use examples::*;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

/// A tenant of its own, and its sipXconfig base URL.
pub struct Tenant {
    pub client: Client,
    pub base: String,
}

impl Tenant {
    pub async fn new(server: &Server, client: &Client, name: &str) -> Self {
        let api = server.url("/api/v01/draas/default");
        let group = client.post(format!("{api}/groups")).json(&json!({ "name": name })).send().await.unwrap();
        let group = group.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
        let tenant = json!({ "name": name, "tenantId": name });
        let tenant = client.post(format!("{api}/groups/{group}/tenants")).json(&tenant).send().await.unwrap();
        let uuid = tenant.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_owned();
        let base = format!("{api}/tenants/{uuid}/sipxconfig/rest");
        Self { client: client.clone(), base }
    }

    /// `(status, body)` of a request; `json` asks for JSON, `body` is XML unless it starts with `{`.
    pub async fn call(
        &self,
        method: reqwest::Method,
        rest: &str,
        body: Option<&str>,
        json: bool,
    ) -> (StatusCode, String) {
        let mut request = self.client.request(method, format!("{}{rest}", self.base));
        if json {
            request = request.header("accept", "application/json");
        }
        if let Some(body) = body {
            let kind = if body.starts_with('{') { "application/json" } else { "text/xml" };
            request = request.header("content-type", kind).body(body.to_owned());
        }
        let response = request.send().await.unwrap();
        (response.status(), response.text().await.unwrap())
    }

    pub async fn create(&self, body: &str) -> i64 {
        let (status, answer) = self.call(reqwest::Method::PUT, "/user-group", Some(body), true).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        serde_json::from_str::<Value>(&answer).unwrap()["response"]["data"]["id"].as_i64().unwrap()
    }

    pub async fn total(&self) -> u64 {
        let (_, list) = self.call(reqwest::Method::GET, "/user-group", None, true).await;
        serde_json::from_str::<Value>(&list).unwrap()["user-group"]["metadata"]["totalResults"].as_u64().unwrap()
    }
}

fn parsed(json: &str) -> Value {
    serde_json::from_str(json).unwrap_or_else(|_| panic!("not JSON: {json}"))
}

/// L18-32 (XML) and its JSON twin: the first of seven groups by description.
async fn replay_list_by_description(server: &Server, client: &Client) {
    let tenant = Tenant::new(server, client, "list-by-description").await;
    let ldap = tenant.create(r#"{"group": {"name": "ldap_imports"}}"#).await;
    for i in 1..=6 {
        tenant.create(&format!(r#"{{"group": {{"name": "g{i}", "description": "Group {i}"}}}}"#)).await;
    }
    let (status, xml) = tenant.call(reqwest::Method::GET, &format!("/user-group{LIST_QUERY_L18}"), None, false).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(xml, compact(LIST_XML_L19).replace("<id>19</id>", &format!("<id>{ldap}</id>")), "L19-32");
    let (status, json) = tenant.call(reqwest::Method::GET, &format!("/user-group{LIST_QUERY_L18}"), None, true).await;
    assert_eq!(status, StatusCode::OK);
    let twin = json!({ "user-group": {
        "metadata": { "totalResults": 7, "currentPage": 1, "totalPages": 7, "resultsPerPage": 1 },
        "groups": [{ "id": ldap, "name": "ldap_imports" }] } });
    assert_eq!(parsed(&json), twin, "L19-32 in JSON");
}

/// L33-52 (JSON, its root corrected) and L93-131 (the list shape given for one group, XML and
/// JSON), each in the other representation too; and what `GET /user-group/{id}` answers.
async fn replay_lists_of_two(server: &Server, client: &Client) {
    for (name, second, json_example, xml_example) in [
        ("two-a", "IMGroup", LIST_JSON_L34.replacen("usergroup", "user-group", 1), None),
        ("two-b", "IM-Group", LIST_JSON_L113.to_owned(), Some(LIST_XML_L93)),
    ] {
        let tenant = Tenant::new(server, client, name).await;
        let admins = tenant
            .create(r#"{"group": {"name": "administrators", "description": "Users with superadmin privileges"}}"#)
            .await;
        let other = tenant.create(&format!("<group><name>{second}</name></group>")).await;
        let ids = |text: &str| text.replace(">5<", &format!(">{admins}<")).replace(">9<", &format!(">{other}<"));
        let (status, json) = tenant.call(reqwest::Method::GET, "/user-group?page=1&pagesize=2", None, true).await;
        assert_eq!(status, StatusCode::OK);
        let mut expected = parsed(&json_example);
        expected["user-group"]["groups"][0]["id"] = json!(admins);
        expected["user-group"]["groups"][1]["id"] = json!(other);
        assert_eq!(parsed(&json), expected, "{name}: the JSON example");
        let (_, xml) = tenant.call(reqwest::Method::GET, "/user-group?page=1&pagesize=2", None, false).await;
        let twin = format!(
            "<user-group><metadata><totalResults>2</totalResults><currentPage>1</currentPage><totalPages>1</totalPages>\
             <resultsPerPage>2</resultsPerPage></metadata><groups><group><id>{admins}</id><name>administrators</name>\
             <description>Users with superadmin privileges</description></group><group><id>{other}</id>\
             <name>{second}</name></group></groups></user-group>"
        );
        assert_eq!(xml, twin, "{name}: XML");
        if let Some(example) = xml_example {
            assert_eq!(xml, ids(&compact(example)), "L93-111");
        }
        // One id, one group: the real server's answer (the seed's L93-131 is the list's).
        let (status, one) = tenant.call(reqwest::Method::GET, &format!("/user-group/{admins}"), None, false).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            one,
            format!(
                "<group><id>{admins}</id><name>administrators</name><description>Users with superadmin privileges</description></group>"
            )
        );
    }
}

/// L53-74: the creation, in XML as the seed writes it and in JSON; the branch comes back.
async fn replay_creation(server: &Server, client: &Client) {
    let tenant = Tenant::new(server, client, "creation").await;
    let (status, answer) = tenant.call(reqwest::Method::PUT, "/user-group", Some(CREATE_XML_L55), false).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let id: i64 = answer.split("<id>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    assert_eq!(
        answer,
        format!(
            "<response><code>SUCCESS_CREATED</code><message>Created</message><data><id>{id}</id></data></response>"
        )
    );
    let (_, read) = tenant.call(reqwest::Method::GET, &format!("/user-group/{id}"), None, false).await;
    let expected = compact(CREATE_XML_L55)
        .replace("<userGroup><id>5</id>", &format!("<group><id>{id}</id>"))
        .replace("</userGroup>", "</group>");
    assert_eq!(read, expected, "the group as sent, branch included, under its id");
    let other = Tenant::new(server, client, "creation-json").await;
    let body = json!({ "userGroup": { "id": 5, "name": "JusticeLeague", "description": "Superheroes Unlimited",
        "branch": { "id": 1, "name": "HallOfJustice", "description": "Hall of Superheroes",
            "address": { "id": 3, "street": "1 Justice Way", "city": "Smallville", "country": "United States",
                         "state": "MidAmerica", "zip": "55555", "officeDesignation": "MailStop" },
            "phoneNumber": "555-HERO" } } });
    let (status, answer) = other.call(reqwest::Method::PUT, "/user-group", Some(&body.to_string()), true).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let answer = parsed(&answer);
    assert_eq!(answer["response"]["code"], "SUCCESS_CREATED");
    let id = answer["response"]["data"]["id"].as_i64().unwrap();
    let (_, read) = other.call(reqwest::Method::GET, &format!("/user-group/{id}"), None, true).await;
    let mut expected = body["userGroup"].clone();
    expected["id"] = json!(id);
    assert_eq!(parsed(&read), json!({ "group": expected }));
}

/// L150-265: a group's permissions set, then read, in XML and in JSON.
async fn replay_permissions(server: &Server, client: &Client) {
    // The table transcribes the seed.
    let transcribed: String = std::iter::once(format!(
        "<group><id>{}</id><name>{}</name><description>{}</description><permissions>",
        PERMISSIONS_GROUP_L171.0, PERMISSIONS_GROUP_L171.1, PERMISSIONS_GROUP_L171.2
    ))
    .chain(PERMISSIONS_L171.iter().map(|(name, value, default)| setting_xml(name, *value, *default)))
    .chain(std::iter::once("</permissions></group>".to_owned()))
    .collect();
    assert_eq!(transcribed, compact(PERMISSIONS_XML_L171));

    for (name, as_json) in [("permissions-xml", false), ("permissions-json", true)] {
        let tenant = Tenant::new(server, client, name).await;
        let api = tenant.base.replace("/sipxconfig/rest", "/custom_permissions");
        let mut customs = std::collections::HashMap::new();
        for seed_name in ["perm_3", "perm_4", "perm_7"] {
            let created = client.post(&api).json(&json!({ "label": seed_name })).send().await.unwrap();
            let created: Value = created.json().await.unwrap();
            customs.insert(seed_name, created["name"].as_str().unwrap().to_owned());
        }
        let (_, group_name, description) = PERMISSIONS_GROUP_L171;
        let id = tenant
            .create(&format!("<group><name>{group_name}</name><description>{description}</description></group>"))
            .await;
        let set: Vec<(&str, &str)> =
            PERMISSIONS_L171.iter().filter_map(|(name, value, _)| value.map(|value| (*name, value))).collect();
        let body = if as_json {
            let settings: Vec<Value> = set.iter().map(|(n, v)| json!({ "name": n, "value": v })).collect();
            json!({ "group": { "id": 5, "permissions": settings } }).to_string()
        } else {
            let settings: String =
                set.iter().map(|(n, v)| format!("<setting><name>{n}</name><value>{v}</value></setting>")).collect();
            format!("<group><id>5</id><permissions>{settings}</permissions></group>")
        };
        let (status, answer) =
            tenant.call(reqwest::Method::PUT, &format!("/user-group-permission/{id}"), Some(&body), as_json).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let updated = format!(
            "<response><code>SUCCESS_UPDATED</code><message>Updated</message><data><id>{id}</id></data></response>"
        );
        if as_json {
            assert_eq!(
                parsed(&answer),
                json!({ "response": { "code": "SUCCESS_UPDATED", "message": "Updated", "data": { "id": id } } })
            );
        } else {
            assert_eq!(answer, updated);
        }
        // The seed's settings with Canopy's custom names, and the two built-ins the seed predates.
        let mut expected: Vec<(String, Option<&str>, bool)> = PERMISSIONS_L171
            .iter()
            .map(|(name, value, default)| {
                (customs.get(name).cloned().unwrap_or_else(|| (*name).to_owned()), *value, *default)
            })
            .collect();
        expected.push(("dbauth-only".to_owned(), None, false));
        expected.push(("group-music-on-hold".to_owned(), None, false));
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        let (status, read) =
            tenant.call(reqwest::Method::GET, &format!("/user-group-permission/{id}"), None, as_json).await;
        assert_eq!(status, StatusCode::OK);
        if as_json {
            let settings: Vec<Value> = expected
                .iter()
                .map(|(n, v, d)| match v {
                    Some(v) => json!({ "name": n, "value": v, "defaultValue": d }),
                    None => json!({ "name": n, "defaultValue": d }),
                })
                .collect();
            let document = json!({ "group": { "id": id, "name": group_name, "description": description, "permissions": settings } });
            assert_eq!(parsed(&read), document);
        } else {
            let settings: String = expected.iter().map(|(n, v, d)| setting_xml(n, *v, *d)).collect();
            let document = format!(
                "<group><id>{id}</id><name>{group_name}</name><description>{description}</description>\
                 <permissions>{settings}</permissions></group>"
            );
            assert_eq!(read, document, "L171-257");
        }
    }
}

fn setting_xml(name: &str, value: Option<&str>, default: bool) -> String {
    let value = value.map(|v| format!("<value>{v}</value>")).unwrap_or_default();
    format!("<setting><name>{name}</name>{value}<defaultValue>{default}</defaultValue></setting>")
}

pub async fn replays_the_sipxconfig_examples(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    replay_list_by_description(&server, &client).await;
    replay_lists_of_two(&server, &client).await;
    replay_creation(&server, &client).await;
    replay_permissions(&server, &client).await;
    // The same through HTTP Basic, as sipXconfig clients authenticate.
    let tenant = Tenant::new(&server, &client, "basic").await;
    let basic = Client::new();
    let response = basic
        .put(format!("{}/user-group", tenant.base))
        .basic_auth(ADMIN_EMAIL, Some(ADMIN_PASSWORD))
        .body("<group><name>ByBasic</name></group>")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    server.stop().await;
}

/// Over real HTTP: each built-in permission set by its own PUT, all at once, on one group; and
/// twenty creations of one name.
pub async fn concurrent_sipxconfig_changes_keep_every_permission_and_one_name(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let tenant = Tenant::new(&server, &client, "races").await;
    let id = tenant.create(r#"{"group": {"name": "Racing"}}"#).await;
    let names: Vec<String> = {
        let (_, read) = tenant.call(reqwest::Method::GET, &format!("/user-group-permission/{id}"), None, true).await;
        parsed(&read)["group"]["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names.len(), 18);
    let puts =
        names.iter().map(|name| {
            let body = format!(
                "<group><permissions><setting><name>{name}</name><value>DISABLE</value></setting></permissions></group>"
            );
            let tenant = &tenant;
            async move {
                tenant.call(reqwest::Method::PUT, &format!("/user-group-permission/{id}"), Some(&body), false).await.0
            }
        });
    let statuses = futures::future::join_all(puts).await;
    assert!(statuses.iter().all(|s| *s == StatusCode::OK), "{statuses:?}");
    let (_, read) = tenant.call(reqwest::Method::GET, &format!("/user-group-permission/{id}"), None, true).await;
    let read = parsed(&read);
    assert!(read["group"]["permissions"].as_array().unwrap().iter().all(|s| s["value"] == "DISABLE"), "{read}");

    let creations = (0..20).map(|i| {
        let body = if i % 2 == 0 { "<group><name>Same</name></group>" } else { "<group><name>SAME</name></group>" };
        let tenant = &tenant;
        async move { tenant.call(reqwest::Method::PUT, "/user-group", Some(body), false).await }
    });
    let answers = futures::future::join_all(creations).await;
    let won = answers.iter().filter(|(status, _)| *status == StatusCode::CREATED).count();
    assert_eq!(won, 1, "{answers:?}");
    assert!(answers.iter().all(|(s, b)| *s == StatusCode::CREATED || b.contains("ERROR_VALIDATION_FAILED")));
    assert_eq!(tenant.total().await, 2);
    server.stop().await;
}
