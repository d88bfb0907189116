//! The caller of a change: the authenticated administrator and the request it arrives in.
//!
//! Every service method that changes something takes a [`Caller`]: authorization reads its
//! [`Principal`], and the store receives the [`Change`] it describes, which the audit log
//! records in the change's own transaction and whose expected version guards against lost
//! updates.

use canopy_domain::{
    Actor, Admin, Change, Home, NodeId, Principal, Timestamp, Version, mask_query_secrets, mask_secrets,
};
use serde_json::Value;

/// The request a change arrives in, as the transport describes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RequestMeta {
    /// The request id, echoed to the client and carried by every log line.
    pub id: String,
    pub method: String,
    /// The path with its query string.
    pub path: String,
    /// The JSON body, its secrets masked.
    body: Option<Value>,
    /// The version the client last saw (`If-Match` or `?version=`).
    pub expected: Option<Version>,
}

impl RequestMeta {
    /// `path` keeps its query string, with the values of credentials (`jwt`, `token`) masked.
    pub fn new(id: String, method: String, path: String, expected: Option<Version>) -> Self {
        Self { id, method, path: mask_query_secrets(&path), body: None, expected }
    }

    /// The request's JSON body; its secrets are masked here, so none is ever recorded.
    pub fn with_body(mut self, mut body: Value) -> Self {
        mask_secrets(&mut body);
        self.body = Some(body);
        self
    }

    pub fn body(&self) -> Option<&Value> {
        self.body.as_ref()
    }
}

/// An authenticated administrator asking for a change.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    /// The administrator's e-mail, recorded with the change (ids outlive nothing once deleted).
    pub email: String,
    pub request: RequestMeta,
    /// When the request arrived, from the app's clock.
    pub at: Timestamp,
}

impl Caller {
    pub fn new(admin: &Admin, request: RequestMeta, at: Timestamp) -> Self {
        Self { principal: admin.principal(), email: admin.email.as_str().to_owned(), request, at }
    }

    /// The change `action` on `node` (`None`: the instance itself) as the store receives it: a
    /// change of the tree, which the locks on the caller's home lineage bind.
    pub fn change(&self, action: impl Into<String>, node: Option<NodeId>) -> Change {
        let home = self.principal.home.zip(self.principal.profile.level()).map(|(id, kind)| Home { id, kind });
        Change { home, ..self.own_account_change(action, node) }
    }

    /// A change of the caller's own credentials (its activation, reset, password): recorded like
    /// every change, but no tree lock stops it (a locked administrator may still keep its account).
    pub fn own_account_change(&self, action: impl Into<String>, node: Option<NodeId>) -> Change {
        Change {
            instance: self.principal.instance.clone(),
            actor: Actor { admin: self.principal.admin, email: self.email.clone() },
            at: self.at,
            request_id: self.request.id.clone(),
            method: self.request.method.clone(),
            path: self.request.path.clone(),
            action: action.into(),
            node,
            body: self.request.body.clone(),
            expected: self.request.expected,
            home: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_recorded_body_never_holds_a_secret() {
        let meta = RequestMeta::default().with_body(json!({"password": "hunter2", "name": "x"}));
        assert_eq!(meta.body(), Some(&json!({"password": canopy_domain::MASK, "name": "x"})));
    }
}
