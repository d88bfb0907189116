//! The `Mailer` port: how Canopy sends e-mail (activation and reset links), with two adapters:
//! [`Outbox`] keeps messages in memory (tests, and runs without SMTP), [`SmtpMailer`] delivers
//! them through an SMTP server.

mod letters;
mod outbox;
mod smtp;

pub use letters::Letters;
pub use outbox::Outbox;
pub use smtp::{SmtpMailer, SmtpSettings, SmtpTls};

use async_trait::async_trait;

/// One plain-text message to one recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    pub to: String,
    pub subject: String,
    /// Carries one-time links: never logged (hence the `Debug` below without it).
    pub body: String,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Message").field("to", &self.to).field("subject", &self.subject).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The message could not be built (e.g. an address lettre refuses).
    #[error("the message is invalid: {0}")]
    Invalid(String),
    /// The mail server could not be reached or refused the message.
    #[error("the mail server is unavailable: {0}")]
    Unavailable(String),
}

#[cfg_attr(test, mockall::automock)]
#[async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(&self, message: Message) -> Result<(), MailError>;
}
