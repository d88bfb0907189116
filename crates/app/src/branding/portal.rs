//! The portal's brand and logo of a node, kept as two more of its branding documents
//! (`BrandingKey::PortalBrand`, `BrandingKey::PortalLogo`): the same store, versions, audit log
//! and inheritance as Canopy's own documents, under the permissions of the general document
//! (brand) and of styling (logo). The rules of their content are the domain's
//! (`canopy_domain::branding::portal`).

use super::BrandingService;
use crate::caller::Caller;
use crate::error::AppError;
use crate::write::{Reached, Target};
use canopy_domain::{
    BrandingDocument, BrandingKey, Change, Logo, NodeId, NodeKind, Owned, Permission, Principal, Verb, Version,
    merge_portal_brand, parse_portal_brand, shown_portal_brand,
};
use canopy_storage::WriteOwnedError;
use serde_json::{Map, Value};
use uuid::Uuid;

/// How a brand write treats the node's own brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrandWrite {
    /// `POST` (enable): the node gets a brand of its own, starting from the one it inherited
    /// (or its own, when it has one), with the fields sent over it.
    Enable,
    /// `PUT` (modify): the node's own brand, with the fields sent over it; none is `BrandNotFound`.
    Modify,
}

/// How many times a write sent without a version is retried when another write of the same
/// document lands between its read and its write.
const MERGE_ATTEMPTS: usize = 16;

/// The nearest document of the chain: the node's own first.
fn nearest(chain: &[NodeId], found: Vec<(NodeId, BrandingDocument)>) -> Option<BrandingDocument> {
    chain.iter().find_map(|id| found.iter().find(|(owner, _)| owner == id).map(|(_, doc)| doc.clone()))
}

impl BrandingService {
    /// The node's own brand (or, `effective`, the nearest of its lineage), as reads show it, and
    /// the version of its own brand.
    pub async fn portal_brand(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        effective: bool,
    ) -> Result<(Map<String, Value>, Version), AppError> {
        let key = BrandingKey::PortalBrand;
        let (document, version) = self.portal_document(caller, instance, kind, id, key, effective).await?;
        Ok((shown_portal_brand(&document.ok_or(AppError::BrandNotFound)?), version))
    }

    /// The logo the node shows: its own, else the nearest of its lineage's.
    pub async fn logo(&self, caller: &Principal, instance: &str, kind: NodeKind, id: Uuid) -> Result<Logo, AppError> {
        let (document, _) = self.portal_document(caller, instance, kind, id, BrandingKey::PortalLogo, true).await?;
        Ok(Logo::stored(&document.ok_or(AppError::LogoNotFound)?)?)
    }

    async fn portal_document(
        &self,
        caller: &Principal,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        key: BrandingKey,
        inherited: bool,
    ) -> Result<(Option<BrandingDocument>, Version), AppError> {
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::List);
        let (_, view) = self.writes.gate().node(caller, instance, kind, id, permission).await?;
        let chain = match inherited {
            true => view.node.self_and_ancestors(),
            false => vec![view.node.id],
        };
        let (found, version) = self.store.branding_documents(chain.clone(), key).await?;
        Ok((nearest(&chain, found), version))
    }

    /// Writes the node's own brand: the fields `sent` over the brand `mode` starts from. A write
    /// sent without a version is made against the version it read, and made again when another
    /// write came between (so that no field of the other is lost).
    pub async fn write_portal_brand(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        sent: Value,
        mode: BrandWrite,
    ) -> Result<Version, AppError> {
        let key = BrandingKey::PortalBrand;
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::Update);
        let action = match mode {
            BrandWrite::Enable => "portal.brand.enable",
            BrandWrite::Modify => "portal.brand.update",
        };
        let parse = || parse_portal_brand(sent);
        let put = async |at: &Reached, sent: Map<String, Value>, change: &Change| {
            let chain = at.node().node.self_and_ancestors();
            let node = chain[0];
            let mut attempt = 0;
            loop {
                let (found, version) = self.store.branding_documents(chain.clone(), key).await?;
                let own = found.iter().find(|(owner, _)| *owner == node).map(|(_, doc)| doc.clone());
                let base = match (mode, own) {
                    (_, Some(own)) => Some(own),
                    (BrandWrite::Modify, None) => return Err(AppError::BrandNotFound),
                    (BrandWrite::Enable, None) => nearest(&chain, found),
                };
                let document = merge_portal_brand(base.as_ref().map(BrandingDocument::as_map), sent.clone());
                let guarded = change.expected.is_none();
                let change = Change { expected: change.expected.or(Some(version)), ..change.clone() };
                match self.store.put_branding(node, key, document, &change).await {
                    Err(WriteOwnedError::VersionMismatch(_)) if guarded && attempt + 1 < MERGE_ATTEMPTS => attempt += 1,
                    written => return written.map_err(|err| AppError::from_owned(err, kind)),
                }
            }
        };
        self.writes.run(caller, instance, Target::Node(kind, id.into()), permission, action, parse, put).await
    }

    /// Removes the node's own brand: it inherits again.
    pub async fn delete_portal_brand(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
    ) -> Result<Version, AppError> {
        let key = BrandingKey::PortalBrand;
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::Delete);
        let delete = async |at: &Reached, (), change: &Change| {
            let node = at.node().node.id;
            self.store.delete_branding(node, key, change).await.map_err(|err| AppError::from_owned(err, kind))
        };
        let target = Target::Node(kind, id.into());
        self.writes.run(caller, instance, target, permission, "portal.brand.delete", || Ok(()), delete).await
    }

    /// Replaces the node's own logo by `png` (checked: a PNG, bounded).
    pub async fn put_logo(
        &self,
        caller: &Caller,
        instance: &str,
        kind: NodeKind,
        id: Uuid,
        png: &[u8],
    ) -> Result<Version, AppError> {
        let key = BrandingKey::PortalLogo;
        let permission = Permission::Owned(kind, Owned::Branding(key.doc()), Verb::Update);
        let parse = || Logo::parse(png);
        let put = async |at: &Reached, logo: Logo, change: &Change| {
            let node = at.node().node.id;
            let document = logo.document();
            self.store.put_branding(node, key, document, change).await.map_err(|err| AppError::from_owned(err, kind))
        };
        let target = Target::Node(kind, id.into());
        self.writes.run(caller, instance, target, permission, "portal.logo.update", parse, put).await
    }
}
