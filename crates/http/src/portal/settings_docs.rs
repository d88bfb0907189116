//! The OpenAPI operations of the portal's settings of a group (`settings.rs`): reads answer
//! their JSON, writes the JSON string `"Success"` and the configuration's new version.

use super::docs::{group_params, tag};
use super::settings::{
    AutoupdateBody, AutoupdateSet, Flags, LocalBackupBody, LocalBackupSet, LogonIpsBody, LogonIpsSet, SettingsBody,
};
use crate::api::{Answer, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Op, SchemaRef, errors, json_ok, schema};
use serde_json::Value;
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::{ContentBuilder, ResponseBuilder};

const SETTINGS_404: &str = "`instance_not_found`, or `not_found`: no group with this id or uuid, one outside the caller's \
                            subtree, or a user.";
const SETTINGS_403: &str = "`forbidden`: the caller's profile lacks the permission on the group's general configuration \
                            (`tenants.instance.configurations.general.list`, `….create` to write).";
const SETTINGS_400: &str = "`invalid_target` (the root has no settings), `invalid_path`.";

fn text_success() -> Answer {
    let content = ContentBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).examples([Value::from("Success")])))
        .build();
    let response = ResponseBuilder::new()
        .description("`\"Success\"`, and the configuration's new version as `ETag`.")
        .content("application/json", content)
        .build();
    Answer { status: 200, response, schemas: vec![] }
}

/// A read of one setting: `ok` its answer.
fn read(id: String, summary: &str, description: &str, ok: Answer) -> Op {
    Op {
        id,
        tag: tag(),
        summary: summary.to_owned(),
        description: description.to_owned(),
        params: group_params(),
        body: None,
        ok,
        errors: errors(&[(400, SETTINGS_400), (403, SETTINGS_403), (404, SETTINGS_404)]),
    }
}

/// A write of one setting: its `body` (none for a deletion), `invalid` what its 400 names.
fn write(id: String, summary: &str, description: &str, body: Option<SchemaRef>, invalid: &str) -> Op {
    let mut errors = errors(&[(403, SETTINGS_403), (404, SETTINGS_404)]);
    match body {
        Some(_) => {
            errors.push((400, format!("{BODY_400}, {invalid}, {SETTINGS_400}")));
            errors.extend([BODY_ERRORS_413, BODY_ERRORS_415].map(|(status, text)| (status, text.to_owned())));
        }
        None => errors.push((400, SETTINGS_400.to_owned())),
    }
    Op {
        id,
        tag: tag(),
        summary: summary.to_owned(),
        description: description.to_owned(),
        params: group_params(),
        body,
        ok: text_success(),
        errors,
    }
}

pub(super) fn settings() -> Op {
    let description = "`agents_autoupdate`, `logon_ips`, `local_backup_restriction` and `flags` together.";
    read(
        "portalGetSettings".to_owned(),
        "Get a group's settings (L44795)",
        description,
        json_ok("The settings.", schema::<SettingsBody>()),
    )
}

pub(super) fn flags() -> Op {
    let description = "The four flags, each 0 or 1 (1 until set), kept as the group's configuration properties \
                       `portal.flags.*`.";
    read(
        "portalGetFlags".to_owned(),
        "Get a group's flags (L46797)",
        description,
        json_ok("The flags.", schema::<Flags>()),
    )
}

pub(super) fn set_flags() -> Op {
    let description = "Sets the flags sent (0 or 1); the others are kept.";
    let invalid = "`invalid_field` (a flag not 0 or 1)";
    write("portalSetFlags".to_owned(), "Set a group's flags (L47459)", description, Some(schema::<Flags>()), invalid)
}

/// The operation id of a logon IP operation under `settings` or under `limits` (the seed's copy).
fn logon_id(id: &str, under: &str) -> String {
    if under == "limits" { format!("{id}Limits") } else { id.to_owned() }
}

pub(super) fn logon_ips(under: &str) -> Op {
    let summary = "Get a group's logon IP list (L50163; also `…/limits/logon_ips`)";
    let description = "`status` 1 when the list is enabled, its items in their normal form.";
    read(logon_id("portalGetLogonIps", under), summary, description, json_ok("The list.", schema::<LogonIpsBody>()))
}

pub(super) fn set_logon_ips(under: &str) -> Op {
    let summary = "Set a group's logon IP list (L50739; also `…/limits/logon_ips`)";
    let description = "Replaces the list and enables it. Items: an IP (`203.0.113.2`), a range \
                       (`203.0.113.23 - 203.0.113.200`) or a subnetwork (`203.0.113.32/27`), IPv4 or IPv6; \
                       normalised (canonical addresses, a subnetwork's address masked), each once, at most 100. \
                       Enforced at every login.";
    let invalid = "`invalid_field` (`items`: an item that is none of the three forms, a range of two families or \
                   backwards, more than 100)";
    write(logon_id("portalSetLogonIps", under), summary, description, Some(schema::<LogonIpsSet>()), invalid)
}

pub(super) fn disable_logon_ips(under: &str) -> Op {
    let summary = "Disable a group's logon IP list (L49532; also `…/limits/logon_ips`)";
    write(logon_id("portalDisableLogonIps", under), summary, "Disables the list; its items are kept.", None, "")
}

pub(super) fn autoupdate() -> Op {
    let description = "`status` 1 until set; a group without a status of its own shows that of its nearest ancestor \
                       that applied its status to its children, else 1. Kept as the configuration properties \
                       `portal.agents_autoupdate.*`.";
    let ok = json_ok("The status.", schema::<AutoupdateBody>());
    read(
        "portalGetAgentsAutoupdate".to_owned(),
        "Get whether a group's agents update themselves (L45485)",
        description,
        ok,
    )
}

pub(super) fn set_autoupdate() -> Op {
    let summary = "Set whether a group's agents update themselves (L46047)";
    let description = "Both flags are required: `status`, and `apply_for_children` (1: the children without a status \
                       of their own do as this group does).";
    let body = Some(schema::<AutoupdateSet>());
    write("portalSetAgentsAutoupdate".to_owned(), summary, description, body, "`invalid_field` (a flag not 0 or 1)")
}

pub(super) fn local_backup() -> Op {
    let description = "`status` 1 while local backups are restricted (0 until set); `visible` is always 1. Kept as \
                       the configuration property `portal.local_backup_restriction.status`.";
    let ok = json_ok("The restriction.", schema::<LocalBackupBody>());
    read(
        "portalGetLocalBackupRestriction".to_owned(),
        "Get a group's local backup restriction (L48217)",
        description,
        ok,
    )
}

pub(super) fn set_local_backup() -> Op {
    let summary = "Restrict or allow a group's local backups (L48783)";
    let body = Some(schema::<LocalBackupSet>());
    let invalid = "`invalid_field` (`status` not 0 or 1)";
    write("portalSetLocalBackupRestriction".to_owned(), summary, "`status` 1 restricts, 0 allows.", body, invalid)
}
