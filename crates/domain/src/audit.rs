//! The audit log as it is read back: one entry per change applied or refused, who asked for it,
//! where in the hierarchy, through which request; and the request for one page of it, newest
//! first, cut to the caller's subtree, paged by number or by a signed `next` token.

use crate::account::Timestamp;
use crate::change::Actor;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::list::{MAX_PAGE, PageSize};
use crate::next_token::{TokenKey, open_json, seal_json};
use crate::node::NodeId;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// What became of a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The change committed, together with its record.
    Applied,
    /// The store refused it (a duplicate name, a stale version, a node still holding children...):
    /// nothing changed.
    Refused,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applied => "applied",
            Self::Refused => "refused",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Applied, Self::Refused].into_iter().find(|o| o.as_str() == raw)
    }
}

/// One recorded change.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    /// Increasing in recording order: the newest entry has the highest id.
    pub id: i64,
    pub at: Timestamp,
    pub actor: Actor,
    /// The node whose subtree the change belongs to; `None` for the instance itself.
    pub node: Option<NodeId>,
    pub method: String,
    pub path: String,
    pub action: String,
    /// The request's body, its secrets masked before it was recorded.
    pub body: Option<Value>,
    pub request_id: String,
    pub outcome: Outcome,
    /// Why a refused change was refused.
    pub reason: Option<String>,
}

/// Which entries a list shows: those of an instance, cut to the caller's subtree (`within`:
/// entries whose node is that node or lies below it; `None`, a system administrator, sees every
/// entry, including those with no node), optionally to one node's subtree (`node`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditScope {
    pub instance: InstanceSlug,
    pub within: Option<NodeId>,
    pub node: Option<NodeId>,
}

impl AuditScope {
    /// Binds a `next` token to its list; distinct from every node and voice list's fingerprint.
    pub fn fingerprint(&self) -> String {
        let opt = |id: Option<NodeId>| id.map(|id| id.to_string()).unwrap_or_default();
        format!("{}/audit@{}/{}", self.instance, opt(self.within), opt(self.node))
    }

    /// Whether an entry recorded with this lineage (its node, then the node's ancestors; empty
    /// for an entry without node) belongs to the list.
    pub fn admits(&self, lineage: &[NodeId]) -> bool {
        let under = |top: Option<NodeId>| top.is_none_or(|top| lineage.contains(&top));
        under(self.within) && under(self.node)
    }
}

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditPosition {
    Start,
    /// Skip this many entries (a page asked for by number).
    Offset(u64),
    /// The entries older than this id (the previous page's last).
    Before(i64),
}

/// The signed payload of an audit list's `next` token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AuditToken {
    #[serde(rename = "s")]
    scope: String,
    #[serde(rename = "z")]
    page_size: PageSize,
    #[serde(rename = "p")]
    page: u64,
    #[serde(rename = "t")]
    total: u64,
    #[serde(rename = "b")]
    before: i64,
}

/// A validated request for one page of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditPageRequest {
    pub scope: AuditScope,
    pub page_size: PageSize,
    pub position: AuditPosition,
    pub page: u64,
    /// The total counted on the first page, carried by `next` tokens.
    pub known_total: Option<u64>,
}

impl AuditPageRequest {
    /// Checks `page`, `page_size` and `next` like the node lists do: a token continues only its
    /// own list, and a parameter sent beside it must repeat the token's.
    pub fn resolve(
        scope: AuditScope,
        page: Option<u64>,
        page_size: Option<u64>,
        next: Option<&str>,
        key: &TokenKey,
    ) -> Result<Self, DomainError> {
        let size = page_size.map(PageSize::parse).transpose()?;
        if let Some(raw) = next {
            let token: AuditToken = open_json(raw, key)?;
            let bad = DomainError::InvalidNextToken;
            if token.scope != scope.fingerprint() {
                return Err(bad("it belongs to another list"));
            }
            if !(1..=MAX_PAGE).contains(&token.page) {
                return Err(bad("malformed"));
            }
            if size.is_some_and(|s| s != token.page_size) || page.is_some_and(|p| p != token.page) {
                return Err(bad("it was issued for different query parameters"));
            }
            return Ok(Self {
                scope,
                page_size: token.page_size,
                position: AuditPosition::Before(token.before),
                page: token.page,
                known_total: Some(token.total),
            });
        }
        let page_size = size.unwrap_or(PageSize::DEFAULT);
        let page = match page {
            None => 1,
            Some(page @ 1..=MAX_PAGE) => page,
            Some(_) => return Err(DomainError::invalid("page", "must be between 1 and 1000000000")),
        };
        let position = match page {
            1 => AuditPosition::Start,
            n => AuditPosition::Offset((n - 1) * u64::from(page_size.get())),
        };
        Ok(Self { scope, page_size, position, page, known_total: None })
    }

    /// The token of the next page when more remain; `last` is the id of this page's last entry.
    pub fn next_token(&self, total: u64, last: Option<i64>, more: bool, key: &TokenKey) -> Option<String> {
        let before = last.filter(|_| more)?;
        let token = AuditToken {
            scope: self.scope.fingerprint(),
            page_size: self.page_size,
            page: self.page + 1,
            total,
            before,
        };
        Some(seal_json(&token, key))
    }

    /// Pages of `page_size` for `total` results; an empty list is one empty page.
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.page_size.get())).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn id(n: u128) -> NodeId {
        NodeId(Uuid::from_u128(n))
    }

    fn scope(within: Option<u128>, node: Option<u128>) -> AuditScope {
        AuditScope { instance: InstanceSlug::parse("default").unwrap(), within: within.map(id), node: node.map(id) }
    }

    #[test]
    fn a_system_administrator_sees_every_entry_a_node_administrator_its_subtree_only() {
        let tenant = [id(3), id(2), id(1)];
        assert!(scope(None, None).admits(&tenant));
        assert!(scope(None, None).admits(&[]), "an entry without node");
        assert!(scope(Some(2), None).admits(&tenant), "below the caller's node");
        assert!(scope(Some(3), None).admits(&tenant), "the caller's node itself");
        assert!(!scope(Some(4), None).admits(&tenant), "a sibling's entry");
        assert!(!scope(Some(2), None).admits(&[]), "an instance-level entry");
        assert!(!scope(Some(2), None).admits(&[id(1)]), "an entry above the caller");
    }

    #[test]
    fn the_node_filter_narrows_within_the_callers_subtree() {
        let tenant = [id(3), id(2), id(1)];
        assert!(scope(Some(1), Some(3)).admits(&tenant));
        assert!(!scope(Some(1), Some(5)).admits(&tenant));
        assert!(!scope(Some(5), Some(3)).admits(&tenant), "the filter never widens the subtree");
    }

    #[test]
    fn a_next_token_continues_its_own_list_only() {
        let key = TokenKey::new(vec![7; 32]);
        let first = AuditPageRequest::resolve(scope(Some(1), None), None, Some(2), None, &key).unwrap();
        assert_eq!((first.position, first.page), (AuditPosition::Start, 1));
        assert_eq!(first.next_token(5, Some(40), false, &key), None, "no more entries, no token");
        let token = first.next_token(5, Some(40), true, &key).unwrap();
        let second = AuditPageRequest::resolve(scope(Some(1), None), None, None, Some(&token), &key).unwrap();
        assert_eq!((second.position, second.page, second.known_total), (AuditPosition::Before(40), 2, Some(5)));
        assert_eq!(second.page_size.get(), 2);
        let elsewhere = AuditPageRequest::resolve(scope(Some(9), None), None, None, Some(&token), &key);
        assert!(matches!(elsewhere, Err(DomainError::InvalidNextToken(_))));
        let other_size = AuditPageRequest::resolve(scope(Some(1), None), None, Some(3), Some(&token), &key);
        assert!(matches!(other_size, Err(DomainError::InvalidNextToken(_))));
    }

    #[test]
    fn pages_by_number_skip_whole_pages_and_bad_numbers_are_refused() {
        let key = TokenKey::new(vec![7; 32]);
        let third = AuditPageRequest::resolve(scope(None, None), Some(3), Some(10), None, &key).unwrap();
        assert_eq!(third.position, AuditPosition::Offset(20));
        assert_eq!(third.pages(21), 3);
        assert_eq!(third.pages(0), 1);
        assert!(AuditPageRequest::resolve(scope(None, None), Some(0), None, None, &key).is_err());
        assert!(AuditPageRequest::resolve(scope(None, None), None, Some(0), None, &key).is_err());
    }

    #[test]
    fn outcomes_round_trip_through_their_names() {
        for outcome in [Outcome::Applied, Outcome::Refused] {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(Outcome::parse("maybe"), None);
    }
}
