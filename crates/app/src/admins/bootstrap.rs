//! The first system administrator: created at start-up in every served instance that has none,
//! so that a new installation can be logged into.

use crate::App;
use crate::error::AppError;
use canopy_domain::{AdminDetails, Email, InstanceSlug, Profile, TokenPurpose, check_password};
use canopy_storage::NewAdmin;

/// Who the first administrator is: an e-mail and either a password, or (without one) a
/// one-time activation token handed back to print.
#[derive(Clone)]
pub struct Bootstrap {
    pub email: String,
    pub password: Option<String>,
}

impl std::fmt::Debug for Bootstrap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bootstrap").field("email", &self.email).finish_non_exhaustive()
    }
}

/// A first administrator created now.
#[derive(Clone, PartialEq, Eq)]
pub struct Bootstrapped {
    pub instance: InstanceSlug,
    pub email: Email,
    /// The activation token, when no password was given: shown once to the operator.
    pub activation_token: Option<String>,
}

impl std::fmt::Debug for Bootstrapped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bootstrapped").field("instance", &self.instance).field("email", &self.email).finish()
    }
}

impl App {
    /// Creates the first system administrator of each served instance that has none yet. Safe
    /// to run from several processes at once: the store creates one per instance between them.
    pub async fn bootstrap(&self, first: &Bootstrap) -> Result<Vec<Bootstrapped>, AppError> {
        let email = Email::parse(&first.email)?;
        let password_hash = match &first.password {
            Some(password) => {
                check_password(password, Some(&email))?;
                Some(self.auth.passwords().hash(password.clone()).await?)
            }
            None => None,
        };
        let mut created = vec![];
        let mut instances: Vec<InstanceSlug> = self.auth.instances().all().cloned().collect();
        instances.sort();
        for instance in instances {
            let token = password_hash.is_none().then(|| self.nodes.onboarding().token(TokenPurpose::Activation));
            let new = NewAdmin {
                instance: instance.clone(),
                profile: Profile::SystemAdmin,
                home: None,
                email: email.clone(),
                details: AdminDetails::default(),
                password_hash: password_hash.clone(),
                must_change_password: false,
                read_only: false,
                token: token.as_ref().map(|(_, stored)| stored.clone()),
            };
            let made = self.store.bootstrap_admin(new).await.map_err(|err| AppError::from_create_admin(err, None))?;
            if made.is_some() {
                created.push(Bootstrapped {
                    instance,
                    email: email.clone(),
                    activation_token: token.map(|(token, _)| token),
                });
            }
        }
        Ok(created)
    }
}
