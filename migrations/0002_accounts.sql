-- Administrator accounts, their sessions and their one-time tokens (activation, reset).
--
-- Same conventions as 0001_nodes.sql: keys computed in Rust (`Email::key`) and COLLATE "C",
-- named constraints that the adapter maps to domain errors. Times are milliseconds since the
-- epoch (`canopy_domain::Timestamp`) in bigint columns named `*_ms`: the services read the clock,
-- never the database. Tokens are stored as their SHA-256, never in the clear.

CREATE TABLE admins (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    instance        text COLLATE "C" NOT NULL CONSTRAINT admins_instance_fkey REFERENCES instances (slug),
    profile         text NOT NULL,
    -- The node the administrator belongs to, NULL for system administrators. An administrator
    -- goes with its node: deleting the node deletes it, and its sessions and tokens below.
    home_id         uuid CONSTRAINT admins_home_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    -- As the client wrote it; email_key (`Email::key`, lowercase) is what is unique and looked up.
    email           text NOT NULL,
    email_key       text COLLATE "C" NOT NULL,
    first_name      text,
    last_name       text,
    mobile          text,
    -- An argon2id PHC string; NULL until the account is activated (or after a forced reset).
    password_hash   text,
    -- Consecutive failed logins and the lock they earned (`LoginThrottle`, decided in Rust).
    failed_logins   integer NOT NULL DEFAULT 0,
    locked_until_ms bigint,
    created_at      timestamptz NOT NULL DEFAULT now(),

    -- The names of `Profile::as_str`.
    CONSTRAINT admins_profile_check CHECK (
        profile IN ('system_admin', 'group_admin', 'distributor_admin', 'reseller_admin', 'tenant_admin')
    ),
    -- Only system administrators sit directly in the instance.
    CONSTRAINT admins_home_check CHECK ((home_id IS NULL) = (profile = 'system_admin')),
    CONSTRAINT admins_failed_logins_check CHECK (failed_logins >= 0),
    -- An address is unique per instance, case-insensitively (the key is lowercase). Also serves
    -- the login's lookup by (instance, e-mail key).
    CONSTRAINT admins_email_key_key UNIQUE (instance, email_key)
);

-- list_admins: a node's administrators by e-mail key. A node's id is unique across instances, so
-- no instance column is needed; this index also serves the ON DELETE CASCADE of home_id.
CREATE INDEX admins_by_home_idx ON admins (home_id, email_key COLLATE "C") WHERE home_id IS NOT NULL;
-- An instance's system administrators (list_admins, bootstrap_admin). Partial, as the group
-- indexes of 0001_nodes.sql: `home_id IS NULL` does not tell the planner the column is constant,
-- so an index led by home_id could not return them in e-mail order.
CREATE INDEX admins_system_by_email_idx ON admins (instance, email_key COLLATE "C") WHERE home_id IS NULL;

CREATE TABLE sessions (
    -- SHA-256 of the session token.
    token_hash    bytea PRIMARY KEY CONSTRAINT sessions_token_hash_check CHECK (octet_length(token_hash) = 32),
    admin_id      bigint NOT NULL CONSTRAINT sessions_admin_id_fkey REFERENCES admins (id) ON DELETE CASCADE,
    expires_at_ms bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- An administrator's sessions: closed together (new password, forced reset), expired ones
-- dropped at each login, and the ON DELETE CASCADE of admin_id.
CREATE INDEX sessions_admin_id_idx ON sessions (admin_id);

CREATE TABLE one_time_tokens (
    -- SHA-256 of the token sent by e-mail.
    token_hash    bytea PRIMARY KEY CONSTRAINT one_time_tokens_token_hash_check CHECK (octet_length(token_hash) = 32),
    admin_id      bigint NOT NULL CONSTRAINT one_time_tokens_admin_id_fkey REFERENCES admins (id) ON DELETE CASCADE,
    purpose       text NOT NULL CONSTRAINT one_time_tokens_purpose_check CHECK (purpose IN ('activation', 'reset')),
    expires_at_ms bigint NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- A new token replaces the administrator's earlier ones of its purpose; also serves the
-- ON DELETE CASCADE of admin_id.
CREATE INDEX one_time_tokens_admin_id_purpose_idx ON one_time_tokens (admin_id, purpose);
