//! A route: one method on one path, declared once, in the module of the resource it serves, with
//! what it requires, its handler and its OpenAPI operation. The router, the OpenAPI document and
//! the authorization matrix test all read the same values: nothing joins them by name.

use super::doc::{Doc, Op, Tag};
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{MethodFilter, MethodRouter, on};
use canopy_app::App;
use canopy_domain::Permission;
use utoipa::Path;
use utoipa::openapi::path::HttpMethod;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone: probes, metrics, documentation, and the routes that open sessions.
    Public,
    /// Any authenticated caller, whatever its profile.
    Authenticated,
    /// An authenticated administrator whose profile holds this permission (then, the node the
    /// path names must lie in its subtree).
    Permission(Permission),
}

impl From<Permission> for Access {
    fn from(permission: Permission) -> Self {
        Self::Permission(permission)
    }
}

/// One method on one path, what it requires, its handler and its operation. The operation is a
/// required argument of every constructor: a route without documentation does not compile. It is
/// built only when the document is (routers are built often, by tests above all).
pub struct Route {
    pub method: Method,
    /// The path template: below its face's prefix as a resource declares it, whole once mounted
    /// (as [`crate::route_table`] answers it).
    pub path: String,
    pub access: Access,
    pub(crate) http_method: HttpMethod,
    pub(crate) handler: MethodRouter<App>,
    pub(crate) doc: LazyDoc,
    /// Whether it changes a resource that exists, and so takes a version precondition.
    pub(crate) conditional: bool,
    /// Whether it reaches the store, and so may answer its 500 and 503.
    pub(crate) store: bool,
    /// Whether it changes the tree for its caller, and so meets the tree locks (423
    /// `tree_locked`): every authenticated write but those of the caller's own session and
    /// credentials ([`Route::own_account`]).
    pub(crate) meets_locks: bool,
    /// Whether its path carries a secret (an authorization code): request logs and the audit
    /// log then show the path's template, never the path.
    pub secret_path: bool,
    /// The largest body it takes when that is not the server's limit for JSON bodies (a logo).
    pub(crate) body_limit: Option<usize>,
}

/// How a route's operation is built, when the document is.
pub(crate) type LazyDoc = Box<dyn FnOnce() -> Doc + Send + Sync>;

impl Route {
    /// `method` on `path` (below its face's prefix), callable as `access` says, served by
    /// `handler`, documented by the [`Op`] that `doc` builds,
    /// called only when the document is built.
    pub fn new<H, T, O>(method: HttpMethod, path: String, access: Access, handler: H, doc: O) -> Self
    where
        H: Handler<T, App>,
        T: 'static,
        O: FnOnce() -> Op + Send + Sync + 'static,
    {
        Self::on(method, path, access, handler, Box::new(move || doc().into()))
    }

    /// Like [`Route::new`], for an operation whose request body is of the media type `media`
    /// (an image) rather than JSON; `doc`'s body names its schema.
    pub fn binary<H, T, O>(
        method: HttpMethod,
        path: String,
        access: Access,
        handler: H,
        media: &'static str,
        doc: O,
    ) -> Self
    where
        H: Handler<T, App>,
        T: 'static,
        O: FnOnce() -> Op + Send + Sync + 'static,
    {
        let doc = move || {
            let mut doc: Doc = doc().into();
            if let Some(body) = doc.operation.request_body.as_mut()
                && let Some(content) = body.content.remove(super::JSON)
            {
                body.content.insert(media.to_owned(), content);
            }
            doc
        };
        Self::on(method, path, access, handler, Box::new(doc))
    }

    /// The routes of a handler documented by `#[utoipa::path]`: method, path (below the face's
    /// prefix) and operation come from the attribute; `tag` lists it in the document.
    pub fn derived<P, H, T>(tag: Tag, access: Access, handler: H) -> Vec<Self>
    where
        P: Path + utoipa::__dev::SchemaReferences,
        H: Handler<T, App>,
        T: 'static,
    {
        P::methods()
            .into_iter()
            .map(|method| {
                let tag = tag.clone();
                Self::on(method, P::path(), access, handler.clone(), Box::new(move || Doc::derived::<P>(tag)))
            })
            .collect()
    }

    /// A `POST` that changes what exists (an upsert, a price added to a plan): it takes a version
    /// precondition, like every `PUT` and `DELETE`.
    pub fn conditional(mut self) -> Self {
        self.conditional = true;
        self
    }

    /// A `PUT` or `DELETE` that takes no version precondition: one that creates (sipXconfig's `PUT`
    /// on a collection), or one of what has no version (APIO's authorization codes).
    pub fn unconditional(mut self) -> Self {
        self.conditional = false;
        self
    }

    /// The path carries a secret: it is logged and audited as its template.
    pub fn secret_path(mut self) -> Self {
        self.secret_path = true;
        self
    }

    /// A write of the caller's own session or credentials (a logout, its own password): no tree
    /// lock stops it.
    pub fn own_account(mut self) -> Self {
        self.meets_locks = false;
        self
    }

    /// The route takes bodies of up to `bytes`, whatever the server's limit for JSON bodies: a
    /// binary upload (a logo) bounded by its own rule.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = Some(bytes);
        self
    }

    /// The route never touches the store (probes, metrics, documentation).
    pub fn without_store(mut self) -> Self {
        self.store = false;
        self
    }

    fn on<H: Handler<T, App>, T: 'static>(
        http_method: HttpMethod,
        path: String,
        access: Access,
        handler: H,
        doc: LazyDoc,
    ) -> Self {
        let (method, filter) = match http_method {
            HttpMethod::Get => (Method::GET, MethodFilter::GET),
            HttpMethod::Post => (Method::POST, MethodFilter::POST),
            HttpMethod::Put => (Method::PUT, MethodFilter::PUT),
            HttpMethod::Delete => (Method::DELETE, MethodFilter::DELETE),
            HttpMethod::Patch => (Method::PATCH, MethodFilter::PATCH),
            HttpMethod::Head => (Method::HEAD, MethodFilter::HEAD),
            HttpMethod::Options => (Method::OPTIONS, MethodFilter::OPTIONS),
            HttpMethod::Trace => (Method::TRACE, MethodFilter::TRACE),
        };
        let conditional = matches!(http_method, HttpMethod::Put | HttpMethod::Delete);
        let writes = matches!(http_method, HttpMethod::Post | HttpMethod::Put | HttpMethod::Delete | HttpMethod::Patch);
        let meets_locks = writes && access != Access::Public;
        let handler = on(filter, handler);
        Self {
            method,
            path,
            access,
            http_method,
            handler,
            doc,
            conditional,
            store: true,
            meets_locks,
            secret_path: false,
            body_limit: None,
        }
    }
}
