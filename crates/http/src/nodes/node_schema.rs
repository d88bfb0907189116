//! The schema of [`NodeBody`], built from the domain's description of the kinds: every kind's
//! attributes (`Attributes::fields`), identifiers (`NodeKind::name_rule`), lineage slots and
//! counters, so a new kind or field shows in the document by itself.

use super::bodies::NodeBody;
use super::described::property;
use crate::api::capitalize;
use canopy_domain::{Attributes, KindCounts, NameRule, NodeKind};
use std::borrow::Cow;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{PartialSchema, ToSchema};

fn integer(description: &str, minimum: f64) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(minimum))
        .description(Some(description))
}

fn uuid(description: &str) -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .description(Some(description))
}

/// `site_group` → `siteGroup`.
fn camel(snake: &str) -> String {
    let mut words = snake.split('_');
    let first = words.next().unwrap_or_default().to_owned();
    words.fold(first, |camel, word| camel + &capitalize(word))
}

impl PartialSchema for NodeBody {
    fn schema() -> RefOr<Schema> {
        let mut object = ObjectBuilder::new()
            .description(Some("A node as lists and reads show it; the `nbOf*` counters only on reads of one node."))
            .property("uuid", uuid("The node's uuid."))
            .required("uuid")
            .property(
                "id",
                integer(
                    "The node's integer id: drawn from one sequence for every node and instance of the server, \
                     never reused.",
                    1.0,
                ),
            )
            .required("id")
            .property(
                "name",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .description(Some("The name; a site group's `groupId`, a user's `userId`.")),
            )
            .required("name");
        let mut shown: Vec<&str> = Vec::new();
        for kind in NodeKind::ALL {
            if let NameRule::Identifier { field, .. } = kind.name_rule() {
                let about =
                    format!("The {}'s `{field}`, the same as its `name` ({} only).", kind.noun(), kind.plural());
                object =
                    object.property(field, ObjectBuilder::new().schema_type(Type::String).description(Some(about)));
            }
            for field in Attributes::fields(kind) {
                if shown.contains(&field.name) {
                    continue;
                }
                let only: Vec<String> = NodeKind::ALL
                    .into_iter()
                    .filter(|k| Attributes::fields(*k).iter().any(|f| f.name == field.name))
                    .map(|kind| kind.plural().replace('_', " "))
                    .collect();
                let about = format!("{} Shown for {} only, when set.", field.description, only.join(", "));
                object = object.property(field.name, property(field, false, &about));
                shown.push(field.name);
            }
        }
        for kind in NodeKind::ALL.into_iter().filter(|kind| !kind.may_hold().is_empty()) {
            let about = format!("The {} above the node, if any.", kind.noun());
            object = object.property(format!("{}Uuid", camel(kind.as_str())), uuid(&about));
        }
        for kind in KindCounts::COUNTED {
            let about = format!(
                "How many {} lie anywhere below the node; on reads of a node of a kind that may hold them.",
                kind.plural().replace('_', " ")
            );
            object = object.property(format!("nbOf{}", capitalize(KindCounts::wire_name(kind))), integer(&about, 0.0));
        }
        let version = "Counts every change; send it back in `If-Match` (or `?version=`) to change the node.";
        object = object.property("version", integer(version, 1.0)).required("version");
        RefOr::T(Schema::Object(object.build()))
    }
}

impl ToSchema for NodeBody {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("NodeBody")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_named_in_camel_case() {
        assert_eq!(camel("site_group"), "siteGroup");
        assert_eq!(camel("group"), "group");
    }
}
