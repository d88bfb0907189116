//! List queries: search, sort, direction, page size and position, validated per node kind.

use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::next_token::{Cursor, NextToken, TokenKey};
use crate::node::{Node, NodeId, NodeKind};
use serde::{Deserialize, Serialize};

/// Which list: the children of one kind under one parent (no parent: the instance's groups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListScope {
    pub instance: InstanceSlug,
    pub parent: Option<NodeId>,
    pub kind: NodeKind,
    /// The subtree the list is cut to (the caller's own node), before counting and paging:
    /// only nodes that are this node or lie below it. `None`: the whole instance.
    pub within: Option<NodeId>,
}

impl ListScope {
    /// A stable text form that binds a `next` token to the list it came from, and to the subtree
    /// it was cut to: another administrator cannot continue it.
    pub fn fingerprint(&self) -> String {
        let parent = self.parent.map(|p| p.to_string()).unwrap_or_default();
        let within = self.within.map(|w| format!("@{w}")).unwrap_or_default();
        format!("{}/{}/{}{within}", self.instance, parent, self.kind.plural())
    }

    /// Whether `node` is inside the subtree the list is cut to.
    pub fn admits(&self, node: &Node) -> bool {
        self.within.is_none_or(|w| node.id == w || node.lineage.contains(w))
    }
}

/// The searchable properties of a node, which are also the only sortable ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortField {
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "uuid")]
    Uuid,
    #[serde(rename = "draasDomain")]
    DraasDomain,
    #[serde(rename = "tenantId")]
    TenantId,
}

impl SortField {
    pub fn searchable_fields(kind: NodeKind) -> &'static [SortField] {
        match kind {
            NodeKind::Group => &[Self::Name, Self::Uuid, Self::DraasDomain],
            NodeKind::Distributor | NodeKind::Reseller => &[Self::Name, Self::Uuid],
            NodeKind::Tenant => &[Self::Name, Self::Uuid, Self::TenantId],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Uuid => "uuid",
            Self::DraasDomain => "draasDomain",
            Self::TenantId => "tenantId",
        }
    }

    pub fn parse(raw: &str, kind: NodeKind) -> Result<Self, DomainError> {
        Self::searchable_fields(kind).iter().copied().find(|field| field.as_str() == raw).ok_or_else(|| {
            let allowed: Vec<_> = Self::searchable_fields(kind).iter().map(|f| f.as_str()).collect();
            DomainError::invalid("sort", format!("must be one of: {}", allowed.join(", ")))
        })
    }

    /// The value a node sorts by under this field; ties are broken by the node's uuid.
    /// Sorting by uuid uses the uuid alone, so its key is empty.
    pub fn key_of(self, node: &Node) -> String {
        self.key_str(node).to_owned()
    }

    /// [`SortField::key_of`] without a copy.
    pub fn key_str(self, node: &Node) -> &str {
        match self {
            Self::Name => node.name.key(),
            Self::Uuid => "",
            Self::DraasDomain => node.draas_domain.as_ref().map_or("", |d| d.as_str()),
            Self::TenantId => node.tenant_id.as_ref().map_or("", |t| t.key()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Direction {
    #[default]
    #[serde(rename = "asc")]
    Asc,
    #[serde(rename = "desc")]
    Desc,
}

impl Direction {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        match raw {
            "asc" => Ok(Self::Asc),
            "desc" => Ok(Self::Desc),
            _ => Err(DomainError::invalid("dir", "must be asc or desc")),
        }
    }
}

/// Deserialized through [`PageSize::parse`]: a `next` token's payload is checked like the
/// parameter it repeats, so that even a token signed with the right key cannot carry a size of 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u64")]
pub struct PageSize(u32);

impl TryFrom<u64> for PageSize {
    type Error = DomainError;

    fn try_from(raw: u64) -> Result<Self, DomainError> {
        Self::parse(raw)
    }
}

impl PageSize {
    pub const DEFAULT: PageSize = PageSize(10);
    pub const MAX: u32 = 1000;

    pub fn parse(raw: u64) -> Result<Self, DomainError> {
        match u32::try_from(raw) {
            Ok(size @ 1..=Self::MAX) => Ok(Self(size)),
            _ => Err(DomainError::invalid("page_size", "must be between 1 and 1000")),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// A page by number of a short list read whole (a node's administrators, its rate plans): no
/// `next` token, `page` from 1 (default 1), `page_size` as [`PageSize`] (default 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedPage {
    pub page: u64,
    pub size: PageSize,
}

/// One page cut by [`NumberedPage::cut`]: its items, and where it lies in the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Numbered<T> {
    pub items: Vec<T>,
    pub page: u64,
    /// `ceil(results / page_size)`, at least 1.
    pub pages: u64,
    pub results: u64,
}

impl NumberedPage {
    pub fn parse(page: Option<u64>, page_size: Option<u64>) -> Result<Self, DomainError> {
        let size = page_size.map_or(Ok(PageSize::DEFAULT), PageSize::parse)?;
        match page.unwrap_or(1) {
            0 => Err(DomainError::invalid("page", "must be 1 or more")),
            page => Ok(Self { page, size }),
        }
    }

    /// This page of `all`.
    pub fn cut<T>(&self, all: Vec<T>) -> Numbered<T> {
        let size = u64::from(self.size.get());
        let results = all.len() as u64;
        let skip = usize::try_from((self.page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(size as usize).collect();
        Numbered { items, page: self.page, pages: results.div_ceil(size).max(1), results }
    }
}

/// What to list and in which order; everything but the position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery {
    /// Lowercased, trimmed search text; matched as a substring of any searchable field.
    pub search: Option<String>,
    pub sort: SortField,
    pub dir: Direction,
    pub page_size: PageSize,
}

impl ListQuery {
    /// Whether the search text is in any searchable field of the node. Allocates nothing: the
    /// memory adapter calls it for every node a list scans.
    pub fn matches(&self, node: &Node) -> bool {
        let Some(needle) = &self.search else { return true };
        let mut buffer = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let uuid: &str = node.id.0.hyphenated().encode_lower(&mut buffer);
        SortField::searchable_fields(node.kind).iter().any(|field| {
            let haystack = match field {
                SortField::Uuid => uuid,
                other => other.key_str(node),
            };
            haystack.contains(needle.as_str())
        })
    }
}

/// The highest page number a request (or a `next` token) may name.
pub const MAX_PAGE: u64 = 1_000_000_000;

/// Where a page starts: the first page, a page number (an offset), or after a `next` cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position {
    Start,
    Offset(u64),
    After(Cursor),
}

/// The raw list parameters of a request, as the client sent them.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub search: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u64>,
    pub page_size: Option<u64>,
    pub next: Option<String>,
}

/// A validated request for one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub scope: ListScope,
    pub query: ListQuery,
    pub position: Position,
    /// 1-based number of the requested page.
    pub page: u64,
    /// The total counted on the first page, carried by `next` tokens so that later pages
    /// cost one index seek instead of a count.
    pub known_total: Option<u64>,
}

impl PageRequest {
    pub fn resolve(scope: ListScope, params: ListParams, key: &TokenKey) -> Result<Self, DomainError> {
        let query = parse_query(&params, scope.kind)?;
        if let Some(raw) = &params.next {
            let token = NextToken::open(raw, key)?;
            return token.continue_in(scope, &params, query);
        }
        let page = match params.page {
            None => 1,
            Some(page @ 1..=MAX_PAGE) => page,
            Some(_) => return Err(DomainError::invalid("page", "must be between 1 and 1000000000")),
        };
        let position = match page {
            1 => Position::Start,
            n => Position::Offset((n - 1) * u64::from(query.page_size.get())),
        };
        Ok(Self { scope, query, position, page, known_total: None })
    }

    /// The `next` token for the page after this one, when more remain.
    pub fn next_token(&self, total: u64, last: Option<&Node>, more: bool, key: &TokenKey) -> Option<String> {
        let last = last.filter(|_| more)?;
        let token = NextToken {
            scope: self.scope.fingerprint(),
            query: self.query.clone(),
            page: self.page + 1,
            total,
            after: Cursor { key: self.query.sort.key_of(last), id: last.id.0 },
        };
        Some(token.seal(key))
    }

    /// Pages of `page_size` needed for `total` results; an empty list is one empty page.
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.query.page_size.get())).max(1)
    }
}

fn parse_query(params: &ListParams, kind: NodeKind) -> Result<ListQuery, DomainError> {
    let search = match params.search.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) if text.chars().count() > 255 => {
            return Err(DomainError::invalid("search", "must be at most 255 characters"));
        }
        Some(text) => Some(crate::text::search_key(text)),
    };
    Ok(ListQuery {
        search,
        sort: params.sort.as_deref().map(|raw| SortField::parse(raw, kind)).transpose()?.unwrap_or(SortField::Name),
        dir: params.dir.as_deref().map(Direction::parse).transpose()?.unwrap_or_default(),
        page_size: params.page_size.map(PageSize::parse).transpose()?.unwrap_or(PageSize::DEFAULT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::{DraasDomain, TenantId};
    use crate::node::tests::node;

    fn scope(kind: NodeKind) -> ListScope {
        ListScope { instance: InstanceSlug::parse("default").unwrap(), parent: None, kind, within: None }
    }

    fn key() -> TokenKey {
        TokenKey::new(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn defaults_are_name_ascending_ten_per_page_from_the_start() {
        let req = PageRequest::resolve(scope(NodeKind::Group), ListParams::default(), &key()).unwrap();
        assert_eq!(req.query.sort, SortField::Name);
        assert_eq!(req.query.dir, Direction::Asc);
        assert_eq!(req.query.page_size.get(), 10);
        assert_eq!(req.position, Position::Start);
        assert_eq!(req.page, 1);
    }

    #[test]
    fn page_size_is_limited_to_1_through_1000() {
        assert!(PageSize::parse(1).is_ok());
        assert!(PageSize::parse(1000).is_ok());
        assert!(PageSize::parse(0).is_err());
        assert!(PageSize::parse(1001).is_err());
        assert!(PageSize::parse(u64::MAX).is_err());
    }

    #[test]
    fn sort_is_limited_to_the_kinds_searchable_fields() {
        assert_eq!(SortField::parse("draasDomain", NodeKind::Group), Ok(SortField::DraasDomain));
        assert!(SortField::parse("draasDomain", NodeKind::Tenant).is_err());
        assert_eq!(SortField::parse("tenantId", NodeKind::Tenant), Ok(SortField::TenantId));
        assert!(SortField::parse("nbOfTenants", NodeKind::Group).is_err());
        assert!(Direction::parse("sideways").is_err());
    }

    #[test]
    fn a_page_number_becomes_an_offset() {
        let params = ListParams { page: Some(3), page_size: Some(20), ..Default::default() };
        let req = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        assert_eq!(req.position, Position::Offset(40));
        assert!(
            PageRequest::resolve(scope(NodeKind::Group), ListParams { page: Some(0), ..Default::default() }, &key())
                .is_err()
        );
    }

    #[test]
    fn numbered_pages_cut_a_whole_list() {
        let page = NumberedPage::parse(Some(2), Some(2)).unwrap();
        assert_eq!(page.cut(vec![1, 2, 3, 4, 5]), Numbered { items: vec![3, 4], page: 2, pages: 3, results: 5 });
        let empty = NumberedPage::parse(None, None).unwrap().cut(Vec::<u8>::new());
        assert_eq!((empty.page, empty.pages, empty.results), (1, 1, 0));
        assert_eq!(NumberedPage::parse(Some(0), None).unwrap_err().field(), Some("page"));
        assert_eq!(NumberedPage::parse(None, Some(1001)).unwrap_err().field(), Some("page_size"));
        assert!(NumberedPage::parse(Some(u64::MAX), Some(1000)).unwrap().cut(vec![1]).items.is_empty());
    }

    #[test]
    fn search_matches_any_searchable_field_case_insensitively() {
        let mut group = node(NodeKind::Group, 7, None);
        group.draas_domain = Some(DraasDomain::parse("first.draas.domain").unwrap());
        let query = |text: &str| ListQuery {
            search: Some(text.to_lowercase()),
            sort: SortField::Name,
            dir: Direction::Asc,
            page_size: PageSize::DEFAULT,
        };
        assert!(query("NODE 7").matches(&group));
        assert!(query("draas.DOM").matches(&group));
        assert!(query("00000000-0000").matches(&group));
        assert!(!query("absent").matches(&group));
        let mut tenant = node(NodeKind::Tenant, 8, Some(&group));
        tenant.tenant_id = Some(TenantId::parse("Acme-EU").unwrap());
        assert!(query("acme-eu").matches(&tenant));
        assert!(!query("draas").matches(&tenant), "tenants do not search their group's domain");
    }

    #[test]
    fn a_next_token_resumes_after_the_last_item_with_the_same_query() {
        let params = ListParams { search: Some("Node".into()), page_size: Some(2), ..Default::default() };
        let first = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        let last = node(NodeKind::Group, 2, None);
        let token = first.next_token(5, Some(&last), true, &key()).unwrap();
        let params = ListParams { next: Some(token), ..Default::default() };
        let second = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        assert_eq!(second.query, first.query);
        assert_eq!(second.page, 2);
        assert_eq!(second.known_total, Some(5));
        assert_eq!(second.position, Position::After(Cursor { key: "node 2".into(), id: last.id.0 }));
        assert_eq!(first.next_token(5, Some(&last), false, &key()), None);
    }

    #[test]
    fn pages_round_up_and_an_empty_list_has_one_page() {
        let req = PageRequest::resolve(scope(NodeKind::Group), ListParams::default(), &key()).unwrap();
        assert_eq!(req.pages(0), 1);
        assert_eq!(req.pages(10), 1);
        assert_eq!(req.pages(11), 2);
    }
}
