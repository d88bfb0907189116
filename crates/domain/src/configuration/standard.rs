//! The spec's standard properties and their types, as data.

/// The type of a value, as the spec's table of standard properties names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueType {
    String,
    Number,
    Boolean,
}

impl ValueType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Number => "number",
            Self::Boolean => "boolean",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::String, Self::Number, Self::Boolean].into_iter().find(|t| t.as_str() == raw)
    }
}

/// The standard properties of fusion-draas-groups ("Standard Properties") and their types: any
/// other key is free, these must carry a value of their type.
pub const STANDARD_PROPERTIES: &[(&str, ValueType)] = &[
    ("draas_azure_application_name", ValueType::String),
    ("draas_default_mode", ValueType::String),
    ("draas_dummy_user_name", ValueType::String),
    ("draas_external_trunkgroup_name", ValueType::String),
    ("draas_external_trunkgroup_uuid", ValueType::String),
    ("draas_group", ValueType::String),
    ("draas_main_domain", ValueType::String),
    ("draas_oc_calling_profile_id", ValueType::String),
    ("draas_oc_onboarding_confirmation_required", ValueType::Boolean),
    ("draas_porting_cc", ValueType::String),
    ("draas_profile_distributor_admin", ValueType::String),
    ("draas_profile_group_admin", ValueType::String),
    ("draas_profile_reseller_admin", ValueType::String),
    ("draas_profile_system_admin", ValueType::String),
    ("draas_profile_tenant_admin", ValueType::String),
    ("draas_pstn_usage", ValueType::String),
    ("draas_sbc_ip", ValueType::String),
    ("draas_sbc_network_interface", ValueType::String),
    ("draas_sbc_parent_realm", ValueType::String),
    ("draas_sbc_port", ValueType::Number),
    ("draas_tgrp_name", ValueType::String),
    ("draas_trunk_context", ValueType::String),
    ("draas_voice_route", ValueType::String),
    ("draas_vrp", ValueType::String),
    ("eva_combinations", ValueType::String),
    ("eva_licenses", ValueType::String),
    // The APIO face's settings of group creation (`crate::group_settings`).
    ("AUTO_CREATE.GROUP_DEFAULT_DOMAIN", ValueType::Boolean),
    ("APIO_OBJECT_CREATION.GROUP_DATA", ValueType::Boolean),
    ("APIO_OBJECT_CREATION.RESELLER", ValueType::Boolean),
    ("DEFAULT_TEMPLATES.GROUP_CREATE", ValueType::String),
    ("RESELLER_GROUP", ValueType::Boolean),
    ("RESELLER_TENANT", ValueType::Boolean),
];

/// The type a standard property must have; `None` for any other key.
pub fn standard_type(key: &str) -> Option<ValueType> {
    STANDARD_PROPERTIES.iter().find(|(name, _)| *name == key).map(|(_, t)| *t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_standard_property_of_the_spec_has_its_type() {
        assert_eq!(STANDARD_PROPERTIES.len(), 32);
        assert_eq!(standard_type("AUTO_CREATE.GROUP_DEFAULT_DOMAIN"), Some(ValueType::Boolean));
        assert_eq!(standard_type("draas_sbc_port"), Some(ValueType::Number));
        assert_eq!(standard_type("draas_oc_onboarding_confirmation_required"), Some(ValueType::Boolean));
        assert_eq!(standard_type("eva_licenses"), Some(ValueType::String));
        assert_eq!(standard_type("prop_1"), None);
        let names: std::collections::BTreeSet<&str> = STANDARD_PROPERTIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(names.len(), STANDARD_PROPERTIES.len(), "a standard property is listed twice");
    }
}
