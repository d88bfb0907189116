//! The memory adapter's one pager: what every list does once its matches are in list order.

use canopy_domain::{Direction, ListScope, Page, PageRequest};

/// One page of `request` from its matches in list order, starting after the cursor (the caller
/// filters with [`PageRequest::is_after`]); `total` counts every match, when the request does not
/// carry the total already.
pub(super) fn take<L: ListScope, T>(
    request: &PageRequest<L>,
    after_cursor: impl Iterator<Item = T>,
    total: impl FnOnce() -> u64,
) -> Page<T> {
    let size = request.query.page_size.get() as usize;
    let mut items: Vec<T> = after_cursor.skip(request.skipped()).take(size + 1).collect();
    let more = items.len() > size;
    items.truncate(size);
    Page { items, total: request.known_total.unwrap_or_else(total), more }
}

/// One page of `request` from its matches in any order, each with its sort key and id.
pub(super) fn sorted<L: ListScope, T>(request: &PageRequest<L>, mut matches: Vec<(String, L::Id, T)>) -> Page<T> {
    matches.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    if request.query.dir == Direction::Desc {
        matches.reverse();
    }
    let total = matches.len() as u64;
    let after = matches.into_iter().filter(|(key, id, _)| request.is_after(key, id)).map(|(_, _, item)| item);
    take(request, after, || total)
}
