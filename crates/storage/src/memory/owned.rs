//! What the memory adapter's nodes own (branding, enabled UCs, rate plans), kept in the same
//! `State` as the nodes, so a node's deletion removes them under the same lock. Every write
//! checks the document's version before it changes anything and bumps it once applied.

use super::{MemoryStore, State};
use crate::error::{AddPriceError, StoreError, WriteOwnedError};
use crate::owned::{OwnedStore, RatePlan};
use crate::owned_versions::OwnedDocument;
use async_trait::async_trait;
use canopy_domain::Change;
use canopy_domain::{BrandingDocument, BrandingKey, Destination, NodeId, Price, RatePlanName, UcPlatform, Version};
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct OwnedData {
    branding: HashMap<(NodeId, BrandingKey), BrandingDocument>,
    ucs: HashMap<NodeId, Vec<UcPlatform>>,
    /// Per (node, plan): destinations by id, and prices by (destination, instant).
    plans: HashMap<(NodeId, RatePlanName), Plan>,
}

#[derive(Default)]
struct Plan {
    destinations: BTreeMap<i64, Destination>,
    prices: BTreeMap<(i64, i64), Price>,
}

impl OwnedData {
    /// Removes everything a node that is being deleted owns.
    pub(super) fn remove_node(&mut self, node: NodeId) {
        self.branding.retain(|(owner, _), _| *owner != node);
        self.ucs.remove(&node);
        self.plans.retain(|(owner, _), _| *owner != node);
    }
}

impl State {
    fn has_node(&self, node: NodeId) -> bool {
        self.nodes.contains_key(&node)
    }
}

#[async_trait]
impl OwnedStore for MemoryStore {
    async fn branding_documents(
        &self,
        nodes: Vec<NodeId>,
        key: BrandingKey,
    ) -> Result<(Vec<(NodeId, BrandingDocument)>, Version), StoreError> {
        let state = self.read();
        let version = match nodes.first() {
            Some(&node) => state.owned_versions.current(node, &OwnedDocument::Branding(key)),
            None => Version::FIRST,
        };
        let own = &state.owned.branding;
        let documents = nodes.into_iter().filter_map(|id| own.get(&(id, key)).map(|doc| (id, doc.clone()))).collect();
        Ok((documents, version))
    }

    async fn put_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let mut state = self.write();
        if !state.has_node(node) {
            return Err(WriteOwnedError::NodeNotFound);
        }
        state.owned_versions.check(node, &OwnedDocument::Branding(key), change.expected)?;
        state.owned.branding.insert((node, key), document);
        state.record(change);
        Ok(state.owned_versions.bump(node, OwnedDocument::Branding(key)))
    }

    async fn enabled_ucs(&self, node: NodeId) -> Result<(Vec<UcPlatform>, Version), StoreError> {
        let state = self.read();
        let platforms = state.owned.ucs.get(&node).cloned().unwrap_or_default();
        Ok((platforms, state.owned_versions.current(node, &OwnedDocument::EnabledUcs)))
    }

    async fn set_enabled_ucs(
        &self,
        node: NodeId,
        mut platforms: Vec<UcPlatform>,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let mut state = self.write();
        if !state.has_node(node) {
            return Err(WriteOwnedError::NodeNotFound);
        }
        state.owned_versions.check(node, &OwnedDocument::EnabledUcs, change.expected)?;
        platforms.sort_unstable();
        platforms.dedup();
        state.owned.ucs.insert(node, platforms);
        state.record(change);
        Ok(state.owned_versions.bump(node, OwnedDocument::EnabledUcs))
    }

    async fn rate_plan(&self, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError> {
        let state = self.read();
        let version = state.owned_versions.current(node, &OwnedDocument::RatePlan(plan.clone()));
        let Some(plan) = state.owned.plans.get(&(node, plan)) else { return Ok(None) };
        let mut prices: Vec<Price> = plan.prices.values().copied().collect();
        prices.sort_by_key(|p| (p.active_since, p.destination));
        Ok(Some(RatePlan { destinations: plan.destinations.values().cloned().collect(), prices, version }))
    }

    async fn put_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: Destination,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let mut state = self.write();
        if !state.has_node(node) {
            return Err(WriteOwnedError::NodeNotFound);
        }
        let document = OwnedDocument::RatePlan(plan.clone());
        state.owned_versions.check(node, &document, change.expected)?;
        let plan = state.owned.plans.entry((node, plan)).or_default();
        plan.destinations.insert(destination.id, destination);
        state.record(change);
        Ok(state.owned_versions.bump(node, document))
    }

    async fn add_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        price: Price,
        change: &Change,
    ) -> Result<Version, AddPriceError> {
        let mut state = self.write();
        if !state.has_node(node) {
            return Err(AddPriceError::NodeNotFound);
        }
        let document = OwnedDocument::RatePlan(plan.clone());
        state.owned_versions.check(node, &document, change.expected)?;
        let plan = state.owned.plans.get_mut(&(node, plan)).ok_or(AddPriceError::UnknownDestination)?;
        if !plan.destinations.contains_key(&price.destination) {
            return Err(AddPriceError::UnknownDestination);
        }
        plan.prices.insert((price.destination, price.active_since.0), price);
        state.record(change);
        Ok(state.owned_versions.bump(node, document))
    }
}
