//! A user's outgoing call barring authorization codes (the APIO face's
//! `…/services/outgoing_call_barring/codes/`). Reads need `users.instance.auth_codes.list|read`
//! (from the end user itself up), changes `…create|delete` (from the site group administrator
//! up); both reach the user through the caller's subtree first. Codes are secrets: the audit log
//! records the request's body masked, and refusals never name them in their message.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    AuthCode, AuthCodeEntry, Change, DomainError, NewCodes, NodeId, NodeKind, Owned, Permission, Principal, Verb,
};
use canopy_storage::{AuthCodeStore, CodesError};
use std::sync::Arc;
use uuid::Uuid;

pub struct AuthCodeService {
    store: Arc<dyn AuthCodeStore>,
    writes: Writes,
}

fn permission(verb: Verb) -> Permission {
    Permission::Owned(NodeKind::User, Owned::AuthCodes, verb)
}

impl From<CodesError> for AppError {
    fn from(err: CodesError) -> Self {
        match err {
            CodesError::UserNotFound => AppError::NotFound(NodeKind::User),
            CodesError::Invalid(refused) => AppError::Invalid(refused),
            CodesError::Store(err) => err.into(),
        }
    }
}

impl AuthCodeService {
    pub fn new(gate: Gate, store: Arc<dyn AuthCodeStore>) -> Self {
        Self { store, writes: Writes::new(gate) }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The user's codes, in code order.
    pub async fn list(&self, caller: &Principal, instance: &str, user: Uuid) -> Result<Vec<AuthCodeEntry>, AppError> {
        let (instance, _) =
            self.writes.gate().node(caller, instance, NodeKind::User, user, permission(Verb::List)).await?;
        let codes = self.store.list_codes(&instance, NodeId(user)).await?;
        codes.ok_or(AppError::NotFound(NodeKind::User))
    }

    /// One of the user's codes; a code that is not the user's (or is no code at all) is absent.
    pub async fn get(
        &self,
        caller: &Principal,
        instance: &str,
        user: Uuid,
        code: &str,
    ) -> Result<AuthCodeEntry, AppError> {
        let (instance, _) =
            self.writes.gate().node(caller, instance, NodeKind::User, user, permission(Verb::Read)).await?;
        let codes = self.store.list_codes(&instance, NodeId(user)).await?.ok_or(AppError::NotFound(NodeKind::User))?;
        codes.into_iter().find(|entry| entry.code.as_str() == code).ok_or(AppError::CodeNotFound)
    }

    /// Adds codes (`(code, description)` as the client sent them) to the user's: all or none.
    pub async fn add(
        &self,
        caller: &Caller,
        instance: &str,
        user: Uuid,
        codes: Vec<(String, Option<String>)>,
    ) -> Result<(), AppError> {
        let parse = || {
            let entries = codes.iter().map(|(code, description)| AuthCodeEntry::parse(code, description.as_deref()));
            NewCodes::new(entries.collect::<Result<_, DomainError>>()?)
        };
        let apply = async |at: &Reached, codes: NewCodes, change: &Change| {
            let user = at.id.expect("a write of a user's codes reaches the user");
            Ok(self.store.add_codes(&at.instance, user, &codes, change).await?)
        };
        let target = Target::Reach(NodeKind::User, user.into());
        self.writes.run(caller, instance, target, permission(Verb::Create), "auth_codes.create", parse, apply).await
    }

    /// Removes those of `codes` the user holds; absent codes are no error, and neither is a
    /// value that is no code (no code can have it).
    pub async fn delete(
        &self,
        caller: &Caller,
        instance: &str,
        user: Uuid,
        codes: Vec<String>,
    ) -> Result<(), AppError> {
        let parse = || {
            if codes.is_empty() {
                return Err(DomainError::invalid("authCodes", "must name at least one code"));
            }
            Ok(codes.iter().filter_map(|code| AuthCode::parse(code).ok()).collect::<Vec<_>>())
        };
        let apply = async |at: &Reached, codes: Vec<AuthCode>, change: &Change| {
            let user = at.id.expect("a write of a user's codes reaches the user");
            Ok(self.store.delete_codes(&at.instance, user, &codes, change).await?)
        };
        let target = Target::Reach(NodeKind::User, user.into());
        self.writes.run(caller, instance, target, permission(Verb::Delete), "auth_codes.delete", parse, apply).await
    }
}
