//! Who is calling. Every service method takes one, so authorization can be decided before any
//! store call. Until authentication lands, the only caller is the system itself.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    _private: (),
}

impl Caller {
    /// The unauthenticated caller of this release: may do everything.
    pub fn system() -> Self {
        Self { _private: () }
    }
}
