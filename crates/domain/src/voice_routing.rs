//! Voice routing of a group (spec fusion-draas-groups, "pstn usages", "voice routes", "voice
//! routing policies"): the values a client sends, the rules linking routes and policies to PSTN
//! usages, and what blocks a usage's deletion. Lists are in [`list`].
//!
//! Names follow the node name rules ([`NodeName`]: trimmed, 1 to 255 characters, unique per
//! group and kind case-insensitively). Ids are numbers assigned by the store, as in the spec's
//! examples.

pub mod list;

use crate::change::Version;
use crate::error::DomainError;
use crate::name::NodeName;
use crate::node::NodeId;
use std::collections::HashSet;

/// The three kinds of voice routing objects of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum VoiceKind {
    PstnUsage,
    VoiceRoute,
    VoiceRoutingPolicy,
}

impl VoiceKind {
    pub const ALL: [VoiceKind; 3] = [Self::PstnUsage, Self::VoiceRoute, Self::VoiceRoutingPolicy];

    /// The singular name clients see (error details: `referrers[].kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PstnUsage => "pstnUsage",
            Self::VoiceRoute => "voiceRoute",
            Self::VoiceRoutingPolicy => "voiceRoutingPolicy",
        }
    }

    /// The name of a list's array (`pstnUsages`, ...), as in the spec's list bodies.
    pub fn plural(self) -> &'static str {
        match self {
            Self::PstnUsage => "pstnUsages",
            Self::VoiceRoute => "voiceRoutes",
            Self::VoiceRoutingPolicy => "voiceRoutingPolicies",
        }
    }

    /// The path segment of the collection (`pstn_usages`, ...).
    pub fn segment(self) -> &'static str {
        match self {
            Self::PstnUsage => "pstn_usages",
            Self::VoiceRoute => "voice_routes",
            Self::VoiceRoutingPolicy => "voice_routing_policies",
        }
    }

    /// Words for messages ("pstn usage").
    pub fn words(self) -> &'static str {
        match self {
            Self::PstnUsage => "pstn usage",
            Self::VoiceRoute => "voice route",
            Self::VoiceRoutingPolicy => "voice routing policy",
        }
    }
}

impl std::fmt::Display for VoiceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.words())
    }
}

/// The id of a usage, route or policy: a positive number assigned by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VoiceId(pub i64);

impl VoiceId {
    /// An id a client sent: only positive numbers are ever assigned.
    pub fn parse(raw: i64, field: &'static str) -> Result<Self, DomainError> {
        if raw < 1 {
            return Err(DomainError::invalid(field, format!("{raw} is not an id: ids are positive integers")));
        }
        Ok(Self(raw))
    }
}

impl std::fmt::Display for VoiceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Longest pattern accepted, in characters.
pub const MAX_PATTERN_CHARS: usize = 500;
/// Most memory a pattern may compile to: bounds the work any one pattern can cost the server.
const PATTERN_SIZE_LIMIT: usize = 256 * 1024;
/// Deepest nesting of groups and repetitions in a pattern.
const PATTERN_NEST_LIMIT: u32 = 32;

/// A voice route's number pattern: a regular expression that compiles within bounds. Stored as
/// the client wrote it (whitespace is significant in a pattern, so it is not trimmed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutePattern(String);

impl RoutePattern {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let invalid = |reason: String| DomainError::invalid("pattern", reason);
        if raw.is_empty() || raw.chars().count() > MAX_PATTERN_CHARS {
            return Err(invalid(format!("must be 1 to {MAX_PATTERN_CHARS} characters")));
        }
        if raw.chars().any(char::is_control) {
            return Err(invalid("must not contain control characters".into()));
        }
        regex::RegexBuilder::new(raw)
            .size_limit(PATTERN_SIZE_LIMIT)
            .dfa_size_limit(PATTERN_SIZE_LIMIT)
            .nest_limit(PATTERN_NEST_LIMIT)
            .build()
            .map_err(|err| match err {
                regex::Error::CompiledTooBig(_) => invalid("is too complex: it compiles to too large a program".into()),
                // The syntax error's own text points at the offending place; keep its first line.
                other => invalid(format!(
                    "is not a valid regular expression: {}",
                    other.to_string().lines().last().unwrap_or_default().trim()
                )),
            })?;
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A voice route's priority: a non-negative integer that fits PostgreSQL's `integer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Priority(i32);

impl Priority {
    pub fn parse(raw: i64) -> Result<Self, DomainError> {
        i32::try_from(raw)
            .ok()
            .filter(|p| *p >= 0)
            .map(Self)
            .ok_or_else(|| DomainError::invalid("priority", format!("must be an integer from 0 to {}", i32::MAX)))
    }

    pub fn get(self) -> i32 {
        self.0
    }
}

/// Most PSTN usages one route or policy links.
pub const MAX_LINKS: usize = 100;

/// The PSTN usages a route or policy links, in the client's order, each once. Whether they
/// exist in the group is for the store to check, under its locks ([`missing_usages`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsageLinks(Vec<VoiceId>);

impl UsageLinks {
    pub fn parse(raw: &[i64]) -> Result<Self, DomainError> {
        if raw.len() > MAX_LINKS {
            return Err(DomainError::invalid("pstnUsages", format!("must list at most {MAX_LINKS} pstn usages")));
        }
        let mut seen = HashSet::new();
        let mut ids = Vec::with_capacity(raw.len());
        for &id in raw {
            let id = VoiceId::parse(id, "pstnUsages")?;
            if !seen.insert(id) {
                return Err(DomainError::invalid("pstnUsages", format!("lists the pstn usage {id} twice")));
            }
            ids.push(id);
        }
        Ok(Self(ids))
    }

    pub fn ids(&self) -> &[VoiceId] {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The linked ids that `exists` does not know, sorted: what a link to another group's (or a
/// deleted) usage is refused with.
pub fn missing_usages(links: &UsageLinks, exists: impl Fn(VoiceId) -> bool) -> Vec<VoiceId> {
    let mut missing: Vec<VoiceId> = links.ids().iter().copied().filter(|id| !exists(*id)).collect();
    missing.sort();
    missing
}

/// A PSTN usage of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PstnUsage {
    pub id: VoiceId,
    pub group: NodeId,
    pub name: NodeName,
    /// 1 when created, one more with every change (optimistic concurrency).
    pub version: Version,
}

/// A linked usage as routes and policies show it: its id and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageRef {
    pub id: VoiceId,
    pub name: NodeName,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceRoute {
    pub id: VoiceId,
    pub group: NodeId,
    pub name: NodeName,
    pub pattern: RoutePattern,
    pub priority: Priority,
    /// In the order the client gave them.
    pub usages: Vec<UsageRef>,
    pub version: Version,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceRoutingPolicy {
    pub id: VoiceId,
    pub group: NodeId,
    pub name: NodeName,
    pub usages: Vec<UsageRef>,
    pub version: Version,
}

/// A route or policy that links a usage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referrer {
    pub kind: VoiceKind,
    pub id: VoiceId,
    pub name: NodeName,
}

/// A usage may be deleted only while nothing links it (spec: "A pstn usage can be deleted only
/// if not connected to a voice routing or a voice routing policy"). Referrers come back sorted
/// (routes first, then policies, each by id) so that answers are stable.
pub fn ensure_unreferenced(mut referrers: Vec<Referrer>) -> Result<(), Vec<Referrer>> {
    if referrers.is_empty() {
        return Ok(());
    }
    referrers.sort_by_key(|r| (r.kind, r.id));
    Err(referrers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_must_compile_as_a_regular_expression() {
        assert_eq!(RoutePattern::parse(".*").unwrap().as_str(), ".*");
        assert!(RoutePattern::parse(r"^\+32[0-9]{8,9}$").is_ok());
        for bad in ["", "(", "[a-", "a{2,1}", "tab\there"] {
            assert!(RoutePattern::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        let err = RoutePattern::parse("(").unwrap_err();
        assert_eq!(err.field(), Some("pattern"), "{err:?}");
    }

    #[test]
    fn a_pattern_is_bounded_in_length_nesting_and_compiled_size() {
        assert!(RoutePattern::parse(&"a".repeat(MAX_PATTERN_CHARS)).is_ok());
        assert!(RoutePattern::parse(&"a".repeat(MAX_PATTERN_CHARS + 1)).is_err());
        assert!(RoutePattern::parse(&format!("{}a{}", "(".repeat(40), ")".repeat(40))).is_err(), "nesting");
        // Short to write, huge to compile: counted repetitions multiply the program.
        let err = RoutePattern::parse(r"\w{1000}\w{1000}").unwrap_err();
        assert!(err.to_string().contains("too complex"), "{err}");
    }

    #[test]
    fn a_priority_is_a_non_negative_integer() {
        assert_eq!(Priority::parse(0).unwrap().get(), 0);
        assert_eq!(Priority::parse(5).unwrap().get(), 5);
        assert_eq!(Priority::parse(i64::from(i32::MAX)).unwrap().get(), i32::MAX);
        for bad in [-1, i64::from(i32::MAX) + 1, i64::MIN] {
            assert!(Priority::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn links_keep_the_clients_order_and_refuse_repeats_and_non_ids() {
        assert_eq!(UsageLinks::parse(&[21, 8]).unwrap().ids(), &[VoiceId(21), VoiceId(8)]);
        assert!(UsageLinks::parse(&[]).unwrap().is_empty());
        assert!(UsageLinks::parse(&[8, 8]).is_err());
        assert!(UsageLinks::parse(&[0]).is_err());
        assert!(UsageLinks::parse(&[-3]).is_err());
        let many: Vec<i64> = (1..=MAX_LINKS as i64 + 1).collect();
        assert!(UsageLinks::parse(&many).is_err());
        assert!(UsageLinks::parse(&many[..MAX_LINKS]).is_ok());
    }

    #[test]
    fn missing_usages_are_named_in_id_order() {
        let links = UsageLinks::parse(&[30, 8, 21, 9]).unwrap();
        let known = [VoiceId(8), VoiceId(21)];
        assert_eq!(missing_usages(&links, |id| known.contains(&id)), vec![VoiceId(9), VoiceId(30)]);
        assert!(missing_usages(&links, |_| true).is_empty());
    }

    #[test]
    fn a_referenced_usage_cannot_be_deleted_and_its_referrers_are_listed_in_order() {
        assert_eq!(ensure_unreferenced(vec![]), Ok(()));
        let referrer = |kind, id| Referrer { kind, id: VoiceId(id), name: NodeName::parse(&format!("R{id}")).unwrap() };
        let err = ensure_unreferenced(vec![
            referrer(VoiceKind::VoiceRoutingPolicy, 1),
            referrer(VoiceKind::VoiceRoute, 9),
            referrer(VoiceKind::VoiceRoute, 2),
        ])
        .unwrap_err();
        let order: Vec<(VoiceKind, i64)> = err.iter().map(|r| (r.kind, r.id.0)).collect();
        assert_eq!(order, [(VoiceKind::VoiceRoute, 2), (VoiceKind::VoiceRoute, 9), (VoiceKind::VoiceRoutingPolicy, 1)]);
    }

    #[test]
    fn kinds_are_named_as_the_spec_names_them() {
        assert_eq!(VoiceKind::PstnUsage.plural(), "pstnUsages");
        assert_eq!(VoiceKind::VoiceRoutingPolicy.segment(), "voice_routing_policies");
        assert_eq!(VoiceKind::VoiceRoute.as_str(), "voiceRoute");
    }
}
