//! The `canopy` binary: reads its configuration, picks the store, serves until told to stop.

mod accounts;
mod config;
mod config_file;
mod database;

use anyhow::Context;
use canopy_app::{App, AppConfig, AuthSettings, SystemClock};
use canopy_console::ConsoleConfig;
use canopy_http::HttpConfig;
use canopy_storage::{MemoryStore, Store};
use config::{Cli, Command, LogFormat, Options};
use std::io::IsTerminal;
use std::sync::Arc;
use std::time::Duration;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::load().unwrap_or_else(|err| err.exit());
    init_logging(&cli.options)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(cli.options).await,
        Command::Migrate => migrate(cli.options).await,
    }
}

fn init_logging(options: &Options) -> anyhow::Result<()> {
    let filter = EnvFilter::try_new(&options.log).context("invalid --log filter")?;
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match options.log_format {
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
        LogFormat::Json => builder.json().init(),
    }
    Ok(())
}

async fn open_store(options: &Options) -> anyhow::Result<Arc<dyn Store>> {
    match &options.database_url {
        None => {
            tracing::warn!(
                "DATABASE_URL is not set: using the in-memory store; data is NOT persisted and is lost at exit"
            );
            Ok(Arc::new(MemoryStore::new()))
        }
        Some(url) => {
            let store = database::connect(url, options).await?;
            store.migrate().await.context("cannot apply migrations")?;
            tracing::info!("using PostgreSQL; migrations applied");
            Ok(Arc::new(store))
        }
    }
}

async fn serve(options: Options) -> anyhow::Result<()> {
    let shutdown = shutdown_signal()?;
    // Checked before anything is opened: a wrong --default-instance stops the start at once.
    let default_instance = options.default_instance().map_err(anyhow::Error::msg)?;
    let store = open_store(&options).await?;
    let config = AppConfig {
        instances: options.instances.clone(),
        auth: AuthSettings {
            session_ttl_secs: options.session_ttl_secs,
            portal_url: options.portal_url.clone(),
            jwt_key_generation: options.jwt_key_generation,
            jwt_ttl_secs: options.jwt_ttl_secs,
            session_cache_ms: options.session_cache_ms,
            ..AuthSettings::default()
        },
        mailer: accounts::mailer(&options)?,
        clock: Arc::new(SystemClock),
    };
    let app = App::start(store, config).await.context("cannot prepare the store")?;
    let http = HttpConfig {
        body_limit: options.max_body_bytes,
        request_timeout: Duration::from_secs(options.request_timeout_secs),
        body_read_timeout: Duration::from_secs(options.body_read_timeout_secs),
        default_instance: default_instance.map(|slug| slug.to_string()),
        trusted_proxies: options.trusted_proxies.clone(),
        secure_cookies: !options.insecure_cookies,
    };
    // The web console is served beside the API, through the same layers.
    let console = canopy_console::pages(ConsoleConfig { secure_cookie: !options.insecure_cookies });
    let router = canopy_http::router_serving(app.clone(), http, [], console);
    let listener = tokio::net::TcpListener::bind(options.bind)
        .await
        .with_context(|| format!("cannot listen on {}", options.bind))?;
    let addr = listener.local_addr()?;
    // After binding, so that the printed activation command names the address really served,
    // and before announcing it, so that the first login finds its administrator.
    accounts::bootstrap(&app, &options, addr).await?;
    tracing::info!(%addr, "canopy listening");
    // hyper's own refusals of malformed HTTP answer the error envelope too.
    let listener = canopy_http::EnvelopeListener::new(listener);
    // With each connection's peer address: the client's, for the logon IP lists.
    let service = router.into_make_service_with_connect_info::<canopy_http::Peer>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    tracing::info!("canopy stopped");
    Ok(())
}

async fn migrate(options: Options) -> anyhow::Result<()> {
    let url = options.database_url.as_ref().context("canopy migrate needs DATABASE_URL (or --database-url)")?;
    let store = database::connect(url, &options).await?;
    store.migrate().await.context("cannot apply migrations")?;
    tracing::info!("migrations applied");
    Ok(())
}

/// Registers the Ctrl-C and SIGTERM handlers now, before the server announces itself, so a
/// signal sent right after start-up is a graceful stop rather than the default kill; the
/// returned future resolves on the first of them, and in-flight requests then finish.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut terminate = signal(SignalKind::terminate()).context("cannot listen for SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot listen for SIGINT")?;
    Ok(async move {
        tokio::select! {
            _ = terminate.recv() => {}
            _ = interrupt.recv() => {}
        }
        tracing::info!("shutdown requested: draining in-flight requests");
    })
}
