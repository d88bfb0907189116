//! The PostgreSQL adapter of the account port. (Being written.)

use super::PostgresStore;
use crate::accounts::{AccountStore, AdminChanges, LoginRecord, NewAdmin, NewOneTimeToken, NewSession, TokenHash};
use crate::error::{CreateAdminError, StoreError};
use crate::nodes::Deleted;
use async_trait::async_trait;
use canopy_domain::{Admin, AdminId, InstanceSlug, LoginThrottle, NodeId, Timestamp, TokenPurpose};

#[async_trait]
impl AccountStore for PostgresStore {
    async fn create_admin(&self, _new: NewAdmin) -> Result<Admin, CreateAdminError> {
        unimplemented!()
    }
    async fn bootstrap_admin(&self, _new: NewAdmin) -> Result<Option<Admin>, CreateAdminError> {
        unimplemented!()
    }
    async fn find_admin(&self, _i: &InstanceSlug, _e: &str) -> Result<Option<LoginRecord>, StoreError> {
        unimplemented!()
    }
    async fn list_admins(&self, _i: &InstanceSlug, _h: Option<NodeId>) -> Result<Vec<Admin>, StoreError> {
        unimplemented!()
    }
    async fn update_admin(&self, _id: AdminId, _c: AdminChanges) -> Result<Option<Admin>, StoreError> {
        unimplemented!()
    }
    async fn delete_admin(&self, _id: AdminId) -> Result<Deleted, StoreError> {
        unimplemented!()
    }
    async fn issue_token(&self, _a: AdminId, _t: NewOneTimeToken) -> Result<bool, StoreError> {
        unimplemented!()
    }
    async fn redeem_token(
        &self,
        _h: TokenHash,
        _p: TokenPurpose,
        _n: Timestamp,
        _ph: String,
    ) -> Result<Option<Admin>, StoreError> {
        unimplemented!()
    }
    async fn record_failed_login(
        &self,
        _id: AdminId,
        _n: Timestamp,
        _t: LoginThrottle,
    ) -> Result<Option<Timestamp>, StoreError> {
        unimplemented!()
    }
    async fn open_session(&self, _s: NewSession) -> Result<(), StoreError> {
        unimplemented!()
    }
    async fn session_admin(&self, _h: TokenHash, _n: Timestamp) -> Result<Option<Admin>, StoreError> {
        unimplemented!()
    }
    async fn close_session(&self, _h: TokenHash) -> Result<(), StoreError> {
        unimplemented!()
    }
}
