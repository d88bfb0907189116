//! Lists of a group's voice routing objects: search over the name (the spec's only searchable
//! property), sort by `name` or `id`, pages by number or by a signed `next` token bound to the
//! list (instance, group, kind, caller's subtree) and the query, like node lists.

use super::{PstnUsage, VoiceKind, VoiceRoute, VoiceRoutingPolicy};
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::list::{Cursor, ListItem, ListQuery, ListScope};
use crate::node::NodeId;
use serde::{Deserialize, Serialize};

/// Which list: the objects of one kind of one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceScope {
    pub instance: InstanceSlug,
    pub group: NodeId,
    pub kind: VoiceKind,
    /// The caller's own node (`Principal::subtree`): a token of one administrator's list does
    /// not continue another's, as with node lists.
    pub within: Option<NodeId>,
}

impl ListScope for VoiceScope {
    type Sort = VoiceSort;
    type Id = i64;

    /// Distinct from every node list's fingerprint.
    fn fingerprint(&self) -> String {
        let within = self.within.map(|w| format!("@{w}")).unwrap_or_default();
        format!("{}/{}/voice_routing/{}{within}", self.instance, self.group, self.kind.segment())
    }

    fn parse_sort(&self, raw: &str) -> Result<VoiceSort, DomainError> {
        VoiceSort::parse(raw)
    }

    fn default_sort(&self) -> VoiceSort {
        VoiceSort::Name
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum VoiceSort {
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "id")]
    Id,
}

impl VoiceSort {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "name" => Ok(Self::Name),
            "id" => Ok(Self::Id),
            _ => Err(DomainError::invalid("sort", "must be one of: name, id")),
        }
    }

    /// The key an item sorts by (ties broken by id); by id, the key is empty and the id decides.
    pub fn key_of(self, name_key: &str) -> String {
        match self {
            Self::Name => name_key.to_owned(),
            Self::Id => String::new(),
        }
    }
}

impl ListQuery<VoiceSort> {
    /// Whether the search text (lowercased, trimmed) is a substring of the name's key.
    pub fn matches(&self, name_key: &str) -> bool {
        self.search.as_deref().is_none_or(|needle| name_key.contains(needle))
    }
}

macro_rules! listed_by_name {
    ($($item:ty),*) => {$(
        impl ListItem<VoiceScope> for $item {
            fn cursor(&self, sort: VoiceSort) -> Cursor<i64> {
                Cursor { key: sort.key_of(self.name.key()), id: self.id.0 }
            }
        }
    )*};
}
listed_by_name!(PstnUsage, VoiceRoute, VoiceRoutingPolicy);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::{Direction, ListParams, PageRequest, Position, TokenKey};
    use uuid::Uuid;

    fn key() -> TokenKey {
        TokenKey::new(vec![3; 32])
    }

    fn scope(kind: VoiceKind) -> VoiceScope {
        VoiceScope {
            instance: InstanceSlug::parse("default").unwrap(),
            group: NodeId(Uuid::from_u128(1)),
            kind,
            within: None,
        }
    }

    fn resolve(scope: VoiceScope, params: ListParams) -> Result<PageRequest<VoiceScope>, DomainError> {
        PageRequest::resolve(scope, params, &key())
    }

    fn first(params: ListParams) -> PageRequest<VoiceScope> {
        resolve(scope(VoiceKind::PstnUsage), params).unwrap()
    }

    #[test]
    fn defaults_are_name_ascending_ten_per_page() {
        let req = first(ListParams::default());
        assert_eq!((req.query.sort, req.query.dir, req.query.page_size.get()), (VoiceSort::Name, Direction::Asc, 10));
        assert_eq!((req.position, req.page), (Position::Start, 1));
    }

    #[test]
    fn only_name_and_id_sort_and_bad_parameters_are_refused() {
        assert_eq!(VoiceSort::parse("id"), Ok(VoiceSort::Id));
        for params in [
            ListParams { sort: Some("pattern".into()), ..Default::default() },
            ListParams { dir: Some("up".into()), ..Default::default() },
            ListParams { page_size: Some(0), ..Default::default() },
            ListParams { page: Some(0), ..Default::default() },
            ListParams { search: Some("x".repeat(256)), ..Default::default() },
        ] {
            assert!(resolve(scope(VoiceKind::VoiceRoute), params).is_err());
        }
    }

    #[test]
    fn search_matches_the_name_case_insensitively() {
        let req = first(ListParams { search: Some(" PSTN t ".into()), ..Default::default() });
        assert!(req.query.matches("pstn test name"));
        assert!(!req.query.matches("pstn-usage-draas"));
    }

    #[test]
    fn a_next_token_resumes_after_the_last_item_of_its_own_list_only() {
        let req = first(ListParams { page_size: Some(1), sort: Some("id".into()), ..Default::default() });
        let last = || Some(Cursor { key: VoiceSort::Id.key_of("pstn test name"), id: 21 });
        let token = req.next_token(3, last(), true, &key()).unwrap();
        assert_eq!(req.next_token(3, last(), false, &key()), None, "no more: no token");
        let next = ListParams { next: Some(token.clone()), ..Default::default() };
        let second = resolve(scope(VoiceKind::PstnUsage), next.clone()).unwrap();
        assert_eq!((second.page, second.known_total), (2, Some(3)));
        assert_eq!(second.position, Position::After(Cursor { key: String::new(), id: 21 }));
        assert!(second.is_after("", &22) && !second.is_after("", &21));
        // Another kind of the same group, or another administrator's cut of it, is another list.
        assert!(resolve(scope(VoiceKind::VoiceRoute), next.clone()).is_err());
        let within = VoiceScope { within: Some(NodeId(Uuid::from_u128(1))), ..scope(VoiceKind::PstnUsage) };
        assert!(resolve(within, next.clone()).is_err());
        // Other parameters beside the token, or a tampered token, are refused.
        let with = |p: ListParams| resolve(scope(VoiceKind::PstnUsage), p);
        assert!(with(ListParams { sort: Some("name".into()), ..next.clone() }).is_err());
        assert!(with(ListParams { page: Some(2), ..next.clone() }).is_ok());
        let tampered = format!("{}x", token);
        let err = with(ListParams { next: Some(tampered), ..Default::default() }).unwrap_err();
        assert!(matches!(err, DomainError::InvalidNextToken(_)), "{err:?}");
    }

    #[test]
    fn pages_round_up_and_an_empty_list_has_one_page() {
        let req = first(ListParams::default());
        assert_eq!((req.pages(0), req.pages(10), req.pages(11)), (1, 1, 2));
    }

    #[test]
    fn a_correctly_signed_token_with_an_impossible_page_or_size_is_rejected() {
        // Found by the fuzz target `signed_token` (see the same test of node lists).
        let scope = scope(VoiceKind::PstnUsage);
        let token = |page: u64, size: u64| {
            let json = serde_json::json!({
                "s": scope.fingerprint(),
                "q": {"search": null, "sort": "id", "dir": "asc", "page_size": size},
                "p": page, "t": 30, "a": {"k": "", "i": 4},
            });
            ListParams { next: Some(crate::list::token::seal_json(&json, &key())), ..Default::default() }
        };
        assert!(resolve(scope.clone(), token(2, 10)).is_ok());
        for (page, size) in [(0, 10), (u64::MAX, 10), (2, 0), (2, 1001)] {
            let refused = resolve(scope.clone(), token(page, size));
            assert!(matches!(refused, Err(DomainError::InvalidNextToken(_))), "page {page}, size {size}");
        }
    }
}
