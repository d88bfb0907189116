//! An app for tests of the layers above: the memory store, mail in an outbox, a clock that
//! moves when told, cheap password hashing, and a system administrator ready to log in.

use crate::mail::Outbox;
use crate::{App, AppConfig, AuthSettings, Bootstrap, HashCost, ManualClock};
use canopy_domain::{InstanceSlug, Timestamp};
use canopy_storage::MemoryStore;
use std::sync::Arc;

/// The first system administrator of every [`TestApp`].
pub const ROOT_EMAIL: &str = "root@canopy.test";
pub const ROOT_PASSWORD: &str = "correct horse battery staple";

pub struct TestApp {
    pub app: App,
    pub outbox: Arc<Outbox>,
    pub clock: Arc<ManualClock>,
}

impl TestApp {
    /// Serves the instance `default` only.
    pub async fn start() -> Self {
        Self::with_instances(&["default"]).await
    }

    pub async fn with_instances(instances: &[&str]) -> Self {
        let instances: Vec<InstanceSlug> = instances.iter().map(|i| InstanceSlug::parse(i).unwrap()).collect();
        let outbox = Arc::new(Outbox::new());
        let clock = Arc::new(ManualClock::at(Timestamp(1_800_000_000_000)));
        let config = AppConfig {
            instances,
            auth: AuthSettings { hash_cost: HashCost::FAST, ..AuthSettings::default() },
            mailer: outbox.clone(),
            clock: clock.clone(),
        };
        let app = App::start(Arc::new(MemoryStore::new()), config).await.expect("the memory store starts");
        let first = Bootstrap { email: ROOT_EMAIL.to_owned(), password: Some(ROOT_PASSWORD.to_owned()) };
        app.bootstrap(&first).await.expect("the root administrator is created");
        Self { app, outbox, clock }
    }
}
