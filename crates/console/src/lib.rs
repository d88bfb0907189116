//! The web console: server-rendered HTML pages over the app's services, served by the `canopy`
//! binary under `/console/` (and the e-mailed `/activate` and `/reset` links). It is another
//! adapter, like the JSON API: every page resolves what it shows, and every form makes its
//! change, through the same service methods as the API's handlers (authorization, the caller's
//! subtree, validation, versions and the audit log are the app's), and shows their answers and
//! refusals in words (the API's own messages, [`canopy_http::ApiError`]).
//!
//! Sessions are the API's sessions, carried by an HttpOnly, SameSite cookie (`session`); every
//! change is a form POST with a token bound to the session (`csrf`) from the same origin. Pages
//! work without JavaScript; a small embedded script (`assets`) adds progress indicators and the
//! live branding preview. Every response carries a strict Content-Security-Policy (`security`).

mod assets;
mod csrf;
mod form;
mod layout;
mod pages;
mod place;
mod problem;
mod security;
mod session;

pub use assets::ASSETS;
pub use session::SESSION_COOKIE;

use axum::routing::{get, post};
use axum::{Extension, Router, middleware};
use canopy_app::App;
use pages::{admins, audit, auth, branding, configuration, nodes, tree, voice_routing};

/// How the console is served.
#[derive(Debug, Clone, Copy)]
pub struct ConsoleConfig {
    /// Whether the session cookie is `Secure` (sent over HTTPS only). Off only for plain-HTTP
    /// development (`--insecure-cookies`).
    pub secure_cookie: bool,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self { secure_cookie: true }
    }
}

/// The console's routes, to be served beside the API's ([`canopy_http::router_serving`]).
pub fn pages(config: ConsoleConfig) -> Router<App> {
    let node = "/{kinds}/{uuid}";
    let console = Router::new()
        .route("/", get(tree::home))
        .route("/children", post(nodes::create_group))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/password", get(auth::password_page).post(auth::change_password))
        .route("/forgot", get(auth::forgot_page).post(auth::forgot))
        .route("/audit", get(audit::page))
        .route("/theme.css", get(branding::instance_theme))
        .route("/admins", get(admins::instance_page).post(admins::instance_invite))
        .route("/admins/welcome", post(admins::instance_welcome))
        .route("/admins/remove", post(admins::instance_remove))
        .route(node, get(tree::node))
        .route(&format!("{node}/children"), post(nodes::create))
        .route(&format!("{node}/rename"), post(nodes::rename))
        .route(&format!("{node}/delete"), post(nodes::delete))
        .route(&format!("{node}/admins"), get(admins::node_page).post(admins::node_invite))
        .route(&format!("{node}/admins/welcome"), post(admins::node_welcome))
        .route(&format!("{node}/admins/remove"), post(admins::node_remove))
        .route(&format!("{node}/configuration"), get(configuration::page).post(configuration::save))
        .route(&format!("{node}/branding"), get(branding::page).post(branding::save_look))
        .route(&format!("{node}/branding/document"), post(branding::save_document))
        .route(&format!("{node}/theme.css"), get(branding::node_theme))
        .route(&format!("{node}/voice_routing"), get(voice_routing::page))
        .route(&format!("{node}/voice_routing/{{action}}"), post(voice_routing::act))
        .route("/assets/{file}", get(assets::serve))
        // Any other path below /console/ is the console's own 404 page, not the API's envelope.
        .fallback(problem::not_found_page);
    Router::new()
        .route("/console/", get(tree::home))
        .route("/activate", get(auth::activate_page).post(auth::activate))
        .route("/reset", get(auth::reset_page).post(auth::reset))
        .nest("/console", console)
        .layer(middleware::from_fn(security::headers))
        .layer(Extension(config))
}
