//! What the nodes above an account decide about its logins. Every node of its home's lineage must
//! be enabled (the portal's `status`: a disabled node's accounts, and those below it, do not log
//! in; `AccountStore::session_admin` refuses their sessions the same way). And the addresses an
//! account may log in from: every enabled logon IP list (the portal's
//! `…/settings/logon_ips`, kept as the `portal.logon_ips.*` properties of a node's
//! configuration: `LogonIps::stored`) on the lineage of the account's home must admit the client's address. A list
//! lower down cannot widen one above it: each is checked on its own. Applied by every way to log
//! in (a login on any face, the console's sign-in, HTTP Basic), after the password is verified.

use crate::error::AuthError;
use crate::settings::LogonIps;
use canopy_domain::{Admin, LogonIp, NodeRef};
use canopy_storage::{ConfigStore, Located, NodeStore, StoreError};
use std::net::IpAddr;
use std::sync::Arc;

/// Reads the nodes and the lists on an account's lineage.
#[derive(Clone)]
pub struct LoginLineage {
    nodes: Arc<dyn NodeStore>,
    configurations: Arc<dyn ConfigStore>,
}

impl LoginLineage {
    pub fn new(nodes: Arc<dyn NodeStore>, configurations: Arc<dyn ConfigStore>) -> Self {
        Self { nodes, configurations }
    }

    /// Refuses a login of `admin` from `from` when a node on its home's lineage is disabled
    /// (`AccountDisabled`) or an enabled list there does not admit the address
    /// (`AddressRefused`; an unknown address is admitted by no list).
    pub async fn admit(&self, admin: &Admin, from: Option<IpAddr>) -> Result<(), AuthError> {
        let Some(home) = admin.home else { return Ok(()) };
        if !self.nodes.lineage_enabled(home).await? {
            return Err(AuthError::AccountDisabled);
        }
        let Some(Located::Node { view, .. }) = self.nodes.locate(&admin.instance, NodeRef::Uuid(home)).await? else {
            return Ok(());
        };
        let mut lineage = view.node.lineage.root_first();
        lineage.push(home);
        for node in lineage {
            if let Some(items) = self.enabled_list(node).await?
                && !from.is_some_and(|address| items.iter().any(|item| item.admits(address)))
            {
                return Err(AuthError::AddressRefused { client_ip: from.map(|ip| ip.to_string()) });
            }
        }
        Ok(())
    }

    /// The node's list when it is enabled (as `ConfigService::set_logon_ips` keeps it).
    async fn enabled_list(&self, node: canopy_domain::NodeId) -> Result<Option<Vec<LogonIp>>, StoreError> {
        let Some((properties, _)) = self.configurations.get_config(node).await? else { return Ok(None) };
        // A stored list that no longer parses admits nothing (it stays enforced).
        let list = LogonIps::stored(&properties).unwrap_or(LogonIps { enabled: true, items: vec![] });
        Ok(list.enabled.then_some(list.items))
    }
}
