//! Command line, environment and configuration file: every option has a flag, an environment
//! variable and a file key; a flag beats its variable, which beats the file, which beats the
//! default.

use crate::database::DatabaseUrl;
use canopy_domain::InstanceSlug;
use canopy_http::HttpConfig;
use clap::parser::ValueSource;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;

#[derive(Debug, Parser)]
#[command(name = "canopy", version, about = "Canopy: provisioning of a service provider's customer hierarchy")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub options: Options,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the HTTP API (the default).
    Serve,
    /// Apply the PostgreSQL migrations and exit.
    Migrate,
}

#[derive(Debug, Clone, Parser)]
pub struct Options {
    /// A TOML file of options (keys as the flags' names with `_`, e.g. `bind = "0.0.0.0:8080"`),
    /// used for what neither a flag nor an environment variable sets.
    #[arg(long, env = "CANOPY_CONFIG", global = true)]
    pub config: Option<std::path::PathBuf>,

    /// PostgreSQL URL (postgres://user@host:port/db?sslmode=verify-full), read as libpq reads
    /// it: `sslmode` (disable, prefer: the default, require, verify-ca, verify-full) and
    /// `sslrootcert` apply. Its password is better given in CANOPY_DATABASE_PASSWORD or a password
    /// file, which replace it. Absent: an in-memory store whose data is lost when the process stops.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,

    /// A file holding the database password (a trailing line end is dropped), e.g. a container
    /// secret; it replaces the URL's. The password may instead come from the
    /// CANOPY_DATABASE_PASSWORD environment variable (never a flag); not both.
    #[arg(long, env = "CANOPY_DATABASE_PASSWORD_FILE", global = true)]
    pub database_password_file: Option<std::path::PathBuf>,

    /// A PEM file of the CA certificate(s) that signed PostgreSQL's certificate, trusted besides
    /// the public roots by sslmode=verify-ca and verify-full; replaces the URL's `sslrootcert`.
    #[arg(long, env = "CANOPY_DATABASE_CA_FILE", global = true)]
    pub database_ca_file: Option<std::path::PathBuf>,

    /// Most PostgreSQL connections this process opens; size the server's `max_connections` for
    /// this times the number of processes.
    #[arg(long, env = "CANOPY_DATABASE_MAX_CONNECTIONS", default_value_t = canopy_storage::postgres::DEFAULT_MAX_CONNECTIONS, value_parser = clap::value_parser!(u32).range(1..=1000), global = true)]
    pub database_max_connections: u32,

    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "CANOPY_BIND", default_value = "127.0.0.1:8080", global = true)]
    pub bind: SocketAddr,

    /// Log filter: a level (error, warn, info, debug, trace) or tracing directives.
    #[arg(long, env = "CANOPY_LOG", default_value = "info", global = true)]
    pub log: String,

    /// Log line format.
    #[arg(long, env = "CANOPY_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,

    /// The `{draas_instance}` namespaces to serve, comma-separated; created when missing.
    #[arg(long, env = "CANOPY_INSTANCES", value_delimiter = ',', default_value = "default", global = true, value_parser = parse_instance)]
    pub instances: Vec<InstanceSlug>,

    /// The instance that the faces' short mounts (`/api/v1`, `/api/1`) stand for, for clients
    /// written for the systems those faces imitate; one of --instances. Unset: the one instance
    /// when exactly one is served, else no short mounts.
    #[arg(long, env = "CANOPY_DEFAULT_INSTANCE", global = true, value_parser = parse_instance)]
    pub default_instance: Option<InstanceSlug>,

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "CANOPY_MAX_BODY_BYTES", default_value_t = HttpConfig::default().body_limit, global = true)]
    pub max_body_bytes: usize,

    /// Longest a request may take, in seconds, before it is answered 503 `timeout`.
    #[arg(long, env = "CANOPY_REQUEST_TIMEOUT_SECS", default_value_t = HttpConfig::default().request_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout_secs: u64,

    /// Longest a request body may take to arrive, in seconds from its first read, before it is
    /// answered 408 `request_timeout` (the connection is then closed).
    #[arg(long, env = "CANOPY_BODY_READ_TIMEOUT_SECS", default_value_t = HttpConfig::default().body_read_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub body_read_timeout_secs: u64,

    /// The base URL of the portal that e-mailed links open (`<URL>/activate?token=...`,
    /// `<URL>/reset?token=...`).
    #[arg(long, env = "CANOPY_PORTAL_URL", default_value = "http://127.0.0.1:8080", global = true)]
    pub portal_url: String,

    /// Send the session cookie of the web console without `Secure`, so that a browser keeps it over
    /// plain HTTP: for development only (browsers keep secure cookies of http://localhost anyway).
    #[arg(long, env = "CANOPY_INSECURE_COOKIES", global = true)]
    pub insecure_cookies: bool,

    /// The reverse proxies in front of the server, comma-separated (addresses, `a - b` ranges,
    /// CIDR subnetworks; IPv4 or IPv6): a connection from one of them is a client's whose address
    /// is `X-Forwarded-For`'s, read from the right past every trusted proxy (for the logon IP
    /// lists). Unset: the socket's address is the client's.
    #[arg(long, env = "CANOPY_TRUSTED_PROXIES", value_delimiter = ',', global = true, value_parser = parse_proxy)]
    pub trusted_proxies: Vec<canopy_domain::LogonIp>,

    /// The generation of the key that signs the portal's tokens (`…/jwt`, `…/impersonate`), derived
    /// from the server's secret: raise it to rotate the key (tokens of the generation before stay
    /// valid until they expire, within the hour; older ones stop at once).
    #[arg(long, env = "CANOPY_JWT_KEY_GENERATION", default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub jwt_key_generation: u32,

    /// How long the portal's signed tokens live, in seconds (the spec's hour by default).
    #[arg(long, env = "CANOPY_JWT_TTL_SECS", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(1..=86_400), global = true)]
    pub jwt_ttl_secs: u64,

    /// How long a session read from the store is kept in this process, in milliseconds (0: read
    /// on every request). A logout, a password change or a disabled node takes effect at once on
    /// the process that served it, and within this bound on the others (docs/operations.md).
    #[arg(long, env = "CANOPY_SESSION_CACHE_MS", default_value_t = canopy_app::SESSION_CACHE_TTL_MS, value_parser = clap::value_parser!(u64).range(0..=60_000), global = true)]
    pub session_cache_ms: u64,

    /// How long a login's bearer token lives, in seconds.
    #[arg(long, env = "CANOPY_SESSION_TTL_SECS", default_value_t = canopy_app::AuthSettings::default().session_ttl_secs, value_parser = clap::value_parser!(u64).range(60..=2_592_000), global = true)]
    pub session_ttl_secs: u64,

    /// The first system administrator, created at start in each instance that has none. Its
    /// password comes from the CANOPY_BOOTSTRAP_PASSWORD environment variable only; without
    /// one, a one-time activation token is printed on standard output.
    #[arg(long, env = "CANOPY_BOOTSTRAP_EMAIL", default_value = "admin@localhost", global = true)]
    pub bootstrap_email: String,

    /// SMTP server for activation and reset e-mails. Unset: messages are kept in memory, not sent.
    #[arg(long, env = "CANOPY_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,

    /// SMTP port.
    #[arg(long, env = "CANOPY_SMTP_PORT", default_value_t = 587, global = true)]
    pub smtp_port: u16,

    /// SMTP transport security: `starttls` (required), `tls` (implicit, usually port 465) or
    /// `none` (plain text: only for a relay on the same host).
    #[arg(long, env = "CANOPY_SMTP_TLS", value_enum, default_value_t = SmtpTlsOption::Starttls, global = true)]
    pub smtp_tls: SmtpTlsOption,

    /// SMTP user name; its password comes from the CANOPY_SMTP_PASSWORD environment variable only.
    #[arg(long, env = "CANOPY_SMTP_USERNAME", global = true)]
    pub smtp_username: Option<String>,

    /// The From address of Canopy's e-mails.
    #[arg(long, env = "CANOPY_SMTP_FROM", default_value = "Canopy <canopy@localhost>", global = true)]
    pub smtp_from: String,

    /// A PEM certificate to trust, besides the public roots, for the SMTP server's TLS.
    #[arg(long, env = "CANOPY_SMTP_CA_FILE", global = true)]
    pub smtp_ca_file: Option<std::path::PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SmtpTlsOption {
    None,
    Starttls,
    Tls,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

impl Cli {
    /// Parses the process's arguments, then fills in from the configuration file, if any.
    pub fn load() -> Result<Self, clap::Error> {
        Self::load_from(std::env::args_os().map(|arg| arg.to_string_lossy().into_owned()).collect())
    }

    pub fn load_from(args: Vec<String>) -> Result<Self, clap::Error> {
        let cli = Self::try_parse_from(&args)?;
        let Some(path) = &cli.options.config else { return Ok(cli) };
        let matches = Self::command().try_get_matches_from(&args)?;
        let leaf = matches.subcommand().map_or(&matches, |(_, sub)| sub);
        let unset = |id: &str| {
            !matches!(
                leaf.value_source(id).or(matches.value_source(id)),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
        };
        let from_file = crate::config_file::as_arguments(path, unset)
            .map_err(|reason| Self::command().error(clap::error::ErrorKind::Io, reason))?;
        // The file's values go through the same parsers and checks as flags.
        Self::try_parse_from(args.into_iter().chain(from_file))
    }
}

impl Options {
    /// The instance the faces' short mounts stand for: `--default-instance`, which must be served,
    /// else the only instance served, else none.
    pub fn default_instance(&self) -> Result<Option<InstanceSlug>, String> {
        match (&self.default_instance, self.instances.as_slice()) {
            (Some(default), served) if served.contains(default) => Ok(Some(default.clone())),
            (Some(default), _) => Err(format!("--default-instance {default} is not one of --instances")),
            (None, [only]) => Ok(Some(only.clone())),
            (None, _) => Ok(None),
        }
    }
}

fn parse_proxy(raw: &str) -> Result<canopy_domain::LogonIp, String> {
    canopy_domain::LogonIp::parse(raw).map_err(|err| err.to_string())
}

fn parse_instance(raw: &str) -> Result<InstanceSlug, String> {
    InstanceSlug::parse(raw.trim()).map_err(|err| err.to_string())
}

#[cfg(test)]
mod tempfile_path {
    /// A TOML file in the temp dir, removed on drop.
    pub struct TempToml(std::path::PathBuf);

    impl TempToml {
        pub fn new(text: &str) -> Self {
            let name = format!("canopy-config-{}-{}.toml", std::process::id(), uuid_like());
            let path = std::env::temp_dir().join(name);
            std::fs::write(&path, text).unwrap();
            Self(path)
        }

        pub fn path(&self) -> &str {
            self.0.to_str().unwrap()
        }
    }

    fn uuid_like() -> u64 {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        NEXT.fetch_add(1, Ordering::Relaxed)
    }

    impl Drop for TempToml {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cli_definition_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn defaults_serve_the_default_instance_in_memory_on_loopback() {
        let cli = Cli::try_parse_from(["canopy"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.options.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(cli.options.instances, vec![InstanceSlug::parse("default").unwrap()]);
        // The defaults the README's configuration table documents.
        let o = &cli.options;
        assert_eq!((o.max_body_bytes, o.request_timeout_secs, o.database_max_connections), (65536, 30, 16));
        assert_eq!(o.body_read_timeout_secs, 10);
        assert_eq!(
            (o.session_ttl_secs, o.smtp_port, o.smtp_tls, o.smtp_host.as_deref()),
            (28800, 587, SmtpTlsOption::Starttls, None)
        );
        assert_eq!((o.bootstrap_email.as_str(), o.portal_url.as_str()), ("admin@localhost", "http://127.0.0.1:8080"));
        assert!(!o.insecure_cookies, "the console's session cookie is Secure by default");
    }

    fn file(text: &str) -> tempfile_path::TempToml {
        tempfile_path::TempToml::new(text)
    }

    fn load(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::load_from(args.iter().map(|a| a.to_string()).collect())
    }

    #[test]
    fn the_file_fills_what_flags_leave_unset() {
        let toml = file(
            "bind = \"127.0.0.1:9999\"\ninstances = [\"eu\", \"us\"]\nrequest_timeout_secs = 7\nbody_read_timeout_secs = 4\n\
             insecure_cookies = true\n",
        );
        let cli = load(&["canopy", "--config", toml.path(), "--request-timeout-secs", "9"]).unwrap();
        assert_eq!(cli.options.bind.to_string(), "127.0.0.1:9999");
        assert_eq!(cli.options.instances, vec![InstanceSlug::parse("eu").unwrap(), InstanceSlug::parse("us").unwrap()]);
        assert_eq!(cli.options.request_timeout_secs, 9, "a flag beats the file");
        assert_eq!(cli.options.body_read_timeout_secs, 4);
        assert!(cli.options.insecure_cookies);
        let cli = load(&["canopy", "migrate", "--config", toml.path()]).unwrap();
        assert_eq!(cli.options.bind.to_string(), "127.0.0.1:9999", "after a subcommand too");
    }

    #[test]
    fn trusted_proxies_are_addresses_ranges_or_subnetworks_by_flag_or_file() {
        let cli = load(&["canopy", "--trusted-proxies", "10.0.0.0/8,2001:db8::1 - 2001:db8::9,192.0.2.7"]).unwrap();
        let shown: Vec<String> = cli.options.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(shown, ["10.0.0.0/8", "2001:db8::1 - 2001:db8::9", "192.0.2.7"]);
        assert!(load(&["canopy", "--trusted-proxies", "10.0.0.0/33"]).is_err());
        assert!(load(&["canopy"]).unwrap().options.trusted_proxies.is_empty(), "none by default");
        let toml = file("trusted_proxies = [\"10.1.0.0/16\"]\n");
        let cli = load(&["canopy", "--config", toml.path()]).unwrap();
        assert_eq!(cli.options.trusted_proxies[0].to_string(), "10.1.0.0/16");
    }

    #[test]
    fn the_database_files_have_flags_and_file_keys() {
        let toml = file("database_ca_file = \"/etc/canopy/db-ca.pem\"\ndatabase_password_file = \"/run/secrets/db\"\n");
        let cli = load(&["canopy", "--config", toml.path()]).unwrap();
        let o = &cli.options;
        assert_eq!(o.database_ca_file.as_deref(), Some(std::path::Path::new("/etc/canopy/db-ca.pem")));
        assert_eq!(o.database_password_file.as_deref(), Some(std::path::Path::new("/run/secrets/db")));
        let cli = load(&["canopy", "--database-ca-file", "/ca.pem", "--database-password-file", "/pw"]).unwrap();
        let o = &cli.options;
        assert_eq!(
            (o.database_ca_file.as_deref(), o.database_password_file.as_deref()),
            (Some("/ca.pem".as_ref()), Some("/pw".as_ref()))
        );
    }

    #[test]
    fn a_bad_file_is_refused_with_its_reason() {
        let unknown = file("colour = \"blue\"\n");
        let err = load(&["canopy", "--config", unknown.path()]).unwrap_err().to_string();
        assert!(err.contains("colour"), "{err}");
        let invalid = file("bind = \"not an address\"\n");
        assert!(load(&["canopy", "--config", invalid.path()]).is_err());
        assert!(load(&["canopy", "--config", "/nonexistent/canopy.toml"]).is_err());
    }

    #[test]
    fn the_default_instance_is_the_one_named_or_the_only_one_served() {
        let options = |args: &[&str]| Cli::try_parse_from([&["canopy"], args].concat()).unwrap().options;
        let slug = |raw| InstanceSlug::parse(raw).unwrap();
        assert_eq!(options(&[]).default_instance(), Ok(Some(slug("default"))));
        assert_eq!(options(&["--instances", "eu,us"]).default_instance(), Ok(None));
        assert_eq!(
            options(&["--instances", "eu,us", "--default-instance", "us"]).default_instance(),
            Ok(Some(slug("us")))
        );
        assert!(options(&["--instances", "eu,us", "--default-instance", "asia"]).default_instance().is_err());
    }

    #[test]
    fn malformed_instances_are_refused() {
        assert!(Cli::try_parse_from(["canopy", "--instances", "ok,Not OK"]).is_err());
    }
}
