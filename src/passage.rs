//! A paragraph as stored in the index, with its report's tags: what search and mentions
//! return.

use serde::Serialize;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

use crate::error::Result;
use crate::report::ReportMeta;
use crate::schema::Fields;
use crate::store::ReportCache;

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
        Ok(Passage {
            title: report.as_ref().and_then(|r| r.title.clone()),
            meta: report.map(|r| r.meta.clone()).unwrap_or_default(),
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
