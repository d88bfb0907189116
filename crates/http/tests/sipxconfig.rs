//! HTTP tests of the sipXconfig face (in process, memory store): XML by default and JSON when
//! asked, both roots, the `<response>` shapes, ids, paging and sorting, 405/404/406/415 the
//! face's way, versions, the audit log and subtree scoping; permissions (`permissions.rs`),
//! HTTP Basic (`basic.rs`) and the callers below the tenant (`below.rs`) in their own modules.

mod support;

#[path = "sipxconfig/basic.rs"]
mod basic;
#[path = "sipxconfig/below.rs"]
mod below;
#[path = "sipxconfig/permissions.rs"]
mod permissions;

use axum::body::Body;
use axum::http::header::{ALLOW, CONTENT_TYPE, ETAG, LOCATION};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use support::{Api, BASE};
use tower::ServiceExt;

pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|_| panic!("not JSON: {}", self.body))
    }
}

/// A tenant (under group G) and its sipXconfig base.
pub struct Sipx {
    pub api: Api,
    pub tenant: String,
    pub base: String,
}

impl Sipx {
    pub async fn new() -> Self {
        let api = Api::new().await;
        let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
        let tenant =
            api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t1" })).await;
        let base = format!("{BASE}/tenants/{tenant}/sipxconfig/rest");
        Self { api, tenant, base }
    }

    /// `method` on `rest` below the base, as the api's caller (its bearer token unless `headers`
    /// names another `authorization`).
    pub async fn send(&self, method: Method, rest: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut request = Request::builder().method(method).uri(format!("{}{rest}", self.base));
        let own_auth = headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("authorization"));
        if let (Some(token), false) = (&self.api.token, own_auth) {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response =
            self.api.router.clone().oneshot(request.body(Body::from(body.to_owned())).unwrap()).await.unwrap();
        let (parts, body) = response.into_parts();
        let body = String::from_utf8(body.collect().await.unwrap().to_bytes().to_vec()).unwrap();
        Reply { status: parts.status, headers: parts.headers, body }
    }

    pub async fn get(&self, rest: &str) -> Reply {
        self.send(Method::GET, rest, &[], "").await
    }

    pub async fn get_json(&self, rest: &str) -> Reply {
        self.send(Method::GET, rest, &[("accept", "application/json")], "").await
    }

    pub async fn put_xml(&self, rest: &str, body: &str) -> Reply {
        self.send(Method::PUT, rest, &[("content-type", "text/xml")], body).await
    }

    pub async fn put_json(&self, rest: &str, body: Value) -> Reply {
        let headers = [("content-type", "application/json"), ("accept", "application/json")];
        self.send(Method::PUT, rest, &headers, &body.to_string()).await
    }

    /// Creates a group (JSON) and answers its id.
    pub async fn create(&self, name: &str, description: Option<&str>) -> i64 {
        let reply =
            self.put_json("/user-group", json!({ "group": { "name": name, "description": description } })).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.json()["response"]["data"]["id"].as_i64().unwrap()
    }
}

/// The seed's creation body (L55-74), with the seed's `<userGroup>` root.
pub const SPEC_CREATION: &str = "<userGroup><id>5</id><name>JusticeLeague</name><description>Superheroes Unlimited\
     </description><branch><id>1</id><name>HallOfJustice</name><description>Hall of Superheroes</description>\
     <address><id>3</id><street>1 Justice Way</street><city>Smallville</city><country>United States</country>\
     <state>MidAmerica</state><zip>55555</zip><officeDesignation>MailStop</officeDesignation></address>\
     <phoneNumber>555-HERO</phoneNumber></branch></userGroup>";

#[tokio::test]
async fn a_group_is_created_read_updated_and_deleted_in_xml_with_its_branch() {
    let sipx = Sipx::new().await;
    let created = sipx.put_xml("/user-group", SPEC_CREATION).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.headers[CONTENT_TYPE], "text/xml");
    let id: i64 = created.body.split("<id>").nth(1).unwrap().split('<').next().unwrap().parse().unwrap();
    assert_ne!(id, 5, "the body's id is ignored");
    assert_eq!(
        created.body,
        format!(
            "<response><code>SUCCESS_CREATED</code><message>Created</message><data><id>{id}</id></data></response>"
        )
    );
    assert_eq!(created.headers[LOCATION], format!("{}/user-group/{id}", sipx.base));
    assert_eq!(created.headers[ETAG], "\"1\"");
    let read = sipx.get(&format!("/user-group/{id}")).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(
        read.body,
        format!(
            "<group><id>{id}</id><name>JusticeLeague</name><description>Superheroes Unlimited</description><branch>\
             <id>1</id><name>HallOfJustice</name><description>Hall of Superheroes</description><address><id>3</id>\
             <street>1 Justice Way</street><city>Smallville</city><country>United States</country><state>MidAmerica\
             </state><zip>55555</zip><officeDesignation>MailStop</officeDesignation></address><phoneNumber>555-HERO\
             </phoneNumber></branch></group>"
        )
    );
    // An update replaces every field: the branch left out is cleared.
    let updated = sipx.put_xml(&format!("/user-group/{id}"), "<group><name>JL</name></group>").await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    assert!(updated.body.starts_with("<response><code>SUCCESS_UPDATED</code><message>Updated</message>"));
    assert_eq!(updated.headers[ETAG], "\"2\"");
    assert_eq!(
        sipx.get(&format!("/user-group/{id}")).await.body,
        format!("<group><id>{id}</id><name>JL</name></group>")
    );
    let deleted = sipx.send(Method::DELETE, &format!("/user-group/{id}"), &[], "").await;
    assert_eq!(
        (deleted.status, deleted.body.as_str()),
        (
            StatusCode::OK,
            format!(
                "<response><code>SUCCESS_DELETED</code><message>Deleted</message><data><id>{id}</id></data></response>"
            )
            .as_str()
        )
    );
    let again = sipx.send(Method::DELETE, &format!("/user-group/{id}"), &[], "").await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        again.body,
        format!(
            "<response><code>ERROR_OBJECT_NOT_FOUND</code><message>Could not retrieve object using ID</message>\
                 <data><id>{id}</id></data></response>"
        )
    );
}

#[tokio::test]
async fn json_is_answered_on_accept_and_read_under_either_root_or_bare() {
    let sipx = Sipx::new().await;
    for (i, body) in [
        json!({ "group": { "name": "A", "description": "First" } }),
        json!({ "userGroup": { "name": "B" } }),
        json!({ "name": "C", "branch": { "name": "Main" } }),
    ]
    .into_iter()
    .enumerate()
    {
        let reply = sipx.put_json("/user-group", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{i}: {}", reply.body);
        assert_eq!(reply.headers[CONTENT_TYPE], "application/json");
        assert_eq!(reply.json()["response"]["code"], "SUCCESS_CREATED");
    }
    let list = sipx.get_json("/user-group?sortby=name&sortdir=reverse").await;
    let json = list.json();
    assert_eq!(
        json["user-group"]["metadata"],
        json!({ "totalResults": 3, "currentPage": 1, "totalPages": 1, "resultsPerPage": 3 })
    );
    let names: Vec<&str> =
        json["user-group"]["groups"].as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["C", "B", "A"]);
    assert_eq!(json["user-group"]["groups"][0]["branch"], json!({ "name": "Main" }));
    assert!(json["user-group"]["groups"][1].get("description").is_none(), "no description: absent");
    let xml = sipx.send(Method::GET, "/user-group?page=2&pagesize=2", &[("accept", "application/xml")], "").await;
    assert_eq!(xml.headers[CONTENT_TYPE], "application/xml");
    assert!(
        xml.body.starts_with(
            "<user-group><metadata><totalResults>3</totalResults><currentPage>2</currentPage><totalPages>2</totalPages>\
         <resultsPerPage>2</resultsPerPage></metadata><groups><group>"
        ),
        "{}",
        xml.body
    );
    let past = sipx.get_json("/user-group?page=5&pagesize=2").await.json();
    assert_eq!(past["user-group"]["groups"], json!([]), "a page past the end is empty");
    assert_eq!(past["user-group"]["metadata"]["currentPage"], 5);
}

#[tokio::test]
async fn bad_ids_parameters_and_bodies_are_refused_the_sipxconfig_way() {
    let sipx = Sipx::new().await;
    let invalid = sipx.get("/user-group/abc").await;
    assert_eq!(
        (invalid.status, invalid.body.as_str()),
        (
            StatusCode::BAD_REQUEST,
            "<response><code>ERROR_ID_INVALID</code><message>ID value is invalid</message>\
          <data><additionalMessage>abc</additionalMessage></data></response>"
        )
    );
    let missing = sipx.get_json("/user-group-permission/77").await.json();
    assert_eq!(missing["response"]["code"], "ERROR_OBJECT_NOT_FOUND");
    assert_eq!(missing["response"]["data"]["id"], 77);
    for query in
        ["?page=1", "?pagesize=2", "?page=0&pagesize=2", "?page=1&pagesize=1001", "?sortby=weight", "?sortdir=up"]
    {
        let reply = sipx.get_json(&format!("/user-group{query}")).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(reply.json()["response"]["code"], "ERROR_VALIDATION_FAILED", "{query}");
    }
    let id = sipx.create("Heroes", None).await;
    for (body, message) in [
        ("<group><name>Justice League</name></group>", "name: cannot contain whitespace"),
        ("<group><name></name></group>", "name: cannot be empty"),
        ("<group><name>heroes</name></group>", "a group with name heroes already exists"),
        (
            "<group><name>X</name><weight>1</weight></group>",
            "weight: is not a field here (known: id, name, description, branch)",
        ),
        ("<group><name>X</name><branch><planet>K</planet></branch></group>", "branch.planet: is not a field of branch"),
        ("<user><name>X</name></user>", "root: must be &lt;group&gt; (or &lt;userGroup&gt;), not &lt;user&gt;"),
    ] {
        let reply = sipx.put_xml("/user-group", body).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(reply.body.starts_with("<response><code>ERROR_VALIDATION_FAILED</code><message>Failed input validation</message><data><additionalMessage>"), "{}", reply.body);
        assert!(reply.body.contains(message), "{body}: {}", reply.body);
    }
    let list = sipx.get_json("/user-group").await.json();
    assert_eq!(list["user-group"]["metadata"]["totalResults"], 1, "nothing refused was stored");
    let renamed = sipx.put_xml(&format!("/user-group/{id}"), "<group><name>HEROES</name></group>").await;
    assert_eq!(renamed.status, StatusCode::OK, "its own name, recased: {}", renamed.body);
}

#[tokio::test]
async fn other_methods_paths_and_types_are_answered_the_faces_way() {
    let sipx = Sipx::new().await;
    let id = sipx.create("G", None).await;
    for (method, rest, allow) in [
        (Method::POST, "/user-group".to_owned(), "GET,HEAD,PUT"),
        (Method::DELETE, "/user-group".to_owned(), "GET,HEAD,PUT"),
        (Method::POST, format!("/user-group/{id}"), "GET,HEAD,PUT,DELETE"),
        (Method::PUT, "/user-group-permission".to_owned(), "GET,HEAD"),
        (Method::DELETE, format!("/user-group-permission/{id}"), "GET,HEAD,PUT"),
    ] {
        let reply = sipx.send(method.clone(), &rest, &[], "").await;
        assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {rest}");
        let mut allowed: Vec<&str> = reply.headers[ALLOW].to_str().unwrap().split(',').map(str::trim).collect();
        allowed.sort_unstable();
        let mut expected: Vec<&str> = allow.split(',').collect();
        expected.sort_unstable();
        assert_eq!(allowed, expected, "{method} {rest}");
        assert!(reply.body.starts_with("<response><code>method_not_allowed</code>"), "{}", reply.body);
    }
    let unknown = sipx.send(Method::GET, "/user", &[("accept", "application/json")], "").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["response"]["code"], "route_not_found");
    let html = sipx.send(Method::GET, "/user-group", &[("accept", "text/html")], "").await;
    assert_eq!(html.status, StatusCode::NOT_ACCEPTABLE);
    assert_eq!(html.headers[CONTENT_TYPE], "text/xml");
    let text = sipx.send(Method::PUT, "/user-group", &[("content-type", "text/plain")], "name=G").await;
    assert_eq!(text.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(text.body.starts_with("<response><code>unsupported_media_type</code>"));
    // Without a type, a body is XML (as sipXconfig reads it).
    let untyped = sipx.send(Method::PUT, "/user-group", &[], "<group><name>Untyped</name></group>").await;
    assert_eq!(untyped.status, StatusCode::CREATED, "{}", untyped.body);
}

#[tokio::test]
async fn versions_guard_changes_and_another_tenants_groups_are_absent() {
    let sipx = Sipx::new().await;
    let id = sipx.create("G", None).await;
    let stale = sipx
        .send(
            Method::PUT,
            &format!("/user-group/{id}"),
            &[("content-type", "text/xml"), ("if-match", "\"7\"")],
            "<group><name>H</name></group>",
        )
        .await;
    assert_eq!(stale.status, StatusCode::UPGRADE_REQUIRED);
    assert_eq!(stale.headers[ETAG], "\"1\"");
    assert!(
        stale.body.starts_with("<response><code>version_mismatch</code><message>Version mismatch</message>"),
        "{}",
        stale.body
    );
    let fresh = sipx.send(Method::DELETE, &format!("/user-group/{id}?version=1"), &[], "").await;
    assert_eq!(fresh.status, StatusCode::OK, "{}", fresh.body);
    // A tenant administrator of another tenant sees none of this tenant's groups.
    let kept = sipx.create("Kept", None).await;
    let group = sipx.api.create(&format!("{BASE}/groups"), json!({ "name": "G2" })).await;
    let other =
        sipx.api.create(&format!("{BASE}/groups/{group}/tenants"), json!({ "name": "T2", "tenantId": "t2" })).await;
    let admin = sipx.api.admin(&format!("/tenants/{other}"), "other@example.com").await;
    let outsider = Sipx { api: admin, tenant: sipx.tenant.clone(), base: sipx.base.clone() };
    let hidden = outsider.get_json(&format!("/user-group/{kept}")).await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let missing_tenant = Sipx { base: format!("{BASE}/tenants/{}/sipxconfig/rest", uuid::Uuid::new_v4()), ..outsider };
    let absent = missing_tenant.get_json(&format!("/user-group/{kept}")).await;
    assert_eq!(
        (absent.status, absent.json()),
        (hidden.status, hidden.json()),
        "answered as a tenant that does not exist"
    );
}

#[tokio::test]
async fn changes_are_audited_with_their_body_read_as_json() {
    let sipx = Sipx::new().await;
    let created = sipx.put_xml("/user-group", "<group><name>Audited</name><description>d</description></group>").await;
    assert_eq!(created.status, StatusCode::CREATED);
    let (status, audit) = sipx.api.get(&format!("{BASE}/audit?node={}", sipx.tenant)).await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let entry =
        audit["events"].as_array().unwrap().iter().find(|e| e["action"] == "user_group.create").expect("recorded");
    assert_eq!(entry["body"], json!({ "name": "Audited", "description": "d" }));
    assert_eq!(entry["outcome"], "applied");
    let duplicate = sipx.put_xml("/user-group", "<group><name>AUDITED</name></group>").await;
    assert_eq!(duplicate.status, StatusCode::BAD_REQUEST);
    let (_, audit) = sipx.api.get(&format!("{BASE}/audit?node={}", sipx.tenant)).await;
    let refused = audit["events"].as_array().unwrap().iter().find(|e| e["outcome"] == "refused").expect("the refusal");
    assert_eq!(refused["action"], "user_group.create");
}
