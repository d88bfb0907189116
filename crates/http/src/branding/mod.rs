//! The branding documents of every node (general, pages, styling): read (the effective document,
//! inherited down the tree) and replace.

mod bodies;
mod handlers;

use crate::api::{
    Access, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, HttpMethod, Op, Route, Tag, capitalize, empty, errors, json_ok,
    node_not_found, node_params, schema, versioned,
};
use crate::canopy::INSTANCE;
use bodies::{BrandingParams, BrandingRead, DocumentBody};
use canopy_domain::{BrandingDoc, NodeKind, Owned, Permission, Verb};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};

pub(crate) fn routes() -> Vec<Route> {
    NodeKind::ALL.into_iter().flat_map(|kind| BrandingDoc::ALL.into_iter().flat_map(move |doc| of(kind, doc))).collect()
}

fn tag() -> Tag {
    Tag::new("branding", "The branding documents of every node, inherited down the tree.")
}

/// `GET` and `PUT` of one document of the nodes of a kind.
fn of(kind: NodeKind, doc: BrandingDoc) -> [Route; 2] {
    let path = format!("{INSTANCE}/{}/{{uuid}}/configurations/branding/{}", kind.plural(), doc.as_str());
    let access = |verb| Access::Permission(Permission::Owned(kind, Owned::Branding(doc), verb));
    [
        Route::new(
            HttpMethod::Get,
            path.clone(),
            access(Verb::List),
            move |state, caller, path, query| handlers::get_branding((kind, doc), state, caller, path, query),
            move || get_op(Words::of(kind, doc)),
        ),
        Route::new(
            HttpMethod::Put,
            path,
            access(Verb::Update),
            move |state, caller, path, body| handlers::put_branding((kind, doc), state, caller, path, body),
            move || put_op(Words::of(kind, doc)),
        ),
    ]
}

/// The words of the operations on one document of one kind.
struct Words {
    kind: NodeKind,
    /// `group`
    one: &'static str,
    /// `styling`
    name: &'static str,
    not_found: String,
    /// What the document's operations add to their description.
    extra: &'static str,
}

impl Words {
    fn of(kind: NodeKind, doc: BrandingDoc) -> Self {
        let one = kind.as_str();
        let extra = match doc {
            BrandingDoc::Styling => {
                " Styling holds three documents: `type` (`font`, `image`, `theme`) chooses one, in the query of a \
                 read (required) and in the body of a write (where it is not stored)."
            }
            BrandingDoc::General | BrandingDoc::Pages => "",
        };
        let not_found = format!("{}, `instance_not_found`", node_not_found(one));
        Self { kind, one, name: doc.as_str(), not_found, extra }
    }

    fn params(&self) -> Vec<Parameter> {
        node_params(self.kind)
    }
}

fn get_op(words: Words) -> Op {
    let Words { one, name, extra, .. } = words;
    Op {
        id: format!("get{}Branding{}", capitalize(one), capitalize(name)),
        tag: tag(),
        summary: format!("Get the branding {name} of a {one}"),
        description: format!(
            "Spec: fusion-draas-groups \"Get the configurations branding {name}\". The effective document: the \
             {one}'s own, else the nearest ancestor's, else the instance default. `full=true` answers it whole; \
             otherwise `keys` (comma-separated) and `search` (case-insensitive, in top-level keys) keep part of \
             it.{extra}"
        ),
        params: words.params().into_iter().chain(BrandingParams::into_params(|| Some(ParameterIn::Query))).collect(),
        body: None,
        ok: versioned(json_ok(
            "The document (an object of properties) and, beside its properties, `version`: the version of the \
             node's own document (1 while it never set one).",
            schema::<BrandingRead>(),
        )),
        errors: errors(&[
            (
                400,
                "`invalid_query` (an unknown parameter or one of the wrong type), `invalid_field` (`type` missing or \
                 unknown on styling, present elsewhere), `invalid_path`.",
            ),
            (404, &format!("{}.", words.not_found)),
        ]),
    }
}

fn put_op(words: Words) -> Op {
    let Words { one, name, extra, .. } = words;
    Op {
        id: format!("put{}Branding{}", capitalize(one), capitalize(name)),
        tag: tag(),
        summary: format!("Set the branding {name} of a {one}"),
        description: format!(
            "Spec: fusion-draas-groups \"Modify the configurations branding {name}\" (served here, not at the spec's \
             inconsistent `/configurations/{name}`). Replaces the {one}'s own document whole: it stops inheriting, \
             and the nodes below without their own now inherit it. At most 16 KiB and 16 levels deep; a font's \
             `name` and a theme's `selected` must be among `allowed`, a theme maps every allowed theme in \
             `themes`.{extra}"
        ),
        params: words.params(),
        body: Some(schema::<DocumentBody>()),
        ok: versioned(empty(204, "Set: no body.")),
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` naming the field that breaks a rule (`body`, `type`, `allowed`, \
                     `name`, `selected`, `themes`, `image`), `invalid_path`."
                ),
            ),
            (404, &format!("{}.", words.not_found)),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
