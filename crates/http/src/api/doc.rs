//! The OpenAPI operation of a route, as its resource declares it: built with [`Op`] next to the
//! route, or derived by utoipa from `#[utoipa::path]` on a handler ([`Doc::derived`]). Either way
//! it names the schemas it uses, so the document's components are collected from the operations.
//! What every operation shares (what it requires, preconditions, the failures of the store) is
//! added centrally, by `finish.rs`.

use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, OperationBuilder, Parameter};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, Response, ResponseBuilder};
use utoipa::{Path, ToSchema};

/// The content type of the bodies of the JSON operations.
pub(crate) const JSON: &str = "application/json";

/// Schemas of the components: `(name, schema)`.
pub(crate) type Components = Vec<(String, RefOr<Schema>)>;

/// A tag of the document: the group an operation is listed under, and what the group is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    pub name: String,
    pub description: String,
}

impl Tag {
    pub fn new(name: impl Into<String>, description: impl Into<String>) -> Self {
        Self { name: name.into(), description: description.into() }
    }
}

/// A schema of the components that an operation refers to, with the schemas it refers to itself.
#[derive(Clone)]
pub struct SchemaRef {
    pub(crate) name: String,
    pub(crate) components: Components,
}

impl SchemaRef {
    /// A schema built by hand (a list body), named `name`, referring to `uses`.
    pub(crate) fn named(name: impl Into<String>, schema: Schema, uses: &[SchemaRef]) -> Self {
        let name = name.into();
        let mut components = vec![(name.clone(), RefOr::T(schema))];
        components.extend(uses.iter().flat_map(|used| used.components.iter().cloned()));
        Self { name, components }
    }

    pub(crate) fn reference(&self) -> Ref {
        Ref::from_schema_name(&self.name)
    }
}

/// The schema of a type that derives `ToSchema`, and those its fields refer to.
pub fn schema<T: ToSchema>() -> SchemaRef {
    let name = T::name().into_owned();
    let mut components = vec![(name.clone(), T::schema())];
    T::schemas(&mut components);
    SchemaRef { name, components }
}

/// A success: its status, its response, and the schemas its body refers to.
pub struct Answer {
    pub(crate) status: u16,
    pub(crate) response: Response,
    pub(crate) schemas: Vec<SchemaRef>,
}

/// One operation as a resource describes it. What it requires (`x-required-permission`,
/// `security`, and the 401 and 403 that follow), its precondition and the failures of the store
/// are never written here: `finish.rs` adds them from the route.
pub struct Op {
    pub id: String,
    pub tag: Tag,
    pub summary: String,
    pub description: String,
    pub params: Vec<Parameter>,
    /// The schema of the JSON request body, if the operation takes one.
    pub body: Option<SchemaRef>,
    pub ok: Answer,
    /// `(status, description)` of the failures of the operation itself (see [`errors`]).
    pub errors: Vec<(u16, String)>,
}

/// An operation before the rules every operation shares are applied to it.
pub(crate) struct Doc {
    pub(crate) operation: Operation,
    pub(crate) tag: Tag,
    pub(crate) components: Components,
}

impl From<Op> for Doc {
    fn from(op: Op) -> Self {
        let mut components: Components = op.ok.schemas.iter().flat_map(|s| s.components.iter().cloned()).collect();
        let mut operation = OperationBuilder::new()
            .operation_id(Some(op.id))
            .tag(op.tag.name.clone())
            .summary(Some(op.summary))
            .description(Some(op.description))
            .parameters(Some(op.params));
        if let Some(body) = op.body {
            operation = operation.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(JSON, ContentBuilder::new().schema(Some(body.reference())).build())
                    .build(),
            ));
            components.extend(body.components);
        }
        operation = operation.response(op.ok.status.to_string(), op.ok.response);
        for (status, description) in op.errors {
            operation = operation.response(status.to_string(), failure(description));
        }
        Self { operation: operation.build(), tag: op.tag, components }
    }
}

impl Doc {
    /// The operation utoipa derives from `#[utoipa::path]` on a handler, listed under `tag` (the
    /// attribute names no tag: the route gives it).
    pub(crate) fn derived<P: Path + utoipa::__dev::SchemaReferences>(tag: Tag) -> Self {
        let mut operation = P::operation();
        operation.tags = Some(vec![tag.name.clone()]);
        // Every operation lists its parameters, if only as `[]`.
        operation.parameters.get_or_insert_with(Vec::new);
        let mut components = Components::new();
        P::schemas(&mut components);
        Self { operation, tag, components }
    }
}

/// A failure: the error envelope.
pub(crate) fn failure(description: impl Into<String>) -> Response {
    let envelope = ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorEnvelope"))).build();
    ResponseBuilder::new().description(description).content(JSON, envelope).build()
}

pub(crate) fn header(description: &str, schema_type: Type) -> utoipa::openapi::header::Header {
    HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(schema_type)).description(Some(description)).build()
}

/// The failures of an operation, as `(status, description)`.
pub fn errors(list: &[(u16, &str)]) -> Vec<(u16, String)> {
    list.iter().map(|(status, text)| (*status, (*text).to_owned())).collect()
}

/// A 200 with a JSON body of a schema of the components.
pub fn json_ok(description: impl Into<String>, body: SchemaRef) -> Answer {
    let content = ContentBuilder::new().schema(Some(body.reference())).build();
    let response = ResponseBuilder::new().description(description).content(JSON, content).build();
    Answer { status: 200, response, schemas: vec![body] }
}

/// A success without a body.
pub fn empty(status: u16, description: &str) -> Answer {
    Answer { status, response: ResponseBuilder::new().description(description).build(), schemas: vec![] }
}

/// A 200 whose body is text of the given content types.
pub(crate) fn text_ok(description: &str, content_types: &[&str]) -> Answer {
    let response =
        content_types.iter().fold(ResponseBuilder::new().description(description), |response, content_type| {
            let content = ContentBuilder::new().schema(Some(ObjectBuilder::new().schema_type(Type::String))).build();
            response.content(*content_type, content)
        });
    Answer { status: 200, response: response.build(), schemas: vec![] }
}

/// `answer` with the `ETag` of the resource's version after the operation.
pub fn with_etag(mut answer: Answer) -> Answer {
    let description = "The resource's version (`\"4\"`): send it back in `If-Match` to change it.";
    answer.response.headers.insert("ETag".to_owned(), header(description, Type::String));
    answer
}

/// `answer` with the `ETag` of a document a node owns (its configuration, a branding document,
/// its enabled UCs, a rate plan): a read answers the document's version, a write the new one.
pub fn versioned(mut answer: Answer) -> Answer {
    let description = if answer.status == 204 {
        "The new version of the document, as an entity tag (`\"4\"`)."
    } else {
        "The document's version, as an entity tag (`\"3\"`): send it back as `If-Match`."
    };
    answer.response.headers.insert("ETag".to_owned(), header(description, Type::String));
    answer
}

/// `word` with its first letter in upper case: `group` → `Group`, for operation ids.
pub fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
