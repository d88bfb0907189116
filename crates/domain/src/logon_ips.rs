//! The addresses an account may log in from (the portal's `logon_ips`): each item a single IP, a
//! range `a - b` or a subnetwork `a/n`, IPv4 or IPv6, kept in one normal form (the canonical
//! address text, a range's ends in order and of one family, a subnetwork's address masked to its
//! prefix), at most [`MAX_ITEMS`] different items. Whether a list admits an address is decided
//! here too, for the login that enforces it.

use crate::error::DomainError;
use std::fmt;
use std::net::IpAddr;

/// The most items a list holds.
pub const MAX_ITEMS: usize = 100;

/// One item of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogonIp {
    Single(IpAddr),
    /// Both ends included, the first not after the second, one family.
    Range(IpAddr, IpAddr),
    /// The network's address (masked) and its prefix length.
    Subnet(IpAddr, u8),
}

impl LogonIp {
    /// An item as a client writes it: `203.0.113.2`, `203.0.113.23 - 203.0.113.200`,
    /// `203.0.113.32/27`, or their IPv6 forms.
    pub fn parse(raw: &str) -> Result<Self, DomainError> {
        let raw = raw.trim();
        let invalid = |why: &str| DomainError::invalid("items", format!("{raw:?}: {why}"));
        let address = |text: &str| text.trim().parse::<IpAddr>().map_err(|_| invalid("not an IP address"));
        if let Some((first, last)) = raw.split_once('-') {
            let (first, last) = (address(first)?, address(last)?);
            if first.is_ipv4() != last.is_ipv4() {
                return Err(invalid("a range's ends must be of one family"));
            }
            if bits(first) > bits(last) {
                return Err(invalid("a range's first address must not come after its last"));
            }
            return Ok(if first == last { Self::Single(first) } else { Self::Range(first, last) });
        }
        if let Some((network, length)) = raw.split_once('/') {
            let network = address(network)?;
            let width = width(network);
            let length: u8 = length
                .trim()
                .parse()
                .ok()
                .filter(|n| *n <= width)
                .ok_or_else(|| invalid(&format!("a prefix length is 0 to {width}")))?;
            return Ok(Self::Subnet(masked(network, length), length));
        }
        Ok(Self::Single(address(raw)?))
    }

    /// Whether `address` is one this item admits.
    pub fn admits(&self, address: IpAddr) -> bool {
        let address = unmapped(address);
        match *self {
            Self::Single(one) => one == address,
            Self::Range(first, last) => {
                first.is_ipv4() == address.is_ipv4() && (bits(first)..=bits(last)).contains(&bits(address))
            }
            Self::Subnet(network, length) => {
                network.is_ipv4() == address.is_ipv4() && masked(address, length) == network
            }
        }
    }
}

impl fmt::Display for LogonIp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Single(one) => write!(f, "{one}"),
            Self::Range(first, last) => write!(f, "{first} - {last}"),
            Self::Subnet(network, length) => write!(f, "{network}/{length}"),
        }
    }
}

/// A list's items as a client sent them, normalised: duplicates (after normalisation) once, in
/// the client's order; at most [`MAX_ITEMS`].
pub fn parse_logon_ips(items: &[String]) -> Result<Vec<LogonIp>, DomainError> {
    let mut parsed: Vec<LogonIp> = Vec::with_capacity(items.len().min(MAX_ITEMS));
    for item in items {
        let ip = LogonIp::parse(item)?;
        if !parsed.contains(&ip) {
            parsed.push(ip);
        }
        if parsed.len() > MAX_ITEMS {
            return Err(DomainError::invalid("items", format!("at most {MAX_ITEMS} items")));
        }
    }
    Ok(parsed)
}

fn width(address: IpAddr) -> u8 {
    if address.is_ipv4() { 32 } else { 128 }
}

fn bits(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn masked(address: IpAddr, length: u8) -> IpAddr {
    let keep = |width: u32| if length == 0 { 0 } else { u128::MAX << (width - u32::from(length)) };
    match address {
        IpAddr::V4(v4) => IpAddr::V4((u32::from(v4) & keep(32) as u32).into()),
        IpAddr::V6(v6) => IpAddr::V6((u128::from(v6) & keep(128)).into()),
    }
}

/// An IPv4 address seen through an IPv6 socket (`::ffff:a.b.c.d`) is that IPv4 address.
fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(raw: &str) -> String {
        LogonIp::parse(raw).unwrap().to_string()
    }

    #[test]
    fn items_are_an_ip_a_range_or_a_subnetwork_of_either_family_in_one_normal_form() {
        assert_eq!(shown(" 203.0.113.2 "), "203.0.113.2");
        assert_eq!(shown("203.0.113.23 - 203.0.113.200"), "203.0.113.23 - 203.0.113.200");
        assert_eq!(shown("203.0.113.23-203.0.113.200"), "203.0.113.23 - 203.0.113.200");
        assert_eq!(shown("203.0.113.7 - 203.0.113.7"), "203.0.113.7");
        assert_eq!(shown("203.0.113.45/27"), "203.0.113.32/27");
        assert_eq!(shown("2001:DB8:0:0::1"), "2001:db8::1");
        assert_eq!(shown("2001:db8::1 - 2001:db8::ff"), "2001:db8::1 - 2001:db8::ff");
        assert_eq!(shown("2001:db8::ffff/32"), "2001:db8::/32");
        assert_eq!(shown("0.0.0.0/0"), "0.0.0.0/0");
        for bad in [
            "",
            "x",
            "203.0.113",
            "203.0.113.2/33",
            "2001:db8::/129",
            "203.0.113.9 - 203.0.113.1",
            "203.0.113.1 - 2001:db8::1",
            "203.0.113.1/x",
            "1.2.3.4 - ",
            "203.0.113.2/-1",
        ] {
            assert!(LogonIp::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_list_is_bounded_and_keeps_each_item_once_in_order() {
        let items: Vec<String> = ["10.0.0.1", "10.0.0.0/8", "10.0.0.1 - 10.0.0.1"].map(String::from).to_vec();
        let parsed = parse_logon_ips(&items).unwrap();
        assert_eq!(parsed.iter().map(ToString::to_string).collect::<Vec<_>>(), ["10.0.0.1", "10.0.0.0/8"]);
        let many: Vec<String> = (0..=MAX_ITEMS).map(|i| format!("10.0.{}.{}", i / 256, i % 256)).collect();
        assert!(parse_logon_ips(&many).is_err());
        assert_eq!(parse_logon_ips(&many[..MAX_ITEMS]).unwrap().len(), MAX_ITEMS);
    }

    #[test]
    fn an_item_admits_the_addresses_it_names() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let range = LogonIp::parse("203.0.113.23 - 203.0.113.200").unwrap();
        assert!(range.admits(ip("203.0.113.23")) && range.admits(ip("203.0.113.200")));
        assert!(!range.admits(ip("203.0.113.201")) && !range.admits(ip("2001:db8::1")));
        let subnet = LogonIp::parse("203.0.113.32/27").unwrap();
        assert!(subnet.admits(ip("203.0.113.63")) && !subnet.admits(ip("203.0.113.64")));
        assert!(subnet.admits(ip("::ffff:203.0.113.40")), "an IPv4-mapped address is its IPv4 address");
        assert!(LogonIp::parse("::/0").unwrap().admits(ip("2001:db8::1")));
        assert!(LogonIp::parse("2001:db8::1").unwrap().admits(ip("2001:DB8::1")));
    }
}
