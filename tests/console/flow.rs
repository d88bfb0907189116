//! One administrator's day in the console, step by step: the first sign-in, an administrator
//! invited and activated from the e-mailed link, a group built down to its lowest level, a
//! refused deletion that names its blockers, a secret kept masked, the branding's live preview,
//! a reseller administrator who cannot reach a sibling's nodes by editing the URL, and signing out.

use crate::browser::Browser;
use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, Store, bearer};
use canopy_contract::mail::{ServerTls, SmtpServer, free_port};
use canopy_domain::{Attributes, JsonType, NodeKind};
use serde_json::{Value, json};

const GROUP_ADMIN: &str = "gina@acme.test";
const GROUP_PASSWORD: &str = "Sets-her-own-pass-7";
const RESELLER_ADMIN: &str = "rex@reseller-one.test";
const RESELLER_TEMPORARY: &str = "Temporary-pass-4711";
const RESELLER_PASSWORD: &str = "Chooses-his-own-8";
const SECRET: &str = "s3cret-sip-value";

/// Signs in through the sign-in page.
async fn sign_in(browser: &Browser, base: &str, email: &str, password: &str) {
    browser.goto(&format!("{base}/console/login")).await;
    browser.fill("#login-username", email).await;
    browser.fill("#login-password", password).await;
    browser.click("form button[type=submit]").await;
}

/// The uuid at the end of the page's path (`/console/<kinds>/<uuid>`).
async fn current_uuid(browser: &Browser) -> String {
    let url = browser.client.current_url().await.unwrap();
    url.path().rsplit('/').next().unwrap().to_owned()
}

/// Creates a child of `kind` on the current node page, filling every required field of its kind
/// with an example (made unique); lands on the new node's page.
async fn create_child(browser: &Browser, kind: NodeKind, name: &str) -> String {
    let form = format!("create-{}", kind.plural());
    // The name's input is the kind's identifier where it has one (a site group's `groupId`).
    let input = format!("#{form}-{}", kind.name_rule().field());
    browser.click(&format!("details.create:has({input}) summary")).await;
    browser.fill(&input, name).await;
    for field in Attributes::fields(kind).iter().filter(|field| field.required) {
        let value = match field.json_type {
            JsonType::Integer { .. } => field.example.to_owned(),
            _ => format!("{}-{}", field.example, name.to_lowercase()),
        };
        browser.fill(&format!("#{form}-{}", field.name), &value).await;
    }
    browser.click(&format!("form:has({input}) button[type=submit]")).await;
    browser.wait_for_text("Created.").await;
    let text = browser.text().await;
    assert!(text.contains(&format!("{} {name}", kind.title())), "{text}");
    current_uuid(browser).await
}

pub async fn run(store: Store, screenshots: bool) {
    let smtp = SmtpServer::start(ServerTls::None);
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let smtp_port = smtp.port.to_string();
    let args = [
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--portal-url",
        &base,
        "--smtp-host",
        "127.0.0.1",
        "--smtp-port",
        &smtp_port,
        "--smtp-tls",
        "none",
    ];
    let database = match &store {
        Store::Postgres(url) => Some(url.clone()),
        Store::Memory => None,
    };
    let server = Server::start_with(store, &args, &[]).await;
    let browser = Browser::start().await;
    let shot = async |name: &str| {
        if screenshots {
            browser.screenshot(name).await;
        }
    };

    // Signing in: a wrong password is refused next to the form, the right one lands home.
    browser.goto(&format!("{base}/console/")).await;
    browser.wait_for_path("/console/login").await;
    shot("sign-in").await;
    sign_in(&browser, &base, ADMIN_EMAIL, "not the password at all").await;
    browser.wait_for_text("wrong e-mail or password").await;
    sign_in(&browser, &base, ADMIN_EMAIL, ADMIN_PASSWORD).await;
    browser.wait_for_text("Instance default").await;

    // A group, and its administrator invited: the activation link arrives by e-mail.
    let group = create_child(&browser, NodeKind::Group, "Acme").await;
    browser.click("nav.tabs a[href$='/admins']").await;
    browser.fill("#invite-adminEmail", GROUP_ADMIN).await;
    browser.click("form:has(#invite-adminEmail) button[type=submit]").await;
    browser.wait_for_text("Invited").await;
    assert!(browser.text().await.contains(GROUP_ADMIN));
    browser.click("form[action$='/logout'] button").await;
    browser.wait_for_text("You are signed out").await;

    let letter = smtp.received_by(GROUP_ADMIN);
    let link = letter.body.lines().find(|line| line.contains("/activate?token=")).expect("the link").trim().to_owned();
    assert!(link.starts_with(&format!("{base}/activate?token=")), "{link}");
    browser.goto(&link).await;
    browser.wait_for_text("Activate your account").await;
    shot("activate").await;
    browser.fill("#link-password", "short").await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_text("at least 12 characters").await;
    browser.fill("#link-password", GROUP_PASSWORD).await;
    browser.click("form button[type=submit]").await;
    browser.wait_for_text("Your password is set").await;

    // The group's administrator builds the tree down to its lowest level.
    sign_in(&browser, &base, GROUP_ADMIN, GROUP_PASSWORD).await;
    browser.wait_for_path(&format!("/console/groups/{group}")).await;
    let mut kind = NodeKind::Group;
    let mut trail = vec![(kind, group.clone())];
    while let Some(child) = kind.may_hold().first().copied() {
        let id = create_child(&browser, child, &format!("{}1", child.title())).await;
        trail.push((child, id));
        kind = child;
    }
    let crumbs = browser.client.find(fantoccini::Locator::Css("nav.crumbs")).await.unwrap().text().await.unwrap();
    for (kind, _) in &trail {
        assert!(
            crumbs.contains(&format!("{} {}1", kind.title(), kind.title())) || *kind == NodeKind::Group,
            "{crumbs}"
        );
    }
    assert!(crumbs.starts_with("Group Acme"), "the trail starts at the caller's home: {crumbs}");
    shot("lowest-level").await;
    browser.goto(&format!("{base}/console/groups/{group}")).await;
    let counted = browser.wait_for_text("Children").await;
    for (kind, _) in &trail[1..] {
        assert!(counted.contains(&format!("1 {}", kind.plural().replace('_', " "))), "{kind}: {counted}");
    }
    shot("group").await;

    // A deletion refused while children remain: the page says which ones block it.
    let (second_kind, second) = trail[1].clone();
    browser.goto(&format!("{base}/console/{}/{second}", second_kind.plural())).await;
    browser.click("section.danger button[type=submit]").await;
    browser.confirm().await;
    let refused = browser.wait_for_text("still has children").await;
    let (blocker, _) = trail[2];
    assert!(refused.contains(&format!("1 {}", blocker.plural().replace('_', " "))), "{refused}");
    assert!(browser.text().await.contains(&format!("{} {}1", second_kind.title(), second_kind.title())));
    shot("refused-deletion").await;

    // A secret configuration value: shown masked, kept when the form is saved untouched.
    browser.goto(&format!("{base}/console/groups/{group}/configuration")).await;
    browser.fill("input[name='key.new']", "sip_password").await;
    browser.fill("input[name='value.new']", SECRET).await;
    browser.click("main form[action$='/configuration'] button[type=submit]").await;
    browser.wait_for_text("Saved.").await;
    assert_eq!(browser.attribute("input[name='value.0']", "value").await.as_deref(), Some("********"));
    let source = browser.client.source().await.unwrap();
    assert!(!source.contains(SECRET), "the secret never reaches the page");
    browser.fill("input[name='key.new']", "sip_port_label").await;
    browser.fill("input[name='value.new']", "main").await;
    browser.click("main form[action$='/configuration'] button[type=submit]").await;
    browser.wait_for_text("sip_port_label").await;
    shot("configuration").await;
    let api = bearer(&server.login().await);
    let config: Value = api
        .get(server.url(&format!("/api/v01/draas/default/groups/{group}/configurations/general")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["properties"]["sip_password"], "********", "{config}");
    if let Some(database) = &database {
        assert_eq!(stored(database, "sip_password").await, SECRET, "kept through two saves of the mask");
    }

    // Branding: the preview takes the chosen theme's colour before anything is saved.
    browser.goto(&format!("{base}/console/groups/{group}/branding")).await;
    browser.click("input[name=theme][value=red]").await;
    let brand =
        browser.run("return getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()").await;
    assert_eq!(brand, json!("#b3261e"), "the live preview");
    shot("branding").await;
    browser.click("form:has(input[name=theme]) button[type=submit]").await;
    browser.wait_for_text("Saved.").await;
    // Reloaded from the server: the node's stylesheet now gives the console its colour.
    let header = browser.run("return getComputedStyle(document.querySelector('header.top')).backgroundColor").await;
    assert_eq!(header, json!("rgb(179, 38, 30)"), "the console takes the node's colour");

    // Two resellers; the first one's administrator cannot reach the second's nodes by URL.
    let reseller = |name: &str| json!({ "name": name });
    let base_api = server.url(&format!("/api/v01/draas/default/groups/{group}/resellers"));
    let one: Value = api.post(&base_api).json(&reseller("Reseller One")).send().await.unwrap().json().await.unwrap();
    let two: Value = api.post(&base_api).json(&reseller("Reseller Two")).send().await.unwrap().json().await.unwrap();
    let (one, two) = (one["uuid"].as_str().unwrap().to_owned(), two["uuid"].as_str().unwrap().to_owned());
    let admins = server.url(&format!("/api/v01/draas/default/resellers/{one}/admins"));
    let invited = json!({ "adminEmail": RESELLER_ADMIN, "temporaryPassword": RESELLER_TEMPORARY });
    assert!(api.post(admins).json(&invited).send().await.unwrap().status().is_success());
    browser.click("form[action$='/logout'] button").await;
    browser.wait_for_text("You are signed out").await;
    sign_in(&browser, &base, RESELLER_ADMIN, RESELLER_TEMPORARY).await;
    browser.wait_for_text("Your password is a temporary one").await;
    browser.fill("#password-currentPassword", RESELLER_TEMPORARY).await;
    browser.fill("#password-newPassword", RESELLER_PASSWORD).await;
    browser.click("form:has(#password-newPassword) button[type=submit]").await;
    browser.wait_for_text("Your password was changed").await;
    browser.goto(&format!("{base}/console/")).await;
    browser.wait_for_path(&format!("/console/resellers/{one}")).await;
    for (path, answer) in [
        (format!("/console/resellers/{two}"), "Not found"),
        (format!("/console/resellers/{two}/configuration"), "Not found"),
        (format!("/console/resellers/{two}/admins"), "Not found"),
        (format!("/console/resellers/{two}/branding"), "Not found"),
        // Above its home: its profile reads no group at all (the app's 403, before any lookup).
        (format!("/console/groups/{group}"), "Not allowed"),
    ] {
        browser.goto(&format!("{base}{path}")).await;
        let text = browser.wait_for_text(answer).await;
        assert!(!text.contains("Reseller Two") && !text.contains("Acme"), "{path}: {text}");
    }
    shot("not-yours").await;

    // A narrow screen: the same page, readable.
    browser.goto(&format!("{base}/console/resellers/{one}")).await;
    browser.resize(390, 844).await;
    browser.wait_for_text("Reseller One").await;
    let overflow = browser.run("return document.documentElement.scrollWidth <= window.innerWidth + 1").await;
    assert_eq!(overflow, json!(true), "no sideways scrolling on a narrow screen");
    shot("narrow").await;
    browser.resize(1280, 1000).await;

    // Signing out ends the session: the console asks to sign in again.
    browser.click("form[action$='/logout'] button").await;
    browser.wait_for_text("You are signed out").await;
    browser.goto(&format!("{base}/console/resellers/{one}")).await;
    browser.wait_for_path("/console/login").await;

    browser.stop().await;
    server.stop().await;
}

/// The value stored for `key` in the group's configuration, read from PostgreSQL itself (reads
/// through Canopy are masked): the proof that the mask sent back kept the secret.
async fn stored(database: &str, key: &str) -> String {
    use sqlx::Connection;
    let mut connection = sqlx::PgConnection::connect(database).await.unwrap();
    let query = sqlx::query_scalar::<_, String>("SELECT value FROM configurations WHERE key = $1").bind(key);
    query.fetch_one(&mut connection).await.unwrap()
}
