//! Bodies of the node routes, named as the spec names them (camelCase).

use crate::versioning::tagged;
use axum::Json;
use axum::response::Response;
use canopy_app::{NodeInput, NodeUpdate};
use canopy_domain::{Node, NodeKind, SubtreeCounts, Version};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A create body of some kind of node.
pub trait CreateBody: for<'de> Deserialize<'de> + Validate + Send {
    fn into_input(self) -> NodeInput;
}

/// An update body of some kind of node.
pub trait UpdateBody: for<'de> Deserialize<'de> + Validate + Send {
    fn into_update(self) -> NodeUpdate;
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupCreate {
    /// Unique among the instance's groups, case-insensitively after trimming; 1 to 255 characters.
    #[schema(example = "CBUR Test POST")]
    name: String,
    /// A DNS name, stored lowercase without a trailing dot.
    #[schema(example = "my.fusion.domain")]
    draas_domain: Option<String>,
    /// The group's first administrator (`group_admin`), created with the group in one unit of
    /// work and e-mailed an activation link; unique in the instance.
    #[schema(format = Email, example = "john.doe@netaxis.be")]
    admin_email: Option<String>,
}

impl CreateBody for GroupCreate {
    fn into_input(self) -> NodeInput {
        let attributes = attributes([("draasDomain", self.draas_domain.map(Value::from))]);
        NodeInput { name: self.name, attributes, admin_email: self.admin_email, ..Default::default() }
    }
}

/// Distributors and resellers carry only a name.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedCreate {
    /// Unique among the parent's children, case-insensitively after trimming; 1 to 255 characters.
    #[schema(example = "Reseller 1")]
    name: String,
}

impl CreateBody for NamedCreate {
    fn into_input(self) -> NodeInput {
        NodeInput { name: self.name, ..Default::default() }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantCreate {
    /// Unique among the parent's children, case-insensitively after trimming; 1 to 255 characters.
    #[schema(example = "Tenant 1")]
    name: String,
    /// Unique in the instance (case-insensitive); 1 to 64 ASCII letters, digits, `.`, `_`, `-`.
    #[schema(example = "tenant-1")]
    tenant_id: String,
}

impl CreateBody for TenantCreate {
    fn into_input(self) -> NodeInput {
        let attributes = attributes([("tenantId", Some(Value::from(self.tenant_id)))]);
        NodeInput { name: self.name, attributes, ..Default::default() }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupUpdate {
    /// Absent (or `null`) keeps the name.
    name: Option<String>,
    /// Absent keeps the domain; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    draas_domain: Option<Option<String>>,
}

impl UpdateBody for GroupUpdate {
    fn into_update(self) -> NodeUpdate {
        // `Some(None)` (sent as `null`) clears the domain: it reaches the domain as `null`.
        let domain = self.draas_domain.map(|domain| domain.map_or(Value::Null, Value::from));
        NodeUpdate { name: self.name, attributes: attributes([("draasDomain", domain)]), enabled: None }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedUpdate {
    /// Absent (or `null`) keeps the name.
    name: Option<String>,
}

impl UpdateBody for NamedUpdate {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate { name: self.name, ..Default::default() }
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantUpdate {
    /// Absent (or `null`) keeps the name.
    name: Option<String>,
    /// Absent (or `null`) keeps the tenant id.
    tenant_id: Option<String>,
}

impl UpdateBody for TenantUpdate {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate {
            name: self.name,
            attributes: attributes([("tenantId", self.tenant_id.map(Value::from))]),
            enabled: None,
        }
    }
}

/// The attributes a body sent (by wire name), for the domain to read.
fn attributes<const N: usize>(sent: [(&str, Option<Value>); N]) -> Map<String, Value> {
    sent.into_iter().filter_map(|(name, value)| Some((name.to_owned(), value?))).collect()
}

/// Distinguishes a field sent as `null` (`Some(None)`) from an absent one (`None`).
fn present<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(de).map(Some)
}

/// A node's uuid; after a creation or change also its new version (the `ETag`'s).
#[derive(Debug, Serialize, ToSchema)]
pub struct UuidBody {
    pub uuid: Uuid,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, minimum = 1)]
    pub version: Option<u64>,
}

impl UuidBody {
    /// The answer to a creation or a change: the uuid and new version, also as the `ETag`.
    pub fn answer(uuid: Uuid, version: Version) -> Response {
        tagged(version, Json(Self { uuid, version: Some(version.0) }))
    }
}

/// A node as lists and reads show it; the `nbOf*` counters only on reads of one node. Its
/// schema is built from the domain's description of the kinds ([`NodeBody`]'s `ToSchema`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeBody {
    uuid: Uuid,
    id: i64,
    name: String,
    /// The kind's attributes by wire name, and its identifier (`groupId`, `userId`: the name).
    #[serde(flatten)]
    attributes: Map<String, Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distributor_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reseller_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    site_group_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_distributors: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_resellers: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_tenants: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_site_groups: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_users: Option<u64>,
    version: u64,
}

/// Lists show each node without its counters.
impl From<Node> for NodeBody {
    fn from(node: Node) -> Self {
        let mut attributes = node.attributes.to_wire();
        let field = node.kind.name_rule().field();
        if field != "name" {
            attributes.insert(field.to_owned(), node.name.as_str().into());
        }
        let lineage = node.lineage;
        Self {
            uuid: node.id.0,
            id: node.serial.0,
            name: node.name.as_str().to_owned(),
            attributes,
            group_uuid: lineage.group.map(|id| id.0),
            distributor_uuid: lineage.distributor.map(|id| id.0),
            reseller_uuid: lineage.reseller.map(|id| id.0),
            tenant_uuid: lineage.tenant.map(|id| id.0),
            site_group_uuid: lineage.site_group.map(|id| id.0),
            nb_of_distributors: None,
            nb_of_resellers: None,
            nb_of_tenants: None,
            nb_of_site_groups: None,
            nb_of_users: None,
            version: node.version.0,
        }
    }
}

impl NodeBody {
    /// The full read of one node: the counts of the kinds that may lie anywhere below it.
    pub fn detailed(node: Node, counts: SubtreeCounts) -> Self {
        let below = node.kind.below();
        let count = |kind: NodeKind| below.contains(&kind).then(|| counts.get(kind));
        Self {
            nb_of_distributors: count(NodeKind::Distributor),
            nb_of_resellers: count(NodeKind::Reseller),
            nb_of_tenants: count(NodeKind::Tenant),
            nb_of_site_groups: count(NodeKind::SiteGroup),
            nb_of_users: count(NodeKind::User),
            ..Self::from(node)
        }
    }
}

/// The creation rules: for each holder (`instance` or a kind), the kinds it may hold.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreationRules {
    #[schema(example = json!({
        "distributor": ["reseller", "tenant"],
        "group": ["distributor", "reseller", "tenant"],
        "instance": ["group"],
        "reseller": ["tenant"],
        "site_group": ["user"],
        "tenant": ["site_group", "user"],
        "user": []
    }), value_type = BTreeMap<String, Vec<String>>)]
    pub creation: BTreeMap<&'static str, &'static [NodeKind]>,
}
