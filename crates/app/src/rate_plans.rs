//! The rate plans of a node: the list of its plans and the prices active now per destination
//! (read by every profile that reaches the node), and the destinations and scheduled prices the
//! levels above define and delete.

use crate::audit::Refusals;
use crate::caller::Caller;
use crate::clock::Clock;
use crate::error::AppError;
use crate::gate::Gate;
use crate::write::{Reached, Target, Writes};
use canopy_domain::{
    ActivePrice, Change, Destination, Listed, NodeKind, NumberedPage, Owned, Permission, Price, Principal,
    RatePlanName, RatePlanSummary, Tariff, Verb, Version, active_prices, parse_datetime,
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

    /// One page of the node's plans by name (byte order), those whose name contains `search`
    /// (case-insensitively): few per node, so paged by number like administrators.
    pub async fn list(
        &self,
        caller: &Principal,
        (instance, kind, id): (&str, NodeKind, Uuid),
        search: Option<&str>,
        (page, page_size): (Option<u64>, Option<u64>),
    ) -> Result<Listed<RatePlanSummary>, AppError> {
        let numbered = NumberedPage::parse(page, page_size)?;
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission(kind, Verb::List)).await?;
        let needle = search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty());
        let plans = self.store.rate_plans(view.node.id).await?.into_iter();
        let found = plans.filter(|plan| needle.as_ref().is_none_or(|n| plan.name.as_str().to_lowercase().contains(n)));
        Ok(numbered.cut(found.collect()))
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
        let (target, action) = (Target::Node(kind, id.into()), "rate_plan.destination.put");
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
        let (target, action) = (Target::Node(kind, id.into()), "rate_plan.price.add");
        self.writes.run(caller, instance, target, permission(kind, Verb::Update), action, parse, add).await
    }

    /// Deletes a destination of the plan with every price of it (the plan goes with its last
    /// destination); one the plan lacks is deleted already.
    pub async fn delete_destination(
        &self,
        caller: &Caller,
        (instance, kind, id): (&str, NodeKind, Uuid),
        plan: &str,
        destination_id: i64,
    ) -> Result<Version, AppError> {
        let parse = || Ok((RatePlanName::parse(plan)?, Destination::parse(destination_id, "-")?.id));
        let delete = async |at: &Reached, (plan, destination), change: &Change| {
            let deleted = self.store.delete_destination(at.node().node.id, plan, destination, change).await;
            deleted.map_err(|err| AppError::from_owned(err, kind))
        };
        let (target, action) = (Target::Node(kind, id.into()), "rate_plan.destination.delete");
        self.writes.run(caller, instance, target, permission(kind, Verb::Update), action, parse, delete).await
    }

    /// Deletes the price of a destination scheduled at `active_since`; one the plan lacks is
    /// deleted already.
    pub async fn delete_price(
        &self,
        caller: &Caller,
        (instance, kind, id): (&str, NodeKind, Uuid),
        plan: &str,
        (destination_id, active_since): (i64, &str),
    ) -> Result<Version, AppError> {
        let parse = || {
            let destination = Destination::parse(destination_id, "-")?.id;
            Ok((RatePlanName::parse(plan)?, destination, parse_datetime("activeSince", active_since)?))
        };
        let delete = async |at: &Reached, (plan, destination, since), change: &Change| {
            let deleted = self.store.delete_price(at.node().node.id, plan, destination, since, change).await;
            deleted.map_err(|err| AppError::from_owned(err, kind))
        };
        let (target, action) = (Target::Node(kind, id.into()), "rate_plan.price.delete");
        self.writes.run(caller, instance, target, permission(kind, Verb::Update), action, parse, delete).await
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

    #[tokio::test]
    async fn plans_are_listed_by_page_and_search_and_deletions_are_checked_before_the_store() {
        let mut nodes = MockNodeStore::new();
        nodes.expect_get_node().returning(|_, kind, id| Ok(Some(node_view(kind, id.0))));
        let mut store = MockOwnedStore::new();
        store.expect_rate_plans().returning(|_| {
            let summary = |name: &str| RatePlanSummary {
                name: RatePlanName::parse(name).unwrap(),
                destinations: 1,
                prices: 0,
                version: Version(2),
            };
            Ok(vec![summary("gold"), summary("silver"), summary("std-gold")])
        });
        store.expect_delete_destination().never();
        store.expect_delete_price().never();
        let service = service(nodes, store, 0);
        let root = caller(Profile::SystemAdmin, None);
        let at = ("default", NodeKind::Group, Uuid::from_u128(1));
        let page = service.list(&root, at, Some("GOLD"), (Some(2), Some(1))).await.unwrap();
        assert_eq!((page.results, page.pages, page.items[0].name.as_str()), (2, 2, "std-gold"));
        let err = service.list(&root, at, None, (Some(0), None)).await.unwrap_err();
        assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
        for (plan, destination, since) in
            [("a b", 1, "2022-08-06 00:00:00"), ("std", 0, "2022-08-06 00:00:00"), ("std", 1, "soon")]
        {
            let err = service.delete_price(&acting(&root), at, plan, (destination, since)).await.unwrap_err();
            assert!(matches!(err, AppError::Invalid(_)), "{err:?}");
        }
        let tenant_admin = acting(&caller(Profile::TenantAdmin, Some(9)));
        let err =
            service.delete_destination(&tenant_admin, ("default", NodeKind::Tenant, Uuid::from_u128(9)), "std", 1);
        assert!(matches!(err.await.unwrap_err(), AppError::Forbidden(_)));
    }
}
