//! The example requests of `portal-account-server.txt` for the operations of issue 17, kept as
//! data with their lines in the spec: what each sends and what Canopy answers to it.

use serde_json::{Value, json};

/// The example body of `PUT /groups/{group}` (L23897), as the seed prints it.
pub(super) fn put_group_example() -> Value {
    json!({
        "kind": 40,
        "name": "Example",
        "status": 1,
        "billing": {
            "firstname": "Example", "state": "Example", "lastname": "Example", "phone": "+1(0000)-0000-0000",
            "address1": "Example", "city": "Example", "country": "Example", "address2": "Example",
            "email": "example@mail.com", "zipcode": "00000-0000"
        },
        "internal_tag": "Example",
        "language": "en"
    })
}

/// A change of that example's name only.
pub(super) fn put_group_kept() -> Value {
    json!({ "kind": 40, "name": "Example" })
}

/// The example body of `POST /groups/{group}/children` (L33345), its first fields.
pub(super) fn post_children_example() -> Value {
    json!({ "kind": 40, "name": "Example", "language": "en", "storage": 1, "customer_id": "123asd" })
}

/// That example without its backup storage (`storage`, not kept): `customer_id` is the tenant id.
pub(super) fn post_children_kept() -> Value {
    json!({ "kind": 40, "name": "Example", "language": "en", "customer_id": "123asd" })
}

/// The example `uuids` of `GET /groups/{group}/children` (L32228).
pub(super) const CHILDREN_UUIDS: &str = "1e4d7438-0ebe-11e7-b131-c7b5bde6feed,248c535a-0ebe-11e7-a80e-bbdaa1d60c7c";

/// `GroupsKind` of `/logic/constants` (example L59377): Canopy's kinds (no 21 Provider, 31 Reseller).
pub(super) fn groups_kind() -> Value {
    json!({ "Root": 0, "Distributor": 10, "SubDistributor": 20, "MSP": 30, "EndUserCompany": 40,
            "CompanyDepartment": 50, "ServiceUser": -1 })
}

/// `GroupBusinessRules.creation` of `/logic/rules` (example L60639), from Canopy's creation rules.
pub(super) fn creation_rules() -> Value {
    json!({ "0": {"any": [10]}, "10": {"any": [20, 30, 40]}, "20": {"any": [30, 40]}, "30": {"any": [40]},
            "40": {"any": [50, -1]}, "50": {"any": [-1]} })
}

/// The example body of `POST /groups/{group}/users` (L56627, example L56615) and of
/// `PUT /users/{user}` (L71512, example L71613), its first fields.
pub(super) fn user_example() -> Value {
    json!({
        "language": "en", "city": "Nowhere", "privileged": 1, "country": "USA", "roles": 1, "login": "john.doe",
        "email": "john.doe@mail.com", "zipcode": "11111-1111", "firstname": "John", "use_existing_identity": 1,
        "state": "US", "lastname": "Doe", "phone": "+1(1111)-1111-1111", "address1": "555 Main Street"
    })
}

/// The fields of that example Canopy keeps.
pub(super) fn user_kept() -> Value {
    json!({ "login": "john.doe", "email": "john.doe@mail.com", "firstname": "John", "lastname": "Doe",
            "phone": "+1(1111)-1111-1111" })
}

/// The example body of `POST /groups/{group}/admins` (L25550, example L25602).
pub(super) fn admin_example() -> Value {
    json!({
        "firstname": "Example", "language": "en", "use_existing_identity": 0, "lastname": "Example",
        "email": "example@mail.com", "access_type": 1, "notifications_management": 0, "roles": 0, "login": "Example",
        "notifications_backup": 4, "notifications_device_control": 1, "notifications_certificate_management": 7
    })
}

/// The fields of that example Canopy keeps (its `access_type` 1: a read-only administrator; its
/// `login` is not the e-mail, Canopy's login).
pub(super) fn admin_kept() -> Value {
    json!({ "firstname": "Example", "lastname": "Example", "email": "example@mail.com", "access_type": 1 })
}

/// The example body of `POST /groups/{group}/settings/flags` (L47459, example L47499), which is
/// also the example answer of its `GET` (L46797, example L46839).
pub(super) fn flags_example() -> Value {
    json!({ "allow_add_devices": 1, "allow_download_tools": 1, "allow_download_docs": 1, "allow_download_agents": 1 })
}

/// The example body of `POST /groups/{group}/settings/logon_ips` (L50739).
pub(super) fn logon_ips_example() -> Value {
    json!({ "items": ["203.0.113.2", "203.0.113.23 - 203.0.113.200"] })
}

/// The example body of `PUT /groups/{group}/brand` (L31332, example L31368), whose fields are
/// those of the `GET`'s example (L30031) but `backup_console_url` and `hide_predefined`.
pub(super) fn brand_example() -> Value {
    json!({
        "account_server_url": "mc-cloud.acronis.com",
        "color": "FFFFFF",
        "color_scheme": "default",
        "company_name": "mycompany",
        "help_url": "help.acronis.com",
        "home_url": "www.baas.com",
        "knowledgebase_url": "kb.acronis.com/errorcode/",
        "logotype": 1,
        "mobile_app_android_download_url": "www.mobile.com/download",
        "mobile_app_ios_download_url": "www.mobile.com/download",
        "owns_custom_legal_docs": false,
        "white_labeled_agent": false,
        "platform_terms_url": "terms.acronis.com",
        "privacy_policy_url": "https://www.acronis.com/company/privacy.html",
        "reg_server_url": "https://rs.custom-cloud.acronis.com",
        "router_url": "cloud.acronis.com",
        "agent_gateway_url": "https://agents.custom-cloud.acronis.com",
        "service_name": "myservice",
        "smtp_encryption": "TLS",
        "smtp_override": 1,
        "smtp_password": "**********",
        "smtp_port": 465,
        "smtp_reply_address": "noreply@mycompany.com",
        "smtp_server": "smtp.mycompany.com",
        "smtp_user": "smtpuser",
        "support_phone": "+1 1111 1111111",
        "support_url": "support.acronis.com",
        "terms_url": "terms.acronis.com",
        "upsell_url": "www.partner.com/buy",
        "user_guide_url": "guide.acronis.com"
    })
}

/// The example answer of `GET /groups/{group}/settings` (L44795, example L44847).
pub(super) fn settings_example() -> Value {
    json!({
        "agents_autoupdate": { "status": 1 },
        "logon_ips": { "status": 1, "items": ["127.0.0.1"] },
        "local_backup_restriction": { "status": 1, "visible": 1 },
        "flags": { "allow_add_devices": 1, "allow_download_tools": 1, "allow_download_docs": 1, "allow_download_agents": 1 }
    })
}
