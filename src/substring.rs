//! Exact substring queries, made possible by the tokenizer's character tokens.
//!
//! [`crate::tokenizer`] puts every character at position = its character index, so a
//! phrase of a string's characters at consecutive positions matches exactly the
//! paragraphs that contain the string: no recall lost to word segmentation, no false hits.

use tantivy::query::{PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

/// A query for the documents whose `field` contains `needle` as a substring.
///
/// Scores by BM25 of the substring's frequency. `needle` must not be empty.
pub fn substring_query(field: Field, needle: &str) -> Box<dyn Query> {
    let mut terms: Vec<Term> = needle
        .chars()
        .map(|ch| Term::from_field_text(field, ch.encode_utf8(&mut [0; 4])))
        .collect();
    assert!(
        !terms.is_empty(),
        "substring_query needs a non-empty needle"
    );
    if terms.len() == 1 {
        let term = terms.remove(0);
        return Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs));
    }
    Box::new(PhraseQuery::new(terms))
}

/// A query for the documents whose `field` contains every character of `chars`, in any
/// order: the candidates of a loose match, to be checked exactly afterwards.
pub fn all_characters_query(field: Field, chars: &str) -> Box<dyn Query> {
    let mut unique: Vec<char> = chars.chars().collect();
    unique.sort_unstable();
    unique.dedup();
    let clauses = unique
        .into_iter()
        .map(|ch| {
            let term = Term::from_field_text(field, ch.encode_utf8(&mut [0; 4]));
            let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
            (tantivy::query::Occur::Must, query)
        })
        .collect();
    Box::new(tantivy::query::BooleanQuery::new(clauses))
}
