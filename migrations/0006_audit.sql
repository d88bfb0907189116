-- The audit log: one row per change, written in the transaction of the change itself (outcome
-- 'applied'), or in a small transaction of its own when the store refused it ('refused').
--
-- No foreign keys: nodes and administrators get deleted, their history stays. The node's
-- lineage is copied at the moment of the change, so the subtree cut keeps working once the
-- node is gone (lineages never change while a node lives).

CREATE TABLE audit_events (
    id              bigserial PRIMARY KEY,
    instance        text COLLATE "C" NOT NULL,
    at              timestamptz NOT NULL,
    actor_admin_id  bigint NOT NULL,
    actor_email     text NOT NULL,
    -- The node whose subtree the change belongs to; NULL for the instance itself.
    node_id         uuid,
    group_id        uuid,
    distributor_id  uuid,
    reseller_id     uuid,
    method          text NOT NULL,
    -- The path with its query string.
    path            text NOT NULL,
    -- `<resource>.<verb>`, e.g. `group.update`.
    action          text NOT NULL,
    -- The request's JSON body with its secrets masked, as serde_json wrote it. Text rather than
    -- jsonb: jsonb would refuse a "\u0000" that JSON (and a branding document) allows.
    body            text,
    request_id      text NOT NULL,
    outcome         text NOT NULL CONSTRAINT audit_events_outcome_check CHECK (outcome IN ('applied', 'refused')),
    reason          text,

    CONSTRAINT audit_events_reason_check CHECK ((outcome = 'refused') = (reason IS NOT NULL))
);

-- The list: an instance's entries newest first (a system administrator's view).
CREATE INDEX audit_events_instance_id_idx ON audit_events (instance, id DESC);
-- The subtree cut: `$w IN (node_id, group_id, distributor_id, reseller_id)`, one index per column
-- (combined by a BitmapOr), each ending with the id the list orders by.
CREATE INDEX audit_events_node_idx ON audit_events (node_id, id DESC) WHERE node_id IS NOT NULL;
CREATE INDEX audit_events_group_idx ON audit_events (group_id, id DESC) WHERE group_id IS NOT NULL;
CREATE INDEX audit_events_distributor_idx ON audit_events (distributor_id, id DESC) WHERE distributor_id IS NOT NULL;
CREATE INDEX audit_events_reseller_idx ON audit_events (reseller_id, id DESC) WHERE reseller_id IS NOT NULL;
