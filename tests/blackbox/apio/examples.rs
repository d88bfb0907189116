//! Every example request of the two APIO spec files, as data: the spec's line, the request as the
//! spec writes it (path below the mount, body), and the status and body Canopy answers. Where the
//! spec's example cannot be answered as written, the expected answer is Canopy's documented one
//! (docs/api.md, "APIO face": deviations) and `note` says why.

use serde_json::{Value, json};

pub struct Example {
    /// The spec file and the line of the example's request line.
    pub spec: &'static str,
    pub line: u32,
    pub method: &'static str,
    /// Below the mount (`/api/v1` or `/api/v01/draas/{instance}/apio/api/v1`).
    pub path: &'static str,
    pub body: Option<Value>,
    pub status: u16,
    pub answer: Value,
    /// Set when the answer is not the spec's example response, and why.
    pub note: &'static str,
}

const GROUPS: &str = "apio-tenant-groups.txt";
const CODES: &str = "apio-call-barring-auth-codes.txt";
const CODES_PATH: &str = "/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/";

fn row(id: &str, name: &str, limit: u32) -> Value {
    json!({ "groupId": id, "groupName": name, "userLimit": limit })
}

/// The examples, in the order they are replayed (each sees what the ones before it changed), over
/// the fixture of [`super::fixture`]: tenant `foo` with `foogroup` ("Foo Group", 10) and the
/// groups `testa`, `testb`, `testc` ("Test A/B/C") and `lab` ("lab test"); tenant `footenant`
/// with `foogroup` and its user `foouser` holding the codes `01` and `02`.
pub fn examples() -> Vec<Example> {
    vec![
        Example {
            spec: GROUPS,
            line: 13,
            method: "GET",
            path: "/tenants/foo/groups/",
            body: Some(json!({ "sensitiveGroupNameContains": "Test" })),
            status: 200,
            answer: json!({ "groups": [row("testa", "Test A", 5), row("testb", "Test B", 5), row("testc", "Test C", 5)] }),
            note: "",
        },
        Example {
            spec: GROUPS,
            line: 19,
            method: "GET",
            path: "/tenants/foo/groups/",
            body: Some(json!({
                "sensitiveGroupNameContains": "Test",
                "pagingControl": { "startIndex": 1, "pageSize": 2 },
                "sortOrders": ["sensitiveDescendingGroupName", "sensitiveDescendingGroupId"]
            })),
            status: 200,
            answer: json!({ "groups": [row("testc", "Test C", 5), row("testb", "Test B", 5)] }),
            note: "",
        },
        Example {
            spec: GROUPS,
            line: 63,
            method: "GET",
            path: "/tenants/foo/groups/",
            body: Some(json!({ "insensitiveGroupIdEquals": "FooGroup" })),
            status: 200,
            answer: json!({ "groups": [row("foogroup", "Foo Group", 10)] }),
            note: "the example response (L63-74), answered to a search that selects its one group",
        },
        Example {
            spec: GROUPS,
            line: 88,
            method: "POST",
            path: "/tenants/foo/groups/foogroup/",
            body: Some(json!({ "groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25 })),
            status: 405,
            answer: json!({ "code": "method_not_allowed" }),
            note: "the example posts to an item path, which contradicts the endpoint (L80): items take no POST",
        },
        Example {
            spec: GROUPS,
            line: 80,
            method: "POST",
            path: "/tenants/foo/groups/",
            body: Some(json!({ "groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25 })),
            status: 201,
            answer: json!({ "groupId": "foogroup_new", "groupName": "Foo Group New", "userLimit": 25 }),
            note: "the example's body on the endpoint's path (L80); the spec gives no response: the group created",
        },
        Example {
            spec: CODES,
            line: 13,
            method: "GET",
            path: CODES_PATH,
            body: None,
            status: 200,
            answer: json!({ "authCodes": [
                { "code": "01", "description": "test_code_01" },
                { "code": "02", "description": "test_code_02" }
            ] }),
            note: "",
        },
        Example {
            spec: CODES,
            line: 46,
            method: "POST",
            path: CODES_PATH,
            body: Some(json!({ "authCodes": [
                { "code": "03", "description": "test_code_03" },
                { "code": "04", "description": "test_code_04" }
            ] })),
            status: 201,
            answer: json!({}),
            note: "",
        },
        Example {
            spec: CODES,
            line: 82,
            method: "POST",
            path: CODES_PATH,
            body: Some(json!({ "code": "03", "description": "test_code_03" })),
            status: 400,
            answer: json!({ "code": "duplicate_code", "codes": ["03"] }),
            note: "replayed after L46, which added 03: an already existent code is a 400 (rendered page's status list)",
        },
        Example {
            spec: CODES,
            line: 110,
            method: "GET",
            path: "/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/01/",
            body: None,
            status: 200,
            answer: json!({ "code": "01", "description": "test_code_01" }),
            note: "the example names `fooCode`, but its response is code 01: replayed with 01 (fooCode below)",
        },
        Example {
            spec: CODES,
            line: 110,
            method: "GET",
            path: "/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/fooCode/",
            body: None,
            status: 404,
            answer: json!({ "code": "code_not_found" }),
            note: "codes are 2 to 14 digits: `fooCode` is no code the user can hold",
        },
        Example {
            spec: CODES,
            line: 135,
            method: "DELETE",
            path: CODES_PATH,
            body: Some(json!({ "authCodes": [{ "code": "01" }, { "code": "02" }] })),
            status: 200,
            answer: json!({}),
            note: "",
        },
        Example {
            spec: CODES,
            line: 172,
            method: "DELETE",
            path: "/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/fooCode/",
            body: None,
            status: 200,
            answer: json!({}),
            note: "absent (and no code at all): no error, as the spec says (L182)",
        },
        Example {
            spec: CODES,
            line: 172,
            method: "DELETE",
            path: "/tenants/footenant/groups/foogroup/users/foouser/services/outgoing_call_barring/codes/03/",
            body: None,
            status: 200,
            answer: json!({}),
            note: "the example with a code the user holds",
        },
        Example {
            spec: CODES,
            line: 82,
            method: "POST",
            path: CODES_PATH,
            body: Some(json!({ "code": "03", "description": "test_code_03" })),
            status: 201,
            answer: json!({}),
            note: "once 03 is removed, the example applies as the spec shows",
        },
        Example {
            spec: CODES,
            line: 13,
            method: "GET",
            path: CODES_PATH,
            body: None,
            status: 200,
            answer: json!({ "authCodes": [
                { "code": "03", "description": "test_code_03" },
                { "code": "04", "description": "test_code_04" }
            ] }),
            note: "the list again, after the changes above",
        },
    ]
}
