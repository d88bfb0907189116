//! The accounts nodes come with: a group's first administrator (`adminEmail`), a user's own
//! (`end_user`, when the user has an `email`), created in the node's unit of work.

use crate::auth::AccountPlan;
use canopy_domain::check_password;
use canopy_domain::{AdminDetails, Attributes, DomainError, Email, InstanceSlug, NodeId, NodeKind, Profile};
use canopy_storage::NewNode;

/// The account a creation makes, before the node exists.
#[derive(Clone)]
pub(super) struct Plan {
    kind: NodeKind,
    email: Email,
    temporary_password: Option<String>,
}

impl Plan {
    /// The account of `new`, which it belongs to.
    pub fn of(self, new: &NewNode) -> AccountPlan {
        AccountPlan {
            instance: new.instance.clone(),
            profile: Profile::of_level(Some(self.kind)),
            home: Some(new.id),
            email: self.email,
            details: AdminDetails::default(),
            temporary_password: self.temporary_password,
            read_only: false,
        }
    }
}

/// The account a node of `kind` is created with, if any: a group's `adminEmail`, a user's
/// `email`. A temporary password goes with such an account only, and follows the policy.
pub(super) fn created_with(
    kind: NodeKind,
    attributes: &Attributes,
    admin_email: Option<String>,
    temporary_password: Option<String>,
) -> Result<Option<Plan>, DomainError> {
    let email = match admin_email {
        Some(raw) if kind == NodeKind::Group => Some(Email::parse(&raw)?),
        Some(_) => return Err(DomainError::invalid("adminEmail", "only groups are created with one")),
        None => attributes.user().and_then(|user| user.email()).cloned(),
    };
    let Some(email) = email else {
        return match temporary_password {
            Some(_) => Err(DomainError::invalid("temporaryPassword", "only goes with the account of a user's email")),
            None => Ok(None),
        };
    };
    if let Some(password) = &temporary_password {
        check_password(password, Some(&email)).map_err(|err| err.renamed("temporaryPassword"))?;
    }
    Ok(Some(Plan { kind, email, temporary_password }))
}

/// The account a change gives a node that had none (a user's first `email`): e-mailed an
/// activation link once the store has created it.
pub(super) fn given(kind: NodeKind, email: Email, instance: &InstanceSlug, node: NodeId) -> AccountPlan {
    AccountPlan {
        instance: instance.clone(),
        profile: Profile::of_level(Some(kind)),
        home: Some(node),
        email,
        details: AdminDetails::default(),
        temporary_password: None,
        read_only: false,
    }
}
