//! The portal face's identity operations against the real binary, once per store (issue 18):
//! a login's cookie used on both faces, a locked account's 423, logon IP lists admitting and
//! refusing (through a trusted proxy and not), activation and reset through the e-mailed link
//! against a real SMTP server.

use super::PORTAL;
use crate::server::{ADMIN_EMAIL, ADMIN_PASSWORD, Server, Store};
use canopy_contract::mail::{ServerTls, SmtpServer};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const FENCED: &str = "fenced@blackbox.test";
const FENCED_PASSWORD: &str = "Walled-garden-passphrase-0815";
const RESET_PASSWORD: &str = "Reset-passphrase-4242";

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let response = request.send().await.unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let text = response.text().await.unwrap();
    (status, headers, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap() })
}

/// The token of a letter's `?token=` link.
fn link_token(body: &str) -> String {
    let start = body.find("token=").expect("a link") + "token=".len();
    body[start..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// The token of the `n`-th link e-mailed to `to` (polled with a deadline).
fn nth_link(smtp: &SmtpServer, to: &str, n: usize) -> String {
    let started = Instant::now();
    loop {
        let letters: Vec<_> = smtp.messages().into_iter().filter(|message| message.to == to).collect();
        if letters.len() > n {
            // Maildir names are not ordered by arrival: the newest link is the one not seen before.
            let mut tokens: Vec<String> = letters.iter().map(|letter| link_token(&letter.body)).collect();
            tokens.sort();
            tokens.dedup();
            if tokens.len() > n {
                return tokens.into_iter().nth(n).unwrap();
            }
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no link {n} to {to}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A portal login from `forwarded` (as the `X-Forwarded-For` a proxy would add).
async fn login(server: &Server, email: &str, password: &str, forwarded: Option<&str>) -> (StatusCode, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url(&format!("{PORTAL}/login")))
        .json(&json!({ "username": email, "password": password }));
    if let Some(address) = forwarded {
        request = request.header("x-forwarded-for", address);
    }
    let (status, _, body) = send(request).await;
    (status, body)
}

pub(crate) async fn portal_logins_sessions_lists_and_links_over_the_binary(store: Store) {
    let smtp = SmtpServer::start(ServerTls::None);
    let port = smtp.port.to_string();
    let args =
        ["--smtp-host", "127.0.0.1", "--smtp-port", &port, "--smtp-tls", "none", "--trusted-proxies", "127.0.0.1"];
    let database = match &store {
        Store::Postgres(url) => Some(url.clone()),
        Store::Memory => None,
    };
    let server = Server::start_with(store, &args, &[]).await;
    let anonymous = reqwest::Client::new();

    // A login sets the cookie; it carries the session on this face, and on Canopy's as a bearer.
    let body = json!({ "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD });
    let (status, headers, logged_in) = send(anonymous.post(server.url(&format!("{PORTAL}/login"))).json(&body)).await;
    assert_eq!(status, StatusCode::OK, "{logged_in}");
    assert_eq!(logged_in["client_ip"], "127.0.0.1", "no X-Forwarded-For: the proxy itself");
    let set_cookie = headers["set-cookie"].to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("SameSite=Lax") && set_cookie.contains("Secure"));
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let token = cookie.trim_start_matches("SESSION=").to_owned();
    let (status, _, profile) =
        send(anonymous.get(server.url(&format!("{PORTAL}/profile"))).header("cookie", &cookie)).await;
    assert_eq!((status, profile["login"].clone()), (StatusCode::OK, json!(ADMIN_EMAIL)));
    let root = crate::server::bearer(&token);
    let (status, _, me) = send(root.get(server.url("/api/v01/auth/me"))).await;
    assert_eq!((status, me["adminEmail"].clone()), (StatusCode::OK, json!(ADMIN_EMAIL)));

    // An administrator invited through Canopy's face activates through the e-mailed link.
    let base = server.url("/api/v01/draas/default");
    let (_, _, group) = send(root.post(format!("{base}/groups")).json(&json!({ "name": "Fenced" }))).await;
    let group = group["uuid"].as_str().unwrap().to_owned();
    let (status, _, _) =
        send(root.post(format!("{base}/groups/{group}/admins")).json(&json!({ "adminEmail": FENCED }))).await;
    assert_eq!(status, StatusCode::OK);
    let activation = nth_link(&smtp, FENCED, 0);
    let activate = server.url(&format!("{PORTAL}/actions/activate?token={activation}"));
    let (status, _, info) = send(anonymous.get(&activate)).await;
    assert_eq!(
        (status, info["email"].clone(), info["activated"].clone()),
        (StatusCode::OK, json!(FENCED), json!(false))
    );
    let (status, _, refused) =
        send(anonymous.post(&activate).json(&json!({ "password": FENCED_PASSWORD, "md5": 1 }))).await;
    assert_eq!((status, refused["error"]["details"]["field"].clone()), (StatusCode::BAD_REQUEST, json!("md5")));
    let (status, _, done) = send(anonymous.post(&activate).json(&json!({ "password": FENCED_PASSWORD }))).await;
    assert_eq!((status, done), (StatusCode::OK, json!("Success")));
    assert_eq!(login(&server, FENCED, FENCED_PASSWORD, None).await.0, StatusCode::OK);

    // A reset link asked for on the portal arrives by mail and sets a new password.
    let ask = json!({ "login": FENCED, "email": FENCED });
    let (status, _, _) = send(anonymous.post(server.url(&format!("{PORTAL}/actions/mail/reset"))).json(&ask)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let reset = nth_link(&smtp, FENCED, 1);
    let reset = if reset == activation { nth_link(&smtp, FENCED, 0) } else { reset };
    let reset_url = server.url(&format!("{PORTAL}/actions/reset?token={reset}"));
    let (status, _, done) = send(anonymous.post(&reset_url).json(&json!({ "password": RESET_PASSWORD }))).await;
    assert_eq!((status, done), (StatusCode::OK, json!("Success")));
    assert_eq!(login(&server, FENCED, FENCED_PASSWORD, None).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(login(&server, FENCED, RESET_PASSWORD, None).await.0, StatusCode::OK);

    // The group's logon IP list, enforced through the trusted proxy (127.0.0.1): the client is
    // X-Forwarded-For's rightmost address that no trusted proxy owns.
    // The list set as part 1 stores it: `POST …/settings/logon_ips` (L50739).
    let list = json!({ "items": ["203.0.113.0/28", "2001:db8::10 - 2001:db8::20"] });
    let settings = server.url(&format!("{PORTAL}/groups/{group}/settings/logon_ips"));
    let (status, _, answer) = send(root.post(&settings).json(&list)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, admitted) = login(&server, FENCED, RESET_PASSWORD, Some("198.51.100.1, 203.0.113.7")).await;
    assert_eq!((status, admitted["client_ip"].clone()), (StatusCode::OK, json!("203.0.113.7")), "{admitted}");
    assert_eq!(login(&server, FENCED, RESET_PASSWORD, Some("2001:db8::15")).await.0, StatusCode::OK);
    let (status, refused) = login(&server, FENCED, RESET_PASSWORD, Some("203.0.113.7, 198.51.100.1")).await;
    assert_eq!(
        (status, refused),
        (
            StatusCode::FORBIDDEN,
            json!({
        "client_ip": "198.51.100.1", "message": "access from your IP '198.51.100.1' address is not allowed" })
        )
    );
    let (status, refused) = login(&server, FENCED, RESET_PASSWORD, None).await;
    assert_eq!((status, refused["client_ip"].clone()), (StatusCode::FORBIDDEN, json!("127.0.0.1")));
    // Canopy's own login and the sipXconfig face's HTTP Basic are refused alike.
    let canopy_login = anonymous
        .post(server.url("/api/v01/auth/login"))
        .header("x-forwarded-for", "192.0.2.1")
        .json(&json!({ "username": FENCED, "password": RESET_PASSWORD }));
    let (status, _, refused) = send(canopy_login).await;
    assert_eq!((status, refused["error"]["code"].clone()), (StatusCode::FORBIDDEN, json!("logon_ip_refused")));
    let tenant = json!({ "name": "T", "tenantId": "fenced" });
    let (_, _, tenant) = send(root.post(format!("{base}/groups/{group}/tenants")).json(&tenant)).await;
    let sipx = format!("{base}/tenants/{}/sipxconfig/rest/user-group", tenant["uuid"].as_str().unwrap());
    let basic = |from: &str| {
        let request =
            anonymous.get(&sipx).basic_auth(FENCED, Some(RESET_PASSWORD)).header("accept", "application/json");
        request.header("x-forwarded-for", from.to_owned())
    };
    assert_eq!(send(basic("203.0.113.9")).await.0, StatusCode::OK);
    assert_eq!(send(basic("192.0.2.1")).await.0, StatusCode::FORBIDDEN);

    // A locked account answers 423 with Retry-After, on this face as on Canopy's.
    let locked = loop {
        let (status, _) = login(&server, ADMIN_EMAIL, "not the password at all", None).await;
        if status == StatusCode::LOCKED {
            break true;
        }
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    };
    assert!(locked);
    let body = json!({ "username": ADMIN_EMAIL, "password": ADMIN_PASSWORD });
    let (status, headers, answer) = send(anonymous.post(server.url(&format!("{PORTAL}/login"))).json(&body)).await;
    assert_eq!((status, answer["error"]["code"].clone()), (StatusCode::LOCKED, json!("account_locked")));
    assert!(headers["retry-after"].to_str().unwrap().parse::<u64>().unwrap() > 0);
    // The session opened before the lock still works; logging out ends it on both faces.
    let (status, _, _) = send(anonymous.post(server.url(&format!("{PORTAL}/logout"))).header("cookie", &cookie)).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(send(root.get(server.url("/api/v01/auth/me"))).await.0, StatusCode::UNAUTHORIZED);
    server.stop().await;

    // Without --trusted-proxies, X-Forwarded-For is the client's to write and is ignored.
    let store = database.map_or(Store::Memory, Store::Postgres);
    let shared = matches!(store, Store::Postgres(_));
    let server = Server::start_with(store, &[], &[]).await;
    let forged = Some("203.0.113.7");
    if shared {
        // The same database: the list of the first run still fences the account.
        let (status, refused) = login(&server, FENCED, RESET_PASSWORD, forged).await;
        assert_eq!((status, refused["client_ip"].clone()), (StatusCode::FORBIDDEN, json!("127.0.0.1")));
    } else {
        let (status, admitted) = login(&server, ADMIN_EMAIL, ADMIN_PASSWORD, forged).await;
        assert_eq!((status, admitted["client_ip"].clone()), (StatusCode::OK, json!("127.0.0.1")));
    }
    server.stop().await;
}
