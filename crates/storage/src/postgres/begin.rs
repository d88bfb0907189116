//! Opening a transaction so that a cancelled request cannot leave one open on a pooled connection.
//!
//! sqlx 0.9.0's `Pool::begin` is not cancel-safe on PostgreSQL (transact-rs/sqlx#4393, fixed on
//! its main branch by #4394, in no release yet): it sends `BEGIN`, then awaits the answer before
//! counting the transaction, so a future dropped in between — a client that disconnects, the
//! request time limit — leaves the session inside a transaction that nothing rolls back, and the
//! pool hands that connection to the next request, whose statements then run inside it (the
//! server warns "there is already a transaction in progress"; an error there poisons the
//! connection until a later rollback). Seen in `cargo xtask bench`, when wrk closed its
//! connections with requests in flight.
//!
//! [`begin`] runs `Pool::begin` in a task of its own, which a dropped request does not cancel:
//! the task always finishes the `BEGIN`, and a transaction nobody takes is dropped counted, so
//! sqlx rolls it back before the connection is used again. The price is one task per write.
//! Every transaction of the adapter opens here (clippy's `disallowed-methods` keeps it so).

use sqlx::{PgPool, Postgres, Transaction};

/// A transaction on a connection of `pool`, opened whether or not the caller waits for it.
pub(super) async fn begin(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let pool = pool.clone();
    #[allow(clippy::disallowed_methods)] // the one place that may: see above
    let opening = tokio::spawn(async move { pool.begin().await });
    match opening.await {
        Ok(opened) => opened,
        Err(failed) if failed.is_panic() => std::panic::resume_unwind(failed.into_panic()),
        // Cancelled: the runtime is shutting down, and so is the pool.
        Err(_) => Err(sqlx::Error::PoolClosed),
    }
}
