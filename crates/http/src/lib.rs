//! Canopy's HTTP layer: the routes of the spec, request and response bodies, and the one error
//! envelope. Handlers are thin: extract, call one service method, shape the response.

mod account_dto;
mod accounts;
mod audit;
mod belonging_dto;
mod belongings;
mod branding;
mod caller;
mod config_dto;
mod configurations;
mod dto;
mod error;
mod extract;
mod limits;
mod metrics;
mod nodes;
mod openapi;
mod ops;
mod owned_dto;
mod owned_routes;
mod routes;
mod versioning;
mod voice_dto;
mod voice_routing;
mod wire;

pub use error::ApiError;
pub use openapi::openapi;
pub use routes::{Access, HttpConfig, route_table, router};
pub use wire::EnvelopeListener;
