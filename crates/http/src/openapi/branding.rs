//! The operations of the branding documents: a node's (of every kind) and the instance's own.

use crate::belonging_dto::BrandingParams;
use axum::http::Method;
use serde_json::Value;
use utoipa::IntoParams;
use utoipa::openapi::Required;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};

use super::BASE;
use super::nodes::Kind;
use super::operations::{
    BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Entry, INSTANCE_404, Op, capitalize, empty, errors, instance_param,
    json_ok,
};
use super::versions_owned::versioned;

const TAG: &str = "belongings";
const STYLING: &str = " Styling holds three documents: `type` (`font`, `image`, `theme`) chooses one, in the query of a \
                       read or a deletion (required) and in the body of a write (where it is not stored).";
const RULES: &str = "At most 16 KiB and 16 levels deep; every property the spec shows has the type of its example; \
                     every URL (links, `route`, `icon`, `state`, images, theme URLs) is a relative path or an \
                     `https:` URL, and an image may also be an inline `data:image/png|jpeg|gif|webp;base64,…`: \
                     `javascript:`, `vbscript:`, other `data:` URLs and every other scheme are refused (and, in \
                     properties the spec does not show, any script URL); a font's `name` and a theme's `selected` \
                     must be among `allowed`, a theme maps every allowed theme in `themes`.";

/// Whose documents: a node of a kind, or the instance.
struct Holder {
    /// The path up to `/configurations/branding`.
    base: String,
    /// `Group`, `Instance`: for operation ids.
    title: String,
    /// `group`, `instance`: for summaries.
    one: String,
    params: Vec<Parameter>,
    not_found: String,
    /// What a read answers, what a write and a deletion do.
    read: String,
    write: String,
    delete: String,
}

pub(super) fn of_kind(kind: &Kind, base: &str, params: &[Parameter], not_found: &str) -> Vec<Entry> {
    let one = kind.one;
    of(Holder {
        base: base.to_owned(),
        title: kind.title.to_owned(),
        one: one.to_owned(),
        params: params.to_vec(),
        not_found: not_found.to_owned(),
        read: format!(
            "The effective document: the {one}'s own, else the nearest ancestor's, else the instance's own \
             (`…/configurations/branding/…` of the instance), else the built-in default. `version` is the {one}'s \
             own document's (1 while it never set one)."
        ),
        write: format!(
            "Replaces the {one}'s own document whole: it stops inheriting, and the nodes below without their own \
             now inherit it."
        ),
        delete: format!(
            "Canopy extension. Removes the {one}'s own document: it inherits again (from its nearest ancestor, \
             else the instance). A {one} without its own answers 204 too; the deletion counts as a write (its \
             version and the audit log)."
        ),
    })
}

pub(super) fn of_instance() -> Vec<Entry> {
    of(Holder {
        base: BASE.to_owned(),
        title: "Instance".to_owned(),
        one: "instance".to_owned(),
        params: vec![instance_param()],
        not_found: INSTANCE_404.to_owned(),
        read: "Canopy extension. The instance's own document, else the built-in default (the spec's examples, \
               without its dev URLs); `version` is the instance's own document's (1 while it never set one)."
            .to_owned(),
        write: "Canopy extension. Replaces the instance's own document whole: every node without its own, and \
                without an ancestor with one, shows it."
            .to_owned(),
        delete: "Canopy extension. Removes the instance's own document: the built-in default shows again. An \
                 instance without one answers 204 too; the deletion counts as a write (its version and the audit \
                 log)."
            .to_owned(),
    })
}

fn type_param() -> Parameter {
    ParameterBuilder::new()
        .name("type")
        .parameter_in(ParameterIn::Query)
        .required(Required::True)
        .description(Some("The styling document: `font`, `image` or `theme`."))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([Value::from("theme")])))
        .build()
}

fn of(holder: Holder) -> Vec<Entry> {
    let Holder { base, title: t, one, params, not_found, read, write, delete } = holder;
    let mut all = Vec::new();
    for doc in ["general", "pages", "styling"] {
        let extra = if doc == "styling" { STYLING } else { "" };
        let path = format!("{base}/configurations/branding/{doc}");
        let title = capitalize(doc);
        let spec = match one.as_str() {
            "instance" => String::new(),
            _ => format!("Spec: fusion-draas-groups \"Get the configurations branding {doc}\". "),
        };
        let get = Op {
            id: format!("get{t}Branding{title}"),
            tag: TAG,
            summary: format!("Get the branding {doc} of a {one}"),
            description: format!(
                "{spec}{read} `full=true` answers it whole; otherwise `keys` (comma-separated) and `search` \
                 (case-insensitive, in top-level keys) keep part of it.{extra}"
            ),
            params: params.iter().cloned().chain(BrandingParams::into_params(|| Some(ParameterIn::Query))).collect(),
            body: None,
            ok: versioned(json_ok(
                "The document (an object of properties) and, beside its properties, `version`.",
                "BrandingRead",
            )),
            errors: errors(&[
                (
                    400,
                    "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`type` missing or unknown on styling, present elsewhere), `invalid_path`.",
                ),
                (404, &format!("{not_found}.")),
            ]),
        };
        let spec = match one.as_str() {
            "instance" => String::new(),
            _ => format!(
                "Spec: fusion-draas-groups \"Modify the configurations branding {doc}\" (served here, not at the \
                 spec's inconsistent `/configurations/{doc}`). "
            ),
        };
        let put = Op {
            id: format!("put{t}Branding{title}"),
            tag: TAG,
            summary: format!("Set the branding {doc} of a {one}"),
            description: format!("{spec}{write} {RULES}{extra}"),
            params: params.clone(),
            body: Some("DocumentBody"),
            ok: versioned(empty(204, "Set: no body.")),
            errors: errors(&[
                (
                    400,
                    &format!(
                        "{BODY_400}, `invalid_field` naming the property that breaks a rule by its path (`appTitle`, `modes.admin.sso[0].icon`, `favicon`, `themes.blue`, `body`, `type`, `allowed`, `selected`…), `invalid_path`."
                    ),
                ),
                (404, &format!("{not_found}.")),
                BODY_ERRORS_413,
                BODY_ERRORS_415,
            ]),
        };
        let mut delete_params = params.clone();
        if doc == "styling" {
            delete_params.push(type_param());
        }
        let remove = Op {
            id: format!("delete{t}Branding{title}"),
            tag: TAG,
            summary: format!("Delete the branding {doc} of a {one}"),
            description: format!("{delete}{extra}"),
            params: delete_params,
            body: None,
            ok: versioned(empty(204, "Deleted (or there was none): no body.")),
            errors: errors(&[
                (
                    400,
                    "`invalid_query` (an unknown parameter), `invalid_field` (`type` missing or unknown on styling, present elsewhere), `invalid_path`.",
                ),
                (404, &format!("{not_found}.")),
            ]),
        };
        all.push((Method::GET, path.clone(), get));
        all.push((Method::PUT, path.clone(), put));
        all.push((Method::DELETE, path, remove));
    }
    all
}
