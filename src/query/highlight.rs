//! What to mark in a passage, and the window of it to show.
//!
//! Highlights come from an exact scan of the passage, not from the index's tokens: that is
//! what makes them cover exactly the matched text (the four characters of 枫桥经验, not
//! 枫桥 and 经验 apart). All ranges are UTF-8 byte ranges on char boundaries.

use std::ops::Range;

use serde::Serialize;

use crate::query::fold::fold;

/// Serializes byte ranges as `[start, end]` pairs, the form scripts expect.
pub fn serialize_ranges<S: serde::Serializer>(
    ranges: &[Range<usize>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(ranges.iter().map(|r| [r.start, r.end]))
}

/// One thing the user asked for, to be marked in a passage.
#[derive(Debug, Clone, PartialEq)]
pub struct HighlightTarget {
    /// The text as typed: where it occurs, each occurrence is one highlight.
    pub run: String,
    /// Its words: marked one by one only where the whole run does not occur.
    pub parts: Vec<HighlightPart>,
}

/// One word of a [`HighlightTarget`], with how much it says about the query.
#[derive(Debug, Clone, PartialEq)]
pub struct HighlightPart {
    /// The ways the word occurs as typed (a lone character with either neighbour).
    pub texts: Vec<String>,
    /// Index words that stand for it where it does not occur whole (化解 and 矛盾 for
    /// 化解矛盾); empty when it has no other cut.
    pub pieces: Vec<String>,
    /// Its weight (rarity): the snippet is centred on the heaviest matches.
    pub weight: f32,
}

/// Byte ranges of the non-overlapping occurrences of `needle` in `text`, left to right.
pub fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    occurrences_found_by(&memchr::memmem::Finder::new(needle), text)
}

/// [`occurrences`] of the needle `finder` looks for, with a finder built once for many
/// texts.
pub fn occurrences_found_by(finder: &memchr::memmem::Finder<'_>, text: &str) -> Vec<Range<usize>> {
    let needle = finder.needle().len();
    if needle == 0 {
        return Vec::new();
    }
    finder
        .find_iter(text.as_bytes())
        .map(|start| start..start + needle)
        .collect()
}

/// Whether `ch` belongs to a run of ASCII letters and digits, which matches only whole.
fn is_run_char(ch: char) -> bool {
    ch.is_ascii_alphanumeric()
}

/// A passage folded ([`fold`]) one character at a time, to find what a search looks for in
/// any written form, with the way back to the passage's own bytes.
pub struct FoldedText {
    folded: String,
    /// For each byte offset of `folded` that starts a character (and its end), the offset
    /// of that character in the original text.
    origin: Vec<usize>,
}

impl FoldedText {
    /// Folds `text`.
    pub fn of(text: &str) -> FoldedText {
        let mut folded = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (at, ch) in text.char_indices() {
            let ch = fold(ch);
            origin.resize(folded.len() + 1, at);
            folded.push(ch);
        }
        origin.resize(folded.len() + 1, text.len());
        FoldedText { folded, origin }
    }

    /// Byte ranges of the original text where `needle`, folded, occurs folded, without
    /// cutting a run of letters or digits of either width: `021` is not found in `2021`,
    /// nor `N` in `NFC`, while `2021` is found in `2021年` and `1955` in `１９５５年`.
    /// Non-overlapping, left to right; each range covers the original characters matched.
    pub fn whole_occurrences(&self, needle: &str) -> Vec<Range<usize>> {
        let needle: String = needle.chars().map(fold).collect();
        let starts_run = needle.chars().next().is_some_and(is_run_char);
        let ends_run = needle.chars().next_back().is_some_and(is_run_char);
        let text = self.folded.as_str();
        occurrences(text, &needle)
            .into_iter()
            .filter(|r| {
                let cuts_before =
                    starts_run && text[..r.start].chars().next_back().is_some_and(is_run_char);
                let cuts_after = ends_run && text[r.end..].chars().next().is_some_and(is_run_char);
                !cuts_before && !cuts_after
            })
            .map(|r| self.origin[r.start]..self.origin[r.end])
            .collect()
    }
}

/// The highlights of `targets` in `text` with their weights, sorted; they may overlap.
///
/// Matching folds width, case and script ([`FoldedText`]); the ranges are the original
/// text's.
pub fn weighted_highlights(text: &str, targets: &[HighlightTarget]) -> Vec<(Range<usize>, f32)> {
    let text = FoldedText::of(text);
    let mut ranges = Vec::new();
    for target in targets {
        let whole = text.whole_occurrences(&target.run);
        if !whole.is_empty() {
            let weight = target.parts.iter().map(|p| p.weight).sum::<f32>().max(1.0);
            ranges.extend(whole.into_iter().map(|r| (r, weight)));
            continue;
        }
        for part in &target.parts {
            let found: Vec<Range<usize>> = part
                .texts
                .iter()
                .flat_map(|t| text.whole_occurrences(t))
                .collect();
            if !found.is_empty() {
                ranges.extend(found.into_iter().map(|r| (r, part.weight)));
                continue;
            }
            let pieces: Vec<Vec<Range<usize>>> = part
                .pieces
                .iter()
                .map(|piece| text.whole_occurrences(piece))
                .collect();
            // Pieces stand for the word only where all of them occur.
            if !pieces.is_empty() && pieces.iter().all(|found| !found.is_empty()) {
                let share = part.weight / pieces.len() as f32;
                ranges.extend(pieces.into_iter().flatten().map(|r| (r, share)));
            }
        }
    }
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    ranges
}

/// The ranges of `weighted` highlights, sorted, overlaps merged.
pub fn ranges_of(weighted: &[(Range<usize>, f32)]) -> Vec<Range<usize>> {
    merge(weighted.iter().map(|(range, _)| range.clone()).collect())
}

/// The highlights of `targets` in `text`: sorted, overlaps merged.
pub fn highlight_ranges(text: &str, targets: &[HighlightTarget]) -> Vec<Range<usize>> {
    ranges_of(&weighted_highlights(text, targets))
}

/// Sorts ranges and merges those that overlap or touch.
pub fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// A window of a passage with its highlights, for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Snippet {
    /// The window's text, with `…` where the passage was cut.
    pub text: String,
    /// Highlight byte ranges within [`Snippet::text`].
    #[serde(serialize_with = "serialize_ranges")]
    pub highlights: Vec<Range<usize>>,
}

/// Characters of context shown before the first highlight of a window.
const LEAD_CHARS: usize = 20;

/// Cuts `text` to a window of about `max_chars` characters around its heaviest
/// `weighted` matches (byte ranges in `text` with weights), and marks the merged
/// `highlights` that fall inside it.
///
/// The window holds the greatest total weight that fits, so it shows the rare words of
/// the query rather than a cluster of common ones; among equal windows, the earliest.
pub fn snippet(
    text: &str,
    highlights: &[Range<usize>],
    weighted: &[(Range<usize>, f32)],
    max_chars: usize,
) -> Snippet {
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let char_count = char_starts.len();
    let char_at = |byte: usize| char_starts.partition_point(|&start| start < byte);
    if char_count <= max_chars + LEAD_CHARS / 2 {
        return Snippet {
            text: text.to_string(),
            highlights: highlights.to_vec(),
        };
    }
    let spans: Vec<(usize, usize, f32)> = weighted
        .iter()
        .map(|(r, w)| (char_at(r.start), char_at(r.end), *w))
        .collect();
    let mut best_start = 0;
    let mut best_weight = 0.0;
    for &(first, _, _) in &spans {
        let start = first.saturating_sub(LEAD_CHARS);
        let end = start + max_chars;
        // A word counts once per window: repeating a common word does not outweigh a rare one.
        let mut seen: Vec<&str> = Vec::new();
        let mut weight = 0.0;
        for (&(s, e, w), (r, _)) in spans.iter().zip(weighted) {
            if s >= start && e <= end && !seen.contains(&&text[r.clone()]) {
                seen.push(&text[r.clone()]);
                weight += w;
            }
        }
        if weight > best_weight {
            best_weight = weight;
            best_start = start;
        }
    }
    let start = best_start.min(char_count.saturating_sub(max_chars));
    let end = (start + max_chars).min(char_count);
    let byte_of = |ch: usize| char_starts.get(ch).copied().unwrap_or(text.len());
    let (byte_start, byte_end) = (byte_of(start), byte_of(end));
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < char_count { "…" } else { "" };
    let shift = prefix.len();
    let highlights = highlights
        .iter()
        .filter(|r| r.start >= byte_start && r.end <= byte_end)
        .map(|r| r.start - byte_start + shift..r.end - byte_start + shift)
        .collect();
    Snippet {
        text: format!("{prefix}{}{suffix}", &text[byte_start..byte_end]),
        highlights,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The highlights of `targets` in `text`: sorted, overlaps merged.
    fn highlight_ranges(text: &str, targets: &[HighlightTarget]) -> Vec<Range<usize>> {
        merge(
            weighted_highlights(text, targets)
                .into_iter()
                .map(|(r, _)| r)
                .collect(),
        )
    }

    const NANAN: &str = "贯彻纪念毛泽东同志批示学习推广“枫桥经验”60周年暨习近平总书记指示坚持发展“枫桥经验”20周年大会精神,深化“枫桥经验”南岸实践,进一步完善社会矛盾纠纷多元预防调处化解综合机制,加强重点领域矛盾纠纷源头预防调处化解工作。对社区矫正对象行踪动态和思想状况进行全面掌握,防止社矫对象脱管漏管。持续开展“枫桥式”司法所创建工作,发挥典型引领和示范带动作用。";

    fn target(run: &str, parts: &[&str]) -> HighlightTarget {
        HighlightTarget {
            run: run.into(),
            parts: parts
                .iter()
                .map(|p| HighlightPart {
                    texts: vec![p.to_string()],
                    pieces: Vec::new(),
                    weight: 1.0,
                })
                .collect(),
        }
    }

    /// The texts of `text` that `folded` (its folded form) marks for `needle`.
    fn marked_in<'t>(text: &'t str, folded: &FoldedText, needle: &str) -> Vec<&'t str> {
        folded
            .whole_occurrences(needle)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn digit_and_letter_runs_match_whole() {
        let text = "2021年，021号文件；“1+3+N”体系，NFC与N";
        let folded = FoldedText::of(text);
        let marked = |needle: &str| marked_in(text, &folded, needle);
        assert_eq!(marked("021"), vec!["021"]);
        assert_eq!(
            folded.whole_occurrences("021")[0].start,
            text.find("，").unwrap() + 3
        );
        assert_eq!(marked("1+3+N"), vec!["1+3+N"]);
        assert_eq!(
            marked("N").len(),
            2,
            "the N of 1+3+N and the last N, not NFC's"
        );
        assert_eq!(marked("2021"), vec!["2021"]);
    }

    #[test]
    fn highlights_fold_width_case_and_script_and_cover_the_original_text() {
        let text = "１９５５年，５Ｇ基站与5g网络、15G；調解委員會和调解委员会。ＡＢＣ＋abc";
        let folded = FoldedText::of(text);
        let marked = |needle: &str| marked_in(text, &folded, needle);
        assert_eq!(marked("1955年"), vec!["１９５５年"]);
        assert_eq!(marked("１９５５"), vec!["１９５５"]);
        assert_eq!(marked("5G"), vec!["５Ｇ", "5g"], "not the 5G of 15G");
        assert_eq!(marked("调解委员会"), vec!["調解委員會", "调解委员会"]);
        assert_eq!(marked("調解"), vec!["調解", "调解"]);
        assert_eq!(marked("abc+"), vec!["ＡＢＣ＋"]);
        assert_eq!(marked("ABC"), vec!["ＡＢＣ", "abc"]);
        assert!(marked("955").is_empty(), "inside the run １９５５");
        for range in folded.whole_occurrences("abc") {
            assert!(text.is_char_boundary(range.start) && text.is_char_boundary(range.end));
        }
    }

    #[test]
    fn the_snippet_is_centred_on_the_heaviest_word() {
        let filler = "解决问题".repeat(30);
        let text = format!("{filler}然后治理交通拥堵。");
        let weighted: Vec<(Range<usize>, f32)> = occurrences(&text, "解决")
            .into_iter()
            .map(|r| (r, 1.0))
            .chain(occurrences(&text, "交通拥堵").into_iter().map(|r| (r, 5.0)))
            .collect();
        let ranges: Vec<Range<usize>> = weighted.iter().map(|(r, _)| r.clone()).collect();
        let cut = snippet(&text, &ranges, &weighted, 40);
        assert!(cut.text.contains("交通拥堵"), "{}", cut.text);
    }

    #[test]
    fn a_run_typed_together_is_one_highlight_and_parts_elsewhere_are_not() {
        let text = "深化“枫桥经验”南岸实践,总结经验做法";
        let ranges = highlight_ranges(text, &[target("枫桥经验", &["枫桥", "经验"])]);
        assert_eq!(ranges.len(), 1);
        assert_eq!(&text[ranges[0].clone()], "枫桥经验");
    }

    #[test]
    fn parts_are_marked_when_the_run_is_absent() {
        let text = "积极推进行政复议体制改革,已办结103件";
        let ranges = highlight_ranges(text, &[target("行政复议办结", &["行政复议", "办结"])]);
        let marked: Vec<&str> = ranges.iter().map(|r| &text[r.clone()]).collect();
        assert_eq!(marked, vec!["行政复议", "办结"]);
    }

    #[test]
    fn snippet_windows_cut_on_characters_and_keep_highlights_exact() {
        let ranges = occurrences(NANAN, "化解");
        let weighted: Vec<(Range<usize>, f32)> = ranges.iter().map(|r| (r.clone(), 1.0)).collect();
        let cut = snippet(NANAN, &ranges, &weighted, 40);
        assert!(cut.text.chars().count() <= 42);
        assert!(!cut.highlights.is_empty());
        for r in &cut.highlights {
            assert_eq!(&cut.text[r.clone()], "化解");
        }
        assert!(cut.text.starts_with('…'));
    }

    #[test]
    fn short_passages_are_shown_whole() {
        let text = "无。";
        let cut = snippet(text, &[], &[], 120);
        assert_eq!(cut.text, text);
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(merge(vec![3..6, 0..4, 8..9]), vec![0..6, 8..9]);
    }
}
