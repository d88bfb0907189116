//! Bodies and query of the branding routes.

use canopy_app::BrandingQuery;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// Query of `GET …/configurations/branding/{general|pages|styling}`.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BrandingParams {
    /// `true` returns the whole document, ignoring `keys` and `search`.
    pub full: Option<bool>,
    /// A comma-separated list of top-level keys to return.
    pub keys: Option<String>,
    /// Returns the top-level keys containing this text (case-insensitive).
    pub search: Option<String>,
    /// Styling only, required there: `font`, `image` or `theme`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub kind: Option<String>,
}

impl From<&BrandingParams> for BrandingQuery {
    fn from(params: &BrandingParams) -> Self {
        Self { full: params.full.unwrap_or(false), keys: params.keys.clone(), search: params.search.clone() }
    }
}

/// Query of `DELETE …/configurations/branding/{general|pages|styling}`: styling's `type`, and the
/// `version` precondition (read with `If-Match` by the caller's extractor).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StylingType {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[allow(dead_code)]
    version: Option<String>,
}

/// A branding document: a JSON object of properties (styling also carries its `type`). Its
/// rules are the domain's (`BrandingDocument::parse`). A top-level `version` is not part of it:
/// it is the version the write is made on (as a read answers it), checked like `If-Match`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(value_type = Object)]
pub struct DocumentBody(pub Map<String, Value>);

impl Validate for DocumentBody {
    fn validate(&self) -> Result<(), validator::ValidationErrors> {
        Ok(())
    }
}

/// `GET …/configurations/branding/...`: the document's properties and, beside them, `version`:
/// the version of the node's own document (1 while it inherits it and never set it).
#[derive(Debug, Serialize, ToSchema)]
pub struct BrandingRead {
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub document: Map<String, Value>,
    /// The node's own document's version, also answered as the `ETag`.
    #[schema(example = 1)]
    pub version: u64,
}
