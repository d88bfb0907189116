//! A vector that grows by chunks, so that a push never moves what it holds. A `Vec` doubles by
//! reallocating, which copies every element unless the allocator remaps the pages (glibc does for
//! large blocks; mimalloc, tried in issue 20, did not: at 1,000,000 audit entries that copy, under
//! the store's write lock, held every request for 640 ms, docs/performance.md). The memory store
//! pushes its audit entries and integer ids under that lock, whatever the allocator.

/// Elements per chunk: a chunk grows as a `Vec` up to this, so a push copies at most half of it.
const CHUNK: usize = 1 << 14;

pub(super) struct Chunked<T> {
    chunks: Vec<Vec<T>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Self { chunks: Vec::new(), len: 0 }
    }
}

impl<T> Chunked<T> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    pub(super) fn push(&mut self, value: T) {
        match self.chunks.last_mut() {
            Some(chunk) if chunk.len() < CHUNK => chunk.push(value),
            _ => self.chunks.push(vec![value]),
        }
        self.len += 1;
    }

    pub(super) fn last(&self) -> Option<&T> {
        self.chunks.last()?.last()
    }

    pub(super) fn get(&self, at: usize) -> Option<&T> {
        self.chunks.get(at / CHUNK)?.get(at % CHUNK)
    }

    pub(super) fn get_mut(&mut self, at: usize) -> Option<&mut T> {
        self.chunks.get_mut(at / CHUNK)?.get_mut(at % CHUNK)
    }

    /// Every element with its position, the last first.
    pub(super) fn positioned_from_last(&self) -> impl Iterator<Item = (usize, &T)> {
        (0..self.len).rev().zip(self.chunks.iter().rev().flat_map(|chunk| chunk.iter().rev()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_keep_their_positions_across_chunks() {
        let mut chunked = Chunked::default();
        let count = 2 * CHUNK + 3;
        for i in 0..count {
            chunked.push(i);
        }
        assert_eq!(chunked.len(), count);
        assert_eq!(
            (chunked.get(0), chunked.get(CHUNK), chunked.get(count - 1)),
            (Some(&0), Some(&CHUNK), Some(&(count - 1)))
        );
        assert_eq!((chunked.get(count), chunked.last()), (None, Some(&(count - 1))));
        *chunked.get_mut(CHUNK + 1).unwrap() = 7;
        assert_eq!(chunked.get(CHUNK + 1), Some(&7));
        let from_last: Vec<(usize, usize)> =
            chunked.positioned_from_last().map(|(at, value)| (at, *value)).take(4).collect();
        assert_eq!(
            from_last,
            [(count - 1, count - 1), (count - 2, count - 2), (count - 3, count - 3), (count - 4, count - 4)]
        );
        assert!(chunked.positioned_from_last().all(|(at, value)| at == *value || at == CHUNK + 1));
        assert_eq!(chunked.positioned_from_last().count(), count);
    }
}
