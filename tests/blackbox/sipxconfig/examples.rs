//! The examples of shared/spec/sipxconfig-user-groups.txt, kept as data with their line
//! numbers, verbatim where the test compares them byte for byte (after the seed's line breaks
//! between elements are removed). What each is and how it is replayed: `mod.rs`.

/// L18: the request of the list example.
pub const LIST_QUERY_L18: &str = "?sortdir=forward&sortby=description&page=1&pagesize=1";

/// L19-32: its answer (XML). Group 19 is `ldap_imports`, first by description (it has none).
pub const LIST_XML_L19: &str = "<user-group>
<metadata>
<totalResults>7</totalResults>
<currentPage>1</currentPage>
<totalPages>7</totalPages>
<resultsPerPage>1</resultsPerPage>
</metadata>
<groups>
<group>
<id>19</id>
<name>ldap_imports</name>
</group>
</groups>
</user-group>";

/// L33-52: a list in JSON. Its root `usergroup` (L34) is the seed's typo (the real server, and the
/// seed itself at L113, write `user-group`): replayed with `user-group`.
pub const LIST_JSON_L34: &str = r#"{"usergroup": {
"metadata": {
"totalResults": 2,
"currentPage": 1,
"totalPages": 1,
"resultsPerPage": 2
},
"groups": [
{
"id": 5,
"name": "administrators",
"description": "Users with superadmin privileges"
},
{
"id": 9,
"name": "IMGroup"
}
]
}}"#;

/// L55-74: the body of a creation, under the seed's `<userGroup>` root (the real server reads
/// `<group>`; Canopy reads both). Its `id` 5 is ignored.
pub const CREATE_XML_L55: &str = "<userGroup>
<id>5</id>
<name>JusticeLeague</name>
<description>Superheroes Unlimited</description>
<branch>
<id>1</id>
<name>HallOfJustice</name>
<description>Hall of Superheroes</description>
<address>
<id>3</id>
<street>1 Justice Way</street>
<city>Smallville</city>
<country>United States</country>
<state>MidAmerica</state>
<zip>55555</zip>
<officeDesignation>MailStop</officeDesignation>
</address>
<phoneNumber>555-HERO</phoneNumber>
</branch>
</userGroup>";

/// L93-111: given as `GET /user-group/{id}`'s answer, but it is the list's shape (two groups for
/// one id): a seed mistake. Replayed as the list's answer; `GET /user-group/{id}` answers the
/// real server's single `<group>`.
pub const LIST_XML_L93: &str = "<user-group>
<metadata>
<totalResults>2</totalResults>
<currentPage>1</currentPage>
<totalPages>1</totalPages>
<resultsPerPage>2</resultsPerPage>
</metadata>
<groups>
<group>
<id>5</id>
<name>administrators</name>
<description>Users with superadmin privileges</description>
</group>
<group>
<id>9</id>
<name>IM-Group</name>
</group>
</groups>
</user-group>";

/// L113-131: the same in JSON (root `user-group`, as the real server writes it).
pub const LIST_JSON_L113: &str = r#"{"user-group": {
"metadata": {
"totalResults": 2,
"currentPage": 1,
"totalPages": 1,
"resultsPerPage": 2
},
"groups": [
{
"id": 5,
"name": "administrators",
"description": "Users with superadmin privileges"
},
{
"id": 9,
"name": "IM-Group"
}
]
}}"#;

/// L171-257: a group's permissions (XML), as data: `(name, value, defaultValue)`. The seed
/// predates `dbauth-only` and `group-music-on-hold` (16 built-ins), and its custom permissions
/// are 3, 4 and 7 of its own server: replayed with the 18 built-ins and the ids Canopy gives.
pub const PERMISSIONS_L171: [(&str, Option<&str>, bool); 19] = [
    ("900Dialing", Some("ENABLE"), false),
    ("AutoAttendant", None, false),
    ("ExchangeUMVoicemailServer", None, false),
    ("FreeswitchVoicemailServer", None, true),
    ("InternationalDialing", None, true),
    ("LocalDialing", None, true),
    ("LongDistanceDialing", Some("DISABLE"), true),
    ("Mobile", None, true),
    ("RecordSystemPrompts", None, false),
    ("TollFree", None, true),
    ("Voicemail", None, true),
    ("music-on-hold", Some("DISABLE"), true),
    ("perm_3", None, false),
    ("perm_4", None, false),
    ("perm_7", None, false),
    ("personal-auto-attendant", None, true),
    ("subscribe-to-presence", Some("DISABLE"), true),
    ("superadmin", None, false),
    ("tui-change-pin", None, true),
];

/// L171-175 and L256-257: the group around them.
pub const PERMISSIONS_GROUP_L171: (i64, &str, &str) = (5, "JusticeLeague", "Superheroes of America");

/// L171-257 verbatim, to check that [`PERMISSIONS_L171`] transcribes it.
pub const PERMISSIONS_XML_L171: &str = "<group>
<id>5</id>
<name>JusticeLeague</name>
<description>Superheroes of America</description>
<permissions>
<setting>
<name>900Dialing</name>
<value>ENABLE</value>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>AutoAttendant</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>ExchangeUMVoicemailServer</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>FreeswitchVoicemailServer</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>InternationalDialing</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>LocalDialing</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>LongDistanceDialing</name>
<value>DISABLE</value>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>Mobile</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>RecordSystemPrompts</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>TollFree</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>Voicemail</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>music-on-hold</name>
<value>DISABLE</value>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>perm_3</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>perm_4</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>perm_7</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>personal-auto-attendant</name>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>subscribe-to-presence</name>
<value>DISABLE</value>
<defaultValue>true</defaultValue>
</setting>
<setting>
<name>superadmin</name>
<defaultValue>false</defaultValue>
</setting>
<setting>
<name>tui-change-pin</name>
<defaultValue>true</defaultValue>
</setting>
</permissions>
</group>";

/// The seed's XML without its line breaks between elements, as the face writes XML.
pub fn compact(xml: &str) -> String {
    xml.lines().map(str::trim).collect()
}
