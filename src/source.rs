//! Turns the bytes of a corpus file into text: encoding detection, HTML to visible text,
//! and refusal of files that are not text.

use std::path::Path;

/// The text of one corpus file, with what the page itself said about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceText {
    /// The decoded text, one line per line of the file (or per block of an HTML page).
    pub text: String,
    /// Metadata the file carried outside its text (HTML `<title>`, meta tags).
    pub hints: PageHints,
}

/// Metadata a page carried outside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHints {
    /// The page's title (`<meta name="ArticleTitle">` or `<title>`).
    pub title: Option<String>,
    /// Publication date as ISO `YYYY-MM-DD` (`<meta name="PubDate">`).
    pub published: Option<String>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Placeholder until the module is written.
    Unreadable(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Unreadable(why) => write!(f, "{why}"),
        }
    }
}

/// Decodes the bytes of the file at `path` (the path only tells the format by its extension).
pub fn decode_source(_path: &Path, bytes: &[u8]) -> Result<SourceText, SkipReason> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(SourceText {
            text: text.trim_start_matches('\u{feff}').to_string(),
            hints: PageHints::default(),
        }),
        Err(_) => Err(SkipReason::Unreadable("not UTF-8".into())),
    }
}
