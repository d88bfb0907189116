//! The schemas of the sipXconfig face's documents, in their JSON form (the OpenAPI document
//! lists every body in `text/xml` and `application/xml` too, with the same fields as elements).
//! They describe what `shape.rs` writes and `bodies.rs` reads; nothing serializes them.

use serde::Serialize;
use utoipa::ToSchema;

/// A list's metadata.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SipxMetadata {
    total_results: u64,
    current_page: u64,
    total_pages: u64,
    results_per_page: u64,
}

/// A branch's address, as sent.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SipxAddress {
    id: Option<i64>,
    street: Option<String>,
    city: Option<String>,
    country: Option<String>,
    state: Option<String>,
    zip: Option<String>,
    office_designation: Option<String>,
}

/// A group's branch: kept as the client sent it (Canopy has no branch objects), every field
/// optional.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SipxBranch {
    id: Option<i64>,
    name: Option<String>,
    description: Option<String>,
    address: Option<SipxAddress>,
    phone_number: Option<String>,
    fax_number: Option<String>,
}

/// A user group.
#[derive(Serialize, ToSchema)]
pub struct SipxGroup {
    id: i64,
    name: String,
    /// Absent when it has none.
    description: Option<String>,
    /// Absent when it has none.
    branch: Option<SipxBranch>,
}

/// `GET …/user-group/{id}`.
#[derive(Serialize, ToSchema)]
pub struct SipxGroupDocument {
    group: SipxGroup,
}

#[derive(Serialize, ToSchema)]
pub struct SipxGroupList {
    metadata: SipxMetadata,
    groups: Vec<SipxGroup>,
}

/// `GET …/user-group`.
#[derive(Serialize, ToSchema)]
pub struct SipxGroupListDocument {
    #[serde(rename = "user-group")]
    user_group: SipxGroupList,
}

/// A permission as a group shows it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SipxSetting {
    /// A built-in permission (`900Dialing` … `tui-change-pin`) or a custom one (`perm_<id>`).
    name: String,
    /// `ENABLE` or `DISABLE`; absent when the group never set it (or set it back to the default).
    #[schema(pattern = "^(ENABLE|DISABLE)$")]
    value: Option<String>,
    default_value: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SipxGroupPermissions {
    id: i64,
    name: String,
    description: Option<String>,
    /// Every permission of the tenant, in byte order of their names.
    permissions: Vec<SipxSetting>,
}

/// `GET …/user-group-permission/{id}`.
#[derive(Serialize, ToSchema)]
pub struct SipxGroupPermissionsDocument {
    group: SipxGroupPermissions,
}

#[derive(Serialize, ToSchema)]
pub struct SipxGroupPermissionsList {
    metadata: SipxMetadata,
    groups: Vec<SipxGroupPermissions>,
}

/// `GET …/user-group-permission`.
#[derive(Serialize, ToSchema)]
pub struct SipxGroupPermissionsListDocument {
    #[serde(rename = "user-group-permission")]
    user_group_permission: SipxGroupPermissionsList,
}

/// A group as a creation or an update sends it (root `group` or `userGroup`; in JSON the bare
/// object too). `id` is ignored.
#[derive(Serialize, ToSchema)]
pub struct SipxGroupInput {
    id: Option<i64>,
    /// 1 to 255 characters, no whitespace, unique in the tenant case-insensitively.
    name: String,
    /// At most 255 characters; left out, it is cleared by an update.
    description: Option<String>,
    /// Kept as sent and shown back; left out, it is cleared by an update.
    branch: Option<SipxBranch>,
}

#[derive(Serialize, ToSchema)]
pub struct SipxGroupInputDocument {
    group: SipxGroupInput,
}

/// One permission of a change: `value` is required (`ENABLE`/`DISABLE` in any case, or blank
/// for the default); `defaultValue` and `label` are ignored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SipxSettingInput {
    name: String,
    value: String,
}

/// A change of a group's permissions (root `group`); the group's `id`, `name` and
/// `description` are ignored.
#[derive(Serialize, ToSchema)]
pub struct SipxPermissionsInput {
    permissions: Vec<SipxSettingInput>,
}

#[derive(Serialize, ToSchema)]
pub struct SipxPermissionsInputDocument {
    group: SipxPermissionsInput,
}

/// sipXconfig's `<response>`: what every success but a read, and every failure, answers.
#[derive(Serialize, ToSchema)]
pub struct SipxResponse {
    /// `SUCCESS_CREATED`, `SUCCESS_UPDATED`, `SUCCESS_DELETED`, `ERROR_ID_INVALID`,
    /// `ERROR_OBJECT_NOT_FOUND`, `ERROR_VALIDATION_FAILED`, or Canopy's code of a failure
    /// sipXconfig has no code for (`unauthenticated`, `forbidden`, `not_found`, ...).
    code: String,
    message: String,
    /// The object's `id`; an `additionalMessage` saying what failed; or the failure's details.
    data: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Serialize, ToSchema)]
pub struct SipxResponseDocument {
    response: SipxResponse,
}
