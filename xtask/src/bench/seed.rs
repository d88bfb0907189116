//! Seeding the hierarchy. The mix, per group (5 nodes): the group itself (with a `draasDomain`), one distributor,
//! one reseller under that distributor, one tenant under the reseller and one tenant directly under the group. So
//! N nodes are N/5 groups, which gives the group list many pages. Small N are seeded over HTTP with concurrent
//! keep-alive connections (the real write path); `--large` seeds PostgreSQL with one SQL script (generate_series).

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::client::{Conn, Endpoint, get_json};

pub const NODES_PER_GROUP: usize = 5;
const SEED_CONNECTIONS: usize = 16;
pub const BASE: &str = "/api/v01/draas/default";

pub fn group_name(i: usize) -> String {
    format!("Group {i:07}")
}

/// Creates `groups` groups and their subtrees over HTTP, as the endpoint's session; returns the first (up to) 100
/// group uuids.
pub fn seed_http(endpoint: &Endpoint, groups: usize) -> Result<Vec<String>> {
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Vec<String>>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..SEED_CONNECTIONS)
            .map(|_| {
                scope.spawn(|| -> Result<Vec<String>> {
                    let mut conn = endpoint.connect()?;
                    let mut uuids = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= groups {
                            return Ok(uuids);
                        }
                        let group = seed_group(&mut conn, i)?;
                        if i < 100 {
                            uuids.push(group);
                        }
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| bail!("a seeding thread panicked"))).collect()
    });
    let mut uuids = Vec::new();
    for result in results {
        uuids.extend(result?);
    }
    Ok(uuids)
}

fn seed_group(conn: &mut Conn, i: usize) -> Result<String> {
    let group = create(conn, "/groups", json!({"name": group_name(i), "draasDomain": format!("g{i}.draas.example")}))?;
    let distributor =
        create(conn, &format!("/groups/{group}/distributors"), json!({"name": format!("Distributor {i}")}))?;
    let reseller =
        create(conn, &format!("/distributors/{distributor}/resellers"), json!({"name": format!("Reseller {i}")}))?;
    create(
        conn,
        &format!("/resellers/{reseller}/tenants"),
        json!({"name": format!("Tenant {i} A"), "tenantId": format!("t{i}-a")}),
    )?;
    create(
        conn,
        &format!("/groups/{group}/tenants"),
        json!({"name": format!("Tenant {i} B"), "tenantId": format!("t{i}-b")}),
    )?;
    Ok(group)
}

fn create(conn: &mut Conn, path: &str, body: Value) -> Result<String> {
    let path = format!("{BASE}{path}");
    let (status, answer) = conn.post_json(&path, &body)?;
    match answer.get("uuid").and_then(Value::as_str) {
        Some(uuid) if status == 200 => Ok(uuid.to_owned()),
        _ => bail!("POST {path} answered {status}: {answer}"),
    }
}

/// The same mix as [`seed_http`], written by SQL into Canopy's schema (counters consistent, `name_key` lowercase).
/// The instance `default` must exist: start Canopy on the database first. Returns the first 100 group uuids.
pub fn seed_sql(psql: &str, database_url: &str, groups: usize) -> Result<Vec<String>> {
    let script = format!(
        r#"
\set ON_ERROR_STOP on
SET synchronous_commit = off;
BEGIN;
CREATE TEMP TABLE seed AS SELECT i,
    md5('g' || i)::uuid AS g, md5('d' || i)::uuid AS d, md5('r' || i)::uuid AS r,
    md5('ta' || i)::uuid AS ta, md5('tb' || i)::uuid AS tb,
    'Group ' || lpad(i::text, 7, '0') AS gname
  FROM generate_series(0, {last}) AS i;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, name_key,
                   draas_domain, tenant_id, tenant_key, nb_distributors, nb_resellers, nb_tenants)
SELECT g, 'default', 'group', NULL, NULL, NULL, NULL, gname, lower(gname), 'g' || i || '.draas.example',
       NULL, NULL, 1, 1, 2 FROM seed;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, name_key,
                   draas_domain, tenant_id, tenant_key, nb_distributors, nb_resellers, nb_tenants)
SELECT d, 'default', 'distributor', g, g, NULL, NULL, 'Distributor ' || i, 'distributor ' || i, NULL,
       NULL, NULL, 0, 1, 1 FROM seed;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, name_key,
                   draas_domain, tenant_id, tenant_key, nb_distributors, nb_resellers, nb_tenants)
SELECT r, 'default', 'reseller', d, g, d, NULL, 'Reseller ' || i, 'reseller ' || i, NULL,
       NULL, NULL, 0, 0, 1 FROM seed;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, name_key,
                   draas_domain, tenant_id, tenant_key, nb_distributors, nb_resellers, nb_tenants)
SELECT ta, 'default', 'tenant', r, g, d, r, 'Tenant ' || i || ' A', 'tenant ' || i || ' a', NULL,
       't' || i || '-a', 't' || i || '-a', 0, 0, 0 FROM seed;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, name_key,
                   draas_domain, tenant_id, tenant_key, nb_distributors, nb_resellers, nb_tenants)
SELECT tb, 'default', 'tenant', g, g, NULL, NULL, 'Tenant ' || i || ' B', 'tenant ' || i || ' b', NULL,
       't' || i || '-b', 't' || i || '-b', 0, 0, 0 FROM seed;
COMMIT;
VACUUM ANALYZE nodes;
SELECT g FROM seed ORDER BY i LIMIT 100;
"#,
        last = groups.saturating_sub(1)
    );
    let mut child = Command::new(psql)
        .args(["-X", "-q", "-t", "-A", "-d", database_url, "-f", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("could not run psql")?;
    std::io::Write::write_all(&mut child.stdin.take().context("psql stdin")?, script.as_bytes())?;
    let output = child.wait_with_output()?;
    if !output.status.success() {
        bail!("seeding by SQL failed: {}", String::from_utf8_lossy(&output.stderr));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(Into::into)
        .collect())
}

/// Follows `next` from the first page of `list` (a path with query) to the page about 3/4 deep; returns that URL
/// (the list path with the `next` token) and the page number it yields.
pub fn deep_page(endpoint: &Endpoint, list: &str) -> Result<(String, u64)> {
    let mut conn = endpoint.connect()?;
    let first = get_json(&mut conn, list)?;
    let pages = first.get("pages").and_then(Value::as_u64).context("the list answer has no `pages`")?;
    let target = (pages * 3 / 4).max(2);
    let mut page = first;
    let mut number = 1;
    let mut url = list.to_owned();
    while number < target {
        let Some(token) = page.get("next").and_then(Value::as_str) else {
            bail!("the list ended at page {number} of {pages} before page {target}");
        };
        url = format!("{}?next={token}", list.split('?').next().unwrap_or(list));
        page = get_json(&mut conn, &url)?;
        number = page.get("page").and_then(Value::as_u64).unwrap_or(number + 1);
    }
    Ok((url, number))
}

/// Gives the configuration at `path` the spec's example properties and 20 more, one of them a secret (which every
/// read masks), so the read scenario serializes a realistic document.
pub fn configure(endpoint: &Endpoint, path: &str) -> Result<()> {
    let mut properties = serde_json::Map::new();
    properties.insert("draas_default_mode".into(), json!("Direct Routing"));
    properties.insert("draas_group".into(), json!("Copaco"));
    properties.insert("draas_oc_onboarding_confirmation_required".into(), json!(true));
    properties.insert("draas_sbc_port".into(), json!(5061));
    properties.insert("draas_sip_password".into(), json!("bench-secret"));
    for i in 0..20 {
        properties.insert(format!("bench_property_{i:02}"), json!(format!("value {i}")));
    }
    let (status, answer) = endpoint.connect()?.post_json(path, &json!({ "properties": properties }))?;
    if !(200..300).contains(&status) {
        bail!("configuring {path} answered {status}: {answer}");
    }
    Ok(())
}
