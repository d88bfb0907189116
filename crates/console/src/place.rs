//! Where a page is: the instance itself (its groups, its system administrators) or one node,
//! named in console paths as the API names it (`/console/{kinds}/{uuid}`: `groups`, `tenants`,
//! ... from [`NodeKind::plural`], so every kind the domain has gets its pages).

use crate::problem::Problem;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use canopy_domain::{NodeKind, Principal};
use serde::Deserialize;
use uuid::Uuid;

/// The instance, or a node of some kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Instance,
    Node(NodeKind, Uuid),
}

impl Place {
    /// The page of the place.
    pub fn url(self) -> String {
        match self {
            Self::Instance => "/console/".to_owned(),
            Self::Node(kind, id) => format!("/console/{}/{id}", kind.plural()),
        }
    }

    /// A page below the place's (`admins`, `configuration`, ...).
    pub fn sub(self, page: &str) -> String {
        match self {
            Self::Instance => format!("/console/{page}"),
            Self::Node(..) => format!("{}/{page}", self.url()),
        }
    }

    /// The node, as the services take it (`None`: the instance).
    pub fn node(self) -> Option<(NodeKind, Uuid)> {
        match self {
            Self::Instance => None,
            Self::Node(kind, id) => Some((kind, id)),
        }
    }

    /// Where the caller's own pages start: its home node, or the instance for a system
    /// administrator.
    pub fn home_of(principal: &Principal) -> Self {
        match (principal.profile.level(), principal.home) {
            (Some(kind), Some(home)) => Self::Node(kind, home.0),
            _ => Self::Instance,
        }
    }
}

#[derive(Deserialize)]
struct Raw {
    kinds: String,
    uuid: String,
}

/// The node a console path names; an unknown kind or a malformed uuid is the console's 404.
pub struct At(pub NodeKind, pub Uuid);

impl At {
    pub fn place(&self) -> Place {
        Place::Node(self.0, self.1)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for At {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Problem> {
        let Path(raw) = Path::<Raw>::from_request_parts(parts, state).await.map_err(|_| Problem::not_found())?;
        let kind = NodeKind::ALL.into_iter().find(|kind| kind.plural() == raw.kinds).ok_or_else(Problem::not_found)?;
        let id = Uuid::parse_str(&raw.uuid).map_err(|_| Problem::not_found())?;
        Ok(Self(kind, id))
    }
}
