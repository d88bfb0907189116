//! Who the client is on the network, for the logon IP lists: the address of the socket, unless
//! that peer is one of the operator's `--trusted-proxies`; then `X-Forwarded-For`, read from the
//! right (each trusted proxy appends the address it received from), the first address no trusted
//! proxy owns. Also how the session cookie is set (`--insecure-cookies`).

use crate::wire::Peer;
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use canopy_domain::LogonIp;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// What the operator configured about clients.
#[derive(Debug, Clone)]
pub(crate) struct Clients {
    pub(crate) trusted_proxies: Arc<[LogonIp]>,
    pub(crate) secure_cookies: bool,
}

/// The client's address, as [`client_address`] decides it; `None` when the connection's is
/// unknown (a router called in-process), which no logon IP list admits.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

/// Whether the session cookie is set `Secure`.
#[derive(Debug, Clone, Copy)]
pub struct SecureCookies(pub bool);

/// The client's address from the socket's `peer` and the forwarded chain.
pub fn client_address(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[LogonIp]) -> Option<IpAddr> {
    let trusts = |address: IpAddr| trusted.iter().any(|proxy| proxy.admits(address));
    let mut client = peer?;
    if !trusts(client) {
        return Some(client);
    }
    let forwarded = headers.get_all("x-forwarded-for").iter().filter_map(|value| value.to_str().ok());
    let hops: Vec<&str> = forwarded.flat_map(|value| value.split(',')).map(str::trim).collect();
    for hop in hops.into_iter().rev() {
        // A hop that is not an address ends the chain: the trusted proxy before it is the client.
        let Some(address) = parse_hop(hop) else { break };
        client = address;
        if !trusts(address) {
            break;
        }
    }
    Some(client)
}

/// An address as proxies write it: bare, or with a port (`1.2.3.4:5`, `[2001:db8::1]:5`).
fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse().ok().or_else(|| hop.parse::<SocketAddr>().ok().map(|socket| socket.ip()))
}

/// Leaves the client's address and the cookie policy in the request's extensions.
pub(crate) fn identify(clients: &Clients, mut request: Request) -> Request {
    let peer = request.extensions().get::<ConnectInfo<Peer>>().map(|info| info.0.0.ip());
    let address = client_address(peer, request.headers(), &clients.trusted_proxies);
    request.extensions_mut().insert(ClientAddress(address));
    request.extensions_mut().insert(SecureCookies(clients.secure_cookies));
    request
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<Self>().copied().unwrap_or(Self(None)))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for SecureCookies {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(parts.extensions.get::<Self>().copied().unwrap_or(Self(true)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn forwarded(chain: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", chain.parse().unwrap());
        headers
    }

    #[test]
    fn the_socket_is_the_client_unless_it_is_a_trusted_proxy() {
        let trusted = [LogonIp::parse("10.0.0.0/8").unwrap(), LogonIp::parse("2001:db8::1").unwrap()];
        let chain = forwarded("198.51.100.7, 203.0.113.9");
        assert_eq!(client_address(Some(ip("192.0.2.1")), &chain, &trusted), Some(ip("192.0.2.1")));
        assert_eq!(client_address(Some(ip("10.1.2.3")), &chain, &trusted), Some(ip("203.0.113.9")));
        assert_eq!(client_address(None, &chain, &trusted), None);
        // Read from the right: every trusted hop is skipped, a spoofed left part is never reached.
        let through_two = forwarded("6.6.6.6, 203.0.113.9, 10.9.9.9");
        assert_eq!(client_address(Some(ip("10.1.2.3")), &through_two, &trusted), Some(ip("203.0.113.9")));
        let v6 = forwarded("[2001:db8::77]:4711");
        assert_eq!(client_address(Some(ip("2001:db8::1")), &v6, &trusted), Some(ip("2001:db8::77")));
        // Without the header, or with garbage, the proxy itself is the client.
        assert_eq!(client_address(Some(ip("10.1.2.3")), &HeaderMap::new(), &trusted), Some(ip("10.1.2.3")));
        assert_eq!(client_address(Some(ip("10.1.2.3")), &forwarded("x, y"), &trusted), Some(ip("10.1.2.3")));
    }
}
