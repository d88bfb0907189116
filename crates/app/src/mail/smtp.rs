//! The SMTP mail adapter: delivers [`Message`]s through an SMTP relay with lettre, over plain
//! TCP, STARTTLS or implicit TLS.

use super::{MailError, Mailer, Message};
use async_trait::async_trait;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How the connection to the relay is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// Plain TCP: only for a relay on a trusted network, such as one on the same host.
    None,
    /// Plain TCP upgraded with STARTTLS (usually port 587). Required: a relay that does not offer
    /// it is refused rather than silently spoken to in clear.
    StartTls,
    /// TLS from the first byte, "SMTPS" (usually port 465).
    Tls,
}

#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: SmtpTls,
    /// Set with `password`, or neither: then no AUTH is attempted.
    pub username: Option<String>,
    pub password: Option<String>,
    /// The From address, e.g. `Canopy <noreply@example.com>`.
    pub from: String,
    /// A PEM root certificate trusted on top of the built-in roots (self-signed relays, tests).
    pub ca_file: Option<PathBuf>,
    /// Limit on connecting and on each exchange with the relay.
    pub timeout: Duration,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("tls", &self.tls)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("from", &self.from)
            .field("ca_file", &self.ca_file)
            .field("timeout", &self.timeout)
            .finish()
    }
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Kept only to scrub it from error messages, should a relay ever echo it back.
    password: Option<String>,
}

impl std::fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpMailer").field("from", &self.from).finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Checks the settings and builds the transport; nothing connects before the first message.
    /// Must be called inside a Tokio runtime: lettre's connection pool spawns its cleanup task here.
    pub fn new(settings: SmtpSettings) -> Result<Self, MailError> {
        let from = settings
            .from
            .parse::<Mailbox>()
            .map_err(|e| MailError::Invalid(format!("from address {:?}: {e}", settings.from)))?;
        // Without this check lettre would panic in `tokio::spawn`.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(MailError::Invalid("SmtpMailer::new must be called inside a Tokio runtime".into()));
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            .port(settings.port)
            .tls(tls(&settings)?)
            .timeout(Some(settings.timeout));
        match (&settings.username, &settings.password) {
            (Some(username), Some(password)) => {
                builder = builder.credentials(Credentials::new(username.clone(), password.clone()));
            }
            (None, None) => {}
            _ => return Err(MailError::Invalid("SMTP username and password must be set together".into())),
        }
        Ok(Self { transport: builder.build(), from, password: settings.password })
    }

    fn redact(&self, reason: String) -> String {
        match self.password.as_deref() {
            Some(password) if !password.is_empty() => reason.replace(password, "<redacted>"),
            _ => reason,
        }
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, message: Message) -> Result<(), MailError> {
        let to = message
            .to
            .parse::<Mailbox>()
            .map_err(|e| MailError::Invalid(format!("recipient {:?}: {e}", message.to)))?;
        let email = lettre::Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject)
            .header(ContentType::TEXT_PLAIN) // text/plain; charset=utf-8
            .body(message.body)
            .map_err(|e| MailError::Invalid(e.to_string()))?;
        self.transport.send(email).await.map(drop).map_err(|e| MailError::Unavailable(self.redact(e.to_string())))
    }
}

fn tls(settings: &SmtpSettings) -> Result<Tls, MailError> {
    // Read even when TLS is off, so that a wrong path shows at start, not on a later switch to TLS.
    let extra_root = settings.ca_file.as_deref().map(root_certificate).transpose()?;
    let parameters = || {
        let mut builder = TlsParameters::builder(settings.host.clone());
        if let Some(certificate) = extra_root {
            builder = builder.add_root_certificate(certificate);
        }
        builder.build().map_err(|e| MailError::Invalid(format!("TLS settings: {e}")))
    };
    Ok(match settings.tls {
        SmtpTls::None => Tls::None,
        SmtpTls::StartTls => Tls::Required(parameters()?),
        SmtpTls::Tls => Tls::Wrapper(parameters()?),
    })
}

fn root_certificate(path: &Path) -> Result<Certificate, MailError> {
    let invalid = |why: String| MailError::Invalid(format!("ca_file {}: {why}", path.display()));
    let pem = std::fs::read(path).map_err(|e| invalid(e.to_string()))?;
    // lettre's rustls backend accepts a file with no certificate in it, trusting nothing extra:
    // a wrong file would then only show as a TLS failure at the first message.
    if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
        return Err(invalid("no PEM certificate in it".into()));
    }
    Certificate::from_pem(&pem).map_err(|e| invalid(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> SmtpSettings {
        SmtpSettings {
            host: "localhost".into(),
            port: 25,
            tls: SmtpTls::None,
            username: Some("canopy".into()),
            password: Some("hunter2-secret".into()),
            from: "Canopy <noreply@example.com>".into(),
            ca_file: None,
            timeout: Duration::from_secs(5),
        }
    }

    #[test]
    fn debug_never_shows_the_password() {
        let shown = format!("{:?}", settings());
        assert!(!shown.contains("hunter2-secret"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
    }

    #[tokio::test]
    async fn bad_settings_are_invalid() {
        let bad_from = SmtpSettings { from: "not an address".into(), ..settings() };
        assert!(matches!(SmtpMailer::new(bad_from), Err(MailError::Invalid(_))));
        let missing_ca = SmtpSettings { ca_file: Some("/nonexistent/ca.pem".into()), ..settings() };
        assert!(matches!(SmtpMailer::new(missing_ca), Err(MailError::Invalid(_))));
        let lone_user = SmtpSettings { password: None, ..settings() };
        assert!(matches!(SmtpMailer::new(lone_user), Err(MailError::Invalid(_))));
    }

    #[tokio::test]
    async fn errors_never_show_the_password() {
        let mailer = SmtpMailer::new(settings()).unwrap();
        assert_eq!(mailer.redact("535 bad hunter2-secret".into()), "535 bad <redacted>");
    }
}
