//! Prints the OpenAPI document of the API as pretty JSON; `cargo xtask openapi` writes it to
//! `docs/openapi.json`.

fn main() {
    println!("{}", serde_json::to_string_pretty(&canopy_http::openapi()).expect("the document serializes"));
}
