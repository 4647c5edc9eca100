//! Ranked search: paragraphs that contain all of the query's words first, then most of
//! them, BM25 within.
//!
//! Each word of a bare term scores a large constant when the paragraph contains it as a
//! substring (in its text or its section heading), so the number of words present decides
//! the order first; BM25 on whole-word tokens then ranks whole words above fragments (调解
//! as a word above 调解 inside 人民调解员), and the words typed together occurring together
//! (the exact adjacency of the query) adds half a word. No unquoted query is ever turned
//! into a phrase, so a query never comes back empty because one word is missing.

use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query as TantivyQuery,
    TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use crate::error::Result;
use crate::index::documents::{load_passage, ReportCache};
use crate::index::schema::Fields;
use crate::index::tokenizers::word_term_text;
use crate::model::Passage;
use crate::query::filters::Filters;
use crate::query::highlight::{
    highlight_ranges, serialize_ranges, snippet, HighlightTarget, Snippet,
};
use crate::query::parse::{Clause, Query};
use crate::query::substring::substring_query;
use crate::query::words::segment_query;

/// Score of one query word being present; larger than any BM25 contribution.
const WORD_PRESENT: f32 = 100.0;
/// A word found only in the section heading counts a little less than in the text.
const WORD_IN_HEADING: f32 = 80.0;
/// The words of a term occurring together, as typed.
const ADJACENT_AS_TYPED: f32 = 50.0;
/// Weight of BM25 on the section heading relative to the text.
const HEADING_BM25_BOOST: f32 = 0.5;
/// Characters of the passage window shown around the matches.
pub const SNIPPET_CHARS: usize = 120;

/// Words so common, or that only ask (如何, 哪些), that requiring or counting them would
/// only add noise to a query that has other words: report paragraphs answer questions
/// without repeating them.
const FUNCTION_WORDS: [&str; 27] = [
    "的",
    "了",
    "和",
    "与",
    "及",
    "在",
    "是",
    "之",
    "等",
    "对",
    "把",
    "被",
    "或",
    "以",
    "如何",
    "哪些",
    "怎样",
    "怎么",
    "什么",
    "是否",
    "为什么",
    "为何",
    "多少",
    "有没有",
    "吗",
    "呢",
    "有",
];

/// One ranked paragraph.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Relevance score (higher first).
    pub score: f32,
    /// The paragraph and its report's tags.
    #[serde(flatten)]
    pub passage: Passage,
    /// A window of the paragraph around the best matches.
    pub snippet: String,
    /// Highlight byte ranges within `snippet`.
    #[serde(serialize_with = "serialize_ranges")]
    pub snippet_highlights: Vec<Range<usize>>,
    /// Highlight byte ranges within `text`: exactly the matched text.
    #[serde(serialize_with = "serialize_ranges")]
    pub highlights: Vec<Range<usize>>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as typed.
    pub query: String,
    /// How many paragraphs match at all.
    pub total: usize,
    /// The best `limit` of them, best first.
    pub hits: Vec<Hit>,
}

/// The words of a bare term that take part in matching and counting.
fn term_words(term: &str, vocabulary: &impl Fn(&str) -> u64) -> Vec<String> {
    let words = segment_query(term, vocabulary);
    let content: Vec<&String> = words
        .iter()
        .filter(|w| !FUNCTION_WORDS.contains(&w.as_str()))
        .collect();
    let chosen = if content.is_empty() {
        words.iter().collect()
    } else {
        content
    };
    let mut unique: Vec<String> = Vec::new();
    for word in chosen {
        if !unique.contains(word) {
            unique.push(word.clone());
        }
    }
    unique
}

/// Runs `query` on the index: the `limit` paragraphs ranked after the best `offset`.
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
    filters: &Filters,
    page: Page,
) -> Result<SearchResults> {
    let tantivy_query = ranked_query(searcher, fields, query, filters)?;
    let targets = highlight_targets(searcher, fields, query);
    let (top, total) = searcher.search(
        &tantivy_query,
        &(
            TopDocs::with_limit(page.limit.max(1))
                .and_offset(page.offset)
                .order_by_score(),
            Count,
        ),
    )?;
    let mut hits = Vec::with_capacity(top.len());
    let mut reports = ReportCache::default();
    for (score, address) in top.into_iter().take(page.limit) {
        let passage = load_passage(searcher, fields, &mut reports, address)?;
        let highlights = highlight_ranges(&passage.text, &targets);
        let Snippet {
            text: snippet_text,
            highlights: snippet_highlights,
        } = snippet(&passage.text, &highlights, SNIPPET_CHARS);
        hits.push(Hit {
            score,
            passage,
            snippet: snippet_text,
            snippet_highlights,
            highlights,
        });
    }
    Ok(SearchResults {
        query: query.raw.clone(),
        total,
        hits,
    })
}

/// Which of the ranked hits a search returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// How many of the best hits to skip.
    pub offset: usize,
    /// How many hits to return after them.
    pub limit: usize,
}

/// How many paragraphs hold `word` as a jieba word: the dictionary queries are cut with.
fn vocabulary<'a>(searcher: &'a Searcher, fields: &'a Fields) -> impl Fn(&str) -> u64 + 'a {
    |word: &str| {
        let term = Term::from_field_text(fields.text, &word_term_text(word));
        searcher.doc_freq(&term).unwrap_or(0)
    }
}

/// What a clause marks in a paragraph: a bare term as typed, or its words where the
/// whole term is absent; a phrase as typed; nothing for an excluded term.
fn clause_target(clause: &Clause, vocabulary: &impl Fn(&str) -> u64) -> Option<HighlightTarget> {
    match clause {
        Clause::Term(term) => Some(HighlightTarget {
            run: term.clone(),
            parts: term_words(term, vocabulary),
        }),
        Clause::Phrase(text) | Clause::Required(text) => Some(HighlightTarget {
            run: text.clone(),
            parts: Vec::new(),
        }),
        Clause::Excluded(_) => None,
    }
}

/// What `query` marks in the paragraphs it finds, as [`highlight_ranges`] takes it.
pub fn highlight_targets(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
) -> Vec<HighlightTarget> {
    let vocabulary = vocabulary(searcher, fields);
    query
        .clauses
        .iter()
        .filter_map(|clause| clause_target(clause, &vocabulary))
        .collect()
}

/// The tantivy query a search runs: `filters`, the required and excluded clauses of
/// `query`, and its ranking clauses.
pub fn ranked_query(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
    filters: &Filters,
) -> Result<BooleanQuery> {
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = filters.clauses(searcher, fields)?;
    let mut ranking: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    let vocabulary = vocabulary(searcher, fields);
    for clause in &query.clauses {
        match clause {
            Clause::Term(term) => {
                let words = term_words(term, &vocabulary);
                for word in &words {
                    ranking.push((Occur::Should, word_present(fields, word)));
                    ranking.push((Occur::Should, whole_word_bm25(fields, word)));
                }
                if words.len() > 1 {
                    let together = substring_query(fields.text, term);
                    ranking.push((
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(together, ADJACENT_AS_TYPED)),
                    ));
                }
            }
            Clause::Phrase(text) | Clause::Required(text) => {
                clauses.push((Occur::Must, substring_query(fields.text, text)));
                if text.chars().count() > 1 && vocabulary(text) > 0 {
                    ranking.push((Occur::Should, whole_word_bm25(fields, text)));
                }
            }
            Clause::Excluded(text) => {
                clauses.push((Occur::MustNot, substring_query(fields.text, text)));
            }
        }
    }
    let has_required = query
        .clauses
        .iter()
        .any(|c| matches!(c, Clause::Phrase(_) | Clause::Required(_)));
    if !ranking.is_empty() {
        // Without a required clause, at least one ranking clause must match; with one,
        // they only order what the required clauses found.
        let occur = if has_required {
            Occur::Should
        } else {
            Occur::Must
        };
        clauses.push((occur, Box::new(BooleanQuery::new(ranking))));
    }
    Ok(BooleanQuery::new(clauses))
}

/// Scores [`WORD_PRESENT`] when the paragraph contains `word` anywhere (as a substring),
/// or [`WORD_IN_HEADING`] when only its section heading does (as a word).
fn word_present(fields: &Fields, word: &str) -> Box<dyn TantivyQuery> {
    let in_text: Box<dyn TantivyQuery> = Box::new(ConstScoreQuery::new(
        substring_query(fields.text, word),
        WORD_PRESENT,
    ));
    let heading_word = TermQuery::new(
        Term::from_field_text(fields.section, &word_term_text(word)),
        IndexRecordOption::Basic,
    );
    let in_heading: Box<dyn TantivyQuery> = Box::new(ConstScoreQuery::new(
        Box::new(heading_word),
        WORD_IN_HEADING,
    ));
    Box::new(DisjunctionMaxQuery::new(vec![in_text, in_heading]))
}

/// BM25 of `word` as a whole token in the text, and a little in the heading.
fn whole_word_bm25(fields: &Fields, word: &str) -> Box<dyn TantivyQuery> {
    let term_text = word_term_text(word);
    let text_term = TermQuery::new(
        Term::from_field_text(fields.text, &term_text),
        IndexRecordOption::WithFreqs,
    );
    let heading_term = TermQuery::new(
        Term::from_field_text(fields.section, &term_text),
        IndexRecordOption::WithFreqs,
    );
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, Box::new(text_term) as Box<dyn TantivyQuery>),
        (
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(heading_term), HEADING_BM25_BOOST)),
        ),
    ]))
}
