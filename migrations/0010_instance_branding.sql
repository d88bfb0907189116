-- The instance's own branding documents (issue 21): the default every node of the instance
-- inherits last, set by a system administrator; without one, the built-in default
-- (`crates/domain/data/branding_defaults.json`) shows.
--
-- One row per (instance, key) written at least once. `document` is NULL once deleted; the row
-- stays, so that its version keeps counting (a document never written is at version 1). A write
-- upserts the row first (`ON CONFLICT DO UPDATE` locks it), compares the client's version, then
-- sets the document: writers of one document are serialized by this row, as in 0008.
-- Independent of every other migration of its release (its own table).

CREATE TABLE instance_branding (
    instance text COLLATE "C" NOT NULL CONSTRAINT instance_branding_instance_fkey REFERENCES instances (slug),
    -- `BrandingKey::as_str`.
    key      text COLLATE "C" NOT NULL CONSTRAINT instance_branding_key_check
             CHECK (key IN ('general', 'pages', 'styling.font', 'styling.image', 'styling.theme')),
    -- The JSON object as serde_json wrote it (text, as branding_documents.document), or NULL.
    document text,
    version  bigint NOT NULL CONSTRAINT instance_branding_version_check CHECK (version >= 1),
    CONSTRAINT instance_branding_pkey PRIMARY KEY (instance, key)
);
