//! The optional TOML configuration file, turned into flags for the options nothing else set.

use serde::Deserialize;
use std::path::Path;

/// The file's keys: the flags' names with `_`. Unknown keys are refused, so a typo is an error
/// rather than a silently ignored setting.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileOptions {
    database_url: Option<String>,
    database_password_file: Option<String>,
    database_ca_file: Option<String>,
    database_max_connections: Option<u32>,
    bind: Option<String>,
    log: Option<String>,
    log_format: Option<String>,
    instances: Option<Vec<String>>,
    default_instance: Option<String>,
    max_body_bytes: Option<u64>,
    request_timeout_secs: Option<u64>,
    body_read_timeout_secs: Option<u64>,
    portal_url: Option<String>,
    session_ttl_secs: Option<u64>,
    bootstrap_email: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_tls: Option<String>,
    smtp_username: Option<String>,
    smtp_from: Option<String>,
    smtp_ca_file: Option<String>,
    insecure_cookies: Option<bool>,
    trusted_proxies: Option<Vec<String>>,
    jwt_key_generation: Option<u32>,
    jwt_ttl_secs: Option<u64>,
    session_cache_ms: Option<u64>,
}

/// `--flag=value` arguments for the file's options that `unset` says no flag or variable set.
pub fn as_arguments(path: &Path, unset: impl Fn(&str) -> bool) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    let file: FileOptions = toml::from_str(&text).map_err(|err| format!("invalid {}: {err}", path.display()))?;
    let options = [
        ("database_url", "database-url", file.database_url),
        ("database_password_file", "database-password-file", file.database_password_file),
        ("database_ca_file", "database-ca-file", file.database_ca_file),
        ("database_max_connections", "database-max-connections", file.database_max_connections.map(|n| n.to_string())),
        ("bind", "bind", file.bind),
        ("log", "log", file.log),
        ("log_format", "log-format", file.log_format),
        ("instances", "instances", file.instances.map(|list| list.join(","))),
        ("default_instance", "default-instance", file.default_instance),
        ("max_body_bytes", "max-body-bytes", file.max_body_bytes.map(|n| n.to_string())),
        ("request_timeout_secs", "request-timeout-secs", file.request_timeout_secs.map(|n| n.to_string())),
        ("body_read_timeout_secs", "body-read-timeout-secs", file.body_read_timeout_secs.map(|n| n.to_string())),
        ("portal_url", "portal-url", file.portal_url),
        ("session_ttl_secs", "session-ttl-secs", file.session_ttl_secs.map(|n| n.to_string())),
        ("bootstrap_email", "bootstrap-email", file.bootstrap_email),
        ("smtp_host", "smtp-host", file.smtp_host),
        ("smtp_port", "smtp-port", file.smtp_port.map(|n| n.to_string())),
        ("smtp_tls", "smtp-tls", file.smtp_tls),
        ("smtp_username", "smtp-username", file.smtp_username),
        ("smtp_from", "smtp-from", file.smtp_from),
        ("smtp_ca_file", "smtp-ca-file", file.smtp_ca_file),
        ("trusted_proxies", "trusted-proxies", file.trusted_proxies.map(|list| list.join(","))),
        ("jwt_key_generation", "jwt-key-generation", file.jwt_key_generation.map(|n| n.to_string())),
        ("jwt_ttl_secs", "jwt-ttl-secs", file.jwt_ttl_secs.map(|n| n.to_string())),
        ("session_cache_ms", "session-cache-ms", file.session_cache_ms.map(|n| n.to_string())),
    ];
    let mut arguments: Vec<String> = options
        .into_iter()
        .filter_map(|(id, flag, value)| value.filter(|_| unset(id)).map(|value| format!("--{flag}={value}")))
        .collect();
    // A switch takes no value: present when the file turns it on.
    if file.insecure_cookies == Some(true) && unset("insecure_cookies") {
        arguments.push("--insecure-cookies".to_owned());
    }
    Ok(arguments)
}
