-- The domain registry (issue 15, the APIO face): the DNS domains an instance knows, and those
-- assigned to each tenant (gone with the tenant). A site group's `defaultDomain` must be one of
-- its tenant's domains; a creation may register it in both, in its own transaction (the tenant's
-- row is locked by every creation below it, so the check and the registration are serialized
-- with the tenant's other creations).
CREATE TABLE domains (
    instance text COLLATE "C" NOT NULL CONSTRAINT domains_instance_fkey REFERENCES instances (slug) ON DELETE CASCADE,
    name     text COLLATE "C" NOT NULL,
    CONSTRAINT domains_pkey PRIMARY KEY (instance, name)
);

CREATE TABLE tenant_domains (
    tenant_id uuid NOT NULL CONSTRAINT tenant_domains_tenant_id_fkey REFERENCES nodes (id) ON DELETE CASCADE,
    instance  text COLLATE "C" NOT NULL,
    name      text COLLATE "C" NOT NULL,
    CONSTRAINT tenant_domains_pkey PRIMARY KEY (tenant_id, name),
    CONSTRAINT tenant_domains_domain_fkey FOREIGN KEY (instance, name) REFERENCES domains (instance, name)
);
