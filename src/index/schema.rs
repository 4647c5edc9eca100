//! The layout of a fazhi index: one document per paragraph, one per report, and the
//! fields both carry.
//!
//! Report documents live in the same index as their paragraphs so that one tantivy
//! commit adds or replaces a report as a whole: a run killed halfway never leaves a
//! report's paragraphs without its record, or the reverse.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED,
};

/// Version of the index layout; an index written with another version must be rebuilt.
pub const INDEX_FORMAT: u32 = 13;

/// Name of the paragraph text field, which the character index indexes by character and
/// the paragraph texts keep.
pub const TEXT_FIELD: &str = "text";
/// Name of the heading path field, which the paragraph texts keep.
pub const SECTION_FIELD: &str = "section";
/// Name of the section kind field, a column that the section filter, the filter counts and
/// `--by section` read.
pub const SECTION_KIND_FIELD: &str = "section_kind";
/// Name of the field that gives, on a paragraph continuing a cut line, the number of
/// characters of the line before it (absent or 0 on the first piece of a line).
pub const LINE_OFFSET_FIELD: &str = "line_offset";

/// Value of [`Fields::doc_kind`] on a report document; paragraph documents have none.
pub const REPORT_DOC: &str = "report";

/// The fields of the schema, by name.
///
/// tantivy's document store holds only report records ([`Fields::report`]): a paragraph's
/// text and heading path are kept by the [`paragraph_text`](crate::index::paragraph_text)
/// plugin, read in place, and its path, section kind, number and length are fast fields
/// (columns, a few bits a paragraph), so that paragraphs are listed, and mentions counted
/// by group, without decompressing the store. Place, issuer and year fields are indexed
/// on report documents only, and are columns too; paragraphs reach them through their
/// path ([`report_tags`](crate::index::report_tags)).
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// [`REPORT_DOC`] on report documents only. Paragraphs, a hundred times as many, are
    /// every document but the reports: a term on each cost tantivy's postings writer a
    /// look-up per paragraph (with the section kind's term, 3-4% of an indexing run).
    pub doc_kind: Field,
    /// The report's path relative to the corpus folder (both kinds; the key for updates;
    /// fast).
    pub path: Field,
    /// County-level division (report documents, exact term, fast).
    pub county: Field,
    /// City (report documents, exact term, fast).
    pub city: Field,
    /// Province (report documents, exact term, fast).
    pub province: Field,
    /// Issuer (report documents, exact term, fast).
    pub issuer: Field,
    /// The year the report is about (report documents, fast numeric).
    pub year: Field,
    /// Report: its [`ReportRecord`](crate::model::ReportRecord) as JSON, stored only.
    pub report: Field,
    /// Heading path of a paragraph: its jieba words in the heading
    /// [`word_index`](crate::index::word_index), for ranking; kept in the paragraph texts.
    pub section: Field,
    /// Section kind of a paragraph, a column only: the section filter, the filter counts
    /// and `--by section` read it. Six values over all paragraphs make postings no faster
    /// to filter with than the column, and they cost a term per paragraph to write.
    pub section_kind: Field,
    /// 1-based ordinal of a paragraph within its report (fast).
    pub paragraph: Field,
    /// Length of a paragraph's text in characters (fast): the text mentions are counted in.
    pub chars: Field,
    /// On a paragraph that continues a line cut for length, the characters of the line
    /// before it; read by the [`crate::char_index`] while indexing, not kept.
    pub line_offset: Field,
    /// Paragraph text: its jieba words in the text [`word_index`](crate::index::word_index),
    /// for ranking, every character in the [`crate::index::char_index`], kept in the
    /// paragraph texts.
    pub text: Field,
}

impl Fields {
    /// Builds the schema and returns it with its fields.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        // An exact term each, without field norms: a tag is one term, never scored by its
        // length, and the norms cost a byte per field per paragraph.
        let tag = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        );
        // Neither indexed nor stored by tantivy: the segment plugins index and keep them.
        let text_options = TextOptions::default();
        let heading_options = TextOptions::default();
        let fields = Fields {
            doc_kind: builder.add_text_field("doc_kind", tag.clone()),
            path: builder.add_text_field("path", tag.clone() | FAST),
            county: builder.add_text_field("county", tag.clone() | FAST),
            city: builder.add_text_field("city", tag.clone() | FAST),
            province: builder.add_text_field("province", tag.clone() | FAST),
            issuer: builder.add_text_field("issuer", tag.clone() | FAST),
            year: builder.add_u64_field("year", INDEXED | FAST),
            report: builder.add_text_field("report", STORED),
            section: builder.add_text_field(SECTION_FIELD, heading_options),
            section_kind: builder.add_text_field(SECTION_KIND_FIELD, TextOptions::default() | FAST),
            paragraph: builder.add_u64_field("paragraph", FAST),
            chars: builder.add_u64_field("chars", FAST),
            line_offset: builder.add_u64_field(LINE_OFFSET_FIELD, NumericOptions::default()),
            text: builder.add_text_field(TEXT_FIELD, text_options),
        };
        (builder.build(), fields)
    }

    /// Finds the fields in an opened index's schema.
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_kind: get("doc_kind")?,
            path: get("path")?,
            county: get("county")?,
            city: get("city")?,
            province: get("province")?,
            issuer: get("issuer")?,
            year: get("year")?,
            report: get("report")?,
            section: get(SECTION_FIELD)?,
            section_kind: get(SECTION_KIND_FIELD)?,
            paragraph: get("paragraph")?,
            chars: get("chars")?,
            line_offset: get(LINE_OFFSET_FIELD)?,
            text: get(TEXT_FIELD)?,
        })
    }
}
