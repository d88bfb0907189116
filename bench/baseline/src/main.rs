//! Benchmark baseline: a bare axum 0.8 server whose only route, `GET /group`, answers the JSON body of a Canopy
//! group read, so `cargo xtask bench` can measure the HTTP stack's limit on the machine.
//!
//! Usage: `canopy-bench-baseline <port>` — listens on 127.0.0.1 only; `GET /healthz` answers for readiness polls.

use axum::Json;
use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let port: u16 = std::env::args().nth(1).ok_or("usage: canopy-bench-baseline <port>")?.parse()?;
    let body = json!({
        "draasDomain": "first.draas.domain",
        "name": "Group 1",
        "nbOfDistributors": 2,
        "nbOfResellers": 2,
        "nbOfTenants": 2,
        "uuid": "aaf9dba1-9469-40fa-be50-22298d68010d"
    });
    let app = Router::new()
        .route("/group", get(move || group(body.clone())))
        .route("/healthz", get(|| async { Json(json!({"status": "ok"})) }));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

/// Serialises the body on every request, as a real handler serialises its DTO.
async fn group(body: Value) -> Json<Value> {
    Json(body)
}
