-- Versions of the hierarchy's nodes, their administrators and the voice routing of groups
-- (optimistic concurrency, issue 8): 1 when created, one more with every change. The adapter
-- compares a client's expected version (`If-Match`, `?version=`) with the stored one after
-- locking the row, in the transaction of the change, and increments it in the same UPDATE.
--
-- Rows that exist before this migration start at 1, as if just created: no client can hold an
-- older version of them.

ALTER TABLE nodes
    ADD COLUMN version bigint NOT NULL DEFAULT 1 CONSTRAINT nodes_version_check CHECK (version >= 1);

ALTER TABLE admins
    ADD COLUMN version bigint NOT NULL DEFAULT 1 CONSTRAINT admins_version_check CHECK (version >= 1);

ALTER TABLE pstn_usages
    ADD COLUMN version bigint NOT NULL DEFAULT 1 CONSTRAINT pstn_usages_version_check CHECK (version >= 1);

ALTER TABLE voice_routes
    ADD COLUMN version bigint NOT NULL DEFAULT 1 CONSTRAINT voice_routes_version_check CHECK (version >= 1);

ALTER TABLE voice_routing_policies
    ADD COLUMN version bigint NOT NULL DEFAULT 1
    CONSTRAINT voice_routing_policies_version_check CHECK (version >= 1);
