//! Node lists: the children of one kind under one parent (or the instance's groups), searched
//! and sorted by the kind's searchable fields.

use super::{Cursor, ListItem, ListQuery, ListScope};
use crate::error::DomainError;
use crate::instance::InstanceSlug;
use crate::node::{Attributes, Node, NodeId, NodeKind};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Which list: the children of one kind under one parent (no parent: the instance's groups).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeScope {
    pub instance: InstanceSlug,
    pub parent: Option<NodeId>,
    pub kind: NodeKind,
    /// The subtree the list is cut to (the caller's own node), before counting and paging:
    /// only nodes that are this node or lie below it. `None`: the whole instance.
    pub within: Option<NodeId>,
}

impl NodeScope {
    /// Whether `node` is inside the subtree the list is cut to.
    pub fn admits(&self, node: &Node) -> bool {
        self.within.is_none_or(|w| node.id == w || node.lineage.contains(w))
    }
}

/// The searchable properties of a node, which are also the only sortable ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NodeSort {
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "uuid")]
    Uuid,
    #[serde(rename = "draasDomain")]
    DraasDomain,
    #[serde(rename = "tenantId")]
    TenantId,
    #[serde(rename = "groupName")]
    GroupName,
    #[serde(rename = "lastName")]
    LastName,
    #[serde(rename = "firstName")]
    FirstName,
}

impl NodeSort {
    /// What every node is searched and sorted by (name, uuid), then what its kind's attributes
    /// add ([`Attributes::fields`]).
    pub fn searchable_fields(kind: NodeKind) -> impl Iterator<Item = NodeSort> + Clone {
        [Self::Name, Self::Uuid].into_iter().chain(Attributes::fields(kind).iter().filter_map(|field| field.sort))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Uuid => "uuid",
            Self::DraasDomain => "draasDomain",
            Self::TenantId => "tenantId",
            Self::GroupName => "groupName",
            Self::LastName => "lastName",
            Self::FirstName => "firstName",
        }
    }

    pub fn parse(raw: &str, kind: NodeKind) -> Result<Self, DomainError> {
        Self::searchable_fields(kind).find(|field| field.as_str() == raw).ok_or_else(|| {
            let allowed: Vec<_> = Self::searchable_fields(kind).map(|f| f.as_str()).collect();
            DomainError::invalid("sort", format!("must be one of: {}", allowed.join(", ")))
        })
    }

    /// The value a node sorts by under this field; ties are broken by the node's uuid.
    /// Sorting by uuid uses the uuid alone, so its key is empty.
    pub fn key_of(self, node: &Node) -> String {
        self.key_str(node).to_owned()
    }

    /// [`NodeSort::key_of`] without a copy.
    pub fn key_str(self, node: &Node) -> &str {
        match self {
            Self::Name => node.name.key(),
            Self::Uuid => "",
            Self::DraasDomain => node.draas_domain().map_or("", |d| d.as_str()),
            Self::TenantId => node.tenant_id().map_or("", |t| t.key()),
            Self::GroupName => node.attributes.site_group().map_or("", |s| s.group_name_key()),
            Self::LastName => node.attributes.user().map_or("", |u| u.last_name_key()),
            Self::FirstName => node.attributes.user().map_or("", |u| u.first_name_key()),
        }
    }
}

impl ListQuery<NodeSort> {
    /// Whether the search text is in any searchable field of the node. Allocates nothing: the
    /// memory adapter calls it for every node a list scans.
    pub fn matches(&self, node: &Node) -> bool {
        let Some(needle) = &self.search else { return true };
        let mut buffer = [0u8; uuid::fmt::Hyphenated::LENGTH];
        let uuid: &str = node.id.0.hyphenated().encode_lower(&mut buffer);
        NodeSort::searchable_fields(node.kind).any(|field| {
            let haystack = match field {
                NodeSort::Uuid => uuid,
                other => other.key_str(node),
            };
            haystack.contains(needle.as_str())
        })
    }
}

impl ListScope for NodeScope {
    type Sort = NodeSort;
    type Id = Uuid;

    fn fingerprint(&self) -> String {
        let parent = self.parent.map(|p| p.to_string()).unwrap_or_default();
        let within = self.within.map(|w| format!("@{w}")).unwrap_or_default();
        format!("{}/{}/{}{within}", self.instance, parent, self.kind.plural())
    }

    fn parse_sort(&self, raw: &str) -> Result<NodeSort, DomainError> {
        NodeSort::parse(raw, self.kind)
    }

    fn default_sort(&self) -> NodeSort {
        NodeSort::Name
    }
}

impl ListItem<NodeScope> for Node {
    fn cursor(&self, sort: NodeSort) -> Cursor<Uuid> {
        Cursor { key: sort.key_of(self), id: self.id.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::list::{Direction, ListParams, PageRequest, PageSize, Position, TokenKey};
    use crate::name::{DraasDomain, TenantId};
    use crate::node::tests::node;

    fn scope(kind: NodeKind) -> NodeScope {
        NodeScope { instance: InstanceSlug::parse("default").unwrap(), parent: None, kind, within: None }
    }

    fn key() -> TokenKey {
        TokenKey::new(b"0123456789abcdef0123456789abcdef".to_vec())
    }

    #[test]
    fn defaults_are_name_ascending_ten_per_page_from_the_start() {
        let req = PageRequest::resolve(scope(NodeKind::Group), ListParams::default(), &key()).unwrap();
        assert_eq!(req.query.sort, NodeSort::Name);
        assert_eq!(req.query.dir, Direction::Asc);
        assert_eq!(req.query.page_size.get(), 10);
        assert_eq!(req.position, Position::Start);
        assert_eq!(req.page, 1);
    }

    #[test]
    fn page_size_is_limited_to_1_through_1000() {
        assert!(PageSize::parse(1).is_ok());
        assert!(PageSize::parse(1000).is_ok());
        assert!(PageSize::parse(0).is_err());
        assert!(PageSize::parse(1001).is_err());
        assert!(PageSize::parse(u64::MAX).is_err());
    }

    #[test]
    fn sort_is_limited_to_the_kinds_searchable_fields() {
        assert_eq!(NodeSort::parse("draasDomain", NodeKind::Group), Ok(NodeSort::DraasDomain));
        assert!(NodeSort::parse("draasDomain", NodeKind::Tenant).is_err());
        assert_eq!(NodeSort::parse("tenantId", NodeKind::Tenant), Ok(NodeSort::TenantId));
        assert!(NodeSort::parse("nbOfTenants", NodeKind::Group).is_err());
        assert!(Direction::parse("sideways").is_err());
    }

    #[test]
    fn a_page_number_becomes_an_offset() {
        let params = ListParams { page: Some(3), page_size: Some(20), ..Default::default() };
        let req = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        assert_eq!(req.position, Position::Offset(40));
        assert!(
            PageRequest::resolve(scope(NodeKind::Group), ListParams { page: Some(0), ..Default::default() }, &key())
                .is_err()
        );
    }

    #[test]
    fn search_matches_any_searchable_field_case_insensitively() {
        let mut group = node(NodeKind::Group, 7, None);
        group.attributes = Attributes::Group { draas_domain: Some(DraasDomain::parse("first.draas.domain").unwrap()) };
        let query = |text: &str| ListQuery {
            search: Some(text.to_lowercase()),
            sort: NodeSort::Name,
            dir: Direction::Asc,
            page_size: PageSize::DEFAULT,
        };
        assert!(query("NODE 7").matches(&group));
        assert!(query("draas.DOM").matches(&group));
        assert!(query("00000000-0000").matches(&group));
        assert!(!query("absent").matches(&group));
        let mut tenant = node(NodeKind::Tenant, 8, Some(&group));
        tenant.attributes = Attributes::Tenant { tenant_id: TenantId::parse("Acme-EU").unwrap() };
        assert!(query("acme-eu").matches(&tenant));
        assert!(!query("draas").matches(&tenant), "tenants do not search their group's domain");
    }

    #[test]
    fn a_next_token_resumes_after_the_last_item_with_the_same_query() {
        let params = ListParams { search: Some("Node".into()), page_size: Some(2), ..Default::default() };
        let first = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        let last = node(NodeKind::Group, 2, None);
        let token = first.next_token(5, Some(last.cursor(NodeSort::Name)), true, &key()).unwrap();
        let params = ListParams { next: Some(token), ..Default::default() };
        let second = PageRequest::resolve(scope(NodeKind::Group), params, &key()).unwrap();
        assert_eq!(second.query, first.query);
        assert_eq!(second.page, 2);
        assert_eq!(second.known_total, Some(5));
        assert_eq!(second.position, Position::After(Cursor { key: "node 2".into(), id: last.id.0 }));
        assert_eq!(first.next_token(5, Some(last.cursor(NodeSort::Name)), false, &key()), None);
    }

    #[test]
    fn pages_round_up_and_an_empty_list_has_one_page() {
        let req = PageRequest::resolve(scope(NodeKind::Group), ListParams::default(), &key()).unwrap();
        assert_eq!(req.pages(0), 1);
        assert_eq!(req.pages(10), 1);
        assert_eq!(req.pages(11), 2);
    }
}
