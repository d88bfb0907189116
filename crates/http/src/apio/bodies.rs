//! The APIO bodies: a site group or a user as APIO shows it (its key, then its attributes as the
//! domain describes them), and the creation bodies with APIO's members beyond the attributes.

use crate::nodes::{DescribedCreate, NodeCreateBody, SiteGroups};
use canopy_app::{NodeInput, SiteGroupOptions};
use canopy_domain::Node;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use validator::{Validate, ValidationErrors};

/// A node as APIO shows it: `groupId` or `userId`, then its attributes.
pub fn shown(node: &Node) -> Value {
    let mut wire = Map::new();
    wire.insert(node.kind.name_rule().field().to_owned(), node.name.as_str().into());
    wire.extend(node.attributes.to_wire());
    Value::Object(wire)
}

/// A row of G1: the OCI columns Group Id, Group Name, User Limit.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupRow {
    #[schema(example = "foogroup")]
    pub group_id: String,
    /// `""` when the group has no name.
    #[schema(example = "Foo Group")]
    pub group_name: String,
    #[schema(example = 10)]
    pub user_limit: u32,
}

impl GroupRow {
    pub fn of(node: &Node) -> Self {
        let group = node.attributes.site_group();
        Self {
            group_id: node.name.as_str().to_owned(),
            group_name: group.map(|g| g.group_name().to_owned()).unwrap_or_default(),
            user_limit: group.map(|g| g.user_limit()).unwrap_or_default(),
        }
    }
}

/// G1's answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"groups": [{"groupId": "foogroup", "groupName": "Foo Group", "userLimit": 10}]}))]
pub struct GroupRows {
    pub groups: Vec<GroupRow>,
}

/// APIO's empty answer, `{}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({}))]
pub struct Empty {}

/// G2's body: a site group's fields (`groupId` and the attributes), and APIO's creation options.
pub struct GroupCreate {
    pub group: DescribedCreate<SiteGroups>,
    /// A group template (category `group`) whose defaults the body is laid over.
    pub template_name: Option<String>,
    /// The reseller the group belongs to: the tenant's own (by uuid or name).
    pub reseller_id: Option<String>,
    /// Overrides `AUTO_CREATE.GROUP_DEFAULT_DOMAIN` for this creation.
    pub auto_create_domain: Option<bool>,
}

impl GroupCreate {
    pub fn options(&self) -> SiteGroupOptions {
        SiteGroupOptions {
            template_name: self.template_name.clone(),
            reseller_id: self.reseller_id.clone(),
            auto_create_domain: self.auto_create_domain,
        }
    }

    pub fn into_input(self) -> NodeInput {
        self.group.into_input()
    }
}

impl<'de> Deserialize<'de> for GroupCreate {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(de)?;
        let mut text = |name: &str| match object.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(text)) => Ok(Some(text)),
            Some(_) => Err(D::Error::custom(format!("invalid type for `{name}`: expected a string"))),
        };
        let (template_name, reseller_id) = (text("templateName")?, text("resellerId")?);
        let auto_create_domain = match object.remove("autoCreateDomain") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(flag)) => Some(flag),
            Some(_) => return Err(D::Error::custom("invalid type for `autoCreateDomain`: expected a boolean")),
        };
        let group = DescribedCreate::<SiteGroups>::deserialize(Value::Object(object)).map_err(D::Error::custom)?;
        Ok(Self { group, template_name, reseller_id, auto_create_domain })
    }
}

// The shape is checked while deserializing, the values by the domain.
impl Validate for GroupCreate {
    fn validate(&self) -> Result<(), ValidationErrors> {
        Ok(())
    }
}
