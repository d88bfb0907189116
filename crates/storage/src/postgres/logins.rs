//! Failed logins in PostgreSQL (migrations/0009_login_throttle.sql): those of accounts in
//! `admins`, those of addresses without an account in `unknown_address_failures`, one row per
//! slot. Both are counted the same way, in one transaction of two statements: the row is locked,
//! `LoginThrottle::after_failure` decides in Rust, the row is written. A login reads either
//! kind with the one statement of [`find_login`].

use super::errors::{retrying, store_error};
use super::rows::{LoginRow, admin_columns, failed_logins};
use crate::accounts::LoginLookup;
use crate::error::StoreError;
use canopy_domain::{AdminId, FailedLogins, InstanceSlug, LoginThrottle, Timestamp, UnknownAddressKey};
use sqlx::postgres::PgArguments;
use sqlx::query::Query;
use sqlx::{FromRow, PgPool, Postgres, Row};

/// The account with the address beside the failures of its slot, in one statement whether or
/// not the account exists, so that a login does the same store work for either.
pub(super) async fn find_login(
    pool: &PgPool,
    instance: &InstanceSlug,
    email_key: &str,
    unknown: UnknownAddressKey,
) -> Result<LoginLookup, StoreError> {
    let row = sqlx::query(concat!(
        "SELECT ",
        admin_columns!(),
        ", password_hash, admins.locked_until_ms, unknown_address_failures.locked_until_ms AS unknown_locked_until_ms \
         FROM (SELECT) AS one \
         LEFT JOIN admins ON admins.instance = $1 AND admins.email_key = $2 \
         LEFT JOIN unknown_address_failures ON unknown_address_failures.slot = $3 \
              AND unknown_address_failures.digest = $4"
    ))
    .bind(instance.as_str())
    .bind(email_key)
    .bind(slot(unknown))
    .bind(&unknown.digest[..])
    .fetch_one(pool)
    .await
    .map_err(store_error)?;
    let account: Option<i64> = row.try_get("id").map_err(store_error)?;
    if account.is_some() {
        return Ok(LoginLookup::Account(Box::new(LoginRow::from_row(&row).map_err(store_error)?.into_record()?)));
    }
    let locked_until: Option<i64> = row.try_get("unknown_locked_until_ms").map_err(store_error)?;
    Ok(LoginLookup::Unknown { locked_until: locked_until.map(Timestamp) })
}

pub(super) async fn record_failed_login(
    pool: &PgPool,
    id: AdminId,
    now: Timestamp,
    throttle: LoginThrottle,
) -> Result<Option<Timestamp>, StoreError> {
    retrying(|| async move {
        let mut tx = super::begin::begin(pool).await?;
        // Locked until the update: concurrent failures are each counted once. NO KEY UPDATE is
        // the lock the UPDATE takes anyway (no key changes).
        let stored: Option<(i32, Option<i64>, Option<i64>)> = sqlx::query_as(
            "SELECT failed_logins, last_failed_login_ms, locked_until_ms FROM admins WHERE id = $1 FOR NO KEY UPDATE",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((count, last, locked_until)) = stored else { return Ok(None) };
        let stored = run("admins", count, last, locked_until)?;
        // The rule lives in the domain: computed here, never in SQL.
        let run = throttle.after_failure(stored, now);
        let update = sqlx::query(
            "UPDATE admins SET failed_logins = $2, last_failed_login_ms = $3, locked_until_ms = $4 WHERE id = $1",
        )
        .bind(id.0);
        with_run(update, &run).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(run.locked_until)
    })
    .await
}

pub(super) async fn record_unknown_address_failure(
    pool: &PgPool,
    unknown: UnknownAddressKey,
    now: Timestamp,
    throttle: LoginThrottle,
) -> Result<Option<Timestamp>, StoreError> {
    retrying(|| async move {
        let mut tx = super::begin::begin(pool).await?;
        // The slot's row, inserted empty when missing and locked either way: `ON CONFLICT DO
        // UPDATE` locks the latest committed row (a concurrent insert is waited for), so the
        // failures of one slot take turns and each is counted once.
        let (digest, count, last, locked_until): (Vec<u8>, i32, Option<i64>, Option<i64>) = sqlx::query_as(
            "INSERT INTO unknown_address_failures (slot, digest, failed_logins) VALUES ($1, $2, 0) \
             ON CONFLICT (slot) DO UPDATE SET failed_logins = unknown_address_failures.failed_logins \
             RETURNING digest, failed_logins, last_failed_ms, locked_until_ms",
        )
        .bind(slot(unknown))
        .bind(&unknown.digest[..])
        .fetch_one(&mut *tx)
        .await?;
        // The slot held another address: this one replaces it.
        let stored = if digest == unknown.digest {
            run("unknown_address_failures", count, last, locked_until)?
        } else {
            FailedLogins::default()
        };
        let run = throttle.after_failure(stored, now);
        let update = sqlx::query(
            "UPDATE unknown_address_failures \
             SET digest = $2, failed_logins = $3, last_failed_ms = $4, locked_until_ms = $5 WHERE slot = $1",
        )
        .bind(slot(unknown))
        .bind(&unknown.digest[..]);
        with_run(update, &run).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(run.locked_until)
    })
    .await
}

/// `update` with the run's count, last failure and lock bound as its last three parameters.
fn with_run<'q>(update: Query<'q, Postgres, PgArguments>, run: &FailedLogins) -> Query<'q, Postgres, PgArguments> {
    update
        .bind(i32::try_from(run.count).unwrap_or(i32::MAX))
        .bind(run.last.map(|t| t.0))
        .bind(run.locked_until.map(|t| t.0))
}

/// The slot as its `integer` column holds it. Slots are below `UNKNOWN_ADDRESS_SLOTS` (2^17);
/// one that is not is refused by the column's CHECK rather than wrapped around.
fn slot(unknown: UnknownAddressKey) -> i32 {
    i32::try_from(unknown.slot).unwrap_or(i32::MAX)
}

fn run(
    table: &'static str,
    count: i32,
    last: Option<i64>,
    locked_until: Option<i64>,
) -> Result<FailedLogins, StoreError> {
    Ok(FailedLogins {
        count: failed_logins(table, count)?,
        last: last.map(Timestamp),
        locked_until: locked_until.map(Timestamp),
    })
}
