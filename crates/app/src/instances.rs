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

    /// The instance named by a path segment; malformed and unknown names are both not found.
    pub fn resolve(&self, raw: &str) -> Result<InstanceSlug, AppError> {
        InstanceSlug::parse(raw).ok().filter(|slug| self.0.contains(slug)).ok_or(AppError::InstanceNotFound)
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
