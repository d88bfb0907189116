//! Command line and environment: every option has a flag and an environment variable.

use canopy_domain::InstanceSlug;
use clap::{Parser, Subcommand, ValueEnum};
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
    /// PostgreSQL URL (postgres://user:password@host:port/db). Absent: an in-memory store
    /// whose data is lost when the process stops.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

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

    /// Largest accepted request body, in bytes.
    #[arg(long, env = "CANOPY_MAX_BODY_BYTES", default_value_t = 64 * 1024, global = true)]
    pub max_body_bytes: usize,

    /// Longest a request may take, in seconds, before it is answered 503 `timeout`.
    #[arg(long, env = "CANOPY_REQUEST_TIMEOUT_SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

fn parse_instance(raw: &str) -> Result<InstanceSlug, String> {
    InstanceSlug::parse(raw.trim()).map_err(|err| err.to_string())
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
    }

    #[test]
    fn malformed_instances_are_refused() {
        assert!(Cli::try_parse_from(["canopy", "--instances", "ok,Not OK"]).is_err());
    }
}
