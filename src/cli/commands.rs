//! The commands, each from parsed options to printed output, on the library's [`Index`].

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use fazhi::{
    build_index, run_bench, run_indexing_process, BenchOptions, Filters, GroupBy, Index,
    IndexOptions, IndexRound, IndexSummary, Matching, MeasuredRun, NoBenchProgress, NoProgress,
    Query, Result,
};

use super::print::{self, Marks};
use super::progress::{BarProgress, BenchBar};

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
/// on `notices`.
pub fn open_or_build(locations: &Locations, notices: &mut dyn Write) -> Result<Index> {
    let build = !Index::exists(&locations.index) && locations.corpus.is_dir();
    if build {
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
    if !build && index.is_empty() {
        // Created by a `fazhi index` that has not committed yet, or was stopped before.
        writeln!(
            notices,
            "fazhi: the index at {} holds no reports yet: run `fazhi index` (or wait for the one running) to fill it",
            locations.index.display()
        )?;
    }
    Ok(index)
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
    let index = open_or_build(locations, notices)?;
    let results = index.search(&query, &options.filters, options.limit)?;
    match format {
        Format::Human(marks) => print::search_human(out, &results, marks)?,
        Format::Json | Format::Csv => print::json(out, &results)?,
    }
    Ok(())
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
    /// Exact or loose matching.
    pub matching: Matching,
}

/// Runs `fazhi mentions`.
pub fn mentions(
    locations: &Locations,
    options: &MentionsOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    let index = open_or_build(locations, notices)?;
    let mentions = index.mentions(&options.phrase, &options.filters, options.matching)?;
    let groups = options.by.map(|by| mentions.group_counts(by));
    match format {
        Format::Human(marks) => print::mentions_human(out, &mentions, groups.as_deref(), marks)?,
        Format::Json => print::mentions_json(out, &mentions, groups.as_deref())?,
        Format::Csv => print::mentions_csv(out, &mentions)?,
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
    let reports = open_or_build(locations, notices)?.reports()?;
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
}
