//! The load during the faults: one thread creating groups with unique names, one request at a time, recording every
//! uuid acknowledged with 200, counting 503s and lost connections, and flagging any other answer or a slow one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::bench::client::{Conn, Endpoint};

pub const GROUPS: &str = "/api/v01/draas/default/groups";
/// Longest any request may take, fault or not: the pool waits 5 s for a connection before answering 503.
pub const REQUEST_BOUND: Duration = Duration::from_secs(10);
/// The client gives up a little later, so that a hang shows up as a request over [`REQUEST_BOUND`].
pub const CLIENT_TIMEOUT: Duration = Duration::from_secs(15);
/// Bounds of one writer, whatever happens to the scenario driving it.
const MAX_WRITES: usize = 20_000;
const MAX_RUN: Duration = Duration::from_secs(300);
/// Pause after a refused connection (the server is dead), so the loop does not spin.
const RECONNECT_PAUSE: Duration = Duration::from_millis(20);

/// What the writers saw, across the whole run.
#[derive(Default)]
pub struct Tally {
    /// Uuids of the groups whose creation was answered 200.
    pub acknowledged: Vec<String>,
    /// Creations answered 503 `store_unavailable` or `timeout`.
    pub unavailable: usize,
    /// Requests whose connection broke or was refused (the server was killed).
    pub lost: usize,
    pub slowest: Duration,
    /// Anything the product must never do: another status, a 503 with another code, a request over the bound.
    pub violations: Vec<String>,
}

/// A handle on the shared [`Tally`].
#[derive(Clone, Default)]
pub struct Shared(Arc<Mutex<Tally>>);

impl Shared {
    pub fn lock(&self) -> MutexGuard<'_, Tally> {
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn acknowledged(&self) -> usize {
        self.lock().acknowledged.len()
    }

    pub fn unavailable(&self) -> usize {
        self.lock().unavailable
    }
}

/// A running writer thread; [`Writer::stop`] (or dropping it) ends it.
pub struct Writer {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Writer {
    /// Starts writing to `endpoint`; names are `{prefix}-{n}`, unique within the run.
    pub fn start(endpoint: Endpoint, tally: Shared, prefix: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let prefix = prefix.to_owned();
        let thread = thread::spawn(move || write_until(&endpoint, &tally, &prefix, &flag));
        Writer { stop, thread: Some(thread) }
    }

    /// Asks the thread to stop and waits for its last request to finish.
    pub fn stop(mut self) {
        self.halt();
    }

    fn halt(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.halt();
    }
}

fn write_until(endpoint: &Endpoint, tally: &Shared, prefix: &str, stop: &AtomicBool) {
    let started = Instant::now();
    let mut conn: Option<Conn> = None;
    for n in 0..MAX_WRITES {
        if stop.load(Ordering::Relaxed) || started.elapsed() >= MAX_RUN {
            return;
        }
        let mut open = match conn.take() {
            Some(open) => open,
            None => match endpoint.connect().and_then(|c| c.with_timeout(CLIENT_TIMEOUT)) {
                Ok(open) => open,
                Err(_) => {
                    tally.lock().lost += 1;
                    thread::sleep(RECONNECT_PAUSE);
                    continue;
                }
            },
        };
        let sent = Instant::now();
        let answer = open.post_json(GROUPS, &json!({ "name": format!("{prefix}-{n}") }));
        let took = sent.elapsed();
        let mut tally = tally.lock();
        tally.slowest = tally.slowest.max(took);
        if took > REQUEST_BOUND {
            tally.violations.push(format!("POST {GROUPS} took {took:?}, over {REQUEST_BOUND:?}"));
        }
        match answer {
            Ok((200, body)) => match body["uuid"].as_str() {
                Some(uuid) => tally.acknowledged.push(uuid.to_owned()),
                None => tally.violations.push(format!("POST {GROUPS} answered 200 without a uuid: {body}")),
            },
            Ok((503, body)) if is_unavailable(&body) => tally.unavailable += 1,
            Ok((status, body)) => tally.violations.push(format!("POST {GROUPS} answered {status}: {body}")),
            // The server was killed mid-request: not acknowledged, so it may or may not have been written.
            Err(_) => {
                tally.lost += 1;
                continue;
            }
        }
        conn = Some(open);
    }
}

/// Whether `body` is the envelope of a 503 for a store that cannot be reached in time.
pub fn is_unavailable(body: &Value) -> bool {
    matches!(body["error"]["code"].as_str(), Some("store_unavailable" | "timeout"))
}
