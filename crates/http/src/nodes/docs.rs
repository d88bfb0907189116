//! The operations of the node routes: each kind's collections and items, and the rules.

use super::bodies::{CreationRules, NodeBody, UuidBody};
use super::handlers::Under;
use crate::api::{
    BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, SchemaRef, Tag, capitalize, errors, instance_param, json_ok,
    node_not_found, node_params, schema, with_etag,
};
use crate::list::{ListQueryParams, ListSchema};
use canopy_domain::{Holder, NameRule, NodeKind};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

/// The tag of a kind's operations: what the kind is and where it lies.
fn tag(kind: NodeKind) -> Tag {
    let holders: Vec<Holder> = kind.holders().collect();
    let description = match holders.as_slice() {
        [Holder::Instance] => format!("The {} of an instance (fusion-draas-groups).", kind.plural()),
        _ => {
            let names: Vec<String> = holders.iter().map(|holder| plural(*holder)).collect();
            let under = match names.split_last() {
                Some((last, [])) => last.clone(),
                Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
                None => String::new(),
            };
            format!("{}, under {under} (Canopy extension).", capitalize(&many(kind)))
        }
    };
    Tag::new(kind.plural(), description)
}

fn plural(holder: Holder) -> String {
    match holder {
        Holder::Instance => "instances".to_owned(),
        Holder::Node(kind) => many(kind),
    }
}

/// The kind's plural in a sentence: `site groups`.
fn many(kind: NodeKind) -> String {
    kind.plural().replace('_', " ")
}

/// The kind's plural in an operation id: `SiteGroups`.
fn titles(kind: NodeKind) -> String {
    kind.plural().split('_').map(capitalize).collect()
}

const LIST_400: &str = "`invalid_field` (`search`, `sort`, `dir`, `page`, `page_size` out of range), `invalid_query` \
                        (a parameter of the wrong type), `invalid_next_token`";

/// What a creation or a change of a `kind` may collide with (or break), beside the body's shape.
fn duplicates(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Tenant => "`duplicate_name`, `duplicate_tenant_id`",
        NodeKind::SiteGroup => "`duplicate_name` (the `groupId` of another site group of the tenant)",
        NodeKind::User => {
            "`duplicate_user_id` (the `userId` of another user of the instance), `duplicate_email` (an account of the \
             instance already has the `email`)"
        }
        _ => "`duplicate_name`",
    }
}

/// Where a kind's names are unique.
fn unique(kind: NodeKind) -> String {
    match kind.name_rule() {
        NameRule::Display => "Names are unique among siblings, case-insensitively after trimming".to_owned(),
        NameRule::Identifier { field, .. } if kind.has_sibling_name() => {
            format!("The `{field}` (the `name`) is unique among its parent's {}, case-insensitively", many(kind))
        }
        NameRule::Identifier { field, .. } => {
            format!("The `{field}` (the `name`) is unique in the instance, case-insensitively")
        }
    }
}

/// The schema of a page of `kind`s.
fn list_of(kind: NodeKind) -> SchemaRef {
    let many = many(kind);
    let about = format!("One page of {many}: the items of the page, and where it lies in the whole list.");
    let list = ListSchema::new(format!("{}List", kind.title()), about, kind.plural(), schema::<NodeBody>());
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
                where_: format!("directly under the {}", parent.noun()),
                of: format!("Of{}", parent.title()),
                path_400: ", `invalid_path`",
                not_found: format!(" or {}", node_not_found(parent.noun())),
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
    let many = many(under.kind);
    let cut = match under.parent {
        None => {
            " The list is cut to the caller's subtree before counting and paging: a group administrator sees \
                  its own group only."
        }
        Some(_) => "",
    };
    Op {
        id: format!("list{}{of}", titles(under.kind)),
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
    let one = kind.noun();
    let (first_admin, group_duplicate) = match kind {
        NodeKind::Group => (
            " With `adminEmail`, the group's first administrator (`group_admin`) is created with it, in one unit of \
             work, and e-mailed an activation link.",
            ", `duplicate_email` (an account of the instance already has the `adminEmail`)",
        ),
        NodeKind::User => (
            " With `email`, the user's own account (`end_user`, which logs in with that address) is created with it, \
             in one unit of work, and e-mailed an activation link, or given `temporaryPassword`. In a site group, \
             a user beyond its `userLimit` is refused.",
            ", `user_limit_reached` (the site group holds `userLimit` users: `details.limit`, `details.count`)",
        ),
        _ => ("", ""),
    };
    Op {
        id: format!("create{}{}", kind.title(), of.replace("Of", "In")),
        tag: tag(kind),
        summary: format!("Create a {one} {where_}"),
        description: format!(
            "Creates a {one} and answers its uuid (200, not 201). {}; unknown fields are refused.{first_admin}",
            unique(kind)
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
        kind.noun()
    )
}

pub(super) fn read_op(kind: NodeKind) -> Op {
    let one = kind.noun();
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
        summary: format!("Modify a {}", kind.noun()),
        description: format!("Absent fields are kept; an empty body `{{}}` changes nothing.{}", changes(kind)),
        params: node_params(kind),
        body: None,
        ok: with_etag(json_ok("Updated: the uuid of the path and the new version.", schema::<UuidBody>())),
        errors: errors(&[
            (
                400,
                &format!(
                    "`malformed_json`, `invalid_body`, `invalid_field`, {}{}, `invalid_path`.",
                    duplicates(kind),
                    change_errors(kind)
                ),
            ),
            (404, &item_not_found(kind)),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

/// What a change of a kind does beyond its fields.
fn changes(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::SiteGroup => " A `userLimit` below the users the site group holds is refused.",
        NodeKind::User => {
            " An `email` sent to a user that has none gives it its account (`end_user`), e-mailed an activation \
             link; once set, the e-mail never changes (another one is refused, the same one changes nothing)."
        }
        _ => "",
    }
}

fn change_errors(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::SiteGroup => ", `user_limit_below_count` (`details.limit`, `details.count`)",
        _ => "",
    }
}

pub(super) fn delete_op(kind: NodeKind) -> Op {
    let one = kind.noun();
    Op {
        id: format!("delete{}", kind.title()),
        tag: tag(kind),
        summary: format!("Delete a {one}"),
        description: format!(
            "Only an empty {one} can be deleted. Deleting one that does not exist succeeds (200 with the uuid): \
             idempotent. A {one} outside the caller's subtree is answered alike, and left untouched.{}",
            match kind {
                NodeKind::User => " The user's account, if it has one, goes with it (its sessions too).",
                _ => "",
            }
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
