//! Paths that carry a secret (an authorization code: `…/codes/{code}/`) are never logged or
//! audited as sent: request logs show the route's template ([`SecretPaths::logged`], decided
//! before routing, so also for a method the route does not take), and the audit log records the
//! template as the change's path ([`SecretTemplate`], read by `caller::request_meta`).

use super::face::Face;
use super::route::Route;
use axum::Extension;
use axum::routing::MethodRouter;
use canopy_app::App;
use std::sync::Arc;

/// The template of the route a request matched, when its path carries a secret.
#[derive(Debug, Clone)]
pub(crate) struct SecretTemplate(pub(crate) Arc<str>);

/// The handler of a secret-carrying route mounted at `template`.
pub(crate) fn audited_as(handler: MethodRouter<App>, template: &str) -> MethodRouter<App> {
    handler.layer(Extension(SecretTemplate(Arc::from(template))))
}

/// The templates of every secret-carrying route, on every mount.
#[derive(Debug, Clone, Default)]
pub(crate) struct SecretPaths(Arc<Vec<String>>);

impl SecretPaths {
    pub(crate) fn of<'a>(routes: impl Iterator<Item = (&'a Face, &'a Route)>) -> Self {
        let mut templates = vec![];
        for (face, route) in routes.filter(|(_, route)| route.secret_path) {
            templates.extend(super::face::alias_path(face, &route.path));
            templates.push(route.path.clone());
        }
        Self(Arc::new(templates))
    }

    /// What a request's path is logged as: the template it matches if it carries a secret (with
    /// or without the trailing slash), else the path itself.
    pub(crate) fn logged<'p>(&'p self, path: &'p str) -> &'p str {
        self.0.iter().find(|template| matches(template, path)).map_or(path, String::as_str)
    }
}

/// Whether `path` has the template's segments, each `{…}` standing for any one segment.
fn matches(template: &str, path: &str) -> bool {
    let mut template = template.trim_end_matches('/').split('/');
    let mut path = path.trim_end_matches('/').split('/');
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(expected), Some(segment)) if expected.starts_with('{') || expected == segment => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_matches_a_template_segment_by_segment_with_or_without_its_slash() {
        let template = "/api/v1/tenants/{tenant_id}/codes/{code}/";
        assert!(matches(template, "/api/v1/tenants/t1/codes/4711/"));
        assert!(matches(template, "/api/v1/tenants/t1/codes/4711"));
        assert!(!matches(template, "/api/v1/tenants/t1/codes/"));
        assert!(!matches(template, "/api/v1/tenants/t1/codes/4711/x"));
        let secrets = SecretPaths(Arc::new(vec![template.to_owned()]));
        assert_eq!(secrets.logged("/api/v1/tenants/t1/codes/4711"), template);
        assert_eq!(secrets.logged("/api/v1/tenants/t1"), "/api/v1/tenants/t1");
    }
}
