//! The portal's settings of a group (L44795–L50739): its flags, its logon IP list (also at
//! `…/limits/logon_ips`, the seed's copy), its agents' automatic update and its local backup
//! restriction, and all of them together. Kept as properties of the node's
//! general configuration by the app (`ConfigService::flags`, `logon_ips`): versioned, audited,
//! visible on Canopy's own face.

use super::groups::{node_of, place};
use super::named::GroupPath;
use super::settings_docs as docs;
use crate::api::HttpMethod::{Delete, Get, Post};
use crate::api::{Access, FaceInstance, Route};
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::versioning::tagged;
use axum::Json;
use axum::response::Response;
use canopy_app::{App, LogonIps};
use canopy_domain::{NodeKind, Principal};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

const AUTOUPDATE: &str = "/groups/{group}/settings/agents_autoupdate";
const LOCAL_BACKUP: &str = "/groups/{group}/settings/local_backup_restriction";

pub(super) fn routes() -> Vec<Route> {
    let access = Access::Authenticated;
    let mut routes = vec![
        Route::new(Get, "/groups/{group}/settings".to_owned(), access, all, docs::settings),
        Route::new(Get, "/groups/{group}/settings/flags".to_owned(), access, flags, docs::flags),
        Route::new(Post, "/groups/{group}/settings/flags".to_owned(), access, set_flags, docs::set_flags),
        Route::new(Get, AUTOUPDATE.to_owned(), access, autoupdate, docs::autoupdate),
        Route::new(Post, AUTOUPDATE.to_owned(), access, set_autoupdate, docs::set_autoupdate),
        Route::new(Get, LOCAL_BACKUP.to_owned(), access, local_backup, docs::local_backup),
        Route::new(Post, LOCAL_BACKUP.to_owned(), access, set_local_backup, docs::set_local_backup),
    ];
    for under in ["settings", "limits"] {
        let path = format!("/groups/{{group}}/{under}/logon_ips");
        routes.extend([
            Route::new(Get, path.clone(), access, logon_ips, move || docs::logon_ips(under)),
            Route::new(Post, path.clone(), access, set_logon_ips, move || docs::set_logon_ips(under)),
            Route::new(Delete, path, access, disable_logon_ips, move || docs::disable_logon_ips(under)),
        ]);
    }
    routes
}

/// The four flags (L46797), each 0 or 1.
#[derive(Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalFlags)]
pub(crate) struct Flags {
    pub allow_add_devices: Option<u8>,
    pub allow_download_tools: Option<u8>,
    pub allow_download_docs: Option<u8>,
    pub allow_download_agents: Option<u8>,
}

/// A logon IP list (L50163): `status` 1 when enforced, its items in their normal form.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalLogonIps)]
pub(crate) struct LogonIpsBody {
    pub status: u8,
    pub items: Vec<String>,
}

impl From<LogonIps> for LogonIpsBody {
    fn from(list: LogonIps) -> Self {
        Self { status: u8::from(list.enabled), items: list.items.iter().map(ToString::to_string).collect() }
    }
}

/// `POST …/logon_ips` (L50739): the whole list.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalLogonIpsSet)]
pub(crate) struct LogonIpsSet {
    pub items: Vec<String>,
}

/// Whether the group's agents update themselves (L45485): 1 until set, or as the nearest
/// ancestor that applied its status to its children.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalAgentsAutoupdate)]
pub(crate) struct AutoupdateBody {
    #[schema(minimum = 0, maximum = 1)]
    pub status: u8,
}

/// `POST …/agents_autoupdate` (L46047): both flags required.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalAgentsAutoupdateSet)]
pub(crate) struct AutoupdateSet {
    /// 1: the children without a status of their own do as this group does.
    #[schema(minimum = 0, maximum = 1)]
    pub apply_for_children: u8,
    #[schema(minimum = 0, maximum = 1)]
    pub status: u8,
}

/// Whether local backups are restricted (L48217): `status` 0 until set; `visible` is always 1.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalLocalBackupRestriction)]
pub(crate) struct LocalBackupBody {
    #[schema(minimum = 0, maximum = 1)]
    pub status: u8,
    #[schema(minimum = 0, maximum = 1)]
    pub visible: u8,
}

/// `POST …/local_backup_restriction` (L48783).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = PortalLocalBackupRestrictionSet)]
pub(crate) struct LocalBackupSet {
    #[schema(minimum = 0, maximum = 1)]
    pub status: u8,
}

/// `GET …/settings` (L44795): every setting together.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalSettings)]
pub(crate) struct SettingsBody {
    pub agents_autoupdate: AutoupdateBody,
    pub logon_ips: LogonIpsBody,
    pub local_backup_restriction: LocalBackupBody,
    pub flags: Map<String, Value>,
}

/// The seed's answer of a settings write: the JSON string `"Success"`.
fn success(version: canopy_domain::Version) -> Response {
    tagged(version, Json("Success"))
}

/// The node `{group}` names (the root has no settings).
async fn node(app: &App, caller: &Principal, instance: &str, path: &GroupPath) -> Result<(NodeKind, Uuid), ApiError> {
    node_of(&place(app, caller, instance, path).await?)
}

async fn flags_of(
    app: &App,
    caller: &Principal,
    instance: &str,
    (kind, id): (NodeKind, Uuid),
) -> Result<Map<String, Value>, ApiError> {
    let flags = app.configurations.flags(caller, instance, kind, id).await?;
    Ok(flags.into_iter().map(|(name, value)| (name.to_owned(), value.into())).collect())
}

async fn all(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<SettingsBody>, ApiError> {
    let principal = &caller.principal;
    let (kind, id) = node(&app, principal, &instance, &path).await?;
    let flags = flags_of(&app, principal, &instance, (kind, id)).await?;
    let logon_ips = app.configurations.logon_ips(principal, &instance, kind, id).await?.into();
    let agents_autoupdate =
        AutoupdateBody { status: app.configurations.agents_autoupdate(principal, &instance, kind, id).await? };
    let status = app.configurations.local_backup_restriction(principal, &instance, kind, id).await?;
    let local_backup_restriction = LocalBackupBody { status, visible: 1 };
    Ok(Json(SettingsBody { agents_autoupdate, logon_ips, local_backup_restriction, flags }))
}

async fn autoupdate(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<AutoupdateBody>, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let status = app.configurations.agents_autoupdate(&caller.principal, &instance, kind, id).await?;
    Ok(Json(AutoupdateBody { status }))
}

async fn set_autoupdate(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<AutoupdateSet>,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let (status, children) = (body.status, body.apply_for_children);
    Ok(success(app.configurations.set_agents_autoupdate(&caller, &instance, kind, id, status, children).await?))
}

async fn local_backup(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<LocalBackupBody>, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let status = app.configurations.local_backup_restriction(&caller.principal, &instance, kind, id).await?;
    Ok(Json(LocalBackupBody { status, visible: 1 }))
}

async fn set_local_backup(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<LocalBackupSet>,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    Ok(success(app.configurations.set_local_backup_restriction(&caller, &instance, kind, id, body.status).await?))
}

async fn flags(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<Map<String, Value>>, ApiError> {
    let node = node(&app, &caller.principal, &instance, &path).await?;
    Ok(Json(flags_of(&app, &caller.principal, &instance, node).await?))
}

async fn set_flags(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<Flags>,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    let sent = [
        ("allow_add_devices", body.allow_add_devices),
        ("allow_download_tools", body.allow_download_tools),
        ("allow_download_docs", body.allow_download_docs),
        ("allow_download_agents", body.allow_download_agents),
    ];
    let flags = sent.into_iter().filter_map(|(name, value)| value.map(|value| (name.to_owned(), value))).collect();
    Ok(success(app.configurations.set_flags(&caller, &instance, kind, id, flags).await?))
}

async fn logon_ips(
    Reading { app, caller, path }: Reading<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<LogonIpsBody>, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    Ok(Json(app.configurations.logon_ips(&caller.principal, &instance, kind, id).await?.into()))
}

async fn set_logon_ips(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    ApiJson(body): ApiJson<LogonIpsSet>,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    Ok(success(app.configurations.set_logon_ips(&caller, &instance, kind, id, &body.items).await?))
}

async fn disable_logon_ips(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
) -> Result<Response, ApiError> {
    let (kind, id) = node(&app, &caller.principal, &instance, &path).await?;
    Ok(success(app.configurations.disable_logon_ips(&caller, &instance, kind, id).await?))
}
