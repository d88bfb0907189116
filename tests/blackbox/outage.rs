//! Readiness while PostgreSQL is gone (issue 21): `/readyz` answers `503 not_ready` within the
//! 1 s a readiness probe usually allows, whatever the database does, and `200` again once it is
//! back, without a restart.
//!
//! canopy reaches PostgreSQL through a TCP relay the test controls. Cutting the relay is, as far
//! as canopy can tell, PostgreSQL stopped (its connections closed, new ones closed at once) or
//! unreachable (new connections never answered); the shared test cluster, which other tests use
//! meanwhile, is never stopped. `cargo xtask fault` stops a real cluster under load.

use crate::server::{Server, Store};
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;

/// The probe's own timeout: an answer must come within it (the server's bound is 800 ms).
const PROBE_TIMEOUT: Duration = Duration::from_millis(1500);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// Connections pass.
    None,
    /// Open connections are closed; new ones are closed as soon as they are accepted.
    Stopped,
    /// Open connections are closed; new ones are accepted and never answered.
    Unreachable,
}

/// A TCP relay to PostgreSQL; dropping it stops it.
struct Relay {
    /// The database URL through the relay.
    url: String,
    cut: watch::Sender<Cut>,
    task: tokio::task::JoinHandle<()>,
}

impl Relay {
    async fn start(url: &str) -> Self {
        let (scheme, rest) = url.split_once("://").expect("a URL");
        let (authority, path) = rest.split_at(rest.find('/').expect("a database in the URL"));
        let (user, upstream) = authority.rsplit_once('@').map_or(("", authority), |(u, h)| (u, h));
        let upstream = upstream.to_owned();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let at = if user.is_empty() { String::new() } else { format!("{user}@") };
        let url = format!("{scheme}://{at}{}{path}", listener.local_addr().unwrap());
        let (cut, watching) = watch::channel(Cut::None);
        let task = tokio::spawn(async move {
            loop {
                let (client, _) = listener.accept().await.unwrap();
                let (upstream, watching) = (upstream.clone(), watching.clone());
                tokio::spawn(relay(client, upstream, watching));
            }
        });
        Self { url, cut, task }
    }

    fn cut(&self, cut: Cut) {
        self.cut.send_replace(cut);
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One connection: piped to PostgreSQL until a cut, closed at once, or held unanswered.
async fn relay(mut client: TcpStream, upstream: String, mut watching: watch::Receiver<Cut>) {
    let cut = *watching.borrow_and_update();
    match cut {
        Cut::Stopped => {}
        Cut::Unreachable => {
            let _ = watching.wait_for(|cut| *cut != Cut::Unreachable).await;
        }
        Cut::None => {
            let Ok(mut server) = TcpStream::connect(&upstream).await else { return };
            tokio::select! {
                _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                _ = watching.wait_for(|cut| *cut != Cut::None) => {}
            }
        }
    }
}

async fn readyz(server: &Server, client: &reqwest::Client) -> (StatusCode, Value) {
    let response = client.get(server.url("/readyz")).send().await;
    let response = response.unwrap_or_else(|err| panic!("/readyz gave no answer within {PROBE_TIMEOUT:?}: {err}"));
    (response.status(), response.json().await.unwrap())
}

#[tokio::test]
async fn readiness_answers_503_within_a_second_while_the_database_is_gone_and_recovers() {
    let Store::Postgres(url) = Store::postgres().await else { unreachable!() };
    let relay = Relay::start(&url).await;
    let server = Server::start(Store::Postgres(relay.url.clone())).await;
    let probe = reqwest::Client::builder().timeout(PROBE_TIMEOUT).build().unwrap();
    assert_eq!(readyz(&server, &probe).await.0, StatusCode::OK);
    for cut in [Cut::Stopped, Cut::Unreachable] {
        relay.cut(cut);
        for _ in 0..3 {
            let (status, body) = readyz(&server, &probe).await;
            assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::SERVICE_UNAVAILABLE, Some("not_ready")));
        }
        relay.cut(Cut::None);
        let deadline = Instant::now() + Duration::from_secs(30);
        while readyz(&server, &probe).await.0 != StatusCode::OK {
            assert!(Instant::now() < deadline, "/readyz never recovered after {cut:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    server.stop().await;
}
