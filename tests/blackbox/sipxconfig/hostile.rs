//! Hostile XML against the real binary: every body is refused with a 4xx, nothing is stored, and
//! the process keeps serving (it answers `/healthz` and a valid request afterwards).

use super::Tenant;
use crate::server::{Server, Store};
use reqwest::StatusCode;

const LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<group><name>&lol9;</name></group>"#;

/// `(what, body)`: each must be refused.
fn bodies() -> Vec<(&'static str, Vec<u8>)> {
    let deep = format!("{}{}", "<group>".repeat(2000), "</group>".repeat(2000));
    let wide = format!("<group><name>W</name>{}</group>", "<d/>".repeat(5000));
    let mut utf16 = vec![0xff, 0xfe];
    utf16.extend("<group><name>U</name></group>".encode_utf16().flat_map(u16::to_le_bytes));
    vec![
        ("billion laughs", LAUGHS.as_bytes().to_vec()),
        (
            "an external entity",
            br#"<?xml version="1.0"?><!DOCTYPE group [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><group><name>&xxe;</name></group>"#.to_vec(),
        ),
        (
            "an external DTD",
            br#"<?xml version="1.0"?><!DOCTYPE group SYSTEM "http://127.0.0.1:9/evil.dtd"><group><name>E</name></group>"#.to_vec(),
        ),
        (
            "a parameter entity",
            br#"<!DOCTYPE group [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]><group><name>P</name></group>"#.to_vec(),
        ),
        ("an undefined entity", b"<group><name>&nbsp;</name></group>".to_vec()),
        ("deep nesting", deep.into_bytes()),
        ("too many elements", wide.into_bytes()),
        ("a wrong root", b"<user><name>R</name></user>".to_vec()),
        ("a root inside another", b"<envelope><group><name>R</name></group></envelope>".to_vec()),
        ("two roots", b"<group><name>A</name></group><group><name>B</name></group>".to_vec()),
        ("invalid UTF-8", b"<group><name>\xc3\x28\xff</name></group>".to_vec()),
        ("UTF-16", utf16),
        ("a declared latin-1 encoding", br#"<?xml version="1.0" encoding="ISO-8859-1"?><group><name>L</name></group>"#.to_vec()),
        ("an unclosed element", b"<group><name>C</name>".to_vec()),
        ("not XML at all", b"\x00\x01\x02 garbage".to_vec()),
        ("a huge body", format!("<group><name>{}</name></group>", "x".repeat(1 << 20)).into_bytes()),
    ]
}

pub async fn hostile_xml_is_refused_and_changes_nothing(store: Store) {
    let server = Server::start(store).await;
    let client = server.client().await;
    let tenant = Tenant::new(&server, &client, "hostile").await;
    let id = tenant.create("<group><name>Target</name></group>").await;
    for (what, body) in bodies() {
        for rest in ["/user-group".to_owned(), format!("/user-group/{id}"), format!("/user-group-permission/{id}")] {
            let response = client
                .put(format!("{}{rest}", tenant.base))
                .header("content-type", "text/xml")
                .body(body.clone())
                .send()
                .await
                .unwrap();
            let status = response.status();
            let text = response.text().await.unwrap_or_default();
            assert!(status.is_client_error(), "{what} on {rest}: {status} {text}");
            let (expected, code) = match what {
                "a huge body" => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
                _ => (StatusCode::BAD_REQUEST, "ERROR_VALIDATION_FAILED"),
            };
            assert_eq!(status, expected, "{what} on {rest}: {text}");
            assert!(text.starts_with(&format!("<response><code>{code}</code>")), "{what} on {rest}: {text}");
        }
    }
    assert_eq!(tenant.total().await, 1, "nothing was stored");
    let (_, target) = tenant.call(reqwest::Method::GET, &format!("/user-group-permission/{id}"), None, false).await;
    assert!(target.starts_with(&format!("<group><id>{id}</id><name>Target</name><permissions>")), "{target}");
    assert!(!target.contains("<value>"), "no value was set: {target}");
    let health = reqwest::get(server.url("/healthz")).await.unwrap();
    assert_eq!(health.status(), StatusCode::OK, "the process is unaffected");
    tenant.create("<group><name>After</name></group>").await;
    server.stop().await;
}
