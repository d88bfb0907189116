//! The `ETag` of the answers of what a node owns (its configuration, branding documents, enabled
//! UCs, rate plans): a read answers the document's version, a write the new one.

use super::operations::Answer;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::{ObjectBuilder, Type};

/// `answer` with the `ETag` header of the document's version (`"3"`), to send back as `If-Match`.
pub(super) fn versioned((status, mut response): Answer) -> Answer {
    let description = if status == 204 {
        "The new version of the document, as an entity tag (`\"4\"`)."
    } else {
        "The document's version, as an entity tag (`\"3\"`): send it back as `If-Match`."
    };
    let header =
        HeaderBuilder::new().schema(ObjectBuilder::new().schema_type(Type::String)).description(Some(description));
    response.headers.insert("ETag".to_owned(), header.build());
    (status, response)
}
