-- Login throttling that reveals nothing (issue 21): an address without an account is throttled
-- exactly like an account (`LoginThrottle`, decided in Rust), so that a login's answers never
-- tell whether an address has one; and a run of failures is forgotten once its lock is over and
-- its last failure is an hour old (`forget_after_secs`), for both, so that the two stay alike
-- over time and the state kept for made-up addresses can be bounded.

-- When the account's last failed login happened. NULL for runs counted before this column:
-- such a run is over at its next failure unless its lock still holds.
ALTER TABLE admins ADD COLUMN last_failed_login_ms bigint;

-- The failed logins of addresses without an account, one row per slot
-- (`UnknownAddressKey::slot`): at most UNKNOWN_ADDRESS_SLOTS (2^17) rows however many addresses
-- are made up. A slot holds the address that failed in it last; another one failing there
-- replaces it.
CREATE TABLE unknown_address_failures (
    slot            integer PRIMARY KEY CONSTRAINT unknown_address_failures_slot_check
                    CHECK (slot >= 0 AND slot < 131072),
    -- HMAC-SHA256, under the server's secret (`server_secrets`), of the instance and the address's
    -- key: never the address itself.
    digest          bytea NOT NULL CONSTRAINT unknown_address_failures_digest_check CHECK (octet_length(digest) = 32),
    failed_logins   integer NOT NULL CONSTRAINT unknown_address_failures_failed_logins_check CHECK (failed_logins >= 0),
    last_failed_ms  bigint,
    locked_until_ms bigint
);
