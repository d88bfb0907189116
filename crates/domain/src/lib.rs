//! Canopy's domain: the customer hierarchy's types and rules, pure and deterministic.
//!
//! Nothing here performs I/O, reads the clock or draws random numbers: ids, keys and time come
//! in as parameters so every rule is unit-tested exactly as the adapters use it.

pub mod access;
pub mod account;
pub mod audit;
pub mod auth_codes;
pub mod branding;
pub mod change;
pub mod configuration;
pub mod credentials;
pub mod domains;
pub mod email;
pub mod error;
pub mod group_fields;
pub mod group_search;
pub mod group_settings;
pub mod instance;
pub mod jwt;
pub mod list;
pub mod logon_ips;
pub mod name;
pub mod node;
pub mod query_mask;
pub mod rates;
pub mod rules;
pub mod text;
pub mod throttle;
pub mod tree_lock;
pub mod ucs;
pub mod user_groups;
pub mod voice_routing;

pub use access::{AdminAction, BrandingDoc, Denied, Level, Owned, Permission, Principal, Profile, Verb, admin_levels};
pub use account::{Admin, AdminDetails, AdminId, Timestamp, TokenPurpose, check_password};
pub use audit::{AuditEntry, AuditScope, AuditSort, Outcome};
pub use auth_codes::{AuthCode, AuthCodeEntry, MAX_CODES, NewCodes};
pub use branding::{
    BrandingDocument, BrandingKey, Logo, MAX_LOGO_BYTES, PORTAL_SECRET_MASK, effective, merge_portal_brand,
    parse_portal_brand, shown_portal_brand,
};
pub use change::{
    Actor, BadPrecondition, Change, Version, VersionMismatch, agree, check_version, mask_secrets, parse_if_match,
    parse_version,
};
pub use configuration::{
    ConfigWrite, MASK, Properties, PropertyFilter, PropertyKey, PropertyValue, STANDARD_PROPERTIES, ValueType,
    WriteMode, is_secret, parse_keys,
};
pub use credentials::CredentialDigest;
pub use domains::{DomainUse, claimed_default_domain, default_domain_use};
pub use email::Email;
pub use error::DomainError;
pub use group_fields::{GROUP_FIELD_PREFIX, GROUP_FIELDS, check_group_field, shown_group_field};
pub use group_search::{Criterion, Found, GroupField, GroupSearch, Mode, SortOrder, Window};
pub use group_settings::{GroupSettings, laid_over};
pub use instance::InstanceSlug;
pub use jwt::{JWT_TTL_SECS, JwtClaims, JwtKey, JwtRefusal, sign_jwt, verify_jwt};
pub use list::{
    AdminScope, AdminSort, COUNT_LIMIT, Cursor, Direction, ListItem, ListParams, ListQuery, ListScope, Listed,
    MAX_PAGE, NextToken, NodeScope, NodeSearch, NodeSort, NumberedPage, Page, PageRequest, PageSize, Position,
    TokenKey,
};
pub use logon_ips::{LogonIp, parse_logon_ips};
pub use name::{DraasDomain, NameRule, NodeName, TenantId};
pub use node::{
    AttributeChanges, Attributes, ChildCounts, Field, InfoObject, JsonType, KindCounts, Lineage, Node, NodeId, NodeKey,
    NodeKind, NodeRef, Serial, SiteGroupAttributes, SiteGroupChanges, SubtreeCounts, TimeZone, UniqueKey,
    UserAttributes, UserChanges, ensure_deletable, ensure_holds_users, ensure_room,
};
pub use query_mask::{QUERY_SECRETS, mask_query_secrets};
pub use rates::{
    ActivePrice, Destination, Price, RatePlanName, RatePlanSummary, Tariff, active_prices, format_datetime,
    parse_datetime,
};
pub use rules::{CREATION_RULES, CreationRule, Holder, ensure_can_hold};
pub use throttle::{FailedLogins, LoginThrottle, UNKNOWN_ADDRESS_SLOTS, UnknownAddressKey};
pub use tree_lock::{HeldAbove, Home, LockRequest, TreeLock, refuses};
pub use ucs::{UC_PLATFORMS, UcPlatform, parse_platforms};
pub use user_groups::branch::{Address, Branch};
pub use user_groups::list::{Metadata, SortField, UserGroupQuery};
pub use user_groups::permissions::{
    BUILT_IN, CustomPermission, NewCustomPermission, PermissionChanges, PermissionName, Setting, SettingInput,
};
pub use user_groups::{UserGroup, UserGroupFields, UserGroupId, UserGroupName};
pub use voice_routing::list::{VoiceScope, VoiceSort};
pub use voice_routing::{
    Priority, PstnUsage, Referrer, RoutePattern, UsageLinks, UsageRef, VoiceId, VoiceKind, VoiceRoute,
    VoiceRoutingPolicy, ensure_unreferenced, missing_usages,
};
