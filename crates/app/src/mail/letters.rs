//! The messages Canopy writes: activation and reset links.

use super::{MailError, Mailer, Message};
use canopy_domain::{Email, TokenPurpose};
use std::sync::Arc;

/// Writes and sends the account messages; the links point at the portal, which posts the token
/// and the new password to `/api/v01/auth/activate` or `/api/v01/auth/reset`.
#[derive(Clone)]
pub struct Letters {
    mailer: Arc<dyn Mailer>,
    portal_url: String,
}

impl Letters {
    pub fn new(mailer: Arc<dyn Mailer>, portal_url: &str) -> Self {
        Self { mailer, portal_url: portal_url.trim_end_matches('/').to_owned() }
    }

    /// The message carrying a one-time `token` for `purpose`, valid `valid_secs`.
    pub fn compose(&self, purpose: TokenPurpose, to: &Email, token: &str, valid_secs: u64) -> Message {
        let hours = valid_secs.div_ceil(3600);
        let (subject, intro, page) = match purpose {
            TokenPurpose::Activation => (
                "Your Canopy administrator account",
                "An administrator account was created for you. Choose your password here",
                "activate",
            ),
            TokenPurpose::Reset => ("Reset your Canopy password", "Choose a new password here", "reset"),
        };
        let body = format!(
            "Hello,\n\n{intro} (the link works once, for {hours} hour(s)):\n\n{}/{page}?token={token}\n\n\
             If you did not expect this message, ignore it.\n",
            self.portal_url
        );
        Message { to: to.as_str().to_owned(), subject: subject.to_owned(), body }
    }

    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        self.mailer.send(message).await
    }

    /// Sends without making the caller wait or fail: for messages whose failure the client
    /// must not learn (a reset request) or can redo (`.../admins/welcome` resends an activation).
    pub fn send_in_background(&self, message: Message) {
        let letters = self.clone();
        tokio::spawn(async move {
            let to = message.to.clone();
            if let Err(error) = letters.send(message).await {
                tracing::warn!(%to, %error, "could not send an account message");
            }
        });
    }
}
