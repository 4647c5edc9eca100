//! The commands of the `fazhi` binary, each from parsed options to printed output.
//!
//! `main.rs` only turns arguments into these option structs; everything a command does
//! lives here, so that it can be tested and reused without a process.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use crate::error::Result;
use crate::filter::Filters;
use crate::indexer::{build_index, IndexOptions, IndexSummary, NoProgress, Progress};
use crate::mention_counts::count_mentions;
use crate::mentions::{find_mentions, GroupBy, Matching};
use crate::printer::{self, Marks};
use crate::query;
use crate::schema::index_exists;
use crate::search::search;
use crate::store::{guard, IndexStore};

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
pub fn run_index(
    options: &IndexOptions,
    format: Format,
    show_progress: bool,
    out: &mut dyn Write,
) -> Result<()> {
    let summary = build_showing_progress(options, show_progress)?;
    match format {
        Format::Json => printer::json(out, &summary)?,
        _ => printer::index_summary_human(out, &summary)?,
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
pub fn open_or_build(locations: &Locations, notices: &mut dyn Write) -> Result<IndexStore> {
    let build = !index_exists(&locations.index) && locations.corpus.is_dir();
    if build {
        writeln!(
            notices,
            "fazhi: no index at {}; building it from {} first",
            locations.index.display(),
            locations.corpus.display()
        )?;
        let options = IndexOptions {
            corpus: locations.corpus.clone(),
            index: locations.index.clone(),
            rebuild: false,
            threads: None,
            memory_mb: None,
        };
        let summary = build_showing_progress(&options, std::io::stderr().is_terminal())?;
        printer::index_summary_human(notices, &summary)?;
    }
    let store = IndexStore::open(&locations.index)?;
    if !build && store.searcher().num_docs() == 0 {
        // Created by a `fazhi index` that has not committed yet, or was stopped before.
        writeln!(
            notices,
            "fazhi: the index at {} holds no reports yet: run `fazhi index` (or wait for the one running) to fill it",
            locations.index.display()
        )?;
    }
    Ok(store)
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
pub fn run_search(
    locations: &Locations,
    options: &SearchOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    // Parse first: a malformed query should not wait for an index to be built.
    let parsed = query::parse(&options.query)?;
    let store = open_or_build(locations, notices)?;
    let results = guard(&store.dir, || {
        search(&store, &parsed, &options.filters, options.limit)
    })?;
    match format {
        Format::Human(marks) => printer::search_human(out, &results, marks)?,
        Format::Json | Format::Csv => printer::json(out, &results)?,
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
pub fn run_mentions(
    locations: &Locations,
    options: &MentionsOptions,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    let store = open_or_build(locations, notices)?;
    let count = |by: GroupBy| {
        guard(&store.dir, || {
            count_mentions(
                &store,
                &options.phrase,
                &options.filters,
                options.matching,
                Some(by),
            )
        })
    };
    // A person asking for groups gets the table: counted from the index, nothing listed.
    if let (Some(by), Format::Human(_)) = (options.by, format) {
        printer::mention_counts_human(out, &count(by)?)?;
        return Ok(());
    }
    let mentions = guard(&store.dir, || {
        find_mentions(&store, &options.phrase, &options.filters, options.matching)
    })?;
    match format {
        Format::Human(marks) => printer::mentions_human(out, &mentions, marks)?,
        Format::Json => {
            let counts = options.by.map(count).transpose()?;
            let groups = counts.as_ref().map(|c| c.groups.as_slice());
            printer::mentions_json(out, &mentions, groups)?
        }
        Format::Csv => printer::mentions_csv(out, &mentions)?,
    }
    Ok(())
}

/// Runs `fazhi reports`.
pub fn run_reports(
    locations: &Locations,
    format: Format,
    out: &mut dyn Write,
    notices: &mut dyn Write,
) -> Result<()> {
    let store = open_or_build(locations, notices)?;
    let reports = store.reports()?;
    match format {
        Format::Json => {
            #[derive(serde::Serialize)]
            struct Reports<'a> {
                reports: &'a [crate::store::ReportRecord],
            }
            printer::json(out, &Reports { reports: &reports })?
        }
        _ => printer::reports_human(out, &reports)?,
    }
    Ok(())
}

/// A progress bar on the terminal: files, MB, MB/s, ETA.
struct BarProgress {
    bar: Option<ProgressBar>,
    files_done: usize,
    files: usize,
}

impl BarProgress {
    fn new() -> BarProgress {
        BarProgress {
            bar: None,
            files_done: 0,
            files: 0,
        }
    }
}

impl Progress for BarProgress {
    fn start(&mut self, files: usize, bytes: u64) {
        let bar = ProgressBar::new(bytes);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
            )
            .expect("the template is valid"),
        );
        bar.set_message(format!("0/{files} files"));
        self.bar = Some(bar);
        self.files = files;
    }

    fn file_done(&mut self, bytes: u64) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!("{}/{} files", self.files_done, self.files));
        }
    }

    fn finishing(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
