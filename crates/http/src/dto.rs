//! Request and response bodies, named as the spec names them (camelCase).

use canopy_app::{NodeInput, NodeUpdate};
use canopy_domain::{ListParams, Node, NodeKind, SubtreeCounts};
use serde::{Deserialize, Deserializer, Serialize};
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

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupCreate {
    name: String,
    draas_domain: Option<String>,
    /// Validated now; the administrator it names is created once administrators exist.
    #[validate(email(message = "must be an e-mail address"))]
    #[allow(dead_code)]
    admin_email: Option<String>,
}

impl CreateBody for GroupCreate {
    fn into_input(self) -> NodeInput {
        NodeInput { name: self.name, draas_domain: self.draas_domain, tenant_id: None }
    }
}

/// Distributors and resellers carry only a name.
#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedCreate {
    name: String,
}

impl CreateBody for NamedCreate {
    fn into_input(self) -> NodeInput {
        NodeInput { name: self.name, ..Default::default() }
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantCreate {
    name: String,
    tenant_id: String,
}

impl CreateBody for TenantCreate {
    fn into_input(self) -> NodeInput {
        NodeInput { name: self.name, draas_domain: None, tenant_id: Some(self.tenant_id) }
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupUpdate {
    name: Option<String>,
    /// Absent keeps the domain; `null` clears it.
    #[serde(default, deserialize_with = "present")]
    draas_domain: Option<Option<String>>,
}

impl UpdateBody for GroupUpdate {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate { name: self.name, draas_domain: self.draas_domain, tenant_id: None }
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NamedUpdate {
    name: Option<String>,
}

impl UpdateBody for NamedUpdate {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate { name: self.name, ..Default::default() }
    }
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TenantUpdate {
    name: Option<String>,
    tenant_id: Option<String>,
}

impl UpdateBody for TenantUpdate {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate { name: self.name, draas_domain: None, tenant_id: self.tenant_id }
    }
}

/// Distinguishes a field sent as `null` (`Some(None)`) from an absent one (`None`).
fn present<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(de).map(Some)
}

/// The list parameters every list takes.
#[derive(Debug, Deserialize)]
pub struct ListQueryParams {
    search: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<u64>,
    page_size: Option<u64>,
    next: Option<String>,
}

impl From<ListQueryParams> for ListParams {
    fn from(q: ListQueryParams) -> Self {
        ListParams { search: q.search, sort: q.sort, dir: q.dir, page: q.page, page_size: q.page_size, next: q.next }
    }
}

#[derive(Debug, Serialize)]
pub struct UuidBody {
    pub uuid: Uuid,
}

/// A node as lists and reads show it; `counts` only on reads of one node.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeBody {
    uuid: Uuid,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    draas_domain: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tenant_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    distributor_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reseller_uuid: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_distributors: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_resellers: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    nb_of_tenants: Option<u64>,
}

impl NodeBody {
    pub fn summary(node: Node) -> Self {
        Self {
            uuid: node.id.0,
            name: node.name.as_str().to_owned(),
            draas_domain: node.draas_domain.map(|d| d.as_str().to_owned()),
            tenant_id: node.tenant_id.map(|t| t.as_str().to_owned()),
            group_uuid: node.lineage.group.map(|id| id.0),
            distributor_uuid: node.lineage.distributor.map(|id| id.0),
            reseller_uuid: node.lineage.reseller.map(|id| id.0),
            nb_of_distributors: None,
            nb_of_resellers: None,
            nb_of_tenants: None,
        }
    }

    /// The full read of one node: the counts of the kinds that may lie below it.
    pub fn detailed(node: Node, counts: SubtreeCounts) -> Self {
        let kind = node.kind;
        let below = |k: NodeKind, n: u64| (kind < k && kind != NodeKind::Tenant).then_some(n);
        Self {
            nb_of_distributors: below(NodeKind::Distributor, counts.distributors),
            nb_of_resellers: below(NodeKind::Reseller, counts.resellers),
            nb_of_tenants: below(NodeKind::Tenant, counts.tenants),
            ..Self::summary(node)
        }
    }
}
