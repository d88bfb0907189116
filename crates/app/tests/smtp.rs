//! The SMTP adapter against a real SMTP server: Python's aiosmtpd on loopback, which writes what
//! it receives into a maildir that the tests read back. Needs `python3` with `aiosmtpd`
//! (`cargo xtask test` installs it when missing).

use canopy_app::mail::{MailError, Mailer, Message, SmtpMailer, SmtpSettings, SmtpTls};
use canopy_contract::mail::{ServerTls, SmtpServer, free_port};
use std::time::{Duration, Instant};

/// The settings of a mailer that sends to `server`, trusting its certificate.
fn settings(server: &SmtpServer, tls: SmtpTls) -> SmtpSettings {
    SmtpSettings {
        // A name, not an IP: the certificate is checked against it.
        host: "localhost".into(),
        port: server.port,
        tls,
        username: None,
        password: None,
        from: "Canopy <noreply@example.com>".into(),
        ca_file: Some(server.certificate()),
        timeout: Duration::from_secs(10),
    }
}

fn activation() -> Message {
    Message {
        to: "alice@example.com".into(),
        subject: "Activate your Canopy account — Grüße".into(),
        body: "Hello Alice, grüß dich!\nActivate: https://canopy.example/activate?token=abc\n".into(),
    }
}

/// Sends `activation()` through `settings` and checks what `server` stored.
async fn delivers(server: &SmtpServer, settings: SmtpSettings) {
    let mailer = SmtpMailer::new(settings).unwrap();
    mailer.send(activation()).await.unwrap();
    let received = server.received();
    let sent = activation();
    assert_eq!(received.to, sent.to);
    assert_eq!(received.rcpt_to, sent.to);
    assert_eq!(received.subject, sent.subject);
    assert_eq!(received.content_type, "text/plain; charset=utf-8");
    // Only the content counts: the transfer encoding may leave a line break after it.
    assert_eq!(received.body.trim_end(), sent.body.trim_end());
}

#[tokio::test]
async fn a_plain_message_arrives_intact() {
    let server = SmtpServer::start(ServerTls::None);
    let settings = SmtpSettings { ca_file: None, ..settings(&server, SmtpTls::None) };
    delivers(&server, settings).await;
}

#[tokio::test]
async fn starttls_delivers_with_the_extra_root_certificate() {
    // The server refuses MAIL before STARTTLS, so delivery proves the connection was upgraded.
    let server = SmtpServer::start(ServerTls::StartTls);
    delivers(&server, settings(&server, SmtpTls::StartTls)).await;
}

#[tokio::test]
async fn starttls_refuses_an_untrusted_certificate_and_the_server_requires_it() {
    let server = SmtpServer::start(ServerTls::StartTls);
    let untrusted = SmtpMailer::new(SmtpSettings { ca_file: None, ..settings(&server, SmtpTls::StartTls) }).unwrap();
    let reason = unavailable(untrusted.send(activation()).await);
    assert!(reason.contains("certificate"), "{reason}");
    let plain = SmtpMailer::new(settings(&server, SmtpTls::None)).unwrap();
    let reason = unavailable(plain.send(activation()).await);
    assert!(reason.contains("STARTTLS"), "{reason}");
}

#[tokio::test]
async fn implicit_tls_delivers() {
    let server = SmtpServer::start(ServerTls::Implicit);
    delivers(&server, settings(&server, SmtpTls::Tls)).await;
}

#[tokio::test]
async fn nobody_listening_is_unavailable_within_the_timeout() {
    let timeout = Duration::from_secs(5);
    let settings = SmtpSettings {
        host: "127.0.0.1".into(),
        port: free_port(),
        tls: SmtpTls::None,
        username: Some("canopy".into()),
        password: Some("hunter2-secret".into()),
        from: "Canopy <noreply@example.com>".into(),
        ca_file: None,
        timeout,
    };
    let mailer = SmtpMailer::new(settings).unwrap();
    let started = Instant::now();
    let outcome = mailer.send(activation()).await;
    assert!(started.elapsed() < timeout, "took {:?}", started.elapsed());
    let reason = unavailable(outcome);
    assert!(!reason.contains("hunter2-secret"), "{reason}");
}

fn unavailable(outcome: Result<(), MailError>) -> String {
    match outcome {
        Err(MailError::Unavailable(reason)) => reason,
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
