//! The APIO face: the provisioning API of Netaxis APIO (`apio-tenant-groups.txt`,
//! `apio-call-barring-auth-codes.txt`) over Canopy's tenants, site groups and users, so that an
//! APIO client works with only its base URL and credentials changed. Mounted under
//! `/api/v01/draas/{draas_instance}/apio/api/v1`, and at `/api/v1` for unmodified clients when the
//! server has a default instance; paths are declared with APIO's trailing slash and served
//! without it too. It speaks JSON, takes Canopy's bearer tokens and writes the canopy envelope
//! (APIO's codes in `details.apioCode`). Every rule is the app's: this folder translates.

mod bodies;
mod codes;
mod docs;
mod domains;
mod groups;
mod items;
mod paths;
mod search;
mod users;

use crate::api::HttpMethod::{Delete, Get, Post, Put};
use crate::api::{Bearer, ErrorStyle, Face, Given, JSON, Mount, Route};
use crate::nodes::{DescribedUpdate, SiteGroups, Users};
use canopy_domain::{NodeKind, Owned, Permission, Verb};
use paths::{GroupPath, UserPath};

const DOMAINS: &str = "/domains/";
const TENANT_DOMAINS: &str = "/tenants/{tenant_id}/domains/";
const GROUPS: &str = "/tenants/{tenant_id}/groups/";
const GROUP: &str = "/tenants/{tenant_id}/groups/{group_id}/";
const USERS: &str = "/tenants/{tenant_id}/groups/{group_id}/users/";
const USER: &str = "/tenants/{tenant_id}/groups/{group_id}/users/{user_id}/";
const CODES: &str = "/tenants/{tenant_id}/groups/{group_id}/users/{user_id}/services/outgoing_call_barring/codes/";
const CODE: &str =
    "/tenants/{tenant_id}/groups/{group_id}/users/{user_id}/services/outgoing_call_barring/codes/{code}/";

pub(crate) fn mount() -> Mount {
    let face = Face {
        name: "apio",
        prefix: "/api/v01/draas/{draas_instance}/apio/api/v1",
        alias: Some("/api/v1"),
        errors: ErrorStyle::Envelope,
        media: &[JSON],
        auth: &[&Bearer],
    };
    let (site_group, user) = (NodeKind::SiteGroup, NodeKind::User);
    let codes = |verb| Permission::Owned(user, Owned::AuthCodes, verb).into();
    let tenant_domains = |verb| Permission::Owned(NodeKind::Tenant, Owned::Domains, verb).into();
    let routes = vec![
        Route::new(Get, GROUPS.into(), Permission::List(site_group).into(), groups::search, docs::search),
        Route::new(Post, GROUPS.into(), Permission::Create(site_group).into(), groups::create, docs::create_group),
        Route::new(
            Get,
            GROUP.into(),
            Permission::Read(site_group).into(),
            items::read::<GroupPath>.given(site_group),
            docs::read_group,
        ),
        Route::new(
            Put,
            GROUP.into(),
            Permission::Update(site_group).into(),
            items::update::<GroupPath, DescribedUpdate<SiteGroups>>.given(site_group),
            docs::update_group,
        ),
        Route::new(
            Delete,
            GROUP.into(),
            Permission::Delete(site_group).into(),
            items::delete::<GroupPath>.given(site_group),
            docs::delete_group,
        ),
        Route::new(Get, USERS.into(), Permission::List(user).into(), users::list, docs::list_users),
        Route::new(Post, USERS.into(), Permission::Create(user).into(), users::create, docs::create_user),
        Route::new(
            Get,
            USER.into(),
            Permission::Read(user).into(),
            items::read::<UserPath>.given(user),
            docs::read_user,
        ),
        Route::new(
            Put,
            USER.into(),
            Permission::Update(user).into(),
            items::update::<UserPath, DescribedUpdate<Users>>.given(user),
            docs::update_user,
        ),
        Route::new(
            Delete,
            USER.into(),
            Permission::Delete(user).into(),
            items::delete::<UserPath>.given(user),
            docs::delete_user,
        ),
        Route::new(Get, CODES.into(), codes(Verb::List), codes::list, docs::list_codes),
        Route::new(Post, CODES.into(), codes(Verb::Create), codes::add, docs::add_codes),
        Route::new(Delete, CODES.into(), codes(Verb::Delete), codes::remove_list, docs::remove_codes).unconditional(),
        Route::new(Get, CODE.into(), codes(Verb::Read), codes::read, docs::read_code).secret_path(),
        Route::new(Delete, CODE.into(), codes(Verb::Delete), codes::remove, docs::remove_code)
            .unconditional()
            .secret_path(),
        Route::new(
            Get,
            DOMAINS.into(),
            Permission::InstanceDomains(Verb::List).into(),
            domains::list,
            docs::list_domains,
        ),
        Route::new(
            Post,
            DOMAINS.into(),
            Permission::InstanceDomains(Verb::Create).into(),
            domains::add,
            docs::add_domain,
        ),
        Route::new(
            Get,
            TENANT_DOMAINS.into(),
            tenant_domains(Verb::List),
            domains::tenant_list,
            docs::list_tenant_domains,
        ),
        Route::new(Post, TENANT_DOMAINS.into(), tenant_domains(Verb::Create), domains::assign, docs::assign_domain),
    ];
    Mount { face, routes }
}
