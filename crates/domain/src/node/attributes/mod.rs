//! What one level of the hierarchy carries beyond its name, described once per kind: the fields
//! as data ([`Attributes::fields`]: wire name, type, whether a creation needs it, whether `null`
//! clears it, description, example, the sort it gives lists), how a client's JSON object becomes
//! them (a creation, a change), how they are shown, and the key they make unique.
//!
//! A new level adds its variant here (boxed when it is large, so that `Node` stays small) and its
//! fields to [`Attributes::fields`]; services and faces pass the client's object through. The big
//! levels (site groups, users) take a change as a patch of their wire form: the stored attributes
//! shown, the patch laid over them, the result parsed again by the same rules as a creation.

mod site_group;
mod user;
mod values;

pub use site_group::SiteGroupAttributes;
pub use user::UserAttributes;
pub use values::{InfoObject, TimeZone};

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
    SiteGroup(Box<SiteGroupAttributes>),
    User(Box<UserAttributes>),
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
    /// The fields sent, checked one by one; `null` (kept only for a clearable field) clears.
    SiteGroup(SiteGroupChanges),
    User(UserChanges),
}

impl AttributeChanges {
    /// The e-mail a change of a user sends (checked already): the login of a user that had none.
    pub fn email(&self) -> Option<crate::email::Email> {
        let Self::User(patch) = self else { return None };
        patch.get(user::EMAIL.name).and_then(Value::as_str).and_then(|raw| crate::email::Email::parse(raw).ok())
    }
}

/// A checked patch of a site group's wire fields.
pub type SiteGroupChanges = Map<String, Value>;

/// A checked patch of a user's wire fields.
pub type UserChanges = Map<String, Value>;

/// The JSON type of a field as a client sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer {
        minimum: u64,
        maximum: u64,
    },
    /// An object of text members ([`InfoObject`]).
    Object,
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
    /// Longest accepted value: characters of a text, digits of an integer, bytes of an object's JSON.
    pub max_length: usize,
    pub description: &'static str,
    /// An example value, as JSON text for an object or an integer.
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
            NodeKind::SiteGroup => site_group::FIELDS,
            NodeKind::User => user::FIELDS,
        }
    }

    /// A node of `kind` with no optional attribute set, a tenant the id `tenant`, a site group a
    /// limit of 999999 users and a user the names `First Last`: what tests build nodes with when
    /// their attributes do not matter.
    pub fn blank(kind: NodeKind) -> Self {
        match kind {
            NodeKind::Group => Self::Group { draas_domain: None },
            NodeKind::Distributor => Self::Distributor,
            NodeKind::Reseller => Self::Reseller,
            NodeKind::Tenant => Self::Tenant { tenant_id: TenantId::parse("tenant").expect("a valid tenant id") },
            NodeKind::SiteGroup => Self::SiteGroup(Box::new(SiteGroupAttributes::with_limit(999_999))),
            NodeKind::User => Self::User(Box::new(UserAttributes::named("First", "Last"))),
        }
    }

    pub fn kind(&self) -> NodeKind {
        match self {
            Self::Group { .. } => NodeKind::Group,
            Self::Distributor => NodeKind::Distributor,
            Self::Reseller => NodeKind::Reseller,
            Self::Tenant { .. } => NodeKind::Tenant,
            Self::SiteGroup(_) => NodeKind::SiteGroup,
            Self::User(_) => NodeKind::User,
        }
    }

    /// The attributes of a new node of `kind`, from the client's object (its other members are
    /// the caller's: `name`, ...). A field of another kind is refused by name. Also how stores
    /// read back the attributes they keep as their wire form.
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
            NodeKind::SiteGroup => Self::SiteGroup(Box::new(SiteGroupAttributes::parse(input)?)),
            NodeKind::User => Self::User(Box::new(UserAttributes::parse(input)?)),
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
            NodeKind::SiteGroup => AttributeChanges::SiteGroup(patch(kind, input)?),
            NodeKind::User => AttributeChanges::User(patch(kind, input)?),
        })
    }

    /// These attributes with `changes` applied (changes of another kind change nothing). Refused
    /// when the result breaks a rule that involves the stored value: a user's e-mail never
    /// changes once set.
    pub fn changed(&self, changes: &AttributeChanges) -> Result<Self, DomainError> {
        Ok(match (self, changes) {
            (Self::Group { draas_domain }, AttributeChanges::Group { draas_domain: new }) => {
                Self::Group { draas_domain: new.clone().unwrap_or_else(|| draas_domain.clone()) }
            }
            (Self::Tenant { tenant_id }, AttributeChanges::Tenant { tenant_id: new }) => {
                Self::Tenant { tenant_id: new.clone().unwrap_or_else(|| tenant_id.clone()) }
            }
            (Self::SiteGroup(_), AttributeChanges::SiteGroup(patch)) => {
                Self::parse_new(self.kind(), &self.patched(patch))?
            }
            (Self::User(old), AttributeChanges::User(patch)) => {
                Self::User(Box::new(old.keeping_email(UserAttributes::parse(&self.patched(patch))?)?))
            }
            (unchanged, _) => unchanged.clone(),
        })
    }

    /// The wire form laid over by a patch: `null` removes a member, any other value replaces it.
    fn patched(&self, patch: &Map<String, Value>) -> Map<String, Value> {
        let mut wire = self.to_wire();
        for (name, value) in patch {
            match value {
                Value::Null => wire.remove(name),
                value => wire.insert(name.clone(), value.clone()),
            };
        }
        wire
    }

    /// The wire fields: a field without a value is left out.
    pub fn to_wire(&self) -> Map<String, Value> {
        let mut wire = Map::new();
        match self {
            Self::Group { draas_domain: Some(domain) } => {
                wire.insert(DRAAS_DOMAIN.name.into(), domain.as_str().into());
            }
            Self::Tenant { tenant_id } => {
                wire.insert(TENANT_ID.name.into(), tenant_id.as_str().into());
            }
            Self::SiteGroup(site_group) => site_group.to_wire(&mut wire),
            Self::User(user) => user.to_wire(&mut wire),
            Self::Group { draas_domain: None } | Self::Distributor | Self::Reseller => {}
        }
        wire
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

    pub fn site_group(&self) -> Option<&SiteGroupAttributes> {
        match self {
            Self::SiteGroup(site_group) => Some(site_group),
            _ => None,
        }
    }

    pub fn user(&self) -> Option<&UserAttributes> {
        match self {
            Self::User(user) => Some(user),
            _ => None,
        }
    }
}

/// A change of a big level: each field sent is checked alone (laid over the blank attributes of
/// the kind, which satisfy every rule, so a refusal names the field sent), `null` is kept for a
/// clearable field only.
fn patch(kind: NodeKind, input: &Map<String, Value>) -> Result<Map<String, Value>, DomainError> {
    let clearable = |name: &str| Attributes::fields(kind).iter().any(|field| field.name == name && field.clearable);
    let patch: Map<String, Value> = input
        .iter()
        .filter(|(name, value)| !value.is_null() || clearable(name))
        .map(|(n, v)| (n.clone(), v.clone()))
        .collect();
    Attributes::parse_new(kind, &Attributes::blank(kind).patched(&patch))?;
    Ok(patch)
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
    match values::text(input, field)? {
        None => Ok(None),
        Some(raw) => parse(raw).map(Some),
    }
}

#[cfg(test)]
mod tests;
