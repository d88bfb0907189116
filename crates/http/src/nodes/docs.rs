//! The operations of the node routes: each kind's collections and items, and the rules.

use super::bodies::{CreationRules, NodeBody, UuidBody};
use super::handlers::Under;
use crate::api::{
    BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, Tag, capitalize, errors, instance_param, json_ok,
    node_not_found, node_params, schema, with_etag,
};
use crate::list::{ListQueryParams, ListSchema};
use canopy_domain::{Holder, NodeKind};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

/// The tag of a kind's operations: what the kind is and where it lies.
fn tag(kind: NodeKind) -> Tag {
    let holders: Vec<Holder> = kind.holders().collect();
    let description = match holders.as_slice() {
        [Holder::Instance] => format!("The {} of an instance (fusion-draas-groups).", kind.plural()),
        _ => {
            let names: Vec<&str> = holders.iter().map(|holder| plural(*holder)).collect();
            let under = match names.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            format!("{}, under {under} (Canopy extension).", capitalize(kind.plural()))
        }
    };
    Tag::new(kind.plural(), description)
}

fn plural(holder: Holder) -> &'static str {
    match holder {
        Holder::Instance => "instances",
        Holder::Node(kind) => kind.plural(),
    }
}

const LIST_400: &str = "`invalid_field` (`search`, `sort`, `dir`, `page`, `page_size` out of range), `invalid_query` \
                        (a parameter of the wrong type), `invalid_next_token`";

fn duplicates(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Tenant => "`duplicate_name`, `duplicate_tenant_id`",
        _ => "`duplicate_name`",
    }
}

/// The schema of a page of `kind`s.
fn list_of(kind: NodeKind) -> SchemaRef {
    let many = kind.plural();
    let about = format!("One page of {many}: the items of the page, and where it lies in the whole list.");
    let list = ListSchema::new(format!("{}List", kind.title()), about, many, schema::<NodeBody>());
    list.items(format!("The {many} of this page, without the `nbOf*` counters.")).schema()
}

/// Where a collection lies, in the words of its operations.
struct Place {
    params: Vec<Parameter>,
    /// `directly under the group`, `of the instance`.
    where_: String,
    /// `OfGroup`: for operation ids.
    of: String,
    path_400: &'static str,
    not_found: String,
}

impl Place {
    fn of(under: Under) -> Self {
        match under.parent {
            Some(parent) => Self {
                params: node_params(parent),
                where_: format!("directly under the {}", parent.as_str()),
                of: format!("Of{}", parent.title()),
                path_400: ", `invalid_path`",
                not_found: format!(" or {}", node_not_found(parent.as_str())),
            },
            None => Self {
                params: vec![instance_param()],
                where_: "of the instance".to_owned(),
                of: String::new(),
                path_400: "",
                not_found: String::new(),
            },
        }
    }
}

pub(super) fn list_op(under: Under) -> Op {
    let Place { params, where_, of, path_400, not_found } = Place::of(under);
    let many = under.kind.plural();
    let cut = match under.parent {
        None => {
            " The list is cut to the caller's subtree before counting and paging: a group administrator sees \
                  its own group only."
        }
        Some(_) => "",
    };
    Op {
        id: format!("list{}{of}", capitalize(many)),
        tag: tag(under.kind),
        summary: format!("List the {many} {where_}"),
        description: format!(
            "One page of the {many} {where_}, sorted and filtered by the query. Lists show each item without the \
             `nbOf*` counters; an empty list answers 200 with an empty array.{cut}"
        ),
        params: params.into_iter().chain(ListQueryParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: json_ok(format!("A page of {many}, possibly empty."), list_of(under.kind)),
        errors: errors(&[(400, &format!("{LIST_400}{path_400}.")), (404, &format!("{INSTANCE_404}{not_found}."))]),
    }
}

pub(super) fn create_op(under: Under) -> Op {
    let Place { params, where_, of, path_400, not_found } = Place::of(under);
    let kind = under.kind;
    let one = kind.as_str();
    let (first_admin, group_duplicate) = match kind {
        NodeKind::Group => (
            " With `adminEmail`, the group's first administrator (`group_admin`) is created with it, in one unit of \
             work, and e-mailed an activation link.",
            ", `duplicate_email` (an administrator of the instance already has the `adminEmail`)",
        ),
        _ => ("", ""),
    };
    Op {
        id: format!("create{}{}", kind.title(), of.replace("Of", "In")),
        tag: tag(kind),
        summary: format!("Create a {one} {where_}"),
        description: format!(
            "Creates a {one} and answers its uuid (200, not 201). Names are unique among siblings, \
             case-insensitively after trimming; unknown fields are refused.{first_admin}"
        ),
        params,
        body: None,
        ok: with_etag(json_ok(format!("The {one} was created: its uuid and version."), schema::<UuidBody>())),
        errors: errors(&[
            (
                400,
                &format!(
                    "`malformed_json`, `invalid_body`, `invalid_field`, {}{group_duplicate}{path_400}.",
                    duplicates(kind)
                ),
            ),
            (404, &format!("{INSTANCE_404}{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

fn item_not_found(kind: NodeKind) -> String {
    format!(
        "`not_found` (no {} with this uuid in this instance, or one outside the caller's subtree) or {INSTANCE_404}.",
        kind.as_str()
    )
}

pub(super) fn read_op(kind: NodeKind) -> Op {
    let one = kind.as_str();
    Op {
        id: format!("read{}", kind.title()),
        tag: tag(kind),
        summary: format!("Read a {one}"),
        description: format!("The {one} with the counters (`nbOf*`) of the kinds that may lie anywhere below it."),
        params: node_params(kind),
        body: None,
        ok: with_etag(json_ok(format!("The {one}."), schema::<NodeBody>())),
        errors: errors(&[(400, "`invalid_path`."), (404, &item_not_found(kind))]),
    }
}

pub(super) fn update_op(kind: NodeKind) -> Op {
    Op {
        id: format!("update{}", kind.title()),
        tag: tag(kind),
        summary: format!("Modify a {}", kind.as_str()),
        description: "Absent fields are kept; an empty body `{}` changes nothing.".to_owned(),
        params: node_params(kind),
        body: None,
        ok: with_etag(json_ok("Updated: the uuid of the path and the new version.", schema::<UuidBody>())),
        errors: errors(&[
            (400, &format!("`malformed_json`, `invalid_body`, `invalid_field`, {}, `invalid_path`.", duplicates(kind))),
            (404, &item_not_found(kind)),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete_op(kind: NodeKind) -> Op {
    let one = kind.as_str();
    Op {
        id: format!("delete{}", kind.title()),
        tag: tag(kind),
        summary: format!("Delete a {one}"),
        description: format!(
            "Only an empty {one} can be deleted. Deleting one that does not exist succeeds (200 with the uuid): \
             idempotent. A {one} outside the caller's subtree is answered alike, and left untouched."
        ),
        params: node_params(kind),
        body: None,
        ok: json_ok("Deleted, or there was nothing to delete: the uuid of the path.", schema::<UuidBody>()),
        errors: errors(&[
            (
                400,
                "`not_empty` (the node still has children; `details.children` counts them by kind) or `invalid_path`.",
            ),
            (404, &format!("{INSTANCE_404}.")),
        ]),
    }
}

pub(super) fn rules() -> Op {
    Op {
        id: "readRules".to_owned(),
        tag: Tag::new("rules", "The creation rules (Canopy extension)."),
        summary: "The creation rules".to_owned(),
        description: "Which holder may hold which kinds, from the table the server enforces. Levels may be skipped \
                      downward, never upward."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The rules.", schema::<CreationRules>()),
        errors: errors(&[(404, &format!("{INSTANCE_404}."))]),
    }
}
