//! The one rule for text that identifies something uniquely (node and voice routing names,
//! tenant ids, e-mail addresses): trimmed, in Unicode NFC, and free of characters that render as
//! nothing or turn the text around, so that two identifiers a person cannot tell apart are one
//! identifier ("Acme" and "Acme\u{200b}", "é" composed and "e" + U+0301).
//!
//! Uniqueness compares [`key`]s: the lowercase of the normalised text. Values stored before this
//! rule keep working: they are read back as they are (`from_stored` constructors) and found by
//! [`lookup_keys`], which normalises what a client names without refusing it.

use crate::error::DomainError;
use unicode_normalization::UnicodeNormalization;

/// Unicode's Default_Ignorable_Code_Point (DerivedCoreProperties.txt, Unicode 16.0): characters
/// a renderer shows as nothing (U+200B ZERO WIDTH SPACE, U+00AD SOFT HYPHEN, variation
/// selectors, tags...). It contains every Bidi_Control character (PropList.txt: U+061C,
/// U+200E..U+200F, U+202A..U+202E, U+2066..U+2069), which reorder what follows them
/// ("invoice\u{202e}gpj.exe" shows as "invoiceexe.jpg"). Checked against the `regex` crate's
/// Unicode tables by a test.
const INVISIBLE: &[(char, char)] = &[
    ('\u{00ad}', '\u{00ad}'),
    ('\u{034f}', '\u{034f}'),
    ('\u{061c}', '\u{061c}'),
    ('\u{115f}', '\u{1160}'),
    ('\u{17b4}', '\u{17b5}'),
    ('\u{180b}', '\u{180f}'),
    ('\u{200b}', '\u{200f}'),
    ('\u{202a}', '\u{202e}'),
    ('\u{2060}', '\u{206f}'),
    ('\u{3164}', '\u{3164}'),
    ('\u{fe00}', '\u{fe0f}'),
    ('\u{feff}', '\u{feff}'),
    ('\u{ffa0}', '\u{ffa0}'),
    ('\u{fff0}', '\u{fff8}'),
    ('\u{1bca0}', '\u{1bca3}'),
    ('\u{1d173}', '\u{1d17a}'),
    ('\u{e0000}', '\u{e0fff}'),
];

/// Whether `c` is default-ignorable (rendered as nothing) or a bidirectional control.
pub fn is_invisible(c: char) -> bool {
    INVISIBLE.iter().any(|(from, to)| (*from..=*to).contains(&c))
}

/// `raw` trimmed and in NFC; refused, naming `field`, when it holds an invisible or
/// bidirectional-control character.
pub fn identifier(field: &'static str, raw: &str) -> Result<String, DomainError> {
    let normalised: String = raw.trim().nfc().collect();
    match normalised.chars().find(|c| is_invisible(*c)) {
        Some(c) => Err(DomainError::invalid(
            field,
            format!("must not contain invisible or direction-changing characters (U+{:04X})", u32::from(c)),
        )),
        None => Ok(normalised),
    }
}

/// What uniqueness compares: the lowercase of a normalised identifier.
pub fn key(normalised: &str) -> String {
    normalised.to_lowercase()
}

/// A text and its [`key`] in one allocation (the key follows the text, or is the text itself when
/// they are equal): names and ids are held by every node, so two `String`s each cost memory
/// that a million nodes feel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Keyed {
    /// The text, then its key unless the key is the text itself.
    both: Box<str>,
    /// Where the text ends.
    split: u32,
}

impl Keyed {
    /// `text` with its key (the lowercase of `text`, [`key`]).
    pub fn new(text: &str) -> Self {
        let key = key(text);
        let split = u32::try_from(text.len()).expect("identifiers are far shorter than 4 GiB");
        let both = if key == text { text.into() } else { format!("{text}{key}").into_boxed_str() };
        Self { both, split }
    }

    pub fn text(&self) -> &str {
        &self.both[..self.split as usize]
    }

    pub fn key(&self) -> &str {
        if self.both.len() == self.split as usize { &self.both } else { &self.both[self.split as usize..] }
    }
}

/// A search text compared with [`key`]s: trimmed, NFC, lowercase.
pub fn search_key(raw: &str) -> String {
    key(&raw.trim().nfc().collect::<String>())
}

/// The keys under which a value a client names (a `{username}`, a login) may be stored: the key
/// of its normalised form, then, when it differs, the key it had before normalisation existed.
/// Nothing is refused here: looking up cannot create anything, and a stored value that the
/// rule would now refuse must still be found, renamed and deleted.
pub fn lookup_keys(raw: &str) -> Vec<String> {
    let trimmed = raw.trim();
    let mut keys = vec![search_key(trimmed)];
    let legacy = trimmed.to_lowercase();
    if !keys.contains(&legacy) {
        keys.push(legacy);
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_trimmed_and_composed() {
        assert_eq!(identifier("name", "  Acme\u{301} ").unwrap(), "Acm\u{e9}");
        assert_eq!(identifier("name", "Acm\u{e9}").unwrap(), identifier("name", "Acme\u{301}").unwrap());
        assert_eq!(key(&identifier("name", "ACME\u{301}").unwrap()), "acm\u{e9}");
    }

    #[test]
    fn invisible_and_direction_changing_characters_are_refused_naming_the_field() {
        for raw in
            ["\u{200b}", "Acme\u{200b}", "invoice\u{202e}gpj.exe", "a\u{ad}b", "x\u{feff}", "\u{2066}x", "a\u{e0041}"]
        {
            let err = identifier("name", raw).unwrap_err();
            assert_eq!(err.field(), Some("name"), "{raw:?}");
        }
        assert!(identifier("name", "Zoë & Søren — 東京").is_ok(), "visible text of any script is fine");
    }

    #[test]
    fn the_list_is_unicodes_default_ignorable_code_points_and_bidi_controls() {
        let ignorable = regex::Regex::new(r"^[\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]$").unwrap();
        for c in (0..=u32::from(char::MAX)).filter_map(char::from_u32) {
            let mut buf = [0; 4];
            assert_eq!(is_invisible(c), ignorable.is_match(c.encode_utf8(&mut buf)), "U+{:04X}", u32::from(c));
        }
    }

    #[test]
    fn a_keyed_text_gives_back_its_text_and_its_key() {
        for text in ["Acme Ä", "acme", "", "ÉCOLE"] {
            let keyed = Keyed::new(text);
            assert_eq!((keyed.text(), keyed.key()), (text, key(text).as_str()));
        }
    }

    #[test]
    fn lookups_find_normalised_and_legacy_keys_and_refuse_nothing() {
        assert_eq!(lookup_keys(" A@x.be "), ["a@x.be"]);
        assert_eq!(lookup_keys("e\u{301}@x.be"), ["\u{e9}@x.be", "e\u{301}@x.be"]);
        assert_eq!(lookup_keys("a\u{200b}@x.be"), ["a\u{200b}@x.be"]);
    }
}
