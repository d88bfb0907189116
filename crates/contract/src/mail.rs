//! A real SMTP server for tests: Python's aiosmtpd on loopback, which writes what it receives
//! into a maildir that tests read back. Needs `python3` with `aiosmtpd` (`cargo xtask test`
//! installs it when missing); tests that need it fail, never skip, without it.

use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Generous, for slow CI machines: every wait below polls and returns as soon as it can.
const DEADLINE: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(20);

/// A scratch directory, removed on drop.
pub struct TempDir(PathBuf);

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
pub enum ServerTls {
    None,
    /// STARTTLS offered and required before MAIL (aiosmtpd's default once it has a certificate).
    StartTls,
    Implicit,
}

/// An aiosmtpd process, killed on drop, delivering into `dir/maildir`.
pub struct SmtpServer {
    child: Child,
    pub port: u16,
    dir: TempDir,
}

impl SmtpServer {
    pub fn start(tls: ServerTls) -> Self {
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

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("server.log")).unwrap_or_default()
    }

    /// The certificate the server presents (self-signed for localhost and 127.0.0.1).
    pub fn certificate(&self) -> PathBuf {
        self.dir.0.join("cert.pem")
    }

    /// Every message in the maildir so far.
    pub fn messages(&self) -> Vec<Received> {
        let new = self.dir.0.join("maildir").join("new");
        let files = std::fs::read_dir(new).into_iter().flatten().map(|entry| entry.unwrap().path());
        files.map(|file| Received::parse(&file)).collect()
    }

    /// The first message to `to`, once the server has written it (polled with a deadline).
    pub fn received_by(&self, to: &str) -> Received {
        let started = Instant::now();
        loop {
            if let Some(found) = self.messages().into_iter().find(|message| message.to == to) {
                return found;
            }
            assert!(started.elapsed() < DEADLINE, "no message to {to} after {DEADLINE:?}:\n{}", self.log());
            std::thread::sleep(POLL);
        }
    }

    /// The one message in the maildir, once the server has written it.
    pub fn received(&self) -> Received {
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
pub struct Received {
    pub to: String,
    /// The envelope recipient, which aiosmtpd records in this header.
    pub rcpt_to: String,
    pub subject: String,
    pub content_type: String,
    pub body: String,
}

impl Received {
    /// Decodes with Python's `email` package: already needed for aiosmtpd, and a full MIME parser.
    pub fn parse(file: &Path) -> Self {
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
pub fn require_aiosmtpd() {
    let found = Command::new("python3").args(["-c", "import aiosmtpd"]).stderr(Stdio::null()).status();
    assert!(
        matches!(found, Ok(status) if status.success()),
        "these tests need python3 with the aiosmtpd package: install it with \
         `python3 -m pip install aiosmtpd` (`cargo xtask test` does so itself)"
    );
}

/// A port that was free a moment ago. Another process could take it before the server binds,
/// which is unlikely on loopback and would show as the server failing to start.
pub fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap().local_addr().unwrap().port()
}
