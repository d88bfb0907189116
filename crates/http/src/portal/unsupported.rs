//! The operations of `portal-account-server.txt` that Canopy does not serve (issue 18, item 6;
//! faces.md 3.3): the backup product's data centers, backup servers, storages, machines, reports,
//! migrations, certificates and the like, and a few secondary operations. Each answers 501
//! `not_supported` in the envelope, to anyone (it reads nothing and tells nothing), and is listed
//! in the document under its spec line: never a 200 with invented data.
//!
//! Of the spec's 114 operations (`grep -cE '^(get|post|put|delete|head|options|patch) /'`): 63
//! are served (39 by part 1, the 4 stored settings `agents_autoupdate` and
//! `local_backup_restriction` among them, 24 by part 2), 51 are listed here (docs/api.md).

use crate::api::HttpMethod::{self, Delete, Get, Head, Post, Put};
use crate::api::{Access, Answer, ErrorEnvelope, Op, Route, errors, instance_param, schema};
use crate::error::ApiError;
use axum::http::StatusCode;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

/// Method, path (below the face's prefix) and line in the spec of each operation not served.
pub(crate) const NOT_SUPPORTED: [(HttpMethod, &str, u32); 51] = [
    (Get, "/accounts/check", 332),
    (Post, "/actions/change_login", 2056),
    (Post, "/actions/emailupdate", 3639),
    (Get, "/actions/forgot_link", 4210),
    (Get, "/actions/mail/activate", 4516),
    (Get, "/actions/mail/emailupdate", 5595),
    (Post, "/actions/mail/emailupdate", 6182),
    (Get, "/actions/mail/reset", 6775),
    (Post, "/actions/mail/test", 7941),
    (Get, "/branding/scheme/available", 13253),
    (Get, "/brands/{brand}", 13557),
    (Get, "/ca/certificate", 13981),
    (Get, "/ca/crl", 14359),
    (Get, "/content/images/{image}", 17476),
    (Get, "/datacenter/backupservers", 17866),
    (Post, "/datacenter/backupservers", 18555),
    (Post, "/datacenter/backupservers/online_agents", 19426),
    (Post, "/datacenter/gateways", 20259),
    (Get, "/groups/{group}/agents/autoupdate", 26437),
    (Post, "/groups/{group}/agents/autoupdate", 26999),
    (Put, "/groups/{group}/backup_server_migration", 27748),
    (Get, "/groups/{group}/backupconsole", 28545),
    (Get, "/groups/{group}/migration", 38661),
    (Put, "/groups/{group}/migration", 39206),
    (Get, "/groups/{group}/quota_exceedance", 39974),
    (Post, "/groups/{group}/reports/ordered", 40666),
    (Get, "/groups/{group}/reports/ordered", 41555),
    (Put, "/groups/{group}/reports/scheduled", 43445),
    (Get, "/groups/{group}/reports/scheduled", 44209),
    (Get, "/groups/{group}/storages", 51492),
    (Post, "/groups/{group}/storages", 52081),
    (Put, "/groups/{group}/storages", 52935),
    (Delete, "/groups/{group}/storages/{storage}", 53698),
    (Get, "/groups/{group}/storages/{storage}", 54421),
    (Put, "/groups/{group}/storages/{storage}", 55052),
    (Get, "/groups/{group}/watchers", 57507),
    (Get, "/idp", 58156),
    (Get, "/logic/languages", 59745),
    (Get, "/logic/languages/ui", 60053),
    (Get, "/logic/versions", 61012),
    (Post, "/reports", 65270),
    (Get, "/reports", 65961),
    (Delete, "/reports/{report}", 66539),
    (Put, "/reports/{report}", 67175),
    (Get, "/reports/{report}", 68040),
    (Post, "/reports/{report}/adhoc", 68629),
    (Post, "/reports/{report}/send", 69376),
    (Post, "/users/{user}/hosts", 72563),
    (Get, "/users/{user}/links", 74354),
    (Head, "/users/{user}/machines", 74941),
    (Post, "/users/{user}/machines", 75572),
];

pub(super) fn routes() -> Vec<Route> {
    NOT_SUPPORTED
        .iter()
        .map(|(method, path, line)| {
            let (method, path, line) = (method.clone(), (*path).to_owned(), *line);
            let doc_path = path.clone();
            let doc_method = method.clone();
            Route::new(method, path, Access::Public, not_supported, move || doc(doc_method, &doc_path, line))
                .unconditional()
                .without_store()
        })
        .collect()
}

async fn not_supported() -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        "not_supported",
        "this operation of the portal API belongs to a product Canopy does not provide",
    )
}

/// What a path is about, for its summary.
fn area(path: &str) -> &'static str {
    let parts = [
        ("storages", "backup storages"),
        ("reports", "reports"),
        ("datacenter", "data center backup servers and gateways"),
        ("machines", "machines"),
        ("hosts", "hosts"),
        ("migration", "migrations"),
        ("/ca/", "the certificate authority"),
        ("autoupdate", "agent updates"),
        ("backupconsole", "the backup console"),
        ("quota_exceedance", "quota exceedance"),
        ("watchers", "watchers"),
        ("links", "download links"),
        ("idp", "the identity provider"),
        ("/logic/", "languages and versions"),
        ("brand", "brands and branding schemes"),
        ("images", "content images"),
        ("/actions/", "account actions by e-mail"),
        ("/accounts/check", "account checks"),
    ];
    parts.iter().find(|(part, _)| path.contains(part)).map_or("the backup product", |(_, what)| what)
}

fn doc(method: HttpMethod, path: &str, line: u32) -> Op {
    let verb = match method {
        Get => "get",
        Post => "post",
        Put => "put",
        Delete => "delete",
        Head => "head",
        _ => "other",
    };
    let envelope = schema::<ErrorEnvelope>();
    let content = ContentBuilder::new().schema(Some(RefOr::Ref(Ref::from_schema_name(&envelope.name)))).build();
    let response = ResponseBuilder::new()
        .description("`not_supported`: Canopy does not serve this operation.")
        .content("application/json", content)
        .build();
    let mut params = vec![instance_param()];
    params.extend(path_params(path));
    Op {
        id: format!("portalNotSupported{}{}", capital(verb), path.replace(['/', '{', '}', '_'], "")),
        tag: super::docs::tag(),
        summary: format!("Not supported: {} (L{line})", area(path)),
        description: format!(
            "`{} {path}` (L{line}) belongs to the backup product (faces.md 3.3) or is a secondary operation Canopy \
             does not serve: it answers 501 `not_supported` to any caller, and never invented data.",
            verb.to_uppercase()
        ),
        params,
        body: None,
        ok: Answer { status: 501, response, schemas: vec![envelope] },
        errors: errors(&[]),
    }
}

fn capital(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The path's parameters, each a string.
fn path_params(path: &str) -> Vec<utoipa::openapi::path::Parameter> {
    let names = path.split('/').filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'));
    names
        .map(|name| {
            let string = utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .min_length(Some(1));
            crate::api::path_param(name, "Any value: the operation is not served.", string)
        })
        .collect()
}
