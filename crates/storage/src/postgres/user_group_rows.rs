//! Reading user groups and custom permissions back from PostgreSQL
//! (migrations/0030_user_groups.sql): one statement per group or page, the group's permission
//! values aggregated beside its row, every value re-parsed by the domain.

use super::rows::corrupt_in;
use super::versions::version_of;
use crate::error::StoreError;
use canopy_domain::{
    Branch, CustomPermission, NodeId, SortField, UserGroup, UserGroupFields, UserGroupId, UserGroupName, UserGroupQuery,
};
use std::collections::BTreeMap;

/// The columns of a group, with its values as a JSON object (`{"Mobile": true}`).
pub(super) const GROUP_COLUMNS: &str = "g.id, g.tenant_id, g.name, g.description, g.branch, g.version, \
    (SELECT coalesce(json_object_agg(p.name, p.enabled), '{}')::text FROM user_group_permissions p \
     WHERE p.group_id = g.id) AS permissions";

#[derive(sqlx::FromRow)]
pub(super) struct GroupRow {
    id: i64,
    tenant_id: uuid::Uuid,
    name: String,
    description: Option<String>,
    branch: Option<String>,
    version: i64,
    permissions: String,
}

impl GroupRow {
    pub(super) fn into_group(self) -> Result<UserGroup, StoreError> {
        let branch = match self.branch {
            None => None,
            Some(text) => {
                Some(serde_json::from_str::<Branch>(&text).map_err(|err| corrupt_in("user_groups", "branch", err))?)
            }
        };
        let permissions: BTreeMap<String, bool> = serde_json::from_str(&self.permissions)
            .map_err(|err| corrupt_in("user_group_permissions", "enabled", err))?;
        Ok(UserGroup {
            id: UserGroupId(self.id),
            tenant: NodeId(self.tenant_id),
            fields: UserGroupFields {
                name: UserGroupName::from_stored(self.name),
                description: self.description,
                branch,
            },
            permissions,
            version: version_of("user_groups", self.version)?,
        })
    }
}

/// The branch as stored.
pub(super) fn branch_text(fields: &UserGroupFields) -> Option<String> {
    fields.branch.as_ref().map(|branch| serde_json::to_string(branch).expect("a branch is plain data"))
}

/// The `ORDER BY` of a list: fixed fragments chosen by the query, never client text.
pub(super) fn order_by(query: &UserGroupQuery) -> &'static str {
    match (query.sort, query.reverse) {
        (SortField::Id, false) => "g.id",
        (SortField::Id, true) => "g.id DESC",
        (SortField::Name, false) => "g.name_key, g.id",
        (SortField::Name, true) => "g.name_key DESC, g.id",
        (SortField::Description, false) => "g.description_key, g.id",
        (SortField::Description, true) => "g.description_key DESC, g.id",
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct CustomRow {
    id: i64,
    label: String,
    description: Option<String>,
    default_value: bool,
}

impl CustomRow {
    pub(super) fn into_permission(self) -> CustomPermission {
        CustomPermission { id: self.id, label: self.label, description: self.description, default: self.default_value }
    }
}
