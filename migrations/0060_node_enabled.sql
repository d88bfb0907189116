-- A node's `enabled` flag (the portal's group `status`, issue 17): the accounts homed at or below
-- a disabled node neither log in nor keep their sessions; the node is still managed from above.
-- A constant default: PostgreSQL adds the column without rewriting `nodes`.
ALTER TABLE nodes ADD COLUMN enabled boolean NOT NULL DEFAULT true;
