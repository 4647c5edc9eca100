//! Ranked search: paragraphs that contain all of the query's words first, then those with
//! the rarest of them, BM25 within.
//!
//! A bare term is cut into words (`words`); a character the cut leaves alone counts only
//! with its neighbour from the query (合作 + 区 -> 合作区), and a run of ASCII letters or
//! digits only as a whole run (`021` is not in `2021`). Paragraphs holding every word get a
//! tier of their own; within and below it each word present scores a constant weighted by
//! its rarity (IDF), found in the text as typed, as the parts of another cut (化解 + 矛盾
//! for 化解矛盾), or in the section heading; BM25 on whole-word tokens then ranks whole
//! words above fragments (调解 as a word above 调解 inside 人民调解员), and the words typed
//! together occurring together adds half a word. No unquoted query is ever turned into a
//! phrase, so a query never comes back empty because one word is missing.
//!
//! A pasted passage ranks the paragraphs that hold its sentences verbatim first (its
//! source), then those sharing most of its words. A bare heading ranks below the
//! paragraphs under it, which say what was done.
//!
//! Words the best paragraphs of a first ranking discuss the query with ([`expansion`])
//! then reorder what the query's words found, each scoring less than any of those words.
//!
//! [`expansion`]: crate::query::expansion

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;
use tantivy::collector::{Collector, Count, DocSetCollector, SegmentCollector, TopDocs};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, Occur, Query as TantivyQuery,
};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::Result;
use crate::index::char_index::SegmentChars;
use crate::index::documents::{ParagraphStore, ReportCache};
use crate::index::schema::Fields;
use crate::index::tokenizers::word_term;
use crate::index::word_index::{SegmentWords, WordField};
use crate::model::Passage;
use crate::query::expansion::{related_words, FEEDBACK_PARAGRAPHS, RELATED_WORDS};
use crate::query::filters::Filters;
use crate::query::fold::query_form;
use crate::query::highlight::{
    ranges_of, serialize_ranges, snippet, weighted_highlights, HighlightPart, HighlightTarget,
    Snippet,
};
use crate::query::parse::{Clause, Query};
use crate::query::substring::{folded_substring_query, full_width_run_query};
use crate::query::word_query::word_query;
use crate::query::words::{alternative_cut, segment_query, segment_spans};

/// Score of the rarest query word being present; larger than any BM25 contribution.
/// Commoner words score less, in proportion to their IDF.
const WORD_PRESENT: f32 = 100.0;
/// A word found only as the parts of another cut, or only in the section heading, counts
/// this share of being found as typed.
const WORD_ELSEWHERE: f32 = 0.8;
/// Share of [`WORD_PRESENT`] a word keeps however common it is.
const COMMON_WORD_FLOOR: f32 = 0.2;
/// Score of a paragraph that holds a sentence of a pasted passage verbatim, per sentence:
/// above anything the passage's words add up to.
const PASSAGE_SENTENCE: f32 = 10_000.0;
/// Pieces of a pasted passage shorter than this (in characters) are not looked for whole.
const PASSAGE_SENTENCE_CHARS: usize = 8;
/// At most this many pieces and words of a pasted passage are searched, the rarest first.
const PASSAGE_PIECES: usize = 24;
const PASSAGE_WORDS: usize = 64;
/// Taken off the score of a bare heading, so that the paragraphs under it come first.
const BARE_HEADING: f32 = WORD_PRESENT;
/// A word's other cut is searched when its rarest piece is in this many times more
/// paragraphs than the word itself.
const PIECES_APART: u64 = 3;
/// Hits ranked beyond the limit, so that headings set back can be replaced.
const RERANK_EXTRA: usize = 20;
/// The words of a term occurring together, as typed.
const ADJACENT_AS_TYPED: f32 = 50.0;
/// What all the related words of a query ([`related_words`]) score together at most: half
/// what the commonest of the query's own words scores, so that they only reorder
/// paragraphs that hold the same of the query's words.
const RELATED_TOGETHER: f32 = WORD_PRESENT * COMMON_WORD_FLOOR / 2.0;
/// How many of the best hits of the first ranking related words reorder.
const RELATED_RERANKED: usize = 200;
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
    /// Whether the query was taken as a pasted passage.
    pub passage: bool,
    /// How many paragraphs hold all of the query's words (for a passage: hold one of its
    /// sentences verbatim).
    pub total: usize,
    /// How many more paragraphs hold only some of them; they rank after the `total`.
    pub partial: usize,
    /// The best `limit` of them, best first.
    pub hits: Vec<Hit>,
}

/// One word of a bare term, as it is looked for.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    /// Ways it occurs as typed, any one will do: the word itself, or for a character the
    /// cut left alone, the character with its neighbour on either side from the query.
    texts: Vec<String>,
    /// Index words that stand for it where it does not occur whole.
    pieces: Vec<String>,
    /// Index words whose BM25 ranks the paragraphs holding it.
    ranked_words: Vec<String>,
    /// Share of [`WORD_PRESENT`] it scores, by rarity.
    weight: f32,
}

impl Unit {
    /// A run of ASCII letters and digits of two or more: jieba indexes such runs whole, so
    /// its word term finds exactly the paragraphs where it stands as a whole run.
    fn is_whole_run(text: &str) -> bool {
        text.len() > 1 && text.chars().all(|c| c.is_ascii_alphanumeric())
    }

    fn highlight(&self) -> HighlightPart {
        HighlightPart {
            texts: self.texts.clone(),
            pieces: self.pieces.clone(),
            weight: self.weight,
        }
    }
}

/// How rare a word is: BM25's IDF of a word held by `df` of `docs` paragraphs.
fn idf(df: u64, docs: u64) -> f32 {
    let (df, docs) = (df as f32, docs.max(1) as f32);
    (1.0 + (docs - df + 0.5) / (df + 0.5)).ln()
}

/// The words of a bare term that take part in matching and counting.
///
/// Function words count only when `function_words` (the query has nothing else); they are
/// also taken off the ends of a run of characters no index word covers (是双 -> 双). A
/// character the cut leaves
/// alone counts only next to a neighbour from the query (前海合作区: 区 as 合作区; 1+3+N:
/// 1 as 1+3), as alone it would match almost any paragraph.
fn term_units(
    term: &str,
    vocabulary: &impl Fn(&str) -> u64,
    docs: u64,
    function_words: bool,
) -> Vec<Unit> {
    let is_function = |text: &str| FUNCTION_WORDS.contains(&text);
    let spans: Vec<Range<usize>> = segment_spans(term, vocabulary)
        .into_iter()
        .map(|mut span| {
            if vocabulary(&term[span.clone()]) == 0 && !function_words {
                while let Some(first) = term[span.clone()].chars().next() {
                    let width = first.len_utf8();
                    if span.len() <= width || !is_function(&term[span.start..span.start + width]) {
                        break;
                    }
                    span.start += width;
                }
                while let Some(last) = term[span.clone()].chars().next_back() {
                    let width = last.len_utf8();
                    if span.len() <= width || !is_function(&term[span.end - width..span.end]) {
                        break;
                    }
                    span.end -= width;
                }
            }
            span
        })
        .filter(|span| function_words || !is_function(&term[span.clone()]))
        .collect();
    let mut units: Vec<Unit> = Vec::new();
    for (i, span) in spans.iter().enumerate() {
        let text = &term[span.clone()];
        let lone = text.chars().count() == 1 && spans.len() > 1;
        let df = vocabulary(text);
        let texts: Vec<String> = if lone {
            let before = i.checked_sub(1).map(|p| &term[spans[p].start..span.end]);
            let after = spans.get(i + 1).map(|n| &term[span.start..n.end]);
            before
                .into_iter()
                .chain(after)
                .map(str::to_string)
                .collect()
        } else {
            vec![text.to_string()]
        };
        if units.iter().any(|u| u.texts == texts) {
            continue;
        }
        let cut = if lone {
            Vec::new()
        } else {
            alternative_cut(text, vocabulary).unwrap_or_default()
        };
        // The other cut is worth looking for where the pieces often stand apart from the
        // word: 矛盾 is in many paragraphs without 化解矛盾, while 复议 is nearly always in
        // 行政复议, whose pieces would only cost time. Their BM25 orders the hits either way.
        let apart = cut
            .iter()
            .map(|p| vocabulary(p))
            .min()
            .is_some_and(|rarest| rarest > df.saturating_mul(PIECES_APART));
        let pieces = if apart { cut.clone() } else { Vec::new() };
        let mut ranked_words: Vec<String> = if df > 0 || Unit::is_whole_run(text) {
            vec![text.to_string()]
        } else {
            texts
                .iter()
                .flat_map(|t| segment_query(t, vocabulary))
                .filter(|w| w.chars().count() > 1 && vocabulary(w) > 0)
                .collect()
        };
        ranked_words.extend(cut);
        ranked_words.dedup();
        units.push(Unit {
            // A lone character says little: it weighs as the commonest word.
            weight: if lone { 0.0 } else { idf(df, docs) },
            texts,
            pieces,
            ranked_words,
        });
    }
    units
}

/// Scales the units' IDFs so that the rarest of the query scores [`WORD_PRESENT`].
fn weigh(units: &mut [Unit]) {
    let rarest = units
        .iter()
        .map(|u| u.weight)
        .fold(f32::MIN_POSITIVE, f32::max);
    for unit in units {
        unit.weight = COMMON_WORD_FLOOR + (1.0 - COMMON_WORD_FLOOR) * unit.weight / rarest;
    }
}

/// What a pasted passage is searched by.
struct PassageParts {
    /// Its pieces between punctuation, long enough to be looked for verbatim.
    sentences: Vec<String>,
    /// Its content words, rarest first.
    words: Vec<String>,
}

fn passage_parts(text: &str, vocabulary: &impl Fn(&str) -> u64, docs: u64) -> PassageParts {
    let mut sentences: Vec<String> = Vec::new();
    for piece in text.split(crate::chars::is_punctuation_or_space) {
        if piece.chars().count() >= PASSAGE_SENTENCE_CHARS && !sentences.iter().any(|s| s == piece)
        {
            sentences.push(piece.to_string());
        }
    }
    sentences.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
    sentences.truncate(PASSAGE_PIECES);
    let mut words: Vec<(f32, String)> = Vec::new();
    for word in segment_query(text, vocabulary) {
        let df = vocabulary(&word);
        if word.chars().count() > 1
            && df > 0
            && !FUNCTION_WORDS.contains(&word.as_str())
            && !words.iter().any(|(_, w)| *w == word)
        {
            words.push((idf(df, docs), word));
        }
    }
    words.sort_by(|a, b| b.0.total_cmp(&a.0));
    words.truncate(PASSAGE_WORDS);
    PassageParts {
        sentences,
        words: words.into_iter().map(|(_, w)| w).collect(),
    }
}

/// What a search runs and marks, before it runs.
struct Plan {
    /// The tantivy query: filters, required and excluded clauses, ranking clauses.
    query: BooleanQuery,
    /// What to mark in a hit.
    targets: Vec<HighlightTarget>,
    /// What to mark in a hit where none of `targets` occurs (a passage's words).
    fallback_targets: Vec<HighlightTarget>,
    /// The score from which a hit holds all the words (or a passage's sentence), if any.
    threshold: Option<f32>,
    /// Whether the query was read as a pasted passage.
    passage: bool,
    /// The bare terms, as looked for: what related words are found for.
    literal: Vec<String>,
    /// Their index words, whose BM25 ranks the paragraphs holding them whole.
    literal_words: Vec<String>,
}

/// The words of the index's text, with how many paragraphs hold each: the query's
/// dictionary. Each segment's word index is opened once, as a search looks up
/// thousands of candidate words.
struct Vocabulary {
    segments: Vec<SegmentWords>,
}

impl Vocabulary {
    fn of(searcher: &Searcher) -> Result<Vocabulary> {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|reader| SegmentWords::open(reader, WordField::Text))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Vocabulary { segments })
    }

    /// How many paragraphs hold `word` as a jieba word (0 when none does).
    fn document_frequency(&self, word: &str) -> u64 {
        let key = word_term(word);
        self.segments
            .iter()
            .map(|segment| u64::from(segment.document_frequency(&key)))
            .sum()
    }
}

/// Plans the search of `query` among the paragraphs that pass `filters`.
fn plan(searcher: &Searcher, fields: &Fields, query: &Query, filters: &Filters) -> Result<Plan> {
    let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = filters.clauses(searcher, fields)?;
    let mut ranking: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    let mut scoring: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    let mut targets = Vec::new();
    // Highlights for a passage's words, used where none of its sentences occurs.
    let mut fallback_targets = Vec::new();
    let docs = searcher.num_docs();
    let words = Vocabulary::of(searcher)?;
    let vocabulary = |word: &str| words.document_frequency(word);
    // Every clause in the written forms the index holds most; its substrings are then
    // found in any form, and its words are the index's words.
    let segments = searcher
        .segment_readers()
        .iter()
        .map(SegmentChars::open)
        .collect::<tantivy::Result<Vec<SegmentChars>>>()?;
    let occurrences = |ch: char| -> u64 {
        segments
            .iter()
            .filter_map(|chars| chars.list(ch))
            .map(|list| u64::from(list.len()))
            .sum()
    };
    let clauses_folded: Vec<Clause> = query
        .clauses
        .iter()
        .map(|clause| clause.with_text(query_form(clause.text(), occurrences)))
        .collect();
    // The bare terms' words, by term; all of them present puts a paragraph in the top tier.
    let mut terms: Vec<(&str, Vec<Unit>)> = Vec::new();
    let mut passage = false;
    for clause in &clauses_folded {
        match clause {
            Clause::Term(term) => terms.push((term, term_units(term, &vocabulary, docs, false))),
            Clause::Phrase(text) | Clause::Required(text) => {
                clauses.push((Occur::Must, folded_substring_query(text)));
                if text.chars().count() > 1 && vocabulary(text) > 0 {
                    ranking.push((Occur::Should, whole_word_bm25(text)));
                }
                targets.push(HighlightTarget {
                    run: text.clone(),
                    parts: Vec::new(),
                });
            }
            Clause::Excluded(text) => {
                clauses.push((Occur::MustNot, folded_substring_query(text)));
            }
            Clause::Passage(text) => {
                passage = true;
                let parts = passage_parts(text, &vocabulary, docs);
                for sentence in &parts.sentences {
                    ranking.push((
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(
                            folded_substring_query(sentence),
                            PASSAGE_SENTENCE,
                        )),
                    ));
                    targets.push(HighlightTarget {
                        run: sentence.clone(),
                        parts: Vec::new(),
                    });
                }
                for word in &parts.words {
                    ranking.push((Occur::Should, whole_word_bm25(word)));
                    fallback_targets.push(HighlightTarget {
                        run: word.clone(),
                        parts: Vec::new(),
                    });
                }
            }
        }
    }
    // Function words count only when the query has nothing else.
    if terms.iter().all(|(_, units)| units.is_empty()) {
        for (term, units) in &mut terms {
            *units = term_units(term, &vocabulary, docs, true);
        }
    }
    terms.retain(|(_, units)| !units.is_empty());
    let literal: Vec<String> = terms.iter().map(|(term, _)| term.to_string()).collect();
    let mut literal_words: Vec<String> = terms
        .iter()
        .flat_map(|(_, units)| units.iter().flat_map(|u| u.ranked_words.iter().cloned()))
        .collect();
    literal_words.sort_unstable();
    literal_words.dedup();
    let mut all_units: Vec<&mut Unit> = terms.iter_mut().flat_map(|(_, u)| u.iter_mut()).collect();
    let unit_count = all_units.len();
    let mut weights: Vec<Unit> = all_units.iter().map(|u| (**u).clone()).collect();
    weigh(&mut weights);
    for (unit, weighed) in all_units.iter_mut().zip(weights) {
        unit.weight = weighed.weight;
    }
    // The score from which a paragraph holds all the words: above what words alone add up to.
    let tier = WORD_PRESENT * 2.0 * (unit_count as f32 + 1.0);
    let mut every_word: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::new();
    for (term, units) in &terms {
        for unit in units {
            ranking.push((
                Occur::Should,
                unit_present(unit, WORD_PRESENT * unit.weight),
            ));
            if unit_count > 1 {
                every_word.push((Occur::Must, unit_in_text(unit)));
            }
            // BM25 orders the paragraphs that hold the unit; alone it matches nothing, or
            // 行政 (a piece of 行政复议) would bring in every paragraph about 行政.
            for word in &unit.ranked_words {
                scoring.push((Occur::Should, whole_word_bm25(word)));
            }
        }
        if units.len() > 1 {
            let together = folded_substring_query(term);
            ranking.push((
                Occur::Should,
                Box::new(ConstScoreQuery::new(together, ADJACENT_AS_TYPED)),
            ));
        }
        targets.push(HighlightTarget {
            run: term.to_string(),
            parts: units.iter().map(Unit::highlight).collect(),
        });
    }
    let threshold = if passage {
        Some(PASSAGE_SENTENCE)
    } else if every_word.is_empty() {
        None
    } else {
        ranking.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(
                Box::new(BooleanQuery::new(every_word)),
                tier,
            )),
        ));
        Some(tier)
    };
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
    // Beside the filters' required clauses, these only add to the score.
    clauses.extend(scoring);
    Ok(Plan {
        query: BooleanQuery::new(clauses),
        targets,
        fallback_targets,
        threshold,
        passage,
        literal,
        literal_words,
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

/// The tantivy query a search runs: `filters`, the required and excluded clauses of
/// `query`, and its ranking clauses.
pub fn ranked_query(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
    filters: &Filters,
) -> Result<BooleanQuery> {
    Ok(plan(searcher, fields, query, filters)?.query)
}

/// What `query` marks in the paragraphs it finds, as [`highlight_ranges`] takes it.
pub fn highlight_targets(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
) -> Result<Vec<HighlightTarget>> {
    Ok(plan(searcher, fields, query, &Filters::default())?.targets)
}

/// Runs `query` on the index: the `page.limit` paragraphs ranked after the best
/// `page.offset`.
pub fn search(
    searcher: &Searcher,
    fields: &Fields,
    query: &Query,
    filters: &Filters,
    page: Page,
) -> Result<SearchResults> {
    let Plan {
        query: tantivy_query,
        targets,
        fallback_targets,
        threshold,
        passage,
        literal,
        literal_words,
    } = plan(searcher, fields, query, filters)?;
    let wanted = page.offset + page.limit.max(1) + RERANK_EXTRA;
    let (mut top, (any, all)) = searcher.search(
        &tantivy_query,
        &(
            TopDocs::with_limit(wanted.max(RELATED_RERANKED)).order_by_score(),
            (Count, ScoreAtLeast(threshold.unwrap_or(f32::MIN))),
        ),
    )?;
    let total = if threshold.is_some() { all } else { any };
    let store = ParagraphStore::open(searcher, fields)?;
    let mut reports = ReportCache::default();
    let mut loaded: HashMap<DocAddress, Passage> = HashMap::new();
    // Related words reorder what the query found: `total` and `partial` are counted above.
    if !literal.is_empty() && !top.is_empty() {
        for (_, address) in top.iter().take(FEEDBACK_PARAGRAPHS) {
            let passage_text = store.passage(searcher, fields, &mut reports, *address)?;
            loaded.insert(*address, passage_text);
        }
        let best: Vec<&str> = top
            .iter()
            .take(FEEDBACK_PARAGRAPHS)
            .filter_map(|(_, address)| loaded.get(address).map(|p| p.text.as_str()))
            .collect();
        let docs = searcher.num_docs();
        let words = Vocabulary::of(searcher)?;
        let related = related_words(
            &best,
            &literal,
            |word| words.document_frequency(word),
            |df| idf(df, docs),
            |word| FUNCTION_WORDS.contains(&word),
        );
        // Each related word adds its score to the candidates holding it, among those that
        // hold a word of the query whole: a paragraph with the query's words only inside
        // others (进行 in 推进行政) stays below those with them as words.
        let mut whole = HashSet::new();
        for word in &literal_words {
            whole.extend(holding_word(searcher, word)?);
        }
        for related in related {
            let holding = holding_word(searcher, &related.word)?;
            let score = RELATED_TOGETHER / RELATED_WORDS as f32 * related.weight;
            for (candidate_score, address) in &mut top {
                if whole.contains(address) && holding.contains(address) {
                    *candidate_score += score;
                }
            }
        }
        top.sort_by(|a, b| b.0.total_cmp(&a.0));
    }
    top.truncate(wanted);
    let mut ranked = Vec::with_capacity(top.len());
    for (score, address) in top {
        let passage_text = match loaded.remove(&address) {
            Some(passage_text) => passage_text,
            None => store.passage(searcher, fields, &mut reports, address)?,
        };
        let score = if is_bare_heading(&passage_text) {
            score - BARE_HEADING
        } else {
            score
        };
        ranked.push((score, passage_text));
    }
    // Stable: equal scores keep the index's order.
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut hits = Vec::with_capacity(page.limit);
    for (score, passage_text) in ranked.into_iter().skip(page.offset).take(page.limit) {
        let mut weighted = weighted_highlights(&passage_text.text, &targets);
        if weighted.is_empty() {
            weighted = weighted_highlights(&passage_text.text, &fallback_targets);
        }
        let highlights = ranges_of(&weighted);
        let Snippet {
            text: snippet_text,
            highlights: snippet_highlights,
        } = snippet(&passage_text.text, &highlights, &weighted, SNIPPET_CHARS);
        hits.push(Hit {
            score,
            passage: passage_text,
            snippet: snippet_text,
            snippet_highlights,
            highlights,
        });
    }
    Ok(SearchResults {
        query: query.raw.clone(),
        passage,
        total,
        partial: any - total,
        hits,
    })
}

/// The paragraphs holding `word` as a jieba word.
fn holding_word(searcher: &Searcher, word: &str) -> Result<HashSet<DocAddress>> {
    let present = word_query(WordField::Text, word);
    Ok(searcher.search(present.as_ref(), &DocSetCollector)?)
}

/// Whether a paragraph is only its own section's heading (三、全力打造国际一流营商环境):
/// it names a topic the paragraphs under it discuss.
fn is_bare_heading(passage: &Passage) -> bool {
    let own = passage.section.rsplit(" > ").next().unwrap_or("");
    !own.is_empty() && passage.text.trim() == own
}

/// Counts the documents that score at least a threshold: those in the top tier.
struct ScoreAtLeast(Score);

impl Collector for ScoreAtLeast {
    type Fruit = usize;
    type Child = ScoreAtLeastSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        _reader: &SegmentReader,
    ) -> tantivy::Result<ScoreAtLeastSegment> {
        Ok(ScoreAtLeastSegment {
            threshold: self.0,
            count: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, counts: Vec<usize>) -> tantivy::Result<usize> {
        Ok(counts.into_iter().sum())
    }
}

/// [`ScoreAtLeast`] on one segment.
struct ScoreAtLeastSegment {
    threshold: Score,
    count: usize,
}

impl SegmentCollector for ScoreAtLeastSegment {
    type Fruit = usize;

    fn collect(&mut self, _doc: DocId, score: Score) {
        if score >= self.threshold {
            self.count += 1;
        }
    }

    fn harvest(self) -> usize {
        self.count
    }
}

/// The paragraphs whose text holds `unit`, as typed or as its pieces: what `total` counts.
fn unit_in_text(unit: &Unit) -> Box<dyn TantivyQuery> {
    let mut ways: Vec<(Occur, Box<dyn TantivyQuery>)> = unit
        .texts
        .iter()
        .map(|text| (Occur::Should, as_typed(text)))
        .collect();
    if !unit.pieces.is_empty() {
        ways.push((Occur::Should, all_pieces(unit)));
    }
    Box::new(BooleanQuery::new(ways))
}

/// The paragraphs holding `text` as typed, in any written form; a run of ASCII letters and
/// digits only whole (its half-width forms are jieba's words, its full-width ones are
/// found through the characters).
fn as_typed(text: &str) -> Box<dyn TantivyQuery> {
    if Unit::is_whole_run(text) {
        let word = word_query(WordField::Text, text);
        Box::new(BooleanQuery::new(vec![
            (Occur::Should, word),
            (Occur::Should, full_width_run_query(text)),
        ]))
    } else {
        folded_substring_query(text)
    }
}

/// The paragraphs holding every piece of `unit`'s other cut.
fn all_pieces(unit: &Unit) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(
        unit.pieces
            .iter()
            .map(|piece| (Occur::Must, folded_substring_query(piece)))
            .collect(),
    ))
}

/// Scores `score` when the paragraph holds `unit`: as typed (a run of ASCII letters and
/// digits only as a whole run), or a little less as its pieces or in its section heading.
fn unit_present(unit: &Unit, score: f32) -> Box<dyn TantivyQuery> {
    let constant = |query: Box<dyn TantivyQuery>, score: f32| -> Box<dyn TantivyQuery> {
        Box::new(ConstScoreQuery::new(query, score))
    };
    let mut ways: Vec<Box<dyn TantivyQuery>> = Vec::new();
    for text in &unit.texts {
        ways.push(constant(as_typed(text), score));
        ways.push(constant(
            word_query(WordField::Heading, text),
            score * WORD_ELSEWHERE,
        ));
    }
    if !unit.pieces.is_empty() {
        let all_pieces: Vec<(Occur, Box<dyn TantivyQuery>)> = unit
            .pieces
            .iter()
            .map(|piece| (Occur::Must, folded_substring_query(piece)))
            .collect();
        ways.push(constant(
            Box::new(BooleanQuery::new(all_pieces)),
            score * WORD_ELSEWHERE,
        ));
    }
    Box::new(DisjunctionMaxQuery::new(ways))
}

/// BM25 of `word` as a whole token in the text, and a little in the heading.
fn whole_word_bm25(word: &str) -> Box<dyn TantivyQuery> {
    Box::new(BooleanQuery::new(vec![
        (Occur::Should, word_query(WordField::Text, word)),
        (
            Occur::Should,
            Box::new(BoostQuery::new(
                word_query(WordField::Heading, word),
                HEADING_BM25_BOOST,
            )),
        ),
    ]))
}
