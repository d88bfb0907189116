//! Schemas of bodies that no DTO carries (the handlers build them as JSON values), for the
//! document only: they are never constructed.

use crate::dto::NodeBody;
use serde_json::Value;
use std::collections::BTreeMap;
use utoipa::ToSchema;

macro_rules! list_schema {
    ($name:ident, $field:ident, $what:literal) => {
        #[doc = concat!("One page of ", $what, ": the items of the page, and where it lies in the whole list.")]
        #[derive(ToSchema)]
        #[allow(dead_code)]
        pub(super) struct $name {
            /// The number of this page, 1-based.
            #[schema(minimum = 1, example = 1)]
            page: u64,
            /// `ceil(results / page_size)`, at least 1.
            #[schema(minimum = 1, example = 1)]
            pages: u64,
            /// The number of items matching the query (on pages reached by `next`: as counted on
            /// the first page).
            #[schema(example = 1)]
            results: u64,
            /// The token of the next page; present only while more items remain.
            #[schema(nullable = false)]
            next: Option<String>,
            #[doc = concat!("The ", $what, " of this page, without the `nbOf*` counters.")]
            $field: Vec<NodeBody>,
        }
    };
}

list_schema!(GroupList, groups, "groups");
list_schema!(DistributorList, distributors, "distributors");
list_schema!(ResellerList, resellers, "resellers");
list_schema!(TenantList, tenants, "tenants");

/// The body of every failure.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct ErrorEnvelope {
    error: ErrorObject,
}

/// What went wrong: `code` is stable and meant for programs, `message` for people.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct ErrorObject {
    /// A stable code, e.g. `not_found`, `duplicate_name` (see docs/api.md, "The error envelope").
    #[schema(example = "duplicate_name")]
    code: String,
    #[schema(example = "a sibling already has this name")]
    message: String,
    /// Always `canopy`.
    #[schema(example = "canopy")]
    domain: String,
    /// `info` repeats `message`; other fields depend on the code (`field`, `reason`, `children`).
    #[schema(value_type = Object, example = json!({ "info": "a sibling already has this name", "field": "name" }))]
    details: Value,
    /// Always `{}`.
    #[schema(value_type = Object, example = json!({}))]
    context: Value,
}

/// The answer of the health probes.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct Status {
    /// `ok` (`/healthz`) or `ready` (`/readyz`).
    #[schema(example = "ok")]
    status: String,
}

/// The creation rules: for each holder (`instance` or a kind), the kinds it may hold.
#[derive(ToSchema)]
#[allow(dead_code)]
pub(super) struct CreationRules {
    #[schema(example = json!({
        "distributor": ["reseller", "tenant"],
        "group": ["distributor", "reseller", "tenant"],
        "instance": ["group"],
        "reseller": ["tenant"],
        "tenant": []
    }))]
    creation: BTreeMap<String, Vec<String>>,
}
