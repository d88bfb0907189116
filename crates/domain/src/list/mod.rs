//! Lists, one stack for all of them: the parameters a client sends (`search`, `sort`, `dir`,
//! `page`, `page_size`, `next`), validated once into a [`PageRequest`]; the [`Page`] a store
//! answers; the [`Listed`] page a service answers, with its signed `next` token.
//!
//! A list is a [`ListScope`]: what its tokens are bound to, how it may be sorted, what its items'
//! ids are. Node lists ([`NodeScope`]), voice routing lists, administrators ([`AdminScope`]) and
//! the audit log implement it; a new list is a scope, a sort enum and a query in each adapter.

mod admins;
mod nodes;
mod search;
pub(crate) mod token;

pub use admins::{AdminScope, AdminSort};
pub use nodes::{NodeScope, NodeSort};
pub use search::{NodeSearch, SEARCH_LIMIT_DEFAULT, SEARCH_LIMIT_MAX};
pub use token::{NextToken, TokenKey};

use crate::error::DomainError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::fmt::Debug;

/// A list: what its `next` tokens are bound to, how it may be sorted, what its cursor ids are.
pub trait ListScope: Clone {
    /// The orders a client may ask for.
    type Sort: Copy + Eq + Debug + Serialize + DeserializeOwned;
    /// What breaks ties between equal sort keys: every item's own id.
    type Id: Clone + Ord + Debug + Serialize + DeserializeOwned;

    /// A stable text form that binds a `next` token to the list it came from and to the subtree
    /// it was cut to: another list, or another administrator, cannot continue it.
    fn fingerprint(&self) -> String;

    fn parse_sort(&self, raw: &str) -> Result<Self::Sort, DomainError>;

    fn default_sort(&self) -> Self::Sort;

    fn default_dir(&self) -> Direction {
        Direction::Asc
    }
}

/// What a list item gives a `next` token to resume after it.
pub trait ListItem<L: ListScope> {
    fn cursor(&self, sort: L::Sort) -> Cursor<L::Id>;
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

/// A page by number of a short list read whole (a node's rate plans): no
/// `next` token, `page` from 1 (default 1), `page_size` as [`PageSize`] (default 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberedPage {
    pub page: u64,
    pub size: PageSize,
}

impl NumberedPage {
    pub fn parse(page: Option<u64>, page_size: Option<u64>) -> Result<Self, DomainError> {
        let size = page_size.map_or(Ok(PageSize::DEFAULT), PageSize::parse)?;
        match page.unwrap_or(1) {
            0 => Err(DomainError::invalid("page", "must be 1 or more")),
            page => Ok(Self { page, size }),
        }
    }

    /// This page of `all`, answered as every list is (without a `next` token).
    pub fn cut<T>(&self, all: Vec<T>) -> Listed<T> {
        let size = u64::from(self.size.get());
        let results = all.len() as u64;
        let skip = usize::try_from((self.page - 1).saturating_mul(size)).unwrap_or(usize::MAX);
        let items = all.into_iter().skip(skip).take(size as usize).collect();
        let pages = results.div_ceil(size).max(1);
        Listed { items, page: self.page, page_size: self.size.get(), pages, results, results_capped: false, next: None }
    }
}

/// What to list and in which order; everything but the position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListQuery<S> {
    /// Lowercased, trimmed search text; matched as a substring of the list's searchable fields.
    pub search: Option<String>,
    pub sort: S,
    pub dir: Direction,
    pub page_size: PageSize,
}

/// Where the previous page ended: its last item's sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor<I> {
    #[serde(rename = "k")]
    pub key: String,
    #[serde(rename = "i")]
    pub id: I,
}

/// The highest page number a request (or a `next` token) may name.
pub const MAX_PAGE: u64 = 1_000_000_000;

/// The most matches a searched list counts: beyond it, `results` says this many and that there
/// are more (`Listed::results_capped`), so that the first page of a search costs what its page
/// and this many matches cost, not what every match costs (issue 20). Unsearched lists count all.
pub const COUNT_LIMIT: u64 = 1_000;

/// Where a page starts: the first page, a page number (an offset), or after a `next` cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Position<I> {
    Start,
    Offset(u64),
    After(Cursor<I>),
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
pub struct PageRequest<L: ListScope> {
    pub scope: L,
    pub query: ListQuery<L::Sort>,
    pub position: Position<L::Id>,
    /// 1-based number of the requested page.
    pub page: u64,
    /// The total counted on the first page, carried by `next` tokens so that later pages
    /// cost one index seek instead of a count.
    pub known_total: Option<u64>,
}

/// One page as a store answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// How many items match in all; the request's `known_total` when it had one.
    pub total: u64,
    /// Whether items remain after this page.
    pub more: bool,
}

impl<T> Page<T> {
    /// An empty page of a list whose total is `known` (0 when it was never counted).
    pub fn empty(known: Option<u64>) -> Self {
        Self { items: vec![], total: known.unwrap_or(0), more: false }
    }
}

/// One page as a service answers it: the items and where they lie in the whole list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listed<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub page_size: u32,
    /// `ceil(results / page_size)`, at least 1.
    pub pages: u64,
    /// The matches; of a searched list, at most [`COUNT_LIMIT`] (see `results_capped`).
    pub results: u64,
    /// A searched list matched more than [`COUNT_LIMIT`]: `results` and `pages` count that many.
    pub results_capped: bool,
    /// The token of the next page, while more items remain.
    pub next: Option<String>,
}

impl<L: ListScope> PageRequest<L> {
    /// The one reading of `search`, `sort`, `dir`, `page`, `page_size` and `next`: a token
    /// continues only its own list, and parameters sent beside it must repeat its own.
    pub fn resolve(scope: L, params: ListParams, key: &TokenKey) -> Result<Self, DomainError> {
        let query = parse_query(&scope, &params)?;
        if let Some(raw) = &params.next {
            return NextToken::<L>::open(raw, key)?.continue_in(scope, &params, query);
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

    /// The `next` token for the page after this one, when more remain; `last` is this page's
    /// last item's cursor.
    pub fn next_token(&self, total: u64, last: Option<Cursor<L::Id>>, more: bool, key: &TokenKey) -> Option<String> {
        let after = last.filter(|_| more)?;
        let token = NextToken::<L> {
            scope: self.scope.fingerprint(),
            query: self.query.clone(),
            page: self.page + 1,
            total,
            after,
        };
        Some(token.seal(key))
    }

    /// Pages of `page_size` needed for `total` results; an empty list is one empty page.
    pub fn pages(&self, total: u64) -> u64 {
        total.div_ceil(u64::from(self.query.page_size.get())).max(1)
    }

    /// What a service answers for the page a store found. A searched list's count is bounded
    /// by [`COUNT_LIMIT`] (a store may stop counting one past it: [`PageRequest::counts_up_to`]).
    pub fn listed<T: ListItem<L>>(&self, page: Page<T>, key: &TokenKey) -> Listed<T> {
        let last = page.items.last().map(|item| item.cursor(self.query.sort));
        let capped = self.counts_up_to().is_some_and(|limit| page.total >= limit);
        let results = if capped { COUNT_LIMIT } else { page.total };
        Listed {
            next: self.next_token(page.total, last, page.more, key),
            page: self.page,
            page_size: self.query.page_size.get(),
            pages: self.pages(results),
            results,
            results_capped: capped,
            items: page.items,
        }
    }

    /// How far a store needs to count this list's matches: one past [`COUNT_LIMIT`] when it is
    /// searched (that there are more is all the answer says), every one otherwise (`None`).
    pub fn counts_up_to(&self) -> Option<u64> {
        self.query.search.as_ref().map(|_| COUNT_LIMIT + 1)
    }

    /// Whether an item (its sort key and id) comes after the cursor in list order; every item
    /// does on a page that starts without one.
    pub fn is_after(&self, key: &str, id: &L::Id) -> bool {
        let Position::After(cursor) = &self.position else { return true };
        let item = (key, id);
        let at = (cursor.key.as_str(), &cursor.id);
        match self.query.dir {
            Direction::Asc => item > at,
            Direction::Desc => item < at,
        }
    }

    /// How many matches a page by number skips.
    pub fn skipped(&self) -> usize {
        match self.position {
            Position::Offset(n) => usize::try_from(n).unwrap_or(usize::MAX),
            _ => 0,
        }
    }
}

fn parse_query<L: ListScope>(scope: &L, params: &ListParams) -> Result<ListQuery<L::Sort>, DomainError> {
    let search = match params.search.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) if text.chars().count() > 255 => {
            return Err(DomainError::invalid("search", "must be at most 255 characters"));
        }
        Some(text) => Some(crate::text::search_key(text)),
    };
    Ok(ListQuery {
        search,
        sort: params.sort.as_deref().map(|raw| scope.parse_sort(raw)).transpose()?.unwrap_or(scope.default_sort()),
        dir: params.dir.as_deref().map(Direction::parse).transpose()?.unwrap_or(scope.default_dir()),
        page_size: params.page_size.map(PageSize::parse).transpose()?.unwrap_or(PageSize::DEFAULT),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_pages_cut_a_whole_list() {
        let page = NumberedPage::parse(Some(2), Some(2)).unwrap();
        let listed = page.cut(vec![1, 2, 3, 4, 5]);
        assert_eq!((listed.items, listed.page, listed.pages, listed.results), (vec![3, 4], 2, 3, 5));
        let empty = NumberedPage::parse(None, None).unwrap().cut(Vec::<u8>::new());
        assert_eq!((empty.page, empty.pages, empty.results, empty.next), (1, 1, 0, None));
        assert_eq!(NumberedPage::parse(Some(0), None).unwrap_err().field(), Some("page"));
        assert_eq!(NumberedPage::parse(None, Some(1001)).unwrap_err().field(), Some("page_size"));
        assert!(NumberedPage::parse(Some(u64::MAX), Some(1000)).unwrap().cut(vec![1]).items.is_empty());
    }
}
