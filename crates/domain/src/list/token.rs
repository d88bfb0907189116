//! The opaque `next` token: the list query and the position after the last item, signed.
//!
//! A token is `base64url(json) "." base64url(hmac_sha256(key, json)[..16])`. It binds the list
//! it came from ([`ListScope::fingerprint`]) and the query (search, sort, dir, page_size), so a
//! tampered token, or one replayed on another list or with other filters, is rejected.

use super::{Cursor, ListParams, ListQuery, ListScope, MAX_PAGE, PageRequest, Position};
use crate::error::DomainError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const MAC_LEN: usize = 16;
/// Tokens longer than this are rejected before any decoding work.
const MAX_TOKEN_LEN: usize = 2048;

/// The server's signing key for `next` tokens; shared by every process on one store.
#[derive(Clone)]
pub struct TokenKey(Vec<u8>);

impl TokenKey {
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    fn mac(&self, payload: &[u8]) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC accepts keys of any length");
        mac.update(payload);
        mac
    }

    /// A key of its own for another use, derived from this one by HKDF-SHA256 (RFC 5869: extract
    /// with an all-zero salt, expand one block) under the label `info`: knowing it tells nothing
    /// about this key or about keys of other labels.
    pub fn derive(&self, info: &str) -> [u8; 32] {
        let mut extract = Hmac::<Sha256>::new_from_slice(&[0u8; 32]).expect("HMAC accepts keys of any length");
        extract.update(&self.0);
        let prk = extract.finalize().into_bytes();
        let mut expand = Hmac::<Sha256>::new_from_slice(&prk).expect("HMAC accepts keys of any length");
        expand.update(info.as_bytes());
        expand.update(&[1]);
        expand.finalize().into_bytes().into()
    }

    /// The keyed digest (HMAC-SHA256) of `label` and `parts`, each part after a NUL byte (which
    /// neither contains): a stable name for a value the store must not hold in the clear, which
    /// nobody without the key can compute from a guess.
    pub(crate) fn digest(&self, label: &str, parts: &[&str]) -> [u8; 32] {
        let mut mac = self.mac(label.as_bytes());
        for part in parts {
            mac.update(&[0]);
            mac.update(part.as_bytes());
        }
        mac.finalize().into_bytes().into()
    }
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenKey(..)")
    }
}

/// The signed payload of a `next` token: the list it belongs to, its query, the page it points
/// at, the total counted on the first page, and the cursor after the previous page's last item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound(serialize = "", deserialize = ""))]
pub struct NextToken<L: ListScope> {
    #[serde(rename = "s")]
    pub scope: String,
    #[serde(rename = "q")]
    pub query: ListQuery<L::Sort>,
    #[serde(rename = "p")]
    pub page: u64,
    #[serde(rename = "t")]
    pub total: u64,
    #[serde(rename = "a")]
    pub after: Cursor<L::Id>,
}

impl<L: ListScope> NextToken<L> {
    pub fn seal(&self, key: &TokenKey) -> String {
        seal_json(self, key)
    }

    /// Opens a token of list `L`: length, signature, then shape (a `page_size` out of range is
    /// refused like the parameter it stands for).
    pub fn open(raw: &str, key: &TokenKey) -> Result<Self, DomainError> {
        open_json(raw, key)
    }

    /// The request for the page this token points at. Parameters sent beside the token must
    /// repeat the token's own query; anything else is a replay with different filters.
    pub(super) fn continue_in(
        self,
        scope: L,
        params: &ListParams,
        sent: ListQuery<L::Sort>,
    ) -> Result<PageRequest<L>, DomainError> {
        let bad = DomainError::InvalidNextToken;
        if self.scope != scope.fingerprint() {
            return Err(bad("it belongs to another list"));
        }
        // Signed by us, but checked like the parameter it stands for: `page + 1` must not overflow.
        if !(1..=MAX_PAGE).contains(&self.page) {
            return Err(bad("malformed"));
        }
        let differs = (params.search.is_some() && sent.search != self.query.search)
            || (params.sort.is_some() && sent.sort != self.query.sort)
            || (params.dir.is_some() && sent.dir != self.query.dir)
            || (params.page_size.is_some() && sent.page_size != self.query.page_size)
            || params.page.is_some_and(|page| page != self.page);
        if differs {
            return Err(bad("it was issued for different query parameters"));
        }
        Ok(PageRequest {
            scope,
            query: self.query,
            position: Position::After(self.after),
            page: self.page,
            known_total: Some(self.total),
        })
    }
}

/// Signs a token payload: `base64url(json).base64url(mac)`.
pub(crate) fn seal_json<T: Serialize>(payload: &T, key: &TokenKey) -> String {
    let payload = serde_json::to_vec(payload).expect("a token always serializes");
    let tag = key.mac(&payload).finalize().into_bytes();
    format!("{}.{}", B64.encode(&payload), B64.encode(&tag[..MAC_LEN]))
}

/// Opens a token sealed by [`seal_json`]: length, signature, then shape.
pub(crate) fn open_json<T: serde::de::DeserializeOwned>(raw: &str, key: &TokenKey) -> Result<T, DomainError> {
    let bad = DomainError::InvalidNextToken;
    if raw.len() > MAX_TOKEN_LEN {
        return Err(bad("too long"));
    }
    let (payload, tag) = raw.split_once('.').ok_or(bad("malformed"))?;
    let payload = B64.decode(payload).map_err(|_| bad("malformed"))?;
    let tag = B64.decode(tag).map_err(|_| bad("malformed"))?;
    key.mac(&payload).verify_truncated_left(&tag).map_err(|_| bad("signature mismatch"))?;
    if tag.len() != MAC_LEN {
        return Err(bad("signature mismatch"));
    }
    serde_json::from_slice(&payload).map_err(|_| bad("malformed"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::InstanceSlug;
    use crate::list::{Direction, NodeScope, NodeSort, PageSize};
    use crate::node::NodeKind;
    use uuid::Uuid;

    fn key() -> TokenKey {
        TokenKey::new(vec![7; 32])
    }

    fn scope() -> NodeScope {
        NodeScope {
            instance: InstanceSlug::parse("default").unwrap(),
            parent: None,
            kind: NodeKind::Group,
            within: None,
        }
    }

    fn token() -> NextToken<NodeScope> {
        NextToken {
            scope: scope().fingerprint(),
            query: ListQuery {
                search: Some("acme".into()),
                sort: NodeSort::Name,
                dir: Direction::Desc,
                page_size: PageSize::parse(2).unwrap(),
            },
            page: 2,
            total: 9,
            after: Cursor { key: "acme 1".into(), id: Uuid::from_u128(1) },
        }
    }

    fn resolve(params: ListParams) -> Result<PageRequest<NodeScope>, DomainError> {
        PageRequest::resolve(scope(), params, &key())
    }

    #[test]
    fn a_sealed_token_opens_to_itself() {
        assert_eq!(NextToken::<NodeScope>::open(&token().seal(&key()), &key()), Ok(token()));
    }

    #[test]
    fn a_token_signed_with_another_key_is_rejected() {
        let sealed = token().seal(&TokenKey::new(vec![8; 32]));
        assert!(NextToken::<NodeScope>::open(&sealed, &key()).is_err());
    }

    #[test]
    fn any_tampering_is_rejected() {
        let sealed = token().seal(&key());
        let (payload, tag) = sealed.split_once('.').unwrap();
        let mut json: serde_json::Value = serde_json::from_slice(&B64.decode(payload).unwrap()).unwrap();
        json["p"] = 5.into();
        let forged = format!("{}.{tag}", B64.encode(serde_json::to_vec(&json).unwrap()));
        for raw in [forged.as_str(), "", ".", "abc", "abc.def", &sealed[..sealed.len() - 1], &"a".repeat(5000)] {
            assert!(NextToken::<NodeScope>::open(raw, &key()).is_err(), "{raw:?} should be rejected");
        }
    }

    #[test]
    fn a_token_replayed_with_other_filters_is_rejected() {
        let sealed = token().seal(&key());
        let with = |f: fn(&mut ListParams)| {
            let mut params = ListParams { next: Some(sealed.clone()), ..Default::default() };
            f(&mut params);
            resolve(params)
        };
        assert!(with(|_| {}).is_ok());
        assert!(with(|p| p.search = Some("ACME".into())).is_ok(), "the same search, differently cased");
        assert!(with(|p| p.dir = Some("desc".into())).is_ok());
        assert!(with(|p| p.search = Some("other".into())).is_err());
        assert!(with(|p| p.sort = Some("uuid".into())).is_err());
        assert!(with(|p| p.dir = Some("asc".into())).is_err());
        assert!(with(|p| p.page_size = Some(3)).is_err());
        assert!(with(|p| p.page = Some(7)).is_err());
    }

    #[test]
    fn a_token_replayed_on_another_list_is_rejected() {
        let sealed = token().seal(&key());
        let mut other = scope();
        other.kind = NodeKind::Tenant;
        let params = ListParams { next: Some(sealed), ..Default::default() };
        assert!(PageRequest::resolve(other, params, &key()).is_err());
    }

    #[test]
    fn a_token_of_one_subtree_cannot_continue_another_subtrees_list() {
        let within = |w: u128| NodeScope { within: Some(crate::node::NodeId(Uuid::from_u128(w))), ..scope() };
        let token = NextToken { scope: within(1).fingerprint(), ..token() };
        let params = || ListParams { next: Some(token.seal(&key())), ..Default::default() };
        assert!(PageRequest::resolve(within(1), params(), &key()).is_ok());
        assert!(PageRequest::resolve(within(2), params(), &key()).is_err(), "another subtree");
        assert!(PageRequest::resolve(scope(), params(), &key()).is_err(), "the whole instance");
    }

    #[test]
    fn a_correctly_signed_token_with_an_impossible_page_or_size_is_rejected() {
        // Found by the fuzz target `signed_token`: page 0 and page_size 0 used to pass, and then
        // divided by zero (`pages`) or overflowed (`page + 1`) further on.
        let sealed = |edit: fn(&mut serde_json::Value)| {
            let mut json = serde_json::to_value(token()).unwrap();
            edit(&mut json);
            seal_json(&json, &key())
        };
        let params = |next: String| ListParams { next: Some(next), ..Default::default() };
        assert!(resolve(params(sealed(|_| {}))).is_ok());
        for bad in [
            sealed(|j| j["p"] = 0.into()),
            sealed(|j| j["p"] = u64::MAX.into()),
            sealed(|j| j["q"]["page_size"] = 0.into()),
            sealed(|j| j["q"]["page_size"] = 1001.into()),
        ] {
            assert!(matches!(resolve(params(bad)), Err(DomainError::InvalidNextToken(_))));
        }
    }
}
