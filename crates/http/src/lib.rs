//! Canopy's HTTP layer: the faces of the API (the canopy API of the spec first), each resource's
//! routes with their handlers, bodies and OpenAPI operations (one folder per resource), and the
//! one error envelope. Handlers are thin: extract, call one service method, shape the response.

mod admins;
pub mod api;
mod apio;
mod audit;
mod auth;
mod branding;
mod caller;
mod canopy;
mod client;
mod configuration;
mod custom_permissions;
mod docs;
mod enabled_ucs;
mod error;
mod extract;
mod limits;
mod list;
mod metrics;
mod nodes;
mod ops;
mod owned;
mod portal;
mod rate_plans;
pub mod session_cookie;
mod sipxconfig;
mod stack;
mod versioning;
mod voice_routing;
mod wire;

pub use api::{Access, HttpConfig, openapi, route_table, router, router_serving, router_with};
pub use client::{ClientAddress, SecureCookies, client_address};
pub use error::ApiError;
pub use extract::Authenticated;
pub use wire::{EnvelopeListener, Peer};
