//! The memory adapter's versions of what nodes own, in the same `State` (and so under the same
//! lock) as the documents: a write checks and bumps the version in its own critical section.

use crate::owned_versions::OwnedDocument;
use canopy_domain::{NodeId, Version, VersionMismatch, check_version};
use std::collections::HashMap;

/// The version of every document written at least once; any other is at `Version::FIRST`.
#[derive(Default)]
pub(super) struct OwnedVersions(HashMap<(NodeId, OwnedDocument), Version>);

impl OwnedVersions {
    pub(super) fn current(&self, node: NodeId, document: &OwnedDocument) -> Version {
        self.0.get(&(node, document.clone())).copied().unwrap_or(Version::FIRST)
    }

    /// Whether a write made on the strength of `expected` may change the document.
    pub(super) fn check(
        &self,
        node: NodeId,
        document: &OwnedDocument,
        expected: Option<Version>,
    ) -> Result<(), VersionMismatch> {
        check_version(expected, self.current(node, document))
    }

    /// Counts an applied write; answers the new version.
    pub(super) fn bump(&mut self, node: NodeId, document: OwnedDocument) -> Version {
        let version = self.0.entry((node, document)).or_insert(Version::FIRST);
        *version = version.next();
        *version
    }

    /// Forgets the versions of a node that is being deleted.
    pub(super) fn remove_node(&mut self, node: NodeId) {
        self.0.retain(|(owner, _), _| *owner != node);
    }
}
