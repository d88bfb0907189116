//! What a user carries beyond its `userId` (its node name): the person's names, and the e-mail
//! that, once set, is its login (an `end_user` account) and never changes.

use super::values;
use super::{Field, JsonType};
use crate::email::Email;
use crate::error::DomainError;
use crate::list::NodeSort;
use crate::text::Keyed;
use serde_json::{Map, Value};

const FIRST_NAME: Field = Field {
    name: "firstName",
    json_type: JsonType::String,
    required: true,
    clearable: false,
    max_length: 80,
    description: "1 to 80 characters.",
    example: "Jane",
    sort: Some(NodeSort::FirstName),
};

const LAST_NAME: Field = Field {
    name: "lastName",
    json_type: JsonType::String,
    required: true,
    clearable: false,
    max_length: 80,
    description: "1 to 80 characters.",
    example: "Doe",
    sort: Some(NodeSort::LastName),
};

pub(super) const EMAIL: Field = Field {
    name: "email",
    json_type: JsonType::String,
    required: false,
    clearable: false,
    max_length: 254,
    description: "The user's login: creates its `end_user` account (e-mailed an activation link, or given \
                  `temporaryPassword`); unique among every account of the instance. Set on creation or later when \
                  absent; never changes once set.",
    example: "jane.doe@example.com",
    sort: None,
};

const PHONE_NUMBER: Field = Field {
    name: "phoneNumber",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 23,
    description: "An optional +, digits, spaces, '-', '.', '(' or ')'; at most 23 characters.",
    example: "+32 2 555 01 23",
    sort: None,
};

const EXTENSION: Field = Field {
    name: "extension",
    json_type: JsonType::String,
    required: false,
    clearable: true,
    max_length: 20,
    description: "2 to 20 digits.",
    example: "0123",
    sort: None,
};

pub(super) const FIELDS: &[Field] = &[FIRST_NAME, LAST_NAME, EMAIL, PHONE_NUMBER, EXTENSION];

/// A user's attributes, each checked by its own rule ([`FIELDS`] describes them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAttributes {
    first_name: Keyed,
    last_name: Keyed,
    email: Option<Email>,
    phone_number: Option<String>,
    extension: Option<String>,
}

impl UserAttributes {
    /// From the client's object: both names are required (as BroadWorks requires them).
    pub(super) fn parse(input: &Map<String, Value>) -> Result<Self, DomainError> {
        let name = |field: &Field| {
            let raw = values::text(input, field)?.ok_or_else(|| DomainError::invalid(field.name, "is required"))?;
            Ok::<_, DomainError>(Keyed::new(&values::label(field, raw, 1)?))
        };
        Ok(Self {
            first_name: name(&FIRST_NAME)?,
            last_name: name(&LAST_NAME)?,
            email: values::text(input, &EMAIL)?
                .map(|raw| Email::parse(raw).map_err(|e| e.renamed(EMAIL.name)))
                .transpose()?,
            phone_number: values::text(input, &PHONE_NUMBER)?
                .map(|raw| values::phone(&PHONE_NUMBER, raw))
                .transpose()?,
            extension: values::text(input, &EXTENSION)?.map(|raw| values::digits(&EXTENSION, raw, 2)).transpose()?,
        })
    }

    /// A user with these names and nothing else (tests).
    pub fn named(first: &str, last: &str) -> Self {
        let mut input = Map::new();
        input.insert(FIRST_NAME.name.into(), first.into());
        input.insert(LAST_NAME.name.into(), last.into());
        Self::parse(&input).expect("valid names")
    }

    /// The wire fields; a field without a value is left out.
    pub(super) fn to_wire(&self, wire: &mut Map<String, Value>) {
        wire.insert(FIRST_NAME.name.into(), self.first_name().into());
        wire.insert(LAST_NAME.name.into(), self.last_name().into());
        let optional = [
            (EMAIL.name, self.email.as_ref().map(Email::as_str)),
            (PHONE_NUMBER.name, self.phone_number.as_deref()),
            (EXTENSION.name, self.extension.as_deref()),
        ];
        for (name, value) in optional {
            if let Some(value) = value {
                wire.insert(name.into(), value.into());
            }
        }
    }

    pub fn first_name(&self) -> &str {
        self.first_name.text()
    }

    pub fn first_name_key(&self) -> &str {
        self.first_name.key()
    }

    pub fn last_name(&self) -> &str {
        self.last_name.text()
    }

    pub fn last_name_key(&self) -> &str {
        self.last_name.key()
    }

    /// The login of the user's account, once set.
    pub fn email(&self) -> Option<&Email> {
        self.email.as_ref()
    }

    /// These attributes changed into `new`: an e-mail, once set, stays what it is, in its stored
    /// spelling (also the account's).
    pub(super) fn keeping_email(&self, mut new: Self) -> Result<Self, DomainError> {
        match (&self.email, &new.email) {
            (Some(old), Some(sent)) if old.key() == sent.key() => {
                new.email = Some(old.clone());
                Ok(new)
            }
            (Some(_), _) => Err(DomainError::invalid(
                EMAIL.name,
                "never changes once set (it is the user's login): delete the user and create it again instead",
            )),
            (None, _) => Ok(new),
        }
    }
}
