//! The fuzz targets' checks, shared by the libFuzzer binaries (`fuzz_targets/`, nightly) and the
//! stable random-input runner (`src/bin/random.rs`, `cargo xtask fuzz`).
//!
//! Each target feeds raw bytes to a parser that takes client text and asserts what a client may
//! rely on: no panic, every refusal is a client error (`Invalid`, `InvalidProperty` or
//! `InvalidNextToken`, with a non-empty reason), and every accepted value parses again to itself.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use canopy_domain::{
    AuditScope, DomainError, Email, InstanceSlug, ListParams, ListScope, NextToken, NodeId, NodeKind, NodeScope,
    NodeSort, PageRequest, PropertyKey, RoutePattern, TokenKey, VoiceKind, VoiceScope,
};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A target: any bytes in, a panic when a rule breaks.
pub type Target = fn(&[u8]);

/// Every target, by name, for the runner (libFuzzer has one binary per target in `fuzz_targets/`).
pub const TARGETS: &[(&str, Target)] = &[
    ("next_token", next_token),
    ("signed_token", signed_token),
    ("list_params", list_params),
    ("property_key", property_key),
    ("email", email),
    ("route_pattern", route_pattern),
    ("precondition", precondition),
];

const KEY: [u8; 32] = [7; 32];

/// A refusal must be one a client can be told about (a 4xx), never an internal rule's error.
fn clean(err: &DomainError) {
    match err {
        DomainError::Invalid { reason, .. } | DomainError::InvalidProperty { reason, .. } => {
            assert!(!reason.is_empty(), "empty reason in {err:?}")
        }
        DomainError::InvalidNextToken(reason) => assert!(!reason.is_empty(), "empty reason in {err:?}"),
        other => panic!("a parser of client text answered a non-client error: {other:?}"),
    }
    assert!(!err.to_string().is_empty());
}

fn text(data: &[u8]) -> String {
    String::from_utf8_lossy(data).into_owned()
}

fn scope(kind: NodeKind) -> NodeScope {
    NodeScope { instance: InstanceSlug::parse("default").unwrap(), parent: None, kind, within: None }
}

fn voice_scope(kind: VoiceKind) -> VoiceScope {
    let group = NodeId(uuid_of(1));
    VoiceScope { instance: InstanceSlug::parse("default").unwrap(), group, kind, within: None }
}

fn uuid_of(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

/// Splits `data` at 0xFF bytes into the list parameters a client sends (bytes that are not UTF-8
/// are replaced, as the HTTP layer's query decoding would refuse them before the domain).
fn params(data: &[u8]) -> ListParams {
    let mut fields = data.split(|b| *b == 0xFF).map(text);
    let mut next = || fields.next().filter(|f| !f.is_empty());
    let number =
        |f: Option<String>| f.map(|f| f.bytes().fold(0u64, |n, b| n.wrapping_mul(31).wrapping_add(u64::from(b))));
    ListParams {
        search: next(),
        sort: next(),
        dir: next(),
        page: number(next()),
        page_size: number(next()),
        next: next(),
    }
}

/// Resolves `params` on one list; an accepted page must be usable.
fn resolve_on<L: ListScope>(scope: L, params: &ListParams, key: &TokenKey) {
    match PageRequest::resolve(scope, params.clone(), key) {
        Ok(page) => {
            assert!(page.page >= 1);
            assert!(page.pages(page.known_total.unwrap_or(0)) >= 1);
        }
        Err(err) => clean(&err),
    }
}

/// Resolves `params` on every node list, every voice list and the audit log.
fn resolve_everywhere(params: &ListParams) {
    let key = TokenKey::new(KEY.to_vec());
    for kind in NodeKind::ALL {
        resolve_on(scope(kind), params, &key);
    }
    for kind in VoiceKind::ALL {
        resolve_on(voice_scope(kind), params, &key);
    }
    let audit = AuditScope { instance: InstanceSlug::parse("default").unwrap(), within: None, node: None };
    resolve_on(audit, params, &key);
}

/// A `next` token as a client sends it: any text, which the signature must refuse cleanly.
pub fn next_token(data: &[u8]) {
    let key = TokenKey::new(KEY.to_vec());
    if let Err(err) = NextToken::<NodeScope>::open(&text(data), &key) {
        clean(&err);
    }
    resolve_everywhere(&ListParams { next: Some(text(data)), ..ListParams::default() });
}

/// A token whose payload is any bytes but whose signature is right: what the server would make of
/// a payload it signed itself. Reaches the JSON shape and the query binding behind the signature.
pub fn signed_token(data: &[u8]) {
    let mut mac = Hmac::<Sha256>::new_from_slice(&KEY).unwrap();
    mac.update(data);
    let tag = mac.finalize().into_bytes();
    let token = format!("{}.{}", B64.encode(data), B64.encode(&tag[..16]));
    resolve_everywhere(&ListParams { next: Some(token), ..ListParams::default() });
}

/// search, sort, dir, page, page_size and next, as a client sends them on a list.
pub fn list_params(data: &[u8]) {
    let params = params(data);
    if let Some(sort) = &params.sort {
        for kind in NodeKind::ALL {
            match NodeSort::parse(sort, kind) {
                Ok(field) => assert_eq!(NodeSort::parse(field.as_str(), kind), Ok(field)),
                Err(err) => clean(&err),
            }
        }
    }
    resolve_everywhere(&params);
}

/// A configuration property's key.
pub fn property_key(data: &[u8]) {
    let raw = text(data);
    match PropertyKey::parse(&raw) {
        Ok(key) => assert_eq!(PropertyKey::parse(key.as_str()).as_ref(), Ok(&key)),
        Err(err) => {
            clean(&err);
            // The error names the key, so it must stay bounded whatever the client sent.
            assert!(err.to_string().chars().count() < 512, "unbounded error for a key of {} bytes", raw.len());
        }
    }
}

/// An administrator's e-mail address.
pub fn email(data: &[u8]) {
    match Email::parse(&text(data)) {
        Ok(email) => {
            let again = Email::parse(email.as_str()).expect("an accepted e-mail parses again");
            assert_eq!(again.key(), email.key());
        }
        Err(err) => clean(&err),
    }
}

/// A voice route's number pattern (a regular expression compiled within bounds).
pub fn route_pattern(data: &[u8]) {
    match RoutePattern::parse(&text(data)) {
        Ok(pattern) => assert_eq!(RoutePattern::parse(pattern.as_str()).as_ref(), Ok(&pattern)),
        Err(err) => clean(&err),
    }
}

/// A version precondition: an `If-Match` header and a `?version=` value, split at the first 0xFF
/// byte. Every refusal has a reason; an accepted version is positive and reads back from its tag.
pub fn precondition(data: &[u8]) {
    let mut parts = data.splitn(2, |b| *b == 0xFF).map(text);
    let (header, query) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let from_header = canopy_domain::parse_if_match(&header);
    let from_query = canopy_domain::parse_version(&query);
    match from_header {
        Ok(Some(version)) => {
            assert!(version.0 >= 1);
            assert_eq!(canopy_domain::parse_if_match(&format!("\"{version}\"")), Ok(Some(version)));
            assert_eq!(canopy_domain::parse_if_match(&format!("W/\"{version}\"")), Ok(Some(version)));
        }
        Ok(None) => assert_eq!(header.trim(), "*", "only `*` asserts nothing"),
        Err(err) => assert!(!err.to_string().is_empty()),
    }
    if let Some(version) = from_query {
        assert!(version.0 >= 1);
        assert_eq!(canopy_domain::parse_version(&version.to_string()), Some(version));
    }
    match canopy_domain::agree(from_header.ok().flatten(), from_query) {
        Ok(agreed) => assert!(agreed.is_none() || agreed == from_header.ok().flatten().or(from_query)),
        Err(err) => assert!(!err.to_string().is_empty()),
    }
}
