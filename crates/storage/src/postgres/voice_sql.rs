//! The statements of the voice routing adapter (`voice_routing.rs`): locking linked usages,
//! writing objects and links, reading rows back into domain values. Every dynamic statement is
//! assembled from the fixed fragments of [`Table`]: never client text.

use super::errors::{Fail, store_error};
use super::versions::version_of;
use super::voice_list::Table;
use crate::error::StoreError;
use crate::voice_routing::VoiceWriteError;
use canopy_domain::{
    NodeId, NodeName, Priority, PstnUsage, Referrer, RoutePattern, UsageLinks, UsageRef, Version, VoiceId, VoiceKind,
    VoiceRoute, VoiceRoutingPolicy, missing_usages,
};
use sqlx::postgres::PgRow;
use sqlx::{AssertSqlSafe, PgConnection, Row};

/// A stored name, read as stored: one that predates a rule of `NodeName::parse` still reads.
pub(super) fn name_of(stored: &str) -> NodeName {
    NodeName::from_stored(stored)
}

/// The linked usages of each row: two arrays in link order, read in the row's own statement.
pub(super) fn usages_of(row: &PgRow) -> Result<Vec<UsageRef>, StoreError> {
    let ids: Vec<i64> = row.try_get("usage_ids").map_err(store_error)?;
    let names: Vec<String> = row.try_get("usage_names").map_err(store_error)?;
    ids.into_iter().zip(names).map(|(id, name)| Ok(UsageRef { id: VoiceId(id), name: name_of(&name) })).collect()
}

/// Locks the linked usages of the group against deletion until commit; refuses missing ones.
pub(super) async fn lock_usages(
    conn: &mut PgConnection,
    group: NodeId,
    links: &UsageLinks,
) -> Result<Vec<UsageRef>, Fail<VoiceWriteError>> {
    if links.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<i64> = links.ids().iter().map(|id| id.0).collect();
    let found: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, name FROM pstn_usages WHERE group_id = $1 AND id = ANY($2) ORDER BY id FOR KEY SHARE",
    )
    .bind(group.0)
    .bind(&ids)
    .fetch_all(&mut *conn)
    .await?;
    let missing = missing_usages(links, |id| found.iter().any(|(f, _)| *f == id.0));
    if !missing.is_empty() {
        return Err(Fail::Op(VoiceWriteError::UnknownUsages(missing)));
    }
    links
        .ids()
        .iter()
        .map(|id| {
            let name = &found.iter().find(|(f, _)| *f == id.0).expect("checked above").1;
            Ok(UsageRef { id: *id, name: name_of(name) })
        })
        .collect()
}

/// Replaces the links of a route or policy (the caller has locked the usages).
pub(super) async fn set_links(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    id: VoiceId,
    links: &UsageLinks,
) -> Result<(), sqlx::Error> {
    let (links_table, owner) = table.links().expect("routes and policies have links");
    sqlx::query(AssertSqlSafe(format!("DELETE FROM {links_table} WHERE {owner} = $1")))
        .bind(id.0)
        .execute(&mut *conn)
        .await?;
    let ids: Vec<i64> = links.ids().iter().map(|id| id.0).collect();
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {links_table} (group_id, {owner}, pstn_usage_id, position) \
         SELECT $1, $2, u, p::integer FROM unnest($3::bigint[]) WITH ORDINALITY AS t(u, p)"
    )))
    .bind(group.0)
    .bind(id.0)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Inserts a named object in a group that exists; `GroupNotFound` otherwise.
pub(super) async fn insert_named(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    name: &NodeName,
    route: Option<(&RoutePattern, Priority)>,
) -> Result<VoiceId, Fail<VoiceWriteError>> {
    let (extra_columns, extra_values) = if route.is_some() { (", pattern, priority", ", $4, $5") } else { ("", "") };
    let sql = format!(
        "INSERT INTO {} (group_id, name, name_key{extra_columns}) SELECT $1, $2, $3{extra_values} \
         WHERE EXISTS (SELECT 1 FROM nodes WHERE id = $1 AND kind = 'group') RETURNING id",
        table.name()
    );
    let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql)).bind(group.0).bind(name.as_str()).bind(name.key());
    if let Some((pattern, priority)) = route {
        query = query.bind(pattern.as_str()).bind(priority.get());
    }
    let id = query.fetch_optional(conn).await?.ok_or(Fail::Op(VoiceWriteError::GroupNotFound))?;
    Ok(VoiceId(id))
}

/// Renames (and for routes re-patterns) an object of the group, one version up; `NotFound` when
/// there is none. Answers the new version.
pub(super) async fn update_named(
    conn: &mut PgConnection,
    table: Table,
    group: NodeId,
    id: VoiceId,
    name: Option<&NodeName>,
    route: (Option<&RoutePattern>, Option<Priority>),
) -> Result<Version, Fail<VoiceWriteError>> {
    let route_sets = if table == Table::Routes {
        ", pattern = coalesce($5, pattern), priority = coalesce($6, priority)"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE {} SET name = coalesce($3, name), name_key = coalesce($4, name_key), version = version + 1{route_sets} \
         WHERE group_id = $1 AND id = $2 RETURNING version",
        table.name()
    );
    let mut query = sqlx::query_scalar::<_, i64>(AssertSqlSafe(sql))
        .bind(group.0)
        .bind(id.0)
        .bind(name.map(|n| n.as_str()))
        .bind(name.map(|n| n.key()));
    if table == Table::Routes {
        query = query.bind(route.0.map(|p| p.as_str())).bind(route.1.map(|p| p.get()));
    }
    let version = query.fetch_optional(&mut *conn).await?.ok_or(Fail::Op(VoiceWriteError::NotFound))?;
    Ok(version_of(table.name(), version)?)
}

pub(super) async fn read_route<E: From<StoreError>>(
    conn: &mut PgConnection,
    id: VoiceId,
) -> Result<VoiceRoute, Fail<E>> {
    let row =
        sqlx::query(AssertSqlSafe(format!("SELECT {} FROM voice_routes t WHERE t.id = $1", Table::Routes.columns())))
            .bind(id.0)
            .fetch_one(conn)
            .await?;
    Ok(route_of(&row)?)
}

pub(super) async fn read_policy<E: From<StoreError>>(
    conn: &mut PgConnection,
    id: VoiceId,
) -> Result<VoiceRoutingPolicy, Fail<E>> {
    let row = sqlx::query(AssertSqlSafe(format!(
        "SELECT {} FROM voice_routing_policies t WHERE t.id = $1",
        Table::Policies.columns()
    )))
    .bind(id.0)
    .fetch_one(conn)
    .await?;
    Ok(policy_of(&row)?)
}

pub(super) fn usage_of(row: &PgRow) -> Result<PstnUsage, StoreError> {
    Ok(PstnUsage {
        id: VoiceId(row.try_get("id").map_err(store_error)?),
        group: NodeId(row.try_get("group_id").map_err(store_error)?),
        name: name_of(row.try_get("name").map_err(store_error)?),
        version: version_of("pstn_usages", row.try_get("version").map_err(store_error)?)?,
    })
}

pub(super) fn route_of(row: &PgRow) -> Result<VoiceRoute, StoreError> {
    let usage = usage_of(row)?;
    let pattern: String = row.try_get("pattern").map_err(store_error)?;
    let priority: i32 = row.try_get("priority").map_err(store_error)?;
    let invalid = |err: canopy_domain::DomainError| StoreError::Backend(format!("stored route invalid: {err}").into());
    Ok(VoiceRoute {
        id: usage.id,
        group: usage.group,
        name: usage.name,
        pattern: RoutePattern::parse(&pattern).map_err(invalid)?,
        priority: Priority::parse(i64::from(priority)).map_err(invalid)?,
        usages: usages_of(row)?,
        version: usage.version,
    })
}

pub(super) fn policy_of(row: &PgRow) -> Result<VoiceRoutingPolicy, StoreError> {
    let usage = usage_of(row)?;
    let usages = usages_of(row)?;
    Ok(VoiceRoutingPolicy { id: usage.id, group: usage.group, name: usage.name, usages, version: usage.version })
}

pub(super) async fn referrers<E: From<StoreError>>(
    conn: &mut PgConnection,
    group: NodeId,
    usage: VoiceId,
) -> Result<Vec<Referrer>, Fail<E>> {
    let rows: Vec<(String, i64, String)> = sqlx::query_as(
        "SELECT 'route', r.id, r.name FROM route_pstn_usages l JOIN voice_routes r ON r.id = l.route_id \
         WHERE l.group_id = $1 AND l.pstn_usage_id = $2 \
         UNION ALL SELECT 'policy', p.id, p.name FROM policy_pstn_usages l \
         JOIN voice_routing_policies p ON p.id = l.policy_id WHERE l.group_id = $1 AND l.pstn_usage_id = $2",
    )
    .bind(group.0)
    .bind(usage.0)
    .fetch_all(conn)
    .await?;
    rows.into_iter()
        .map(|(kind, id, name)| {
            let kind = if kind == "route" { VoiceKind::VoiceRoute } else { VoiceKind::VoiceRoutingPolicy };
            Ok(Referrer { kind, id: VoiceId(id), name: name_of(&name) })
        })
        .collect()
}
