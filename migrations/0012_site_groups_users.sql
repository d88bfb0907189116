-- Site groups and users (issue 14): two levels below tenants in the one `nodes` table, so that
-- delete-when-empty, subtree scoping, versions, the audit log and keyset paging hold for them
-- without a second implementation; an integer id on every node and instance; the profiles
-- `site_group_admin` and `end_user`.
--
-- Upgrading rewrites `nodes` and `instances` once (the integer ids of existing rows are drawn by
-- the ADD COLUMN): plan for a table lock of the order of a full copy of `nodes`.

-- The integer ids: ONE sequence for every node and every instance, so an id names one thing
-- whatever its kind and is never reused (an identity column would be one sequence per table).
-- Only the adapter inserts rows, and it never names the column.
CREATE SEQUENCE node_serials AS bigint;

ALTER TABLE instances
    ADD COLUMN serial bigint NOT NULL DEFAULT nextval('node_serials') CONSTRAINT instances_serial_key UNIQUE;

ALTER TABLE nodes
    ADD COLUMN serial bigint NOT NULL DEFAULT nextval('node_serials') CONSTRAINT nodes_serial_key UNIQUE,
    -- The lineage slots of the new levels. `tenant_id` is the tenant's textual id (an attribute),
    -- hence `tenant_node_id` for the ancestor tenant.
    ADD COLUMN tenant_node_id uuid CONSTRAINT nodes_tenant_node_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    ADD COLUMN site_group_id uuid CONSTRAINT nodes_site_group_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    ADD COLUMN nb_site_groups bigint NOT NULL DEFAULT 0,
    ADD COLUMN nb_users bigint NOT NULL DEFAULT 0,
    -- The attributes of the new levels, as the domain shows them (`Attributes::to_wire`) and reads
    -- them back (`Attributes::parse_new`): nothing in them is unique, compared or sorted by SQL.
    ADD COLUMN attributes jsonb,
    -- What lists sort and search by, keyed by the domain (lowercase), like `name_key`.
    ADD COLUMN group_name_key text COLLATE "C",
    ADD COLUMN first_name_key text COLLATE "C",
    ADD COLUMN last_name_key text COLLATE "C";

ALTER SEQUENCE node_serials OWNED BY nodes.serial;

ALTER TABLE nodes DROP CONSTRAINT nodes_kind_check;
ALTER TABLE nodes ADD CONSTRAINT nodes_kind_check
    CHECK (kind IN ('group', 'distributor', 'reseller', 'tenant', 'site_group', 'user'));

ALTER TABLE nodes DROP CONSTRAINT nodes_lineage_check;
ALTER TABLE nodes ADD CONSTRAINT nodes_lineage_check CHECK (
    CASE kind
        WHEN 'group' THEN
            parent_id IS NULL AND group_id IS NULL AND distributor_id IS NULL AND reseller_id IS NULL
            AND tenant_node_id IS NULL AND site_group_id IS NULL
        WHEN 'distributor' THEN
            group_id IS NOT NULL AND distributor_id IS NULL AND reseller_id IS NULL
            AND tenant_node_id IS NULL AND site_group_id IS NULL AND parent_id = group_id
        WHEN 'reseller' THEN
            group_id IS NOT NULL AND reseller_id IS NULL AND tenant_node_id IS NULL AND site_group_id IS NULL
            AND parent_id = coalesce(distributor_id, group_id)
        WHEN 'tenant' THEN
            group_id IS NOT NULL AND tenant_node_id IS NULL AND site_group_id IS NULL
            AND parent_id = coalesce(reseller_id, distributor_id, group_id)
        WHEN 'site_group' THEN
            group_id IS NOT NULL AND tenant_node_id IS NOT NULL AND site_group_id IS NULL
            AND parent_id = tenant_node_id
        WHEN 'user' THEN
            group_id IS NOT NULL AND tenant_node_id IS NOT NULL
            AND parent_id = coalesce(site_group_id, tenant_node_id)
    END
);

ALTER TABLE nodes ADD CONSTRAINT nodes_attributes_check CHECK (
    (kind IN ('site_group', 'user')) = (attributes IS NOT NULL)
    AND (kind = 'site_group') = (group_name_key IS NOT NULL)
    AND (kind = 'user') = (first_name_key IS NOT NULL)
    AND (kind = 'user') = (last_name_key IS NOT NULL)
);

ALTER TABLE nodes DROP CONSTRAINT nodes_counts_check;
ALTER TABLE nodes ADD CONSTRAINT nodes_counts_check CHECK (
    nb_distributors >= 0 AND nb_resellers >= 0 AND nb_tenants >= 0 AND nb_site_groups >= 0 AND nb_users >= 0
);

-- Sibling names stay unique for every kind but users, which are unique per instance instead (a
-- user `sales` in a tenant does not collide with its site group `sales`). The unique indexes are
-- created again in their old order, sibling names before tenant ids: PostgreSQL checks unique
-- indexes in creation order, and the memory adapter reports a duplicate name first.
ALTER TABLE nodes DROP CONSTRAINT nodes_sibling_name_key;
DROP INDEX nodes_tenant_key_key;
CREATE UNIQUE INDEX nodes_sibling_name_key ON nodes (parent_id, instance, name_key COLLATE "C") NULLS NOT DISTINCT
    WHERE kind <> 'user';
CREATE UNIQUE INDEX nodes_tenant_key_key ON nodes (instance, tenant_key COLLATE "C") WHERE tenant_key IS NOT NULL;
-- A user's id (its name) is unique per instance, as BroadWorks user ids are system-wide.
CREATE UNIQUE INDEX nodes_user_key_key ON nodes (instance, name_key COLLATE "C") WHERE kind = 'user';

-- The new sorts, each ending with (sort key, id) like the indexes of 0001_nodes.sql; `name` and
-- `uuid` are served by nodes_children_by_name_idx and nodes_children_by_uuid_idx.
CREATE INDEX nodes_site_groups_by_group_name_idx
    ON nodes (parent_id, (coalesce(group_name_key, '') COLLATE "C"), id) WHERE kind = 'site_group';
CREATE INDEX nodes_users_by_first_name_idx
    ON nodes (parent_id, (coalesce(first_name_key, '') COLLATE "C"), id) WHERE kind = 'user';
CREATE INDEX nodes_users_by_last_name_idx
    ON nodes (parent_id, (coalesce(last_name_key, '') COLLATE "C"), id) WHERE kind = 'user';

-- Subtree queries by ancestor, and the ON DELETE RESTRICT checks of the new lineage keys.
CREATE INDEX nodes_tenant_node_id_idx ON nodes (tenant_node_id);
CREATE INDEX nodes_site_group_id_idx ON nodes (site_group_id);

-- The audit log copies the new lineage slots too, so a tenant's or a site group's administrator
-- sees the changes of its subtree.
ALTER TABLE audit_events ADD COLUMN tenant_node_id uuid, ADD COLUMN site_group_id uuid;
CREATE INDEX audit_events_tenant_idx ON audit_events (tenant_node_id, id DESC) WHERE tenant_node_id IS NOT NULL;
CREATE INDEX audit_events_site_group_idx ON audit_events (site_group_id, id DESC) WHERE site_group_id IS NOT NULL;

-- The new profiles: a site group's administrator, and a user's own account (`end_user`, home: the
-- user).
ALTER TABLE admins DROP CONSTRAINT admins_profile_check;
ALTER TABLE admins ADD CONSTRAINT admins_profile_check CHECK (
    profile IN ('system_admin', 'group_admin', 'distributor_admin', 'reseller_admin', 'tenant_admin',
                'site_group_admin', 'end_user')
);
