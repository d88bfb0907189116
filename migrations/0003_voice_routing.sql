-- Voice routing of groups: PSTN usages, voice routes, voice routing policies, and the links from
-- routes and policies to usages (spec fusion-draas-groups, "Voice routing").
--
-- Same conventions as 0001_nodes.sql: keys computed in Rust (`NodeName::key`), COLLATE "C",
-- named constraints that the adapter maps to domain errors. Ids are identities, as the spec's
-- examples show numbers; each table has its own sequence.
--
-- Integrity held by the schema itself, whatever the adapter does:
-- * everything belongs to a group and goes with it (`group_id … ON DELETE CASCADE`); a group's
--   voice routing never blocks its deletion;
-- * a link names a usage of the SAME group: the link tables carry `group_id` and reference
--   `(group_id, id)` of both ends;
-- * a linked usage cannot be deleted (`ON DELETE RESTRICT`); the adapter checks first under a
--   row lock to name the referrers, this is the backstop.
-- The link tables also cascade from the group directly, so that deleting a group removes its
-- links in the same pass as its usages: the RESTRICT checks, which run after the cascades, then
-- find no link left.

CREATE TABLE pstn_usages (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id   uuid NOT NULL CONSTRAINT pstn_usages_group_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    name       text NOT NULL,
    name_key   text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Names are unique per group, case-insensitively (name_key is COLLATE "C"); also the
    -- list's index in name order (a name is unique, so no id is needed to break ties).
    CONSTRAINT pstn_usages_name_key UNIQUE (group_id, name_key),
    -- The target of the links' composite keys; also the list's index in id order.
    CONSTRAINT pstn_usages_group_id_id_key UNIQUE (group_id, id)
);

CREATE TABLE voice_routes (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id   uuid NOT NULL CONSTRAINT voice_routes_group_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    name       text NOT NULL,
    name_key   text COLLATE "C" NOT NULL,
    -- A regular expression validated by `RoutePattern::parse`.
    pattern    text NOT NULL,
    priority   integer NOT NULL CONSTRAINT voice_routes_priority_check CHECK (priority >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT voice_routes_name_key UNIQUE (group_id, name_key),
    CONSTRAINT voice_routes_group_id_id_key UNIQUE (group_id, id)
);

CREATE TABLE voice_routing_policies (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    group_id   uuid NOT NULL CONSTRAINT voice_routing_policies_group_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    name       text NOT NULL,
    name_key   text COLLATE "C" NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT voice_routing_policies_name_key UNIQUE (group_id, name_key),
    CONSTRAINT voice_routing_policies_group_id_id_key UNIQUE (group_id, id)
);

CREATE TABLE route_pstn_usages (
    group_id      uuid NOT NULL CONSTRAINT route_pstn_usages_group_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    route_id      bigint NOT NULL,
    pstn_usage_id bigint NOT NULL,
    -- The client's order of the route's usages, from 1.
    position      integer NOT NULL,
    PRIMARY KEY (route_id, pstn_usage_id),
    CONSTRAINT route_pstn_usages_position_key UNIQUE (route_id, position),
    CONSTRAINT route_pstn_usages_route_fkey FOREIGN KEY (group_id, route_id)
        REFERENCES voice_routes (group_id, id) ON DELETE CASCADE,
    CONSTRAINT route_pstn_usages_usage_fkey FOREIGN KEY (group_id, pstn_usage_id)
        REFERENCES pstn_usages (group_id, id) ON DELETE RESTRICT
);
-- A usage's referrers, and the RESTRICT check of route_pstn_usages_usage_fkey.
CREATE INDEX route_pstn_usages_usage_idx ON route_pstn_usages (group_id, pstn_usage_id);

CREATE TABLE policy_pstn_usages (
    group_id      uuid NOT NULL CONSTRAINT policy_pstn_usages_group_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    policy_id     bigint NOT NULL,
    pstn_usage_id bigint NOT NULL,
    position      integer NOT NULL,
    PRIMARY KEY (policy_id, pstn_usage_id),
    CONSTRAINT policy_pstn_usages_position_key UNIQUE (policy_id, position),
    CONSTRAINT policy_pstn_usages_policy_fkey FOREIGN KEY (group_id, policy_id)
        REFERENCES voice_routing_policies (group_id, id) ON DELETE CASCADE,
    CONSTRAINT policy_pstn_usages_usage_fkey FOREIGN KEY (group_id, pstn_usage_id)
        REFERENCES pstn_usages (group_id, id) ON DELETE RESTRICT
);
CREATE INDEX policy_pstn_usages_usage_idx ON policy_pstn_usages (group_id, pstn_usage_id);
