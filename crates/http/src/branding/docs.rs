//! The operations of the branding routes: the words of whose documents they are (`Holder`: a node
//! of a kind, or the instance), then one function per operation.

use super::bodies::{BrandingParams, BrandingRead, DocumentBody};
use crate::api::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, Tag, capitalize, empty, errors, instance_param,
    json_ok, node_not_found, node_params, schema, versioned,
};
use canopy_domain::{BrandingDoc, Level};
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

const STYLING: &str = " Styling holds three documents: `type` (`font`, `image`, `theme`) chooses one, in the query of a \
                       read or a deletion (required) and in the body of a write (where it is not stored).";
const RULES: &str = "At most 16 KiB and 16 levels deep; every property the spec shows has the type of its example; \
                     every URL (links, `route`, `icon`, `state`, images, theme URLs) is a relative path or an \
                     `https:` URL, and an image may also be an inline `data:image/png|jpeg|gif|webp;base64,…`: \
                     `javascript:`, `vbscript:`, other `data:` URLs and every other scheme are refused (and, in \
                     properties the spec does not show, any script URL); a font's `name` and a theme's `selected` \
                     must be among `allowed`, a theme maps every allowed theme in `themes`.";

fn tag() -> Tag {
    Tag::new("branding", "The branding documents of every node and of the instance, inherited down the tree.")
}

/// Whose documents, in the words of their operations: a node of a kind, or the instance.
pub(super) struct Holder {
    /// `Group`, `Instance`: for operation ids.
    title: String,
    /// `group`, `instance`: for summaries.
    one: &'static str,
    params: Vec<Parameter>,
    not_found: String,
    /// Whether the spec describes these routes (a node's), rather than Canopy (the instance's).
    spec: bool,
    /// What a read answers, what a write and a deletion do.
    read: String,
    write: String,
    delete: String,
}

impl Holder {
    pub(super) fn of(level: Level) -> Self {
        let Some(kind) = level else {
            return Self {
                title: "Instance".to_owned(),
                one: "instance",
                params: vec![instance_param()],
                not_found: INSTANCE_404.to_owned(),
                spec: false,
                read: "Canopy extension. The instance's own document, else the built-in default (the spec's \
                       examples, without its dev URLs); `version` is the instance's own document's (1 while it \
                       never set one)."
                    .to_owned(),
                write: "Canopy extension. Replaces the instance's own document whole: every node without its own, \
                        and without an ancestor with one, shows it."
                    .to_owned(),
                delete: "Canopy extension. Removes the instance's own document: the built-in default shows again. \
                         An instance without one answers 204 too; the deletion counts as a write (its version and \
                         the audit log)."
                    .to_owned(),
            };
        };
        let one = kind.as_str();
        Self {
            title: kind.title().to_owned(),
            one,
            params: node_params(kind),
            not_found: format!("{}, `instance_not_found`", node_not_found(one)),
            spec: true,
            read: format!(
                "The effective document: the {one}'s own, else the nearest ancestor's, else the instance's own \
                 (`…/configurations/branding/…` of the instance), else the built-in default. `version` is the \
                 {one}'s own document's (1 while it never set one)."
            ),
            write: format!(
                "Replaces the {one}'s own document whole: it stops inheriting, and the nodes below without their \
                 own now inherit it."
            ),
            delete: format!(
                "Canopy extension. Removes the {one}'s own document: it inherits again (from its nearest ancestor, \
                 else the instance). A {one} without its own answers 204 too; the deletion counts as a write (its \
                 version and the audit log)."
            ),
        }
    }
}

/// What styling's operations add to their description.
fn extra(doc: BrandingDoc) -> &'static str {
    match doc {
        BrandingDoc::Styling => STYLING,
        BrandingDoc::General | BrandingDoc::Pages => "",
    }
}

pub(super) fn get(holder: Holder, doc: BrandingDoc) -> Op {
    let Holder { title, one, params, not_found, spec, read, .. } = holder;
    let name = doc.as_str();
    let spec = if spec {
        format!("Spec: fusion-draas-groups \"Get the configurations branding {name}\". ")
    } else {
        String::new()
    };
    Op {
        id: format!("get{title}Branding{}", capitalize(name)),
        tag: tag(),
        summary: format!("Get the branding {name} of a {one}"),
        description: format!(
            "{spec}{read} `full=true` answers it whole; otherwise `keys` (comma-separated) and `search` \
             (case-insensitive, in top-level keys) keep part of it.{}",
            extra(doc)
        ),
        params: params.into_iter().chain(BrandingParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: versioned(json_ok(
            "The document (an object of properties) and, beside its properties, `version`.",
            schema::<BrandingRead>(),
        )),
        errors: errors(&[
            (
                400,
                "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`type` missing or \
                 unknown on styling, present elsewhere), `invalid_path`.",
            ),
            (404, &format!("{not_found}.")),
        ]),
    }
}

pub(super) fn put(holder: Holder, doc: BrandingDoc) -> Op {
    let Holder { title, one, params, not_found, spec, write, .. } = holder;
    let name = doc.as_str();
    let spec = match spec {
        true => format!(
            "Spec: fusion-draas-groups \"Modify the configurations branding {name}\" (served here, not at the \
             spec's inconsistent `/configurations/{name}`). "
        ),
        false => String::new(),
    };
    Op {
        id: format!("put{title}Branding{}", capitalize(name)),
        tag: tag(),
        summary: format!("Set the branding {name} of a {one}"),
        description: format!("{spec}{write} {RULES}{}", extra(doc)),
        params,
        body: Some(schema::<DocumentBody>()),
        ok: versioned(empty(204, "Set: no body.")),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` naming the property that breaks a rule by its path (`appTitle`, \
                     `modes.admin.sso[0].icon`, `favicon`, `themes.blue`, `body`, `type`, `allowed`, `selected`…), \
                     `invalid_path`."
                ),
            ),
            (404, &format!("{not_found}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn delete(holder: Holder, doc: BrandingDoc) -> Op {
    let Holder { title, one, mut params, not_found, delete, .. } = holder;
    let name = doc.as_str();
    if doc == BrandingDoc::Styling {
        params.push(
            ParameterBuilder::new()
                .name("type")
                .parameter_in(ParameterIn::Query)
                .required(Required::True)
                .description(Some("The styling document: `font`, `image` or `theme`."))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([Value::from("theme")])))
                .build(),
        );
    }
    Op {
        id: format!("delete{title}Branding{}", capitalize(name)),
        tag: tag(),
        summary: format!("Delete the branding {name} of a {one}"),
        description: format!("{delete}{}", extra(doc)),
        params,
        body: None,
        ok: versioned(empty(204, "Deleted (or there was none): no body.")),
        errors: errors(&[
            (
                400,
                "`invalid_query` (an unknown parameter), `invalid_field` (`type` missing or unknown on styling, \
                 present elsewhere), `invalid_path`.",
            ),
            (404, &format!("{not_found}.")),
        ]),
    }
}
