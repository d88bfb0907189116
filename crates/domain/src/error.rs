//! The one error type of domain rules; adapters and services map it to their own errors.

use crate::node::{ChildCounts, NodeId};
use std::borrow::Cow;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A value a client sent breaks a rule; `field` names it in the client's vocabulary (a path
    /// such as `modes.admin.sso[0].icon` inside a document).
    #[error("{field}: {reason}")]
    Invalid { field: Cow<'static, str>, reason: String },
    /// A configuration property a client sent breaks a rule; `key` names it (never its value).
    #[error("property {key}: {reason}")]
    InvalidProperty { key: String, reason: String },
    /// The node still holds children; the counts say which ones block the deletion.
    #[error("node {node} still has children")]
    NotEmpty { node: NodeId, children: ChildCounts },
    /// The creation rules forbid this parent from holding this kind of child.
    #[error("a {parent} cannot hold a {child}")]
    ForbiddenChild { parent: &'static str, child: &'static str },
    /// A site group already holds as many users as its `userLimit` allows.
    #[error("the site group holds {count} users, its limit: no more can be created in it")]
    UserLimitReached { limit: u32, count: u64 },
    /// A site group's `userLimit` would drop below the users it holds.
    #[error("the site group holds {count} users: its user limit cannot be lowered to {limit}")]
    UserLimitBelowCount { limit: u32, count: u64 },
    /// Authorization codes named twice in one list, or already the user's. The message never
    /// names them (it reaches the audit log): the client's answer does, in its details.
    #[error("authorization codes already exist or are named twice")]
    DuplicateCodes(Vec<crate::auth_codes::AuthCode>),
    /// A `next` token was altered, expired in format, or replayed with another query.
    #[error("invalid next token: {0}")]
    InvalidNextToken(&'static str),
}

impl DomainError {
    pub fn invalid(field: impl Into<Cow<'static, str>>, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), reason: reason.into() }
    }

    /// The field an invalid value is named by, if this is such an error.
    pub fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The same refusal, naming the value by the client's name for it (a password checked by the
    /// policy is `newPassword` on one route, `temporaryPassword` on another).
    pub fn renamed(self, to: &'static str) -> Self {
        match self {
            Self::Invalid { reason, .. } => Self::Invalid { field: Cow::Borrowed(to), reason },
            other => other,
        }
    }

    /// A property error naming `key`; a key longer than any valid one is named by its start.
    pub fn property(key: &str, reason: impl Into<String>) -> Self {
        const SHOWN: usize = 128;
        let mut shown: String = key.chars().take(SHOWN).collect();
        if key.chars().count() > SHOWN {
            shown.push('…');
        }
        Self::InvalidProperty { key: shown, reason: reason.into() }
    }
}
