//! The SMTP adapter against a real SMTP server: Python's aiosmtpd on loopback, which writes what
//! it receives into a maildir that the tests read back. Needs `python3` with `aiosmtpd`
//! (`cargo xtask test` installs it when missing).

use canopy_app::mail::{MailError, Mailer, Message, SmtpMailer, SmtpSettings, SmtpTls};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Generous, for slow CI machines: every wait below polls and returns as soon as it can.
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(20);

/// A scratch directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!("canopy-smtp-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How the server secures connections; the certificate is self-signed for localhost/127.0.0.1.
enum ServerTls {
    None,
    /// STARTTLS offered and required before MAIL (aiosmtpd's default once it has a certificate).
    StartTls,
    Implicit,
}

/// An aiosmtpd process, killed on drop, delivering into `dir/maildir`.
struct SmtpServer {
    child: Child,
    port: u16,
    dir: TempDir,
}

impl SmtpServer {
    fn start(tls: ServerTls) -> Self {
        require_aiosmtpd();
        let dir = TempDir::new();
        let port = free_port();
        let (cert, key) = (dir.0.join("cert.pem"), dir.0.join("key.pem"));
        let certified = rcgen::generate_simple_self_signed(["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        std::fs::write(&cert, certified.cert.pem()).unwrap();
        std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();

        let mut command = Command::new("python3");
        command.args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")]);
        match tls {
            ServerTls::None => {}
            ServerTls::StartTls => {
                command.arg("--tlscert").arg(&cert).arg("--tlskey").arg(&key);
            }
            ServerTls::Implicit => {
                command.arg("--smtpscert").arg(&cert).arg("--smtpskey").arg(&key);
            }
        }
        command.args(["-c", "aiosmtpd.handlers.Mailbox"]).arg(dir.0.join("maildir"));
        // A file rather than a pipe: nobody reads a pipe while the server runs, and it could fill.
        let log = std::fs::File::create(dir.0.join("server.log")).unwrap();
        command.stdin(Stdio::null()).stdout(log.try_clone().unwrap()).stderr(log);
        let child = command.spawn().expect("could not start python3 -m aiosmtpd");
        let mut server = Self { child, port, dir };
        server.wait_until_listening();
        server
    }

    fn wait_until_listening(&mut self) {
        let started = Instant::now();
        while TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_err() {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("aiosmtpd exited ({status}) before listening:\n{}", self.log());
            }
            assert!(started.elapsed() < DEADLINE, "aiosmtpd not listening after {DEADLINE:?}:\n{}", self.log());
            std::thread::sleep(POLL);
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("server.log")).unwrap_or_default()
    }

    fn settings(&self, tls: SmtpTls) -> SmtpSettings {
        SmtpSettings {
            // A name, not an IP: the certificate is checked against it.
            host: "localhost".into(),
            port: self.port,
            tls,
            username: None,
            password: None,
            from: "Canopy <noreply@example.com>".into(),
            ca_file: Some(self.dir.0.join("cert.pem")),
            timeout: Duration::from_secs(10),
        }
    }

    /// The one message in the maildir, once the server has written it.
    fn received(&self) -> Received {
        let new = self.dir.0.join("maildir").join("new");
        let started = Instant::now();
        loop {
            // Maildir writes into tmp/ and renames into new/, so a file seen here is complete.
            let files: Vec<PathBuf> = match std::fs::read_dir(&new) {
                Ok(entries) => entries.map(|entry| entry.unwrap().path()).collect(),
                Err(_) => Vec::new(),
            };
            if let [file] = files.as_slice() {
                return Received::parse(file);
            }
            assert!(files.len() < 2, "more than one message arrived: {files:?}");
            assert!(started.elapsed() < DEADLINE, "no message after {DEADLINE:?}:\n{}", self.log());
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A message as the server stored it, decoded (MIME encoded words, quoted-printable or base64).
#[derive(Debug)]
struct Received {
    to: String,
    /// The envelope recipient, which aiosmtpd records in this header.
    rcpt_to: String,
    subject: String,
    content_type: String,
    body: String,
}

impl Received {
    /// Decodes with Python's `email` package: already needed for aiosmtpd, and a full MIME parser.
    fn parse(file: &Path) -> Self {
        const SCRIPT: &str = "import email, email.policy, sys\n\
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)\n\
            content_type = m.get_content_type() + '; charset=' + str(m.get_content_charset())\n\
            fields = [m['To'], m['X-RcptTo'], m['Subject'], content_type, m.get_content()]\n\
            sys.stdout.write('\\0'.join(str(f) for f in fields))\n";
        let output =
            Command::new("python3").args(["-c", SCRIPT]).arg(file).env("PYTHONIOENCODING", "utf-8").output().unwrap();
        assert!(output.status.success(), "parsing {file:?}: {}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        let [to, rcpt_to, subject, content_type, body] = <[&str; 5]>::try_from(text.split('\0').collect::<Vec<_>>())
            .unwrap_or_else(|fields| panic!("unexpected fields: {fields:?}"));
        Self {
            to: to.into(),
            rcpt_to: rcpt_to.into(),
            subject: subject.into(),
            content_type: content_type.into(),
            body: body.replace("\r\n", "\n"),
        }
    }
}

/// Fails, never skips: a missing server would otherwise pass CI without testing anything.
fn require_aiosmtpd() {
    let found = Command::new("python3").args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
    assert!(
        matches!(found, Ok(status) if status.success()),
        "these tests need python3 with the aiosmtpd package: install it with \
         `python3 -m pip install aiosmtpd` (`cargo xtask test` does so itself)"
    );
}

/// A port that was free a moment ago. Another process could take it before the server binds,
/// which is unlikely on loopback and would show as the server failing to start.
fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
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
    let settings = SmtpSettings { ca_file: None, ..server.settings(SmtpTls::None) };
    delivers(&server, settings).await;
}

#[tokio::test]
async fn starttls_delivers_with_the_extra_root_certificate() {
    // The server refuses MAIL before STARTTLS, so delivery proves the connection was upgraded.
    let server = SmtpServer::start(ServerTls::StartTls);
    delivers(&server, server.settings(SmtpTls::StartTls)).await;
}

#[tokio::test]
async fn starttls_refuses_an_untrusted_certificate_and_the_server_requires_it() {
    let server = SmtpServer::start(ServerTls::StartTls);
    let untrusted = SmtpMailer::new(SmtpSettings { ca_file: None, ..server.settings(SmtpTls::StartTls) }).unwrap();
    let reason = unavailable(untrusted.send(activation()).await);
    assert!(reason.contains("certificate"), "{reason}");
    let plain = SmtpMailer::new(server.settings(SmtpTls::None)).unwrap();
    let reason = unavailable(plain.send(activation()).await);
    assert!(reason.contains("STARTTLS"), "{reason}");
}

#[tokio::test]
async fn implicit_tls_delivers() {
    let server = SmtpServer::start(ServerTls::Implicit);
    delivers(&server, server.settings(SmtpTls::Tls)).await;
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
