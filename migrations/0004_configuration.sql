-- The general configuration of each node: key/value properties (fusion-draas-groups
-- "Get the configuration of a group" and the following sections).
--
-- Same conventions as 0001_nodes.sql: keys are COLLATE "C" (byte order, as Rust's), constraints
-- are named. Values are kept as their type and their text (`PropertyValue::to_stored`), re-parsed
-- by the adapter; secrets are stored as sent (they are masked on the way out, never here).

CREATE TABLE configurations (
    -- A configuration goes with its node: deleting the node deletes its properties.
    node_id    uuid NOT NULL CONSTRAINT configurations_node_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    key        text COLLATE "C" NOT NULL,
    value_type text NOT NULL,
    value      text NOT NULL,

    -- Also serves the read of a node's properties in key order and the ON DELETE CASCADE.
    CONSTRAINT configurations_pkey PRIMARY KEY (node_id, key),
    -- The names of `ValueType::as_str`.
    CONSTRAINT configurations_value_type_check CHECK (value_type IN ('string', 'number', 'boolean')),
    -- `PropertyKey::parse`: 1 to 128 of ASCII letters, digits, '_', '.', '-'.
    CONSTRAINT configurations_key_check CHECK (key ~ '^[A-Za-z0-9_.-]{1,128}$')
);
