//! A tenant's user groups as sipXconfig lists them: `page` and `pagesize` (numbered pages),
//! `sortby` (`name` or `description`, case-insensitive) and `sortdir` (`forward` or `reverse`),
//! with the `metadata` of the page.
//!
//! Where sipXconfig silently ignores what it does not understand, Canopy refuses it (400): a
//! `page` without `pagesize` (or the reverse), a value that is not an integer from 1, a
//! `pagesize` over 1000, an unknown `sortby` or `sortdir`. A page past the end is empty (sipXconfig
//! answers the last page again, and a client that pages until it gets an empty page never stops).
//! Without paging, the first 1000 groups are answered (sipXconfig answers every group), and the
//! metadata says how many there are.

use crate::error::DomainError;
use crate::list::MAX_PAGE;

/// The largest page, and the most groups a list without paging answers.
pub const MAX_PAGE_SIZE: u64 = 1000;

/// What a list is sorted by; ties (and lists without `sortby`) in id order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    Id,
    Name,
    Description,
}

/// A list's order and page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserGroupQuery {
    pub sort: SortField,
    /// `sortdir=reverse`: the sort key descending (ties still in id order).
    pub reverse: bool,
    /// `(page, pagesize)`, `None` without paging.
    pub paging: Option<(u64, u64)>,
}

impl UserGroupQuery {
    /// The query of the raw parameters.
    pub fn parse(
        page: Option<&str>,
        pagesize: Option<&str>,
        sortby: Option<&str>,
        sortdir: Option<&str>,
    ) -> Result<Self, DomainError> {
        let paging = match (page, pagesize) {
            (None, None) => None,
            (Some(page), Some(size)) => {
                let page = number("page", page, MAX_PAGE)?;
                let size = number("pagesize", size, MAX_PAGE_SIZE)?;
                Some((page, size))
            }
            (Some(_), None) => return Err(DomainError::invalid("pagesize", "is required with page")),
            (None, Some(_)) => return Err(DomainError::invalid("page", "is required with pagesize")),
        };
        let sort = match sortby.map(str::trim) {
            None => SortField::Id,
            Some(by) if by.eq_ignore_ascii_case("name") => SortField::Name,
            Some(by) if by.eq_ignore_ascii_case("description") => SortField::Description,
            Some(_) => return Err(DomainError::invalid("sortby", "must be name or description")),
        };
        let reverse = match sortdir.map(str::trim) {
            None => false,
            Some(dir) if dir.eq_ignore_ascii_case("forward") => false,
            Some(dir) if dir.eq_ignore_ascii_case("reverse") => true,
            Some(_) => return Err(DomainError::invalid("sortdir", "must be forward or reverse")),
        };
        Ok(Self { sort, reverse, paging })
    }

    /// The rows to skip.
    pub fn offset(&self) -> u64 {
        self.paging.map_or(0, |(page, size)| (page - 1) * size)
    }

    /// The most rows to answer.
    pub fn limit(&self) -> u64 {
        self.paging.map_or(MAX_PAGE_SIZE, |(_, size)| size)
    }

    /// The metadata of a page of `answered` groups out of `total`.
    pub fn metadata(&self, total: u64, answered: u64) -> Metadata {
        let size = self.paging.map_or(MAX_PAGE_SIZE, |(_, size)| size);
        let pages = total.div_ceil(size).max(1);
        match self.paging {
            Some((page, size)) => {
                Metadata { total_results: total, current_page: page, total_pages: pages, results_per_page: size }
            }
            // sipXconfig's unpaged answer: one page holding every result.
            None => Metadata { total_results: total, current_page: 1, total_pages: pages, results_per_page: answered },
        }
    }
}

/// A list's `metadata`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metadata {
    pub total_results: u64,
    pub current_page: u64,
    pub total_pages: u64,
    pub results_per_page: u64,
}

fn number(field: &'static str, raw: &str, max: u64) -> Result<u64, DomainError> {
    let invalid = || DomainError::invalid(field, format!("must be an integer from 1 to {max}"));
    let raw = raw.trim();
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    raw.parse::<u64>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(page: Option<&str>, size: Option<&str>, by: Option<&str>, dir: Option<&str>) -> UserGroupQuery {
        UserGroupQuery::parse(page, size, by, dir).unwrap()
    }

    #[test]
    fn pages_are_numbered_from_one_and_the_metadata_counts_them() {
        let q = query(Some("3"), Some("2"), None, None);
        assert_eq!((q.offset(), q.limit()), (4, 2));
        let meta = q.metadata(7, 2);
        assert_eq!((meta.total_pages, meta.current_page, meta.results_per_page), (4, 3, 2));
        let past = query(Some("9"), Some("2"), None, None);
        assert_eq!(past.metadata(7, 0).current_page, 9, "a page past the end is that page, empty");
        let unpaged = query(None, None, None, None);
        assert_eq!((unpaged.offset(), unpaged.limit()), (0, 1000));
        assert_eq!(
            unpaged.metadata(2, 2),
            Metadata { total_results: 2, current_page: 1, total_pages: 1, results_per_page: 2 }
        );
        assert_eq!(query(Some("1"), Some("5"), None, None).metadata(0, 0).total_pages, 1);
    }

    #[test]
    fn sorting_is_by_name_or_description_in_either_direction() {
        let q = query(None, None, Some("Description"), Some("REVERSE"));
        assert_eq!((q.sort, q.reverse), (SortField::Description, true));
        assert_eq!(query(None, None, Some("name"), None).sort, SortField::Name);
        assert_eq!(
            query(None, None, None, Some("reverse")),
            UserGroupQuery { sort: SortField::Id, reverse: true, paging: None }
        );
    }

    #[test]
    fn what_sipxconfig_would_silently_ignore_is_refused() {
        for (page, size, by, dir, field) in [
            (Some("1"), None, None, None, "pagesize"),
            (None, Some("1"), None, None, "page"),
            (Some("0"), Some("1"), None, None, "page"),
            (Some("x"), Some("1"), None, None, "page"),
            (Some("1"), Some("1001"), None, None, "pagesize"),
            (Some("-1"), Some("5"), None, None, "page"),
            (None, None, Some("id"), None, "sortby"),
            (None, None, None, Some("backwards"), "sortdir"),
        ] {
            let err = UserGroupQuery::parse(page, size, by, dir).unwrap_err();
            assert_eq!(err.field(), Some(field), "{page:?} {size:?} {by:?} {dir:?}");
        }
    }
}
