-- User groups of tenants (the sipXconfig face, shared/spec/sipxconfig-user-groups.txt), the
-- permission values each sets, and the custom permissions a tenant defines (`perm_<id>`).
--
-- Same conventions as 0001_nodes.sql: keys computed in Rust (`UserGroupName::key`, the lowercase
-- description), COLLATE "C", named constraints that the adapter maps to domain errors. Ids are
-- identities, as sipXconfig's are numbers.
--
-- Integrity held by the schema itself, whatever the adapter does:
-- * everything belongs to a tenant and goes with it (`tenant_id … ON DELETE CASCADE`); user
--   groups never block a tenant's deletion (they are what it owns, like its configuration);
-- * a value belongs to a group of the same tenant, and a custom one names a custom permission of
--   that tenant (composite keys on `(tenant_id, …)`); deleting either takes the value with it;
-- * a value's name is its custom permission's `perm_<id>` exactly when it has one.
-- The built-in permissions are data in the code (`BUILT_IN`), not rows.

CREATE TABLE user_groups (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id       uuid NOT NULL CONSTRAINT user_groups_tenant_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    name            text NOT NULL,
    name_key        text COLLATE "C" NOT NULL,
    description     text,
    -- The lowercase description, '' without one: the description sort.
    description_key text COLLATE "C" NOT NULL,
    -- The branch as the client sent it (the JSON of `Branch`), NULL without one.
    branch          text,
    version         bigint NOT NULL DEFAULT 1 CONSTRAINT user_groups_version_check CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    -- Names are unique per tenant, case-insensitively; also the list's index in name order.
    CONSTRAINT user_groups_name_key UNIQUE (tenant_id, name_key),
    -- The target of the values' composite key; also the list's index in id order.
    CONSTRAINT user_groups_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE INDEX user_groups_description_idx ON user_groups (tenant_id, description_key, id);

CREATE TABLE custom_permissions (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    tenant_id     uuid NOT NULL CONSTRAINT custom_permissions_tenant_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    label         text NOT NULL,
    description   text,
    default_value boolean NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT custom_permissions_tenant_id_id_key UNIQUE (tenant_id, id)
);

CREATE TABLE user_group_permissions (
    tenant_id uuid NOT NULL,
    group_id  bigint NOT NULL,
    -- A built-in permission's name, or `perm_<custom_id>`.
    name      text COLLATE "C" NOT NULL,
    custom_id bigint,
    enabled   boolean NOT NULL,
    PRIMARY KEY (group_id, name),
    CONSTRAINT user_group_permissions_group_fkey FOREIGN KEY (tenant_id, group_id)
        REFERENCES user_groups (tenant_id, id) ON DELETE CASCADE,
    -- The custom permission deleted (or never the tenant's) takes its values along.
    CONSTRAINT user_group_permissions_custom_fkey FOREIGN KEY (tenant_id, custom_id)
        REFERENCES custom_permissions (tenant_id, id) ON DELETE CASCADE,
    CONSTRAINT user_group_permissions_custom_check
        CHECK ((custom_id IS NULL AND name NOT LIKE 'perm\_%') OR name = 'perm_' || custom_id)
);

-- The deletion of a custom permission finds its values.
CREATE INDEX user_group_permissions_custom_idx ON user_group_permissions (tenant_id, custom_id)
    WHERE custom_id IS NOT NULL;
