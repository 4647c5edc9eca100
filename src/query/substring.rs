//! Exact substring queries, answered from the character index.
//!
//! [`crate::index::char_index`] keeps, per segment, every character's (document, position) pairs,
//! position being the character's index in the paragraph. A string occurs where its
//! characters stand at consecutive positions, so these queries match exactly the
//! paragraphs that contain it: no recall lost to word segmentation, no false hits. They
//! are tantivy queries, so they combine with filters and ranking clauses like any other.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::fieldnorm::FieldNormReader;
use tantivy::index::SegmentId;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::query::{Bm25Weight, EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, TantivyError, TERMINATED};

use crate::index::char_index::{CharList, Occurrences, SegmentChars};
use crate::index::word_index::{SegmentWords, WordField};
use crate::query::fold::variants;

/// A query for the paragraphs whose text contains `needle` as a substring.
///
/// Scores by BM25 of the substring's number of occurrences, with the texts' lengths in
/// words. `needle` must not be empty.
pub fn substring_query(needle: &str) -> Box<dyn Query> {
    assert!(
        !needle.is_empty(),
        "substring_query needs a non-empty needle"
    );
    Box::new(CharacterQuery {
        pattern: Pattern::Substring(needle.chars().collect()),
    })
}

/// A query for the paragraphs whose text contains `needle` written in any form that
/// folds alike ([`variants`]: width, case, traditional or simplified), one character at a
/// time: `1955年` finds `１９５５年`, `调解` finds `調解`. Scores as [`substring_query`].
pub fn folded_substring_query(needle: &str) -> Box<dyn Query> {
    assert!(
        !needle.is_empty(),
        "folded_substring_query needs a non-empty needle"
    );
    Box::new(CharacterQuery {
        pattern: Pattern::Forms {
            groups: needle.chars().map(variants).collect(),
            whole_run: false,
        },
    })
}

/// A query for the paragraphs whose text holds the run of ASCII letters and digits `run`
/// in full-width forms (`１９５５`, `ＡＢＣ`), in any case, as a whole run: neither
/// preceded nor followed by a letter or digit of either width. The half-width forms are
/// jieba words, found by their term; jieba leaves full-width ones as single characters.
pub fn full_width_run_query(run: &str) -> Box<dyn Query> {
    assert!(
        !run.is_empty(),
        "full_width_run_query needs a non-empty run"
    );
    Box::new(CharacterQuery {
        pattern: Pattern::Forms {
            groups: run
                .chars()
                .map(|ch| variants(ch).into_iter().filter(|v| !v.is_ascii()).collect())
                .collect(),
            whole_run: true,
        },
    })
}

/// A query for the paragraphs whose text contains, for each of `groups`, one of its
/// characters, in any order: the candidates of a loose match (each group the written forms
/// of one letter), to be checked exactly afterwards.
pub fn each_of_query(groups: &[Vec<char>]) -> Box<dyn Query> {
    let mut groups: Vec<Vec<char>> = groups
        .iter()
        .map(|group| {
            let mut group = group.clone();
            group.sort_unstable();
            group.dedup();
            group
        })
        .collect();
    groups.sort_unstable();
    groups.dedup();
    Box::new(CharacterQuery {
        pattern: Pattern::EachOf(groups),
    })
}

/// What a [`CharacterQuery`] looks for.
#[derive(Clone, Debug)]
enum Pattern {
    /// These characters at consecutive positions.
    Substring(Vec<char>),
    /// One character of each of these groups somewhere in the document.
    EachOf(Vec<Vec<char>>),
    /// One character of each group at consecutive positions; with `whole_run`, no letter
    /// or digit of either width right before or after.
    Forms {
        groups: Vec<Vec<char>>,
        whole_run: bool,
    },
}

/// A query answered from the character index.
#[derive(Clone, Debug)]
struct CharacterQuery {
    pattern: Pattern,
}

/// Documents of one segment that match, with how many times, in doc-id order.
pub(crate) type Matches = Arc<Vec<(DocId, u32)>>;

impl Query for CharacterQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let mut weight = CharacterWeight {
            pattern: self.pattern.clone(),
            bm25: None,
            matches: Mutex::default(),
        };
        if let EnableScoring::Enabled { searcher, .. } = scoring {
            // BM25 needs the number of matching documents in the whole index: find the
            // matches of every segment now, and keep them for the scorers.
            let mut matching_docs = 0;
            for reader in searcher.segment_readers() {
                matching_docs += weight.matches(reader)?.len() as u64;
            }
            weight.bm25 = Some(bm25_of(searcher, WordField::Text, matching_docs)?);
        }
        Ok(Box::new(weight))
    }
}

/// A [`CharacterQuery`] prepared for one searcher.
struct CharacterWeight {
    pattern: Pattern,
    /// `None` when scoring is disabled.
    bm25: Option<Bm25Weight>,
    matches: Mutex<HashMap<SegmentId, Matches>>,
}

impl CharacterWeight {
    /// The matches in the segment of `reader`, found once.
    fn matches(&self, reader: &SegmentReader) -> tantivy::Result<Matches> {
        let mut cache = self.matches.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(found) = cache.get(&reader.segment_id()) {
            return Ok(found.clone());
        }
        let chars = SegmentChars::open(reader)?;
        let found = Arc::new(match &self.pattern {
            Pattern::Substring(needle) => substring_matches(&chars, needle),
            Pattern::EachOf(groups) => each_of_matches(&chars, groups),
            Pattern::Forms { groups, whole_run } => forms_matches(&chars, groups, *whole_run),
        });
        cache.insert(reader.segment_id(), found.clone());
        Ok(found)
    }
}

impl Weight for CharacterWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        MatchScorer::boxed(
            self.matches(reader)?,
            reader,
            WordField::Text,
            self.bm25.as_ref(),
            boost,
        )
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_match(self, reader, doc, "character index match", || {
            format!("does not match {:?}", self.pattern)
        })
    }
}

/// The score of `doc` by `weight`, labelled `label`, or an error saying how the document
/// fails to match (`mismatch`).
pub(crate) fn explain_match(
    weight: &dyn Weight,
    reader: &SegmentReader,
    doc: DocId,
    label: &'static str,
    mismatch: impl FnOnce() -> String,
) -> tantivy::Result<Explanation> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.seek(doc) != doc {
        return Err(TantivyError::InvalidArgument(format!(
            "document {doc} {}",
            mismatch()
        )));
    }
    Ok(Explanation::new(label, scorer.score()))
}

/// BM25 of a term that `holding` documents of the index of `searcher` hold, with the
/// documents' lengths in the words of `words`, as tantivy's `TermQuery` scores a term.
pub(crate) fn bm25_of(
    searcher: &Searcher,
    words: WordField,
    holding: u64,
) -> tantivy::Result<Bm25Weight> {
    let mut total_words = 0;
    for reader in searcher.segment_readers() {
        total_words += SegmentWords::open(reader, words)?.total_words();
    }
    let total_docs = searcher.total_num_docs()?.max(1);
    Ok(Bm25Weight::for_one_term(
        holding,
        total_docs,
        total_words as Score / total_docs as Score,
    ))
}

/// Walks the matches of one segment: documents in doc-id order, each with a count.
pub(crate) struct MatchScorer {
    matches: Matches,
    at: usize,
    bm25: Option<Bm25Weight>,
    fieldnorms: Option<FieldNormReader>,
    boost: Score,
}

impl MatchScorer {
    /// The scorer of `matches` in the segment of `reader`: by `bm25` with the document
    /// lengths of `words`, or `boost` when scoring is off.
    pub(crate) fn boxed(
        matches: Matches,
        reader: &SegmentReader,
        words: WordField,
        bm25: Option<&Bm25Weight>,
        boost: Score,
    ) -> tantivy::Result<Box<dyn Scorer>> {
        let fieldnorms = match bm25 {
            Some(_) => Some(SegmentWords::open(reader, words)?.lengths()?),
            None => None,
        };
        Ok(Box::new(MatchScorer {
            matches,
            at: 0,
            bm25: bm25.map(|bm25| bm25.boost_by(boost)),
            fieldnorms,
            boost,
        }))
    }
}

impl DocSet for MatchScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.matches.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        // An intersection seeks a little ahead at a time: gallop from where the walk is,
        // then search the last stride, rather than search all that is left at each seek.
        let rest = &self.matches[self.at..];
        let mut stride = 1;
        while stride < rest.len() && rest[stride - 1].0 < target {
            stride *= 2;
        }
        let from = stride / 2;
        let to = stride.min(rest.len());
        self.at += from + rest[from..to].partition_point(|&(doc, _)| doc < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.matches
            .get(self.at)
            .map_or(TERMINATED, |&(doc, _)| doc)
    }

    fn size_hint(&self) -> u32 {
        (self.matches.len() - self.at) as u32
    }
}

impl Scorer for MatchScorer {
    fn score(&mut self) -> Score {
        let Some(&(doc, count)) = self.matches.get(self.at) else {
            return 0.0;
        };
        match (&self.bm25, &self.fieldnorms) {
            (Some(bm25), Some(fieldnorms)) => bm25.score(fieldnorms.fieldnorm_id(doc), count),
            _ => self.boost,
        }
    }
}

/// The occurrence lists of a run of characters, ready to be walked together: the rarest
/// character leads, the others follow at their offsets.
struct Walk<'a> {
    /// Index of the leading character in the run.
    lead: u32,
    lead_list: CharList<'a>,
    others: Vec<Cursor<'a>>,
}

/// One following character's occurrences, moved forward only.
struct Cursor<'a> {
    /// Index of the character in the run.
    offset: u32,
    occurrences: Occurrences<'a>,
    current: Option<(DocId, u32)>,
}

impl Cursor<'_> {
    /// The first occurrence at or after `target`; `None` once the list is exhausted.
    fn at_or_after(&mut self, target: (DocId, u32)) -> Option<(DocId, u32)> {
        if self.current.is_none_or(|here| here < target) {
            self.current = self.occurrences.seek(target);
        }
        self.current
    }
}

/// Prepares the walk of `run`, or `None` when one of its characters is not in the segment.
fn walk<'a>(segment: &'a SegmentChars, run: &[char]) -> Option<Walk<'a>> {
    let lists = run
        .iter()
        .map(|&ch| segment.list(ch))
        .collect::<Option<Vec<CharList>>>()?;
    let lead = (0..lists.len()).min_by_key(|&i| lists[i].len())?;
    let others = (0..lists.len())
        .filter(|&i| i != lead)
        .map(|i| Cursor {
            offset: i as u32,
            occurrences: lists[i].occurrences(),
            current: None,
        })
        .collect();
    Some(Walk {
        lead: lead as u32,
        lead_list: lists[lead],
        others,
    })
}

/// Calls `found` with every start of `needle` in the segment, overlapping ones included,
/// as (line, position), in increasing order: a line is named by its first document and a
/// position is a character's index in the line (see [`crate::char_index`]).
pub(crate) fn for_each_start(
    chars: &SegmentChars,
    needle: &[char],
    mut found: impl FnMut(DocId, u32),
) {
    let Some(mut walk) = walk(chars, needle) else {
        return;
    };
    // Each leading occurrence is a candidate start; the candidates only move forward, so
    // each other character's cursor does too.
    'candidates: for (doc, position) in walk.lead_list.occurrences() {
        let Some(start) = position.checked_sub(walk.lead) else {
            continue;
        };
        for cursor in &mut walk.others {
            let target = (doc, start.saturating_add(cursor.offset));
            match cursor.at_or_after(target) {
                None => break 'candidates,
                Some(here) if here != target => continue 'candidates,
                Some(_) => {}
            }
        }
        found(doc, start);
    }
}

/// The documents of a segment where `needle` starts, with its number of starts there
/// (overlapping ones included): a phrase across the cut of a long line belongs to the
/// paragraph where it starts.
fn substring_matches(chars: &SegmentChars, needle: &[char]) -> Vec<(DocId, u32)> {
    matches_of_starts(chars, |found| for_each_start(chars, needle, found))
}

/// The documents holding the starts that `starts` hands out in increasing order, with
/// their number of starts.
fn matches_of_starts(
    chars: &SegmentChars,
    starts: impl FnOnce(&mut dyn FnMut(DocId, u32)),
) -> Vec<(DocId, u32)> {
    let mut found: Vec<(DocId, u32)> = Vec::new();
    let mut pieces = chars.pieces();
    starts(&mut |line, start| {
        let doc = pieces.piece_at(line, start).0;
        match found.last_mut() {
            Some((last, count)) if *last == doc => *count += 1,
            _ => found.push((doc, 1)),
        }
    });
    found
}

/// The documents of a segment where a character of each of `groups` stands at consecutive
/// positions, with the number of such starts; with `whole_run`, only starts with no letter
/// or digit (of either width) right before or after.
fn forms_matches(chars: &SegmentChars, groups: &[Vec<char>], whole_run: bool) -> Vec<(DocId, u32)> {
    // Each group's forms that occur in the segment: most groups keep one, and a run of
    // such groups is an exact substring, walked as one.
    let present: Vec<Vec<char>> = groups
        .iter()
        .map(|group| {
            group
                .iter()
                .copied()
                .filter(|&ch| chars.list(ch).is_some())
                .collect()
        })
        .collect();
    if present.iter().any(Vec::is_empty) {
        return Vec::new();
    }
    if !whole_run && present.iter().all(|group| group.len() == 1) {
        let needle: Vec<char> = present.iter().map(|group| group[0]).collect();
        return substring_matches(chars, &needle);
    }
    let lists = |group: &[char]| -> Vec<CharList> {
        group.iter().filter_map(|&ch| chars.list(ch)).collect()
    };
    let size = |lists: &[CharList]| lists.iter().map(|l| u64::from(l.len())).sum::<u64>();
    let Some(lead) = (0..present.len()).min_by_key(|&i| size(&lists(&present[i]))) else {
        return Vec::new();
    };
    // The leading group's occurrences, all forms merged in order, are the candidates.
    let mut candidates: Vec<(DocId, u32)> = lists(&present[lead])
        .iter()
        .flat_map(|list| list.occurrences())
        .collect();
    candidates.sort_unstable();
    let cursors = |group: &[char], offset: u32| -> Vec<Cursor> {
        lists(group)
            .into_iter()
            .map(|list| Cursor {
                offset,
                occurrences: list.occurrences(),
                current: None,
            })
            .collect()
    };
    let mut others: Vec<Vec<Cursor>> = (0..present.len())
        .filter(|&i| i != lead)
        .map(|i| cursors(&present[i], i as u32))
        .collect();
    // A letter or digit of either width: what may not touch a whole run.
    let run_chars: Vec<char> = ('0'..='9').chain('a'..='z').flat_map(variants).collect();
    let boundary = || {
        if whole_run {
            cursors(&run_chars, 0)
        } else {
            Vec::new()
        }
    };
    let (mut before, mut after) = (boundary(), boundary());
    let at = |cursors: &mut [Cursor], target: (DocId, u32)| {
        cursors
            .iter_mut()
            .any(|cursor| cursor.at_or_after(target) == Some(target))
    };
    let length = present.len() as u32;
    matches_of_starts(chars, |found| {
        'candidates: for (doc, position) in candidates {
            let Some(start) = position.checked_sub(lead as u32) else {
                continue;
            };
            for group in &mut others {
                let offset = group[0].offset;
                if !at(group, (doc, start.saturating_add(offset))) {
                    continue 'candidates;
                }
            }
            if whole_run {
                let touches_before = start
                    .checked_sub(1)
                    .is_some_and(|previous| at(&mut before, (doc, previous)));
                if touches_before || at(&mut after, (doc, start.saturating_add(length))) {
                    continue;
                }
            }
            found(doc, start);
        }
    })
}

/// The documents of a segment whose line contains a character of each of `groups`: every
/// piece of such a line, since a loose match may run over its cuts.
fn each_of_matches(chars: &SegmentChars, groups: &[Vec<char>]) -> Vec<(DocId, u32)> {
    // Each group's lists, the group with the fewest occurrences first: its lines are the
    // candidates, which the other groups' cursors then only confirm, moving forward.
    let mut lists: Vec<Vec<CharList>> = groups
        .iter()
        .map(|group| group.iter().filter_map(|&ch| chars.list(ch)).collect())
        .collect();
    lists
        .sort_by_key(|lists: &Vec<CharList>| lists.iter().map(|l| u64::from(l.len())).sum::<u64>());
    let Some((lead, others)) = lists.split_first() else {
        return Vec::new();
    };
    let mut candidates: Vec<DocId> = lead
        .iter()
        .flat_map(|list| list.occurrences().map(|(doc, _)| doc))
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    for group in others {
        let mut cursors: Vec<Cursor> = group
            .iter()
            .map(|list| Cursor {
                offset: 0,
                occurrences: list.occurrences(),
                current: None,
            })
            .collect();
        candidates.retain(|&doc| {
            cursors.iter_mut().any(|cursor| {
                cursor
                    .at_or_after((doc, 0))
                    .is_some_and(|(here, _)| here == doc)
            })
        });
    }
    if !chars.has_cut_lines() {
        return candidates.into_iter().map(|doc| (doc, 1)).collect();
    }
    candidates
        .into_iter()
        .flat_map(|line| chars.line_pieces(line))
        .map(|(doc, _)| (doc, 1))
        .collect()
}

#[cfg(test)]
mod tests {
    use tantivy::collector::DocSetCollector;
    use tantivy::indexer::NoMergePolicy;
    use tantivy::{doc, Index, Term};

    use super::*;
    use crate::index::documents::ParagraphStore;
    use crate::index::folder::index_in_ram;
    use crate::index::schema::Fields;

    /// Paragraphs from the sample reports, with repeats and overlaps worth finding.
    const PARAGRAPHS: [&str; 8] = [
        "坚持和发展新时代“枫桥经验”，深化“枫桥式”司法所创建。",
        "行政复议申请办结率100%，行政复议决定书全部公开。",
        "推动村(居)法律顾问从有形覆盖向有效覆盖转变",
        "法法法法，复议复议",
        "",
        "依法行政，建设法治政府。ICP备案 Abc",
        "枫桥",
        "经验枫桥",
    ];

    fn texts_of(index: &Index, fields: &Fields, query: &dyn Query) -> Vec<String> {
        let searcher = index.reader().unwrap().searcher();
        let store = ParagraphStore::open(&searcher, fields).unwrap();
        let mut texts: Vec<String> = searcher
            .search(query, &DocSetCollector)
            .unwrap()
            .into_iter()
            .map(|address| store.get(address).unwrap().text.as_str().to_string())
            .collect();
        texts.sort();
        texts
    }

    fn expected(alive: &[&str], wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let mut texts: Vec<String> = alive
            .iter()
            .filter(|t| wanted(t))
            .map(|t| t.to_string())
            .collect();
        texts.sort();
        texts
    }

    fn check(index: &Index, fields: &Fields, alive: &[&str]) {
        let needles = [
            "枫桥经验",
            "枫桥",
            "法法",
            "法",
            "复议复议",
            "议复",
            "ICP",
            "Abc",
            "abc",
            "，",
            "验枫",
            "法治政府。",
            "不存在的词",
        ];
        for needle in needles {
            let query = substring_query(needle);
            let want = expected(alive, |t| t.contains(needle));
            assert_eq!(texts_of(index, fields, query.as_ref()), want, "{needle}");
        }
        let query = each_of_query(&[vec!['桥'], vec!['验'], vec!['枫']]);
        let want = expected(alive, |t| "桥验枫".chars().all(|c| t.contains(c)));
        assert_eq!(texts_of(index, fields, query.as_ref()), want);
        let query = each_of_query(&[vec!['b', 'B'], vec!['枫', '法']]);
        let want = expected(alive, |t| {
            (t.contains('b') || t.contains('B')) && (t.contains('枫') || t.contains('法'))
        });
        assert_eq!(texts_of(index, fields, query.as_ref()), want);
    }

    #[test]
    fn substrings_are_found_exactly_across_segments_deletes_and_merges() {
        let (index, fields, mut writer) = index_in_ram();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Three segments: each commit of the single thread closes one.
        for (i, batch) in PARAGRAPHS.chunks(3).enumerate() {
            for (j, text) in batch.iter().enumerate() {
                let path = format!("{i}-{j}");
                writer
                    .add_document(doc!(fields.path => path, fields.text => *text))
                    .unwrap();
            }
            writer.commit().unwrap();
        }
        check(&index, &fields, &PARAGRAPHS);

        writer.delete_term(Term::from_field_text(fields.path, "0-1"));
        writer.delete_term(Term::from_field_text(fields.path, "2-0"));
        writer.commit().unwrap();
        let alive: Vec<&str> = PARAGRAPHS
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != 1 && i != 6)
            .map(|(_, t)| *t)
            .collect();
        check(&index, &fields, &alive);

        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 3);
        writer.merge(&segments).wait().unwrap();
        writer.commit().unwrap();
        assert_eq!(index.searchable_segment_ids().unwrap().len(), 1);
        check(&index, &fields, &alive);
    }

    #[test]
    fn folded_substrings_find_every_written_form_and_runs_only_whole() {
        let texts = [
            "１９５５年，全国农业合作化",
            "1955年的计划",
            "２１９５５年不是那一年",
            "建设5G基站，推进５ｇ网络",
            "人民調解委員會调解纠纷",
            "人民调解委员会",
            "15G与5GHz",
        ];
        let (index, fields, mut writer) = index_in_ram();
        for text in texts {
            writer.add_document(doc!(fields.text => text)).unwrap();
        }
        writer.commit().unwrap();
        let folded =
            |needle: &str| texts_of(&index, &fields, folded_substring_query(needle).as_ref());
        assert_eq!(
            folded("1955年"),
            expected(&texts, |t| t.contains("1955年") || t.contains("１９５５年"))
        );
        assert_eq!(
            folded("调解委员会"),
            expected(&texts, |t| t.contains("人民"))
        );
        assert_eq!(
            folded("5g"),
            expected(&texts, |t| t.contains("5G") || t.contains("５ｇ"))
        );
        // Full-width runs, whole only: not inside ２１９５５, nor 5G inside 15G or 5GHz.
        let run = |needle: &str| texts_of(&index, &fields, full_width_run_query(needle).as_ref());
        assert_eq!(run("1955"), vec![texts[0].to_string()]);
        assert_eq!(run("5G"), vec![texts[3].to_string()]);
        assert!(run("955").is_empty());
    }

    #[test]
    fn more_occurrences_score_higher() {
        let (index, fields, mut writer) = index_in_ram();
        for text in [
            "复议一次，其他内容其他内容",
            "复议复议复议，其他内容其他内容",
        ] {
            writer.add_document(doc!(fields.text => text)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let top = searcher
            .search(
                substring_query("复议").as_ref(),
                &tantivy::collector::TopDocs::with_limit(2).order_by_score(),
            )
            .unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].1.doc_id, 1);
        assert!(top[0].0 > top[1].0);
    }

    proptest::proptest! {
        /// Galloping seeks land where a search of everything left would.
        #[test]
        fn seeks_land_on_the_first_match_not_before_the_target(
            mut docs in proptest::collection::vec(0u32..5_000, 0..600),
            mut targets in proptest::collection::vec(0u32..5_100, 1..40),
        ) {
            docs.sort_unstable();
            docs.dedup();
            targets.sort_unstable();
            let matches: Vec<(DocId, u32)> = docs.iter().map(|&doc| (doc, 1)).collect();
            let mut scorer = MatchScorer {
                matches: Arc::new(matches),
                at: 0,
                bm25: None,
                fieldnorms: None,
                boost: 1.0,
            };
            for target in targets {
                // Targets only grow, so the walk never stands past the first match not
                // before the target.
                let expected = docs
                    .iter()
                    .copied()
                    .find(|&doc| doc >= target)
                    .unwrap_or(TERMINATED);
                proptest::prop_assert_eq!(scorer.seek(target), expected);
            }
        }
    }
}
