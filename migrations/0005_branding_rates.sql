-- What a node owns beside its children and administrators: branding documents, enabled UC
-- platforms and rate plans. Everything here goes with its node (ON DELETE CASCADE).
--
-- Same conventions as 0001 and 0002: values validated in Rust and re-parsed on the way out
-- (`BrandingDocument::from_stored`, `UcPlatform::parse`, `RatePlanName::parse`), keys COLLATE
-- "C", times as `Timestamp` milliseconds in bigint `*_ms` columns.

CREATE TABLE branding_documents (
    node_id  uuid NOT NULL CONSTRAINT branding_documents_node_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    -- `BrandingKey::as_str`.
    key      text COLLATE "C" NOT NULL CONSTRAINT branding_documents_key_check
             CHECK (key IN ('general', 'pages', 'styling.font', 'styling.image', 'styling.theme')),
    -- The JSON object as serde_json wrote it. Text rather than jsonb: jsonb would refuse a
    -- "\u0000" that JSON allows, and nothing here queries inside the document.
    document text NOT NULL,
    PRIMARY KEY (node_id, key)
);

CREATE TABLE enabled_ucs (
    node_id  uuid NOT NULL CONSTRAINT enabled_ucs_node_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    -- `UcPlatform::as_str`, one of `UC_PLATFORMS`.
    platform text COLLATE "C" NOT NULL,
    PRIMARY KEY (node_id, platform)
);

CREATE TABLE rate_plan_destinations (
    node_id        uuid NOT NULL CONSTRAINT rate_plan_destinations_node_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    rate_plan      text COLLATE "C" NOT NULL,
    destination_id integer NOT NULL CONSTRAINT rate_plan_destinations_id_check CHECK (destination_id > 0),
    name           text NOT NULL,
    PRIMARY KEY (node_id, rate_plan, destination_id)
);

CREATE TABLE rate_plan_prices (
    node_id                uuid NOT NULL,
    rate_plan              text COLLATE "C" NOT NULL,
    destination_id         integer NOT NULL,
    active_since_ms        bigint NOT NULL,
    national_setup         double precision NOT NULL,
    national_duration      double precision NOT NULL,
    international_setup    double precision NOT NULL,
    international_duration double precision NOT NULL,
    -- One price per destination and instant: a second one replaces the first.
    PRIMARY KEY (node_id, rate_plan, destination_id, active_since_ms),
    -- A price belongs to a defined destination, and goes with it (and so with the node).
    CONSTRAINT rate_plan_prices_destination_fkey FOREIGN KEY (node_id, rate_plan, destination_id)
        REFERENCES rate_plan_destinations (node_id, rate_plan, destination_id) ON DELETE CASCADE
);
