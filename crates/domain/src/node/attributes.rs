//! What one level of the hierarchy carries beyond its name, described once per kind: the fields
//! as data ([`Attributes::fields`]: wire name, type, whether a creation needs it, whether `null`
//! clears it, description, example, the sort it gives lists), how a client's JSON object becomes
//! them (a creation, a change), how they are shown, and the key they make unique.
//!
//! A new level adds its variant here (boxed when it is large, so that `Node` stays small) and its
//! fields to [`Attributes::fields`]; services and faces pass the client's object through.

use super::NodeKind;
use crate::error::DomainError;
use crate::list::NodeSort;
use crate::name::{DraasDomain, TenantId};
use serde_json::{Map, Value};

/// The attributes of a node, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attributes {
    Group { draas_domain: Option<DraasDomain> },
    Distributor,
    Reseller,
    Tenant { tenant_id: TenantId },
}

/// Changes to the attributes of a node of one kind: `None` keeps a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttributeChanges {
    /// `Some(None)` clears the domain.
    Group {
        draas_domain: Option<Option<DraasDomain>>,
    },
    Distributor,
    Reseller,
    Tenant {
        tenant_id: Option<TenantId>,
    },
}

/// The JSON type of a field as a client sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
}

/// One attribute as clients see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// The wire name (camelCase, as the spec writes it).
    pub name: &'static str,
    pub json_type: JsonType,
    /// A creation must send it.
    pub required: bool,
    /// A change may send `null` to clear it (otherwise `null`, like absence, keeps it).
    pub clearable: bool,
    /// Longest accepted text, in characters.
    pub max_length: usize,
    pub description: &'static str,
    pub example: &'static str,
    /// The order a list may be sorted in by this field (and searched over).
    pub sort: Option<NodeSort>,
}

const DRAAS_DOMAIN: Field = Field {
    name: "draasDomain",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 253,
    description: "A DNS name, stored lowercase without a trailing dot.",
    example: "my.fusion.domain",
    sort: Some(NodeSort::DraasDomain),
};

const TENANT_ID: Field = Field {
    name: "tenantId",
    json_type: JsonType::String,
    required: true,
    clearable: false,
    max_length: 64,
    description: "Unique in the instance (case-insensitive); 1 to 64 ASCII letters, digits, `.`, `_`, `-`.",
    example: "tenant-1",
    sort: Some(NodeSort::TenantId),
};

impl Attributes {
    /// The fields a node of `kind` carries beyond its name.
    pub fn fields(kind: NodeKind) -> &'static [Field] {
        match kind {
            NodeKind::Group => &[DRAAS_DOMAIN],
            NodeKind::Distributor | NodeKind::Reseller => &[],
            NodeKind::Tenant => &[TENANT_ID],
        }
    }

    /// A node of `kind` with no optional attribute set, and a tenant the id `tenant`: what tests
    /// build nodes with when their attributes do not matter.
    pub fn blank(kind: NodeKind) -> Self {
        match kind {
            NodeKind::Group => Self::Group { draas_domain: None },
            NodeKind::Distributor => Self::Distributor,
            NodeKind::Reseller => Self::Reseller,
            NodeKind::Tenant => Self::Tenant { tenant_id: TenantId::parse("tenant").expect("a valid tenant id") },
        }
    }

    pub fn kind(&self) -> NodeKind {
        match self {
            Self::Group { .. } => NodeKind::Group,
            Self::Distributor => NodeKind::Distributor,
            Self::Reseller => NodeKind::Reseller,
            Self::Tenant { .. } => NodeKind::Tenant,
        }
    }

    /// The attributes of a new node of `kind`, from the client's object (its other members are
    /// the caller's: `name`, ...). A field of another kind is refused by name.
    pub fn parse_new(kind: NodeKind, input: &Map<String, Value>) -> Result<Self, DomainError> {
        refuse_others(kind, input)?;
        Ok(match kind {
            NodeKind::Group => Self::Group { draas_domain: text(input, &DRAAS_DOMAIN, DraasDomain::parse)? },
            NodeKind::Distributor => Self::Distributor,
            NodeKind::Reseller => Self::Reseller,
            NodeKind::Tenant => Self::Tenant {
                tenant_id: text(input, &TENANT_ID, TenantId::parse)?
                    .ok_or_else(|| DomainError::invalid(TENANT_ID.name, "is required"))?,
            },
        })
    }

    /// Changes to a node of `kind`: an absent field keeps its value, `null` clears a clearable
    /// one (and keeps the others).
    pub fn parse_changes(kind: NodeKind, input: &Map<String, Value>) -> Result<AttributeChanges, DomainError> {
        refuse_others(kind, input)?;
        Ok(match kind {
            NodeKind::Group => AttributeChanges::Group {
                draas_domain: match input.get(DRAAS_DOMAIN.name) {
                    None => None,
                    Some(_) => Some(text(input, &DRAAS_DOMAIN, DraasDomain::parse)?),
                },
            },
            NodeKind::Distributor => AttributeChanges::Distributor,
            NodeKind::Reseller => AttributeChanges::Reseller,
            NodeKind::Tenant => AttributeChanges::Tenant { tenant_id: text(input, &TENANT_ID, TenantId::parse)? },
        })
    }

    /// These attributes with `changes` applied (changes of another kind change nothing).
    pub fn changed(&self, changes: &AttributeChanges) -> Self {
        match (self, changes) {
            (Self::Group { draas_domain }, AttributeChanges::Group { draas_domain: new }) => {
                Self::Group { draas_domain: new.clone().unwrap_or_else(|| draas_domain.clone()) }
            }
            (Self::Tenant { tenant_id }, AttributeChanges::Tenant { tenant_id: new }) => {
                Self::Tenant { tenant_id: new.clone().unwrap_or_else(|| tenant_id.clone()) }
            }
            (unchanged, _) => unchanged.clone(),
        }
    }

    /// The wire fields: a field without a value is left out.
    pub fn to_wire(&self) -> Map<String, Value> {
        let mut wire = Map::new();
        if let Some(domain) = self.draas_domain() {
            wire.insert(DRAAS_DOMAIN.name.into(), domain.as_str().into());
        }
        if let Some(tenant_id) = self.tenant_id() {
            wire.insert(TENANT_ID.name.into(), tenant_id.as_str().into());
        }
        wire
    }

    /// The key unique among the nodes of an instance (a tenant's id, case-insensitively).
    pub fn unique_key(&self) -> Option<&str> {
        self.tenant_id().map(TenantId::key)
    }

    pub fn draas_domain(&self) -> Option<&DraasDomain> {
        match self {
            Self::Group { draas_domain } => draas_domain.as_ref(),
            _ => None,
        }
    }

    pub fn tenant_id(&self) -> Option<&TenantId> {
        match self {
            Self::Tenant { tenant_id } => Some(tenant_id),
            _ => None,
        }
    }
}

/// A member of the object that is no field of `kind`: refused by name, as another kind's field
/// ("only groups have one") or as unknown.
fn refuse_others(kind: NodeKind, input: &Map<String, Value>) -> Result<(), DomainError> {
    let own = Attributes::fields(kind);
    let Some(name) = input.keys().find(|name| own.iter().all(|field| field.name != name.as_str())) else {
        return Ok(());
    };
    let holders: Vec<&str> = NodeKind::ALL
        .into_iter()
        .filter(|other| Attributes::fields(*other).iter().any(|field| field.name == name))
        .map(NodeKind::plural)
        .collect();
    match NodeKind::ALL.into_iter().flat_map(Attributes::fields).find(|field| field.name == name) {
        Some(field) => Err(DomainError::invalid(field.name, format!("only {} have one", holders.join(", ")))),
        None => Err(DomainError::invalid("body", format!("unknown field {name:?}"))),
    }
}

/// A text field: absent or `null` is `None`, a string is parsed, anything else is refused.
fn text<T>(
    input: &Map<String, Value>,
    field: &Field,
    parse: fn(&str) -> Result<T, DomainError>,
) -> Result<Option<T>, DomainError> {
    match input.get(field.name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(raw)) => parse(raw).map(Some),
        Some(_) => Err(DomainError::invalid(field.name, "must be a string")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(value: Value) -> Map<String, Value> {
        value.as_object().unwrap().clone()
    }

    #[test]
    fn each_kind_parses_its_own_fields_and_refuses_another_kinds_by_name() {
        let group = Attributes::parse_new(NodeKind::Group, &object(json!({"draasDomain": "A.Example."}))).unwrap();
        assert_eq!(group.draas_domain().map(DraasDomain::as_str), Some("a.example"));
        assert_eq!(Attributes::parse_new(NodeKind::Group, &Map::new()), Ok(Attributes::Group { draas_domain: None }));
        let tenant = Attributes::parse_new(NodeKind::Tenant, &object(json!({"tenantId": "Acme"}))).unwrap();
        assert_eq!((tenant.kind(), tenant.unique_key()), (NodeKind::Tenant, Some("acme")));
        let refused = |kind, value| Attributes::parse_new(kind, &object(value)).unwrap_err().to_string();
        assert_eq!(refused(NodeKind::Tenant, json!({})), "tenantId: is required");
        assert_eq!(refused(NodeKind::Reseller, json!({"tenantId": "x"})), "tenantId: only tenants have one");
        assert_eq!(
            refused(NodeKind::Tenant, json!({"tenantId": "t", "draasDomain": "a.b"})),
            "draasDomain: only groups have one"
        );
        assert_eq!(refused(NodeKind::Group, json!({"draasDomain": 7})), "draasDomain: must be a string");
        assert!(refused(NodeKind::Group, json!({"colour": "red"})).contains("unknown field"));
    }

    #[test]
    fn a_change_keeps_what_is_absent_and_null_clears_only_what_may_be_cleared() {
        let group = Attributes::Group { draas_domain: Some(DraasDomain::parse("a.example").unwrap()) };
        let keep = Attributes::parse_changes(NodeKind::Group, &Map::new()).unwrap();
        assert_eq!(group.changed(&keep), group);
        let clear = Attributes::parse_changes(NodeKind::Group, &object(json!({"draasDomain": null}))).unwrap();
        assert_eq!(group.changed(&clear), Attributes::Group { draas_domain: None });
        let tenant = Attributes::Tenant { tenant_id: TenantId::parse("t1").unwrap() };
        let null = Attributes::parse_changes(NodeKind::Tenant, &object(json!({"tenantId": null}))).unwrap();
        assert_eq!(tenant.changed(&null), tenant, "a tenant id is never cleared");
        let renamed = Attributes::parse_changes(NodeKind::Tenant, &object(json!({"tenantId": "t2"}))).unwrap();
        assert_eq!(tenant.changed(&renamed).tenant_id().map(TenantId::as_str), Some("t2"));
    }

    #[test]
    fn every_field_is_described_sorts_by_its_wire_name_and_is_shown_by_it() {
        for kind in NodeKind::ALL {
            for field in Attributes::fields(kind) {
                assert!(!field.description.is_empty() && !field.example.is_empty(), "{kind}: {}", field.name);
                assert!(field.sort.is_some_and(|sort| sort.as_str() == field.name), "{kind} sorts by {}", field.name);
            }
        }
        let tenant = Attributes::Tenant { tenant_id: TenantId::parse("t1").unwrap() };
        assert_eq!(Value::Object(tenant.to_wire()), json!({"tenantId": "t1"}));
        assert!(Attributes::Reseller.to_wire().is_empty());
    }
}
