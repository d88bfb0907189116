-- Locks on a subtree (the portal's POST|DELETE /groups/{group}/lock; canopy_domain::tree_lock):
-- the level of the administrator who holds a node's lock, NULL while it has none. Nodes never
-- move and each kind appears at most once on a lineage, so the level names the holder's node:
-- the node itself or one of its ancestors, or the instance (a system administrator).
-- Nullable without a default: adding it rewrites no row (the CHECK reads the table once).
ALTER TABLE nodes ADD COLUMN locked_by text
    CONSTRAINT nodes_locked_by_check
    CHECK (locked_by IN ('instance', 'group', 'distributor', 'reseller', 'tenant', 'site_group'));
