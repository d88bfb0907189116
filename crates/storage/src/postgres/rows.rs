//! Rows of the `nodes` and `admins` tables and their conversion into domain values.
//!
//! Stored values were validated on the way in, so they are parsed again with the domain's own
//! constructors; a value that no longer parses means the table was altered behind the adapter's
//! back and is reported as a backend error, never papered over. Names and e-mail addresses are
//! the exception: rules about them have tightened since rows were written (issue 21: invisible
//! characters), so they are read as stored (`from_stored`), and such a row still reads, renames
//! and deletes.

use super::versions::version_of;
use crate::accounts::LoginRecord;
use crate::error::StoreError;
use crate::nodes::NodeView;
use canopy_domain::{
    Admin, AdminDetails, AdminId, Attributes, DraasDomain, Email, InstanceSlug, Lineage, Node, NodeId, NodeKind,
    NodeName, Profile, SubtreeCounts, TenantId, Timestamp,
};
use uuid::Uuid;

/// The columns [`NodeRow`] reads, as a literal so that queries can stay `&'static str`.
macro_rules! node_columns {
    () => {
        "id, instance, kind, parent_id, group_id, distributor_id, reseller_id, name, draas_domain, tenant_id, version"
    };
}
pub(super) use node_columns;

#[derive(sqlx::FromRow)]
pub(super) struct NodeRow {
    id: Uuid,
    instance: String,
    kind: String,
    parent_id: Option<Uuid>,
    group_id: Option<Uuid>,
    distributor_id: Option<Uuid>,
    reseller_id: Option<Uuid>,
    name: String,
    draas_domain: Option<String>,
    tenant_id: Option<String>,
    version: i64,
}

/// A node row with its subtree counters (`node_columns!()` plus the three `nb_*` columns).
#[derive(sqlx::FromRow)]
pub(super) struct NodeViewRow {
    #[sqlx(flatten)]
    node: NodeRow,
    nb_distributors: i64,
    nb_resellers: i64,
    nb_tenants: i64,
}

/// The columns [`AdminRow`] reads. `active` is derived, so that the password hash itself only
/// leaves the database when a login needs it ([`LoginRow`]).
macro_rules! admin_columns {
    () => {
        "id, instance, profile, home_id, email, first_name, last_name, mobile, \
         (password_hash IS NOT NULL) AS active, must_change_password, version"
    };
}
pub(super) use admin_columns;

#[derive(sqlx::FromRow)]
pub(super) struct AdminRow {
    id: i64,
    instance: String,
    profile: String,
    home_id: Option<Uuid>,
    email: String,
    first_name: Option<String>,
    last_name: Option<String>,
    mobile: Option<String>,
    active: bool,
    must_change_password: bool,
    version: i64,
}

/// An administrator row with what a login checks (`admin_columns!()`, `password_hash`,
/// `locked_until_ms`).
#[derive(sqlx::FromRow)]
pub(super) struct LoginRow {
    #[sqlx(flatten)]
    admin: AdminRow,
    password_hash: Option<String>,
    locked_until_ms: Option<i64>,
}

/// A stored value the domain rejects.
#[derive(Debug, thiserror::Error)]
#[error("the {table} table holds an invalid {column}: {reason}")]
pub(super) struct CorruptRow {
    table: &'static str,
    column: &'static str,
    reason: String,
}

fn corrupt(column: &'static str, reason: impl ToString) -> StoreError {
    corrupt_in("nodes", column, reason)
}

pub(super) fn corrupt_in(table: &'static str, column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::Backend(Box::new(CorruptRow { table, column, reason: reason.to_string() }))
}

/// A count of failed logins, read from `table`, as the domain counts them.
pub(super) fn failed_logins(table: &'static str, raw: i32) -> Result<u32, StoreError> {
    u32::try_from(raw).map_err(|_| corrupt_in(table, "failed_logins", format!("negative count {raw}")))
}

pub(super) fn parse_kind(raw: &str) -> Result<NodeKind, StoreError> {
    NodeKind::parse(raw).ok_or_else(|| corrupt("kind", format!("unknown kind {raw:?}")))
}

pub(super) fn count(column: &'static str, raw: i64) -> Result<u64, StoreError> {
    u64::try_from(raw).map_err(|_| corrupt(column, format!("negative count {raw}")))
}

impl NodeRow {
    pub(super) fn into_node(self) -> Result<Node, StoreError> {
        let kind = parse_kind(&self.kind)?;
        Ok(Node {
            id: NodeId(self.id),
            instance: InstanceSlug::parse(&self.instance).map_err(|e| corrupt("instance", e))?,
            kind,
            parent: self.parent_id.map(NodeId),
            lineage: Lineage {
                group: self.group_id.map(NodeId),
                distributor: self.distributor_id.map(NodeId),
                reseller: self.reseller_id.map(NodeId),
            },
            name: NodeName::from_stored(&self.name),
            attributes: attributes_of(kind, self.draas_domain.as_deref(), self.tenant_id.as_deref())?,
            version: version_of("nodes", self.version)?,
        })
    }
}

/// The columns a node's attributes are stored in: the one mapping of [`Attributes`] to the
/// schema (with [`attributes_of`] back). Keys are the domain's (`TenantId::key`), never SQL's.
pub(super) struct AttributeColumns<'a> {
    pub draas_domain: Option<&'a str>,
    pub tenant_id: Option<&'a str>,
    pub tenant_key: Option<&'a str>,
}

impl<'a> AttributeColumns<'a> {
    pub(super) fn of(attributes: &'a Attributes) -> Self {
        let tenant_id = attributes.tenant_id();
        Self {
            draas_domain: attributes.draas_domain().map(DraasDomain::as_str),
            tenant_id: tenant_id.map(TenantId::as_str),
            tenant_key: tenant_id.map(TenantId::key),
        }
    }
}

/// A node's attributes read back from their columns, by its kind.
fn attributes_of(
    kind: NodeKind,
    draas_domain: Option<&str>,
    tenant_id: Option<&str>,
) -> Result<Attributes, StoreError> {
    Ok(match kind {
        NodeKind::Group => Attributes::Group {
            draas_domain: draas_domain.map(DraasDomain::parse).transpose().map_err(|e| corrupt("draas_domain", e))?,
        },
        NodeKind::Distributor => Attributes::Distributor,
        NodeKind::Reseller => Attributes::Reseller,
        NodeKind::Tenant => Attributes::Tenant {
            tenant_id: TenantId::parse(tenant_id.unwrap_or_default()).map_err(|e| corrupt("tenant_id", e))?,
        },
    })
}

impl NodeViewRow {
    pub(super) fn into_view(self) -> Result<NodeView, StoreError> {
        Ok(NodeView {
            node: self.node.into_node()?,
            subtree: SubtreeCounts {
                distributors: count("nb_distributors", self.nb_distributors)?,
                resellers: count("nb_resellers", self.nb_resellers)?,
                tenants: count("nb_tenants", self.nb_tenants)?,
            },
        })
    }
}

impl AdminRow {
    pub(super) fn into_admin(self) -> Result<Admin, StoreError> {
        let corrupt = |column, reason: String| corrupt_in("admins", column, reason);
        Ok(Admin {
            id: AdminId(self.id),
            instance: InstanceSlug::parse(&self.instance).map_err(|e| corrupt("instance", e.to_string()))?,
            profile: Profile::parse(&self.profile)
                .ok_or_else(|| corrupt("profile", format!("unknown profile {:?}", self.profile)))?,
            home: self.home_id.map(NodeId),
            email: Email::from_stored(&self.email),
            // The domain's error names the detail it rejects.
            details: AdminDetails::parse(self.first_name.as_deref(), self.last_name.as_deref(), self.mobile.as_deref())
                .map_err(|e| corrupt("detail", e.to_string()))?,
            active: self.active,
            must_change_password: self.must_change_password,
            version: version_of("admins", self.version)?,
        })
    }
}

impl LoginRow {
    pub(super) fn into_record(self) -> Result<LoginRecord, StoreError> {
        Ok(LoginRecord {
            admin: self.admin.into_admin()?,
            password_hash: self.password_hash,
            locked_until: self.locked_until_ms.map(Timestamp),
        })
    }
}
