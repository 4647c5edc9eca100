//! Queries of jieba's words, answered from the word indexes: what tantivy's `TermQuery`
//! gives for a term of its own postings, BM25 included, for the words
//! [`crate::index::word_index`] keeps beside them.

use std::sync::Arc;

use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, Score, SegmentReader};

use crate::index::tokenizers::word_term_text;
use crate::index::word_index::{SegmentWords, WordField};
use crate::query::substring::{bm25_of, explain_match, MatchScorer};

/// A query for the paragraphs holding `word` as one of jieba's words of `words`, scored by
/// BM25 of its count there.
pub fn word_query(words: WordField, word: &str) -> Box<dyn Query> {
    Box::new(WordQuery {
        words,
        word: word_term_text(word),
    })
}

/// See [`word_query`].
#[derive(Clone, Debug)]
struct WordQuery {
    words: WordField,
    /// The word as it is indexed.
    word: String,
}

impl Query for WordQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let bm25 = match scoring {
            EnableScoring::Enabled { searcher, .. } => {
                let mut holding = 0;
                for reader in searcher.segment_readers() {
                    let words = SegmentWords::open(reader, self.words)?;
                    holding += u64::from(words.document_frequency(&self.word));
                }
                Some(bm25_of(searcher, self.words, holding)?)
            }
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(WordWeight {
            query: self.clone(),
            bm25,
        }))
    }
}

/// A [`WordQuery`] prepared for one searcher.
struct WordWeight {
    query: WordQuery,
    /// `None` when scoring is disabled.
    bm25: Option<Bm25Weight>,
}

impl Weight for WordWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let words = SegmentWords::open(reader, self.query.words)?;
        MatchScorer::boxed(
            Arc::new(words.postings(&self.query.word)),
            reader,
            self.query.words,
            self.bm25.as_ref(),
            boost,
        )
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_match(self, reader, doc, "word index match", || {
            format!("does not hold the word {:?}", self.query.word)
        })
    }
}
