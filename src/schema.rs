//! The layout of a fazhi index: one document per paragraph, one per report, and the
//! fields both carry.
//!
//! Report documents live in the same index as their paragraphs so that one tantivy
//! commit adds or replaces a report as a whole: a run killed halfway never leaves a
//! report's paragraphs without its record, or the reverse.

use std::path::Path;

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::Index;

use crate::tokenizer::{FazhiTokenizer, TOKENIZER_NAME};

/// Version of the index layout; an index written with another version must be rebuilt.
pub const INDEX_FORMAT: u32 = 1;

/// Value of [`Fields::doc_kind`] for a paragraph document.
pub const PARAGRAPH_DOC: &str = "paragraph";
/// Value of [`Fields::doc_kind`] for a report document.
pub const REPORT_DOC: &str = "report";

/// The fields of the schema, by name.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// [`PARAGRAPH_DOC`] or [`REPORT_DOC`].
    pub doc_kind: Field,
    /// The report's path as given to `index` (both kinds; the key for updates).
    pub path: Field,
    /// Report title (both kinds, stored only).
    pub title: Field,
    /// County-level division (both kinds, exact term).
    pub county: Field,
    /// City (both kinds, exact term).
    pub city: Field,
    /// Province (both kinds, exact term).
    pub province: Field,
    /// Issuer (both kinds, exact term).
    pub issuer: Field,
    /// The year the report is about (both kinds, fast numeric for ranges).
    pub year: Field,
    /// Publication date, ISO (both kinds, stored only).
    pub published: Field,
    /// Heading path of a paragraph, tokenized for ranking.
    pub section: Field,
    /// Section kind of a paragraph, exact term.
    pub section_kind: Field,
    /// 1-based ordinal of a paragraph within its report.
    pub paragraph: Field,
    /// Paragraph text, tokenized by characters and words with positions, stored.
    pub text: Field,
    /// Report: blake3 hash of the file's bytes, to skip unchanged files when re-indexing.
    pub file_hash: Field,
    /// Report: blake3 hash of the report's paragraphs, to recognise duplicate reports.
    pub text_hash: Field,
    /// Report: number of paragraphs.
    pub paragraphs: Field,
    /// Report: size of the file in bytes.
    pub bytes: Field,
}

impl Fields {
    /// Builds the schema and returns it with its fields.
    pub fn build() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let text_options = TextOptions::default()
            .set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TOKENIZER_NAME)
                    .set_index_option(IndexRecordOption::WithFreqsAndPositions),
            )
            .set_stored();
        let fields = Fields {
            doc_kind: builder.add_text_field("doc_kind", STRING),
            path: builder.add_text_field("path", STRING | STORED),
            title: builder.add_text_field("title", STORED),
            county: builder.add_text_field("county", STRING | STORED),
            city: builder.add_text_field("city", STRING | STORED),
            province: builder.add_text_field("province", STRING | STORED),
            issuer: builder.add_text_field("issuer", STRING | STORED),
            year: builder.add_u64_field("year", INDEXED | FAST | STORED),
            published: builder.add_text_field("published", STORED),
            section: builder.add_text_field("section", text_options.clone()),
            section_kind: builder.add_text_field("section_kind", STRING | STORED),
            paragraph: builder.add_u64_field("paragraph", STORED),
            text: builder.add_text_field("text", text_options),
            file_hash: builder.add_text_field("file_hash", STORED),
            text_hash: builder.add_text_field("text_hash", STRING | STORED),
            paragraphs: builder.add_u64_field("paragraphs", STORED),
            bytes: builder.add_u64_field("bytes", STORED),
        };
        (builder.build(), fields)
    }

    /// Finds the fields in an opened index's schema.
    pub fn of(schema: &Schema) -> tantivy::Result<Fields> {
        let get = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_kind: get("doc_kind")?,
            path: get("path")?,
            title: get("title")?,
            county: get("county")?,
            city: get("city")?,
            province: get("province")?,
            issuer: get("issuer")?,
            year: get("year")?,
            published: get("published")?,
            section: get("section")?,
            section_kind: get("section_kind")?,
            paragraph: get("paragraph")?,
            text: get("text")?,
            file_hash: get("file_hash")?,
            text_hash: get("text_hash")?,
            paragraphs: get("paragraphs")?,
            bytes: get("bytes")?,
        })
    }
}

/// Registers fazhi's tokenizer with an index, as every opened or created index needs.
pub fn register_tokenizer(index: &Index) {
    index
        .tokenizers()
        .register(TOKENIZER_NAME, FazhiTokenizer::default());
}

/// True when `dir` holds a tantivy index (finished at least once).
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}
