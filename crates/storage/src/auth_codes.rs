//! The authorization codes port: a user's outgoing call barring codes, owned data of the user
//! (they go with it). Each write is one unit of work holding the user, so that of concurrent
//! writers naming the same code exactly one applies, and a list is added whole or not at all.

use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{AuthCode, AuthCodeEntry, Change, DomainError, InstanceSlug, NewCodes, NodeId};

/// A refused write of codes.
#[derive(Debug, thiserror::Error)]
pub enum CodesError {
    #[error("the user does not exist")]
    UserNotFound,
    /// A code already the user's, or too many codes (decided by [`NewCodes::admit`]).
    #[error(transparent)]
    Invalid(DomainError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

// automock must see the trait before async_trait rewrites it.
#[cfg_attr(any(test, feature = "mocks"), mockall::automock)]
#[async_trait]
pub trait AuthCodeStore: Send + Sync + 'static {
    /// The user's codes in code order (bytes); `None` when the instance has no such user.
    async fn list_codes(&self, instance: &InstanceSlug, user: NodeId)
    -> Result<Option<Vec<AuthCodeEntry>>, StoreError>;

    /// Adds every code of `codes` to the user's, or none: refused when one is the user's already
    /// or the user would hold more than `MAX_CODES` (decided under the user's lock).
    async fn add_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &NewCodes,
        change: &Change,
    ) -> Result<(), CodesError>;

    /// Removes those of `codes` the user holds; the others are no error. The change is recorded
    /// only when something was removed.
    async fn delete_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &[AuthCode],
        change: &Change,
    ) -> Result<(), CodesError>;
}
