//! Reading the index's columns (fast fields) by term number, shared by the stored
//! paragraphs, the counts and the listing of mentions: they name paragraphs' reports and
//! section kinds without reading text.

use tantivy::columnar::StrColumn;

/// The terms numbered `ords` (in increasing order) in `column`, read in one pass over its
/// dictionary: looking them up one by one would decompress a block each.
pub(crate) fn terms(column: &StrColumn, ords: &[u64]) -> tantivy::Result<Vec<String>> {
    let mut found = Vec::with_capacity(ords.len());
    let all = column.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
        found.push(String::from_utf8_lossy(bytes).into_owned())
    })?;
    if !all || found.len() != ords.len() {
        return Err(tantivy::TantivyError::DataCorruption(
            tantivy::error::DataCorruption::comment_only("a fast field names terms it lacks"),
        ));
    }
    Ok(found)
}
