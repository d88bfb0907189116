-- The versions of what a node owns (issue 8, optimistic concurrency): its general configuration,
-- each of its branding documents, its enabled UC platforms and each of its rate plans.
--
-- One row per versioned document, written on its first change: a document with no row is at
-- version 1 (it exists, empty or inherited, from its node's creation). A write upserts the row
-- and so locks it (`ON CONFLICT DO UPDATE` locks the latest committed row), compares the
-- client's version, then bumps it: writers of one document are serialized by this row.
-- Independent of 0006 and 0007 (other tables), so the three apply in any order.

CREATE TABLE owned_versions (
    node_id  uuid NOT NULL CONSTRAINT owned_versions_node_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    -- `OwnedDocument::kind`.
    kind     text COLLATE "C" NOT NULL CONSTRAINT owned_versions_kind_check
             CHECK (kind IN ('configuration', 'branding', 'enabled_ucs', 'rate_plan')),
    -- `OwnedDocument::key`: the branding key or the rate plan's name; '' for the others.
    key      text COLLATE "C" NOT NULL,
    version  bigint NOT NULL CONSTRAINT owned_versions_version_check CHECK (version >= 1),
    CONSTRAINT owned_versions_pkey PRIMARY KEY (node_id, kind, key)
);
