//! The audit log as it is read back: one entry per change applied or refused, who asked for it,
//! where in the hierarchy, through which request; and the request for one page of it, newest
//! first, cut to the caller's subtree, paged by number or by a signed `next` token.

use crate::account::Timestamp;
use crate::change::Actor;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::list::{Cursor, Direction, ListItem, ListScope};
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
    /// Whether an entry recorded with this lineage (its node, then the node's ancestors; empty
    /// for an entry without node) belongs to the list.
    pub fn admits(&self, lineage: &[NodeId]) -> bool {
        let under = |top: Option<NodeId>| top.is_none_or(|top| lineage.contains(&top));
        under(self.within) && under(self.node)
    }
}

impl ListScope for AuditScope {
    type Sort = AuditSort;
    type Id = i64;

    /// Distinct from every node and voice list's fingerprint.
    fn fingerprint(&self) -> String {
        let opt = |id: Option<NodeId>| id.map(|id| id.to_string()).unwrap_or_default();
        format!("{}/audit@{}/{}", self.instance, opt(self.within), opt(self.node))
    }

    fn parse_sort(&self, _raw: &str) -> Result<AuditSort, DomainError> {
        Err(DomainError::invalid("sort", "must be one of: id"))
    }

    fn default_sort(&self) -> AuditSort {
        AuditSort::Id
    }

    /// Newest first.
    fn default_dir(&self) -> Direction {
        Direction::Desc
    }
}

/// The audit log's one order: by id (the order of recording).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditSort {
    #[serde(rename = "id")]
    Id,
}

impl ListItem<AuditScope> for AuditEntry {
    fn cursor(&self, _sort: AuditSort) -> Cursor<i64> {
        Cursor { key: String::new(), id: self.id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::{ListParams, PageRequest, Position, TokenKey};
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

    fn resolve(
        scope: AuditScope,
        page: Option<u64>,
        page_size: Option<u64>,
        next: Option<&str>,
    ) -> Result<PageRequest<AuditScope>, DomainError> {
        let params = ListParams { page, page_size, next: next.map(str::to_owned), ..Default::default() };
        PageRequest::resolve(scope, params, &TokenKey::new(vec![7; 32]))
    }

    #[test]
    fn a_next_token_continues_its_own_list_only_newest_first() {
        let key = TokenKey::new(vec![7; 32]);
        let first = resolve(scope(Some(1), None), None, Some(2), None).unwrap();
        assert_eq!((first.position.clone(), first.page, first.query.dir), (Position::Start, 1, Direction::Desc));
        let last = || Some(Cursor { key: String::new(), id: 40 });
        assert_eq!(first.next_token(5, last(), false, &key), None, "no more entries, no token");
        let token = first.next_token(5, last(), true, &key).unwrap();
        let second = resolve(scope(Some(1), None), None, None, Some(&token)).unwrap();
        assert_eq!(
            (second.position.clone(), second.page, second.known_total),
            (last().map(Position::After).unwrap(), 2, Some(5))
        );
        assert!(second.is_after("", &39) && !second.is_after("", &40), "older entries come after");
        assert_eq!(second.query.page_size.get(), 2);
        let elsewhere = resolve(scope(Some(9), None), None, None, Some(&token));
        assert!(matches!(elsewhere, Err(DomainError::InvalidNextToken(_))));
        let other_size = resolve(scope(Some(1), None), None, Some(3), Some(&token));
        assert!(matches!(other_size, Err(DomainError::InvalidNextToken(_))));
    }

    #[test]
    fn pages_by_number_skip_whole_pages_and_bad_numbers_are_refused() {
        let third = resolve(scope(None, None), Some(3), Some(10), None).unwrap();
        assert_eq!(third.position, Position::Offset(20));
        assert_eq!(third.pages(21), 3);
        assert_eq!(third.pages(0), 1);
        assert!(resolve(scope(None, None), Some(0), None, None).is_err());
        assert!(resolve(scope(None, None), None, Some(0), None).is_err());
    }

    #[test]
    fn outcomes_round_trip_through_their_names() {
        for outcome in [Outcome::Applied, Outcome::Refused] {
            assert_eq!(Outcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(Outcome::parse("maybe"), None);
    }
}
