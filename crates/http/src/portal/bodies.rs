//! The portal's bodies of groups: what a read answers and what a creation or a change takes.

use super::kinds;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use canopy_domain::{Node, Serial, SubtreeCounts, Version};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A group (L22436): the instance's root or a node of any level.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalGroup)]
pub(crate) struct GroupBody {
    /// The integer id: one sequence for the root and every level.
    pub id: i64,
    /// `null` for the root, which is the instance itself.
    pub uuid: Option<Uuid>,
    pub name: String,
    /// 0 root, 10 group, 20 distributor, 30 reseller, 40 tenant, 50 site group.
    pub kind: i64,
    /// The depth: 0 for the root, 1 for a group.
    pub grade: usize,
    /// The parent's integer id; `null` for the root.
    pub parent_id: Option<i64>,
    /// `null` for the root, which no request changes.
    pub version: Option<u64>,
    /// 1 enabled, 0 disabled (L22569): the accounts at or below a disabled group neither log in
    /// nor keep their sessions; administrators above it still manage it.
    #[schema(minimum = 0, maximum = 1)]
    pub status: u8,
    /// A Canopy extension: 1 while the group's subtree is locked (`POST …/lock`), else 0 (the
    /// root, which no lock holds, included). Only a lock on the group itself shows here: one on
    /// an ancestor binds its subtree too.
    #[schema(minimum = 0, maximum = 1)]
    pub locked: u8,
    /// Whether anything lies below it (children lists only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub has_children: Option<u8>,
    /// The stored fields (`contact`, `billing`, `customer_id`, `internal_tag`, `language`,
    /// `privileges`) that were set; a tenant's `customer_id` is its tenant id.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub fields: Map<String, Value>,
}

impl GroupBody {
    pub(crate) fn root(serial: Serial, name: &str) -> Self {
        Self {
            id: serial.0,
            uuid: None,
            name: name.to_owned(),
            kind: kinds::ROOT,
            grade: 0,
            parent_id: None,
            version: None,
            status: 1,
            locked: 0,
            has_children: None,
            fields: Map::new(),
        }
    }

    pub(crate) fn node(node: &Node, parent: Serial) -> Self {
        Self {
            id: node.serial.0,
            uuid: Some(node.id.0),
            name: node.name.as_str().to_owned(),
            kind: kinds::code(node.kind),
            grade: kinds::grade(node),
            parent_id: Some(parent.0),
            version: Some(node.version.0),
            status: u8::from(node.enabled),
            locked: u8::from(node.lock.is_some()),
            has_children: None,
            fields: Map::new(),
        }
    }

    pub(crate) fn with_children(self, subtree: &SubtreeCounts) -> Self {
        Self { has_children: Some(u8::from(!subtree.is_empty())), ..self }
    }

    pub(crate) fn with_fields(self, fields: Map<String, Value>) -> Self {
        Self { fields, ..self }
    }
}

/// `{"items": [...]}`: the children of a group (L32212), or their uuids (`request_type=uuids_list`).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalChildren)]
pub(crate) struct ChildrenBody {
    pub items: Vec<Child>,
}

/// A child group, or its uuid alone.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
#[schema(as = PortalChild)]
pub(crate) enum Child {
    Group(GroupBody),
    Uuid(Uuid),
}

/// `GET …/children` query (L32212): `request_type` `uuids_list` (the children's uuids) or
/// `tenants_batch` (the children named by `uuids`, comma-separated).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ChildrenQuery {
    #[param(inline)]
    pub request_type: Option<RequestType>,
    /// With `tenants_batch`: the uuids of the children wanted, separated by commas.
    pub uuids: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RequestType {
    UuidsList,
    TenantsBatch,
}

/// `POST …/children` (L33205): `name` and `kind` required, the stored fields optional, nothing
/// else Canopy does not keep.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(as = PortalChildCreate)]
pub(crate) struct ChildCreate {
    /// Unique among the parent's children, case-insensitively (a site group's is its `groupId`).
    pub name: String,
    /// A kind the parent may hold: `GET /logic/rules`.
    pub kind: i64,
    /// A tenant's tenant id (Canopy's `tenantId`; a fresh one when absent); another kind's kept
    /// as text.
    pub customer_id: Option<String>,
    #[serde(flatten)]
    pub fields: StoredFields,
}

/// `PUT /groups/{group}` (L23640): the name, the `status`, the stored fields; `kind`, when sent,
/// must be the group's.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[schema(as = PortalGroupUpdate)]
pub(crate) struct GroupUpdate {
    pub name: Option<String>,
    pub kind: Option<i64>,
    /// 1 enables, 0 disables the group (not the caller's own group: one above it does that).
    #[validate(range(min = 0, max = 1))]
    #[schema(minimum = 0, maximum = 1)]
    pub status: Option<u8>,
    /// A tenant's changes its tenant id; `null` clears another kind's.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub customer_id: Option<Value>,
    #[serde(flatten)]
    pub fields: StoredFields,
}

/// The stored fields a creation or a change may send (L22880–L22960); `null` clears one.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(as = PortalStoredFields)]
pub(crate) struct StoredFields {
    /// An address: `firstname`, `lastname`, `email`, `phone`, `address1`, `address2`, `city`,
    /// `state`, `country`, `zipcode`, each text of at most 255 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Object>)]
    pub contact: Option<Value>,
    /// An address, as `contact`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Object>)]
    pub billing: Option<Value>,
    /// Text of at most 255 characters.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub internal_tag: Option<Value>,
    /// A language code (`en`, `pt-BR`).
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub language: Option<Value>,
    /// Quotas, an open map: each name (lowercase letters, digits, `_`) an integer of at least -1
    /// (unlimited) or an object of such integers; at most 40.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Object>)]
    pub privileges: Option<Value>,
    /// Whatever else was sent: refused by name (`additionalProperties: false`).
    #[serde(flatten)]
    #[schema(ignore)]
    pub unknown: Map<String, Value>,
}

impl StoredFields {
    /// The fields sent, by name (`null` kept: it clears); a field the body may not hold is
    /// `400 invalid_body` naming it, as for every other body of this face.
    pub(crate) fn sent(self) -> Result<Map<String, Value>, crate::error::ApiError> {
        if let Some(name) = self.unknown.keys().next() {
            let message = format!(
                "unknown field `{name}`: a group's body holds `name`, `kind`, `status`, `customer_id`, `contact`, \
                 `billing`, `internal_tag`, `language` and `privileges`"
            );
            return Err(crate::error::ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", message));
        }
        let fields = [
            ("contact", self.contact),
            ("billing", self.billing),
            ("internal_tag", self.internal_tag),
            ("language", self.language),
            ("privileges", self.privileges),
        ];
        Ok(fields.into_iter().filter_map(|(name, value)| value.map(|value| (name.to_owned(), value))).collect())
    }
}

/// A field sent, `null` included (absent stays `None` through `default`).
fn present<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

/// `{"version": n}` of a change (L23640).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalVersion)]
pub(crate) struct VersionBody {
    pub version: u64,
}

/// `201 {"version", "id", "uuid"}` of a creation (L33205).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalCreated)]
pub(crate) struct Created {
    pub version: u64,
    pub id: i64,
    pub uuid: Uuid,
}

impl Created {
    pub(crate) fn answer(node: &Node) -> Response {
        let body = Self { version: node.version.0, id: node.serial.0, uuid: node.id.0 };
        (StatusCode::CREATED, Json(body)).into_response()
    }
}

impl VersionBody {
    pub(crate) fn of(version: Version) -> Json<Self> {
        Json(Self { version: version.0 })
    }
}

/// `GET /groups` query (L21092): `prefix` (default: every name), `limit` (default 10, at most
/// 100), `strict` 0 or 1 (exact names only).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchQuery {
    pub prefix: Option<String>,
    pub limit: Option<u64>,
    #[param(minimum = 0, maximum = 1)]
    pub strict: Option<u8>,
}

/// `{"items": [...]}` of a search (L21092).
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalSearch)]
pub(crate) struct SearchBody {
    pub items: Vec<Found>,
}

/// A group or an administrator found by a search.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = PortalFound)]
pub(crate) struct Found {
    /// The group's integer id, or the administrator's.
    pub id: i64,
    /// The group's uuid; `null` for an administrator (Canopy's have none).
    pub uuid: Option<Uuid>,
    /// The group's name, or the administrator's login (its e-mail).
    pub name: String,
    /// The integer id of the group's parent, or of the administrator's group; `null` for a
    /// system administrator (homed at the root).
    pub parent_id: Option<i64>,
    /// The group's kind; `null` for an administrator.
    pub kind: Option<i64>,
}
