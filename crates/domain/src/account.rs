//! Administrator accounts: who they are, the password policy and one-time token purposes (the
//! throttling of failed logins is in [`crate::throttle`]). Time comes in as a [`Timestamp`];
//! nothing here reads a clock.

use crate::access::Profile;
use crate::email::Email;
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::node::NodeId;

/// The numeric id the spec gives administrators (`{"id": 86}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AdminId(pub i64);

/// Milliseconds since the Unix epoch. Services read the clock and pass it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn plus_secs(self, secs: u64) -> Self {
        Self(self.0.saturating_add(i64::try_from(secs).unwrap_or(i64::MAX).saturating_mul(1000)))
    }

    /// The instant in RFC 3339, UTC, to the second (`2026-11-23T20:00:00Z`).
    pub fn to_rfc3339(self) -> String {
        let secs = self.0.div_euclid(1000);
        let (days, in_day) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
        // Howard Hinnant's civil_from_days: the proleptic Gregorian date of a day count.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let (hour, minute, second) = (in_day / 3600, in_day % 3600 / 60, in_day % 60);
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}Z")
    }

    /// Whole seconds from `self` until `later`, rounded up; 0 when `later` is not after `self`.
    pub fn secs_until(self, later: Timestamp) -> u64 {
        u64::try_from(later.0.saturating_sub(self.0)).map_or(0, |ms| ms.div_ceil(1000))
    }
}

/// An administrator: an e-mail (its login and the `{username}` of the paths, never changed),
/// the node it belongs to (none for system administrators), and its contact details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Admin {
    pub id: AdminId,
    pub instance: InstanceSlug,
    pub profile: Profile,
    pub home: Option<NodeId>,
    pub email: Email,
    pub details: AdminDetails,
    /// Whether a password is set; until then the account cannot log in.
    pub active: bool,
    /// Whether its password is a temporary one, chosen by its creator: until the account sets its
    /// own, its sessions may only change the password (or log out).
    pub must_change_password: bool,
    /// 1 when created, one more with every change of what the administrator's body shows.
    pub version: crate::change::Version,
    /// Holds its profile's reading permissions only ([`crate::access::Principal::read_only`]).
    pub read_only: bool,
}

impl Admin {
    /// The administrator as authorization sees it.
    pub fn principal(&self) -> crate::access::Principal {
        crate::access::Principal {
            admin: self.id,
            instance: self.instance.clone(),
            profile: self.profile,
            home: self.home,
            read_only: self.read_only,
        }
    }
}

/// What an administrator's own record says about the person, each optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdminDetails {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
}

impl AdminDetails {
    /// Names are 1 to 100 characters after trimming, without control characters; a mobile number
    /// is an optional `+` and 6 to 15 digits (E.164), spaces allowed between them.
    pub fn parse(first_name: Option<&str>, last_name: Option<&str>, mobile: Option<&str>) -> Result<Self, DomainError> {
        Ok(Self {
            first_name: first_name.map(|n| person_name("firstName", n)).transpose()?,
            last_name: last_name.map(|n| person_name("lastName", n)).transpose()?,
            mobile: mobile.map(parse_mobile).transpose()?,
        })
    }
}

fn person_name(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let name = raw.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid(field, "must be 1 to 100 characters, without control characters"));
    }
    Ok(name.to_owned())
}

fn parse_mobile(raw: &str) -> Result<String, DomainError> {
    let compact: String = raw.trim().chars().filter(|c| *c != ' ').collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    if !(6..=15).contains(&digits.len()) || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::invalid("mobile", "must be an optional + and 6 to 15 digits"));
    }
    Ok(compact)
}

/// The password rules, checked before anything is hashed or stored. Length is what makes a
/// password strong (NIST SP 800-63B), so there are no composition rules beyond refusing the
/// trivially guessable. The e-mail, when the caller knows whose password it is, must not be in it.
pub fn check_password(password: &str, email: Option<&Email>) -> Result<(), DomainError> {
    let invalid = |reason: &str| Err(DomainError::invalid("password", reason));
    let length = password.chars().count();
    if length < 12 {
        return invalid("must be at least 12 characters");
    }
    if length > 128 {
        return invalid("must be at most 128 characters");
    }
    if password.chars().any(char::is_control) {
        return invalid("must not contain control characters");
    }
    let mut distinct: Vec<char> = password.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < 5 {
        return invalid("must contain at least 5 different characters");
    }
    if let Some(email) = email {
        let lower = password.to_lowercase();
        let local = email.key().split('@').next().unwrap_or_default();
        if lower.contains(email.key()) || (local.len() >= 4 && lower.contains(local)) {
            return invalid("must not contain the e-mail address");
        }
    }
    Ok(())
}

/// What a one-time token (sent by e-mail) is for. Both set a password; each is redeemed only by
/// its own endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenPurpose {
    /// Sent when an administrator is created, or by `.../admins/welcome`.
    Activation,
    /// Sent by `auth/forgot`, or when an update forces a reset.
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::Reset => "reset",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Activation, Self::Reset].into_iter().find(|p| p.as_str() == raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email() -> Email {
        Email::parse("john.doe@netaxis.be").unwrap()
    }

    #[test]
    fn the_password_policy_names_what_is_wrong() {
        let reason = |p: &str| match check_password(p, Some(&email())) {
            Err(DomainError::Invalid { field, reason }) if field == "password" => reason,
            other => panic!("{p:?}: {other:?}"),
        };
        assert!(reason("short").contains("at least 12"));
        assert!(reason(&"ab1!".repeat(33)).contains("at most 128"));
        assert!(reason("aaaaaaaaaaaaaaab").contains("5 different"));
        assert!(reason("John.Doe-secret-42").contains("e-mail"));
        assert!(reason("correct horse\u{7}battery").contains("control"));
        assert!(check_password("correct horse battery staple", Some(&email())).is_ok());
        assert!(check_password(&"é€ß∂ƒ".repeat(3), None).is_ok(), "characters, not bytes, are counted");
    }

    #[test]
    fn details_are_validated_field_by_field() {
        let details = AdminDetails::parse(Some(" John "), Some("Doe"), Some("+33 6 13 57 56 07")).unwrap();
        assert_eq!(details.first_name.as_deref(), Some("John"));
        assert_eq!(details.mobile.as_deref(), Some("+33613575607"));
        for (first, mobile, field) in
            [(Some(""), None, "firstName"), (None, Some("+33-6"), "mobile"), (None, Some("12345"), "mobile")]
        {
            let err = AdminDetails::parse(first, None, mobile).unwrap_err();
            assert_eq!(err.field(), Some(field), "{err:?}");
        }
    }

    #[test]
    fn instants_print_as_rfc3339_utc() {
        assert_eq!(Timestamp(0).to_rfc3339(), "1970-01-01T00:00:00Z");
        assert_eq!(Timestamp(951_782_400_000).to_rfc3339(), "2000-02-29T00:00:00Z");
        assert_eq!(Timestamp(1_795_464_000_999).to_rfc3339(), "2026-11-23T20:00:00Z");
        assert_eq!(Timestamp(-1000).to_rfc3339(), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn seconds_until_round_up_and_never_go_negative() {
        assert_eq!(Timestamp(0).secs_until(Timestamp(1)), 1);
        assert_eq!(Timestamp(0).secs_until(Timestamp(30_000)), 30);
        assert_eq!(Timestamp(5).secs_until(Timestamp(1)), 0);
    }
}
