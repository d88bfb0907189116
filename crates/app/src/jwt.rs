//! The portal's signed tokens (issue 18, item 5): a token describing an administrator for other
//! services (`…/jwt?scope`), an impersonation token (`…/impersonate`: only for a caller that may
//! manage the administrator, recorded in the audit log as `admin.impersonate` though it changes
//! nothing), and the login of an impersonation token (`GET /login?jwt=`), which opens a session
//! of the administrator impersonated. Scoped tokens are for other services: no Canopy route
//! accepts them.

use crate::admins::AdminService;
use crate::auth::{AuthService, Session};
use crate::caller::Caller;
use crate::clock::Clock;
use crate::error::{AppError, AuthError};
use canopy_domain::{
    AdminAction, AdminId, DomainError, JWT_TTL_SECS, JwtClaims, JwtKey, JwtRefusal, Node, NodeKind, Permission,
    Principal, sign_jwt, verify_jwt,
};
use canopy_storage::{AdminStore, AuditStore};
use std::net::IpAddr;
use std::sync::Arc;

/// Who issues the tokens, and for whom (the claims `iss`, `aud`).
const ISSUER: &str = "canopy";
const AUDIENCE: &str = "portal";

/// A scope's items: 1 to 64 characters, no control characters.
fn check_scope(scope: &[String]) -> Result<(), AppError> {
    if scope.iter().any(|item| item.is_empty() || item.len() > 64 || item.chars().any(char::is_control)) {
        return Err(DomainError::invalid("scope", "items of 1 to 64 characters, comma-separated").into());
    }
    Ok(())
}

pub struct JwtService {
    admins: Arc<AdminService>,
    accounts: Arc<dyn AdminStore>,
    auth: Arc<AuthService>,
    audit: Arc<dyn AuditStore>,
    clock: Arc<dyn Clock>,
    /// The signing key first, then the previous generation's (still verified).
    keys: Vec<JwtKey>,
    ttl_secs: i64,
}

impl JwtService {
    pub fn new(
        admins: Arc<AdminService>,
        accounts: Arc<dyn AdminStore>,
        auth: Arc<AuthService>,
        audit: Arc<dyn AuditStore>,
        clock: Arc<dyn Clock>,
        keys: Vec<JwtKey>,
        ttl_secs: u64,
    ) -> Self {
        let ttl_secs = i64::try_from(ttl_secs).unwrap_or(JWT_TTL_SECS);
        Self { admins, accounts, auth, audit, clock, keys, ttl_secs }
    }

    fn claims(&self, admin: &canopy_domain::Admin, scope: Vec<String>, imp: Option<i64>) -> JwtClaims {
        let now = self.clock.now().0.div_euclid(1000);
        let names = [&admin.details.first_name, &admin.details.last_name];
        let name = names.iter().filter_map(|part| part.as_deref()).collect::<Vec<_>>().join(" ");
        JwtClaims {
            aud: AUDIENCE.to_owned(),
            email: admin.email.as_str().to_owned(),
            exp: now + self.ttl_secs,
            iat: now,
            iss: ISSUER.to_owned(),
            name: if name.is_empty() { admin.email.as_str().to_owned() } else { name },
            nbf: now,
            scope,
            tenant_id: admin.home.map(|home| home.0.to_string()),
            uid: admin.id.0,
            instance: admin.instance.as_str().to_owned(),
            imp,
        }
    }

    fn sign(&self, claims: &JwtClaims) -> String {
        sign_jwt(&self.keys[0], claims)
    }

    /// A token describing the administrator `id` (whom the caller reaches and may list) with
    /// `scope`, for another service.
    pub async fn issue(
        &self,
        caller: &Principal,
        instance: &str,
        id: AdminId,
        scope: Vec<String>,
    ) -> Result<String, AppError> {
        check_scope(&scope)?;
        let (_, admin) = self.admins.by_id(caller, instance, id).await?;
        Ok(self.sign(&self.claims(&admin, scope, None)))
    }

    /// An impersonation token of the administrator `id`, for a caller that may change that
    /// administrator (and reaches it); recorded in the audit log.
    pub async fn impersonate(&self, caller: &Caller, instance: &str, id: AdminId) -> Result<String, AppError> {
        let (holder, admin) = self.admins.by_id(&caller.principal, instance, id).await?;
        if admin.id == caller.principal.admin {
            return Err(DomainError::invalid("admin", "is the caller itself").into());
        }
        let level = holder.map(|(kind, _)| kind);
        caller.principal.authorize(&admin.instance, Permission::Admins(level, AdminAction::Update))?;
        let token = self.sign(&self.claims(&admin, vec![], Some(caller.principal.admin.0)));
        let mut change = caller.change("admin.impersonate", admin.home);
        change.body = Some(serde_json::json!({ "admin": admin.id.0, "email": admin.email.as_str() }));
        self.audit.record_action(&change).await?;
        Ok(token)
    }

    /// The account (`end_user`) of a user the caller has read (reach and permission checked by
    /// the caller's read); a user without an e-mail has none (`NotFound`).
    async fn account_of(&self, user: &Node) -> Result<canopy_domain::Admin, AppError> {
        let missing = || AppError::NotFound(NodeKind::User);
        let email = user.attributes.user().and_then(|attributes| attributes.email()).ok_or_else(missing)?;
        self.accounts.find_admin(&user.instance, email.key()).await?.ok_or_else(missing)
    }

    /// A token describing a user (read by the caller) with `scope`: its integer id, its names and
    /// its e-mail (empty when it has none).
    pub async fn issue_for_user(&self, user: &Node, scope: Vec<String>) -> Result<String, AppError> {
        check_scope(&scope)?;
        let now = self.clock.now().0.div_euclid(1000);
        let attributes = user.attributes.user();
        let email = attributes.and_then(|a| a.email()).map_or_else(String::new, |e| e.as_str().to_owned());
        let name = attributes
            .map_or_else(|| user.name.as_str().to_owned(), |a| format!("{} {}", a.first_name(), a.last_name()));
        let claims = JwtClaims {
            aud: AUDIENCE.to_owned(),
            email,
            exp: now + self.ttl_secs,
            iat: now,
            iss: ISSUER.to_owned(),
            name,
            nbf: now,
            scope,
            tenant_id: user.lineage.tenant.map(|tenant| tenant.0.to_string()),
            uid: user.serial.0,
            instance: user.instance.as_str().to_owned(),
            imp: None,
        };
        Ok(self.sign(&claims))
    }

    /// An impersonation token of the account of a user (read by the caller), for a caller that
    /// may change users; recorded in the audit log.
    pub async fn impersonate_user(&self, caller: &Caller, user: &Node) -> Result<String, AppError> {
        caller.principal.authorize(&user.instance, Permission::Update(NodeKind::User))?;
        let account = self.account_of(user).await?;
        let token = self.sign(&self.claims(&account, vec![], Some(caller.principal.admin.0)));
        let mut change = caller.change("user.impersonate", Some(user.id));
        change.body = Some(serde_json::json!({ "user": user.serial.0, "email": account.email.as_str() }));
        self.audit.record_action(&change).await?;
        Ok(token)
    }

    /// Opens a session of the administrator an unscoped impersonation token names (its logon IP
    /// lists apply, from `from`); any other token, an expired one, or one of another instance is
    /// `InvalidToken`.
    pub async fn login(&self, instance: &str, token: &str, from: Option<IpAddr>) -> Result<Session, AuthError> {
        let now = self.clock.now().0.div_euclid(1000);
        let claims = verify_jwt(token, &self.keys, now).map_err(|refusal| match refusal {
            JwtRefusal::Invalid | JwtRefusal::Expired => AuthError::InvalidToken,
        })?;
        if claims.imp.is_none() || !claims.scope.is_empty() || claims.instance != instance {
            return Err(AuthError::InvalidToken);
        }
        let slug = self.auth.instances().resolve(instance).map_err(|_| AuthError::InvalidToken)?;
        let admin = self.accounts.get_admin(&slug, AdminId(claims.uid)).await?.ok_or(AuthError::InvalidToken)?;
        self.auth.open_session(admin, from).await
    }
}
