//! `GET /logic/rules` (L60354) and `GET /logic/constants` (L58941): Canopy's creation rules and
//! the constants a portal client needs, in the seed's shapes, translated to portal kinds.

use super::docs;
use super::kinds::{self, holder_code};
use crate::api::HttpMethod::Get;
use crate::api::{FaceInstance, Route};
use crate::error::ApiError;
use crate::extract::Authenticated;
use axum::Json;
use axum::extract::State;
use canopy_app::App;
use canopy_domain::{NodeKind, Permission};
use serde_json::{Map, Value, json};

pub(super) fn routes() -> Vec<Route> {
    let access = Permission::RulesRead.into();
    vec![
        Route::new(Get, "/logic/rules".to_owned(), access, rules, docs::rules),
        Route::new(Get, "/logic/constants".to_owned(), access, constants, docs::constants),
    ]
}

/// `GroupBusinessRules.creation[kind].any`: what each holder may hold, whatever its grade; the
/// backup product's pricing rules are empty (Canopy has no pricing).
async fn rules(
    State(app): State<App>,
    caller: Authenticated,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<Value>, ApiError> {
    let rules = app.nodes.rules(&caller.principal, &instance)?;
    let creation: Map<String, Value> = rules
        .iter()
        .filter(|rule| !rule.may_hold.is_empty())
        .map(|rule| {
            let held: Vec<i64> = rule.may_hold.iter().map(|kind| kinds::code(*kind)).collect();
            (holder_code(rule.holder).to_string(), json!({ "any": held }))
        })
        .collect();
    Ok(Json(json!({
        "GroupBusinessRules": { "creation": creation, "modification": {} },
        "HidePricingRules": [],
        "PricingDefaultModes": [],
        "GroupEnablePricingRules": [],
        "PricingGroupModeRules": [],
    })))
}

/// The seed's constants that mean something here: the kinds Canopy has, statuses, access types,
/// the unlimited quota and the notification masks administrators keep.
async fn constants(
    State(app): State<App>,
    caller: Authenticated,
    FaceInstance(instance): FaceInstance,
) -> Result<Json<Value>, ApiError> {
    app.nodes.rules(&caller.principal, &instance)?;
    let names = [
        (NodeKind::Group, "Distributor"),
        (NodeKind::Distributor, "SubDistributor"),
        (NodeKind::Reseller, "MSP"),
        (NodeKind::Tenant, "EndUserCompany"),
        (NodeKind::SiteGroup, "CompanyDepartment"),
        (NodeKind::User, "ServiceUser"),
    ];
    let mut groups_kind: Map<String, Value> =
        names.iter().map(|(kind, name)| ((*name).to_owned(), kinds::code(*kind).into())).collect();
    groups_kind.insert("Root".to_owned(), kinds::ROOT.into());
    Ok(Json(json!({
        "GroupsKind": groups_kind,
        "Status": { "Inactive": -1, "Disabled": 0, "Enabled": 1 },
        "AccessTypes": {
            "ReadAccess": 1, "ChangeBrandingAccess": 2, "ReadWriteAccess": 5, "ExternalWriteAccess": 9,
            "FullAccess": 15, "MigrationAccess": 16
        },
        "GroupsQuota": { "Unlimited": -1 },
        "Notification": {
            "Backup": { "Error": 1, "Warning": 2, "Info": 4, "DailyReport": 8, "Critical": 16 },
            "DeviceControl": { "Warning": 1 },
            "CertificateManagement": { "Error": 1, "Warning": 2, "Info": 4 }
        },
    })))
}
