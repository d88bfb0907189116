//! Lists of a group's voice routing objects: search over the name (the spec's only searchable
//! property), sort by `name` or `id`, pages by number or by a signed `next` token bound to the
//! list (instance, group, kind, caller's subtree) and the query, like node lists.

use super::VoiceKind;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::list::{Direction, ListParams, MAX_PAGE, PageSize};
use crate::next_token::{TokenKey, open_json, seal_json};
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

impl VoiceScope {
    /// Binds a `next` token to its list; distinct from every node list's fingerprint.
    pub fn fingerprint(&self) -> String {
        let within = self.within.map(|w| format!("@{w}")).unwrap_or_default();
        format!("{}/{}/voice_routing/{}{within}", self.instance, self.group, self.kind.segment())
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceQuery {
    /// Lowercased, trimmed; a substring of the name's key.
    pub search: Option<String>,
    pub sort: VoiceSort,
    pub dir: Direction,
    pub page_size: PageSize,
}

impl VoiceQuery {
    pub fn matches(&self, name_key: &str) -> bool {
        self.search.as_deref().is_none_or(|needle| name_key.contains(needle))
    }
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoiceCursor {
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "i")]
    pub id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VoicePosition {
    Start,
    Offset(u64),
    After(VoiceCursor),
}

/// The signed payload of a voice routing list's `next` token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct VoiceToken {
    #[serde(rename = "s")]
    scope: String,
    #[serde(rename = "q")]
    query: VoiceQuery,
    #[serde(rename = "p")]
    page: u64,
    #[serde(rename = "t")]
    total: u64,
    #[serde(rename = "a")]
    after: VoiceCursor,
}

/// A validated request for one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoicePageRequest {
    pub scope: VoiceScope,
    pub query: VoiceQuery,
    pub position: VoicePosition,
    pub page: u64,
    /// The total counted on the first page, carried by `next` tokens.
    pub known_total: Option<u64>,
}

impl VoicePageRequest {
    pub fn resolve(scope: VoiceScope, params: ListParams, key: &TokenKey) -> Result<Self, DomainError> {
        let query = parse_query(&params)?;
        if let Some(raw) = &params.next {
            let token: VoiceToken = open_json(raw, key)?;
            let bad = DomainError::InvalidNextToken;
            if token.scope != scope.fingerprint() {
                return Err(bad("it belongs to another list"));
            }
            if !(1..=MAX_PAGE).contains(&token.page) {
                return Err(bad("malformed"));
            }
            let differs = (params.search.is_some() && query.search != token.query.search)
                || (params.sort.is_some() && query.sort != token.query.sort)
                || (params.dir.is_some() && query.dir != token.query.dir)
                || (params.page_size.is_some() && query.page_size != token.query.page_size)
                || params.page.is_some_and(|page| page != token.page);
            if differs {
                return Err(bad("it was issued for different query parameters"));
            }
            return Ok(Self {
                scope,
                query: token.query,
                position: VoicePosition::After(token.after),
                page: token.page,
                known_total: Some(token.total),
            });
        }
        let page = match params.page {
            None => 1,
            Some(page @ 1..=MAX_PAGE) => page,
            Some(_) => return Err(DomainError::invalid("page", "must be between 1 and 1000000000")),
        };
        let position = match page {
            1 => VoicePosition::Start,
            n => VoicePosition::Offset((n - 1) * u64::from(query.page_size.get())),
        };
        Ok(Self { scope, query, position, page, known_total: None })
    }

    /// The token of the next page when more remain; `last` is the page's last item (name key, id).
    pub fn next_token(&self, total: u64, last: Option<(&str, i64)>, more: bool, key: &TokenKey) -> Option<String> {
        let (name_key, id) = last.filter(|_| more)?;
        let token = VoiceToken {
            scope: self.scope.fingerprint(),
            query: self.query.clone(),
            page: self.page + 1,
            total,
            after: VoiceCursor { key: self.query.sort.key_of(name_key), id },
        };
        Some(seal_json(&token, key))
    }

    /// Pages of `page_size` for `total` results; an empty list is one empty page.
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.query.page_size.get())).max(1)
    }

    /// Whether an item (its sort key and id) comes after the cursor in list order.
    pub fn is_after_cursor(&self, key: &str, id: i64) -> bool {
        let VoicePosition::After(cursor) = &self.position else { return true };
        let item = (key, id);
        let at = (cursor.key.as_str(), cursor.id);
        match self.query.dir {
            Direction::Asc => item > at,
            Direction::Desc => item < at,
        }
    }
}

fn parse_query(params: &ListParams) -> Result<VoiceQuery, DomainError> {
    let search = match params.search.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) if text.chars().count() > 255 => {
            return Err(DomainError::invalid("search", "must be at most 255 characters"));
        }
        Some(text) => Some(crate::text::search_key(text)),
    };
    Ok(VoiceQuery {
        search,
        sort: params.sort.as_deref().map(VoiceSort::parse).transpose()?.unwrap_or(VoiceSort::Name),
        dir: params.dir.as_deref().map(Direction::parse).transpose()?.unwrap_or_default(),
        page_size: params.page_size.map(PageSize::parse).transpose()?.unwrap_or(PageSize::DEFAULT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
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

    fn first(params: ListParams) -> VoicePageRequest {
        VoicePageRequest::resolve(scope(VoiceKind::PstnUsage), params, &key()).unwrap()
    }

    #[test]
    fn defaults_are_name_ascending_ten_per_page() {
        let req = first(ListParams::default());
        assert_eq!((req.query.sort, req.query.dir, req.query.page_size.get()), (VoiceSort::Name, Direction::Asc, 10));
        assert_eq!((req.position, req.page), (VoicePosition::Start, 1));
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
            assert!(VoicePageRequest::resolve(scope(VoiceKind::VoiceRoute), params, &key()).is_err());
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
        let token = req.next_token(3, Some(("pstn test name", 21)), true, &key()).unwrap();
        assert_eq!(req.next_token(3, Some(("x", 21)), false, &key()), None, "no more: no token");
        let next = ListParams { next: Some(token.clone()), ..Default::default() };
        let second = VoicePageRequest::resolve(scope(VoiceKind::PstnUsage), next.clone(), &key()).unwrap();
        assert_eq!((second.page, second.known_total), (2, Some(3)));
        assert_eq!(second.position, VoicePosition::After(VoiceCursor { key: String::new(), id: 21 }));
        assert!(second.is_after_cursor("", 22) && !second.is_after_cursor("", 21));
        // Another kind of the same group, or another administrator's cut of it, is another list.
        assert!(VoicePageRequest::resolve(scope(VoiceKind::VoiceRoute), next.clone(), &key()).is_err());
        let within = VoiceScope { within: Some(NodeId(Uuid::from_u128(1))), ..scope(VoiceKind::PstnUsage) };
        assert!(VoicePageRequest::resolve(within, next.clone(), &key()).is_err());
        // Other parameters beside the token, or a tampered token, are refused.
        let with = |p: ListParams| VoicePageRequest::resolve(scope(VoiceKind::PstnUsage), p, &key());
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
            ListParams { next: Some(seal_json(&json, &key())), ..Default::default() }
        };
        assert!(VoicePageRequest::resolve(scope.clone(), token(2, 10), &key()).is_ok());
        for (page, size) in [(0, 10), (u64::MAX, 10), (2, 0), (2, 1001)] {
            let refused = VoicePageRequest::resolve(scope.clone(), token(page, size), &key());
            assert!(matches!(refused, Err(DomainError::InvalidNextToken(_))), "page {page}, size {size}");
        }
    }
}
