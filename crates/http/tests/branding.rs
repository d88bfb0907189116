//! Branding over HTTP: the spec's examples, inheritance down the tree, the read filters, and
//! refusals that name the field and change nothing.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};
use support::{Api, BASE, get_without_version as get};

async fn put(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call(Method::PUT, path, Some(body)).await
}

fn spec_general() -> Value {
    json!({
        "apiVersion": "api/v01",
        "appTitle": "Fusion",
        "authentication": { "customLogOut": { "enabled": false, "route": "/forgot-password" }, "emailID": "en", "keepUserLoggedIn": true },
        "backendUrl": "https://apio-dev.fusion.netaxis.cloud",
        "customTranslations": false,
        "draasInstance": "draas/draas_fusion_dev",
        "guideLink": "https://fusion.docs.netaxis.solutions/guides/onboarding/",
        "languages": ["en", "de", "fr"],
        "modes": { "admin": { "sso": [
            { "enabled": true, "icon": "/branding/default/img/GoogleLogo.svg", "mode": "oidc", "name": "Google", "state": "https://portal-dev.fusion.netaxis.cloud/login" }
        ] } },
        "msTeamInterval": 15000,
        "name": "DRaaS"
    })
}

struct Tree {
    group: String,
    reseller: String,
    tenant: String,
}

async fn tree(api: &Api) -> Tree {
    let group = api.create(&format!("{BASE}/groups"), json!({ "name": "G" })).await;
    let reseller = api.create(&format!("{BASE}/groups/{group}/resellers"), json!({ "name": "R" })).await;
    let tenant =
        api.create(&format!("{BASE}/resellers/{reseller}/tenants"), json!({ "name": "T", "tenantId": "t-1" })).await;
    Tree { group, reseller, tenant }
}

fn branding(kind: &str, uuid: &str, doc: &str) -> String {
    format!("{BASE}/{kind}/{uuid}/configurations/branding/{doc}")
}

#[tokio::test]
async fn a_document_set_on_a_group_is_inherited_below_until_a_node_sets_its_own() {
    let api = Api::new().await;
    let t = tree(&api).await;
    let (status, default) = get(&api, &branding("tenants", &t.tenant, "general")).await;
    assert_eq!((status, default["name"].clone()), (StatusCode::OK, json!("DRaaS")), "the instance default");

    let (status, body) = put(&api, &branding("groups", &t.group, "general"), spec_general()).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    for (kind, uuid) in [("groups", &t.group), ("resellers", &t.reseller), ("tenants", &t.tenant)] {
        let (status, body) = get(&api, &branding(kind, uuid, "general")).await;
        assert_eq!((status, body), (StatusCode::OK, spec_general()), "{kind}");
    }
    let own = json!({ "appTitle": "Reseller's", "name": "R" });
    put(&api, &branding("resellers", &t.reseller, "general"), own.clone()).await;
    let (_, below) = get(&api, &branding("tenants", &t.tenant, "general?full=true")).await;
    assert_eq!(below, own, "the nearest own document, whole");
    let (_, group) = get(&api, &branding("groups", &t.group, "general")).await;
    assert_eq!(group, spec_general(), "above is untouched");

    // The tenant's administrator sets its own, which does not flow upward.
    let tenant_admin = api.admin(&format!("/tenants/{}", t.tenant), "t@example.com").await;
    let (status, _) = put(&tenant_admin, &branding("tenants", &t.tenant, "general"), json!({ "name": "T" })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, reseller) = get(&api, &branding("resellers", &t.reseller, "general")).await;
    assert_eq!(reseller, own);
    let (status, body) = put(&tenant_admin, &branding("resellers", &t.reseller, "general"), json!({})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("forbidden")), "above it");
}

#[tokio::test]
async fn reads_select_keys_and_search_unless_full() {
    let api = Api::new().await;
    let t = tree(&api).await;
    put(&api, &branding("groups", &t.group, "general"), spec_general()).await;
    let path = branding("groups", &t.group, "general");
    let (_, keys) = get(&api, &format!("{path}?keys=appTitle,name")).await;
    assert_eq!(keys, json!({ "appTitle": "Fusion", "name": "DRaaS" }));
    let (_, search) = get(&api, &format!("{path}?search=URL")).await;
    assert_eq!(search, json!({ "backendUrl": "https://apio-dev.fusion.netaxis.cloud" }));
    let (_, full) = get(&api, &format!("{path}?full=true&keys=name")).await;
    assert_eq!(full, spec_general());
    let (status, body) = get(&api, &format!("{path}?full=maybe")).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_query")));
}

#[tokio::test]
async fn styling_is_read_and_written_by_type_with_the_spec_examples() {
    let api = Api::new().await;
    let t = tree(&api).await;
    let path = branding("groups", &t.group, "styling");
    let (status, font) = get(&api, &format!("{path}?type=font")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        font,
        json!({ "allowed": ["Avenir Next Cyr", "Roboto", "Ubuntu", "Montserrat"], "name": "Avenir Next Cyr" })
    );
    let theme = json!({
        "type": "theme",
        "allowed": ["blue", "red", "green"],
        "selected": "red",
        "themes": { "blue": "/branding/default/theme.blue.json", "green": "/branding/default/theme.green.json", "red": "/branding/default/theme.red.json" }
    });
    let (status, _) = put(&api, &path, theme.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, read) = get(&api, &format!("{}?type=theme", branding("tenants", &t.tenant, "styling"))).await;
    let mut expected = theme.clone();
    expected.as_object_mut().unwrap().remove("type");
    assert_eq!(read, expected, "inherited, without its type");
    let image = json!({ "type": "image", "favicon": "/f.ico", "login": { "bg": "/l.png", "logo": "/l.svg" } });
    assert_eq!(put(&api, &path, image).await.0, StatusCode::NO_CONTENT);
    let (_, image) = get(&api, &format!("{path}?type=image&keys=favicon")).await;
    assert_eq!(image, json!({ "favicon": "/f.ico" }));

    let (status, body) = get(&api, &path).await;
    assert_eq!((status, body["error"]["details"]["field"].as_str()), (StatusCode::BAD_REQUEST, Some("type")));
}

/// Issue 21, item 2: the XSS guard of a console that renders branding.
#[tokio::test]
async fn script_urls_and_wrongly_typed_properties_are_refused_naming_the_field() {
    let api = Api::new().await;
    let t = tree(&api).await;
    let tenant_admin = api.admin(&format!("/tenants/{}", t.tenant), "t@example.com").await;
    let styling = branding("tenants", &t.tenant, "styling");
    let general = branding("tenants", &t.tenant, "general");
    for (path, body, field) in [
        (&styling, json!({ "type": "image", "favicon": "javascript:alert(document.cookie)" }), "favicon"),
        (&styling, json!({ "type": "image", "login": { "bg": " JavaScript:alert(1)" } }), "login.bg"),
        (&styling, json!({ "type": "image", "favicon": "data:image/svg+xml;base64,PHN2Zz4=" }), "favicon"),
        (
            &styling,
            json!({ "type": "theme", "allowed": ["blue"], "selected": "blue", "themes": { "blue": "javascript:x" } }),
            "themes.blue",
        ),
        (&general, json!({ "appTitle": 5, "languages": "en" }), "appTitle"),
        (&general, json!({ "languages": "en" }), "languages"),
        (&general, json!({ "guideLink": "vbscript:msgbox(1)" }), "guideLink"),
        (
            &general,
            json!({ "modes": { "admin": { "sso": [{ "icon": "data:text/html,x" }] } } }),
            "modes.admin.sso[0].icon",
        ),
        (&branding("tenants", &t.tenant, "pages"), json!({ "tenant": "on" }), "tenant"),
    ] {
        let (status, answer) = put(&tenant_admin, path, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "invalid_field", "{body}");
        assert_eq!(answer["error"]["details"]["field"], field, "{body}");
    }
    let (_, image) = get(&api, &format!("{styling}?type=image")).await;
    assert_eq!(image["favicon"], "/branding/default/favicon/favicon.ico", "nothing changed");
    let inline = json!({ "type": "image", "favicon": "data:image/png;base64,iVBORw0KGgo=", "main": { "logo": "https://cdn.example.com/l.png" } });
    assert_eq!(put(&tenant_admin, &styling, inline).await.0, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn documents_that_break_their_rules_are_refused_by_field_and_change_nothing() {
    let api = Api::new().await;
    let t = tree(&api).await;
    let path = branding("groups", &t.group, "styling");
    for (body, field) in [
        (json!({ "type": "theme", "allowed": ["blue"], "selected": "pink", "themes": { "blue": "/b" } }), "selected"),
        (
            json!({ "type": "theme", "allowed": ["blue", "red"], "selected": "red", "themes": { "blue": "/b" } }),
            "themes",
        ),
        (json!({ "type": "font", "allowed": ["Roboto"], "name": "Comic Sans" }), "name"),
        (json!({ "type": "font", "allowed": "Roboto", "name": "Roboto" }), "allowed"),
        (json!({ "type": "colour" }), "type"),
        (json!({ "allowed": ["Roboto"], "name": "Roboto" }), "type"),
    ] {
        let (status, answer) = put(&api, &path, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["error"]["details"]["field"], field, "{body}");
    }
    let (_, theme) = get(&api, &format!("{path}?type=theme")).await;
    assert_eq!(theme["selected"], "blue", "still the default");
    // A document is an object; its size is bounded by the body limit (4 KiB in these tests) and by
    // the domain's 16 KiB (tested there).
    let (status, answer) = put(&api, &branding("groups", &t.group, "pages"), json!([1, 2])).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("invalid_body")));
    let (status, answer) = put(&api, &branding("groups", &t.group, "pages"), json!({ "x": "y".repeat(5000) })).await;
    assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::PAYLOAD_TOO_LARGE, Some("payload_too_large")));
}
