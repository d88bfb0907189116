//! The in-memory mail adapter: messages are kept, in order, for tests to read.

use super::{MailError, Mailer, Message};
use async_trait::async_trait;
use std::sync::Mutex;

#[derive(Debug, Default)]
pub struct Outbox {
    sent: Mutex<Vec<Message>>,
}

impl Outbox {
    pub fn new() -> Self {
        Self::default()
    }

    /// Every message sent so far, oldest first.
    pub fn messages(&self) -> Vec<Message> {
        self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// The newest message sent to `to`, if any.
    pub fn last_to(&self, to: &str) -> Option<Message> {
        self.messages().into_iter().rev().find(|m| m.to.eq_ignore_ascii_case(to))
    }
}

#[async_trait]
impl Mailer for Outbox {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        tracing::info!(to = %message.to, subject = %message.subject, "mail kept in the in-memory outbox");
        self.sent.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(message);
        Ok(())
    }
}
