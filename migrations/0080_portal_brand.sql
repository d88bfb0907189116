-- The portal's brand and logo of a group (issue 17 item 7): two more keys of a node's own
-- branding documents (`BrandingKey::PortalBrand`, `BrandingKey::PortalLogo`), versioned in
-- `owned_versions` like the others. The instance has none of them: its check stays.

ALTER TABLE branding_documents DROP CONSTRAINT branding_documents_key_check;
ALTER TABLE branding_documents ADD CONSTRAINT branding_documents_key_check
    CHECK (key IN ('general', 'pages', 'styling.font', 'styling.image', 'styling.theme', 'portal.brand', 'portal.logo'));
