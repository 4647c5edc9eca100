//! fazhi: full-text search for Chinese rule-of-law government reports (法治政府建设年度报告).
//!
//! The library reads in one direction. Indexing: [`corpus`] walks the folder, [`source`]
//! decodes each file, [`clean`] drops web-page boilerplate, [`layout`] splits paragraphs and
//! sections, [`metadata`] finds county, year and issuer (with [`gazetteer`]), [`tokenizer`]
//! segments the text, and [`indexer`] writes the tantivy index laid out by [`schema`].
//! Searching: [`query`] parses what the user typed, [`search`] and [`mentions`] run it,
//! [`highlight`] finds what to mark, and the binary's printers show it.

pub mod app;
pub mod char_index;
pub mod clean;
pub mod corpus;
pub mod error;
pub mod filter;
pub mod fold;
pub mod gazetteer;
pub mod highlight;
pub mod indexer;
pub mod layout;
pub mod manifest;
pub mod mention_counts;
pub mod mentions;
pub mod metadata;
pub mod passage;
pub mod printer;
pub mod query;
pub mod read_ahead;
pub mod reader;
pub mod report;
pub mod schema;
pub mod search;
pub mod section;
pub mod segment;
pub mod source;
pub mod store;
pub mod substring;
pub mod tokenizer;

pub use error::{Error, Result};
pub use report::{Paragraph, Report, ReportMeta};
pub use section::SectionKind;
