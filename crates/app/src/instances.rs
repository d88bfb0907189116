//! The known `{draas_instance}` values, loaded once at start-up: resolving one is a set lookup.

use crate::error::NodeError;
use canopy_domain::InstanceSlug;
use std::collections::HashSet;

#[derive(Debug, Clone, Default)]
pub struct Instances(HashSet<InstanceSlug>);

impl Instances {
    pub fn new(known: impl IntoIterator<Item = InstanceSlug>) -> Self {
        Self(known.into_iter().collect())
    }

    /// The instance named by a path segment; malformed and unknown names are both not found.
    pub fn resolve(&self, raw: &str) -> Result<InstanceSlug, NodeError> {
        InstanceSlug::parse(raw).ok().filter(|slug| self.0.contains(slug)).ok_or(NodeError::InstanceNotFound)
    }
}
