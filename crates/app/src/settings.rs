//! The portal's settings of a node — its four flags, its logon IP list, its agents' automatic
//! update and its local backup restriction — kept as properties of the node's general
//! configuration (`portal.flags.*`, `portal.logon_ips.*`, `portal.agents_autoupdate.*`,
//! `portal.local_backup_restriction.status`): one versioned
//! document, written through the configuration's one write path (permissions, subtree, version,
//! audit), read the same way by every face (and by the login that will enforce the list).

use crate::caller::Caller;
use crate::configuration::ConfigService;
use crate::error::AppError;
use canopy_domain::{
    DomainError, LogonIp, NodeKind, Principal, Properties, PropertyValue, Version, WriteMode, parse_logon_ips,
};
use serde_json::Value;
use uuid::Uuid;

/// The flags, by their names on the portal; each 1 (allowed) until set.
pub const FLAGS: [&str; 4] =
    ["allow_add_devices", "allow_download_tools", "allow_download_docs", "allow_download_agents"];

const FLAG_PREFIX: &str = "portal.flags.";
const AUTOUPDATE: &str = "portal.agents_autoupdate.";
const AUTOUPDATE_STATUS: &str = "portal.agents_autoupdate.status";
const AUTOUPDATE_CHILDREN: &str = "portal.agents_autoupdate.apply_for_children";
const LOCAL_BACKUP_STATUS: &str = "portal.local_backup_restriction.status";
const LOGON_STATUS: &str = "portal.logon_ips.status";
const LOGON_ITEMS: &str = "portal.logon_ips.items";
/// The longest a list's normal form may be (a configuration value's limit).
const ITEMS_TEXT_MAX: usize = 4096;

/// A node's logon IP list: whether it is enforced, and its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogonIps {
    pub enabled: bool,
    pub items: Vec<LogonIp>,
}

fn flag_of(value: Option<&PropertyValue>) -> Option<u8> {
    match value {
        Some(PropertyValue::Number(n)) => n.as_u64().and_then(|n| u8::try_from(n).ok()),
        Some(PropertyValue::Boolean(b)) => Some(u8::from(*b)),
        _ => None,
    }
}

/// A flag a client sent: 0 or 1, else refused naming `field`.
fn checked_flag(field: &'static str, value: u8) -> Result<u8, DomainError> {
    match value {
        0 | 1 => Ok(value),
        _ => Err(DomainError::invalid(field, "must be 0 or 1")),
    }
}

impl LogonIps {
    /// The list kept in a node's properties (disabled and empty until set).
    pub(crate) fn stored(stored: &Properties) -> Result<Self, DomainError> {
        let enabled = flag_of(stored.get(LOGON_STATUS)) == Some(1);
        let items = match stored.get(LOGON_ITEMS) {
            Some(PropertyValue::Text(text)) if !text.is_empty() => {
                let raw: Vec<String> = text.split(',').map(str::to_owned).collect();
                parse_logon_ips(&raw)?
            }
            _ => vec![],
        };
        Ok(Self { enabled, items })
    }
}

impl ConfigService {
    /// The node's flags, each 0 or 1 (1 until set).
    pub async fn flags(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Vec<(&'static str, u8)>, AppError> {
        let (stored, _) = self.get(caller, instance, kind, id, None, Some(FLAG_PREFIX)).await?;
        Ok(FLAGS.map(|name| (name, flag_of(stored.get(&format!("{FLAG_PREFIX}{name}"))).unwrap_or(1))).to_vec())
    }

    /// Sets the flags sent, each 0 or 1 (a name not among [`FLAGS`] is refused by name).
    pub async fn set_flags(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        flags: Vec<(String, u8)>,
    ) -> Result<Version, AppError> {
        let mut properties = Vec::with_capacity(flags.len());
        for (name, value) in flags {
            if !FLAGS.contains(&name.as_str()) {
                return Err(DomainError::invalid("flags", format!("{name}: not a flag ({})", FLAGS.join(", "))).into());
            }
            if value > 1 {
                return Err(DomainError::invalid(
                    FLAGS.iter().find(|f| **f == name).copied().unwrap_or("flags"),
                    "must be 0 or 1",
                )
                .into());
            }
            properties.push((format!("{FLAG_PREFIX}{name}"), Value::from(value)));
        }
        self.write(caller, instance, kind, id, WriteMode::Upsert, properties).await
    }

    /// Whether the agents of the node update themselves (1 until set): its own status, else that
    /// of the nearest ancestor that applied its status to its children, else 1.
    pub async fn agents_autoupdate(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<u8, AppError> {
        let lineage = self.lineage(caller, instance, kind, id, AUTOUPDATE).await?;
        let own = lineage.first().and_then(|own| flag_of(own.get(AUTOUPDATE_STATUS)));
        let applied = || {
            lineage.iter().skip(1).find_map(|above| match flag_of(above.get(AUTOUPDATE_CHILDREN)) {
                Some(1) => flag_of(above.get(AUTOUPDATE_STATUS)),
                _ => None,
            })
        };
        Ok(own.or_else(applied).unwrap_or(1))
    }

    /// Sets whether the node's agents update themselves and whether its children (those without
    /// a status of their own) do as it does.
    pub async fn set_agents_autoupdate(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        status: u8,
        apply_for_children: u8,
    ) -> Result<Version, AppError> {
        let properties = vec![
            (AUTOUPDATE_STATUS.to_owned(), Value::from(checked_flag("status", status)?)),
            (AUTOUPDATE_CHILDREN.to_owned(), Value::from(checked_flag("apply_for_children", apply_for_children)?)),
        ];
        self.write(caller, instance, kind, id, WriteMode::Upsert, properties).await
    }

    /// Whether local backups are restricted for the node (0 until set).
    pub async fn local_backup_restriction(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<u8, AppError> {
        let (stored, _) = self.get(caller, instance, kind, id, Some(LOCAL_BACKUP_STATUS), None).await?;
        Ok(flag_of(stored.get(LOCAL_BACKUP_STATUS)).unwrap_or(0))
    }

    /// Restricts local backups for the node (1) or lifts the restriction (0).
    pub async fn set_local_backup_restriction(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        status: u8,
    ) -> Result<Version, AppError> {
        let properties = vec![(LOCAL_BACKUP_STATUS.to_owned(), Value::from(checked_flag("status", status)?))];
        self.write(caller, instance, kind, id, WriteMode::Upsert, properties).await
    }

    /// The node's logon IP list (disabled and empty until set).
    pub async fn logon_ips(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<LogonIps, AppError> {
        let (stored, _) =
            self.get(caller, instance, kind, id, Some(&format!("{LOGON_STATUS},{LOGON_ITEMS}")), None).await?;
        Ok(LogonIps::stored(&stored)?)
    }

    /// Replaces the list by `items` (normalised, [`canopy_domain::logon_ips::MAX_ITEMS`] at
    /// most) and enables it.
    pub async fn set_logon_ips(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        items: &[String],
    ) -> Result<Version, AppError> {
        let parsed = parse_logon_ips(items)?;
        let text = parsed.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
        if text.len() > ITEMS_TEXT_MAX {
            return Err(DomainError::invalid("items", format!("at most {ITEMS_TEXT_MAX} characters in all")).into());
        }
        let properties = vec![(LOGON_STATUS.to_owned(), Value::from(1)), (LOGON_ITEMS.to_owned(), Value::from(text))];
        self.write(caller, instance, kind, id, WriteMode::Upsert, properties).await
    }

    /// Disables the list (its items are kept).
    pub async fn disable_logon_ips(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Version, AppError> {
        let properties = vec![(LOGON_STATUS.to_owned(), Value::from(0))];
        self.write(caller, instance, kind, id, WriteMode::Upsert, properties).await
    }
}
