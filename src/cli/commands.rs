//! The commands, each from parsed options to printed output, on the library's [`Index`].

use std::io::{BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use fazhi::{
    build_index, check_index_folder, run_bench, run_indexing_process, split_target, BenchOptions,
    CorpusCheck, Extent, Filters, GroupBy, Index, IndexOptions, IndexRound, IndexSummary, Marking,
    Matching, MeasuredRun, NoBenchProgress, NoProgress, Query, Result,
};

use super::print::{self, Marks};
use super::progress::{BarProgress, BenchBar};
use crate::export;

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// For a person; highlights marked as given.
    Human(Marks),
    /// One JSON object.
    Json,
    /// CSV rows (mentions only).
    Csv,
}

/// Where the index and the corpus are.
#[derive(Debug, Clone)]
pub struct Locations {
    /// The index folder.
    pub index: PathBuf,
    /// The corpus folder, used to build the index when there is none.
    pub corpus: PathBuf,
    /// Whether a missing index is built from the corpus before searching.
    pub build_when_missing: bool,
}

/// Runs `fazhi index`.
pub fn index(
    options: &IndexOptions,
    format: Format,
    show_progress: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let summary = build_showing_progress(options, show_progress)?;
    match format {
        Format::Json => print::json(out, &summary)?,
        _ => print::index_summary_human(out, &summary)?,
    }
    Ok(())
}

/// Builds the index, with a progress bar on the terminal when `show_progress`.
fn build_showing_progress(options: &IndexOptions, show_progress: bool) -> Result<IndexSummary> {
    if show_progress {
        build_index(options, &mut BarProgress::new())
    } else {
        build_index(options, &mut NoProgress)
    }
}

/// Opens the index, building it from the corpus first when there is none yet, and says so
/// on `notices`; then runs `answer` on it, saying on `notices` too when the corpus has
/// changed since the index was built.
///
/// The corpus is compared (a stat per file) on a second thread while `answer` runs, so the
/// check costs no waiting; what is left of it when the answer is ready is shared with
/// this thread.
fn answer_from_index(
    locations: &Locations,
    notices: &mut dyn Write,
    answer: impl FnOnce(&Index) -> Result<()>,
) -> Result<()> {
    let index = open_or_build(locations, notices)?;
    // Begun on the second thread: reading the listing is part of the check's cost.
    let check = OnceLock::new();
    let begin = || index.corpus_check();
    std::thread::scope(|scope| {
        let walker = scope.spawn(|| {
            check
                .get_or_init(begin)
                .as_ref()
                .map(CorpusCheck::take_part)
        });
        answer(&index)?;
        let changes = check
            .get_or_init(begin)
            .as_ref()
            .and_then(CorpusCheck::changes);
        // A check that failed halfway costs the notice, never the answer.
        let walked = walker.join().is_ok();
        if let Some(changes) = changes.filter(|_| walked) {
            writeln!(
                notices,
                "fazhi: {} since the index was built ({} added, {} changed, {} removed): run `fazhi index --corpus {} --index {}` to update it",
                counted(changes.added + changes.changed + changes.removed, "corpus file has changed", "corpus files have changed"),
                changes.added,
                changes.changed,
                changes.removed,
                changes.corpus.display(),
                locations.index.display()
            )?;
        }
        Ok(())
    })
}

/// Opens the index, building it from the corpus first when there is none yet, and says so
/// on `notices`.
pub fn open_or_build(locations: &Locations, notices: &mut dyn Write) -> Result<Index> {
    let build = locations.build_when_missing
        && !Index::exists(&locations.index)
        && locations.corpus.is_dir();
    if build {
        // Refused before saying that it is being built.
        check_index_folder(&locations.index)?;
        writeln!(
            notices,
            "fazhi: no index at {}; building it from {} first",
            locations.index.display(),
            locations.corpus.display()
        )?;
        let options = IndexOptions::new(locations.corpus.clone(), locations.index.clone());
        let summary = build_showing_progress(&options, std::io::stderr().is_terminal())?;
        print::index_summary_human(notices, &summary)?;
    }
    let index = Index::open(&locations.index)?;
    if !build && index.is_empty()? {
        // Created by a `fazhi index` that has not committed yet, or was stopped before.
        writeln!(
            notices,
            "fazhi: the index at {} holds no reports yet: run `fazhi index` (or wait for the one running) to fill it",
            locations.index.display()
        )?;
    }
    Ok(index)
}

/// `count` and the singular or plural phrase that follows it.
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// Options of `fazhi search`.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// The query as typed.
    pub query: String,
    /// Tag filters.
    pub filters: Filters,
    /// How many hits to show.
    pub limit: usize,
}

/// Runs `fazhi search`.
pub fn search(
    locations: &Locations,
    options: &SearchOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    // Parse first: a malformed query should not wait for an index to be built.
    let query = Query::parse(&options.query)?;
    answer_from_index(locations, notices, |index| {
        let results = index.search(&query, &options.filters, options.limit)?;
        match format {
            Format::Human(marks) => print::search_human(out, &results, marks)?,
            Format::Json | Format::Csv => print::json(out, &results)?,
        }
        Ok(())
    })
}

/// Options of `fazhi mentions`.
#[derive(Debug, Clone)]
pub struct MentionsOptions {
    /// The phrase to find.
    pub phrase: String,
    /// Tag filters.
    pub filters: Filters,
    /// Count by this tag.
    pub by: Option<GroupBy>,
    /// How many mentions a person is shown after the counts; 0 for all.
    pub limit: usize,
    /// Exact or loose matching.
    pub matching: Matching,
}

/// Bytes a listing of every mention gathers before writing them out: standard output
/// writes line by line, a syscall per mention otherwise.
const LISTING_BUFFER: usize = 1 << 16;

/// Runs `fazhi mentions`.
pub fn mentions(
    locations: &Locations,
    options: &MentionsOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    answer_from_index(locations, notices, |index| {
        let (phrase, filters, matching) = (&options.phrase, &options.filters, options.matching);
        let count = |by: Option<GroupBy>| index.count_mentions(phrase, filters, matching, by);
        match (format, options.by) {
            (Format::Human(marks), by) => {
                // The counts come from the index; only the mentions shown are read.
                let counts = count(by)?;
                let enough = match options.limit {
                    0 => usize::MAX,
                    limit => limit,
                };
                let shown = index.first_mentions(phrase, filters, matching, enough)?;
                let table = by.map(|_| counts.groups.as_slice());
                print::mentions_human(out, &counts, table, &shown, enough, marks)?
            }
            (Format::Csv, Some(by)) => export::mention_counts_csv(out, &count(Some(by))?)?,
            (Format::Csv, None) => {
                let mut out = BufWriter::with_capacity(LISTING_BUFFER, &mut *out);
                export::start_mentions_csv(&mut out)?;
                index.each_mention(
                    phrase,
                    filters,
                    matching,
                    export::mention_rows,
                    |_, rows| out.write_all(rows),
                )?;
                out.flush()?
            }
            (Format::Json, by) => {
                let mut out = BufWriter::with_capacity(LISTING_BUFFER, &mut *out);
                let mut json = print::MentionsJson::start(&mut out, phrase)?;
                index.each_mention(
                    phrase,
                    filters,
                    matching,
                    print::JsonParagraph::of,
                    |paragraphs, objects| json.paragraphs(paragraphs, objects),
                )?;
                let counts = by.map(|by| count(Some(by))).transpose()?;
                json.finish(counts.as_ref().map(|c| c.groups.as_slice()))?;
                out.flush()?
            }
        }
        Ok(())
    })
}

/// Options of `fazhi show`.
#[derive(Debug, Clone)]
pub struct ShowOptions {
    /// `PATH` or `PATH#N`, as hits print it.
    pub target: String,
    /// Paragraphs shown each side of paragraph N.
    pub context: u32,
    /// A search query whose matches are marked.
    pub query: Option<String>,
}

/// Runs `fazhi show`.
pub fn show(
    locations: &Locations,
    options: &ShowOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    // Parse first: a malformed query should not wait for an index to be built.
    let marking = match &options.query {
        Some(query) => Marking::Query(Query::parse(query)?),
        None => Marking::Nothing,
    };
    let index = open_or_build(locations, notices)?;
    let (path, paragraph) = split_target(&options.target);
    let extent = match paragraph {
        Some(paragraph) => Extent::Around {
            paragraph,
            context: options.context,
        },
        None => Extent::Whole,
    };
    let shown = index.show(path, extent, &marking)?;
    match format {
        Format::Human(marks) => print::show_human(out, &shown, paragraph, marks)?,
        Format::Json | Format::Csv => print::json(out, &shown)?,
    }
    Ok(())
}

/// Runs `fazhi bench`.
pub fn bench(
    options: &BenchOptions,
    format: Format,
    show_progress: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let mut indexer = IndexingProcess {
        program: std::env::current_exe()?,
    };
    let report = if show_progress {
        run_bench(options, &mut indexer, &mut BenchBar::new())?
    } else {
        run_bench(options, &mut indexer, &mut NoBenchProgress)?
    };
    match format {
        Format::Json => print::json(out, &report)?,
        _ => print::bench_human(out, &report)?,
    }
    Ok(())
}

/// Each round of a benchmark is this very program's `fazhi index`, in a process of its own,
/// so that its wall time and peak memory are those of the command a user runs.
struct IndexingProcess {
    program: PathBuf,
}

impl IndexRound for IndexingProcess {
    fn index(&mut self, corpus: &Path, index: &Path, threads: usize) -> Result<MeasuredRun> {
        let mut command = Command::new(&self.program);
        command
            .arg("--corpus")
            .arg(corpus)
            .arg("--index")
            .arg(index)
            .args(["index", "--rebuild", "--json", "--threads"])
            .arg(threads.to_string());
        run_indexing_process(command)
    }
}

/// Runs `fazhi reports`.
pub fn reports(
    locations: &Locations,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    answer_from_index(locations, notices, |index| {
        let reports = index.reports()?;
        match format {
            Format::Json => {
                #[derive(serde::Serialize)]
                struct Reports<'a> {
                    reports: &'a [fazhi::ReportRecord],
                }
                print::json(out, &Reports { reports: &reports })?
            }
            _ => print::reports_human(out, &reports)?,
        }
        Ok(())
    })
}
