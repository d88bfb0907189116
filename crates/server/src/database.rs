//! The PostgreSQL connection as the options describe it: the URL (whose password no `Debug`,
//! `Display` or log line shows), the password from the environment or a file, the CA file, and
//! the start-up line saying where Canopy connected and how.

use crate::config::Options;
use anyhow::{Context, bail};
use canopy_storage::{PostgresSettings, PostgresStore, TlsMode};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// The database password, from the environment only: a flag would show in the process list.
pub const PASSWORD_VAR: &str = "CANOPY_DATABASE_PASSWORD";

/// A PostgreSQL URL. `Debug` and `Display` show it with its password replaced by `********`.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL itself, password included: for the connection only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the URL carries a password (in its user info or a `password=` parameter).
    pub fn has_password(&self) -> bool {
        redacted(&self.0) != self.0
    }
}

impl FromStr for DatabaseUrl {
    type Err = std::convert::Infallible;

    fn from_str(url: &str) -> Result<Self, Self::Err> {
        Ok(Self(url.to_owned()))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redacted(&self.0))
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({:?})", redacted(&self.0))
    }
}

const MASK: &str = "********";

/// `url` with the password of its user info and of a `password=` parameter masked.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        // Not a URL: nothing tells where a password would be, so show none of it.
        return MASK.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user_info, host)) => match user_info.split_once(':') {
            Some((user, _password)) => format!("{user}:{MASK}@{host}"),
            None => authority.to_owned(),
        },
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let masked: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((key, _)) if key.eq_ignore_ascii_case("password") => format!("{key}={MASK}"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{path}?{}", masked.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

/// The password from CANOPY_DATABASE_PASSWORD (empty counts as unset) or the password file,
/// with where it came from, for the start-up line.
fn password(options: &Options) -> anyhow::Result<Option<(String, String)>> {
    let from_env = std::env::var(PASSWORD_VAR).ok().filter(|password| !password.is_empty());
    match (from_env, &options.database_password_file) {
        (Some(_), Some(_)) => bail!(
            "both {PASSWORD_VAR} and a database password file (--database-password-file, \
             CANOPY_DATABASE_PASSWORD_FILE) are set: set only one"
        ),
        (Some(password), None) => Ok(Some((password, PASSWORD_VAR.to_owned()))),
        (None, Some(path)) => Ok(Some((read_password_file(path)?, format!("file {}", path.display())))),
        (None, None) => Ok(None),
    }
}

/// The file's text without its trailing line end (`echo secret > file` writes one).
fn read_password_file(path: &Path) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the database password file {}", path.display()))?;
    let password = text.strip_suffix('\n').map_or(text.as_str(), |line| line.strip_suffix('\r').unwrap_or(line));
    if password.is_empty() {
        bail!("the database password file {} is empty", path.display());
    }
    Ok(password.to_owned())
}

/// Connects as the options say, and logs where and how: host, database, user, TLS mode, whether
/// the connection is encrypted, where the password came from. Fails naming the target.
pub async fn connect(url: &DatabaseUrl, options: &Options) -> anyhow::Result<PostgresStore> {
    let mut settings = PostgresSettings::new(url.expose()).with_max_connections(options.database_max_connections);
    let password_source = match password(options)? {
        Some((password, source)) => {
            settings = settings.with_password(password);
            source
        }
        None if url.has_password() => "URL".to_owned(),
        // sqlx then falls back on them, as libpq does.
        None => "none (PGPASSWORD, ~/.pgpass)".to_owned(),
    };
    if let Some(ca_file) = &options.database_ca_file {
        settings = settings.with_ca_file(ca_file);
    }
    let target = settings.target().context("cannot connect to PostgreSQL")?;
    let database = target.database.as_deref().unwrap_or("(the user's)");
    let place =
        format!("{}:{} (database {database}, user {}, sslmode={})", target.host, target.port, target.user, target.tls);
    if settings.ca_file().is_some() && !target.tls.verifies_certificate() {
        tracing::warn!(
            "--database-ca-file is set, but sslmode={} does not check the server's certificate: use verify-full",
            target.tls
        );
    }
    let store =
        PostgresStore::open(&settings).await.with_context(|| format!("cannot connect to PostgreSQL at {place}"))?;
    let encrypted = store.encrypted().await.context("cannot ask PostgreSQL about the connection")?;
    tracing::info!(
        host = %target.host,
        port = target.port,
        %database,
        user = %target.user,
        sslmode = %target.tls,
        encrypted,
        ca_file = %settings.ca_file().map_or("none".into(), |path| path.display().to_string()),
        password = %password_source,
        "connected to PostgreSQL"
    );
    if !encrypted && target.tls == TlsMode::Prefer && !is_local(&target.host) {
        tracing::warn!(
            host = %target.host,
            "the server refused TLS and sslmode=prefer fell back to plain text: set sslmode=verify-full"
        );
    }
    Ok(store)
}

/// A unix socket or a loopback host: plain text never leaves the machine.
fn is_local(host: &str) -> bool {
    host.starts_with('/')
        || host == "localhost"
        || host.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_hide_the_password() {
        let cases = [
            ("postgres://canopy:hunter2@db:5432/canopy", "postgres://canopy:********@db:5432/canopy"),
            (
                "postgres://canopy:p%40ss@db/canopy?sslmode=require",
                "postgres://canopy:********@db/canopy?sslmode=require",
            ),
            (
                "postgres://canopy@db/canopy?password=hunter2&sslmode=verify-full",
                "postgres://canopy@db/canopy?password=********&sslmode=verify-full",
            ),
            ("postgres://db/canopy", "postgres://db/canopy"),
            ("not a url hunter2", "********"),
        ];
        for (url, shown) in cases {
            let url: DatabaseUrl = url.parse().unwrap();
            assert_eq!(url.to_string(), shown);
            assert_eq!(format!("{url:?}"), format!("DatabaseUrl({shown:?})"));
        }
    }

    #[test]
    fn the_options_debug_output_hides_the_database_password() {
        use clap::Parser;
        let cli =
            crate::config::Cli::try_parse_from(["canopy", "--database-url", "postgres://u:hunter2@h/db"]).unwrap();
        let shown = format!("{cli:?}");
        assert!(shown.contains("postgres://u:********@h/db"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
    }

    fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("canopy-{name}-{}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn a_password_file_loses_its_line_end_only() {
        for (name, text, expected) in
            [("pw-lf", "s3cret \n", "s3cret "), ("pw-crlf", "s3cret\r\n", "s3cret"), ("pw-bare", "s3cret", "s3cret")]
        {
            let path = temp_file(name, text);
            assert_eq!(read_password_file(&path).unwrap(), expected);
            std::fs::remove_file(path).unwrap();
        }
    }

    #[test]
    fn an_empty_or_missing_password_file_is_refused_naming_it() {
        let path = temp_file("pw-empty", "\n");
        let err = format!("{:#}", read_password_file(&path).unwrap_err());
        assert!(err.contains("is empty") && err.contains(&path.display().to_string()), "{err}");
        std::fs::remove_file(path).unwrap();
        let err = format!("{:#}", read_password_file(Path::new("/nonexistent/db-password")).unwrap_err());
        assert!(err.contains("cannot read the database password file /nonexistent/db-password"), "{err}");
    }

    #[test]
    fn loopback_hosts_and_sockets_are_local() {
        for host in ["localhost", "127.0.0.1", "::1", "[::1]", "/run/postgresql"] {
            assert!(is_local(host), "{host}");
        }
        for host in ["db.example.com", "10.0.0.5"] {
            assert!(!is_local(host), "{host}");
        }
    }
}
