//! The create and update bodies of the kinds the domain describes field by field (site groups,
//! users): the client's object is passed through to the domain's `Attributes`, and the OpenAPI
//! schemas are built from `Attributes::fields`. A new such kind is a marker type here and one
//! line in `typed` (`nodes/mod.rs`).
//!
//! What a client sends is checked here for its shape only, as the typed bodies of the other kinds
//! are by serde (`invalid_body`: a member no field of the kind, a value of the wrong JSON type, the
//! name missing); the domain checks the values (`invalid_field`).

use super::bodies::{CreateBody, UpdateBody};
use canopy_app::{NodeInput, NodeUpdate};
use canopy_domain::{Attributes, Field, JsonType, NodeKind};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::marker::PhantomData;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::{PartialSchema, ToSchema};
use validator::{Validate, ValidationErrors};

/// A kind whose bodies are built from its fields.
pub trait Described: Send + 'static {
    const KIND: NodeKind;
    /// Where its name (`groupId`, `userId`) is unique.
    const UNIQUE: &'static str;
    /// Whether it comes with an account (a user with an `email`): its creation then takes
    /// `temporaryPassword`.
    const ACCOUNT: bool;
}

pub struct SiteGroups;

impl Described for SiteGroups {
    const KIND: NodeKind = NodeKind::SiteGroup;
    const UNIQUE: &'static str = "among the tenant's site groups";
    const ACCOUNT: bool = false;
}

pub struct Users;

impl Described for Users {
    const KIND: NodeKind = NodeKind::User;
    const UNIQUE: &'static str = "in the instance";
    const ACCOUNT: bool = true;
}

const TEMPORARY_PASSWORD: &str = "temporaryPassword";

/// A creation of a described kind.
pub struct DescribedCreate<L> {
    name: String,
    attributes: Map<String, Value>,
    temporary_password: Option<String>,
    kind: PhantomData<L>,
}

/// A change of a described kind.
pub struct DescribedUpdate<L> {
    name: Option<String>,
    attributes: Map<String, Value>,
    kind: PhantomData<L>,
}

impl<'de, L: Described> Deserialize<'de> for DescribedCreate<L> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(de)?;
        let field = L::KIND.name_rule().field();
        let name =
            take_text(&mut object, field).map_err(D::Error::custom)?.ok_or_else(|| D::Error::missing_field(field))?;
        let temporary_password =
            if L::ACCOUNT { take_text(&mut object, TEMPORARY_PASSWORD).map_err(D::Error::custom)? } else { None };
        check_members(L::KIND, &object, L::ACCOUNT).map_err(D::Error::custom)?;
        Ok(Self { name, attributes: object, temporary_password, kind: PhantomData })
    }
}

impl<'de, L: Described> Deserialize<'de> for DescribedUpdate<L> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        let mut object = Map::<String, Value>::deserialize(de)?;
        let name = take_text(&mut object, L::KIND.name_rule().field()).map_err(D::Error::custom)?;
        check_members(L::KIND, &object, false).map_err(D::Error::custom)?;
        Ok(Self { name, attributes: object, kind: PhantomData })
    }
}

/// Takes the member `field` out of the object: text, or absent (`null` is absent).
fn take_text(object: &mut Map<String, Value>, field: &str) -> Result<Option<String>, String> {
    match object.remove(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text)),
        Some(_) => Err(format!("invalid type for `{field}`: expected a string")),
    }
}

/// Every member is a field of the kind, of its JSON type (or `null`).
fn check_members(kind: NodeKind, object: &Map<String, Value>, account: bool) -> Result<(), String> {
    let fields = Attributes::fields(kind);
    for (name, value) in object {
        let Some(field) = fields.iter().find(|field| field.name == name) else {
            let mut expected: Vec<&str> = vec![kind.name_rule().field()];
            expected.extend(fields.iter().map(|field| field.name));
            if account {
                expected.push(TEMPORARY_PASSWORD);
            }
            return Err(format!("unknown field `{name}`, expected one of `{}`", expected.join("`, `")));
        };
        let fits = match field.json_type {
            _ if value.is_null() => true,
            JsonType::String => value.is_string(),
            JsonType::Integer { .. } => value.is_i64() || value.is_u64(),
            JsonType::Object => value.is_object(),
        };
        if !fits {
            return Err(format!("invalid type for `{name}`: expected {}", type_name(field.json_type)));
        }
    }
    Ok(())
}

fn type_name(json_type: JsonType) -> &'static str {
    match json_type {
        JsonType::String => "a string",
        JsonType::Integer { .. } => "an integer",
        JsonType::Object => "an object",
    }
}

// The shape is checked while deserializing, the values by the domain: nothing is left to validate.
impl<L> Validate for DescribedCreate<L> {
    fn validate(&self) -> Result<(), ValidationErrors> {
        Ok(())
    }
}

impl<L> Validate for DescribedUpdate<L> {
    fn validate(&self) -> Result<(), ValidationErrors> {
        Ok(())
    }
}

impl<L: Described> CreateBody for DescribedCreate<L> {
    fn into_input(self) -> NodeInput {
        NodeInput {
            name: self.name,
            attributes: self.attributes,
            temporary_password: self.temporary_password,
            ..Default::default()
        }
    }
}

impl<L: Described> UpdateBody for DescribedUpdate<L> {
    fn into_update(self) -> NodeUpdate {
        NodeUpdate { name: self.name, attributes: self.attributes, enabled: None }
    }
}

impl<L: Described> PartialSchema for DescribedCreate<L> {
    fn schema() -> RefOr<Schema> {
        let kind = L::KIND;
        let rule = kind.name_rule();
        let name = format!(
            "Unique {} (case-insensitively): 1 to {} letters, digits, `.`, `_`, `-` or `@`; the node's `name`.",
            L::UNIQUE,
            rule.max_length()
        );
        let mut object = ObjectBuilder::new()
            .description(Some(format!("A {} to create.", kind.noun())))
            .property(rule.field(), text(&name, false, rule.max_length()))
            .required(rule.field());
        for field in Attributes::fields(kind) {
            object = object.property(field.name, property(field, !field.required, field.description));
            if field.required {
                object = object.required(field.name);
            }
        }
        if L::ACCOUNT {
            let about = "With `email`: the password of the user's account, chosen by its creator (the password \
                         policy applies). The account is then active at once, gets no activation link, and must \
                         change it at its first login. Never shown, never recorded.";
            object = object.property(TEMPORARY_PASSWORD, text(about, true, 128));
        }
        RefOr::T(Schema::Object(object.additional_properties(Some(AdditionalProperties::FreeForm(false))).build()))
    }
}

impl<L: Described> ToSchema for DescribedCreate<L> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Create", L::KIND.title()))
    }
}

impl<L: Described> PartialSchema for DescribedUpdate<L> {
    fn schema() -> RefOr<Schema> {
        let kind = L::KIND;
        let rule = kind.name_rule();
        let rename = format!("Absent (or `null`) keeps it; a new one is checked like a creation's `{}`.", rule.field());
        let mut object = ObjectBuilder::new()
            .description(Some(format!("Changes to a {}: absent fields are kept.", kind.noun())))
            .property(rule.field(), text(&rename, true, rule.max_length()));
        for field in Attributes::fields(kind) {
            let keeps =
                if field.clearable { "Absent keeps it; `null` clears it." } else { "Absent (or `null`) keeps it." };
            object = object.property(field.name, property(field, true, &format!("{} {keeps}", field.description)));
        }
        RefOr::T(Schema::Object(object.additional_properties(Some(AdditionalProperties::FreeForm(false))).build()))
    }
}

impl<L: Described> ToSchema for DescribedUpdate<L> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Update", L::KIND.title()))
    }
}

fn text(description: &str, nullable: bool, max_length: usize) -> Schema {
    let text = ObjectBuilder::new().schema_type(of_type(Type::String, nullable)).max_length(Some(max_length));
    Schema::Object(text.description(Some(description)).build())
}

fn of_type(json: Type, nullable: bool) -> SchemaType {
    if nullable { SchemaType::from_iter([json, Type::Null]) } else { SchemaType::new(json) }
}

/// The schema of one field as a client sends it.
#[allow(deprecated)] // `example`: the singular keyword the other schemas of the document use.
pub(crate) fn property(field: &Field, nullable: bool, description: &str) -> Schema {
    let object = ObjectBuilder::new().description(Some(description));
    let object = match field.json_type {
        JsonType::String => object
            .schema_type(of_type(Type::String, nullable))
            .max_length(Some(field.max_length))
            .example(Some(field.example.into())),
        JsonType::Integer { minimum, maximum } => object
            .schema_type(of_type(Type::Integer, nullable))
            .minimum(Some(minimum as f64))
            .maximum(Some(maximum as f64))
            .example(serde_json::from_str(field.example).ok()),
        JsonType::Object => object
            .schema_type(of_type(Type::Object, nullable))
            .additional_properties(Some(AdditionalProperties::FreeForm(true)))
            .example(serde_json::from_str(field.example).ok()),
    };
    Schema::Object(object.build())
}
