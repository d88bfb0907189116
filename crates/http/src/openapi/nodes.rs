//! The operations of the nodes (one table per shape of route: collections and items) and of the
//! creation rules.

use crate::dto::ListQueryParams;
use axum::http::Method;
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

use super::BASE;
use super::operations::{
    BODY_ERRORS_413, BODY_ERRORS_415, Entry, INSTANCE_404, Op, capitalize, errors, instance_param, json_ok, uuid_param,
    with_etag,
};

/// A kind of node as the routes name it.
#[derive(Clone, Copy)]
pub(super) struct Kind {
    /// `group`
    pub(super) one: &'static str,
    /// `groups`: the path segment, the tag and the list field.
    pub(super) many: &'static str,
    /// `Group`: for operation ids.
    pub(super) title: &'static str,
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

/// Every kind, from the top down.
pub(super) const KINDS: [Kind; 4] = [GROUP, DISTRIBUTOR, RESELLER, TENANT];

/// The child collections: `(parent, child)`, as the route table has them.
const CHILDREN: [(Kind, Kind); 6] = [
    (GROUP, DISTRIBUTOR),
    (GROUP, RESELLER),
    (GROUP, TENANT),
    (DISTRIBUTOR, RESELLER),
    (DISTRIBUTOR, TENANT),
    (RESELLER, TENANT),
];

/// The rules, the groups of the instance, every child collection and every node by uuid.
pub(super) fn entries() -> Vec<Entry> {
    let mut all = vec![rules()];
    all.extend(collection(None, GROUP));
    for (parent, child) in CHILDREN {
        all.extend(collection(Some(parent), child));
    }
    for kind in KINDS {
        all.extend(item(kind));
    }
    all
}

fn list_params() -> Vec<Parameter> {
    ListQueryParams::into_params(|| Some(ParameterIn::Query))
}

const LIST_400: &str = "`invalid_field` (`search`, `sort`, `dir`, `page`, `page_size` out of range), `invalid_query` \
                        (a parameter of the wrong type), `invalid_next_token`";

fn duplicates(kind: Kind) -> &'static str {
    match kind.one {
        "tenant" => "`duplicate_name`, `duplicate_tenant_id`",
        _ => "`duplicate_name`",
    }
}

/// `GET` and `POST` of a collection: the groups of the instance, or the `kind` children of a parent.
fn collection(parent: Option<Kind>, kind: Kind) -> [Entry; 2] {
    let mut params = vec![instance_param()];
    let (path, where_, of) = match parent {
        Some(parent) => {
            params.push(uuid_param(parent.one));
            (
                format!("{BASE}/{}/{{uuid}}/{}", parent.many, kind.many),
                format!("directly under the {}", parent.one),
                format!("Of{}", parent.title),
            )
        }
        None => (format!("{BASE}/{}", kind.many), "of the instance".to_owned(), String::new()),
    };
    let (path_400, not_found) = match parent {
        Some(parent) => (
            ", `invalid_path`",
            format!(" or `not_found` (no {} with this uuid, or one outside the caller's subtree)", parent.one),
        ),
        None => ("", String::new()),
    };
    let cut = match parent {
        None => {
            " The list is cut to the caller's subtree before counting and paging: a group administrator sees \
                  its own group only."
        }
        Some(_) => "",
    };
    let list = Op {
        id: format!("list{}{of}", capitalize(kind.many)),
        tag: kind.many,
        summary: format!("List the {} {where_}", kind.many),
        description: format!(
            "One page of the {} {where_}, sorted and filtered by the query. Lists show each item without \
             the `nbOf*` counters; an empty list answers 200 with an empty array.{cut}",
            kind.many
        ),
        params: params.iter().cloned().chain(list_params()).collect(),
        body: None,
        ok: json_ok(format!("A page of {}, possibly empty.", kind.many), kind.list),
        errors: errors(&[(400, &format!("{LIST_400}{path_400}.")), (404, &format!("{INSTANCE_404}{not_found}."))]),
    };
    let first_admin = match kind.one {
        "group" => {
            " With `adminEmail`, the group's first administrator (`group_admin`) is created with it, in one unit of \
             work, and e-mailed an activation link."
        }
        _ => "",
    };
    let group_duplicate = match kind.one {
        "group" => ", `duplicate_email` (an administrator of the instance already has the `adminEmail`)",
        _ => "",
    };
    let create = Op {
        id: format!("create{}{}", kind.title, of.replace("Of", "In")),
        tag: kind.many,
        summary: format!("Create a {} {where_}", kind.one),
        description: format!(
            "Creates a {} and answers its uuid (200, not 201). Names are unique among siblings, \
             case-insensitively after trimming; unknown fields are refused.{first_admin}",
            kind.one
        ),
        params,
        body: Some(kind.create),
        ok: with_etag(json_ok(format!("The {} was created: its uuid and version.", kind.one), "UuidBody")),
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
    };
    [(Method::GET, path.clone(), list), (Method::POST, path, create)]
}

/// `GET`, `PUT` and `DELETE` of one node by uuid.
fn item(kind: Kind) -> [Entry; 3] {
    let path = format!("{BASE}/{}/{{uuid}}", kind.many);
    let params = vec![instance_param(), uuid_param(kind.one)];
    let not_found = format!(
        "`not_found` (no {} with this uuid in this instance, or one outside the caller's subtree) or {INSTANCE_404}.",
        kind.one
    );
    let read = Op {
        id: format!("read{}", kind.title),
        tag: kind.many,
        summary: format!("Read a {}", kind.one),
        description: format!(
            "The {} with the counters (`nbOf*`) of the kinds that may lie anywhere below it.",
            kind.one
        ),
        params: params.clone(),
        body: None,
        ok: with_etag(json_ok(format!("The {}.", kind.one), "NodeBody")),
        errors: errors(&[(400, "`invalid_path`."), (404, &not_found)]),
    };
    let update = Op {
        id: format!("update{}", kind.title),
        tag: kind.many,
        summary: format!("Modify a {}", kind.one),
        description: "Absent fields are kept; an empty body `{}` changes nothing.".to_owned(),
        params: params.clone(),
        body: Some(kind.update),
        ok: with_etag(json_ok("Updated: the uuid of the path and the new version.".to_owned(), "UuidBody")),
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
            "Only an empty {one} can be deleted. Deleting one that does not exist succeeds (200 with the uuid): \
             idempotent. A {one} outside the caller's subtree is answered alike, and left untouched.",
            one = kind.one
        ),
        params,
        body: None,
        ok: json_ok("Deleted, or there was nothing to delete: the uuid of the path.".to_owned(), "UuidBody"),
        errors: errors(&[
            (
                400,
                "`not_empty` (the node still has children; `details.children` counts them by kind) or `invalid_path`.",
            ),
            (404, &format!("{INSTANCE_404}.")),
        ]),
    };
    [(Method::GET, path.clone(), read), (Method::PUT, path.clone(), update), (Method::DELETE, path, delete)]
}

fn rules() -> Entry {
    let op = Op {
        id: "readRules".to_owned(),
        tag: "rules",
        summary: "The creation rules".to_owned(),
        description: "Which holder may hold which kinds, from the table the server enforces. Levels may be skipped \
                      downward, never upward."
            .to_owned(),
        params: vec![instance_param()],
        body: None,
        ok: json_ok("The rules.".to_owned(), "CreationRules"),
        errors: errors(&[(404, &format!("{INSTANCE_404}."))]),
    };
    (Method::GET, format!("{BASE}/logic/rules"), op)
}
