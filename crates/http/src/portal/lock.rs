//! The lock of a group's subtree (L36727 `POST`, L36096 `DELETE /groups/{group}/lock`; faces.md
//! §3, "Lock"): `204`, whoever's lock it ends up being. The rule is the domain's
//! (`canopy_domain::tree_lock`) and the store's, so it holds on every face: once a node is locked,
//! a write by an administrator homed in its subtree (but the holder) answers `423 tree_locked`.

use super::docs::{GROUP_404, group_params, tag};
use super::groups::{node_of, place};
use super::named::GroupPath;
use crate::api::HttpMethod::{Delete, Post};
use crate::api::{Access, FaceInstance, Op, Route, empty, errors};
use crate::caller::Changing;
use crate::error::ApiError;
use axum::http::StatusCode;
use canopy_domain::LockRequest;

pub(super) fn routes() -> Vec<Route> {
    // The permission is the kind's (`{kinds}.instance.lock.update`), known once `{group}` is found.
    let (access, path) = (Access::Authenticated, "/groups/{group}/lock".to_owned());
    vec![
        Route::new(Post, path.clone(), access, lock, || doc(LockRequest::Lock)),
        // Nothing versioned changes: no precondition.
        Route::new(Delete, path, access, unlock, || doc(LockRequest::Unlock)).unconditional(),
    ]
}

async fn lock(changing: Changing<GroupPath>, instance: FaceInstance) -> Result<StatusCode, ApiError> {
    request(changing, instance, LockRequest::Lock).await
}

async fn unlock(changing: Changing<GroupPath>, instance: FaceInstance) -> Result<StatusCode, ApiError> {
    request(changing, instance, LockRequest::Unlock).await
}

async fn request(
    Changing { app, caller, path }: Changing<GroupPath>,
    FaceInstance(instance): FaceInstance,
    request: LockRequest,
) -> Result<StatusCode, ApiError> {
    let (kind, id) = node_of(&place(&app, &caller.principal, &instance, &path).await?)?;
    match request {
        LockRequest::Lock => app.nodes.lock(&caller, &instance, kind, id).await?,
        LockRequest::Unlock => app.nodes.unlock(&caller, &instance, kind, id).await?,
    }
    Ok(StatusCode::NO_CONTENT)
}

const LOCKED_423: &str = "`tree_locked`: the caller is itself homed inside a locked subtree (a lock it does not hold, \
                          on its own node or above), or, to unlock, below the lock's holder. No `Retry-After`: a lock \
                          lasts until it is lifted, and the answer never names who holds it.";

fn doc(request: LockRequest) -> Op {
    let (id, summary, description, line) = match request {
        LockRequest::Lock => (
            "portalLockGroup",
            "Lock group's hierarchy tree",
            "Locks the group's subtree: from then on, every write on every face (Canopy's API, APIO, sipXconfig, \
             this face, the console) by an administrator homed at the group or below answers `423 tree_locked`, \
             unless it is the administrator's own level that holds the lock; the caller and the levels above write \
             on. Locking a locked group again is no error: the lock goes to the higher of its holder and the caller. \
             Reads show the lock as `locked` (a Canopy extension). The spec allows `root_admin` and \
             `partner_admin`: here the system's administrators and those of groups, distributors and resellers.",
            36727,
        ),
        LockRequest::Unlock => (
            "portalUnlockGroup",
            "Unlock group's hierarchy tree",
            "Lifts the group's lock: by the administrator's level that holds it or one above (below it: 423). An \
             unlocked group stays so (204).",
            36096,
        ),
    };
    Op {
        id: id.to_owned(),
        tag: tag(),
        summary: format!("{summary} (L{line})"),
        description: description.to_owned(),
        params: group_params(),
        body: None,
        ok: empty(204, "Done: the lock is as asked (or higher, for a lock)."),
        errors: errors(&[
            (400, "`invalid_target` (the root, which no lock holds), `invalid_path`."),
            (
                403,
                "`forbidden`: the caller's profile lacks `{kinds}.instance.lock.update` for the group's kind (tenant \
                 and site group administrators lock nothing); decided once the group is found in the caller's \
                 subtree, so it reveals nothing.",
            ),
            (404, GROUP_404),
            (423, LOCKED_423),
        ]),
    }
}
