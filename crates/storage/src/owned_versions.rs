//! The documents a node owns that carry a version of their own (optimistic concurrency): its
//! general configuration, each branding document, its enabled UC platforms, each rate plan.
//!
//! A document is at [`Version::FIRST`] from its node's creation (never written: empty or
//! inherited), so a client can always read a version and send it back; every applied write adds
//! one. A write whose `Change::expected` is not the stored version changes nothing.

use canopy_domain::{BrandingKey, RatePlanName};

/// One versioned document of a node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum OwnedDocument {
    Configuration,
    Branding(BrandingKey),
    EnabledUcs,
    RatePlan(RatePlanName),
}

impl OwnedDocument {
    /// The kind of every rate plan, for reads of all of a node's plans.
    pub const RATE_PLAN_KIND: &'static str = "rate_plan";

    /// Its kind as stored (`owned_versions.kind`).
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Configuration => "configuration",
            Self::Branding(_) => "branding",
            Self::EnabledUcs => "enabled_ucs",
            Self::RatePlan(_) => Self::RATE_PLAN_KIND,
        }
    }

    /// Which one of its kind (`owned_versions.key`): the branding key or plan name, else empty.
    pub fn key(&self) -> &str {
        match self {
            Self::Branding(key) => key.as_str(),
            Self::RatePlan(plan) => plan.as_str(),
            Self::Configuration | Self::EnabledUcs => "",
        }
    }
}
