-- Read-only administrators (the portal's `access_type` without Write, issue 17): an
-- administrator that holds only the reading permissions of its profile. A constant default:
-- PostgreSQL adds the column without rewriting `admins`.
ALTER TABLE admins ADD COLUMN read_only boolean NOT NULL DEFAULT false;
