//! The permissions a user group sets: sipXconfig's 18 built-in permissions with their default
//! values (data: [`BUILT_IN`], from `user-settings.xml`), and the custom permissions a tenant
//! defines, named `perm_<id>`. A group gives each permission `ENABLE` or `DISABLE`, or leaves it
//! at its default (no value). What the value grants is sipXconfig's business: Canopy stores it
//! (`superadmin` grants nothing in Canopy).

use super::optional_text;
use crate::error::DomainError;
use std::collections::BTreeMap;

/// A built-in permission and its default value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltIn {
    pub name: &'static str,
    pub default: bool,
}

const fn built_in(name: &'static str, default: bool) -> BuiltIn {
    BuiltIn { name, default }
}

/// sipXconfig's built-in permissions (`application`, `call-handling` and the hidden
/// `voicemail-server` settings), in byte order of their names: the order every group shows them.
pub const BUILT_IN: [BuiltIn; 18] = [
    built_in("900Dialing", false),
    built_in("AutoAttendant", false),
    built_in("ExchangeUMVoicemailServer", false),
    built_in("FreeswitchVoicemailServer", true),
    built_in("InternationalDialing", true),
    built_in("LocalDialing", true),
    built_in("LongDistanceDialing", true),
    built_in("Mobile", true),
    built_in("RecordSystemPrompts", false),
    built_in("TollFree", true),
    built_in("Voicemail", true),
    built_in("dbauth-only", false),
    built_in("group-music-on-hold", false),
    built_in("music-on-hold", true),
    built_in("personal-auto-attendant", true),
    built_in("subscribe-to-presence", true),
    built_in("superadmin", false),
    built_in("tui-change-pin", true),
];

/// The most settings one change may name.
pub const MAX_SETTINGS: usize = 1000;

/// A permission a tenant defines: shown to its groups as `perm_<id>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPermission {
    pub id: i64,
    pub label: String,
    pub description: Option<String>,
    pub default: bool,
}

impl CustomPermission {
    pub fn name(&self) -> String {
        format!("perm_{}", self.id)
    }
}

/// A custom permission to define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomPermission {
    pub label: String,
    pub description: Option<String>,
    pub default: bool,
}

impl NewCustomPermission {
    pub fn parse(label: &str, description: Option<&str>, default: bool) -> Result<Self, DomainError> {
        let label = optional_text("label", Some(label))?.ok_or_else(|| DomainError::invalid("label", "is required"))?;
        Ok(Self { label, description: optional_text("description", description)?, default })
    }
}

/// A permission a client names: a built-in one, or `perm_<id>` (whether the tenant defines it is
/// the store's to say, under the lock of the change).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PermissionName {
    BuiltIn(&'static str),
    Custom(i64),
}

impl PermissionName {
    /// The permission a name names, exactly as spelled (sipXconfig's names are case-sensitive).
    pub fn parse(raw: &str) -> Option<Self> {
        if let Some(found) = BUILT_IN.iter().find(|p| p.name == raw) {
            return Some(Self::BuiltIn(found.name));
        }
        let digits = raw.strip_prefix("perm_")?;
        super::UserGroupId::parse(digits).map(|id| Self::Custom(id.0))
    }

    pub fn as_string(&self) -> String {
        match self {
            Self::BuiltIn(name) => (*name).to_owned(),
            Self::Custom(id) => format!("perm_{id}"),
        }
    }
}

/// One `<setting>` of a change as the client sent it: its `name`, and its `value` (`None` when the
/// element is missing, which sipXconfig's documentation forbids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingInput {
    pub name: String,
    pub value: Option<String>,
}

/// A change of a group's permissions: the value of each permission named (`None`: back to its
/// default). Permissions it does not name keep their values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PermissionChanges(pub BTreeMap<PermissionName, Option<bool>>);

impl PermissionChanges {
    /// `ENABLE` / `DISABLE` in any case, blank for the default; a missing value, an unknown name,
    /// a name given twice or another value is refused, naming the permission.
    pub fn parse(settings: &[SettingInput]) -> Result<Self, DomainError> {
        if settings.len() > MAX_SETTINGS {
            return Err(DomainError::invalid("permissions", format!("names more than {MAX_SETTINGS} settings")));
        }
        let unknown: Vec<String> =
            settings.iter().filter(|s| PermissionName::parse(&s.name).is_none()).map(|s| shown(&s.name)).collect();
        if !unknown.is_empty() {
            return Err(unknown_permissions(&unknown));
        }
        let mut changes = BTreeMap::new();
        for setting in settings {
            let name = PermissionName::parse(&setting.name).expect("checked above");
            let field = format!("permissions.{}.value", setting.name);
            let value = match setting.value.as_deref().map(str::trim) {
                None => {
                    return Err(DomainError::invalid(field, "is required: ENABLE, DISABLE, or blank for the default"));
                }
                Some("") => None,
                Some(v) if v.eq_ignore_ascii_case("enable") => Some(true),
                Some(v) if v.eq_ignore_ascii_case("disable") => Some(false),
                Some(_) => {
                    return Err(DomainError::invalid(field, "must be ENABLE or DISABLE (or blank for the default)"));
                }
            };
            if changes.insert(name, value).is_some() {
                return Err(DomainError::invalid(format!("permissions.{}", setting.name), "is named twice"));
            }
        }
        Ok(Self(changes))
    }

    /// The custom permissions it names, which must be the tenant's.
    pub fn custom_ids(&self) -> Vec<i64> {
        self.0.keys().filter_map(|name| if let PermissionName::Custom(id) = name { Some(*id) } else { None }).collect()
    }

    /// `values` with the change applied.
    pub fn applied_to(&self, values: &BTreeMap<String, bool>) -> BTreeMap<String, bool> {
        let mut values = values.clone();
        for (name, value) in &self.0 {
            match value {
                Some(enabled) => values.insert(name.as_string(), *enabled),
                None => values.remove(&name.as_string()),
            };
        }
        values
    }
}

/// The refusal of permissions that are not the tenant's (by name, sorted).
pub fn unknown_permissions(names: &[String]) -> DomainError {
    DomainError::invalid("permissions", format!("unknown permissions: {}", names.join(", ")))
}

/// A name as an error shows it: its first characters only.
fn shown(name: &str) -> String {
    const SHOWN: usize = 64;
    let mut shown: String = name.chars().take(SHOWN).collect();
    if name.chars().count() > SHOWN {
        shown.push('…');
    }
    shown
}

/// One permission as a group shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    /// The group's value; `None` when it never set one (or set it back to the default).
    pub value: Option<bool>,
    pub default: bool,
}

/// Every permission of a tenant (the built-in ones and its own) with a group's `values`, in byte
/// order of their names (the seed's order: `900Dialing` … `music-on-hold`, `perm_3` …).
pub fn settings(values: &BTreeMap<String, bool>, customs: &[CustomPermission]) -> Vec<Setting> {
    let mut all: Vec<(String, bool)> = BUILT_IN.iter().map(|p| (p.name.to_owned(), p.default)).collect();
    all.extend(customs.iter().map(|c| (c.name(), c.default)));
    all.sort();
    all.into_iter().map(|(name, default)| Setting { value: values.get(&name).copied(), name, default }).collect()
}

/// The wire spelling of a value.
pub fn value_text(enabled: bool) -> &'static str {
    if enabled { "ENABLE" } else { "DISABLE" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, value: Option<&str>) -> SettingInput {
        SettingInput { name: name.to_owned(), value: value.map(str::to_owned) }
    }

    #[test]
    fn the_built_in_permissions_are_sipxconfigs_eighteen_in_byte_order() {
        assert_eq!(BUILT_IN.len(), 18);
        assert!(BUILT_IN.windows(2).all(|w| w[0].name < w[1].name), "byte order");
        let enabled: Vec<&str> = BUILT_IN.iter().filter(|p| p.default).map(|p| p.name).collect();
        assert_eq!(enabled.len(), 11);
        assert!(!BUILT_IN.iter().find(|p| p.name == "superadmin").unwrap().default);
    }

    #[test]
    fn values_are_enable_or_disable_in_any_case_and_blank_resets() {
        let changes = PermissionChanges::parse(&[
            input("900Dialing", Some("enable")),
            input("Mobile", Some(" DISABLE ")),
            input("perm_3", Some("")),
        ])
        .unwrap();
        assert_eq!(changes.custom_ids(), [3]);
        let before = BTreeMap::from([("perm_3".to_owned(), true), ("TollFree".to_owned(), false)]);
        let after = changes.applied_to(&before);
        assert_eq!(
            after,
            BTreeMap::from([
                ("900Dialing".to_owned(), true),
                ("Mobile".to_owned(), false),
                ("TollFree".to_owned(), false)
            ])
        );
    }

    #[test]
    fn a_missing_value_an_unknown_name_or_another_value_is_refused_by_name() {
        let refused = |settings: &[SettingInput]| PermissionChanges::parse(settings).unwrap_err().to_string();
        assert_eq!(
            refused(&[input("Mobile", None)]),
            "permissions.Mobile.value: is required: ENABLE, DISABLE, or blank for the default"
        );
        assert_eq!(
            refused(&[input("mobile", Some("ENABLE")), input("perm_0", Some("ENABLE")), input("Mobile", None)]),
            "permissions: unknown permissions: mobile, perm_0"
        );
        assert!(refused(&[input("Mobile", Some("yes"))]).contains("must be ENABLE or DISABLE"));
        assert!(refused(&[input("Mobile", Some("ENABLE")), input("Mobile", Some(""))]).contains("named twice"));
    }

    #[test]
    fn a_group_shows_every_permission_with_its_default_and_its_value_when_set() {
        let custom = CustomPermission { id: 3, label: "Lab".into(), description: None, default: false };
        let values = BTreeMap::from([("perm_3".to_owned(), true), ("Mobile".to_owned(), false)]);
        let shown = settings(&values, std::slice::from_ref(&custom));
        assert_eq!(shown.len(), 19);
        let names: Vec<&str> = shown.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names[11..15], ["dbauth-only", "group-music-on-hold", "music-on-hold", "perm_3"]);
        assert_eq!(shown[14], Setting { name: "perm_3".into(), value: Some(true), default: false });
        assert_eq!(shown[7], Setting { name: "Mobile".into(), value: Some(false), default: true });
        assert_eq!(shown[0].value, None);
    }
}
