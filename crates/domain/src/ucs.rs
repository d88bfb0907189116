//! The UC (unified communications) platforms a node may have enabled, as data.

use crate::error::DomainError;

/// Every platform Canopy knows, in the order answers list them. The spec's example names
/// `msteams` and `zoom`; `webex` is the third platform DRaaS serves.
pub const UC_PLATFORMS: &[&str] = &["msteams", "zoom", "webex"];

/// A known UC platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UcPlatform(usize);

impl UcPlatform {
    /// One of [`UC_PLATFORMS`], exactly (lowercase); anything else is refused, naming it.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        UC_PLATFORMS.iter().position(|known| *known == raw).map(Self).ok_or_else(|| {
            let known = UC_PLATFORMS.join(", ");
            DomainError::invalid("enabled_ucs", format!("unknown UC platform {raw:?} (known: {known})"))
        })
    }

    pub fn as_str(self) -> &'static str {
        UC_PLATFORMS[self.0]
    }
}

/// The platforms of a request: each known, duplicates dropped, in [`UC_PLATFORMS`] order.
pub fn parse_platforms<S: AsRef<str>>(raw: &[S]) -> Result<Vec<UcPlatform>, DomainError> {
    let mut platforms = raw.iter().map(|r| UcPlatform::parse(r.as_ref())).collect::<Result<Vec<_>, _>>()?;
    platforms.sort_unstable();
    platforms.dedup();
    Ok(platforms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_platforms_parse_in_canonical_order_without_duplicates() {
        let parsed = parse_platforms(&["zoom", "msteams", "zoom"]).unwrap();
        assert_eq!(parsed.iter().map(|p| p.as_str()).collect::<Vec<_>>(), ["msteams", "zoom"]);
        assert!(parse_platforms::<&str>(&[]).unwrap().is_empty());
    }

    #[test]
    fn an_unknown_platform_is_refused_by_name() {
        let err = parse_platforms(&["msteams", "skype"]).unwrap_err();
        assert!(err.to_string().contains("\"skype\""), "{err}");
        assert_eq!(err.field(), Some("enabled_ucs"));
        assert!(UcPlatform::parse("MSTeams").is_err(), "names are exact");
    }
}
