//! The operations of the document: one small table per shape of route.

use crate::dto::{
    GroupCreate, GroupUpdate, ListQueryParams, NamedCreate, NamedUpdate, NodeBody, TenantCreate, TenantUpdate, UuidBody,
};
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{
    ComponentsBuilder, ContentBuilder, InfoBuilder, LicenseBuilder, OpenApi, OpenApiBuilder, PathsBuilder, Ref,
    Required, ResponseBuilder,
};

use super::schemas::*;
use super::{ASSETS, BASE, DOCUMENT_PATH, JSON, PAGE_PATH, PERMISSION_EXTENSION};

/// A kind of node as the routes name it.
#[derive(Clone, Copy)]
struct Kind {
    /// `group`
    one: &'static str,
    /// `groups`: the path segment, the tag, the list field and the permission prefix.
    many: &'static str,
    /// `Group`: for operation ids.
    title: &'static str,
    create: &'static str,
    update: &'static str,
    list: &'static str,
}

const GROUP: Kind = Kind {
    one: "group",
    many: "groups",
    title: "Group",
    create: "GroupCreate",
    update: "GroupUpdate",
    list: "GroupList",
};
const DISTRIBUTOR: Kind = Kind {
    one: "distributor",
    many: "distributors",
    title: "Distributor",
    create: "NamedCreate",
    update: "NamedUpdate",
    list: "DistributorList",
};
const RESELLER: Kind = Kind {
    one: "reseller",
    many: "resellers",
    title: "Reseller",
    create: "NamedCreate",
    update: "NamedUpdate",
    list: "ResellerList",
};
const TENANT: Kind = Kind {
    one: "tenant",
    many: "tenants",
    title: "Tenant",
    create: "TenantCreate",
    update: "TenantUpdate",
    list: "TenantList",
};

/// The child collections: `(parent, child)`, as the route table has them.
const CHILDREN: [(Kind, Kind); 6] = [
    (GROUP, DISTRIBUTOR),
    (GROUP, RESELLER),
    (GROUP, TENANT),
    (DISTRIBUTOR, RESELLER),
    (DISTRIBUTOR, TENANT),
    (RESELLER, TENANT),
];

/// One operation, before it becomes utoipa's.
struct Op {
    id: String,
    tag: &'static str,
    summary: String,
    description: String,
    /// `None`: public.
    permission: Option<String>,
    params: Vec<Parameter>,
    body: Option<&'static str>,
    ok: utoipa::openapi::Response,
    /// `(status, description)`; every operation under the instance also answers 500 and 503.
    errors: Vec<(u16, String)>,
}

impl Op {
    fn build(self) -> Operation {
        let permission = match &self.permission {
            Some(permission) => Value::from(permission.as_str()),
            None => Value::Null,
        };
        let permission_text = match &self.permission {
            Some(permission) => format!("Required permission: `{permission}`."),
            None => "Public: no permission required.".to_owned(),
        };
        let mut op = OperationBuilder::new()
            .operation_id(Some(self.id))
            .tag(self.tag)
            .summary(Some(self.summary))
            .description(Some(format!("{}\n\n{permission_text}", self.description)))
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
        op = op.response("200", self.ok);
        for (status, description) in self.errors {
            let envelope = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build();
            op = op
                .response(status.to_string(), ResponseBuilder::new().description(description).content(JSON, envelope));
        }
        op.build()
    }
}

fn instance_param() -> Parameter {
    ParameterBuilder::new()
        .name("draas_instance")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some("The instance (an isolated namespace) served by this server; any other value answers 404 `instance_not_found`."))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([Value::from("default")])))
        .build()
}

fn uuid_param(kind: Kind) -> Parameter {
    ParameterBuilder::new()
        .name("uuid")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(format!("The {}'s uuid; anything that is not a UUID answers 400 `invalid_path`.", kind.one)))
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::String).format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .build()
}

fn list_params() -> Vec<Parameter> {
    ListQueryParams::into_params(|| Some(ParameterIn::Query))
}

fn errors(list: &[(u16, &str)]) -> Vec<(u16, String)> {
    let mut all: Vec<(u16, String)> = list.iter().map(|(status, text)| (*status, (*text).to_owned())).collect();
    all.push((500, "`internal`: a server fault; the cause is logged, never returned.".to_owned()));
    all.push((
        503,
        "`store_unavailable` (the store cannot be reached; retry later) or `timeout` (the request took too long)."
            .to_owned(),
    ));
    all
}

const BODY_ERRORS_413: (u16, &str) =
    (413, "`payload_too_large`: the body exceeds the server's limit (64 KiB by default).");
const BODY_ERRORS_415: (u16, &str) = (415, "`unsupported_media_type`: the body is not sent as `application/json`.");
const LIST_400: &str = "`invalid_field` (`search`, `sort`, `dir`, `page`, `page_size` out of range), `invalid_query` \
                        (a parameter of the wrong type), `invalid_next_token`";

fn duplicates(kind: Kind) -> &'static str {
    if kind.one == "tenant" { "`duplicate_name`, `duplicate_tenant_id`" } else { "`duplicate_name`" }
}

/// `GET` and `POST` of a collection: the groups of the instance, or the `kind` children of a parent.
fn collection(parent: Option<Kind>, kind: Kind) -> PathItem {
    let mut params = vec![instance_param()];
    let (where_, of) = match parent {
        Some(parent) => {
            params.push(uuid_param(parent));
            (format!("directly under the {}", parent.one), format!("Of{}", parent.title))
        }
        None => ("of the instance".to_owned(), String::new()),
    };
    let (path_400, not_found) = match parent {
        Some(parent) => (", `invalid_path`", format!(" or `not_found` (no {} with this uuid)", parent.one)),
        None => ("", String::new()),
    };
    let list = Op {
        id: format!("list{}{of}", capitalize(kind.many)),
        tag: kind.many,
        summary: format!("List the {} {where_}", kind.many),
        description: format!(
            "One page of the {} {where_}, sorted and filtered by the query. Lists show each item without \
             the `nbOf*` counters; an empty list answers 200 with an empty array.",
            kind.many
        ),
        permission: Some(format!("{}.list", kind.many)),
        params: params.iter().cloned().chain(list_params()).collect(),
        body: None,
        ok: json_ok(format!("A page of {}, possibly empty.", kind.many), kind.list),
        errors: errors(&[
            (400, &format!("{LIST_400}{path_400}.")),
            (404, &format!("`instance_not_found`{not_found}.")),
        ]),
    };
    let create = Op {
        id: format!("create{}{}", kind.title, of.replace("Of", "In")),
        tag: kind.many,
        summary: format!("Create a {} {where_}", kind.one),
        description: format!(
            "Creates a {} and answers its uuid (200, not 201). Names are unique among siblings, \
             case-insensitively after trimming; unknown fields are refused.",
            kind.one
        ),
        permission: Some(format!("{}.create", kind.many)),
        params,
        body: Some(kind.create),
        ok: json_ok(format!("The {} was created: its uuid.", kind.one), "UuidBody"),
        errors: errors(&[
            (400, &format!("`malformed_json`, `invalid_body`, `invalid_field`, {}{path_400}.", duplicates(kind))),
            (404, &format!("`instance_not_found`{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    PathItem::new(HttpMethod::Get, list.build()).tap_merge(PathItem::new(HttpMethod::Post, create.build()))
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item(kind: Kind) -> PathItem {
    let params = vec![instance_param(), uuid_param(kind)];
    let not_found = format!("`not_found` (no {} with this uuid in this instance) or `instance_not_found`.", kind.one);
    let read = Op {
        id: format!("read{}", kind.title),
        tag: kind.many,
        summary: format!("Read a {}", kind.one),
        description: format!(
            "The {} with the counters (`nbOf*`) of the kinds that may lie anywhere below it.",
            kind.one
        ),
        permission: Some(format!("{}.instance.read", kind.many)),
        params: params.clone(),
        body: None,
        ok: json_ok(format!("The {}.", kind.one), "NodeBody"),
        errors: errors(&[(400, "`invalid_path`."), (404, &not_found)]),
    };
    let update = Op {
        id: format!("update{}", kind.title),
        tag: kind.many,
        summary: format!("Modify a {}", kind.one),
        description: "Absent fields are kept; an empty body `{}` changes nothing.".to_owned(),
        permission: Some(format!("{}.instance.update", kind.many)),
        params: params.clone(),
        body: Some(kind.update),
        ok: json_ok("Updated: the uuid of the path.".to_owned(), "UuidBody"),
        errors: errors(&[
            (400, &format!("`malformed_json`, `invalid_body`, `invalid_field`, {}, `invalid_path`.", duplicates(kind))),
            (404, &not_found),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    };
    let delete = Op {
        id: format!("delete{}", kind.title),
        tag: kind.many,
        summary: format!("Delete a {}", kind.one),
        description: format!(
            "Only an empty {} can be deleted. Deleting one that does not exist succeeds (200 with the uuid).",
            kind.one
        ),
        permission: Some(format!("{}.instance.delete", kind.many)),
        params,
        body: None,
        ok: json_ok("Deleted, or there was nothing to delete: the uuid of the path.".to_owned(), "UuidBody"),
        errors: errors(&[
            (
                400,
                "`not_empty` (the node still has children; `details.children` counts them by kind) or `invalid_path`.",
            ),
            (404, "`instance_not_found`."),
        ]),
    };
    PathItem::new(HttpMethod::Get, read.build())
        .tap_merge(PathItem::new(HttpMethod::Put, update.build()))
        .tap_merge(PathItem::new(HttpMethod::Delete, delete.build()))
}

/// An operation outside the instance: the probes, the metrics and the documentation.
fn public(
    id: &str,
    tag: &'static str,
    summary: &str,
    description: &str,
    ok: utoipa::openapi::Response,
    errors: Vec<(u16, String)>,
) -> PathItem {
    let op = Op {
        id: id.to_owned(),
        tag,
        summary: summary.to_owned(),
        description: description.to_owned(),
        permission: None,
        params: vec![],
        body: None,
        ok,
        errors,
    };
    PathItem::new(HttpMethod::Get, op.build())
}

/// A 200 with a JSON body of a schema of the components.
fn json_ok(description: impl Into<String>, schema: &str) -> utoipa::openapi::Response {
    let content = ContentBuilder::new().schema(Some(Ref::from_schema_name(schema))).build();
    ResponseBuilder::new().description(description).content(JSON, content).build()
}

/// A 200 whose body is text of the given content types.
fn text_ok(description: &str, content_types: &[&str]) -> utoipa::openapi::Response {
    content_types
        .iter()
        .fold(ResponseBuilder::new().description(description), |response, content_type| {
            let content = ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String))).build();
            response.content(*content_type, content)
        })
        .build()
}

trait TapMerge {
    fn tap_merge(self, other: PathItem) -> Self;
}

impl TapMerge for PathItem {
    fn tap_merge(mut self, other: PathItem) -> Self {
        self.merge_operations(other);
        self
    }
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The whole document.
pub fn openapi() -> OpenApi {
    let mut paths = PathsBuilder::new()
        .path(
            "/healthz",
            public(
                "healthz",
                "operations",
                "Liveness",
                "Answers while the process serves; does not touch the store.",
                json_ok("Alive: `{\"status\":\"ok\"}`.", "Status"),
                vec![],
            ),
        )
        .path(
            "/readyz",
            public(
                "readyz",
                "operations",
                "Readiness",
                "For load balancers: checks that the store is reachable and its migrations all applied.",
                json_ok("Ready: `{\"status\":\"ready\"}`.", "Status"),
                vec![(503, "`not_ready`: the store is unreachable or not migrated; the cause is logged.".to_owned())],
            ),
        )
        .path(
            "/metrics",
            public(
                "metrics",
                "operations",
                "Prometheus metrics",
                "OpenMetrics text of the `canopy_*` series (see docs/api.md); expose it only to the monitoring network.",
                text_ok("The metrics.", &["application/openmetrics-text; version=1.0.0; charset=utf-8"]),
                vec![],
            ),
        )
        .path(
            DOCUMENT_PATH,
            public(
                "openapi",
                "documentation",
                "This OpenAPI document",
                "The OpenAPI 3.1 document of the API, generated from the code.",
                ResponseBuilder::new()
                    .description("The document.")
                    .content(JSON, ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::Object))).build())
                    .build(),
                vec![],
            ),
        )
        .path(
            PAGE_PATH,
            public(
                "docs",
                "documentation",
                "The API reference page",
                "A browsable reference rendered from this document; it loads nothing from outside the server.",
                text_ok("The page.", &["text/html; charset=utf-8"]),
                vec![],
            ),
        )
        .path(format!("{PAGE_PATH}/{{asset}}"), docs_asset())
        .path(format!("{BASE}/logic/rules"), rules())
        .path(format!("{BASE}/groups"), collection(None, GROUP))
        .path(format!("{BASE}/groups/{{uuid}}"), item(GROUP));
    for (parent, child) in CHILDREN {
        paths = paths.path(format!("{BASE}/{}/{{uuid}}/{}", parent.many, child.many), collection(Some(parent), child));
    }
    for kind in [DISTRIBUTOR, RESELLER, TENANT] {
        paths = paths.path(format!("{BASE}/{}/{{uuid}}", kind.many), item(kind));
    }

    let components = ComponentsBuilder::new()
        .schema_from::<GroupCreate>()
        .schema_from::<NamedCreate>()
        .schema_from::<TenantCreate>()
        .schema_from::<GroupUpdate>()
        .schema_from::<NamedUpdate>()
        .schema_from::<TenantUpdate>()
        .schema_from::<NodeBody>()
        .schema_from::<UuidBody>()
        .schema_from::<GroupList>()
        .schema_from::<DistributorList>()
        .schema_from::<ResellerList>()
        .schema_from::<TenantList>()
        .schema_from::<ErrorEnvelope>()
        .schema_from::<ErrorObject>()
        .schema_from::<Status>()
        .schema_from::<CreationRules>()
        .build();

    let tag = |name: &str, description: &str| TagBuilder::new().name(name).description(Some(description)).build();
    OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Canopy")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Provisioning of a telecom provider's customer hierarchy: groups, and below them distributors, \
                     resellers and tenants, each `{draas_instance}` being an isolated namespace. Every failure \
                     answers the `ErrorEnvelope`; an unknown path answers 404 `route_not_found` and a known path \
                     with another method 405 `method_not_allowed`. Each operation names the permission it requires \
                     in `x-required-permission` (`null`: public); authentication is not enforced yet.",
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
            tag("rules", "The creation rules (Canopy extension)."),
            tag("operations", "Probes and metrics."),
            tag("documentation", "This document and its reference page."),
        ]))
        .build()
}

fn rules() -> PathItem {
    let op = Op {
        id: "readRules".to_owned(),
        tag: "rules",
        summary: "The creation rules".to_owned(),
        description: "Which holder may hold which kinds, from the table the server enforces. Levels may be skipped \
                      downward, never upward."
            .to_owned(),
        permission: Some("logic.rules.read".to_owned()),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The rules.".to_owned(), "CreationRules"),
        errors: errors(&[(404, "`instance_not_found`.")]),
    };
    PathItem::new(HttpMethod::Get, op.build())
}

fn docs_asset() -> PathItem {
    let content_types: Vec<&str> = ASSETS.iter().map(|(_, content_type, _)| *content_type).collect();
    let mut item = public(
        "docsAsset",
        "documentation",
        "An asset of the reference page",
        "The page's script and style sheet, embedded in the server.",
        text_ok("The asset.", &content_types),
        vec![(404, "`route_not_found`: no such asset.".to_owned())],
    );
    let names: Vec<Value> = ASSETS.iter().map(|(name, _, _)| Value::from(*name)).collect();
    let asset = ParameterBuilder::new()
        .name("asset")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some("The asset's file name."))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names))))
        .build();
    if let Some(op) = item.get.as_mut() {
        op.parameters = Some(vec![asset]);
    }
    item
}
