//! The one shape of every list body, `{"page", "pageSize"?, "pages", "results", "next"?,
//! "<items>": [...]}`, and its one schema. Nodes, administrators, voice routing and the audit log
//! answer it; what differs is the items' field, and whether the list has `next` tokens (a node's
//! rate plans, read whole, have not) and the spec's `pageSize` (voice routing's has).

use crate::api::SchemaRef;
use canopy_domain::{ListParams, Listed};
use serde::Deserialize;
use serde::ser::{Serialize, SerializeMap, Serializer};
use utoipa::IntoParams;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{KnownFormat, Ref, SchemaFormat};

/// The list parameters of the lists continued by `next` tokens (nodes, voice routing,
/// administrators).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQueryParams {
    /// Case-insensitive substring over the list's searchable fields (a node's, its uuid included; an
    /// administrator's e-mail and names); at most 255 characters.
    search: Option<String>,
    /// A sortable field of the list, its first by default: for nodes `name`, `uuid`, and `draasDomain` (groups)
    /// or `tenantId` (tenants); for administrators `email`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    /// 1-based page number (Canopy extension), 1 to 1000000000, default 1.
    #[param(minimum = 1, maximum = 1000000000)]
    page: Option<u64>,
    /// Items per page, 1 to 1000, default 10.
    #[param(minimum = 1, maximum = 1000)]
    page_size: Option<u64>,
    /// The `next` token of the previous page.
    next: Option<String>,
}

impl From<ListQueryParams> for ListParams {
    fn from(q: ListQueryParams) -> Self {
        ListParams { search: q.search, sort: q.sort, dir: q.dir, page: q.page, page_size: q.page_size, next: q.next }
    }
}

/// The query of the short lists read whole, whose pages are numbered (no `next` token): a
/// node's rate plans (`GET .../rate_plans`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NumberedQuery {
    /// Case-insensitive substring of a rate plan's name.
    pub search: Option<String>,
    /// 1 or more (default 1).
    pub page: Option<u64>,
    /// 1 to 1000 (default 10).
    pub page_size: Option<u64>,
}

/// One page of a list, as every list answers it: the service's page, each item shown as a `T`.
pub struct ListBody<T> {
    list: Listed<T>,
    /// The name of the items' field (`groups`, `pstnUsages`).
    field: &'static str,
    /// Whether it shows its page size (the lists whose spec shows it).
    page_size: bool,
}

impl<T> ListBody<T> {
    /// The body of a service's page, each item shown as a `T`, under `field`.
    pub fn new<I>(field: &'static str, list: Listed<I>) -> Self
    where
        T: From<I>,
    {
        let Listed { items, page, page_size, pages, results, results_capped, next } = list;
        let items = items.into_iter().map(T::from).collect();
        Self { list: Listed { items, page, page_size, pages, results, results_capped, next }, field, page_size: false }
    }

    /// The body shows `pageSize`, as the spec's voice routing lists do.
    pub fn with_page_size(mut self) -> Self {
        self.page_size = true;
        self
    }
}

impl<T: Serialize> Serialize for ListBody<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Listed { items, page, page_size, pages, results, results_capped, next } = &self.list;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("page", page)?;
        if self.page_size {
            map.serialize_entry("pageSize", page_size)?;
        }
        map.serialize_entry("pages", pages)?;
        map.serialize_entry("results", results)?;
        if *results_capped {
            map.serialize_entry("resultsCapped", &true)?;
        }
        if let Some(next) = next {
            map.serialize_entry("next", next)?;
        }
        map.serialize_entry(self.field, items)?;
        map.end()
    }
}

/// The schema of a list body: its name, what it holds, and which of the optional fields it has.
pub struct ListSchema {
    name: String,
    about: String,
    field: &'static str,
    items_about: String,
    item: SchemaRef,
    /// Whether the list is continued by `next` tokens.
    next: bool,
    /// Whether it shows `pageSize`.
    page_size: bool,
}

impl ListSchema {
    /// `name` (`GroupList`): what the list is, and its `item`s under `field` with what they are.
    /// It is continued by `next` tokens and shows no `pageSize` unless told otherwise.
    pub fn new(name: impl Into<String>, about: impl Into<String>, field: &'static str, item: SchemaRef) -> Self {
        let about = about.into();
        Self { name: name.into(), items_about: String::new(), about, field, item, next: true, page_size: false }
    }

    /// What its items are.
    pub fn items(mut self, about: impl Into<String>) -> Self {
        self.items_about = about.into();
        self
    }

    /// Pages are numbered only: no `next` token.
    pub fn numbered(mut self) -> Self {
        self.next = false;
        self
    }

    /// It shows the spec's `pageSize`.
    pub fn with_page_size(mut self) -> Self {
        self.page_size = true;
        self
    }

    pub fn schema(self) -> SchemaRef {
        list_schema(self)
    }
}

/// The schema of a list body.
#[allow(deprecated)] // `example`: the singular keyword the other schemas of the document use.
fn list_schema(list: ListSchema) -> SchemaRef {
    let integer = |description: &str, minimum: u64| {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some(description))
            .minimum(Some(minimum as f64))
    };
    let counted = if list.next { " (on pages reached by `next`: as counted on the first page)" } else { "" };
    let mut schema = ObjectBuilder::new()
        .description(Some(list.about))
        .property("page", integer("The number of this page, 1-based.", 1).example(Some(1.into())))
        .required("page");
    if list.page_size {
        let size = integer("The number of items per page (`page_size`), 1 to 1000.", 1)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .maximum(Some(1000.0))
            .example(Some(10.into()));
        schema = schema.property("pageSize", size).required("pageSize");
    }
    schema = schema
        .property("pages", integer("`ceil(results / page_size)`, at least 1.", 1).example(Some(1.into())))
        .required("pages")
        .property(
            "results",
            integer(&format!("The number of items matching the query{counted}."), 0).example(Some(1.into())),
        )
        .required("results")
        .property(
            "resultsCapped",
            ObjectBuilder::new().schema_type(Type::Boolean).description(Some(
                "A Canopy extension, present (`true`) only when a searched list matched more than 1000 items: \
                 `results` and `pages` then count 1000, and `next` (or a page number) reaches the rest.",
            )),
        );
    if list.next {
        let next = ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("The token of the next page; present only while more items remain."));
        schema = schema.property("next", next);
    }
    let items = ArrayBuilder::new().items(Ref::from_schema_name(&list.item.name)).description(Some(list.items_about));
    schema = schema.property(list.field, items).required(list.field);
    SchemaRef::named(list.name, Schema::Object(schema.build()), &[list.item])
}
