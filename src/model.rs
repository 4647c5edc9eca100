//! The data model every stage shares.
//!
//! Reading produces a [`Report`] with its [`Paragraph`]s; indexing stores it and keeps a
//! [`ReportRecord`] of it; search and mentions return stored paragraphs as [`Passage`]s.

use serde::{Deserialize, Serialize};

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
    /// What the user should know about how the report was read; `index` prints them.
    #[serde(skip)]
    pub warnings: Vec<ReadWarning>,
}

/// Something doubtful about how a report was read, worth a line in `index`'s summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadWarning {
    /// Bytes invalid in the file's encoding, each malformed sequence read as U+FFFD.
    InvalidBytes {
        /// How many bytes.
        count: usize,
        /// The encoding the file was read in.
        encoding: &'static str,
    },
    /// The place was guessed from weak or conflicting evidence; says which and why.
    UncertainPlace(String),
}

impl std::fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadWarning::InvalidBytes { count, encoding } => write!(
                f,
                "{count} byte{} invalid in {encoding}, read as \u{FFFD}; the file is damaged or mixes encodings",
                if *count == 1 { "" } else { "s" }
            ),
            ReadWarning::UncertainPlace(why) => {
                write!(f, "{why}; if it is wrong, set the place in fazhi.toml or fazhi.csv")
            }
        }
    }
}

/// Where a report's place came from, strongest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceSource {
    /// The user's `fazhi.toml` or `fazhi.csv`.
    Manifest,
    /// The report's title line or its page's title.
    Title,
    /// The issuer signing the report.
    Issuer,
    /// The file name.
    FileName,
    /// The body text (the weakest evidence).
    Body,
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
    /// Where the place (county, city, province) came from; `None` when there is none.
    #[serde(default)]
    pub place_source: Option<PlaceSource>,
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

/// The part of a rule-of-law report a passage belongs to, as named by its headings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// Before the first heading.
    Preamble,
    /// 党政主要负责人履行推进法治建设第一责任人职责.
    Duties,
    /// 主要举措和成效, 工作亮点.
    Achievements,
    /// 存在的问题和不足, 困难.
    Problems,
    /// 下一步工作计划, 思路, 安排.
    Plans,
    /// Any other section (e.g. 其他需要报告的情况).
    Other,
}

impl SectionKind {
    /// Every kind, in the order a report usually has them.
    pub const ALL: [SectionKind; 6] = [
        SectionKind::Preamble,
        SectionKind::Duties,
        SectionKind::Achievements,
        SectionKind::Problems,
        SectionKind::Plans,
        SectionKind::Other,
    ];

    /// The name used on the command line, in JSON and in the index.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Preamble => "preamble",
            SectionKind::Duties => "duties",
            SectionKind::Achievements => "achievements",
            SectionKind::Problems => "problems",
            SectionKind::Plans => "plans",
            SectionKind::Other => "other",
        }
    }

    /// Parses a name as printed by [`SectionKind::as_str`].
    pub fn from_name(name: &str) -> Option<SectionKind> {
        SectionKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for SectionKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One stored paragraph and the tags of its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// The report's path, relative to the corpus folder.
    pub path: String,
    /// The report's title.
    pub title: Option<String>,
    /// The report's place, issuer, year and publication date.
    #[serde(flatten)]
    pub meta: ReportMeta,
    /// Heading path.
    pub section: String,
    /// Section kind name.
    pub section_kind: String,
    /// 1-based ordinal within the report.
    pub paragraph: u32,
    /// The whole paragraph.
    pub text: String,
}

impl Passage {
    /// Paragraph number `paragraph` of the report at `path`, with its `report`'s title and
    /// tags when the index has its record.
    pub fn in_report(
        path: String,
        report: Option<&ReportRecord>,
        section: &str,
        section_kind: &str,
        paragraph: u32,
        text: &str,
    ) -> Passage {
        Passage {
            title: report.and_then(|r| r.title.clone()),
            meta: report.map(|r| r.meta.clone()).unwrap_or_default(),
            path,
            section: section.to_string(),
            section_kind: section_kind.to_string(),
            paragraph,
            text: text.to_string(),
        }
    }
}

/// What the index holds about one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRecord {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Title line, when the report has one.
    pub title: Option<String>,
    /// Place, issuer, year and publication date.
    #[serde(flatten)]
    pub meta: ReportMeta,
    /// Number of indexed paragraphs.
    pub paragraphs: usize,
    /// Hash of the file's bytes when indexed, to skip unchanged files.
    #[serde(skip_serializing, default)]
    pub file_hash: String,
    /// Hash of the report's paragraphs, to recognise duplicates.
    #[serde(skip_serializing, default)]
    pub text_hash: String,
}

/// The years a report can be about: a year outside them is a misreading (a number, a
/// typing error), not a report year.
pub const REPORT_YEARS: std::ops::RangeInclusive<u16> = 1949..=2100;
