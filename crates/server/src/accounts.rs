//! Start-up of the accounts side: the mail adapter the options choose, and the first system
//! administrator.

use crate::config::{Options, SmtpTlsOption};
use anyhow::Context;
use canopy_app::mail::{Mailer, Outbox, SmtpMailer, SmtpSettings, SmtpTls};
use canopy_app::{App, Bootstrap};
use std::sync::Arc;
use std::time::Duration;

/// Secrets are read from the environment only: a flag would show in the process list.
const SMTP_PASSWORD: &str = "CANOPY_SMTP_PASSWORD";
const BOOTSTRAP_PASSWORD: &str = "CANOPY_BOOTSTRAP_PASSWORD";

pub fn mailer(options: &Options) -> anyhow::Result<Arc<dyn Mailer>> {
    let Some(host) = &options.smtp_host else {
        tracing::warn!(
            "no SMTP server configured (--smtp-host): e-mails are kept in memory and NOT sent, so activation and \
             reset links never arrive. To onboard administrators without mail, create them with a \
             \"temporaryPassword\" (POST .../admins) and hand it over: they log in with it and must change it \
             first (POST /api/v01/auth/password)"
        );
        return Ok(Arc::new(Outbox::new()));
    };
    let settings = SmtpSettings {
        host: host.clone(),
        port: options.smtp_port,
        tls: match options.smtp_tls {
            SmtpTlsOption::None => SmtpTls::None,
            SmtpTlsOption::Starttls => SmtpTls::StartTls,
            SmtpTlsOption::Tls => SmtpTls::Tls,
        },
        username: options.smtp_username.clone(),
        password: std::env::var(SMTP_PASSWORD).ok(),
        from: options.smtp_from.clone(),
        ca_file: options.smtp_ca_file.clone(),
        timeout: Duration::from_secs(10),
    };
    let mailer = SmtpMailer::new(settings).context("invalid SMTP settings")?;
    tracing::info!(%host, port = options.smtp_port, "e-mails go through SMTP");
    Ok(Arc::new(mailer))
}

/// Creates the first system administrator where an instance has none. Without a password, the
/// activation token is printed once on standard output (never logged).
pub async fn bootstrap(app: &App, options: &Options, served: std::net::SocketAddr) -> anyhow::Result<()> {
    let first = Bootstrap { email: options.bootstrap_email.clone(), password: std::env::var(BOOTSTRAP_PASSWORD).ok() };
    let created =
        app.bootstrap(&first).await.map_err(|err| anyhow::anyhow!("cannot create the first administrator: {err}"))?;
    for made in created {
        tracing::info!(instance = %made.instance, email = %made.email, "first system administrator created");
        if let Some(token) = made.activation_token {
            println!(
                "canopy: the first system administrator of instance {instance} is {email}. Set its password \
                 (once, within the activation link's lifetime) with: curl -X POST http://{served}/api/v01/auth/activate \
                 -H 'Content-Type: application/json' -d '{{\"token\": \"{token}\", \"password\": \"<12+ characters>\"}}'",
                instance = made.instance,
                email = made.email,
            );
        }
    }
    Ok(())
}
