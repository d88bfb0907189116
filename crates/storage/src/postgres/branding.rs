//! Branding documents in PostgreSQL: a node's own (migrations/0005_branding_rates.sql, versioned
//! in `owned_versions`, 0008) and the instance's (`instance_branding`, 0010, document and version
//! in one row). Writes lock before they change anything (a node's: `owned::write_owned`; an
//! instance's upserts its row, which locks it). Stored documents are read as stored.

use super::errors::{Fail, retrying, store_error};
use super::owned::{corrupt, write_owned};
use super::owned_versions::parsed;
use super::unit::Unit;
use super::versions::version_of;
use crate::error::{StoreError, VersionedWriteError, WriteOwnedError};
use crate::owned_versions::OwnedDocument;
use canopy_domain::{BrandingDocument, BrandingKey, Change, InstanceSlug, NodeId, Version, check_version};
use sqlx::PgPool;
use uuid::Uuid;

pub(super) async fn documents(
    pool: &PgPool,
    nodes: Vec<NodeId>,
    key: BrandingKey,
) -> Result<(Vec<(NodeId, BrandingDocument)>, Version), StoreError> {
    let ids: Vec<Uuid> = nodes.iter().map(|n| n.0).collect();
    let document = OwnedDocument::Branding(key);
    // One statement, so one snapshot: the version row, joined with the documents found.
    let rows: Vec<(i64, Option<Uuid>, Option<String>)> = sqlx::query_as(
        "SELECT v.version, b.node_id, b.document FROM (SELECT COALESCE((SELECT version FROM owned_versions \
         WHERE node_id = $1[1] AND kind = $3 AND key = $2), 1) AS version) v \
         LEFT JOIN branding_documents b ON b.node_id = ANY($1) AND b.key = $2",
    )
    .bind(&ids)
    .bind(key.as_str())
    .bind(document.kind())
    .fetch_all(pool)
    .await
    .map_err(store_error)?;
    let version = parsed(rows.first().map_or(1, |row| row.0))?;
    let documents = rows
        .into_iter()
        .filter_map(|row| match row {
            (_, Some(id), Some(json)) => Some((id, json)),
            _ => None, // the version's row with no document joined
        })
        .map(|(id, json)| {
            let doc = BrandingDocument::from_stored(&json).map_err(|e| corrupt("branding document", e))?;
            Ok((NodeId(id), doc))
        })
        .collect::<Result<_, StoreError>>()?;
    Ok((documents, version))
}

/// Sets the node's own document (`Some`) or removes it (`None`).
pub(super) async fn write(
    pool: &PgPool,
    node: NodeId,
    key: BrandingKey,
    document: Option<&BrandingDocument>,
    change: &Change,
) -> Result<Version, WriteOwnedError> {
    let json = &document.map(BrandingDocument::to_json);
    write_owned(pool, node, &OwnedDocument::Branding(key), change, || {
        vec![match json {
            Some(json) => sqlx::query(
                "INSERT INTO branding_documents (node_id, key, document) VALUES ($1, $2, $3) \
                 ON CONFLICT (node_id, key) DO UPDATE SET document = EXCLUDED.document",
            )
            .bind(node.0)
            .bind(key.as_str())
            .bind(json),
            None => sqlx::query("DELETE FROM branding_documents WHERE node_id = $1 AND key = $2")
                .bind(node.0)
                .bind(key.as_str()),
        }]
    })
    .await
}

pub(super) async fn instance_document(
    pool: &PgPool,
    instance: &InstanceSlug,
    key: BrandingKey,
) -> Result<(Option<BrandingDocument>, Version), StoreError> {
    let row: Option<(Option<String>, i64)> =
        sqlx::query_as("SELECT document, version FROM instance_branding WHERE instance = $1 AND key = $2")
            .bind(instance.as_str())
            .bind(key.as_str())
            .fetch_optional(pool)
            .await
            .map_err(store_error)?;
    let Some((json, version)) = row else { return Ok((None, Version::FIRST)) };
    let document = json
        .as_deref()
        .map(BrandingDocument::from_stored)
        .transpose()
        .map_err(|e| corrupt("instance branding document", e))?;
    Ok((document, version_of("instance_branding", version)?))
}

/// Sets the instance's own document (`Some`) or removes it (`None`): the upsert locks the row
/// and counts the write, the version is checked, then the document is set.
pub(super) async fn write_instance(
    pool: &PgPool,
    instance: &InstanceSlug,
    key: BrandingKey,
    document: Option<&BrandingDocument>,
    change: &Change,
) -> Result<Version, VersionedWriteError> {
    let json = document.map(BrandingDocument::to_json);
    let json = json.as_deref();
    retrying(|| async move {
        let mut tx = Unit::begin(pool).await?;
        // A document never written is at version 1 (no row): its first write makes it 2.
        let raw: i64 = sqlx::query_scalar(
            "INSERT INTO instance_branding (instance, key, document, version) VALUES ($1, $2, NULL, 2) \
             ON CONFLICT (instance, key) DO UPDATE SET version = instance_branding.version + 1 RETURNING version",
        )
        .bind(instance.as_str())
        .bind(key.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let claimed = version_of("instance_branding", raw)?;
        check_version(change.expected, Version(claimed.0 - 1)).map_err(|m| Fail::Op(m.into()))?;
        sqlx::query("UPDATE instance_branding SET document = $3 WHERE instance = $1 AND key = $2")
            .bind(instance.as_str())
            .bind(key.as_str())
            .bind(json)
            .execute(&mut *tx)
            .await?;
        tx.commit(change).await?;
        Ok(claimed)
    })
    .await
}
