//! A search of one tenant's site groups as BroadWorks (OCI) searches groups, which the APIO face
//! speaks: criteria on `groupId` and `groupName` (starts with, contains, equals; case-sensitive or
//! not), all AND-ed; up to three sort orders applied in turn, then `groupId` (its stored bytes,
//! unique in a tenant) so that every order is total and pages never shuffle; a window of rows (a
//! 0-based offset and a count). The adapters filter and order by exactly these rules: memory by
//! calling [`GroupSearch::matches`] and [`GroupSearch::compare`], PostgreSQL by the SQL they mirror.
//!
//! *Sensitive* compares the stored text itself; *insensitive* its key (the lowercase form names
//! are unique by, [`crate::text::key`]). `%` and `_` are plain characters.

use crate::error::DomainError;
use crate::node::Node;
use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// The most sort orders a search takes.
pub const MAX_SORTS: usize = 3;
/// The longest search value.
pub const MAX_VALUE: usize = 80;

/// What a criterion or a sort order reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupField {
    GroupId,
    GroupName,
}

/// How a criterion compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Starts,
    Contains,
    Equals,
}

/// One criterion: the field's text (or key) starts with, contains or equals `value` (a key when
/// the criterion is insensitive).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub field: GroupField,
    pub mode: Mode,
    pub sensitive: bool,
    pub value: String,
}

/// One sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortOrder {
    pub field: GroupField,
    pub ascending: bool,
    pub sensitive: bool,
}

/// Which rows of the ordered result: from `offset` (0-based), at most `limit` of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Window {
    pub offset: u64,
    pub limit: Option<u64>,
}

/// The largest page.
pub const MAX_PAGE_SIZE: u64 = 1000;

impl Window {
    /// `pagingControl`: `start_index` is a 1-based row (OCI `responseStartIndex`), `page_size`
    /// 1 to [`MAX_PAGE_SIZE`].
    pub fn paged(start_index: u64, page_size: u64) -> Result<Self, DomainError> {
        if start_index < 1 {
            return Err(DomainError::invalid("pagingControl.startIndex", "must be at least 1 (a 1-based row)"));
        }
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(DomainError::invalid("pagingControl.pageSize", "must be 1 to 1000"));
        }
        Ok(Self { offset: start_index - 1, limit: Some(page_size) })
    }

    /// `responseSizeLimit`: at most that many rows from the first (none: every row).
    pub fn limited(limit: Option<u64>) -> Result<Self, DomainError> {
        if limit == Some(0) {
            return Err(DomainError::invalid("responseSizeLimit", "must be at least 1"));
        }
        Ok(Self { offset: 0, limit })
    }
}

/// A whole search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSearch {
    pub criteria: Vec<Criterion>,
    /// Never empty: the default is insensitive ascending `groupId`.
    pub sorts: Vec<SortOrder>,
    pub window: Window,
}

/// A page of a search, and how many site groups matched in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub groups: Vec<Node>,
    pub total: u64,
}

/// `sensitive`/`insensitive`, then the rest.
fn case_of(name: &str) -> Option<(bool, &str)> {
    if let Some(rest) = name.strip_prefix("sensitive") {
        Some((true, rest))
    } else {
        name.strip_prefix("insensitive").map(|rest| (false, rest))
    }
}

fn field_of(name: &str) -> Option<GroupField> {
    match name {
        "GroupId" => Some(GroupField::GroupId),
        "GroupName" => Some(GroupField::GroupName),
        _ => None,
    }
}

impl Criterion {
    /// The criterion a search key names (`insensitiveGroupNameContains`), with its value; `None`
    /// when the name is no criterion.
    pub fn named(name: &str, value: &str) -> Option<Result<Self, DomainError>> {
        let (sensitive, rest) = case_of(name)?;
        let (field, mode) = [("Starts", Mode::Starts), ("Contains", Mode::Contains), ("Equals", Mode::Equals)]
            .into_iter()
            .find_map(|(suffix, mode)| rest.strip_suffix(suffix).and_then(field_of).map(|field| (field, mode)))?;
        let length = value.chars().count();
        if length == 0 || length > MAX_VALUE {
            return Some(Err(DomainError::invalid(name.to_owned(), "must be 1 to 80 characters")));
        }
        let normalised: String = value.nfc().collect();
        let value = if sensitive { normalised } else { crate::text::key(&normalised) };
        Some(Ok(Self { field, mode, sensitive, value }))
    }

    fn admits(&self, node: &Node) -> bool {
        let text = text_of(node, self.field, self.sensitive);
        match self.mode {
            Mode::Starts => text.starts_with(&self.value),
            Mode::Contains => text.contains(&self.value),
            Mode::Equals => text == self.value,
        }
    }
}

impl SortOrder {
    /// The default order: insensitive ascending `groupId`.
    pub const DEFAULT: Self = Self { field: GroupField::GroupId, ascending: true, sensitive: false };

    /// The order a name says (`sensitiveDescendingGroupName`), refused by name when it is none.
    pub fn parse(name: &str) -> Result<Self, DomainError> {
        let unknown = || {
            DomainError::invalid(
                "sortOrders",
                format!(
                    "unknown sort order {name:?}: {{sensitive|insensitive}}{{Ascending|Descending}}{{GroupId|GroupName}}"
                ),
            )
        };
        let (sensitive, rest) = case_of(name).ok_or_else(unknown)?;
        let (ascending, rest) = match (rest.strip_prefix("Ascending"), rest.strip_prefix("Descending")) {
            (Some(rest), _) => (true, rest),
            (_, Some(rest)) => (false, rest),
            _ => return Err(unknown()),
        };
        let field = field_of(rest).ok_or_else(unknown)?;
        Ok(Self { field, ascending, sensitive })
    }
}

impl GroupSearch {
    /// A search of these criteria (each at most once: the caller's map guarantees it) ordered by
    /// `sorts` (at most [`MAX_SORTS`], the default when none).
    pub fn new(criteria: Vec<Criterion>, sorts: Vec<SortOrder>, window: Window) -> Result<Self, DomainError> {
        if sorts.len() > MAX_SORTS {
            return Err(DomainError::invalid("sortOrders", "at most 3 sort orders"));
        }
        let sorts = if sorts.is_empty() { vec![SortOrder::DEFAULT] } else { sorts };
        Ok(Self { criteria, sorts, window })
    }

    /// Whether a site group meets every criterion.
    pub fn matches(&self, node: &Node) -> bool {
        self.criteria.iter().all(|criterion| criterion.admits(node))
    }

    /// The order of two site groups: each sort order in turn, then the stored `groupId`.
    pub fn compare(&self, a: &Node, b: &Node) -> Ordering {
        self.sorts
            .iter()
            .map(|sort| {
                let order = text_of(a, sort.field, sort.sensitive).cmp(text_of(b, sort.field, sort.sensitive));
                if sort.ascending { order } else { order.reverse() }
            })
            .find(|order| order.is_ne())
            .unwrap_or_else(|| a.name.as_str().cmp(b.name.as_str()))
    }

    /// The window's rows of an ordered result.
    pub fn cut<T>(&self, ordered: Vec<T>) -> Vec<T> {
        let skip = usize::try_from(self.window.offset).unwrap_or(usize::MAX);
        let take = self.window.limit.map_or(usize::MAX, |limit| usize::try_from(limit).unwrap_or(usize::MAX));
        ordered.into_iter().skip(skip).take(take).collect()
    }
}

/// The text a criterion or sort reads: the stored text, or its key.
fn text_of(node: &Node, field: GroupField, sensitive: bool) -> &str {
    let group = node.attributes.site_group();
    match (field, sensitive) {
        (GroupField::GroupId, true) => node.name.as_str(),
        (GroupField::GroupId, false) => node.name.key(),
        (GroupField::GroupName, true) => group.map_or("", |g| g.group_name()),
        (GroupField::GroupName, false) => group.map_or("", |g| g.group_name_key()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn criteria_are_named_by_case_field_and_mode() {
        let c = Criterion::named("insensitiveGroupNameContains", "TeSt").unwrap().unwrap();
        assert_eq!(
            (c.field, c.mode, c.sensitive, c.value.as_str()),
            (GroupField::GroupName, Mode::Contains, false, "test")
        );
        let c = Criterion::named("sensitiveGroupIdEquals", "Foo").unwrap().unwrap();
        assert_eq!((c.field, c.mode, c.sensitive, c.value.as_str()), (GroupField::GroupId, Mode::Equals, true, "Foo"));
        assert!(Criterion::named("sensitiveGroupIdLike", "x").is_none());
        assert!(Criterion::named("pagingControl", "x").is_none());
        assert!(Criterion::named("sensitiveGroupIdStarts", "").unwrap().is_err());
        assert!(Criterion::named("sensitiveGroupIdStarts", &"x".repeat(81)).unwrap().is_err());
    }

    #[test]
    fn sort_orders_are_named_and_at_most_three() {
        let sort = SortOrder::parse("sensitiveDescendingGroupName").unwrap();
        assert_eq!(sort, SortOrder { field: GroupField::GroupName, ascending: false, sensitive: true });
        for bad in ["", "sensitiveDescending", "DescendingGroupName", "insensitiveUpGroupId", "sensitiveAscendingName"]
        {
            assert_eq!(SortOrder::parse(bad).unwrap_err().field(), Some("sortOrders"), "{bad}");
        }
        let four = vec![SortOrder::DEFAULT; 4];
        assert!(GroupSearch::new(vec![], four, Window::default()).is_err());
        assert_eq!(GroupSearch::new(vec![], vec![], Window::default()).unwrap().sorts, vec![SortOrder::DEFAULT]);
    }

    #[test]
    fn paging_starts_at_a_one_based_row_and_pages_hold_at_most_a_thousand() {
        assert_eq!(Window::paged(1, 2).unwrap(), Window { offset: 0, limit: Some(2) });
        assert_eq!(Window::paged(5, 1000).unwrap(), Window { offset: 4, limit: Some(1000) });
        assert!(Window::paged(0, 2).is_err());
        assert!(Window::paged(1, 0).is_err());
        assert!(Window::paged(1, 1001).is_err());
        assert_eq!(Window::limited(None).unwrap(), Window::default());
        assert!(Window::limited(Some(0)).is_err());
    }

    #[test]
    fn a_window_cuts_rows_from_an_offset() {
        let search = GroupSearch::new(vec![], vec![], Window { offset: 2, limit: Some(2) }).unwrap();
        assert_eq!(search.cut(vec![1, 2, 3, 4, 5]), vec![3, 4]);
        let past = GroupSearch::new(vec![], vec![], Window { offset: 9, limit: None }).unwrap();
        assert_eq!(past.cut(vec![1, 2]), Vec::<i32>::new());
    }
}
