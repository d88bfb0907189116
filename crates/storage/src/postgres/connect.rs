//! How the store reaches PostgreSQL: the URL, read as PostgreSQL's own clients read it (host,
//! database, user, `sslmode`, `sslrootcert`), and what Canopy's options add to it — a password
//! kept out of the URL, a CA file, the pool's size.

use crate::error::StoreError;
use sqlx::postgres::{PgConnectOptions, PgSslMode};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// Where and how to connect. It holds a password: it has no `Debug`, and nothing shows it.
#[derive(Clone)]
pub struct PostgresSettings {
    url: String,
    password: Option<String>,
    ca_file: Option<PathBuf>,
    max_connections: u32,
}

/// Where a store connects, for the start-up log: never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionTarget {
    /// The host name or address, or the directory of a unix socket.
    pub host: String,
    pub port: u16,
    pub database: Option<String>,
    pub user: String,
    pub tls: TlsMode,
}

/// The URL's `sslmode` (or `PGSSLMODE`; `prefer` when neither says), as this build applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsMode {
    /// Never TLS.
    Disable,
    /// TLS when the server offers it, plain text when it refuses; the certificate is not checked.
    Prefer,
    /// TLS or no connection; the certificate is not checked.
    Require,
    /// TLS, with a certificate signed by a trusted CA, whatever host it names.
    VerifyCa,
    /// TLS, with a certificate signed by a trusted CA for the host of the URL.
    VerifyFull,
}

impl TlsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Disable => "disable",
            Self::Prefer => "prefer",
            Self::Require => "require",
            Self::VerifyCa => "verify-ca",
            Self::VerifyFull => "verify-full",
        }
    }

    /// Whether the server's certificate is checked against the trusted CAs (else a CA file is unused).
    pub fn verifies_certificate(self) -> bool {
        matches!(self, Self::VerifyCa | Self::VerifyFull)
    }
}

impl fmt::Display for TlsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PostgresSettings {
    pub fn new(url: impl Into<String>) -> Self {
        Self { url: url.into(), password: None, ca_file: None, max_connections: super::DEFAULT_MAX_CONNECTIONS }
    }

    /// A password that replaces the URL's (and `PGPASSWORD`, and `~/.pgpass`).
    pub fn with_password(mut self, password: impl Into<String>) -> Self {
        self.password = Some(password.into());
        self
    }

    /// A PEM file of CA certificates trusted besides the public roots; replaces the URL's
    /// `sslrootcert`.
    pub fn with_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    pub fn with_max_connections(mut self, max_connections: u32) -> Self {
        self.max_connections = max_connections;
        self
    }

    pub fn max_connections(&self) -> u32 {
        self.max_connections
    }

    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// Where the settings connect, or why they cannot be used.
    pub fn target(&self) -> Result<ConnectionTarget, StoreError> {
        let options = self.url_options()?;
        let host = match options.get_socket() {
            Some(socket) => socket.display().to_string(),
            None => options.get_host().to_owned(),
        };
        Ok(ConnectionTarget {
            host,
            port: options.get_port(),
            database: options.get_database().map(str::to_owned),
            user: options.get_username().to_owned(),
            tls: tls_mode(options.get_ssl_mode())?,
        })
    }

    /// sqlx's options: the URL's, then Canopy's password and CA file. The CA file is read now,
    /// so that a wrong path fails at start naming the file (sqlx reads it again per connection,
    /// so a renewed file is picked up without a restart).
    pub(super) fn connect_options(&self) -> Result<PgConnectOptions, StoreError> {
        let mut options = self.url_options()?;
        tls_mode(options.get_ssl_mode())?;
        if let Some(password) = &self.password {
            options = options.password(password);
        }
        if let Some(path) = &self.ca_file {
            check_ca_file(path)?;
            options = options.ssl_root_cert(path);
        }
        // Names Canopy's sessions in pg_stat_activity, unless the URL names them otherwise.
        if options.get_application_name().is_none() {
            options = options.application_name("canopy");
        }
        Ok(options)
    }

    fn url_options(&self) -> Result<PgConnectOptions, StoreError> {
        // sqlx's errors name the part of the URL at fault, never the URL itself (nor its password).
        PgConnectOptions::from_str(&self.url).map_err(|err| invalid(format!("invalid database URL: {err}")))
    }
}

fn tls_mode(mode: PgSslMode) -> Result<TlsMode, StoreError> {
    Ok(match mode {
        PgSslMode::Disable => TlsMode::Disable,
        PgSslMode::Prefer => TlsMode::Prefer,
        PgSslMode::Require => TlsMode::Require,
        PgSslMode::VerifyCa => TlsMode::VerifyCa,
        PgSslMode::VerifyFull => TlsMode::VerifyFull,
        // sqlx connects without TLS in this mode, where libpq would try TLS after a refusal:
        // refused rather than silently weaker than what the URL's author expects.
        PgSslMode::Allow => {
            return Err(invalid(
                "sslmode=allow is not supported: use disable, prefer, require, verify-ca or verify-full".into(),
            ));
        }
    })
}

fn check_ca_file(path: &Path) -> Result<(), StoreError> {
    let text = std::fs::read(path)
        .map_err(|err| invalid(format!("cannot read the database CA file {}: {err}", path.display())))?;
    if !String::from_utf8_lossy(&text).contains("-----BEGIN CERTIFICATE-----") {
        return Err(invalid(format!("the database CA file {} holds no PEM certificate", path.display())));
    }
    Ok(())
}

fn invalid(reason: String) -> StoreError {
    StoreError::Backend(reason.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_comes_from_the_url_and_never_holds_the_password() {
        let settings =
            PostgresSettings::new("postgres://app:hunter2-secret@db.example.com:6432/canopy?sslmode=verify-full");
        let target = settings.target().unwrap();
        assert_eq!(
            target,
            ConnectionTarget {
                host: "db.example.com".into(),
                port: 6432,
                database: Some("canopy".into()),
                user: "app".into(),
                tls: TlsMode::VerifyFull
            }
        );
        assert!(!format!("{target:?}").contains("hunter2"));
    }

    #[test]
    fn every_libpq_mode_but_allow_is_understood() {
        for mode in ["disable", "prefer", "require", "verify-ca", "verify-full"] {
            let target = PostgresSettings::new(format!("postgres://u@h/db?sslmode={mode}")).target().unwrap();
            assert_eq!(target.tls.as_str(), mode);
        }
        let err = PostgresSettings::new("postgres://u@h/db?sslmode=allow").target().unwrap_err().to_string();
        assert!(err.contains("sslmode=allow is not supported"), "{err}");
        let err = PostgresSettings::new("postgres://u:pw-secret@h/db?sslmode=bogus").target().unwrap_err().to_string();
        assert!(
            err.starts_with("invalid database URL") && err.contains("bogus") && !err.contains("pw-secret"),
            "{err}"
        );
    }

    #[test]
    fn a_missing_or_empty_ca_file_is_refused_naming_it() {
        let settings = PostgresSettings::new("postgres://u@h/db").with_ca_file("/nonexistent/ca.pem");
        let err = settings.connect_options().unwrap_err().to_string();
        assert!(err.contains("cannot read the database CA file /nonexistent/ca.pem"), "{err}");
        let path = std::env::temp_dir().join(format!("canopy-not-a-ca-{}.pem", std::process::id()));
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = PostgresSettings::new("postgres://u@h/db").with_ca_file(&path).connect_options().unwrap_err();
        std::fs::remove_file(&path).unwrap();
        assert!(err.to_string().contains("holds no PEM certificate"), "{err}");
    }
}
