//! The handlers of a group's users (APIO end users; APIO-shaped Canopy extensions): list and
//! create below `…/groups/{group_id}/users/` (read, change and delete at `…/users/{user_id}/` are
//! `items.rs`').
//! Creations count against the group's `userLimit` (decided by the stores under the group's lock).

use super::bodies::shown;
use super::paths::{GroupPath, Keys, location};
use crate::api::FaceInstance;
use crate::caller::Changing;
use crate::error::ApiError;
use crate::extract::{ApiJson, Reading};
use crate::nodes::{DescribedCreate, NodeCreateBody, Users};
use crate::versioning::tagged;
use axum::Json;
use axum::http::header::LOCATION;
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use canopy_domain::{ListParams, NodeKind, Permission};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

const USER: NodeKind = NodeKind::User;

/// A group's users, in `userId` order.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRows {
    /// Each user as `GET …/users/{user_id}/` shows it.
    #[schema(value_type = Vec<Object>)]
    pub users: Vec<Value>,
}

/// Every user of the group, read page by page (pages of 1000) in `userId` order.
pub async fn list(
    Reading { app, caller, path }: Reading<GroupPath>,
    instance: FaceInstance,
) -> Result<Json<UserRows>, ApiError> {
    let group = path.resolve(&app, &caller.principal, &instance, Permission::List(USER)).await?;
    let parent = Some((NodeKind::SiteGroup, group.id.0));
    let mut users = vec![];
    let mut next = None;
    loop {
        let params = ListParams { page_size: Some(1000), next: next.take(), ..Default::default() };
        let page = app.nodes.list(&caller.principal, &instance.0, parent, USER, params).await?;
        users.extend(page.items.iter().map(shown));
        match page.next {
            Some(token) => next = Some(token),
            None => break,
        }
    }
    Ok(Json(UserRows { users }))
}

/// A new user of the group; 201 with the user and its `Location`.
pub async fn create(
    Changing { app, caller, path }: Changing<GroupPath>,
    instance: FaceInstance,
    uri: Uri,
    ApiJson(body): ApiJson<DescribedCreate<Users>>,
) -> Result<Response, ApiError> {
    let group = path.resolve(&app, &caller.principal, &instance, Permission::Create(USER)).await?;
    let parent = Some((NodeKind::SiteGroup, group.id.0));
    let node = app.nodes.create(&caller, &instance.0, parent, USER, body.into_input()).await?;
    let at = location(uri.path(), node.name.as_str());
    Ok(tagged(node.version, (StatusCode::CREATED, [(LOCATION, at)], Json(shown(&node)))))
}
