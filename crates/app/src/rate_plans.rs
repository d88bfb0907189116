//! The rate plans of a node: the prices active now per destination (read by every profile that
//! reaches the node), and the destinations and scheduled prices the levels above define.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::clock::Clock;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    ActivePrice, Change, Destination, NodeKind, Owned, Permission, Price, Principal, RatePlanName, Tariff, Verb,
    Version, active_prices, parse_datetime,
};
use canopy_storage::{AddPriceError, OwnedStore};
use std::sync::Arc;
use uuid::Uuid;

/// A price to schedule, as the client sent it.
#[derive(Debug, Clone)]
pub struct PriceInput {
    pub destination_id: i64,
    /// `YYYY-MM-DD HH:MM:SS`, UTC.
    pub active_since: String,
    /// `(setup, duration)`.
    pub national: (f64, f64),
    pub international: (f64, f64),
}

pub struct RatePlanService {
    writes: Writes,
    store: Arc<dyn OwnedStore>,
    clock: Arc<dyn Clock>,
}

fn permission(kind: NodeKind, verb: Verb) -> Permission {
    Permission::Owned(kind, Owned::RatePlans, verb)
}

impl RatePlanService {
    pub fn new(gate: Gate, store: Arc<dyn OwnedStore>, clock: Arc<dyn Clock>) -> Self {
        Self { writes: Writes::new(gate), store, clock }
    }

    /// Records the store's refusals of this service's changes.
    pub fn recording(self, refusals: Refusals) -> Self {
        Self { writes: self.writes.recording(refusals), ..self }
    }

    /// The price of each destination active now, with the next scheduled change, and the plan's
    /// version.
    pub async fn prices(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        plan: &str,
    ) -> Result<(Vec<ActivePrice>, Version), AppError> {
        let plan = RatePlanName::parse(plan)?;
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission(kind, Verb::Read)).await?;
        let found = self.store.rate_plan(view.node.id, plan).await?.ok_or(AppError::RatePlanNotFound)?;
        Ok((active_prices(&found.destinations, &found.prices, self.clock.now()), found.version))
    }

    /// Defines (or renames) a destination of the plan; the plan exists from its first destination.
    pub async fn put_destination(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        plan: &str,
        (destination_id, name): (i64, &str),
    ) -> Result<Version, AppError> {
        let parse = || Ok((RatePlanName::parse(plan)?, Destination::parse(destination_id, name)?));
        let put = async |at: &Reached, (plan, destination), change: &Change| {
            let node = at.node().node.id;
            let written = self.store.put_destination(node, plan, destination, change).await;
            written.map_err(|err| AppError::from_owned(err, kind))
        };
        let (target, action) = (Target::Node(kind, id), "rate_plan.destination.put");
        self.writes.run(caller, instance, target, permission(kind, Verb::Update), action, parse, put).await
    }

    /// Schedules a price (past, present or future) for a destination of the plan.
    pub async fn add_price(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        plan: &str,
        input: PriceInput,
    ) -> Result<Version, AppError> {
        let parse = || {
            let price = Price {
                destination: Destination::parse(input.destination_id, "-")?.id,
                active_since: parse_datetime("activeSince", &input.active_since)?,
                national: Tariff::parse("national", input.national.0, input.national.1)?,
                international: Tariff::parse("international", input.international.0, input.international.1)?,
            };
            Ok((RatePlanName::parse(plan)?, price))
        };
        let add = async |at: &Reached, (plan, price), change: &Change| {
            let added = self.store.add_price(at.node().node.id, plan, price, change).await;
            added.map_err(|err| match err {
                AddPriceError::NodeNotFound => AppError::NotFound(kind),
                AddPriceError::UnknownDestination => AppError::UnknownDestination,
                AddPriceError::VersionMismatch(mismatch) => mismatch.into(),
                AddPriceError::Store(err) => err.into(),
            })
        };
        let (target, action) = (Target::Node(kind, id), "rate_plan.price.add");
        self.writes.run(caller, instance, target, permission(kind, Verb::Update), action, parse, add).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ManualClock;
    use crate::instances::Instances;
    use crate::testing::unit::{acting, caller, finding_every_node, node_view, tenant_outside};
    use canopy_domain::{InstanceSlug, Profile, Timestamp};
    use canopy_storage::{MockNodeStore, MockOwnedStore, RatePlan};

    fn service(nodes: MockNodeStore, store: MockOwnedStore, now: i64) -> RatePlanService {
        let gate = Gate::new(Arc::new(nodes), Instances::new([InstanceSlug::parse("default").unwrap()]));
        RatePlanService::new(gate, Arc::new(store), Arc::new(ManualClock::at(Timestamp(now))))
    }

    fn input(since: &str) -> PriceInput {
        PriceInput { destination_id: 177, active_since: since.into(), national: (1.0, 2.0), international: (3.0, 4.0) }
    }

    #[tokio::test]
    async fn a_tenant_administrator_cannot_price_its_own_tenant_and_nothing_is_read() {
        let service = service(MockNodeStore::new(), MockOwnedStore::new(), 0);
        let tenant_admin = caller(Profile::TenantAdmin, Some(9));
        let err = service
            .add_price(
                &acting(&tenant_admin),
                "default",
                NodeKind::Tenant,
                Uuid::from_u128(9),
                "std",
                input("2022-08-06 00:00:00"),
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Forbidden(_)), "{err:?}");
    }

    #[tokio::test]
    async fn invalid_prices_and_plan_names_are_refused_before_any_write() {
        let service = service(finding_every_node(), MockOwnedStore::new(), 0);
        let root = caller(Profile::SystemAdmin, None);
        let group = Uuid::from_u128(1);
        for (plan, bad) in [
            ("std", input("2022-08-06")),
            ("std", PriceInput { national: (-1.0, 0.0), ..input("2022-08-06 00:00:00") }),
            ("std", PriceInput { destination_id: 0, ..input("2022-08-06 00:00:00") }),
            ("a b", input("2022-08-06 00:00:00")),
        ] {
            let err =
                service.add_price(&acting(&root), "default", NodeKind::Group, group, plan, bad).await.unwrap_err();
            assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
        }
        let err = service
            .put_destination(&acting(&root), "default", NodeKind::Group, group, "std", (5, ""))
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
    }

    #[tokio::test]
    async fn prices_are_chosen_at_the_clocks_time_and_a_node_outside_is_not_found() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, kind, id| Ok(Some(node_view(kind, id.0))));
        let mut store = MockOwnedStore::new();
        store.expect_rate_plan().returning(|_, _| {
            let tariff = Tariff { setup: 1.0, duration: 1.0 };
            let at = |since| Price {
                destination: 1,
                active_since: Timestamp(since),
                national: tariff,
                international: tariff,
            };
            let destinations = vec![Destination::parse(1, "D").unwrap()];
            Ok(Some(RatePlan { destinations, prices: vec![at(10), at(20)], version: Version(3) }))
        });
        let priced = service(nodes, store, 19);
        let root = caller(Profile::SystemAdmin, None);
        let (prices, version) =
            priced.prices(&root, "default", NodeKind::Group, Uuid::from_u128(1), "std").await.unwrap();
        assert_eq!(version, Version(3));
        assert_eq!((prices[0].price.active_since, prices[0].next_update), (Timestamp(10), Some(Timestamp(20))));

        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, _, _| Ok(Some(tenant_outside())));
        let mut store = MockOwnedStore::new();
        store.expect_rate_plan().never();
        let hidden = service(nodes, store, 0);
        let err = hidden
            .prices(&caller(Profile::GroupAdmin, Some(1)), "default", NodeKind::Tenant, Uuid::from_u128(9), "std")
            .await
            .unwrap_err();
        assert!(matches!(err, AppError::NotFound(NodeKind::Tenant)), "{err:?}");
    }
}
