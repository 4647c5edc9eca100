//! Reads one decoded source into a [`Report`]: clean -> layout -> metadata.

use crate::report::Report;
use crate::source::SourceText;

/// Reads `source` (the file at corpus path `path`) into a report with its paragraphs and metadata.
pub fn read_report(path: &str, source: &SourceText) -> Report {
    let _ = source;
    todo!("read_report({path})")
}
