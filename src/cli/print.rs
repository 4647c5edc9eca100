//! Printing results for people (colour on a terminal, `【…】` marks elsewhere) and for
//! scripts (JSON, CSV). Printers only format; they never search.

use std::io::{self, Write};
use std::ops::Range;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use fazhi::{
    context_around, BenchReport, GroupCount, IndexSummary, MentionCounts, MentioningParagraph,
    MentionsInParagraph, Passage, ReportMeta, ReportRecord, SearchResults, ShownReport, Spread,
    StageTimes, CONTEXT_CHARS,
};

/// How highlights are shown to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// ANSI colour, for a terminal.
    Colour,
    /// `【` and `】` around each highlight, for pipes and files.
    Brackets,
}

impl Marks {
    fn open(self) -> &'static str {
        match self {
            Marks::Colour => "\x1b[1;31m",
            Marks::Brackets => "【",
        }
    }

    fn close(self) -> &'static str {
        match self {
            Marks::Colour => "\x1b[0m",
            Marks::Brackets => "】",
        }
    }

    fn dim(self, text: &str) -> String {
        match self {
            Marks::Colour => format!("\x1b[2m{text}\x1b[0m"),
            Marks::Brackets => text.to_string(),
        }
    }

    /// `text` with the byte `ranges` marked.
    pub fn apply(self, text: &str, ranges: &[Range<usize>]) -> String {
        let mut out = String::with_capacity(text.len() + ranges.len() * 8);
        let mut at = 0;
        for range in ranges {
            if range.start < at || range.end > text.len() {
                continue;
            }
            out.push_str(&text[at..range.start]);
            out.push_str(self.open());
            out.push_str(&text[range.clone()]);
            out.push_str(self.close());
            at = range.end;
        }
        out.push_str(&text[at..]);
        out
    }
}

fn or_dash(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("-")
}

/// Province, city and county, each once (a municipality is its own city), or `-`.
fn place(meta: &ReportMeta) -> String {
    let place = [&meta.province, &meta.city, &meta.county]
        .iter()
        .filter_map(|v| v.as_deref())
        .fold(Vec::<&str>::new(), |mut parts, name| {
            if parts.last() != Some(&name) {
                parts.push(name);
            }
            parts
        })
        .join(" ");
    if place.is_empty() {
        "-".to_string()
    } else {
        place
    }
}

/// The one-line heading of a passage: place, year, issuer, section.
fn passage_heading(passage: &Passage, marks: Marks) -> String {
    let meta = &passage.meta;
    let place = place(meta);
    let year = meta.year.map_or("-".to_string(), |y| y.to_string());
    let section = if passage.section.is_empty() {
        "(preamble)"
    } else {
        passage.section.as_str()
    };
    format!(
        "{} {} {} · {} [{}] {}",
        place,
        year,
        or_dash(&meta.issuer),
        section,
        passage.section_kind,
        marks.dim(&format!("{}#{}", passage.path, passage.paragraph)),
    )
}

/// Search results for a person.
pub fn search_human(out: &mut dyn Write, results: &SearchResults, marks: Marks) -> io::Result<()> {
    if results.hits.is_empty() {
        return writeln!(out, "No paragraph matches {}.", results.query);
    }
    if results.passage {
        writeln!(
            out,
            "{} paragraphs hold text of the passage, {} more share its words; the best {}:",
            results.total,
            results.partial,
            results.hits.len()
        )?;
    } else {
        writeln!(
            out,
            "{} paragraphs match all of {}, {} more match some; the best {}:",
            results.total,
            results.query,
            results.partial,
            results.hits.len()
        )?;
    }
    for (rank, hit) in results.hits.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. {}",
            rank + 1,
            passage_heading(&hit.passage, marks)
        )?;
        writeln!(
            out,
            "   {}",
            marks.apply(&hit.snippet, &hit.snippet_highlights)
        )?;
    }
    Ok(())
}

/// Any result as one JSON object on one line.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    writeln!(out)
}

/// What [`MentionsJson`] counts of one paragraph, whose JSON object is made where the
/// paragraph is read.
pub struct JsonParagraph {
    mentions: usize,
    path: String,
}

impl JsonParagraph {
    /// Appends the paragraph and its mentions to `json` as a JSON object, after the comma
    /// that separates it from the one before ([`MentionsJson::paragraphs`] drops the
    /// first's).
    pub fn of(mentions: &MentionsInParagraph<'_>, json: &mut Vec<u8>) -> io::Result<JsonParagraph> {
        json.push(b',');
        serde_json::to_writer(json, &mentions.owned())?;
        Ok(JsonParagraph {
            mentions: mentions.highlights.len(),
            path: mentions.path.to_string(),
        })
    }
}

/// Mentions as one JSON object, written as they come: `phrase`, `paragraphs`, then the
/// counts of what was written (`total` mentions, `reports`) and `groups` when grouped.
/// The counts follow the paragraphs so that nothing is held back.
pub struct MentionsJson<'a> {
    out: &'a mut dyn Write,
    paragraphs: usize,
    total: usize,
    reports: usize,
    last_path: Option<String>,
}

impl<'a> MentionsJson<'a> {
    /// Opens the object and its `paragraphs` list.
    pub fn start(out: &'a mut dyn Write, phrase: &str) -> io::Result<MentionsJson<'a>> {
        out.write_all(b"{\"phrase\":")?;
        serde_json::to_writer(&mut *out, phrase)?;
        out.write_all(b",\"paragraphs\":[")?;
        Ok(MentionsJson {
            out,
            paragraphs: 0,
            total: 0,
            reports: 0,
            last_path: None,
        })
    }

    /// Writes the JSON objects of some `paragraphs`, `objects`, as [`JsonParagraph::of`]
    /// made them, counting their mentions (paragraphs come by report path).
    pub fn paragraphs(
        &mut self,
        paragraphs: Vec<io::Result<JsonParagraph>>,
        objects: &[u8],
    ) -> io::Result<()> {
        let first = self.paragraphs == 0;
        for paragraph in paragraphs {
            let paragraph = paragraph?;
            self.paragraphs += 1;
            self.total += paragraph.mentions;
            if self.last_path.as_ref() != Some(&paragraph.path) {
                self.reports += 1;
                self.last_path = Some(paragraph.path);
            }
        }
        // The list's first object has no comma before it.
        let objects = if first {
            objects.strip_prefix(b",").unwrap_or(objects)
        } else {
            objects
        };
        self.out.write_all(objects)
    }

    /// Closes the list, writes the counts and `groups`, and ends the object.
    pub fn finish(self, groups: Option<&[GroupCount]>) -> io::Result<()> {
        write!(
            self.out,
            "],\"total\":{},\"reports\":{}",
            self.total, self.reports
        )?;
        if let Some(groups) = groups {
            self.out.write_all(b",\"groups\":")?;
            serde_json::to_writer(&mut *self.out, groups)?;
        }
        writeln!(self.out, "}}")
    }
}

/// Mentions for a person: the counts (`total` mentions in so many paragraphs and reports),
/// the group `table` when asked for, then the mentions of `shown` in their context, at
/// most `limit` of them, and a line saying how many more there are and how to see them.
pub fn mentions_human(
    out: &mut dyn Write,
    counts: &MentionCounts,
    table: Option<&[GroupCount]>,
    shown: &[MentioningParagraph],
    limit: usize,
    marks: Marks,
) -> io::Result<()> {
    writeln!(
        out,
        "{} mentions of {} in {} paragraphs of {} reports",
        counts.total, counts.phrase, counts.paragraphs, counts.reports
    )?;
    if let Some(groups) = table {
        group_table(out, groups)?;
    }
    let mut printed = 0usize;
    for paragraph in shown {
        if printed >= limit {
            break;
        }
        writeln!(out)?;
        writeln!(out, "{}", passage_heading(&paragraph.passage, marks))?;
        for range in paragraph.highlights.iter().take(limit - printed) {
            let text = &paragraph.passage.text;
            let (context, local) = context_window(text, range.clone(), CONTEXT_CHARS);
            writeln!(out, "   {}", marks.apply(&context, &[local]))?;
            printed += 1;
        }
    }
    let more = counts.total.saturating_sub(printed as u64);
    if more > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "… {more} more mentions: `--limit 0` shows them all; `--json` or `--csv` lists them for scripts"
        )?;
    }
    Ok(())
}

/// The text around `range`, `chars` characters each side, marked `…` where cut, and
/// `range` within it.
fn context_window(text: &str, range: Range<usize>, chars: usize) -> (String, Range<usize>) {
    let Range { start, end } = context_around(text, range.clone(), chars);
    let prefix = if start > 0 { "…" } else { "" };
    let suffix = if end < text.len() { "…" } else { "" };
    let local = range.start - start + prefix.len()..range.end - start + prefix.len();
    (format!("{prefix}{}{suffix}", &text[start..end]), local)
}

/// Widest bar of a group table, in cells.
const BAR_WIDTH: usize = 40;

/// Heading of the rate column of a group table.
const RATE_HEADING: &str = "per 10k chars";

/// The groups, one row each: key, mentions, rate per 10,000 characters, and a bar.
fn group_table(out: &mut dyn Write, groups: &[GroupCount]) -> io::Result<()> {
    let rates: Vec<String> = groups
        .iter()
        .map(|g| g.rate.map_or("-".to_string(), |rate| format!("{rate:.2}")))
        .collect();
    let widest = groups.iter().map(|g| g.key.width()).max().unwrap_or(0);
    let largest = groups.iter().map(|g| g.count).max().unwrap_or(0).max(1);
    let count_width = largest.to_string().len().max("mentions".len());
    let rate_width = rates
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max(RATE_HEADING.len());
    writeln!(out)?;
    writeln!(
        out,
        "{} {:>count_width$} {RATE_HEADING:>rate_width$}",
        " ".repeat(widest),
        "mentions"
    )?;
    for (group, rate) in groups.iter().zip(&rates) {
        let bar = (group.count as usize * BAR_WIDTH).div_ceil(largest as usize);
        let padding = widest - group.key.width();
        writeln!(
            out,
            "{}{} {:>count_width$} {rate:>rate_width$} {}",
            group.key,
            " ".repeat(padding),
            group.count,
            "█".repeat(bar)
        )?;
    }
    Ok(())
}

/// A shown report for a person: its tags, then its paragraphs numbered, with the section
/// path printed where it changes and `focus` (the paragraph asked for) pointed at.
pub fn show_human(
    out: &mut dyn Write,
    shown: &ShownReport,
    focus: Option<u32>,
    marks: Marks,
) -> io::Result<()> {
    let meta = &shown.meta;
    writeln!(out, "{}", or_dash(&shown.title))?;
    writeln!(
        out,
        "{} {} {} · published {} · {} paragraphs · {}",
        place(meta),
        meta.year.map_or("-".to_string(), |y| y.to_string()),
        or_dash(&meta.issuer),
        or_dash(&meta.published),
        shown.paragraph_count,
        shown.path
    )?;
    let width = shown
        .paragraphs
        .last()
        .map_or(1, |p| p.paragraph.to_string().len());
    let mut section = None;
    for paragraph in &shown.paragraphs {
        if section != Some(&paragraph.section) {
            let path = if paragraph.section.is_empty() {
                "(preamble)"
            } else {
                paragraph.section.as_str()
            };
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                marks.dim(&format!("§ {path} [{}]", paragraph.section_kind))
            )?;
            section = Some(&paragraph.section);
        }
        let pointer = if focus == Some(paragraph.paragraph) {
            "»"
        } else {
            " "
        };
        writeln!(
            out,
            "{pointer} {:>width$}  {}",
            paragraph.paragraph,
            marks.apply(&paragraph.text, &paragraph.highlights)
        )?;
    }
    Ok(())
}

/// The indexed reports for a person, one line each.
pub fn reports_human(out: &mut dyn Write, reports: &[ReportRecord]) -> io::Result<()> {
    writeln!(out, "{} reports", reports.len())?;
    for r in reports {
        let year = r.meta.year.map_or("-".to_string(), |y| y.to_string());
        writeln!(
            out,
            "{}  {} {} {} {}  {}  {}  published {}  {} paragraphs",
            r.path,
            or_dash(&r.meta.province),
            or_dash(&r.meta.city),
            or_dash(&r.meta.county),
            year,
            or_dash(&r.meta.issuer),
            or_dash(&r.title),
            or_dash(&r.meta.published),
            r.paragraphs
        )?;
    }
    Ok(())
}

/// Warnings printed for a person: a corpus of statutes would otherwise print one line per
/// file about its missing place; every skipped file is still printed.
const WARNINGS_SHOWN: usize = 20;

/// The summary of an indexing run for a person.
pub fn index_summary_human(out: &mut dyn Write, summary: &IndexSummary) -> io::Result<()> {
    for skipped in &summary.skipped {
        writeln!(out, "skipped {}: {}", skipped.path, skipped.reason)?;
    }
    for warning in summary.warnings.iter().take(WARNINGS_SHOWN) {
        writeln!(out, "warning {}: {}", warning.path, warning.reason)?;
    }
    if summary.warnings.len() > WARNINGS_SHOWN {
        writeln!(
            out,
            "… and {} more warnings (`fazhi index --json` lists them all)",
            summary.warnings.len() - WARNINGS_SHOWN
        )?;
    }
    let mut changes = vec![format!("{} indexed", summary.indexed)];
    if summary.unchanged > 0 {
        changes.push(format!("{} unchanged", summary.unchanged));
    }
    if summary.removed > 0 {
        changes.push(format!("{} removed", summary.removed));
    }
    if !summary.skipped.is_empty() {
        changes.push(format!("{} skipped", summary.skipped.len()));
    }
    writeln!(
        out,
        "{} reports, {} paragraphs in the index ({}); read {:.1} MB in {:.2} s, {:.1} MB/s",
        summary.reports,
        summary.paragraphs,
        changes.join(", "),
        summary.bytes as f64 / 1e6,
        summary.seconds,
        summary.mb_per_second()
    )
}

/// A figure's median with its range over the rounds: `12.3 (11.0-13.1)`.
fn spread(figure: &Spread, decimals: usize) -> String {
    format!(
        "{:.decimals$} ({:.decimals$}-{:.decimals$})",
        figure.median, figure.min, figure.max
    )
}

/// A stage's printed name and its figure in [`StageTimes`].
type StageColumn = (&'static str, fn(&StageTimes) -> f64);

/// The stages of [`StageTimes`] as printed, in pipeline order.
const STAGES: [StageColumn; 10] = [
    ("reading, decoding", |s| s.reading_decoding),
    ("cleaning, layout", |s| s.cleaning_layout),
    ("metadata", |s| s.metadata),
    ("documents", |s| s.documents),
    ("word segmentation", |s| s.word_segmentation),
    ("character index", |s| s.character_index),
    ("postings, store", |s| s.postings_store),
    ("commit, merge", |s| s.commit_merge),
    ("other", |s| s.other),
    ("total", |s| s.total),
];

/// A benchmark report for a person: one row per thread count, then CPU time by stage.
pub fn bench_human(out: &mut dyn Write, report: &BenchReport) -> io::Result<()> {
    writeln!(
        out,
        "{}: {} files, {:.1} MB, {} paragraphs; {} round{} per thread count; median (min-max)",
        report.corpus.display(),
        report.files,
        report.input_bytes as f64 / 1e6,
        report.paragraphs,
        report.rounds,
        if report.rounds == 1 { "" } else { "s" },
    )?;
    writeln!(out)?;
    let header = [
        "threads",
        "MB/s",
        "paragraphs/s",
        "peak RSS MB",
        "index/input",
        "floor MB/s",
        "ratio to floor",
    ];
    let mut rows = vec![header.map(str::to_string).to_vec()];
    for result in &report.results {
        rows.push(vec![
            result.threads.to_string(),
            spread(&result.mb_per_second, 1),
            spread(&result.paragraphs_per_second, 0),
            spread(&result.peak_rss_mb, 0),
            spread(&result.index_to_input, 2),
            spread(&result.floor_mb_per_second, 1),
            spread(&result.ratio_to_floor, 3),
        ]);
    }
    table(out, &rows)?;
    writeln!(out)?;
    let mut rows = vec![std::iter::once("CPU seconds (median)".to_string())
        .chain(report.results.iter().map(|r| format!("{}t", r.threads)))
        .collect::<Vec<_>>()];
    for (name, stage) in STAGES {
        rows.push(
            std::iter::once(name.to_string())
                .chain(
                    report
                        .results
                        .iter()
                        .map(|r| format!("{:.2}", stage(&r.stages))),
                )
                .collect(),
        );
    }
    table(out, &rows)
}

/// Left-aligned columns two spaces apart, sized by display width.
fn table(out: &mut dyn Write, rows: &[Vec<String>]) -> io::Result<()> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|row| row.get(c))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for row in rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(&widths) {
            line.push_str(cell);
            line.extend(std::iter::repeat_n(' ', width - cell.width() + 2));
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brackets_mark_exactly_the_ranges() {
        let text = "深化“枫桥经验”南岸实践";
        let start = text.find("枫桥经验").unwrap();
        let marked = Marks::Brackets.apply(text, std::slice::from_ref(&(start..start + 12)));
        assert_eq!(marked, "深化“【枫桥经验】”南岸实践");
    }

    #[test]
    fn context_windows_stay_on_characters() {
        let text = "一二三四五六七八九十枫桥经验一二三四五六七八九十";
        let start = text.find("枫桥").unwrap();
        let (context, local) = context_window(text, start..start + 6, 3);
        assert_eq!(context, "…八九十枫桥经验一…");
        assert_eq!(&context[local], "枫桥");
    }
}
