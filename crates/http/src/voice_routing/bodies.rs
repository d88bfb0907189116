//! Bodies of the voice routing routes (spec fusion-draas-groups, "pstn usages", "voice routes",
//! "voice routing policies").

use canopy_app::{PolicyInput, RouteInput, RouteUpdate};
use canopy_domain::{PstnUsage, Referrer, UsageRef, VoiceRoute, VoiceRoutingPolicy};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// `POST` and `PUT …/pstn_usages`: the name is required on both.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct UsageBody {
    /// Unique among the group's pstn usages, case-insensitively after trimming; 1 to 255 characters.
    #[schema(example = "Test PSTN 42")]
    pub name: String,
}

/// `POST …/voice_routes`
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouteCreate {
    /// Unique among the group's voice routes, case-insensitively after trimming.
    #[schema(example = "VR-DRaaS new")]
    name: String,
    /// A regular expression (Rust `regex` syntax), 1 to 500 characters.
    #[schema(example = ".*")]
    pattern: String,
    /// 0 to 2147483647.
    #[schema(example = 5, minimum = 0)]
    priority: i64,
    /// Ids of the group's pstn usages to link, in order, each once (at most 100).
    #[schema(example = json!([8, 21]))]
    pstn_usages: Option<Vec<i64>>,
}

impl From<RouteCreate> for RouteInput {
    fn from(b: RouteCreate) -> Self {
        Self { name: b.name, pattern: b.pattern, priority: b.priority, pstn_usages: b.pstn_usages }
    }
}

/// `PUT …/voice_routes/{id}`: absent (or `null`) fields are kept; `pstnUsages` replaces the
/// links (missing entries are disconnected).
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RouteModify {
    #[schema(example = "VR-DRaaS modified")]
    name: Option<String>,
    pattern: Option<String>,
    #[schema(minimum = 0)]
    priority: Option<i64>,
    #[schema(example = json!([21]))]
    pstn_usages: Option<Vec<i64>>,
}

impl From<RouteModify> for RouteUpdate {
    fn from(b: RouteModify) -> Self {
        Self { name: b.name, pattern: b.pattern, priority: b.priority, pstn_usages: b.pstn_usages }
    }
}

/// `POST …/voice_routing_policies`
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicyCreate {
    /// Unique among the group's voice routing policies, case-insensitively after trimming.
    #[schema(example = "VR-DRaaS new")]
    name: String,
    #[schema(example = json!([8, 21]))]
    pstn_usages: Option<Vec<i64>>,
}

impl From<PolicyCreate> for PolicyInput {
    fn from(b: PolicyCreate) -> Self {
        Self { name: Some(b.name), pstn_usages: b.pstn_usages }
    }
}

/// `PUT …/voice_routing_policies/{id}`: absent fields are kept; `pstnUsages` replaces the links.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicyModify {
    #[schema(example = "VR-DRaaS modified")]
    name: Option<String>,
    #[schema(example = json!([21]))]
    pstn_usages: Option<Vec<i64>>,
}

impl From<PolicyModify> for PolicyInput {
    fn from(b: PolicyModify) -> Self {
        Self { name: b.name, pstn_usages: b.pstn_usages }
    }
}

/// A linked pstn usage as routes and policies show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct UsageItem {
    #[schema(example = 21)]
    id: i64,
    #[schema(example = "PSTN Test name")]
    name: String,
}

/// A pstn usage as its list shows it: with its version.
#[derive(Debug, Serialize, ToSchema)]
pub struct PstnUsageItem {
    #[schema(example = 21)]
    id: i64,
    #[schema(example = "PSTN Test name")]
    name: String,
    /// Counts every change; send it back in `If-Match` (or `?version=`) to change the usage.
    #[schema(minimum = 1, example = 1)]
    version: u64,
}

impl From<PstnUsage> for PstnUsageItem {
    fn from(u: PstnUsage) -> Self {
        Self { id: u.id.0, name: u.name.as_str().to_owned(), version: u.version.0 }
    }
}

impl From<UsageRef> for UsageItem {
    fn from(u: UsageRef) -> Self {
        Self { id: u.id.0, name: u.name.as_str().to_owned() }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RouteItem {
    #[schema(example = 21)]
    id: i64,
    #[schema(example = "VR-DRaaS New")]
    name: String,
    #[schema(example = ".*")]
    pattern: String,
    #[schema(example = 5)]
    priority: i32,
    pstn_usages: Vec<UsageItem>,
    /// Counts every change; send it back in `If-Match` (or `?version=`) to change the route.
    #[schema(minimum = 1, example = 1)]
    version: u64,
}

impl From<VoiceRoute> for RouteItem {
    fn from(r: VoiceRoute) -> Self {
        Self {
            id: r.id.0,
            name: r.name.as_str().to_owned(),
            pattern: r.pattern.as_str().to_owned(),
            priority: r.priority.get(),
            pstn_usages: r.usages.into_iter().map(Into::into).collect(),
            version: r.version.0,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyItem {
    #[schema(example = 7)]
    id: i64,
    #[schema(example = "World-DRaaS")]
    name: String,
    pstn_usages: Vec<UsageItem>,
    /// Counts every change; send it back in `If-Match` (or `?version=`) to change the policy.
    #[schema(minimum = 1, example = 1)]
    version: u64,
}

impl From<VoiceRoutingPolicy> for PolicyItem {
    fn from(p: VoiceRoutingPolicy) -> Self {
        Self {
            id: p.id.0,
            name: p.name.as_str().to_owned(),
            pstn_usages: p.usages.into_iter().map(Into::into).collect(),
            version: p.version.0,
        }
    }
}

/// A voice route or policy linking a pstn usage.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferrerItem {
    /// `voiceRoute` or `voiceRoutingPolicy`.
    #[schema(example = "voiceRoute")]
    kind: &'static str,
    #[schema(example = 7)]
    id: i64,
    #[schema(example = "VR-DRaaS")]
    name: String,
}

impl From<&Referrer> for ReferrerItem {
    fn from(r: &Referrer) -> Self {
        Self { kind: r.kind.as_str(), id: r.id.0, name: r.name.as_str().to_owned() }
    }
}

/// `GET …/pstn_usages/{id}/references`
#[derive(Debug, Serialize, ToSchema)]
pub struct ReferencesBody {
    /// Routes first, then policies, each by id; empty when the usage may be deleted.
    pub referrers: Vec<ReferrerItem>,
}
