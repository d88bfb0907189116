//! The portal's stored fields of a group (`canopy_domain::group_fields`), kept as properties of
//! the node's general configuration (`portal.group.<field>`): written through the
//! configuration's one write path (permission, subtree, version, audit), read the same way.

use crate::caller::Caller;
use crate::configuration::ConfigService;
use crate::error::AppError;
use canopy_domain::{
    GROUP_FIELD_PREFIX, NodeKind, Principal, PropertyValue, WriteMode, check_group_field, shown_group_field,
};
use serde_json::{Map, Value};
use uuid::Uuid;

/// The fields a client sent, checked: each name with what is kept (`None`: cleared).
pub type GroupFieldChanges = Vec<(String, Option<String>)>;

/// Checks the fields sent, before anything is written; a field not kept is refused by name.
pub fn parse_group_fields(sent: &Map<String, Value>) -> Result<GroupFieldChanges, AppError> {
    let mut changes = Vec::with_capacity(sent.len());
    for (name, value) in sent {
        changes.push((name.clone(), check_group_field(name, value)?));
    }
    Ok(changes)
}

impl ConfigService {
    /// The stored fields of the node, as reads show them (those never set are absent).
    pub async fn group_fields(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Map<String, Value>, AppError> {
        let (stored, _) = self.get(caller, instance, kind, id, None, Some(GROUP_FIELD_PREFIX)).await?;
        let mut shown = Map::new();
        for (key, value) in stored.iter() {
            let (Some(name), PropertyValue::Text(text)) = (key.as_str().strip_prefix(GROUP_FIELD_PREFIX), value) else {
                continue;
            };
            shown.insert(name.to_owned(), shown_group_field(name, text));
        }
        Ok(shown)
    }

    /// Writes the fields checked by [`parse_group_fields`]: set, or removed when cleared (nothing
    /// at all when none was sent). The caller's version, if any, was the node's (checked by the
    /// node's own change): this write takes none.
    pub async fn set_group_fields(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        changes: GroupFieldChanges,
    ) -> Result<(), AppError> {
        let mut unversioned = caller.clone();
        unversioned.request.expected = None;
        let (set, cleared): (Vec<_>, Vec<_>) = changes.into_iter().partition(|(_, kept)| kept.is_some());
        if !set.is_empty() {
            let properties = set
                .into_iter()
                .map(|(name, kept)| (format!("{GROUP_FIELD_PREFIX}{name}"), Value::from(kept.unwrap_or_default())))
                .collect();
            self.write(&unversioned, instance, kind, id, WriteMode::Upsert, properties).await?;
        }
        if !cleared.is_empty() {
            let keys: Vec<String> =
                cleared.into_iter().map(|(name, _)| format!("{GROUP_FIELD_PREFIX}{name}")).collect();
            self.delete(&unversioned, instance, kind, id, &keys).await?;
        }
        Ok(())
    }
}
