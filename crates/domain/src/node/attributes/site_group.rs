//! What a site group carries beyond its `groupId` (its node name): the OCI group's fields, and the
//! user limit that its creations and its own changes are checked against.

use super::values::{self, InfoObject, TimeZone};
use super::{Field, JsonType};
use crate::error::DomainError;
use crate::list::NodeSort;
use crate::name::DraasDomain;
use crate::text::Keyed;
use serde_json::{Map, Value};

const GROUP_NAME: Field = Field {
    name: "groupName",
    json_type: JsonType::String,
    required: false,
    clearable: false,
    max_length: 80,
    description: "The site group's display name, 0 to 80 characters (empty when not sent).",
    example: "Brussels office",
    sort: Some(NodeSort::GroupName),
};

pub(super) const USER_LIMIT: Field = Field {
    name: "userLimit",
    json_type: JsonType::Integer { minimum: 1, maximum: 999_999 },
    required: true,
    clearable: false,
    max_length: 6,
    description: "How many users the site group may hold, 1 to 999999: a creation beyond it is refused \
                  (`user_limit_reached`), and so is lowering it below the users it holds (`user_limit_below_count`).",
    example: "25",
    sort: None,
};

const DEFAULT_DOMAIN: Field = Field {
    name: "defaultDomain",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 80,
    description: "A DNS name of at most 80 characters, stored lowercase without a trailing dot.",
    example: "brussels.example.com",
    sort: None,
};

const CLI_NAME: Field = Field {
    name: "cliName",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 80,
    description: "The calling line identity's name, 1 to 80 characters.",
    example: "Acme Brussels",
    sort: None,
};

const CLI_PHONE_NUMBER: Field = Field {
    name: "cliPhoneNumber",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 23,
    description: "The calling line identity's number: an optional +, digits, spaces, '-', '.', '(' or ')'; at most \
                  23 characters.",
    example: "+32 2 555 01 00",
    sort: None,
};

const LOCATION_DIALING_CODE: Field = Field {
    name: "locationDialingCode",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 15,
    description: "1 to 15 digits.",
    example: "02",
    sort: None,
};

const TIME_ZONE: Field = Field {
    name: "timeZone",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 127,
    description: "An IANA time zone name (matched case-insensitively, answered in its canonical spelling).",
    example: "Europe/Brussels",
    sort: None,
};

const CONTACT_INFORMATION: Field = Field {
    name: "contactInformation",
    json_type: JsonType::Object,
    required: false,
    clearable: true,
    max_length: 4096,
    description: "An object of text members (or objects of them, 8 levels at most), at most 4096 bytes as JSON.",
    example: r#"{"name": "Jane Doe", "phoneNumber": "+32 2 555 01 01"}"#,
    sort: None,
};

const ADDRESS_INFORMATION: Field = Field {
    name: "addressInformation",
    json_type: JsonType::Object,
    required: false,
    clearable: true,
    max_length: 4096,
    description: "An object of text members (or objects of them, 8 levels at most), at most 4096 bytes as JSON.",
    example: r#"{"addressLine1": "Rue Haute 1", "city": "Brussels", "country": "BE"}"#,
    sort: None,
};

pub(super) const FIELDS: &[Field] = &[
    GROUP_NAME,
    USER_LIMIT,
    DEFAULT_DOMAIN,
    CLI_NAME,
    CLI_PHONE_NUMBER,
    LOCATION_DIALING_CODE,
    TIME_ZONE,
    CONTACT_INFORMATION,
    ADDRESS_INFORMATION,
];

/// A site group's attributes, each checked by its own rule ([`FIELDS`] describes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteGroupAttributes {
    group_name: Keyed,
    user_limit: u32,
    default_domain: Option<DraasDomain>,
    cli_name: Option<String>,
    cli_phone_number: Option<String>,
    location_dialing_code: Option<String>,
    time_zone: Option<TimeZone>,
    contact_information: Option<InfoObject>,
    address_information: Option<InfoObject>,
}

impl SiteGroupAttributes {
    /// From the client's object: `userLimit` is required, the rest optional.
    pub(super) fn parse(input: &Map<String, Value>) -> Result<Self, DomainError> {
        let info = |field: &Field| input.get(field.name).filter(|v| !v.is_null()).map(|v| InfoObject::parse(field, v));
        Ok(Self {
            group_name: Keyed::new(
                &values::text(input, &GROUP_NAME)?
                    .map(|raw| values::label(&GROUP_NAME, raw, 0))
                    .transpose()?
                    .unwrap_or_default(),
            ),
            user_limit: values::integer(input, &USER_LIMIT)?
                .ok_or_else(|| DomainError::invalid(USER_LIMIT.name, "is required"))?,
            default_domain: values::text(input, &DEFAULT_DOMAIN)?.map(default_domain).transpose()?,
            cli_name: values::text(input, &CLI_NAME)?.map(|raw| values::label(&CLI_NAME, raw, 1)).transpose()?,
            cli_phone_number: values::text(input, &CLI_PHONE_NUMBER)?
                .map(|raw| values::phone(&CLI_PHONE_NUMBER, raw))
                .transpose()?,
            location_dialing_code: values::text(input, &LOCATION_DIALING_CODE)?
                .map(|raw| values::digits(&LOCATION_DIALING_CODE, raw, 1))
                .transpose()?,
            time_zone: values::text(input, &TIME_ZONE)?.map(|raw| TimeZone::parse(TIME_ZONE.name, raw)).transpose()?,
            contact_information: info(&CONTACT_INFORMATION).transpose()?,
            address_information: info(&ADDRESS_INFORMATION).transpose()?,
        })
    }

    /// A site group holding at most `user_limit` users, with nothing else set (tests).
    pub fn with_limit(user_limit: u32) -> Self {
        let mut input = Map::new();
        input.insert(USER_LIMIT.name.into(), user_limit.into());
        Self::parse(&input).expect("a limit in range")
    }

    /// The wire fields; a field without a value is left out (`groupName` is always shown).
    pub(super) fn to_wire(&self, wire: &mut Map<String, Value>) {
        wire.insert(GROUP_NAME.name.into(), self.group_name().into());
        wire.insert(USER_LIMIT.name.into(), self.user_limit.into());
        let texts = [
            (DEFAULT_DOMAIN.name, self.default_domain.as_ref().map(DraasDomain::as_str)),
            (CLI_NAME.name, self.cli_name.as_deref()),
            (CLI_PHONE_NUMBER.name, self.cli_phone_number.as_deref()),
            (LOCATION_DIALING_CODE.name, self.location_dialing_code.as_deref()),
            (TIME_ZONE.name, self.time_zone.as_ref().map(TimeZone::as_str)),
        ];
        for (name, value) in texts {
            if let Some(value) = value {
                wire.insert(name.into(), value.into());
            }
        }
        for (name, value) in [
            (CONTACT_INFORMATION.name, &self.contact_information),
            (ADDRESS_INFORMATION.name, &self.address_information),
        ] {
            if let Some(value) = value {
                wire.insert(name.into(), Value::Object(value.as_map().clone()));
            }
        }
    }

    pub fn group_name(&self) -> &str {
        self.group_name.text()
    }

    /// The case-insensitive form lists sort and search by.
    pub fn group_name_key(&self) -> &str {
        self.group_name.key()
    }

    /// The domain the group's users are created in; one of its tenant's domains.
    pub fn default_domain(&self) -> Option<&DraasDomain> {
        self.default_domain.as_ref()
    }

    pub fn user_limit(&self) -> u32 {
        self.user_limit
    }

    /// A creation that would bring the site group's users from `users` to one more: refused once
    /// the limit is reached. Checked by the adapters under the site group's lock.
    pub fn admit_user(&self, users: u64) -> Result<(), DomainError> {
        if users >= u64::from(self.user_limit) {
            return Err(DomainError::UserLimitReached { limit: self.user_limit, count: users });
        }
        Ok(())
    }

    /// A site group changed to these attributes while it holds `users`: the limit may not drop
    /// below them. Checked by the adapters under the site group's lock.
    pub fn ensure_holds(&self, users: u64) -> Result<(), DomainError> {
        if users > u64::from(self.user_limit) {
            return Err(DomainError::UserLimitBelowCount { limit: self.user_limit, count: users });
        }
        Ok(())
    }
}

/// A DNS name of at most 80 characters, named `defaultDomain` when refused.
fn default_domain(raw: &str) -> Result<DraasDomain, DomainError> {
    let domain = DraasDomain::parse(raw).map_err(|err| err.renamed(DEFAULT_DOMAIN.name))?;
    if domain.as_str().len() > DEFAULT_DOMAIN.max_length {
        return Err(DomainError::invalid(DEFAULT_DOMAIN.name, "must be at most 80 characters"));
    }
    Ok(domain)
}
