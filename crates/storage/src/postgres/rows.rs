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
    NodeName, Profile, Serial, SubtreeCounts, TenantId, Timestamp, TreeLock,
};
use uuid::Uuid;

/// The columns [`NodeRow`] reads, as a literal so that queries can stay `&'static str`.
macro_rules! node_columns {
    () => {
        "id, serial, instance, kind, parent_id, group_id, distributor_id, reseller_id, tenant_node_id, site_group_id, \
         name, draas_domain, tenant_id, attributes::text AS attributes, version, enabled, locked_by"
    };
}
pub(super) use node_columns;

/// SQL that holds when a node on the lineage of the home `$home` (an SQL expression naming a
/// node id: the home itself or a node above it) is disabled; never for a NULL home. The lineage
/// slots make it one probe per level, not a recursive walk.
macro_rules! lineage_disabled {
    ($home:literal) => {
        concat!(
            "EXISTS (SELECT 1 FROM nodes home JOIN nodes above ON above.id IN (home.id, home.group_id, \
             home.distributor_id, home.reseller_id, home.tenant_node_id, home.site_group_id) \
             WHERE home.id = ",
            $home,
            " AND NOT above.enabled)"
        )
    };
}
pub(super) use lineage_disabled;

#[derive(sqlx::FromRow)]
pub(super) struct NodeRow {
    id: Uuid,
    serial: i64,
    instance: String,
    kind: String,
    parent_id: Option<Uuid>,
    group_id: Option<Uuid>,
    distributor_id: Option<Uuid>,
    reseller_id: Option<Uuid>,
    tenant_node_id: Option<Uuid>,
    site_group_id: Option<Uuid>,
    name: String,
    draas_domain: Option<String>,
    tenant_id: Option<String>,
    /// The JSON text of the big levels' attributes (the column is jsonb).
    attributes: Option<String>,
    version: i64,
    enabled: bool,
    /// The holder of its tree lock, as `TreeLock::as_str` writes it.
    locked_by: Option<String>,
}

/// The subtree counters a [`NodeViewRow`] reads beside `node_columns!()`.
macro_rules! count_columns {
    () => {
        "nb_distributors, nb_resellers, nb_tenants, nb_site_groups, nb_users"
    };
}
pub(super) use count_columns;

/// A node row with its subtree counters (`node_columns!()` plus `count_columns!()`).
#[derive(sqlx::FromRow)]
pub(super) struct NodeViewRow {
    #[sqlx(flatten)]
    node: NodeRow,
    nb_distributors: i64,
    nb_resellers: i64,
    nb_tenants: i64,
    nb_site_groups: i64,
    nb_users: i64,
}

/// The columns [`AdminRow`] reads. `active` is derived, so that the password hash itself only
/// leaves the database when a login needs it ([`LoginRow`]).
macro_rules! admin_columns {
    () => {
        "id, instance, profile, home_id, email, first_name, last_name, mobile, \
         (password_hash IS NOT NULL) AS active, must_change_password, version, read_only"
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
    read_only: bool,
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
        let stored = Stored {
            draas_domain: self.draas_domain.as_deref(),
            tenant_id: self.tenant_id.as_deref(),
            attributes: self.attributes.as_deref(),
        };
        Ok(Node {
            id: NodeId(self.id),
            serial: Serial(self.serial),
            instance: InstanceSlug::parse(&self.instance).map_err(|e| corrupt("instance", e))?,
            kind,
            parent: self.parent_id.map(NodeId),
            lineage: Lineage {
                group: self.group_id.map(NodeId),
                distributor: self.distributor_id.map(NodeId),
                reseller: self.reseller_id.map(NodeId),
                tenant: self.tenant_node_id.map(NodeId),
                site_group: self.site_group_id.map(NodeId),
            },
            name: NodeName::from_stored(&self.name),
            attributes: attributes_of(kind, stored)?,
            version: version_of("nodes", self.version)?,
            enabled: self.enabled,
            lock: match self.locked_by.as_deref() {
                Some(raw) => Some(TreeLock::parse(raw).ok_or_else(|| corrupt("locked_by", format!("{raw:?}")))?),
                None => None,
            },
        })
    }
}

/// The columns a node's attributes are stored in: the one mapping of [`Attributes`] to the
/// schema (with [`attributes_of`] back). Keys are the domain's (`TenantId::key`, the names' keys),
/// never SQL's. The big levels keep their wire form as JSON, and the keys of what lists sort by.
pub(super) struct AttributeColumns<'a> {
    pub draas_domain: Option<&'a str>,
    pub tenant_id: Option<&'a str>,
    pub tenant_key: Option<&'a str>,
    /// JSON text, bound as `$n::jsonb`.
    pub attributes: Option<String>,
    pub group_name_key: Option<&'a str>,
    pub first_name_key: Option<&'a str>,
    pub last_name_key: Option<&'a str>,
}

impl<'a> AttributeColumns<'a> {
    pub(super) fn of(attributes: &'a Attributes) -> Self {
        let tenant_id = attributes.tenant_id();
        let (site_group, user) = (attributes.site_group(), attributes.user());
        let big = site_group.is_some() || user.is_some();
        Self {
            draas_domain: attributes.draas_domain().map(DraasDomain::as_str),
            tenant_id: tenant_id.map(TenantId::as_str),
            tenant_key: tenant_id.map(TenantId::key),
            attributes: big.then(|| serde_json::Value::Object(attributes.to_wire()).to_string()),
            group_name_key: site_group.map(|s| s.group_name_key()),
            first_name_key: user.map(|u| u.first_name_key()),
            last_name_key: user.map(|u| u.last_name_key()),
        }
    }
}

/// The attribute columns as read.
struct Stored<'a> {
    draas_domain: Option<&'a str>,
    tenant_id: Option<&'a str>,
    attributes: Option<&'a str>,
}

/// A node's attributes read back from their columns, by its kind.
fn attributes_of(kind: NodeKind, stored: Stored<'_>) -> Result<Attributes, StoreError> {
    Ok(match kind {
        NodeKind::Group => Attributes::Group {
            draas_domain: stored
                .draas_domain
                .map(DraasDomain::parse)
                .transpose()
                .map_err(|e| corrupt("draas_domain", e))?,
        },
        NodeKind::Distributor => Attributes::Distributor,
        NodeKind::Reseller => Attributes::Reseller,
        NodeKind::Tenant => Attributes::Tenant {
            tenant_id: TenantId::parse(stored.tenant_id.unwrap_or_default()).map_err(|e| corrupt("tenant_id", e))?,
        },
        NodeKind::SiteGroup | NodeKind::User => {
            let text = stored.attributes.unwrap_or("null");
            let wire: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(text).map_err(|e| corrupt("attributes", e))?;
            Attributes::parse_new(kind, &wire).map_err(|e| corrupt("attributes", e))?
        }
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
                site_groups: count("nb_site_groups", self.nb_site_groups)?,
                users: count("nb_users", self.nb_users)?,
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
            read_only: self.read_only,
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
