//! Canopy's use cases: one service per area, generic over the storage ports.
//!
//! Services parse client values into domain types, decide what the caller may do (every method
//! takes the caller's [`Principal`](canopy_domain::Principal) and authorizes before any store
//! call), and make one port call per change, so every change is one atomic unit of work.

mod admins;
mod audit;
mod auth;
mod auth_codes;
mod branding;
mod caller;
mod clock;
mod configuration;
mod enabled_ucs;
mod error;
mod gate;
mod group_fields;
mod instances;
mod jwt;
pub mod mail;
mod nodes;
mod rate_plans;
mod secrets;
mod settings;
mod site_groups;
pub mod testing;
mod user_groups;
mod voice_routing;
mod write;

pub use admins::{AdminHolder, AdminInput, AdminService, AdminUpdate};
pub use admins::{Bootstrap, Bootstrapped};
pub use audit::{AuditService, Refusals};
pub use auth::{
    AuthService, AuthSettings, LoginLineage, SESSION_CACHE_CAPACITY, SESSION_CACHE_TTL_MS, Session, VERIFIED_CAPACITY,
    VERIFIED_TTL_MS,
};
pub use auth_codes::AuthCodeService;
pub use branding::{BrandWrite, BrandingQuery, BrandingService};
pub use caller::{Caller, RequestMeta};
pub use clock::{Clock, ManualClock, SystemClock};
pub use configuration::ConfigService;
pub use enabled_ucs::EnabledUcService;
pub use error::{AppError, AuthError};
pub use gate::Gate;
pub use group_fields::{GroupFieldChanges, parse_group_fields};
pub use instances::Instances;
pub use jwt::JwtService;
pub use nodes::{KeyPath, NodeInput, NodeService, NodeUpdate, Place};
pub use rate_plans::{PriceInput, RatePlanService};
pub use secrets::HashCost;
pub use settings::{FLAGS, LogonIps};
pub use site_groups::{SiteGroupOptions, SiteGroupService};
pub use user_groups::{
    CustomPermissionInput, UserGroupInput, UserGroupListInput, UserGroupPermissionsPage, UserGroupService,
};
pub use voice_routing::{PolicyInput, RouteInput, RouteUpdate, VoiceRoutingService};

use auth::Onboarding;
use canopy_domain::{InstanceSlug, JwtKey, TokenKey};
use canopy_storage::{MemoryStore, NodeStore, PoolStats, Store, StoreError};
use mail::{Letters, Mailer, Outbox};
use rand::RngCore;
use std::sync::Arc;

/// What the services are built with, beside the store.
#[derive(Clone)]
pub struct AppConfig {
    /// The `{draas_instance}` values served.
    pub instances: Vec<InstanceSlug>,
    pub auth: AuthSettings,
    pub mailer: Arc<dyn Mailer>,
    pub clock: Arc<dyn Clock>,
}

impl AppConfig {
    /// Default settings, the system clock, and mail kept in an in-memory outbox.
    pub fn new(instances: Vec<InstanceSlug>) -> Self {
        Self { instances, auth: AuthSettings::default(), mailer: Arc::new(Outbox::new()), clock: Arc::new(SystemClock) }
    }
}

/// Everything the HTTP layer may call. One `Arc`: cloned for every request (axum's state, the
/// body recorder, each extractor), so a clone must cost one reference count, not one per service
/// (fifteen atomic counters bouncing between cores were a quarter of an in-memory GET's CPU).
#[derive(Clone)]
pub struct App(Arc<Services>);

impl std::ops::Deref for App {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The services of an [`App`].
pub struct Services {
    pub nodes: Arc<NodeService>,
    pub admins: Arc<AdminService>,
    pub auth: Arc<AuthService>,
    pub branding: Arc<BrandingService>,
    pub enabled_ucs: Arc<EnabledUcService>,
    pub rate_plans: Arc<RatePlanService>,
    pub configurations: Arc<ConfigService>,
    pub voice_routing: Arc<VoiceRoutingService>,
    pub user_groups: Arc<UserGroupService>,
    pub audit: Arc<AuditService>,
    pub jwt: Arc<JwtService>,
    pub auth_codes: Arc<AuthCodeService>,
    pub site_groups: Arc<SiteGroupService>,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl App {
    /// Prepares the store (the configured instances, the shared token key) and builds the services.
    pub async fn start(store: Arc<dyn Store>, config: AppConfig) -> Result<Self, StoreError> {
        store.ensure_instances(&config.instances).await?;
        // Only the configured instances are served, so removing one from the configuration
        // takes it off the API while its data stays in the store.
        let instances = Instances::new(config.instances.iter().cloned());
        let mut candidate = vec![0u8; 32];
        rand::rng().fill_bytes(&mut candidate);
        let key = TokenKey::new(store.shared_secret(candidate).await?);
        let letters = Letters::new(config.mailer, &config.auth.portal_url);
        let onboarding = Onboarding::new(config.clock.clone(), letters.clone(), config.auth.clone());
        let nodes: Arc<dyn NodeStore> = store.clone();
        let admins: Arc<dyn canopy_storage::AdminStore> = store.clone();
        let accounts: Arc<dyn canopy_storage::AccountStore> = store.clone();
        let owned: Arc<dyn canopy_storage::OwnedStore> = store.clone();
        let configurations: Arc<dyn canopy_storage::ConfigStore> = store.clone();
        let gate = Gate::new(nodes.clone(), instances.clone());
        let lineage = LoginLineage::new(nodes.clone(), configurations.clone());
        let voice: Arc<dyn canopy_storage::VoiceRoutingStore> = store.clone();
        let audit: Arc<dyn canopy_storage::AuditStore> = store.clone();
        // Every service that changes something records the store's refusals in the audit log.
        let refusals = Refusals::new(audit.clone());
        let codes: Arc<dyn canopy_storage::AuthCodeStore> = store.clone();
        let domains: Arc<dyn canopy_storage::DomainStore> = store.clone();
        let auth = Arc::new(
            AuthService::new(
                accounts.clone(),
                instances.clone(),
                config.clock.clone(),
                letters,
                config.auth.clone(),
                key.clone(),
            )
            .with_lineage(lineage),
        );
        let node_service = Arc::new(
            NodeService::new(nodes.clone(), instances.clone(), key.clone(), onboarding.clone())
                .recording(refusals.clone())
                .ending_sessions(auth.sessions()),
        );
        let auth_codes = AuthCodeService::new(gate.clone(), codes).recording(refusals.clone());
        let site_groups =
            SiteGroupService::new(gate.clone(), node_service.clone(), nodes.clone(), configurations.clone(), domains)
                .recording(refusals.clone());
        let voice_routing = VoiceRoutingService::new(gate.clone(), voice, key.clone()).recording(refusals.clone());
        let user_groups: Arc<dyn canopy_storage::UserGroupStore> = store.clone();
        let user_groups = UserGroupService::new(gate.clone(), user_groups).recording(refusals.clone());
        let admin_service = Arc::new(
            AdminService::new(
                nodes.clone(),
                admins.clone(),
                accounts,
                instances.clone(),
                key.clone(),
                onboarding.clone(),
            )
            .recording(refusals.clone())
            .ending_sessions(auth.sessions()),
        );
        let audit_store = audit.clone();
        Ok(Self(Arc::new(Services {
            audit: Arc::new(AuditService::new(gate.clone(), audit, key.clone())),
            auth_codes: Arc::new(auth_codes),
            branding: Arc::new(BrandingService::new(gate.clone(), owned.clone()).recording(refusals.clone())),
            enabled_ucs: Arc::new(EnabledUcService::new(gate.clone(), owned.clone()).recording(refusals.clone())),
            rate_plans: Arc::new(RatePlanService::new(gate, owned, config.clock.clone()).recording(refusals.clone())),
            configurations: Arc::new(
                ConfigService::new(nodes.clone(), configurations, instances.clone()).recording(refusals.clone()),
            ),
            nodes: node_service,
            site_groups: Arc::new(site_groups),
            jwt: Arc::new(JwtService::new(
                admin_service.clone(),
                admins,
                auth.clone(),
                audit_store,
                config.clock.clone(),
                JwtKey::ring(&key, config.auth.jwt_key_generation),
                config.auth.jwt_ttl_secs,
            )),
            admins: admin_service,
            auth,
            clock: config.clock,
            voice_routing: Arc::new(voice_routing),
            user_groups: Arc::new(user_groups),
            store,
        })))
    }

    /// Now, by the app's clock: when a request arrived.
    pub fn now(&self) -> canopy_domain::Timestamp {
        self.clock.now()
    }

    /// The store's connection pool, for metrics.
    pub fn pool_stats(&self) -> Option<PoolStats> {
        self.store.pool_stats()
    }

    /// An app on a fresh in-memory store with default settings: zero-setup runs. Its data lives
    /// as long as the process.
    pub async fn in_memory(instances: &[InstanceSlug]) -> Result<Self, StoreError> {
        Self::start(Arc::new(MemoryStore::new()), AppConfig::new(instances.to_vec())).await
    }

    /// Whether requests can be served now: the store is reachable and its schema current.
    pub async fn ready(&self) -> Result<(), StoreError> {
        self.store.ready().await
    }
}
