//! The operations of the document: the `Op` every table fills in, the helpers they share, the
//! probes and documentation routes, and the assembly of the whole document. What each operation
//! requires is not written here: it comes from the route table (`crate::routes::route_table`).

use crate::account_dto::{
    AdminBody, AdminCreate, AdminList, AdminModify, ForgotBody, IdBody, LoginBody, MeBody, PasswordChangeBody,
    RedeemBody, SessionBody, WelcomeBody,
};
use crate::belonging_dto::{
    DestinationBody, DocumentBody, EnabledUcsBody, PriceBody, PriceItem, PriceKeyBody, PricesBody, RatePlanItem,
    RatePlanList, TariffBody,
};
use crate::config_dto::{KeysBody, PropertiesBody};
use crate::dto::{GroupCreate, GroupUpdate, NamedCreate, NamedUpdate, NodeBody, TenantCreate, TenantUpdate, UuidBody};
use crate::routes::{Access, route_table};
use axum::http::Method;
use canopy_domain::Permission;
use serde_json::Value;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref,
    Required, Response, ResponseBuilder,
};

use super::schemas::*;
use super::{ASSETS, AUTHENTICATED, BEARER, DOCUMENT_PATH, JSON, PAGE_PATH, PERMISSION_EXTENSION};

/// One operation at its place, as the route table has it: `(method, path template, operation)`.
pub(super) type Entry = (Method, String, Op);

/// A success: its status and its response.
pub(super) type Answer = (u16, Response);

/// One operation, before it becomes utoipa's. What it requires (`x-required-permission`,
/// `security`, and the 401 and 403 that follow from it) is added by [`Op::build`] from the route
/// table, never written in an `Op`.
pub(super) struct Op {
    pub(super) id: String,
    pub(super) tag: &'static str,
    pub(super) summary: String,
    pub(super) description: String,
    pub(super) params: Vec<Parameter>,
    /// The schema of the JSON request body, if the operation takes one.
    pub(super) body: Option<&'static str>,
    pub(super) ok: Answer,
    /// `(status, description)` of the failures of the operation itself (see [`errors`]).
    pub(super) errors: Vec<(u16, String)>,
}

impl Op {
    fn build(self, access: Access) -> Operation {
        let (permission, access_text) = match access {
            Access::Public => (Value::Null, "Public: no token needed (`x-required-permission`: `null`).".to_owned()),
            Access::Authenticated => (
                Value::from(AUTHENTICATED),
                "Requires a bearer token of any administrator, whatever its profile (`x-required-permission`: \
                 `authenticated`)."
                    .to_owned(),
            ),
            Access::Permission(permission) => (
                Value::from(permission.to_string()),
                format!(
                    "Requires a bearer token of an administrator whose profile holds the permission `{permission}` \
                     (`x-required-permission`)."
                ),
            ),
        };
        let mut op = OperationBuilder::new()
            .operation_id(Some(self.id))
            .tag(self.tag)
            .summary(Some(self.summary))
            .description(Some(format!("{}\n\n{access_text}", self.description)))
            .parameters(Some(self.params))
            .extensions(Some(ExtensionsBuilder::new().add(PERMISSION_EXTENSION, permission).build()));
        if let Some(body) = self.body {
            op = op.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name(body))).build())
                    .build(),
            ));
        }
        let (status, ok) = self.ok;
        op = op.response(status.to_string(), ok);
        for (status, description) in self.errors {
            op = op.response(status.to_string(), failure(status, description));
        }
        if access != Access::Public {
            op = op.security(SecurityRequirement::new(BEARER, Vec::<String>::new())).response("401", unauthorized());
        }
        if let Access::Permission(permission) = access {
            op = op.response("403", forbidden(permission));
        }
        op.build()
    }
}

/// Whether the operation changes an existing resource, and so takes a version precondition:
/// every `PUT` and `DELETE`, and the `POST`s that change what exists (a configuration upsert,
/// a price added to a rate plan).
fn conditional(method: &Method, path: &str) -> bool {
    match *method {
        Method::PUT | Method::DELETE => true,
        Method::POST => path.ends_with("/configurations/general") || path.ends_with("/prices"),
        _ => false,
    }
}

const PRECONDITION_400: &str = "`invalid_precondition`: `If-Match` or `version` is not one positive version, or \
                                the two disagree.";

impl Op {
    /// The optimistic concurrency every change of an existing resource offers: `If-Match` or
    /// `?version=`, and 426 when the version is stale.
    fn with_precondition(mut self) -> Self {
        let version = |name: &str, place: ParameterIn, description: &str, example: Value| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(place)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([example])))
                .build()
        };
        self.params.push(version(
            "If-Match",
            ParameterIn::Header,
            "The resource's `ETag` as last read (`\"3\"`, weak tags accepted, `*` for any version): the change \
             applies only if the stored version is still this one, else 426 and nothing changes. Optional.",
            Value::from("\"3\""),
        ));
        let mut query = version(
            "version",
            ParameterIn::Query,
            "The client's version of the object (the spec's `version` query parameter), as `If-Match`.",
            Value::from(3),
        );
        query.schema = Some(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).into());
        self.params.push(query);
        match self.errors.iter_mut().find(|(status, _)| *status == 400) {
            Some((_, text)) => *text = format!("{text}; or {PRECONDITION_400}"),
            None => self.errors.insert(0, (400, PRECONDITION_400.to_owned())),
        }
        self.errors.push((
            426,
            "`version_mismatch` (\"Version mismatch\", the spec's status): the version sent is no longer the stored \
             one, nothing changed; `details.current` and the `ETag` header give the stored version."
                .to_owned(),
        ));
        self
    }
}

/// A failure: the error envelope, with the header its status calls for.
fn failure(status: u16, description: String) -> Response {
    let envelope = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build();
    let response = ResponseBuilder::new().description(description).content(JSON, envelope);
    match status {
        423 => response.header("Retry-After", header("Seconds until the account unlocks.", Type::Integer)),
        426 => response.header("ETag", header("The stored version, as an entity tag (`\"4\"`).", Type::String)),
        _ => response,
    }
    .build()
}

fn header(description: &str, schema_type: Type) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(schema_type)).description(Some(description)).build()
}

/// The 401 of every operation that requires a token.
fn unauthorized() -> Response {
    let mut response = failure(
        401,
        "`unauthenticated` (no `Authorization` header) or `invalid_token` (not a bearer token, or one that is \
         unknown, expired or closed by a logout); the response carries `WWW-Authenticate: Bearer`."
            .to_owned(),
    );
    response
        .headers
        .insert("WWW-Authenticate".to_owned(), header("`Bearer`, or `Bearer error=\"invalid_token\"`.", Type::String));
    response
}

/// What a session that must change its password first answers elsewhere than there and logout.
pub(super) const PASSWORD_CHANGE_403: &str = "`password_change_required`: the account's password is a temporary \
     one and this session may only change it (`POST /api/v01/auth/password`) or log out";

/// The 403 of every operation that requires a permission.
fn forbidden(permission: Permission) -> Response {
    failure(
        403,
        format!(
            "`forbidden`: the caller's profile lacks `{permission}` (`details.permission` names it). Decided before \
             anything is looked up, so it says nothing about what exists. Or {PASSWORD_CHANGE_403}."
        ),
    )
}

/// What an instance answers when it is not there for the caller.
pub(super) const INSTANCE_404: &str =
    "`instance_not_found` (an instance this server does not serve, or not the caller's)";

pub(super) fn instance_param() -> Parameter {
    ParameterBuilder::new()
        .name("draas_instance")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(
            "The instance (an isolated namespace) served by this server, the caller's own; any other value answers \
             404 `instance_not_found`.",
        ))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([Value::from("default")])))
        .build()
}

/// The `{uuid}` of a node; `one` names its kind (`group`).
pub(super) fn uuid_param(one: &str) -> Parameter {
    ParameterBuilder::new()
        .name("uuid")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(format!(
            "The {one}'s uuid; anything that is not a UUID answers 400 `invalid_path`. A {one} outside the caller's \
             subtree answers exactly as one that does not exist."
        )))
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .build()
}

/// The failures of `list`, then the 500 and the 503 that every operation touching the store may
/// answer (unless `list` has its own 503, which must then name them too).
pub(super) fn errors(list: &[(u16, &str)]) -> Vec<(u16, String)> {
    let mut all: Vec<(u16, String)> = list.iter().map(|(status, text)| (*status, (*text).to_owned())).collect();
    all.push((500, "`internal`: a server fault; the cause is logged, never returned.".to_owned()));
    if !list.iter().any(|(status, _)| *status == 503) {
        all.push((503, STORE_503.to_owned()));
    }
    all
}

pub(super) const STORE_503: &str =
    "`store_unavailable` (the store cannot be reached; retry later) or `timeout` (the request took too long).";
/// The 400 of every operation that takes a JSON body.
pub(super) const BODY_400: &str = "`malformed_json`, `invalid_body` (a missing, unknown or mistyped field)";
pub(super) const BODY_ERRORS_413: (u16, &str) =
    (413, "`payload_too_large`: the body exceeds the server's limit (64 KiB by default).");
pub(super) const BODY_ERRORS_415: (u16, &str) =
    (415, "`unsupported_media_type`: the body is not sent as `application/json`.");

/// A 200 with a JSON body of a schema of the components.
pub(super) fn json_ok(description: impl Into<String>, schema: &str) -> Answer {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(schema))).build();
    (200, ResponseBuilder::new().description(description).content(JSON, content).build())
}

/// `answer` with the `ETag` of the resource's version after the operation.
pub(super) fn with_etag((status, mut response): Answer) -> Answer {
    let description = "The resource's version (`\"4\"`): send it back in `If-Match` to change it.";
    response.headers.insert("ETag".to_owned(), header(description, Type::String));
    (status, response)
}

/// A success without a body.
pub(super) fn empty(status: u16, description: &str) -> Answer {
    (status, ResponseBuilder::new().description(description).build())
}

/// A 200 whose body is text of the given content types.
fn text_ok(description: &str, content_types: &[&str]) -> Answer {
    let response =
        content_types.iter().fold(ResponseBuilder::new().description(description), |response, content_type| {
            let content = ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String))).build();
            response.content(*content_type, content)
        });
    (200, response.build())
}

pub(super) fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A `GET` outside the instance: the probes, the metrics and the documentation.
fn public(path: &str, id: &str, tag: &'static str, summary: &str, description: &str, ok: Answer) -> Entry {
    let op = Op {
        id: id.to_owned(),
        tag,
        summary: summary.to_owned(),
        description: description.to_owned(),
        params: vec![],
        body: None,
        ok,
        errors: vec![],
    };
    (Method::GET, path.to_owned(), op)
}

fn outside_the_instance() -> Vec<Entry> {
    let mut readyz = public(
        "/readyz",
        "readyz",
        "operations",
        "Readiness",
        "For load balancers: checks that the store is reachable and its migrations all applied.",
        json_ok("Ready: `{\"status\":\"ready\"}`.", "Status"),
    );
    readyz.2.errors = vec![(
        503,
        "`not_ready`: the store is unreachable, not migrated, or did not answer within 800 ms; the cause is logged."
            .to_owned(),
    )];
    let document = ResponseBuilder::new()
        .description("The document.")
        .content(JSON, ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::Object))).build())
        .build();
    let mut asset = public(
        &format!("{PAGE_PATH}/{{asset}}"),
        "docsAsset",
        "documentation",
        "An asset of the reference page",
        "The page's script and style sheet, embedded in the server.",
        text_ok("The asset.", &ASSETS.iter().map(|(_, content_type, _)| *content_type).collect::<Vec<_>>()),
    );
    let names: Vec<Value> = ASSETS.iter().map(|(name, _, _)| Value::from(*name)).collect();
    asset.2.params = vec![
        ParameterBuilder::new()
            .name("asset")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .description(Some("The asset's file name."))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names))))
            .build(),
    ];
    asset.2.errors = vec![(404, "`route_not_found`: no such asset.".to_owned())];
    vec![
        public(
            "/healthz",
            "healthz",
            "operations",
            "Liveness",
            "Answers while the process serves; does not touch the store.",
            json_ok("Alive: `{\"status\":\"ok\"}`.", "Status"),
        ),
        readyz,
        public(
            "/metrics",
            "metrics",
            "operations",
            "Prometheus metrics",
            "OpenMetrics text of the `canopy_*` series (see docs/api.md); expose it only to the monitoring network.",
            text_ok("The metrics.", &["application/openmetrics-text; version=1.0.0; charset=utf-8"]),
        ),
        public(
            DOCUMENT_PATH,
            "openapi",
            "documentation",
            "This OpenAPI document",
            "The OpenAPI 3.1 document of the API, generated from the code.",
            (200, document),
        ),
        public(
            PAGE_PATH,
            "docs",
            "documentation",
            "The API reference page",
            "A browsable reference rendered from this document; it loads nothing from outside the server.",
            text_ok("The page.", &["text/html; charset=utf-8"]),
        ),
        asset,
    ]
}

fn http_method(method: &Method) -> HttpMethod {
    match *method {
        Method::GET => HttpMethod::Get,
        Method::POST => HttpMethod::Post,
        Method::PUT => HttpMethod::Put,
        Method::DELETE => HttpMethod::Delete,
        Method::PATCH => HttpMethod::Patch,
        _ => panic!("the document has no {method} operation"),
    }
}

/// The whole document.
pub fn openapi() -> OpenApi {
    let table = route_table();
    let access = |method: &Method, path: &str| {
        table.iter().find(|(m, p, _)| m == method && p == path).map(|(_, _, access)| *access).unwrap_or_else(|| {
            panic!("{method} {path} is documented but not in the route table (crates/http/src/routes.rs)")
        })
    };
    let entries = outside_the_instance()
        .into_iter()
        .chain(super::nodes::entries())
        .chain(super::accounts::entries())
        .chain(super::belongings::entries())
        .chain(super::branding::of_instance())
        .chain(super::configurations::entries())
        .chain(super::voice_routing::entries())
        .chain(super::audit::entries());
    let paths = entries.fold(PathsBuilder::new(), |paths, (method, path, op)| {
        let op = if conditional(&method, &path) { op.with_precondition() } else { op };
        let op = op.build(access(&method, &path));
        paths.path(path, PathItem::new(http_method(&method), op))
    });

    let bearer = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some(
            "The session token answered by `POST /api/v01/auth/login`, sent as `Authorization: Bearer <token>`. It \
             expires after 8 hours (by default); `POST /api/v01/auth/logout` closes it at once.",
        ))
        .build();
    let components = ComponentsBuilder::new()
        .schema_from::<crate::audit::AuditList>()
        .schema_from::<crate::audit::AuditEvent>()
        .schema_from::<crate::audit::AuditActor>()
        .schema_from::<GroupCreate>()
        .schema_from::<NamedCreate>()
        .schema_from::<TenantCreate>()
        .schema_from::<GroupUpdate>()
        .schema_from::<NamedUpdate>()
        .schema_from::<TenantUpdate>()
        .schema_from::<NodeBody>()
        .schema_from::<UuidBody>()
        .schema_from::<DocumentBody>()
        .schema_from::<EnabledUcsBody>()
        .schema_from::<DestinationBody>()
        .schema_from::<PriceBody>()
        .schema_from::<TariffBody>()
        .schema_from::<PriceItem>()
        .schema_from::<PricesBody>()
        .schema_from::<RatePlanItem>()
        .schema_from::<RatePlanList>()
        .schema_from::<PriceKeyBody>()
        .schema_from::<GroupList>()
        .schema_from::<DistributorList>()
        .schema_from::<ResellerList>()
        .schema_from::<TenantList>()
        .schema_from::<AdminCreate>()
        .schema_from::<AdminModify>()
        .schema_from::<WelcomeBody>()
        .schema_from::<IdBody>()
        .schema_from::<AdminBody>()
        .schema_from::<AdminList>()
        .schema_from::<LoginBody>()
        .schema_from::<SessionBody>()
        .schema_from::<RedeemBody>()
        .schema_from::<PasswordChangeBody>()
        .schema_from::<ForgotBody>()
        .schema_from::<MeBody>()
        .schema_from::<PropertiesBody>()
        .schema_from::<crate::owned_dto::ConfigurationRead>()
        .schema_from::<crate::owned_dto::BrandingRead>()
        .schema_from::<crate::owned_dto::EnabledUcsRead>()
        .schema_from::<KeysBody>()
        .schema_from::<crate::voice_dto::UsageBody>()
        .schema_from::<crate::voice_dto::RouteCreate>()
        .schema_from::<crate::voice_dto::RouteModify>()
        .schema_from::<crate::voice_dto::PolicyCreate>()
        .schema_from::<crate::voice_dto::PolicyModify>()
        .schema_from::<crate::voice_dto::UsageItem>()
        .schema_from::<crate::voice_dto::PstnUsageItem>()
        .schema_from::<crate::voice_dto::RouteItem>()
        .schema_from::<crate::voice_dto::PolicyItem>()
        .schema_from::<crate::voice_dto::UsageList>()
        .schema_from::<crate::voice_dto::RouteList>()
        .schema_from::<crate::voice_dto::PolicyList>()
        .schema_from::<crate::voice_dto::ReferrerItem>()
        .schema_from::<crate::voice_dto::ReferencesBody>()
        .schema_from::<ErrorEnvelope>()
        .schema_from::<ErrorObject>()
        .schema_from::<Status>()
        .schema_from::<CreationRules>()
        .security_scheme(BEARER, SecurityScheme::Http(bearer))
        .build();

    let tag = |name: &str, description: &str| TagBuilder::new().name(name).description(Some(description)).build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Canopy")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Provisioning of a telecom provider's customer hierarchy: groups, and below them distributors, \
                     resellers and tenants, each `{draas_instance}` being an isolated namespace, and the \
                     administrators of the instance and of each node. Every failure answers the `ErrorEnvelope`; \
                     an unknown path answers 404 `route_not_found` and a known path with another method 405 \
                     `method_not_allowed`.\n\n\
                     Every operation but the probes, the metrics, this documentation and the `auth` routes that \
                     need no session requires `Authorization: Bearer <token>` (the `bearer` security scheme; \
                     `POST /api/v01/auth/login` answers a token): without one it answers 401. Each operation names \
                     what it requires in `x-required-permission`: a permission as the spec spells it (e.g. \
                     `groups.instance.admins.create`), which the caller's profile must hold (else 403 `forbidden`); \
                     the string `authenticated` (any logged-in administrator, whatever its profile); or `null` \
                     (public). An administrator reaches its own node and what lies below it: a node outside the \
                     caller's subtree answers exactly as one that does not exist, and a path naming another \
                     instance than the caller's answers 404 `instance_not_found`.",
                ))
                .license(Some(LicenseBuilder::new().name("Apache-2.0").identifier(Some("Apache-2.0")).build()))
                .build(),
        )
        .paths(paths.build())
        .components(Some(components))
        .tags(Some([
            tag("groups", "The groups of an instance (fusion-draas-groups)."),
            tag("distributors", "Distributors, under groups (Canopy extension)."),
            tag("resellers", "Resellers, under groups or distributors (Canopy extension)."),
            tag("tenants", "Tenants, under groups, distributors or resellers (Canopy extension)."),
            tag("administrators", "The administrators of the instance (system) and of each node."),
            tag("configuration", "The general configuration (key / value properties) of every node, secrets masked."),
            tag("authentication", "Logins, sessions, account activation and password resets."),
            tag(
                "voice routing",
                "A group's pstn usages, voice routes and voice routing policies (fusion-draas-groups).",
            ),
            tag("rules", "The creation rules (Canopy extension)."),
            tag(
                "audit",
                "The audit log: every change applied or refused, cut to the caller's subtree (Canopy extension).",
            ),
            tag("operations", "Probes and metrics."),
            tag("documentation", "This document and its reference page."),
        ]))
        .build()
}
