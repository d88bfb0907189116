-- Canopy's hierarchy: instances, the server's shared secret, and the nodes of the tree
-- (group > distributor > reseller > tenant).
--
-- Conventions of this schema:
-- * Every text value that is compared, sorted or made unique is a key computed in Rust by the
--   domain (`NodeName::key`, `TenantId::key`), never by SQL `lower()`, so both adapters agree.
-- * Keys are COLLATE "C": byte order, which is Rust's `String` order, whatever the database's
--   default collation is. Indexes and queries repeat COLLATE "C" so the intent is visible there.
-- * Constraints and indexes are named: the adapter maps violations of named ones to domain errors.

CREATE TABLE instances (
    slug       text COLLATE "C" PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- One row only: the key that signs `next` tokens, shared by every process on this database.
CREATE TABLE server_secrets (
    id     smallint PRIMARY KEY CONSTRAINT server_secrets_single_row CHECK (id = 1),
    secret bytea NOT NULL
);

CREATE TABLE nodes (
    id              uuid PRIMARY KEY,
    instance        text COLLATE "C" NOT NULL CONSTRAINT nodes_instance_fkey REFERENCES instances (slug),
    kind            text NOT NULL,
    -- The direct parent; NULL only for groups, which sit directly in the instance.
    parent_id       uuid CONSTRAINT nodes_parent_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    -- The lineage: the ancestors by kind (each kind appears at most once on a path).
    group_id        uuid CONSTRAINT nodes_group_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    distributor_id  uuid CONSTRAINT nodes_distributor_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    reseller_id     uuid CONSTRAINT nodes_reseller_id_fkey REFERENCES nodes (id) ON DELETE RESTRICT,
    name            text NOT NULL,
    name_key        text COLLATE "C" NOT NULL,
    draas_domain    text COLLATE "C",
    tenant_id       text,
    tenant_key      text COLLATE "C",
    -- How many nodes of each kind lie anywhere below (the whole subtree). Maintained by the
    -- adapter in the transaction of every creation and deletion, for every ancestor.
    nb_distributors bigint NOT NULL DEFAULT 0,
    nb_resellers    bigint NOT NULL DEFAULT 0,
    nb_tenants      bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),

    CONSTRAINT nodes_kind_check CHECK (kind IN ('group', 'distributor', 'reseller', 'tenant')),
    -- The shape of the tree: the parent is the nearest ancestor of the lineage, and a kind only
    -- sits below kinds that come before it (levels may be skipped downward, never upward).
    CONSTRAINT nodes_lineage_check CHECK (
        CASE kind
            WHEN 'group' THEN
                parent_id IS NULL AND group_id IS NULL AND distributor_id IS NULL AND reseller_id IS NULL
            WHEN 'distributor' THEN
                group_id IS NOT NULL AND distributor_id IS NULL AND reseller_id IS NULL
                AND parent_id = group_id
            WHEN 'reseller' THEN
                group_id IS NOT NULL AND reseller_id IS NULL
                AND parent_id = coalesce(distributor_id, group_id)
            WHEN 'tenant' THEN
                group_id IS NOT NULL
                AND parent_id = coalesce(reseller_id, distributor_id, group_id)
        END
    ),
    -- Only groups carry a domain; every tenant, and only tenants, carry a tenant id.
    CONSTRAINT nodes_draas_domain_check CHECK (draas_domain IS NULL OR kind = 'group'),
    CONSTRAINT nodes_tenant_id_check CHECK (
        (kind = 'tenant') = (tenant_id IS NOT NULL) AND (tenant_id IS NULL) = (tenant_key IS NULL)
    ),
    CONSTRAINT nodes_counts_check CHECK (nb_distributors >= 0 AND nb_resellers >= 0 AND nb_tenants >= 0),

    -- A name is unique among siblings (same parent, any kind); groups are siblings in their
    -- instance (parent NULL, hence NULLS NOT DISTINCT). parent_id leads so that this index also
    -- serves the ON DELETE RESTRICT check of nodes_parent_id_fkey.
    CONSTRAINT nodes_sibling_name_key UNIQUE NULLS NOT DISTINCT (parent_id, instance, name_key)
);

-- A tenant id is unique per instance. Created after nodes_sibling_name_key on purpose: PostgreSQL
-- checks unique indexes in creation order, so a row breaking both reports the duplicate name
-- first, as the memory adapter does.
CREATE UNIQUE INDEX nodes_tenant_key_key ON nodes (instance, tenant_key COLLATE "C") WHERE tenant_key IS NOT NULL;

-- The lists: an instance's groups, or the children of one kind under one parent. One index per
-- sort, ending with (sort key, id) in list order, so a page after a cursor is one index seek
-- (keyset) and a first page reads only its rows. The sort keys are those of `SortField::key_of`
-- (a missing value sorts as ''); the list queries spell the expressions exactly like this.
--
-- Groups get their own partial indexes: their parent is NULL, and `parent_id IS NULL`, unlike
-- `parent_id = $1`, does not tell the planner that the column is constant, so an index led by
-- parent_id could filter the groups but not return them in order.
CREATE INDEX nodes_groups_by_name_idx ON nodes (instance, name_key COLLATE "C", id) WHERE kind = 'group';
CREATE INDEX nodes_groups_by_uuid_idx ON nodes (instance, id) WHERE kind = 'group';
CREATE INDEX nodes_groups_by_draas_domain_idx
    ON nodes (instance, (coalesce(draas_domain, '') COLLATE "C"), id) WHERE kind = 'group';
-- A parent's id is unique across instances, so these need no instance column.
CREATE INDEX nodes_children_by_name_idx
    ON nodes (parent_id, kind, name_key COLLATE "C", id) WHERE parent_id IS NOT NULL;
CREATE INDEX nodes_children_by_uuid_idx ON nodes (parent_id, kind, id) WHERE parent_id IS NOT NULL;
CREATE INDEX nodes_tenants_by_tenant_id_idx
    ON nodes (parent_id, (coalesce(tenant_key, '') COLLATE "C"), id) WHERE kind = 'tenant';

-- Subtree queries by ancestor, and the ON DELETE RESTRICT checks of the lineage foreign keys.
CREATE INDEX nodes_group_id_idx ON nodes (group_id);
CREATE INDEX nodes_distributor_id_idx ON nodes (distributor_id);
CREATE INDEX nodes_reseller_id_idx ON nodes (reseller_id);
