//! The memory adapter's authorization codes, under the one lock: a list is checked whole before
//! anything is added, so it applies whole or not at all.

use super::MemoryStore;
use crate::auth_codes::{AuthCodeStore, CodesError};
use crate::error::StoreError;
use async_trait::async_trait;
use canopy_domain::{AuthCode, AuthCodeEntry, Change, InstanceSlug, NewCodes, NodeId, NodeKind};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Each user's codes, by code, with their descriptions.
#[derive(Default)]
pub(super) struct AuthCodes(HashMap<NodeId, BTreeMap<AuthCode, Option<String>>>);

impl AuthCodes {
    pub(super) fn remove_user(&mut self, user: NodeId) {
        self.0.remove(&user);
    }
}

#[async_trait]
impl AuthCodeStore for MemoryStore {
    async fn list_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
    ) -> Result<Option<Vec<AuthCodeEntry>>, StoreError> {
        let state = self.read();
        if state.node(instance, NodeKind::User, user).is_none() {
            return Ok(None);
        }
        let codes = state.auth_codes.0.get(&user).into_iter().flatten();
        Ok(Some(
            codes
                .map(|(code, description)| AuthCodeEntry { code: code.clone(), description: description.clone() })
                .collect(),
        ))
    }

    async fn add_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &NewCodes,
        change: &Change,
    ) -> Result<(), CodesError> {
        let mut state = self.write_as(change)?;
        if state.node(instance, NodeKind::User, user).is_none() {
            return Err(CodesError::UserNotFound);
        }
        let stored: BTreeSet<AuthCode> =
            state.auth_codes.0.get(&user).into_iter().flat_map(|codes| codes.keys().cloned()).collect();
        codes.admit(&stored).map_err(CodesError::Invalid)?;
        let held = state.auth_codes.0.entry(user).or_default();
        for entry in codes.entries() {
            held.insert(entry.code.clone(), entry.description.clone());
        }
        state.record(change);
        Ok(())
    }

    async fn delete_codes(
        &self,
        instance: &InstanceSlug,
        user: NodeId,
        codes: &[AuthCode],
        change: &Change,
    ) -> Result<(), CodesError> {
        let mut state = self.write_as(change)?;
        if state.node(instance, NodeKind::User, user).is_none() {
            return Err(CodesError::UserNotFound);
        }
        let Some(held) = state.auth_codes.0.get_mut(&user) else { return Ok(()) };
        let removed = codes.iter().filter(|code| held.remove(*code).is_some()).count();
        if removed > 0 {
            state.record(change);
        }
        Ok(())
    }
}
