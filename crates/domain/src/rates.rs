//! Rate plans: named price lists of a node, one price history per destination. Which price is
//! active at an instant is a pure function of the history and that instant ([`active_prices`]);
//! the service passes the clock's time in.

use crate::account::Timestamp;
use crate::error::DomainError;

/// The name of a rate plan (`{rate_plan}` of the paths): 1 to 64 of ASCII letters, digits, `.`,
/// `_`, `-`. Compared exactly (case-sensitive): it is an identifier the platform chose.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RatePlanName(String);

impl RatePlanName {
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let ok = (1..=64).contains(&raw.len())
            && raw.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return Err(DomainError::invalid("rate_plan", "must be 1 to 64 of letters, digits, '.', '_', '-'"));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A rate plan as the list of a node's plans shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatePlanSummary {
    pub name: RatePlanName,
    /// How many destinations it defines (at least 1: a plan exists from its first destination).
    pub destinations: u64,
    /// How many prices it holds: past, active and scheduled.
    pub prices: u64,
    pub version: crate::change::Version,
}

/// A destination of a rate plan (a dial plan group): its numeric id and its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    pub id: i64,
    pub name: String,
}

impl Destination {
    /// `id` 1 to 2^31-1; `name` 1 to 255 characters after trimming, no control characters.
    pub fn parse(id: i64, name: &str) -> Result<Self, DomainError> {
        if !(1..=i64::from(i32::MAX)).contains(&id) {
            return Err(DomainError::invalid("destinationId", "must be 1 to 2147483647"));
        }
        let name = name.trim();
        if name.is_empty() || name.chars().count() > 255 || name.chars().any(char::is_control) {
            return Err(DomainError::invalid("destination", "must be 1 to 255 characters, no control characters"));
        }
        Ok(Self { id, name: name.to_owned() })
    }
}

/// The price of a call: a setup fee and a price per minute (`duration`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tariff {
    pub setup: f64,
    pub duration: f64,
}

/// The largest amount a tariff may carry.
pub const MAX_AMOUNT: f64 = 1_000_000.0;

impl Tariff {
    /// Both amounts finite, 0 to [`MAX_AMOUNT`].
    pub fn parse(field: &'static str, setup: f64, duration: f64) -> Result<Self, DomainError> {
        let ok = |v: f64| v.is_finite() && (0.0..=MAX_AMOUNT).contains(&v);
        if !ok(setup) || !ok(duration) {
            return Err(DomainError::invalid(field, "setup and duration must be numbers from 0 to 1000000"));
        }
        Ok(Self { setup, duration })
    }
}

/// One price of a destination, active from `active_since` until a later price of the same
/// destination becomes active.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Price {
    pub destination: i64,
    pub active_since: Timestamp,
    pub national: Tariff,
    pub international: Tariff,
}

/// What a destination costs at an instant: the active price, and when the next one starts.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivePrice {
    pub destination: Destination,
    pub price: Price,
    /// The earliest `active_since` after the instant, when a later price is scheduled.
    pub next_update: Option<Timestamp>,
}

/// The price of each destination active at `now`: the one with the latest `active_since` not
/// after `now` (a price starting exactly at `now` is active). Of two prices with the same
/// `active_since`, the later in `prices` wins (stores keep one per instant, so this only
/// decides a tie deterministically). Destinations without an active price yet are left out.
/// Ordered as the spec's example: most recently activated first, then by destination id.
pub fn active_prices(destinations: &[Destination], prices: &[Price], now: Timestamp) -> Vec<ActivePrice> {
    let mut out: Vec<ActivePrice> = destinations
        .iter()
        .filter_map(|destination| {
            let own = prices.iter().filter(|p| p.destination == destination.id);
            let active = own.clone().filter(|p| p.active_since <= now).fold(None::<&Price>, |best, p| match best {
                Some(b) if b.active_since > p.active_since => Some(b),
                _ => Some(p),
            })?;
            let next_update = own.map(|p| p.active_since).filter(|since| *since > now).min();
            Some(ActivePrice { destination: destination.clone(), price: *active, next_update })
        })
        .collect();
    out.sort_by(|a, b| b.price.active_since.cmp(&a.price.active_since).then(a.destination.id.cmp(&b.destination.id)));
    out
}

/// `2022-08-06 00:00:00` (UTC, to the second), as the spec writes `activeSince`.
pub fn format_datetime(at: Timestamp) -> String {
    at.to_rfc3339().replacen('T', " ", 1).trim_end_matches('Z').to_owned()
}

/// Parses `YYYY-MM-DD HH:MM:SS` (UTC), years 1970 to 9999.
pub fn parse_datetime(field: &'static str, raw: &str) -> Result<Timestamp, DomainError> {
    let invalid = || DomainError::invalid(field, "must be a UTC date and time 'YYYY-MM-DD HH:MM:SS' from 1970");
    let b = raw.as_bytes();
    let shape = b.len() == 19
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 | 16 => *c == b':',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(invalid());
    }
    let num = |range: std::ops::Range<usize>| raw[range].parse::<i64>().map_err(|_| invalid());
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if year < 1970 || !(1..=12).contains(&month) || day < 1 || day > month_days[(month - 1) as usize] {
        return Err(invalid());
    }
    if hour > 23 || minute > 59 || second > 59 {
        return Err(invalid());
    }
    // Howard Hinnant's days_from_civil.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Ok(Timestamp((days * 86_400 + hour * 3600 + minute * 60 + second) * 1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_659_744_000_000; // 2022-08-06 00:00:00

    fn tariff(v: f64) -> Tariff {
        Tariff { setup: v, duration: v }
    }

    fn price(destination: i64, since: i64, v: f64) -> Price {
        Price { destination, active_since: Timestamp(since), national: tariff(v), international: tariff(v) }
    }

    fn italy() -> Vec<Destination> {
        vec![Destination::parse(177, "Italy").unwrap()]
    }

    #[test]
    fn a_price_is_active_from_exactly_its_active_since() {
        let prices = [price(177, T0, 1.0)];
        let at = active_prices(&italy(), &prices, Timestamp(T0));
        assert_eq!(at.len(), 1);
        assert_eq!(at[0].price.national.setup, 1.0);
        assert_eq!(at[0].next_update, None);
    }

    #[test]
    fn one_millisecond_before_its_active_since_the_previous_price_holds_and_announces_it() {
        let prices = [price(177, T0 - 86_400_000, 1.0), price(177, T0, 2.0)];
        let before = active_prices(&italy(), &prices, Timestamp(T0 - 1));
        assert_eq!(before[0].price.national.setup, 1.0);
        assert_eq!(before[0].next_update, Some(Timestamp(T0)));
        let at = active_prices(&italy(), &prices, Timestamp(T0));
        assert_eq!(at[0].price.national.setup, 2.0);
        assert_eq!(at[0].next_update, None);
    }

    #[test]
    fn of_two_prices_at_the_same_instant_the_later_listed_wins() {
        let prices = [price(177, T0, 1.0), price(177, T0, 2.0)];
        let at = active_prices(&italy(), &prices, Timestamp(T0 + 5));
        assert_eq!(at[0].price.national.setup, 2.0);
        assert_eq!(at[0].next_update, None, "a price at the same instant is no update");
    }

    #[test]
    fn a_destination_whose_prices_all_lie_ahead_has_no_active_price() {
        let prices = [price(177, T0, 1.0)];
        assert!(active_prices(&italy(), &prices, Timestamp(T0 - 1)).is_empty());
        assert!(active_prices(&italy(), &[], Timestamp(T0)).is_empty());
    }

    #[test]
    fn next_update_is_the_earliest_scheduled_price_and_prices_are_per_destination() {
        let destinations = vec![Destination::parse(177, "Italy").unwrap(), Destination::parse(427, "BE").unwrap()];
        let day = 86_400_000;
        let prices =
            [price(177, T0, 1.0), price(177, T0 + 3 * day, 3.0), price(177, T0 + day, 2.0), price(427, T0 - day, 9.0)];
        let at = active_prices(&destinations, &prices, Timestamp(T0));
        assert_eq!(at.iter().map(|a| a.destination.id).collect::<Vec<_>>(), [177, 427], "latest activation first");
        assert_eq!(at[0].next_update, Some(Timestamp(T0 + day)));
        assert_eq!((at[1].price.national.setup, at[1].next_update), (9.0, None));
    }

    #[test]
    fn datetimes_round_trip_in_the_spec_format_and_bad_ones_name_the_field() {
        assert_eq!(parse_datetime("activeSince", "2022-08-06 00:00:00"), Ok(Timestamp(T0)));
        assert_eq!(format_datetime(Timestamp(T0 + 3_723_000)), "2022-08-06 01:02:03");
        assert_eq!(parse_datetime("f", "2024-02-29 23:59:59").map(format_datetime).unwrap(), "2024-02-29 23:59:59");
        for bad in [
            "2022-08-06",
            "2022-08-06T00:00:00",
            "2023-02-29 00:00:00",
            "2022-13-01 00:00:00",
            "1969-12-31 23:59:59",
            "2022-08-06 24:00:00",
        ] {
            let err = parse_datetime("activeSince", bad).unwrap_err();
            assert_eq!(err.field(), Some("activeSince"), "{bad}");
        }
    }

    #[test]
    fn names_destinations_and_tariffs_are_bounded() {
        assert!(RatePlanName::parse("standard-2022").is_ok());
        assert!(RatePlanName::parse("").is_err());
        assert!(RatePlanName::parse("a/b").is_err());
        assert!(RatePlanName::parse(&"x".repeat(65)).is_err());
        assert!(Destination::parse(0, "Italy").is_err());
        assert!(Destination::parse(1, "  ").is_err());
        assert_eq!(Destination::parse(1, " Italy ").unwrap().name, "Italy");
        assert!(Tariff::parse("national", -0.01, 1.0).is_err());
        assert!(Tariff::parse("national", f64::NAN, 1.0).is_err());
        assert!(Tariff::parse("national", 4.68, 0.0).is_ok());
    }
}
