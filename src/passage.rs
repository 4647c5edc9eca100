//! A paragraph as stored in the index, with its report's tags: what search and mentions
//! return.

use serde::Serialize;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::error::Result;
use crate::schema::Fields;
use crate::store::{ReportCache, ReportRecord};

/// One stored paragraph and the tags of its report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// The report's path, relative to the corpus folder.
    pub path: String,
    /// The report's title.
    pub title: Option<String>,
    /// County-level division.
    pub county: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Province.
    pub province: Option<String>,
    /// Issuing body.
    pub issuer: Option<String>,
    /// Year the report is about.
    pub year: Option<u16>,
    /// Publication date, ISO.
    pub published: Option<String>,
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
    /// Loads the stored paragraph at `address`, with its report's tags from `reports`.
    pub fn load(
        searcher: &Searcher,
        fields: &Fields,
        reports: &mut ReportCache,
        address: DocAddress,
    ) -> Result<Passage> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field: Field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field: Field| doc.get_first(field).and_then(|v| v.as_u64());
        let path = text(fields.path).unwrap_or_default();
        let report = reports.get(searcher, fields, &path)?;
        let tag = |get: fn(&ReportRecord) -> &Option<String>| {
            report.as_deref().and_then(|r| get(r).clone())
        };
        Ok(Passage {
            title: tag(|r| &r.title),
            county: tag(|r| &r.county),
            city: tag(|r| &r.city),
            province: tag(|r| &r.province),
            issuer: tag(|r| &r.issuer),
            year: report.as_deref().and_then(|r| r.year),
            published: tag(|r| &r.published),
            path,
            section: text(fields.section).unwrap_or_default(),
            section_kind: text(fields.section_kind).unwrap_or_default(),
            paragraph: number(fields.paragraph)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0),
            text: text(fields.text).unwrap_or_default(),
        })
    }
}
