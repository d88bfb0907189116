//! How PostgreSQL failures become the port's errors, and the retry of transactions that lost a
//! serialization or deadlock conflict.

use crate::configurations::WriteConfigError;
use crate::error::{
    AddPriceError, CreateAdminError, CreateNodeError, DeleteNodeError, StoreError, UpdateNodeError,
    VersionedWriteError, WriteOwnedError,
};
use std::future::Future;
use std::time::Duration;

/// Attempts of one unit of work before a transient conflict is reported as a backend error.
const MAX_ATTEMPTS: u32 = 5;

/// Named constraints of migrations/0001_nodes.sql that carry a domain meaning.
const SIBLING_NAME: &str = "nodes_sibling_name_key";
const TENANT_ID: &str = "nodes_tenant_key_key";
/// Of migrations/0012_site_groups_users.sql.
const USER_ID: &str = "nodes_user_key_key";
const INSTANCE: &str = "nodes_instance_fkey";
const PARENT: &str = "nodes_parent_id_fkey";
/// Named constraints of migrations/0002_accounts.sql that carry a domain meaning.
const ADMIN_EMAIL: &str = "admins_email_key_key";
const ADMIN_INSTANCE: &str = "admins_instance_fkey";
const ADMIN_HOME: &str = "admins_home_id_fkey";
/// Named constraints of migrations/0005_branding_rates.sql that carry a domain meaning.
const PRICE_DESTINATION: &str = "rate_plan_prices_destination_fkey";
const OWNED_NODES: [&str; 3] =
    ["branding_documents_node_id_fkey", "enabled_ucs_node_id_fkey", "rate_plan_destinations_node_id_fkey"];
/// Named constraints of migrations/0004_configuration.sql that carry a domain meaning.
const CONFIG_NODE: &str = "configurations_node_id_fkey";
/// Named constraints of migrations/0020_auth_codes.sql that carry a domain meaning.
const AUTH_CODE: &str = "auth_codes_pkey";
const AUTH_CODE_USER: &str = "auth_codes_user_id_fkey";
/// Named constraints of migrations/0008_versions_owned.sql that carry a domain meaning.
const VERSION_NODE: &str = "owned_versions_node_id_fkey";

/// The store itself failed. Losing the connection, or not getting one in time, is
/// `Unavailable` (the caller may try again later); anything else is a `Backend` error.
pub(super) fn store_error(error: sqlx::Error) -> StoreError {
    let unavailable = match &error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // 08: connection exception; 57P01-57P03: the server is shutting down or starting;
            // 53300: too many connections.
            code.starts_with("08") || matches!(&*code, "57P01" | "57P02" | "57P03" | "53300")
        }),
        _ => false,
    };
    if unavailable { StoreError::Unavailable(error.to_string()) } else { StoreError::Backend(Box::new(error)) }
}

pub(super) fn migrate_error(error: sqlx::migrate::MigrateError) -> StoreError {
    match error {
        sqlx::migrate::MigrateError::Execute(error) => store_error(error),
        other => StoreError::Backend(Box::new(other)),
    }
}

/// A serialization failure or a deadlock: the transaction was rolled back and may simply be run
/// again. Consistent lock order makes deadlocks unlikely, but the server may still pick one of
/// ours as a victim (e.g. against another client of the database).
fn is_transient(error: &sqlx::Error) -> bool {
    error.as_database_error().and_then(|db| db.code()).is_some_and(|code| matches!(&*code, "40001" | "40P01"))
}

/// The errors of one port operation: built from a store error, and from the violation of a
/// named constraint when that has a meaning for the operation.
pub(super) trait OpError: From<StoreError> {
    fn from_constraint(_constraint: &str) -> Option<Self> {
        None
    }
}

impl OpError for StoreError {}

impl OpError for DeleteNodeError {}

impl OpError for VersionedWriteError {}

impl OpError for crate::error::TreeLockError {}

impl OpError for CreateNodeError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            SIBLING_NAME => Some(Self::DuplicateName),
            TENANT_ID => Some(Self::DuplicateTenantId),
            USER_ID => Some(Self::DuplicateUserId),
            // The holder of a group is its instance; a child's parent is locked before the
            // insert, so this is only the database's backstop.
            INSTANCE | PARENT => Some(Self::ParentNotFound),
            // The node's account (`NewNode::admin`), inserted in the same transaction.
            ADMIN_EMAIL => Some(Self::DuplicateEmail),
            _ => None,
        }
    }
}

impl OpError for CreateAdminError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            ADMIN_EMAIL => Some(Self::DuplicateEmail),
            // The home node deleted between the insert's check and its foreign-key check (which
            // waits for the deletion to commit), or an instance that does not exist.
            ADMIN_HOME | ADMIN_INSTANCE => Some(Self::HomeNotFound),
            _ => None,
        }
    }
}

impl OpError for UpdateNodeError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            SIBLING_NAME => Some(Self::DuplicateName),
            TENANT_ID => Some(Self::DuplicateTenantId),
            USER_ID => Some(Self::DuplicateUserId),
            // A user's account, created by the change that gives it its e-mail.
            ADMIN_EMAIL => Some(Self::DuplicateEmail),
            _ => None,
        }
    }
}

impl OpError for WriteOwnedError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        // The node is locked before each write: this is only the database's backstop.
        (OWNED_NODES.contains(&constraint) || constraint == VERSION_NODE).then_some(Self::NodeNotFound)
    }
}

impl OpError for AddPriceError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            PRICE_DESTINATION => Some(Self::UnknownDestination),
            // The node is locked before the write, so this is only the database's backstop.
            VERSION_NODE => Some(Self::NodeNotFound),
            _ => None,
        }
    }
}

impl OpError for WriteConfigError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            // The node is locked before the write, so this is only the database's backstop.
            CONFIG_NODE | VERSION_NODE => Some(Self::NodeNotFound),
            _ => None,
        }
    }
}

impl OpError for crate::auth_codes::CodesError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        // The user is locked before each write and the codes checked under the lock: these are
        // only the database's backstops (and the error's text, which holds the code, is dropped).
        match constraint {
            AUTH_CODE => Some(Self::Invalid(canopy_domain::DomainError::DuplicateCodes(vec![]))),
            AUTH_CODE_USER => Some(Self::UserNotFound),
            _ => None,
        }
    }
}

impl OpError for crate::domains::AssignDomainError {
    fn from_constraint(constraint: &str) -> Option<Self> {
        match constraint {
            // The tenant is held and the domain read before the insert: only backstops.
            "tenant_domains_tenant_id_fkey" => Some(Self::TenantNotFound),
            "tenant_domains_domain_fkey" => Some(Self::UnknownDomain),
            _ => None,
        }
    }
}

/// How one attempt of a unit of work failed.
pub(super) enum Fail<E> {
    /// A decided outcome, returned as is.
    Op(E),
    Db(sqlx::Error),
    /// A row changed between an unlocked read and its lock in a way that invalidates the
    /// locks taken: run the unit of work again.
    Retry,
}

impl<E> From<sqlx::Error> for Fail<E> {
    fn from(error: sqlx::Error) -> Self {
        Self::Db(error)
    }
}

impl<E: From<StoreError>> From<StoreError> for Fail<E> {
    fn from(error: StoreError) -> Self {
        Self::Op(E::from(error))
    }
}

fn into_op<E: OpError>(error: sqlx::Error) -> E {
    let constraint = error.as_database_error().and_then(|db| db.constraint()).and_then(E::from_constraint);
    constraint.unwrap_or_else(|| E::from(store_error(error)))
}

/// Runs `attempt` (one transaction) until it succeeds, fails for good, or has lost
/// [`MAX_ATTEMPTS`] transient conflicts. A failed attempt's transaction is rolled back when it is
/// dropped, so every attempt starts afresh.
pub(super) async fn retrying<T, E, F, Fut>(mut attempt: F) -> Result<T, E>
where
    E: OpError,
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Fail<E>>>,
{
    let mut attempts = 1;
    loop {
        match attempt().await {
            Ok(value) => return Ok(value),
            Err(Fail::Op(error)) => return Err(error),
            Err(Fail::Db(error)) if is_transient(&error) && attempts < MAX_ATTEMPTS => {
                tracing::debug!(%error, attempts, "retrying a transaction after a transient conflict");
            }
            Err(Fail::Db(error)) => return Err(into_op(error)),
            Err(Fail::Retry) if attempts < MAX_ATTEMPTS => {}
            Err(Fail::Retry) => {
                let gave_up = format!("a node kept changing under its lock, {attempts} attempts");
                return Err(E::from(StoreError::Backend(gave_up.into())));
            }
        }
        // A short, growing pause lets the winner of the conflict commit.
        tokio::time::sleep(Duration::from_millis(5 * u64::from(attempts))).await;
        attempts += 1;
    }
}
