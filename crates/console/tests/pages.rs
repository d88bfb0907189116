//! The console in-process, on the memory store: every page and asset under the strict policy and
//! without a reference to another origin, and changes refused without the session's token or from
//! another origin (nothing changes). The browser tests (`tests/console/`) drive the same pages in
//! a real browser.

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, HOST, LOCATION, ORIGIN, SET_COOKIE};
use axum::http::{Request, StatusCode};
use canopy_app::App;
use canopy_app::testing::{ROOT_EMAIL, ROOT_PASSWORD, TestApp};
use canopy_console::{ASSETS, ConsoleConfig, pages};
use canopy_domain::{Attributes, BrandingDoc, Holder, JsonType, NameRule, NodeKind, Owned};
use canopy_http::{HttpConfig, router_serving};
use http_body_util::BodyExt;
use serde_json::{Map, Value, json};
use tower::ServiceExt;

const HOST_NAME: &str = "console.test";
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                      form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

struct Console {
    router: Router,
    app: App,
    cookie: String,
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
    let response = router.clone().oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = String::from_utf8_lossy(&body.collect().await.unwrap().to_bytes()).into_owned();
    Answer { status: parts.status, headers: parts.headers, body }
}

fn form(path: &str, cookie: Option<&str>, origin: Option<&str>, fields: &[(&str, &str)]) -> Request<Body> {
    let mut request =
        Request::post(path).header(HOST, HOST_NAME).header(CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(cookie) = cookie {
        request = request.header(COOKIE, cookie);
    }
    if let Some(origin) = origin {
        request = request.header(ORIGIN, origin);
    }
    request.body(Body::from(serde_urlencoded::to_string(fields).unwrap())).unwrap()
}

impl Console {
    async fn start() -> Self {
        let app = TestApp::start().await.app;
        let router = router_serving(app.clone(), HttpConfig::default(), [], pages(ConsoleConfig::default()));
        let origin = format!("http://{HOST_NAME}");
        let login = [("username", ROOT_EMAIL), ("password", ROOT_PASSWORD), ("next", "/console/")];
        let signed = send(&router, form("/console/login", None, Some(&origin), &login)).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
        let set = signed.headers[SET_COOKIE].to_str().unwrap();
        assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Secure"), "{set}");
        let cookie = set.split(';').next().unwrap().to_owned();
        Self { router, app, cookie }
    }

    async fn get(&self, path: &str) -> Answer {
        let request = Request::get(path).header(HOST, HOST_NAME).header(COOKIE, &self.cookie);
        send(&self.router, request.body(Body::empty()).unwrap()).await
    }

    /// The session's CSRF token, from a page's form.
    async fn csrf(&self) -> String {
        let page = self.get("/console/").await.body;
        let start = page.find("name=\"csrf\" value=\"").expect("a form") + "name=\"csrf\" value=\"".len();
        page[start..].split('"').next().unwrap().to_owned()
    }

    /// A JSON API call as the root administrator.
    async fn api(&self, path: &str, body: Value) -> Value {
        let login = json!({ "username": ROOT_EMAIL, "password": ROOT_PASSWORD }).to_string();
        let request = Request::post("/api/v01/auth/login").header(CONTENT_TYPE, "application/json");
        let session = send(&self.router, request.body(Body::from(login)).unwrap()).await;
        let token = serde_json::from_str::<Value>(&session.body).unwrap()["token"].as_str().unwrap().to_owned();
        let request = Request::post(format!("/api/v01/draas/default{path}"))
            .header(CONTENT_TYPE, "application/json")
            .header("authorization", format!("Bearer {token}"));
        let answer = send(&self.router, request.body(Body::from(body.to_string())).unwrap()).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}: {}", answer.body);
        serde_json::from_str(&answer.body).unwrap()
    }
}

/// References this server's pages and assets do not make: another origin (`http://`, `https://`,
/// or a scheme-relative `//`). The SVG namespace is a name in the logo, never fetched.
fn external_references(text: &str) -> Vec<String> {
    let text = text.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    let mut found = Vec::new();
    for needle in ["http://", "https://", "\"//", "'//", "(//", "=//"] {
        for (at, _) in text.match_indices(needle) {
            found.push(text[at.saturating_sub(20)..(at + 40).min(text.len())].to_owned());
        }
    }
    found
}

/// One node of every kind, each below the previous one (the first kind every holder may hold,
/// then what that holds ...), every required field filled with its example.
async fn a_node_of_each_kind(console: &Console) -> Vec<(NodeKind, String)> {
    let mut chain: Vec<(NodeKind, String)> = Vec::new();
    let mut holder = Holder::Instance;
    while let Some(kind) = holder.may_hold().first().copied() {
        let mut body: Map<String, Value> = Map::new();
        // The name goes by the kind's identifier where it has one (`groupId`, `userId`).
        let (name_field, name) = match kind.name_rule() {
            NameRule::Display => ("name", format!("{} one", kind.title())),
            NameRule::Identifier { field, .. } => (field, format!("{}-one", kind.as_str())),
        };
        body.insert(name_field.into(), json!(name));
        for field in Attributes::fields(kind).iter().filter(|field| field.required) {
            let example = serde_json::from_str(field.example).unwrap_or_else(|_| json!(field.example));
            let example = if matches!(field.json_type, JsonType::String) { json!(field.example) } else { example };
            body.insert(field.name.into(), example);
        }
        let path = match chain.last() {
            Some((parent, id)) => format!("/{}/{id}/{}", parent.plural(), kind.plural()),
            None => format!("/{}", kind.plural()),
        };
        let created = console.api(&path, Value::Object(body)).await;
        chain.push((kind, created["uuid"].as_str().unwrap().to_owned()));
        holder = Holder::Node(kind);
    }
    chain
}

#[tokio::test]
async fn every_page_and_asset_has_the_strict_policy_and_references_no_other_origin() {
    let console = Console::start().await;
    let chain = a_node_of_each_kind(&console).await;
    assert_eq!(chain.len(), NodeKind::ALL.len(), "every kind has a page");
    let mut paths: Vec<String> = [
        "/console/login",
        "/console/forgot",
        "/activate?token=abc",
        "/reset?token=abc",
        "/console/",
        "/console/password",
        "/console/audit",
        "/console/admins",
        "/console/theme.css",
        "/console/no/such/page",
    ]
    .map(str::to_owned)
    .to_vec();
    for (kind, id) in &chain {
        let node = format!("/console/{}/{id}", kind.plural());
        // The pages of what the kind has (users have no administrators, configuration or branding).
        let has = [
            ("", true),
            ("/admins", kind.has_admins()),
            ("/configuration", Owned::GeneralConfig.kinds().contains(kind)),
            ("/branding", Owned::Branding(BrandingDoc::General).kinds().contains(kind)),
            ("/theme.css", true),
        ];
        paths.extend(has.into_iter().filter(|(_, has)| *has).map(|(sub, _)| format!("{node}{sub}")));
        if *kind == NodeKind::Group {
            paths.push(format!("{node}/voice_routing"));
        }
    }
    paths.extend(ASSETS.iter().map(|(name, _, _)| format!("/console/assets/{name}")));
    for path in &paths {
        let answer = console.get(path).await;
        let expected = if path == "/console/no/such/page" { StatusCode::NOT_FOUND } else { StatusCode::OK };
        assert_eq!(answer.status, expected, "{path}: {}", answer.body);
        assert_eq!(answer.headers[CONTENT_SECURITY_POLICY], POLICY, "{path}");
        assert_eq!(answer.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(external_references(&answer.body), Vec::<String>::new(), "{path}");
    }
    // The check itself sees what it looks for.
    assert_eq!(external_references("<img src=\"https://cdn.example/x.png\">").len(), 1);
    assert_eq!(external_references("<script src=\"//cdn.example/x.js\">").len(), 1);
    assert_eq!(external_references("a { background: url(//cdn.example/x.png) }").len(), 1);
}

#[tokio::test]
async fn a_change_without_the_sessions_token_or_from_another_origin_changes_nothing() {
    let console = Console::start().await;
    let csrf = console.csrf().await;
    let own = format!("http://{HOST_NAME}");
    let create = |csrf: &str| vec![("csrf", csrf.to_owned()), ("kind", "groups".into()), ("name", "Forged".into())];
    for (fields, origin, why) in [
        (create(""), Some(own.as_str()), "no token"),
        (create("AAAA"), Some(own.as_str()), "another token"),
        (create(&csrf), Some("https://evil.example"), "another origin"),
    ] {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let answer = send(&console.router, form("/console/children", Some(&console.cookie), origin, &fields)).await;
        assert_eq!(answer.status, StatusCode::FORBIDDEN, "{why}");
        assert!(answer.body.contains("nothing was changed"), "{why}: {}", answer.body);
    }
    let home = console.get("/console/").await.body;
    assert!(home.contains("0 groups") && !home.contains("Forged"), "{home}");
    let principal = canopy_domain::Principal {
        admin: canopy_domain::AdminId(1),
        instance: canopy_domain::InstanceSlug::parse("default").unwrap(),
        profile: canopy_domain::Profile::SystemAdmin,
        home: None,
        read_only: false,
    };
    let groups = console.app.nodes.list(&principal, "default", None, NodeKind::Group, Default::default()).await;
    assert_eq!(groups.unwrap().results, 0);

    // With its token and from its origin, the same form creates the group.
    let fields = create(&csrf);
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answer = send(&console.router, form("/console/children", Some(&console.cookie), Some(&own), &fields)).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    assert!(answer.headers[LOCATION].to_str().unwrap().ends_with("?done=created"));
}

#[tokio::test]
async fn without_a_session_pages_lead_to_the_sign_in_page_and_come_back() {
    let console = Console::start().await;
    let request = Request::get("/console/audit?page=1").header(HOST, HOST_NAME).body(Body::empty()).unwrap();
    let answer = send(&console.router, request).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert_eq!(answer.headers[LOCATION], "/console/login?next=%2Fconsole%2Faudit%3Fpage%3D1");
    let stale = Request::get("/console/").header(HOST, HOST_NAME).header(COOKIE, "SESSION=stale");
    let answer = send(&console.router, stale.body(Body::empty()).unwrap()).await;
    assert_eq!(answer.status, StatusCode::SEE_OTHER);
    assert!(answer.headers[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"), "the stale cookie is dropped");
}

/// A JSON request to the API with a bearer token; `(status, body)`.
async fn api_call(router: &Router, path: &str, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let request = Request::post(path).header(CONTENT_TYPE, "application/json");
    let request = request.header("authorization", format!("Bearer {token}"));
    let answer = send(router, request.body(Body::from(body.map(|b| b.to_string()).unwrap_or_default())).unwrap()).await;
    (answer.status, serde_json::from_str(&answer.body).unwrap_or(Value::Null))
}

async fn api_login(router: &Router, email: &str, password: &str) -> String {
    let login = json!({ "username": email, "password": password }).to_string();
    let request = Request::post("/api/v01/auth/login").header(CONTENT_TYPE, "application/json");
    let session = send(router, request.body(Body::from(login)).unwrap()).await;
    serde_json::from_str::<Value>(&session.body).unwrap()["token"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_form_of_an_administrator_inside_a_locked_subtree_is_refused_in_the_apis_words() {
    // A tenant and its administrator, who signs in to the console with its own password.
    let console = Console::start().await;
    let group = console.api("/groups", json!({ "name": "G" })).await["uuid"].as_str().unwrap().to_owned();
    let tenant = console.api(&format!("/groups/{group}/tenants"), json!({ "name": "T", "tenantId": "t" })).await;
    let tenant = tenant["uuid"].as_str().unwrap().to_owned();
    let (email, temporary, own) = ("tenant@console.test", "Temporary-passphrase-42", "quiet orchard passphrase 9");
    console
        .api(&format!("/tenants/{tenant}/admins"), json!({ "adminEmail": email, "temporaryPassword": temporary }))
        .await;
    let token = api_login(&console.router, email, temporary).await;
    let change = json!({ "currentPassword": temporary, "newPassword": own });
    assert_eq!(
        api_call(&console.router, "/api/v01/auth/password", &token, Some(change)).await.0,
        StatusCode::NO_CONTENT
    );
    let origin = format!("http://{HOST_NAME}");
    let login = [("username", email), ("password", own), ("next", "/console/")];
    let signed = send(&console.router, form("/console/login", None, Some(&origin), &login)).await;
    let cookie = signed.headers[SET_COOKIE].to_str().unwrap().split(';').next().unwrap().to_owned();
    let page = Request::get(format!("/console/tenants/{tenant}")).header(HOST, HOST_NAME).header(COOKIE, &cookie);
    let page = send(&console.router, page.body(Body::empty()).unwrap()).await.body;
    let start = page.find("name=\"csrf\" value=\"").expect("a form") + "name=\"csrf\" value=\"".len();
    let csrf = page[start..].split('"').next().unwrap().to_owned();

    // The system locks the tenant (through the portal face); the tenant's creation form is refused
    // with the API's status and words, and creates nothing.
    let root = api_login(&console.router, ROOT_EMAIL, ROOT_PASSWORD).await;
    let lock = format!("/api/v01/draas/default/portal/api/1/groups/{tenant}/lock");
    assert_eq!(api_call(&console.router, &lock, &root, None).await.0, StatusCode::NO_CONTENT);
    let fields = [("csrf", csrf.as_str()), ("kind", "site_groups"), ("groupId", "S"), ("userLimit", "5")];
    let path = format!("/console/tenants/{tenant}/children");
    let answer = send(&console.router, form(&path, Some(&cookie), Some(&origin), &fields)).await;
    assert_eq!(answer.status, StatusCode::LOCKED, "{}", answer.body);
    assert!(answer.body.contains("this part of the tree is locked"), "{}", answer.body);
    let system = canopy_domain::Principal {
        admin: canopy_domain::AdminId(1),
        instance: canopy_domain::InstanceSlug::parse("default").unwrap(),
        profile: canopy_domain::Profile::SystemAdmin,
        home: None,
        read_only: false,
    };
    let uuid = uuid::Uuid::parse_str(&tenant).unwrap();
    let view = console.app.nodes.get(&system, "default", NodeKind::Tenant, uuid).await.unwrap();
    assert_eq!(view.subtree.site_groups, 0, "nothing created");
}
