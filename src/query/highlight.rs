//! What to mark in a passage, and the window of it to show.
//!
//! Highlights come from an exact scan of the passage, not from the index's tokens: that is
//! what makes them cover exactly the matched text (the four characters of 枫桥经验, not
//! 枫桥 and 经验 apart). All ranges are UTF-8 byte ranges on char boundaries.

use std::ops::Range;

use serde::Serialize;

/// Serializes byte ranges as `[start, end]` pairs, the form scripts expect.
pub fn serialize_ranges<S: serde::Serializer>(
    ranges: &[Range<usize>],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(ranges.iter().map(|r| [r.start, r.end]))
}

/// One thing the user asked for, to be marked in a passage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HighlightTarget {
    /// The text as typed: where it occurs, each occurrence is one highlight.
    pub run: String,
    /// Its words: marked one by one only where the whole run does not occur.
    pub parts: Vec<String>,
}

/// Byte ranges of the non-overlapping occurrences of `needle` in `text`, left to right.
pub fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    text.match_indices(needle)
        .map(|(start, found)| start..start + found.len())
        .collect()
}

/// The highlights of `targets` in `text`: sorted, overlaps merged.
pub fn highlight_ranges(text: &str, targets: &[HighlightTarget]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    for target in targets {
        let whole = occurrences(text, &target.run);
        if whole.is_empty() {
            for part in &target.parts {
                ranges.extend(occurrences(text, part));
            }
        } else {
            ranges.extend(whole);
        }
    }
    merge(ranges)
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

/// Cuts `text` to a window of about `max_chars` characters that holds as many of the
/// `highlights` (byte ranges in `text`) as fit, preferring the earliest such window.
pub fn snippet(text: &str, highlights: &[Range<usize>], max_chars: usize) -> Snippet {
    let char_starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    let char_count = char_starts.len();
    let char_at = |byte: usize| char_starts.partition_point(|&start| start < byte);
    if char_count <= max_chars + LEAD_CHARS / 2 {
        return Snippet {
            text: text.to_string(),
            highlights: highlights.to_vec(),
        };
    }
    let spans: Vec<(usize, usize)> = highlights
        .iter()
        .map(|r| (char_at(r.start), char_at(r.end)))
        .collect();
    let mut best_start = 0;
    let mut best_count = 0;
    for &(first, _) in &spans {
        let start = first.saturating_sub(LEAD_CHARS);
        let end = start + max_chars;
        let count = spans
            .iter()
            .filter(|&&(s, e)| s >= start && e <= end)
            .count();
        if count > best_count {
            best_count = count;
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

    const NANAN: &str = "贯彻纪念毛泽东同志批示学习推广“枫桥经验”60周年暨习近平总书记指示坚持发展“枫桥经验”20周年大会精神,深化“枫桥经验”南岸实践,进一步完善社会矛盾纠纷多元预防调处化解综合机制,加强重点领域矛盾纠纷源头预防调处化解工作。对社区矫正对象行踪动态和思想状况进行全面掌握,防止社矫对象脱管漏管。持续开展“枫桥式”司法所创建工作,发挥典型引领和示范带动作用。";

    fn target(run: &str, parts: &[&str]) -> HighlightTarget {
        HighlightTarget {
            run: run.into(),
            parts: parts.iter().map(|p| p.to_string()).collect(),
        }
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
        let cut = snippet(NANAN, &ranges, 40);
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
        let cut = snippet(text, &[], 120);
        assert_eq!(cut.text, text);
    }

    #[test]
    fn merge_joins_overlaps() {
        assert_eq!(merge(vec![3..6, 0..4, 8..9]), vec![0..6, 8..9]);
    }
}
