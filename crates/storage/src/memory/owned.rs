//! What the memory adapter's nodes own (branding, enabled UCs, rate plans), kept in the same
//! `State` as the nodes, so a node's deletion removes them under the same lock. Every write
//! checks the document's version before it changes anything and bumps it once applied.

use super::{MemoryStore, State};
use crate::error::{AddPriceError, StoreError, VersionedWriteError, WriteOwnedError};
use crate::owned::{OwnedStore, RatePlan};
use crate::owned_versions::OwnedDocument;
use async_trait::async_trait;
use canopy_domain::{
    BrandingDocument, BrandingKey, Destination, InstanceSlug, NodeId, Price, RatePlanName, RatePlanSummary, Timestamp,
    UcPlatform, Version,
};
use canopy_domain::{Change, check_version};
use std::collections::{BTreeMap, HashMap};

#[derive(Default)]
pub(super) struct OwnedData {
    branding: HashMap<(NodeId, BrandingKey), BrandingDocument>,
    /// The instance's own documents (`None` once deleted) and their versions.
    instance_branding: HashMap<(InstanceSlug, BrandingKey), (Option<BrandingDocument>, Version)>,
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

    /// Checks the version of a node's document, then applies `change` to it: one write of it.
    fn write_owned(
        &mut self,
        node: NodeId,
        document: OwnedDocument,
        change: &Change,
        apply: impl FnOnce(&mut OwnedData),
    ) -> Result<Version, WriteOwnedError> {
        if !self.has_node(node) {
            return Err(WriteOwnedError::NodeNotFound);
        }
        self.owned_versions.check(node, &document, change.expected)?;
        apply(&mut self.owned);
        self.record(change);
        Ok(self.owned_versions.bump(node, document))
    }

    /// Checks the version of the instance's document of `key`, then sets it (`None`: deletes it).
    fn write_instance_branding(
        &mut self,
        instance: &InstanceSlug,
        key: BrandingKey,
        document: Option<BrandingDocument>,
        change: &Change,
    ) -> Result<Version, VersionedWriteError> {
        let slot = self.owned.instance_branding.entry((instance.clone(), key)).or_insert((None, Version::FIRST));
        check_version(change.expected, slot.1)?;
        *slot = (document, slot.1.next());
        let version = slot.1;
        self.record(change);
        Ok(version)
    }
}

impl Plan {
    fn summary(&self, name: RatePlanName, version: Version) -> RatePlanSummary {
        RatePlanSummary {
            name,
            destinations: self.destinations.len() as u64,
            prices: self.prices.len() as u64,
            version,
        }
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
        self.write_as(change)?.write_owned(node, OwnedDocument::Branding(key), change, |own| {
            own.branding.insert((node, key), document);
        })
    }

    async fn delete_branding(
        &self,
        node: NodeId,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        self.write_as(change)?.write_owned(node, OwnedDocument::Branding(key), change, |own| {
            own.branding.remove(&(node, key));
        })
    }

    async fn instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
    ) -> Result<(Option<BrandingDocument>, Version), StoreError> {
        let state = self.read();
        Ok(state.owned.instance_branding.get(&(instance.clone(), key)).cloned().unwrap_or((None, Version::FIRST)))
    }

    async fn put_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        document: BrandingDocument,
        change: &Change,
    ) -> Result<Version, VersionedWriteError> {
        self.write_as(change)?.write_instance_branding(instance, key, Some(document), change)
    }

    async fn delete_instance_branding(
        &self,
        instance: &InstanceSlug,
        key: BrandingKey,
        change: &Change,
    ) -> Result<Version, VersionedWriteError> {
        self.write_as(change)?.write_instance_branding(instance, key, None, change)
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
        platforms.sort_unstable();
        platforms.dedup();
        self.write_as(change)?.write_owned(node, OwnedDocument::EnabledUcs, change, |own| {
            own.ucs.insert(node, platforms);
        })
    }

    async fn rate_plan(&self, node: NodeId, plan: RatePlanName) -> Result<Option<RatePlan>, StoreError> {
        let state = self.read();
        let version = state.owned_versions.current(node, &OwnedDocument::RatePlan(plan.clone()));
        let Some(plan) = state.owned.plans.get(&(node, plan)) else { return Ok(None) };
        let mut prices: Vec<Price> = plan.prices.values().copied().collect();
        prices.sort_by_key(|p| (p.active_since, p.destination));
        Ok(Some(RatePlan { destinations: plan.destinations.values().cloned().collect(), prices, version }))
    }

    async fn rate_plans(&self, node: NodeId) -> Result<Vec<RatePlanSummary>, StoreError> {
        let state = self.read();
        let mut plans: Vec<RatePlanSummary> = state
            .owned
            .plans
            .iter()
            .filter(|((owner, _), _)| *owner == node)
            .map(|((_, name), plan)| {
                let version = state.owned_versions.current(node, &OwnedDocument::RatePlan(name.clone()));
                plan.summary(name.clone(), version)
            })
            .collect();
        plans.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(plans)
    }

    async fn put_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: Destination,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let document = OwnedDocument::RatePlan(plan.clone());
        self.write_as(change)?.write_owned(node, document, change, |own| {
            own.plans.entry((node, plan)).or_default().destinations.insert(destination.id, destination);
        })
    }

    async fn add_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        price: Price,
        change: &Change,
    ) -> Result<Version, AddPriceError> {
        let mut state = self.write_as(change)?;
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

    async fn delete_destination(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let document = OwnedDocument::RatePlan(plan.clone());
        self.write_as(change)?.write_owned(node, document, change, |own| {
            let Some(found) = own.plans.get_mut(&(node, plan.clone())) else { return };
            found.destinations.remove(&destination);
            found.prices.retain(|(of, _), _| *of != destination);
            // A plan exists while it has a destination (as rows of PostgreSQL's table do).
            if found.destinations.is_empty() {
                own.plans.remove(&(node, plan));
            }
        })
    }

    async fn delete_price(
        &self,
        node: NodeId,
        plan: RatePlanName,
        destination: i64,
        active_since: Timestamp,
        change: &Change,
    ) -> Result<Version, WriteOwnedError> {
        let document = OwnedDocument::RatePlan(plan.clone());
        self.write_as(change)?.write_owned(node, document, change, |own| {
            if let Some(found) = own.plans.get_mut(&(node, plan)) {
                found.prices.remove(&(destination, active_since.0));
            }
        })
    }
}
