//! The PostgreSQL adapter of the configuration port (migrations/0004_configuration.sql).
//!
//! # Concurrency
//!
//! A write locks its node's row `FOR NO KEY UPDATE`, then reads the stored properties in a
//! snapshot taken under the lock (READ COMMITTED: a new one per statement), applies the domain's
//! [`ConfigWrite::apply`] to them and writes the difference. Writes of one node are thus
//! serialized (two `PUT`s never interleave their keys, an upsert never loses a concurrent one's
//! keys) and a masked secret resolves to the value committed last. The lock is the one a node's
//! deletion (`FOR UPDATE`) and a child's creation (`FOR NO KEY UPDATE` on its parent) take too:
//! a write sees its node or finds it gone, never writes under a deleted one. A write holds that
//! single row lock only, so it cannot close a cycle with the root-first order of the others.
//! Reads take no locks: one statement, one snapshot (with the version).
//!
//! Both steps are [`Unit::owned`]'s (with [`Hold::NoKeyUpdate`]): after the node's lock a write
//! locks, checks and counts the configuration's version before it reads or changes anything.

use super::PostgresStore;
use super::errors::{Fail, retrying, store_error};
use super::owned_versions::parsed;
use super::rows::corrupt_in;
use super::unit::{Hold, Unit};
use crate::configurations::{ConfigStore, WriteConfigError};
use crate::error::StoreError;
use crate::owned_versions::OwnedDocument::Configuration;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{ConfigWrite, NodeId, Properties, PropertyKey, PropertyValue, ValueType, Version};
use sqlx::PgConnection;
use std::collections::BTreeSet;

/// One stored property: `(key, value_type, value)`.
type PropertyRow = (String, String, String);

/// A property read back, parsed with the domain's constructors. A row that no longer parses is
/// reported by its key and column, never with its value (it may be a secret).
fn parse_row((key, value_type, value): PropertyRow) -> Result<(PropertyKey, PropertyValue), StoreError> {
    let corrupt = |column, reason: String| corrupt_in("configurations", column, reason);
    let parsed_key = PropertyKey::parse(&key).map_err(|_| corrupt("key", format!("{key:?} is not a key")))?;
    let parsed_type = ValueType::parse(&value_type)
        .ok_or_else(|| corrupt("value_type", format!("{value_type:?} of property {key}")))?;
    let parsed = PropertyValue::from_stored(parsed_type, &value)
        .ok_or_else(|| corrupt("value", format!("the value of property {key} is not a {value_type}")))?;
    Ok((parsed_key, parsed))
}

async fn stored<E: From<StoreError>>(conn: &mut PgConnection, node: NodeId) -> Result<Properties, Fail<E>> {
    let rows: Vec<PropertyRow> =
        sqlx::query_as("SELECT key, value_type, value FROM configurations WHERE node_id = $1 ORDER BY key")
            .bind(node.0)
            .fetch_all(conn)
            .await?;
    Ok(rows.into_iter().map(parse_row).collect::<Result<Properties, StoreError>>()?)
}

impl PostgresStore {
    async fn write_once(
        &self,
        node: NodeId,
        write: &ConfigWrite,
        change: &Change,
    ) -> Result<Version, Fail<WriteConfigError>> {
        let (mut tx, version) = Unit::owned(&self.pool, (node, Hold::NoKeyUpdate), &Configuration, change).await?;
        let before = stored(&mut tx, node).await?;
        let after = write.apply(&before).map_err(|err| Fail::Op(WriteConfigError::Invalid(err)))?;
        let removed: Vec<&str> =
            before.iter().map(|(key, _)| key.as_str()).filter(|key| after.get(key).is_none()).collect();
        if !removed.is_empty() {
            sqlx::query("DELETE FROM configurations WHERE node_id = $1 AND key = ANY($2)")
                .bind(node.0)
                .bind(&removed[..])
                .execute(&mut *tx)
                .await?;
        }
        let (mut keys, mut types, mut values) = (Vec::new(), Vec::new(), Vec::new());
        for (key, value) in after.iter().filter(|(key, value)| before.get(key.as_str()) != Some(*value)) {
            let (value_type, text) = value.to_stored();
            keys.push(key.as_str());
            types.push(value_type.as_str());
            values.push(text);
        }
        if !keys.is_empty() {
            // Values are bound parameters, never part of the statement's text (which may be logged).
            sqlx::query(
                "INSERT INTO configurations (node_id, key, value_type, value) \
                 SELECT $1, k, t, v FROM unnest($2::text[], $3::text[], $4::text[]) AS u(k, t, v) \
                 ON CONFLICT (node_id, key) DO UPDATE SET value_type = EXCLUDED.value_type, value = EXCLUDED.value",
            )
            .bind(node.0)
            .bind(&keys[..])
            .bind(&types[..])
            .bind(&values[..])
            .execute(&mut *tx)
            .await?;
        }
        tx.commit(change).await?;
        Ok(version)
    }

    async fn delete_keys_once(
        &self,
        node: NodeId,
        keys: &BTreeSet<PropertyKey>,
        change: &Change,
    ) -> Result<Version, Fail<WriteConfigError>> {
        let (mut tx, version) = Unit::owned(&self.pool, (node, Hold::NoKeyUpdate), &Configuration, change).await?;
        let keys: Vec<&str> = keys.iter().map(PropertyKey::as_str).collect();
        sqlx::query("DELETE FROM configurations WHERE node_id = $1 AND key = ANY($2)")
            .bind(node.0)
            .bind(&keys[..])
            .execute(&mut *tx)
            .await?;
        tx.commit(change).await?;
        Ok(version)
    }
}

#[async_trait]
impl ConfigStore for PostgresStore {
    async fn get_config(&self, node: NodeId) -> Result<Option<(Properties, Version)>, StoreError> {
        // One statement: whether the node exists, its properties and their version, in one snapshot.
        let rows: Vec<(i64, Option<String>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT COALESCE((SELECT version FROM owned_versions WHERE node_id = $1 AND kind = $2 AND key = $3), 1), \
             c.key, c.value_type, c.value FROM nodes n \
             LEFT JOIN configurations c ON c.node_id = n.id WHERE n.id = $1 ORDER BY c.key",
        )
        .bind(node.0)
        .bind(Configuration.kind())
        .bind(Configuration.key())
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        let Some(&(version, ..)) = rows.first() else { return Ok(None) };
        let properties = rows
            .into_iter()
            .filter_map(|row| match row {
                (_, Some(key), Some(value_type), Some(value)) => Some(parse_row((key, value_type, value))),
                _ => None, // the node's row with no property joined
            })
            .collect::<Result<Properties, StoreError>>()?;
        Ok(Some((properties, parsed(version)?)))
    }

    async fn write_config(
        &self,
        node: NodeId,
        write: &ConfigWrite,
        change: &Change,
    ) -> Result<Version, WriteConfigError> {
        retrying(|| self.write_once(node, write, change)).await
    }

    async fn delete_config_keys(
        &self,
        node: NodeId,
        keys: &BTreeSet<PropertyKey>,
        change: &Change,
    ) -> Result<Version, WriteConfigError> {
        retrying(|| self.delete_keys_once(node, keys, change)).await
    }
}
