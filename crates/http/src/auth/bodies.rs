//! Bodies of the authentication routes.

use crate::admins::AdminBody;
use canopy_domain::{Admin, Timestamp};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

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
    /// Every permission the administrator holds (its profile's; only the reading ones when it is
    /// read-only), spelled as the spec spells them.
    pub permissions: Vec<String>,
}

impl From<Admin> for MeBody {
    fn from(admin: Admin) -> Self {
        let principal = admin.principal();
        let held = admin.profile.permissions().into_iter().filter(|permission| principal.grants(*permission));
        let permissions = held.map(|permission| permission.to_string()).collect();
        Self {
            instance: admin.instance.as_str().to_owned(),
            node_uuid: admin.home.map(|id| id.0),
            permissions,
            admin: admin.into(),
        }
    }
}
