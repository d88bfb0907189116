-- Temporary passwords (issue 21): an administrator created with a password chosen by its
-- creator (onboarding without e-mail) must change it at its first login. Until then its sessions
-- may only change the password or log out. The flag is cleared by every password the account
-- sets itself (`POST /api/v01/auth/password`, an activation or reset link) and by a forced reset
-- (which clears the password). Existing rows are not flagged.

ALTER TABLE admins
    ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
    -- Only an account with a password can be asked to change it.
    ADD CONSTRAINT admins_must_change_password_check CHECK (NOT must_change_password OR password_hash IS NOT NULL);
