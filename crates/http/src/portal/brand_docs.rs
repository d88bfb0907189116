//! The OpenAPI operations of the portal's brand and logo (`brand.rs`).

use super::bodies::VersionBody;
use super::brand::BrandQuery;
use super::docs::{GROUP_404, group_params, object, tag};
use crate::api::{
    Answer, BODY_400, BODY_ERRORS_413, BODY_ERRORS_415, Op, SchemaRef, errors, header, json_ok, schema, versioned,
};
use utoipa::IntoParams;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, ResponseBuilder};

const BRAND_403: &str = "`forbidden`: the caller's profile lacks the permission on the group's general branding \
                         (`….configurations.branding.general.list`, `.update` to write, `.delete` to disable).";
const LOGO_403: &str = "`forbidden`: the caller's profile lacks the permission on the group's styling branding \
                        (`….configurations.branding.styling.list`, `.update` to upload).";
const TARGET_400: &str = "`invalid_target` (the root has no brand: the server's configuration is its), `invalid_path`";

fn brand() -> SchemaRef {
    object(
        "PortalBrand",
        "A brand (L29993): `id` (the group's integer id), the texts and addresses `account_server_url`, \
         `backup_console_url`, `color` (six hexadecimal digits), `color_scheme`, `company_name`, `help_url`, \
         `home_url`, `knowledgebase_url`, `mobile_app_android_download_url`, `mobile_app_ios_download_url`, \
         `platform_terms_url`, `privacy_policy_url`, `router_url`, `agent_gateway_url`, `service_name`, \
         `reg_server_url`, `support_phone`, `support_url`, `terms_url`, `upsell_url`, `user_guide_url`; the flags \
         (0 or 1) `hide_predefined`, `logotype`, `smtp_override`; the booleans `owns_custom_legal_docs`, \
         `white_labeled_agent`; and the SMTP settings `smtp_server`, `smtp_port` (1–65535), `smtp_user`, \
         `smtp_password` (read as `**********` when set; sent back as a mask of eight or ten stars, it is kept), \
         `smtp_encryption`, `smtp_reply_address`. Texts are at most 2048 characters without control characters; \
         addresses never run script. A write sends any of these fields (an unknown one is refused by name); \
         a read shows every one (`\"\"`, `0` or `false` where none was set).",
    )
}

fn version_answer(description: &str) -> Answer {
    versioned(json_ok(description.to_owned(), schema::<VersionBody>()))
}

pub(super) fn read() -> Op {
    let mut params = group_params();
    params.extend(BrandQuery::into_params(|| Some(ParameterIn::Query)));
    Op {
        id: "portalGetBrand".to_owned(),
        tag: tag(),
        summary: "Get a group's brand (L29993)".to_owned(),
        description: "The group's own brand; with `effective=1`, the one it shows: its own, else its nearest \
                      ancestor's. The `ETag` is the version of the group's own brand (the one a write changes)."
            .to_owned(),
        params,
        body: None,
        ok: versioned(json_ok("The brand.", brand())),
        errors: errors(&[
            (400, &format!("`invalid_query` (`effective` not 0 or 1), {TARGET_400}.")),
            (403, BRAND_403),
            (
                404,
                &format!("`brand_not_found`: no brand (of its own, or in its lineage with `effective=1`); {GROUP_404}"),
            ),
        ]),
    }
}

fn write(id: &str, summary: &str, description: &str) -> Op {
    Op {
        id: id.to_owned(),
        tag: tag(),
        summary: summary.to_owned(),
        description: format!(
            "{description} `?version=` (or `If-Match`) is optional; a stale one answers 426 \"Version mismatch\". \
             Sent without one, the fields are laid over the brand as it is when the write lands."
        ),
        params: group_params(),
        body: Some(brand()),
        ok: version_answer("The brand's new version."),
        errors: errors(&[
            (400, &format!("{BODY_400}, `invalid_field` (a field of the wrong type, or not a brand's), {TARGET_400}.")),
            (403, BRAND_403),
            (404, GROUP_404),
            (426, "`version_mismatch`: the brand changed since the version sent."),
            BODY_ERRORS_413,
            BODY_ERRORS_415,
        ]),
    }
}

pub(super) fn enable() -> Op {
    write(
        "portalEnableBrand",
        "Enable a group's own brand (L30593)",
        "The group gets a brand of its own: the one it inherited (or its own, if it has one) with the fields sent \
         over it.",
    )
}

pub(super) fn modify() -> Op {
    let mut op = write(
        "portalUpdateBrand",
        "Change a group's own brand (L31332)",
        "The fields sent replace those of the group's own brand; the others stay. A group without a brand of its own \
         answers 404 `brand_not_found` (enable one with `POST`).",
    );
    op.errors.retain(|(status, _)| *status != 404);
    op.errors.push((404, format!("`brand_not_found`: the group has no brand of its own; {GROUP_404}")));
    op
}

pub(super) fn disable() -> Op {
    Op {
        id: "portalDisableBrand".to_owned(),
        tag: tag(),
        summary: "Disable a group's own brand (L29257)".to_owned(),
        description: "Removes the group's own brand: it shows its nearest ancestor's again. A group without one \
                      answers the same (the write still counts: version and audit log)."
            .to_owned(),
        params: group_params(),
        body: None,
        ok: version_answer("The brand's new version."),
        errors: errors(&[
            (400, &format!("{TARGET_400}.")),
            (403, BRAND_403),
            (404, GROUP_404),
            (426, "`version_mismatch`."),
        ]),
    }
}

fn png() -> SchemaRef {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(utoipa::openapi::SchemaFormat::Custom("binary".to_owned())))
        .description(Some("A PNG image."))
        .build();
    SchemaRef::named("PortalLogo", Schema::Object(schema), &[])
}

pub(super) fn read_logo() -> Op {
    let content = ContentBuilder::new().schema(Some(png().reference())).build();
    let mut response = ResponseBuilder::new().description("The logo.").content("image/png", content).build();
    for (name, description) in [
        ("ETag", "The logo's content tag: send it back as `If-None-Match` to be answered 304 while it is the same."),
        ("Cache-Control", "`max-age=86400, must-revalidate`."),
    ] {
        response.headers.insert(name.to_owned(), header(description, Type::String));
    }
    let mut errors = errors(&[
        (400, &format!("{TARGET_400}.")),
        (403, LOGO_403),
        (404, &format!("`logo_not_found`: neither the group nor an ancestor has a logo; {GROUP_404}")),
    ]);
    errors.push((304, "Not modified: the logo is the one the `If-None-Match` tag names (no body).".to_owned()));
    Op {
        id: "portalGetLogo".to_owned(),
        tag: tag(),
        summary: "Get a group's logo (L37361)".to_owned(),
        description: "The logo the group shows: its own, else its nearest ancestor's.".to_owned(),
        params: group_params(),
        body: None,
        ok: Answer { status: 200, response, schemas: vec![png()] },
        errors,
    }
}

pub(super) fn upload_logo() -> Op {
    Op {
        id: "portalUploadLogo".to_owned(),
        tag: tag(),
        summary: "Upload a group's logo (L37998)".to_owned(),
        description: "Replaces the group's own logo by the body: a PNG image (its signature is checked) of at most \
                      1 MiB, sent as `Content-Type: image/png`. `?version=` is optional."
            .to_owned(),
        params: group_params(),
        body: Some(png()),
        ok: version_answer("The logo's new version."),
        errors: errors(&[
            (400, &format!("`invalid_field` (`body`: not a PNG image), {TARGET_400}.")),
            (403, LOGO_403),
            (404, GROUP_404),
            (413, "`payload_too_large`: the image is larger than 1 MiB."),
            (415, "`unsupported_media_type`: the body is not sent as `image/png`."),
            (426, "`version_mismatch`."),
        ]),
    }
}
