//! Bodies of the administrator and authentication routes.

use canopy_app::{AdminInput, AdminUpdate};
use canopy_domain::{Admin, Permission, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
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
}

impl From<AdminModify> for AdminUpdate {
    fn from(body: AdminModify) -> Self {
        Self {
            email: body.admin_email,
            first_name: body.first_name,
            last_name: body.last_name,
            mobile: body.mobile,
            force_reset: body.force_reset.unwrap_or(false),
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
        }
    }
}

/// One page of administrators: the items of the page, and where it lies in the whole list.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminList {
    /// The number of this page, 1-based.
    pub page: u64,
    /// `ceil(results / page_size)`, at least 1.
    pub pages: u64,
    /// The number of administrators matching the query.
    pub results: u64,
    /// The administrators of this page, ordered by e-mail.
    pub admins: Vec<AdminBody>,
}

/// The query of the short lists read whole, whose pages are numbered (no `next` token): a
/// node's administrators (`GET .../admins`), a node's rate plans (`GET .../rate_plans`).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NumberedQuery {
    /// Case-insensitive substring of what the list is searched by: an administrator's e-mail,
    /// first or last name; a rate plan's name.
    pub search: Option<String>,
    /// 1 or more (default 1).
    pub page: Option<u64>,
    /// 1 to 1000 (default 10).
    pub page_size: Option<u64>,
}

/// `POST /api/v01/auth/login`, named as the portal spec names its login fields.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginBody {
    /// The administrator's e-mail.
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    pub username: String,
    #[schema(example = "correct horse battery staple")]
    pub password: String,
    /// The `{draas_instance}` of the account; may be left out when the server serves only one.
    #[schema(example = "default")]
    pub instance: Option<String>,
}

/// The session a login opens: send `Authorization: Bearer <token>` on every other call.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SessionBody {
    /// 256 random bits, base64url; the server keeps only its SHA-256.
    pub token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    #[schema(example = 28800)]
    pub expires_in: u64,
    /// When the token expires (RFC 3339, UTC).
    #[schema(example = "2026-11-23T20:00:00Z")]
    pub expires_at: String,
    /// `true` when the account's password is a temporary one: this session may then only change
    /// it (`POST /api/v01/auth/password`) or log out; every other route answers 403
    /// `password_change_required`.
    pub must_change_password: bool,
}

impl SessionBody {
    pub fn new(token: String, now: Timestamp, expires: Timestamp, must_change_password: bool) -> Self {
        Self {
            token,
            token_type: "Bearer",
            expires_in: now.secs_until(expires),
            expires_at: expires.to_rfc3339(),
            must_change_password,
        }
    }
}

/// `POST /api/v01/auth/password`: the caller's own password, changed.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PasswordChangeBody {
    /// The password the account has now (a temporary one, or its own).
    #[schema(example = "Temporary-passphrase-42")]
    pub current_password: String,
    /// The new password: 12 to 128 characters, at least 5 different ones, not containing the
    /// e-mail, and not the current one.
    #[schema(example = "correct horse battery staple")]
    pub new_password: String,
}

/// `POST /api/v01/auth/activate` and `/reset`.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RedeemBody {
    /// The token of the e-mailed link.
    pub token: String,
    /// 12 to 128 characters, at least 5 different ones.
    pub password: String,
}

/// `POST /api/v01/auth/forgot`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ForgotBody {
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    pub username: String,
    #[schema(example = "default")]
    pub instance: Option<String>,
}

/// `GET /api/v01/auth/me`: the caller, where it belongs and what it may do.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MeBody {
    #[serde(flatten)]
    pub admin: AdminBody,
    #[schema(example = "default")]
    pub instance: String,
    /// The node the administrator belongs to; absent for system administrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_uuid: Option<uuid::Uuid>,
    /// Every permission of the profile, spelled as the spec spells them.
    pub permissions: Vec<String>,
}

impl From<Admin> for MeBody {
    fn from(admin: Admin) -> Self {
        let permissions = admin.profile.permissions().iter().map(Permission::to_string).collect();
        Self {
            instance: admin.instance.as_str().to_owned(),
            node_uuid: admin.home.map(|id| id.0),
            permissions,
            admin: admin.into(),
        }
    }
}
