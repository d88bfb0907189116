-- A user's outgoing call barring authorization codes (issue 15, the APIO face): owned data of
-- the user, gone with it. A code is 2 to 14 digits, unique per user (the primary key, also what
-- the list is read in: code bytes); the domain checks the rest (`NewCodes::admit`: at most 1000
-- per user) under the user's row lock, which every write of a user's codes takes first.
CREATE TABLE auth_codes (
    user_id     uuid NOT NULL CONSTRAINT auth_codes_user_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    code        text COLLATE "C" NOT NULL CONSTRAINT auth_codes_code_check CHECK (code ~ '^[0-9]{2,14}$'),
    description text CONSTRAINT auth_codes_description_check CHECK (char_length(description) BETWEEN 1 AND 80),
    CONSTRAINT auth_codes_pkey PRIMARY KEY (user_id, code)
);
