//! The operations of the authorization codes (C1-C6) and of the domain registry.

use super::{TENANT_404, USER_404, code_params, codes_tag, tenant_params, user_params};
use crate::api::{Answer, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, INSTANCE_404, Op, Tag, errors, json_ok, schema};
use crate::apio::bodies::Empty;
use crate::apio::codes::{CodeBody, CodeList, CodesToAdd, CodesToRemove};
use crate::apio::domains::{DomainBody, DomainList};

pub(in crate::apio) fn list_codes() -> Op {
    Op {
        id: "apioListAuthCodes".into(),
        tag: codes_tag(),
        summary: "List all authorization codes for the Enduser (C1, spec L3–34)".into(),
        description: "The user's codes in code order. Authorization rights: minimum End User (the user itself).".into(),
        params: user_params(),
        body: None,
        ok: json_ok("The user's codes.", schema::<CodeList>()),
        errors: errors(&[(404, &format!("{USER_404} or {INSTANCE_404}."))]),
    }
}

pub(in crate::apio) fn add_codes() -> Op {
    let mut ok = json_ok("Added: `{}`.", schema::<Empty>());
    ok.status = 201;
    Op {
        id: "apioAddAuthCodes".into(),
        tag: codes_tag(),
        summary: "Create a list of authorization codes, or one (C2 L36–70, C3 L72–98)".into(),
        description: "With `authCodes`, adds the list, all or nothing; else adds the one `code`. A code is 2 to 14 \
            digits, unique per user, at most 1000 per user. Authorization rights: minimum Group Admin."
            .into(),
        params: user_params(),
        body: Some(schema::<CodesToAdd>()),
        ok,
        errors: errors(&[
            (
                400,
                &format!(
                    "{BODY_400}, `invalid_field` (a code or description), `duplicate_code` (codes named twice or already the user's: `details.codes`, `details.apioCode` 11)."
                ),
            ),
            (404, &format!("{USER_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(in crate::apio) fn read_code() -> Op {
    Op {
        id: "apioReadAuthCode".into(),
        tag: codes_tag(),
        summary: "Get an authorization code for the Enduser (C4, spec L100–123)".into(),
        description: "One of the user's codes. Authorization rights: minimum End User.".into(),
        params: code_params(),
        body: None,
        ok: json_ok("The code.", schema::<CodeBody>()),
        errors: errors(&[(
            404,
            &format!("`code_not_found` (the user has no such code), {USER_404} or {INSTANCE_404}."),
        )]),
    }
}

pub(in crate::apio) fn remove_codes() -> Op {
    Op {
        id: "apioRemoveAuthCodes".into(),
        tag: codes_tag(),
        summary: "Remove a list of authorization codes from a User (C5, spec L125–160)".into(),
        description: "Removes the codes of the body's list (a JSON body on DELETE, as the spec shows); codes the user \
            does not hold are no error. Authorization rights: minimum Group Admin."
            .into(),
        params: user_params(),
        body: Some(schema::<CodesToRemove>()),
        ok: json_ok("Removed: `{}`.", schema::<Empty>()),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (an empty list).")),
            (404, &format!("{USER_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(in crate::apio) fn remove_code() -> Op {
    Op {
        id: "apioRemoveAuthCode".into(),
        tag: codes_tag(),
        summary: "Remove an authorization code from a User (C6, spec L162–182)".into(),
        description: "Removes the code; absent is no error. Authorization rights: minimum Group Admin.".into(),
        params: code_params(),
        body: None,
        ok: json_ok("Removed: `{}`.", schema::<Empty>()),
        errors: errors(&[(404, &format!("{USER_404} or {INSTANCE_404}."))]),
    }
}

pub(in crate::apio) fn domains_tag() -> Tag {
    Tag::new(
        "apio_domains",
        "The domain registry (Canopy extension for the APIO face): the instance's DNS domains and those assigned to \
         each tenant. A group's `defaultDomain` must be one of its tenant's, unless the creation registers it \
         (`autoCreateDomain`, or the setting `AUTO_CREATE.GROUP_DEFAULT_DOMAIN`).",
    )
}

fn added_ok() -> Answer {
    let mut ok = json_ok("Added (`201 {}`), or it was there already (`200 {}`).", schema::<Empty>());
    ok.status = 201;
    ok
}

pub(in crate::apio) fn list_domains() -> Op {
    Op {
        id: "apioListDomains".into(),
        tag: domains_tag(),
        summary: "List the instance's domains".into(),
        description: "The instance's DNS domains, in name order.".into(),
        params: vec![crate::api::instance_param()],
        body: None,
        ok: json_ok("The domains.", schema::<DomainList>()),
        errors: errors(&[(404, INSTANCE_404)]),
    }
}

pub(in crate::apio) fn add_domain() -> Op {
    Op {
        id: "apioAddDomain".into(),
        tag: domains_tag(),
        summary: "Add a domain to the instance".into(),
        description: "Adds a DNS domain to the instance; adding one it has changes nothing (`200 {}`).".into(),
        params: vec![crate::api::instance_param()],
        body: Some(schema::<DomainBody>()),
        ok: added_ok(),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`domain`: not a DNS name).")),
            (404, INSTANCE_404),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(in crate::apio) fn list_tenant_domains() -> Op {
    Op {
        id: "apioListTenantDomains".into(),
        tag: domains_tag(),
        summary: "List a tenant's domains".into(),
        description: "The domains assigned to the tenant, in name order.".into(),
        params: tenant_params(),
        body: None,
        ok: json_ok("The tenant's domains.", schema::<DomainList>()),
        errors: errors(&[(404, &format!("{TENANT_404} or {INSTANCE_404}."))]),
    }
}

pub(in crate::apio) fn assign_domain() -> Op {
    Op {
        id: "apioAssignDomain".into(),
        tag: domains_tag(),
        summary: "Assign one of the instance's domains to a tenant".into(),
        description: "Assigns the domain to the tenant; assigning one it has changes nothing (`200 {}`).".into(),
        params: tenant_params(),
        body: Some(schema::<DomainBody>()),
        ok: added_ok(),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (`domain`: not a DNS name, or not one of the instance's).")),
            (404, &format!("{TENANT_404} or {INSTANCE_404}.")),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}
