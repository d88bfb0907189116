//! The PostgreSQL adapter of the account port: one-time tokens and sessions here, failed logins
//! in `logins` (see `admins` for the concurrency). Each method is one transaction.

use super::errors::{retrying, store_error};
use super::rows::{AdminRow, admin_columns, lineage_disabled};
use super::unit::Unit;
use super::{PostgresStore, logins};
use crate::accounts::{AccountStore, LoginLookup, NewOneTimeToken, NewSession, TokenHash};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{Admin, AdminId, Change, InstanceSlug, LoginThrottle, Timestamp, TokenPurpose, UnknownAddressKey};
use sqlx::{PgConnection, PgPool};

/// Stores a token in place of the administrator's earlier ones of its purpose. A hash that is
/// already stored (which 256-bit random tokens never give) is refused by the primary key rather
/// than taken from its owner.
pub(super) async fn store_token(
    conn: &mut PgConnection,
    admin: AdminId,
    token: &NewOneTimeToken,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM one_time_tokens WHERE admin_id = $1 AND purpose = $2")
        .bind(admin.0)
        .bind(token.purpose.as_str())
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO one_time_tokens (token_hash, admin_id, purpose, expires_at_ms) VALUES ($1, $2, $3, $4)")
        .bind(&token.hash.0[..])
        .bind(admin.0)
        .bind(token.purpose.as_str())
        .bind(token.expires.0)
        .execute(conn)
        .await?;
    Ok(())
}

pub(super) async fn close_sessions(conn: &mut PgConnection, admin: AdminId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE admin_id = $1").bind(admin.0).execute(conn).await?;
    Ok(())
}

pub(super) async fn issue_token(pool: &PgPool, admin: AdminId, token: NewOneTimeToken) -> Result<bool, StoreError> {
    let token = &token;
    retrying(|| async move {
        let mut tx = super::begin::begin(pool).await?;
        // Concurrent issuances for one account take turns, so each replaces the one before;
        // the lock also holds off the account's deletion until the token is in.
        let found: Option<i64> = sqlx::query_scalar("SELECT id FROM admins WHERE id = $1 FOR NO KEY UPDATE")
            .bind(admin.0)
            .fetch_optional(&mut *tx)
            .await?;
        if found.is_none() {
            return Ok(false);
        }
        store_token(&mut tx, admin, token).await?;
        tx.commit().await?;
        Ok(true)
    })
    .await
}

pub(super) async fn token_holder(
    pool: &PgPool,
    hash: TokenHash,
    purpose: TokenPurpose,
    now: Timestamp,
) -> Result<Option<Admin>, StoreError> {
    let row: Option<AdminRow> = sqlx::query_as(concat!(
        "SELECT ",
        admin_columns!(),
        " FROM one_time_tokens JOIN admins ON admins.id = one_time_tokens.admin_id \
         WHERE one_time_tokens.token_hash = $1 AND one_time_tokens.purpose = $2 AND one_time_tokens.expires_at_ms > $3"
    ))
    .bind(&hash.0[..])
    .bind(purpose.as_str())
    .bind(now.0)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    row.map(AdminRow::into_admin).transpose()
}

pub(super) async fn redeem_token(
    pool: &PgPool,
    hash: TokenHash,
    purpose: TokenPurpose,
    now: Timestamp,
    password_hash: String,
    change: &Change,
) -> Result<Option<Admin>, StoreError> {
    let password_hash = &password_hash;
    retrying(|| async move {
        let mut tx = super::begin::begin(pool).await?;
        // Single use: the row lock of the DELETE makes a concurrent redemption wait, and it
        // then finds the row gone. A token of another purpose, or expired, stays as it is.
        let owner: Option<i64> = sqlx::query_scalar(
            "DELETE FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND expires_at_ms > $3 \
             RETURNING admin_id",
        )
        .bind(&hash.0[..])
        .bind(purpose.as_str())
        .bind(now.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(owner) = owner.map(AdminId) else { return Ok(None) };
        let row: Option<AdminRow> = sqlx::query_as(concat!(
            "UPDATE admins SET password_hash = $2, must_change_password = false, failed_logins = 0, \
             locked_until_ms = NULL, version = version + 1 WHERE id = $1 \
             RETURNING ",
            admin_columns!()
        ))
        .bind(owner.0)
        .bind(password_hash)
        .fetch_optional(&mut *tx)
        .await?;
        // Sessions opened with the old password end with it.
        close_sessions(&mut tx, owner).await?;
        let admin = row.map(AdminRow::into_admin).transpose()?;
        if admin.is_some() {
            super::audit::applied(&mut tx, change).await?;
        }
        tx.commit().await?;
        Ok(admin)
    })
    .await
}

/// The UPDATE compares the stored hash with the one the caller verified, so of concurrent
/// changes on one password the first to commit wins; the others find another hash and change
/// nothing.
pub(super) async fn change_password(
    pool: &PgPool,
    id: AdminId,
    (current_hash, new_hash): (String, String),
    keep: TokenHash,
    change: &Change,
) -> Result<Option<Admin>, StoreError> {
    let (current_hash, new_hash) = (&current_hash, &new_hash);
    retrying(|| async move {
        let mut tx = Unit::begin(pool).await?;
        let row: Option<AdminRow> = sqlx::query_as(concat!(
            "UPDATE admins SET password_hash = $3, must_change_password = false, failed_logins = 0, \
             locked_until_ms = NULL, version = version + 1 WHERE id = $1 AND password_hash = $2 RETURNING ",
            admin_columns!()
        ))
        .bind(id.0)
        .bind(current_hash)
        .bind(new_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(admin) = row.map(AdminRow::into_admin).transpose()? else { return Ok(None) };
        // Sessions opened with the old password end with it, but the caller's.
        sqlx::query("DELETE FROM sessions WHERE admin_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(&keep.0[..])
            .execute(&mut *tx)
            .await?;
        tx.commit(change).await?;
        Ok(Some(admin))
    })
    .await
}

pub(super) async fn open_session(pool: &PgPool, session: NewSession) -> Result<(), StoreError> {
    let session = &session;
    retrying(|| async move {
        let mut tx = super::begin::begin(pool).await?;
        // A success ends the run of failures. The UPDATE also locks the account, so it cannot
        // be deleted before the session is in.
        let cleared = sqlx::query("UPDATE admins SET failed_logins = 0, locked_until_ms = NULL WHERE id = $1")
            .bind(session.admin.0)
            .execute(&mut *tx)
            .await?;
        if cleared.rows_affected() == 0 {
            return Ok(());
        }
        sqlx::query("DELETE FROM sessions WHERE admin_id = $1 AND expires_at_ms <= $2")
            .bind(session.admin.0)
            .bind(session.now.0)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO sessions (token_hash, admin_id, expires_at_ms) VALUES ($1, $2, $3)")
            .bind(&session.hash.0[..])
            .bind(session.admin.0)
            .bind(session.expires.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

pub(super) async fn session_admin(pool: &PgPool, hash: TokenHash, now: Timestamp) -> Result<Option<Admin>, StoreError> {
    let row: Option<AdminRow> = sqlx::query_as(concat!(
        "SELECT ",
        admin_columns!(),
        " FROM sessions JOIN admins ON admins.id = sessions.admin_id \
         WHERE sessions.token_hash = $1 AND sessions.expires_at_ms > $2 AND NOT ",
        lineage_disabled!("admins.home_id")
    ))
    .bind(&hash.0[..])
    .bind(now.0)
    .fetch_optional(pool)
    .await
    .map_err(store_error)?;
    row.map(AdminRow::into_admin).transpose()
}

pub(super) async fn close_session(pool: &PgPool, hash: TokenHash) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&hash.0[..])
        .execute(pool)
        .await
        .map_err(store_error)?;
    Ok(())
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn find_login(
        &self,
        instance: &InstanceSlug,
        email_key: &str,
        unknown: UnknownAddressKey,
    ) -> Result<LoginLookup, StoreError> {
        logins::find_login(&self.pool, instance, email_key, unknown).await
    }

    async fn issue_token(&self, admin: AdminId, token: NewOneTimeToken) -> Result<bool, StoreError> {
        issue_token(&self.pool, admin, token).await
    }

    async fn token_holder(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
    ) -> Result<Option<Admin>, StoreError> {
        token_holder(&self.pool, hash, purpose, now).await
    }

    async fn redeem_token(
        &self,
        hash: TokenHash,
        purpose: TokenPurpose,
        now: Timestamp,
        password_hash: String,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError> {
        redeem_token(&self.pool, hash, purpose, now, password_hash, change).await
    }

    async fn change_password(
        &self,
        id: AdminId,
        current_hash: String,
        new_hash: String,
        keep: TokenHash,
        change: &Change,
    ) -> Result<Option<Admin>, StoreError> {
        change_password(&self.pool, id, (current_hash, new_hash), keep, change).await
    }

    async fn record_failed_login(
        &self,
        id: AdminId,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError> {
        logins::record_failed_login(&self.pool, id, now, throttle).await
    }

    async fn record_unknown_address_failure(
        &self,
        unknown: UnknownAddressKey,
        now: Timestamp,
        throttle: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError> {
        logins::record_unknown_address_failure(&self.pool, unknown, now, throttle).await
    }

    async fn open_session(&self, session: NewSession) -> Result<(), StoreError> {
        open_session(&self.pool, session).await
    }

    async fn session_admin(&self, hash: TokenHash, now: Timestamp) -> Result<Option<Admin>, StoreError> {
        session_admin(&self.pool, hash, now).await
    }

    async fn close_session(&self, hash: TokenHash) -> Result<(), StoreError> {
        close_session(&self.pool, hash).await
    }
}
