//! The known `{draas_instance}` values, loaded once at start-up: resolving one is a set lookup.

use crate::error::AppError;
use canopy_domain::InstanceSlug;
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Instances(HashSet<InstanceSlug>);

impl Instances {
    pub fn new(known: impl IntoIterator<Item = InstanceSlug>) -> Self {
        Self(known.into_iter().collect())
    }

    /// The instance named by a path segment; malformed and unknown names are both not found. The
    /// slug answered is the one held here, so what is made with it shares its text.
    pub fn resolve(&self, raw: &str) -> Result<InstanceSlug, AppError> {
        let named = InstanceSlug::parse(raw).map_err(|_| AppError::InstanceNotFound)?;
        self.0.get(&named).cloned().ok_or(AppError::InstanceNotFound)
    }

    pub fn contains(&self, slug: &InstanceSlug) -> bool {
        self.0.contains(slug)
    }

    /// The instance, when exactly one is served.
    pub fn only(&self) -> Option<InstanceSlug> {
        let mut all = self.0.iter();
        match (all.next(), all.next()) {
            (Some(only), None) => Some(only.clone()),
            _ => None,
        }
    }

    /// Every served instance.
    pub fn all(&self) -> impl Iterator<Item = &InstanceSlug> {
        self.0.iter()
    }
}
