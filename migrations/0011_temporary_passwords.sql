-- Temporary passwords (issue 21): an administrator created with a password chosen by its
-- creator (onboarding without e-mail) must change it at its first login. Until then its sessions
-- may only change the password or log out. The flag is cleared by every password the account
-- sets itself (`POST /api/v01/auth/password`, an activation or reset link) and by a forced reset
-- (which clears the password). Existing rows are not flagged.
--
-- No CHECK ties the flag to `password_hash IS NOT NULL` (the adapter keeps them so): processes of
-- the previous release, which know nothing of the flag, clear passwords during a rolling upgrade,
-- and must not fail doing so. A flag on an account without a password means nothing: it cannot
-- log in.

ALTER TABLE admins ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
