//! Seeding the hierarchy. The mix ([`Mix`]): groups of 5 nodes each (the group itself with a `draasDomain`, one
//! distributor, one reseller under that distributor, one tenant under the reseller and one tenant directly under the
//! group), and one tenant of site groups: the last group's second tenant holds S site groups (N/100, at most 100) of
//! 4 users each, every user with 5 authorization codes. A site group with its users is 5 nodes, so it takes the
//! place of one group: N nodes are N/5 − S groups and S site groups. Small N are seeded over HTTP with concurrent
//! keep-alive connections (the real write path); `--large` seeds PostgreSQL with one SQL script ([`sql`]).

pub mod sql;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::client::{Conn, Endpoint, get_json};

pub const NODES_PER_GROUP: usize = 5;
pub const USERS_PER_SITE_GROUP: usize = 4;
pub const CODES_PER_USER: usize = 5;
/// The tenant of site groups holds N/100 of them, at most this many: a tenant's site groups do not grow with the
/// platform, so the large run reads the same tenant as the small one.
pub const MAX_SITE_GROUPS: usize = 100;
const USER_LIMIT: usize = 25;
/// The site groups' `groupName`s cycle through these cities; the APIO search looks for the first.
const CITIES: [&str; 4] = ["Brussels", "Antwerp", "Ghent", "Liege"];
const SEED_CONNECTIONS: usize = 16;
/// How many group uuids the seed returns (the create scenario's parents).
const FIRST_GROUPS: usize = 100;
pub const BASE: &str = "/api/v01/draas/default";
pub const APIO: &str = "/api/v01/draas/default/apio/api/v1";

// A site group with its users takes the place of exactly one group's nodes.
const _: () = assert!(1 + USERS_PER_SITE_GROUP == NODES_PER_GROUP);

/// How N nodes are split between groups (5 nodes each) and the site groups of the last group's second tenant (5
/// nodes each, with their users).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mix {
    pub groups: usize,
    pub site_groups: usize,
}

impl Mix {
    pub fn of(nodes: usize) -> Self {
        let site_groups = (nodes / 100).clamp(1, MAX_SITE_GROUPS);
        Mix { groups: (nodes / NODES_PER_GROUP).saturating_sub(site_groups), site_groups }
    }

    /// The nodes seeded: N rounded down to a multiple of 5.
    pub fn nodes(&self) -> usize {
        self.groups * NODES_PER_GROUP + self.site_groups * (1 + USERS_PER_SITE_GROUP)
    }

    /// The group whose second tenant holds the site groups: the last one.
    pub fn site_groups_group(&self) -> usize {
        self.groups.saturating_sub(1)
    }
}

pub fn group_name(i: usize) -> String {
    format!("Group {i:07}")
}

/// The `tenantId` of group `i`'s second tenant (directly under the group).
pub fn tenant_b_id(i: usize) -> String {
    format!("t{i}-b")
}

/// The canopy-face body of site group `j` (its `groupId` is its name).
pub fn site_group_body(j: usize) -> Value {
    json!({
        "groupId": format!("site-{j:04}"),
        "groupName": format!("{} office {j}", CITIES[j % CITIES.len()]),
        "userLimit": USER_LIMIT,
    })
}

/// The canopy-face body of user `k` of site group `j` (its `userId` is its name, unique in the instance).
pub fn user_body(j: usize, k: usize) -> Value {
    json!({ "userId": format!("user-{j:04}-{k}"), "firstName": format!("Bench{k}"), "lastName": format!("User {j:04}") })
}

/// The APIO body adding a user's codes: the same digits for every user (codes are unique per user only).
pub fn codes_body() -> Value {
    let codes: Vec<Value> = (0..CODES_PER_USER)
        .map(|c| json!({ "code": (1000 + c).to_string(), "description": format!("code {c}") }))
        .collect();
    json!({ "authCodes": codes })
}

fn text(body: &Value, field: &str) -> String {
    body.get(field).and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// What the scenarios read: the first (up to) 100 groups, and the tenant of site groups with its first site group
/// and that site group's first user (which has codes).
#[derive(Clone, Debug)]
pub struct Seeded {
    pub groups: Vec<String>,
    pub tenant_id: String,
    pub site_group: String,
    pub group_id: String,
    pub user: String,
    pub user_id: String,
}

impl Seeded {
    /// `GET …/apio/api/v1/tenants/{tenant_id}/groups/` with a criterion and a page: the site groups whose
    /// `groupName` contains the first city, case-insensitively (a quarter of them), rows 11 to 20.
    pub fn apio_search(&self) -> String {
        format!(
            "{APIO}/tenants/{}/groups/?insensitiveGroupNameContains={}&startIndex=11&pageSize=10",
            self.tenant_id,
            CITIES[0].to_lowercase()
        )
    }

    /// The APIO path of the measured user's outgoing call barring authorization codes.
    pub fn apio_codes(&self) -> String {
        format!(
            "{APIO}/tenants/{}/groups/{}/users/{}/services/outgoing_call_barring/codes/",
            self.tenant_id, self.group_id, self.user_id
        )
    }

    /// The uuids of site group 0 and its user 0 with the other fields, for both ways of seeding.
    fn new(groups: Vec<String>, mix: Mix, site_group: String, user: String) -> Self {
        Seeded {
            groups,
            tenant_id: tenant_b_id(mix.site_groups_group()),
            site_group,
            group_id: text(&site_group_body(0), "groupId"),
            user,
            user_id: text(&user_body(0, 0), "userId"),
        }
    }
}

/// Seeds `mix` over HTTP, as the endpoint's session: the groups, then the site groups with their users and codes.
pub fn seed_http(endpoint: &Endpoint, mix: Mix) -> Result<Seeded> {
    let last = mix.site_groups_group();
    let mut groups = seed_groups(endpoint, last)?;
    let (last_group, tenant) = seed_group(&mut endpoint.connect()?, last)?;
    if groups.len() < FIRST_GROUPS {
        groups.push(last_group);
    }
    let tenant_id = tenant_b_id(last);
    let site_groups = parallel(endpoint, mix.site_groups, |conn, j| seed_site_group(conn, &tenant, &tenant_id, j))?;
    let (site_group, user) = site_groups.into_iter().next().context("no site group was seeded")?;
    Ok(Seeded::new(groups, mix, site_group, user))
}

/// Creates `groups` groups and their subtrees (without site groups) over HTTP, as the endpoint's session; returns
/// the first (up to) 100 group uuids.
pub fn seed_groups(endpoint: &Endpoint, groups: usize) -> Result<Vec<String>> {
    let firsts = parallel(endpoint, groups, |conn, i| {
        let (group, _) = seed_group(conn, i)?;
        Ok((i < FIRST_GROUPS).then_some(group))
    })?;
    Ok(firsts.into_iter().flatten().collect())
}

/// Runs `work(conn, i)` for every i in 0..count on [`SEED_CONNECTIONS`] keep-alive connections; the results in the
/// order of i.
fn parallel<T: Send>(
    endpoint: &Endpoint,
    count: usize,
    work: impl Fn(&mut Conn, usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let next = AtomicUsize::new(0);
    let results: Vec<Result<Vec<(usize, T)>>> = thread::scope(|scope| {
        let workers: Vec<_> = (0..SEED_CONNECTIONS.min(count))
            .map(|_| {
                scope.spawn(|| -> Result<Vec<(usize, T)>> {
                    let mut conn = endpoint.connect()?;
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return Ok(done);
                        }
                        done.push((i, work(&mut conn, i)?));
                    }
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| bail!("a seeding thread panicked"))).collect()
    });
    let mut all = Vec::with_capacity(count);
    for result in results {
        all.extend(result?);
    }
    all.sort_unstable_by_key(|(i, _)| *i);
    Ok(all.into_iter().map(|(_, t)| t).collect())
}

/// Group `i` and its subtree; the uuids of the group and of its second tenant.
fn seed_group(conn: &mut Conn, i: usize) -> Result<(String, String)> {
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
    let tenant = create(
        conn,
        &format!("/groups/{group}/tenants"),
        json!({"name": format!("Tenant {i} B"), "tenantId": tenant_b_id(i)}),
    )?;
    Ok((group, tenant))
}

/// Site group `j` of `tenant`, its users and their codes (through the APIO face, as an APIO client adds them); the
/// uuids of the site group and of its first user.
fn seed_site_group(conn: &mut Conn, tenant: &str, tenant_id: &str, j: usize) -> Result<(String, String)> {
    let body = site_group_body(j);
    let group_id = text(&body, "groupId");
    let site_group = create(conn, &format!("/tenants/{tenant}/site_groups"), body)?;
    let mut first = None;
    for k in 0..USERS_PER_SITE_GROUP {
        let body = user_body(j, k);
        let user_id = text(&body, "userId");
        let user = create(conn, &format!("/site_groups/{site_group}/users"), body)?;
        first.get_or_insert(user);
        let codes = format!(
            "{APIO}/tenants/{tenant_id}/groups/{group_id}/users/{user_id}/services/outgoing_call_barring/codes/"
        );
        let (status, answer) = conn.post_json(&codes, &codes_body())?;
        if status != 201 {
            bail!("POST {codes} answered {status}: {answer}");
        }
    }
    Ok((site_group, first.context("a site group without users")?))
}

fn create(conn: &mut Conn, path: &str, body: Value) -> Result<String> {
    let path = format!("{BASE}{path}");
    let (status, answer) = conn.post_json(&path, &body)?;
    match answer.get("uuid").and_then(Value::as_str) {
        Some(uuid) if status == 200 => Ok(uuid.to_owned()),
        _ => bail!("POST {path} answered {status}: {answer}"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_keeps_n_nodes_and_about_n_over_5_groups() {
        assert_eq!(Mix::of(10_000), Mix { groups: 1_900, site_groups: 100 });
        assert_eq!(Mix::of(10_000).nodes(), 10_000);
        assert_eq!(Mix::of(1_000_000), Mix { groups: 199_900, site_groups: 100 });
        assert_eq!(Mix::of(1_000_000).nodes(), 1_000_000);
        assert_eq!(Mix::of(1_000), Mix { groups: 190, site_groups: 10 });
        // Rounded down to a multiple of 5, never above N.
        assert_eq!(Mix::of(10_003).nodes(), 10_000);
        assert_eq!(Mix::of(500).site_groups, 5);
    }

    #[test]
    fn the_apio_paths_name_the_seeded_keys() {
        let seeded = Seeded::new(vec![], Mix::of(10_000), "sg".into(), "u".into());
        assert_eq!(seeded.tenant_id, "t1899-b");
        assert_eq!(
            seeded.apio_codes(),
            "/api/v01/draas/default/apio/api/v1/tenants/t1899-b/groups/site-0000/users/user-0000-0/services/\
             outgoing_call_barring/codes/"
        );
        assert!(seeded.apio_search().contains("/tenants/t1899-b/groups/?insensitiveGroupNameContains=brussels&"));
        // A quarter of the site groups match the search.
        let matching = (0..MAX_SITE_GROUPS).filter(|&j| text(&site_group_body(j), "groupName").contains("Brussels"));
        assert_eq!(matching.count(), MAX_SITE_GROUPS / 4);
    }
}
