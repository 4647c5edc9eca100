//! The data model every stage shares: a [`Report`] and its [`Paragraph`]s.
//!
//! Reading stages (`source` -> `clean` -> `layout` -> `metadata`) produce a `Report`;
//! indexing stores it; search and mentions print what was stored.

use serde::{Deserialize, Serialize};

use crate::section::SectionKind;

/// One annual report, as read from one file of the corpus.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Report {
    /// The file's path as given to `index`: relative to the corpus folder, or absolute.
    pub path: String,
    /// The report's title line, when the text has one.
    pub title: Option<String>,
    /// Metadata found in the text, the file name or a manifest.
    pub meta: ReportMeta,
    /// The searchable passages, in reading order (headings included).
    pub paragraphs: Vec<Paragraph>,
}

/// Who published a report, where, and about which year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportMeta {
    /// County-level division (县, 区, 县级市), e.g. `五华县`.
    pub county: Option<String>,
    /// Prefecture-level city; for a municipality, the municipality itself (`重庆市`).
    pub city: Option<String>,
    /// Province-level division, e.g. `广东省`.
    pub province: Option<String>,
    /// The issuing body, e.g. `五华县司法局`.
    pub issuer: Option<String>,
    /// The year the report is about (not the year it was published).
    pub year: Option<u16>,
    /// Publication date, ISO `YYYY-MM-DD`.
    pub published: Option<String>,
}

/// One passage of a report: a paragraph of body text or a heading line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// 1-based ordinal of the passage within its report.
    pub ordinal: u32,
    /// The cleaned text of the passage.
    pub text: String,
    /// The heading path above (and including) this passage, joined by ` > `; empty in the preamble.
    pub section: String,
    /// What kind of section the passage belongs to.
    pub section_kind: SectionKind,
    /// Characters of its line before it: 0, unless the line was cut for length and this
    /// passage continues it (a phrase may then run over the cut).
    pub line_offset: u32,
}
