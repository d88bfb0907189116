//! The domain registry (APIO's `AUTO_CREATE.GROUP_DEFAULT_DOMAIN`, BroadWorks' system and service
//! provider domains): the DNS domains an instance knows, and those assigned to each tenant. A site
//! group's `defaultDomain` must be one of its tenant's domains; a creation that registers it
//! (`autoCreateDomain`, or the setting) adds it to the instance and the tenant in the group's own
//! unit of work. The adapters decide with [`default_domain_use`] under the tenant's lock.

use crate::error::DomainError;
use crate::name::DraasDomain;
use crate::node::Node;

/// What a site group's creation or change does about its `defaultDomain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DomainUse {
    /// None to check: no `defaultDomain`, or the same as before.
    Nothing,
    /// The tenant has it.
    Assigned,
    /// Register it for the instance (if new there) and the tenant, with the group.
    Register,
}

/// The `defaultDomain` a site group's creation (`old`: `None`) or change claims: its domain, unless
/// the change keeps the one it had. `None` for any other kind.
pub fn claimed_default_domain<'n>(node: &'n Node, old: Option<&Node>) -> Option<&'n DraasDomain> {
    let domain = node.attributes.site_group()?.default_domain()?;
    let before = old.and_then(|old| old.attributes.site_group()).and_then(|g| g.default_domain());
    (before != Some(domain)).then_some(domain)
}

/// Whether a site group may use a `defaultDomain` its tenant has (`assigned`) or not, when the
/// write may `register` it.
pub fn default_domain_use(assigned: bool, register: bool) -> Result<DomainUse, DomainError> {
    match (assigned, register) {
        (true, _) => Ok(DomainUse::Assigned),
        (false, true) => Ok(DomainUse::Register),
        (false, false) => Err(DomainError::invalid(
            "defaultDomain",
            "is not one of the tenant's domains: assign it to the tenant first (POST …/tenants/{tenant_id}/domains/), \
             or create the group with autoCreateDomain",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_domain_is_the_tenants_or_registered_with_the_group() {
        assert_eq!(default_domain_use(true, false), Ok(DomainUse::Assigned));
        assert_eq!(default_domain_use(true, true), Ok(DomainUse::Assigned));
        assert_eq!(default_domain_use(false, true), Ok(DomainUse::Register));
        assert_eq!(default_domain_use(false, false).unwrap_err().field(), Some("defaultDomain"));
    }
}
