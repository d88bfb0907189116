//! The PostgreSQL adapter of the authorization codes. Every write opens by locking the user's row
//! (`FOR NO KEY UPDATE`): writers of one user's codes take turns, so the domain's check
//! (`NewCodes::admit`) reads the codes stored at that moment and of two lists naming one code
//! exactly one applies; the user's deletion waits too. A list is inserted in one statement of
//! the unit, which commits with its audit entry or not at all.

use super::PostgresStore;
use super::errors::{Fail, retrying, store_error};
use super::unit::{Hold, Unit, node_exists};
use crate::auth_codes::{AuthCodeStore, CodesError};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{AuthCode, AuthCodeEntry, Change, InstanceSlug, NewCodes, NodeId, NodeKind};
use std::collections::BTreeSet;

impl PostgresStore {
    /// Opens a write of the user's codes: the user locked, or `UserNotFound`.
    async fn hold_user(&self, instance: &InstanceSlug, user: NodeId) -> Result<Unit<'_>, Fail<CodesError>> {
        let mut unit = Unit::begin(&self.pool).await?;
        match unit.holds((instance, NodeKind::User, user), Hold::NoKeyUpdate).await? {
            true => Ok(unit),
            false => Err(Fail::Op(CodesError::UserNotFound)),
        }
    }

    async fn add_codes_once(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &NewCodes,
        change: &Change,
    ) -> Result<(), Fail<CodesError>> {
        let mut unit = self.hold_user(instance, user).await?;
        let stored: Vec<String> = sqlx::query_scalar("SELECT code FROM auth_codes WHERE user_id = $1")
            .bind(user.0)
            .fetch_all(&mut *unit)
            .await?;
        let stored: BTreeSet<AuthCode> = stored.into_iter().map(AuthCode::from_stored).collect();
        codes.admit(&stored).map_err(|refused| Fail::Op(CodesError::Invalid(refused)))?;
        let (code, description): (Vec<String>, Vec<Option<String>>) =
            codes.entries().iter().map(|e| (e.code.as_str().to_owned(), e.description.clone())).unzip();
        sqlx::query(
            "INSERT INTO auth_codes (user_id, code, description) SELECT $1, * FROM unnest($2::text[], $3::text[])",
        )
        .bind(user.0)
        .bind(code)
        .bind(description)
        .execute(&mut *unit)
        .await?;
        unit.commit(change).await?;
        Ok(())
    }

    async fn delete_codes_once(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &[AuthCode],
        change: &Change,
    ) -> Result<(), Fail<CodesError>> {
        let mut unit = self.hold_user(instance, user).await?;
        let codes: Vec<String> = codes.iter().map(|code| code.as_str().to_owned()).collect();
        let removed = sqlx::query("DELETE FROM auth_codes WHERE user_id = $1 AND code = ANY($2)")
            .bind(user.0)
            .bind(codes)
            .execute(&mut *unit)
            .await?
            .rows_affected();
        // Deleting what is absent changes nothing and records nothing (the unit rolls back).
        unit.commit_if_changed(removed, change).await?;
        Ok(())
    }
}

#[async_trait]
impl AuthCodeStore for PostgresStore {
    async fn list_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
    ) -> Result<Option<Vec<AuthCodeEntry>>, StoreError> {
        let mut conn = self.pool.acquire().await.map_err(store_error)?;
        if !node_exists(&mut conn, (instance, NodeKind::User, user), None).await.map_err(store_error)? {
            return Ok(None);
        }
        let rows: Vec<(String, Option<String>)> =
            sqlx::query_as("SELECT code, description FROM auth_codes WHERE user_id = $1 ORDER BY code")
                .bind(user.0)
                .fetch_all(&mut *conn)
                .await
                .map_err(store_error)?;
        let entries = rows
            .into_iter()
            .map(|(code, description)| AuthCodeEntry { code: AuthCode::from_stored(code), description });
        Ok(Some(entries.collect()))
    }

    async fn add_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &NewCodes,
        change: &Change,
    ) -> Result<(), CodesError> {
        retrying(|| self.add_codes_once(instance, user, codes, change)).await
    }

    async fn delete_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &[AuthCode],
        change: &Change,
    ) -> Result<(), CodesError> {
        retrying(|| self.delete_codes_once(instance, user, codes, change)).await
    }
}
