//! The mix of [`super::Mix`] written by SQL into Canopy's schema, for `--large` on PostgreSQL: the groups' blocks by
//! `generate_series`, the site groups, users and codes as literal rows made from the same bodies the HTTP seed
//! sends (so both ways name them alike). Counters consistent, keys lowercase (every seeded text is ASCII, where
//! `lower()` is the domain's key), no audit entries.

use std::fmt::Write as _;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value};

use super::{CODES_PER_USER, Mix, Seeded, USERS_PER_SITE_GROUP, codes_body, site_group_body, text as field, user_body};

/// Seeds `mix` into the database at `database_url`. The instance `default` must exist: start Canopy on the
/// database first.
pub fn seed_sql(psql: &str, database_url: &str, mix: Mix) -> Result<Seeded> {
    let script = script(mix);
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
    let stdout = String::from_utf8_lossy(&output.stdout);
    let tagged = |tag: &str| -> Vec<String> {
        stdout.lines().filter_map(|l| l.trim().strip_prefix(tag)).map(|v| v.trim().to_owned()).collect()
    };
    let one = |tag: &str| tagged(tag).into_iter().next().with_context(|| format!("the seed printed no `{tag}`"));
    Ok(Seeded::new(tagged("group "), mix, one("site_group ")?, one("user ")?))
}

/// The attributes column of a node seeded with `body`: its fields but the one that is its name.
fn attributes(body: &Value, name_field: &str) -> String {
    let mut fields: Map<String, Value> = body.as_object().cloned().unwrap_or_default();
    fields.remove(name_field);
    Value::Object(fields).to_string()
}

/// A SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn script(mix: Mix) -> String {
    let last = mix.site_groups_group();
    let (site_groups, users) = (mix.site_groups, mix.site_groups * USERS_PER_SITE_GROUP);
    let mut rows = String::new();
    for j in 0..site_groups {
        let body = site_group_body(j);
        let name = field(&body, "groupId");
        let _ = writeln!(
            rows,
            "{}({j}, {}, {}, {}, {}, {USERS_PER_SITE_GROUP})",
            if j == 0 { "" } else { "," },
            literal(&name),
            literal(&name.to_lowercase()),
            literal(&attributes(&body, "groupId")),
            literal(&field(&body, "groupName").to_lowercase()),
        );
    }
    let mut user_rows = String::new();
    for j in 0..site_groups {
        for k in 0..USERS_PER_SITE_GROUP {
            let body = user_body(j, k);
            let name = field(&body, "userId");
            let _ = writeln!(
                user_rows,
                "{}({j}, {k}, {}, {}, {}, {}, {})",
                if j == 0 && k == 0 { "" } else { "," },
                literal(&name),
                literal(&name.to_lowercase()),
                literal(&attributes(&body, "userId")),
                literal(&field(&body, "firstName").to_lowercase()),
                literal(&field(&body, "lastName").to_lowercase()),
            );
        }
    }
    let codes: Vec<String> = codes_body()["authCodes"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| format!("({}, {})", literal(&field(c, "code")), literal(&field(c, "description"))))
        .collect();
    debug_assert_eq!(codes.len(), CODES_PER_USER);
    format!(
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

-- The site groups of the last group's second tenant, their users and the users' codes.
CREATE TEMP TABLE site_seed (j int, name text, name_key text, attributes text, group_name_key text, nb_users int);
INSERT INTO site_seed VALUES
{rows};
CREATE TEMP TABLE user_seed (j int, k int, name text, name_key text, attributes text, first_key text, last_key text);
INSERT INTO user_seed VALUES
{user_rows};
INSERT INTO nodes (id, instance, kind, parent_id, group_id, tenant_node_id, name, name_key, attributes,
                   group_name_key, nb_users)
SELECT md5('sg' || j)::uuid, 'default', 'site_group', md5('tb{last}')::uuid, md5('g{last}')::uuid,
       md5('tb{last}')::uuid, name, name_key, attributes::jsonb, group_name_key, nb_users FROM site_seed;
INSERT INTO nodes (id, instance, kind, parent_id, group_id, tenant_node_id, site_group_id, name, name_key,
                   attributes, first_name_key, last_name_key)
SELECT md5('u' || j || '-' || k)::uuid, 'default', 'user', md5('sg' || j)::uuid, md5('g{last}')::uuid,
       md5('tb{last}')::uuid, md5('sg' || j)::uuid, name, name_key, attributes::jsonb, first_key, last_key
  FROM user_seed;
INSERT INTO auth_codes (user_id, code, description)
SELECT md5('u' || j || '-' || k)::uuid, code, description
  FROM user_seed, (VALUES {codes}) AS codes (code, description);
UPDATE nodes SET nb_site_groups = nb_site_groups + {site_groups}, nb_users = nb_users + {users}
 WHERE id IN (md5('g{last}')::uuid, md5('tb{last}')::uuid);
COMMIT;
VACUUM ANALYZE nodes;
VACUUM ANALYZE auth_codes;
SELECT 'group ' || g FROM seed ORDER BY i LIMIT 100;
SELECT 'site_group ' || md5('sg0')::uuid;
SELECT 'user ' || md5('u0-0')::uuid;
"#,
        codes = codes.join(", "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_writes_the_site_groups_users_and_codes_of_the_mix() {
        let script = script(Mix::of(10_000));
        assert!(script.contains("generate_series(0, 1899)"));
        // The site group's attributes are its body less its name, its keys lowercase.
        assert!(script.contains(
            r#"(0, 'site-0000', 'site-0000', '{"groupName":"Brussels office 0","userLimit":25}', 'brussels office 0', 4)"#
        ));
        assert!(script.contains(r#",(99, 'site-0099', 'site-0099', '{"groupName":"Liege office 99","#));
        assert!(
            script.contains(r#"(0, 0, 'user-0000-0', 'user-0000-0', '{"firstName":"Bench0","lastName":"User 0000"}'"#)
        );
        assert!(script.contains("(VALUES ('1000', 'code 0'), ('1001', 'code 1'),"));
        assert!(script.contains("nb_site_groups = nb_site_groups + 100, nb_users = nb_users + 400"));
        assert!(script.contains("md5('tb1899')::uuid"));
    }

    #[test]
    fn literals_escape_quotes() {
        assert_eq!(literal("it's"), "'it''s'");
    }
}
