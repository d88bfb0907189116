//! Bodies of the administrator routes.

use crate::versioning::tagged;
use axum::Json;
use axum::response::Response;
use canopy_app::{AdminInput, AdminUpdate};
use canopy_domain::Admin;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// `POST .../admins` (spec: "Create an administrator account").
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdminCreate {
    /// The administrator's login and reference, unique in the instance; never changes.
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    admin_email: String,
    #[schema(example = "John")]
    first_name: Option<String>,
    #[schema(example = "Doe")]
    last_name: Option<String>,
    /// An optional `+` and 6 to 15 digits.
    #[schema(example = "+33613575607")]
    mobile: Option<String>,
    /// Canopy extension, for onboarding without e-mail: a password the creator chooses and hands
    /// over. The account is active at once, no activation link is sent, and its first login opens
    /// a session that may only change this password (`POST /api/v01/auth/password`). The password
    /// policy applies; it is never logged, and `********` in the audit log.
    #[schema(example = "Temporary-passphrase-42", min_length = 12, max_length = 128)]
    temporary_password: Option<String>,
    /// Canopy extension: `true` makes a read-only administrator, which holds only the reading
    /// permissions of its level (lists and reads; every change is `403 forbidden`). Default `false`.
    read_only: Option<bool>,
}

// The temporary password never reaches a log.
impl std::fmt::Debug for AdminCreate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminCreate").field("admin_email", &self.admin_email).finish_non_exhaustive()
    }
}

impl From<AdminCreate> for AdminInput {
    fn from(body: AdminCreate) -> Self {
        Self {
            email: body.admin_email,
            first_name: body.first_name,
            last_name: body.last_name,
            mobile: body.mobile,
            temporary_password: body.temporary_password,
            read_only: body.read_only.unwrap_or(false),
        }
    }
}

/// `PUT .../admins/{username}`: absent fields are kept.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct AdminModify {
    /// Must be the `{username}` of the path: the e-mail cannot be changed.
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    admin_email: String,
    #[schema(example = "John")]
    first_name: Option<String>,
    #[schema(example = "Doe")]
    last_name: Option<String>,
    #[schema(example = "+33613575607")]
    mobile: Option<String>,
    /// `true` clears the password, ends every session and e-mails a reset link. The spec marks
    /// it required but its example omits it: absent means `false`.
    #[serde(rename = "force_reset")]
    force_reset: Option<bool>,
    /// Canopy extension: `true` makes the administrator read-only, `false` gives it its level's
    /// every permission back; absent keeps it.
    read_only: Option<bool>,
}

impl From<AdminModify> for AdminUpdate {
    fn from(body: AdminModify) -> Self {
        Self {
            email: body.admin_email,
            first_name: body.first_name,
            last_name: body.last_name,
            mobile: body.mobile,
            force_reset: body.force_reset.unwrap_or(false),
            read_only: body.read_only,
        }
    }
}

/// `POST .../admins/welcome`
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WelcomeBody {
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    pub admin_email: String,
}

/// The spec's answer to creating or modifying an administrator.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdBody {
    /// The administrator's numeric id.
    #[schema(example = 86)]
    pub id: i64,
    /// The administrator's version after the change (also the response's `ETag`).
    #[schema(minimum = 1, example = 2)]
    pub version: u64,
}

impl IdBody {
    /// The answer to a creation or a change: the id and new version, also as the `ETag`.
    pub fn answer(admin: &Admin) -> Response {
        tagged(admin.version, Json(Self { id: admin.id.0, version: admin.version.0 }))
    }
}

/// An administrator as lists and `auth/me` show it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdminBody {
    #[schema(example = 86)]
    id: i64,
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    admin_email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mobile: Option<String>,
    /// `system_admin`, `group_admin`, `distributor_admin`, `reseller_admin` or `tenant_admin`.
    #[schema(example = "group_admin")]
    profile: String,
    /// Whether the account has a password (it has followed its activation link, or was created
    /// with a temporary one).
    active: bool,
    /// Whether its password is a temporary one that it has not changed yet: its sessions may only
    /// change it (`POST /api/v01/auth/password`) or log out.
    must_change_password: bool,
    /// Counts every change; send it back in `If-Match` (or `?version=`) to change the account.
    #[schema(minimum = 1, example = 1)]
    version: u64,
    /// Canopy extension, shown only when `true`: a read-only administrator (reads, changes nothing).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schema(example = true)]
    read_only: bool,
}

impl From<Admin> for AdminBody {
    fn from(admin: Admin) -> Self {
        Self {
            id: admin.id.0,
            admin_email: admin.email.as_str().to_owned(),
            first_name: admin.details.first_name,
            last_name: admin.details.last_name,
            mobile: admin.details.mobile,
            profile: admin.profile.as_str().to_owned(),
            active: admin.active,
            must_change_password: admin.must_change_password,
            version: admin.version.0,
            read_only: admin.read_only,
        }
    }
}
