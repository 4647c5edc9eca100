//! [`Index`], the one handle on an index folder for reading: what the command line and
//! the web server both use to search, count mentions and list reports.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use tantivy::directory::error::OpenReadError;
use tantivy::{IndexReader, Searcher, TantivyError};

use crate::error::{Error, IndexProblem, Result};
use crate::index::damage::guard;
use crate::index::documents::report_records;
use crate::index::folder::{
    check_format, check_index_folder, index_exists, open_checked, CommitMark,
};
use crate::index::listing::{CorpusCheck, CorpusListing};
use crate::index::schema::Fields;
use crate::model::ReportRecord;
use crate::query::counts::{count_mentions, MentionCounts};
use crate::query::facets::{FacetCounter, Facets};
use crate::query::filters::Filters;
use crate::query::mentions::{
    GroupBy, Listing, Matching, MentioningParagraph, Mentions, MentionsInParagraph,
};
use crate::query::parse::Query;
use crate::query::search::{ranked_query, search, Page, SearchResults};
use crate::query::show::{show, Extent, Marking, ShownReport};

/// An opened fazhi index.
///
/// Every read guards itself: damage to the index's files that makes tantivy fail or panic
/// comes back as [`Error::BrokenIndex`]. The handle follows the index: a read that finds
/// the index committed since the last one (by a `fazhi index` running meanwhile) reloads
/// first, so a long-running server answers from the newest commit.
pub struct Index {
    dir: PathBuf,
    index: tantivy::Index,
    fields: Fields,
    reader: IndexReader,
    /// The commit the reader has loaded.
    loaded: Mutex<Option<CommitMark>>,
    /// Tag tables of the segments searched, for filter counts.
    facets: FacetCounter,
    /// The report list and the searcher generation it was read from: reading it costs a
    /// stored document per report, each in its own compressed block, and a server is
    /// asked for it on every visit to its page.
    reports: Mutex<Option<(u64, Vec<ReportRecord>)>>,
}

impl Index {
    /// Opens the index in `dir`, checking that it is a fazhi index of this format whose
    /// segment files are all there.
    pub fn open(dir: &Path) -> Result<Index> {
        if !index_exists(dir) {
            // Say why a path given by mistake (a file, a folder of other files) holds none.
            if dir.exists() {
                check_index_folder(dir)?;
            }
            return Err(Error::NoIndex {
                path: dir.to_path_buf(),
            });
        }
        let loaded = CommitMark::of(dir);
        let (index, reader) = open_checked(dir)?;
        let fields = Fields::of(&index.schema()).map_err(|err| Error::BrokenIndex {
            path: dir.to_path_buf(),
            problem: IndexProblem::ForeignSchema(err.to_string()),
        })?;
        Ok(Index {
            dir: dir.to_path_buf(),
            index,
            fields,
            reader,
            loaded: Mutex::new(loaded),
            facets: FacetCounter::default(),
            reports: Mutex::new(None),
        })
    }

    /// True when `dir` holds an index (committed or not) that [`Index::open`] can try.
    pub fn exists(dir: &Path) -> bool {
        index_exists(dir)
    }

    /// The folder the index lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// True when the index holds no report: created by a `fazhi index` that has not
    /// committed yet, or was stopped before it did.
    pub fn is_empty(&self) -> Result<bool> {
        self.read(|searcher, _| Ok(searcher.num_docs() == 0))
    }

    /// The indexed reports, sorted by path.
    pub fn reports(&self) -> Result<Vec<ReportRecord>> {
        self.read(|searcher, fields| {
            let generation = searcher.generation().generation_id();
            let mut kept = self.reports.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some((read_at, reports)) = kept.as_ref() {
                if *read_at == generation {
                    return Ok(reports.clone());
                }
            }
            let reports = report_records(searcher, fields)?;
            *kept = Some((generation, reports.clone()));
            Ok(reports)
        })
    }

    /// The best `limit` paragraphs for `query` among those that pass `filters`.
    pub fn search(&self, query: &Query, filters: &Filters, limit: usize) -> Result<SearchResults> {
        self.search_page(query, filters, 0, limit)
    }

    /// The `limit` paragraphs for `query` ranked after the best `offset`.
    pub fn search_page(
        &self,
        query: &Query,
        filters: &Filters,
        offset: usize,
        limit: usize,
    ) -> Result<SearchResults> {
        let page = Page { offset, limit };
        self.read(|searcher, fields| search(searcher, fields, query, filters, page))
    }

    /// How many paragraphs `query` finds for each choice of each filter, the other filters
    /// kept: what choosing another province, city, county, year or section would give.
    pub fn facets(&self, query: &Query, filters: &Filters) -> Result<Facets> {
        self.read(|searcher, fields| {
            let unfiltered = ranked_query(searcher, fields, query, &Filters::default())?;
            self.facets.count(searcher, fields, filters, &unfiltered)
        })
    }

    /// The paragraphs of the report at `path` (as [`Index::reports`] lists it) that
    /// `extent` asks for, marked as `marking` says. The path is looked up in the index,
    /// never opened.
    pub fn show(&self, path: &str, extent: Extent, marking: &Marking) -> Result<ShownReport> {
        self.read(|searcher, fields| show(searcher, fields, path, extent, marking))
    }

    /// Every mention of `phrase` in the paragraphs that pass `filters`.
    pub fn mentions(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
    ) -> Result<Mentions> {
        self.listing(phrase, filters, matching, |listing| listing.all())
    }

    /// Calls `visit` with what `render` makes of the paragraphs that mention `phrase`
    /// among those that pass `filters`, by report path and paragraph order, a few hundred
    /// at a time, holding only a few hundred paragraphs in memory whatever their number:
    /// the way to write them all out. `render` runs on the threads that read the
    /// paragraphs, so that the output is made in parallel and the text is never copied: it
    /// appends a paragraph's output to the buffer it is given, and returns what else
    /// `visit` needs. `visit` runs on this thread, in order, with what `render` returned
    /// for each paragraph and their output end to end, to write at once. An error from
    /// `visit` (a closed pipe, a full disk) stops the reading and comes back as
    /// [`crate::Error::Output`].
    pub fn each_mention<T: Send>(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        render: impl Fn(&MentionsInParagraph<'_>, &mut Vec<u8>) -> T + Sync,
        mut visit: impl FnMut(Vec<T>, &[u8]) -> std::io::Result<()>,
    ) -> Result<()> {
        self.listing(phrase, filters, matching, |listing| {
            listing.each(&render, &mut visit)
        })
    }

    /// A comparison of the corpus folder the index was built from with what it holds now,
    /// in files (names, sizes and modification times; nothing is read or hashed), for
    /// threads to walk and then ask [`CorpusCheck::changes`]; `None` when there is nothing
    /// to compare with.
    pub fn corpus_check(&self) -> Option<CorpusCheck> {
        CorpusListing::read(&self.dir)?.check()
    }

    /// The first paragraphs, by report path and paragraph order, mentioning `phrase` among
    /// those that pass `filters`, until they hold `enough` mentions: a preview that reads
    /// little more than it shows.
    pub fn first_mentions(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        enough: usize,
    ) -> Result<Vec<MentioningParagraph>> {
        self.listing(phrase, filters, matching, |listing| listing.first(enough))
    }

    /// Paragraphs `skip..skip + take`, by report path and paragraph order, of those that
    /// mention `phrase` and pass `filters`: a page of the listing, read no further than its
    /// end ([`Index::count_mentions`] gives the totals).
    pub fn mention_page(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        skip: usize,
        take: usize,
    ) -> Result<Vec<MentioningParagraph>> {
        self.listing(phrase, filters, matching, |listing| {
            listing.page(skip, take)
        })
    }

    /// How often `phrase` is mentioned in the paragraphs that pass `filters`, in all and
    /// per group of `by`, counted from the index alone (no stored text is read for exact
    /// matching).
    pub fn count_mentions(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        by: Option<GroupBy>,
    ) -> Result<MentionCounts> {
        let mut counts = self.count_mentions_by(phrase, filters, matching, &[by])?;
        Ok(counts.pop().expect("one count per grouping asked for"))
    }

    /// [`Index::count_mentions`] once for each of `bys`, from one pass over the mentions:
    /// a page that shows the counts by several tags finds the mentions (and, when loose,
    /// reads their paragraphs) once.
    pub fn count_mentions_by(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        bys: &[Option<GroupBy>],
    ) -> Result<Vec<MentionCounts>> {
        self.read(|searcher, fields| {
            count_mentions(searcher, fields, phrase, filters, matching, bys)
        })
    }

    /// Runs `read` on the listing of the mentions of `phrase` in the paragraphs that pass
    /// `filters`, over the last commit.
    fn listing<T>(
        &self,
        phrase: &str,
        filters: &Filters,
        matching: Matching,
        mut read: impl FnMut(&Listing) -> Result<T>,
    ) -> Result<T> {
        self.read(|searcher, fields| {
            read(&Listing {
                searcher,
                fields,
                phrase,
                filters,
                matching,
            })
        })
    }

    /// Runs `read` on a searcher over the last commit, reporting damage as such.
    ///
    /// tantivy opens its own files when the reader loads a commit, fazhi's segment files
    /// when a query reads them. Meanwhile a `fazhi index` in another process may commit a
    /// merge and delete the merged segments: a file then missing is read again from the
    /// new commit, and only reported as damage when the commit has not moved.
    fn read<T>(&self, mut read: impl FnMut(&Searcher, &Fields) -> Result<T>) -> Result<T> {
        guard(&self.dir, || {
            self.follow_commits()?;
            let mut retries = 0;
            loop {
                match read(&self.reader.searcher(), &self.fields) {
                    Err(err) if is_missing_file(&err) && retries < COMMIT_RETRIES => {
                        retries += 1;
                        if !self.follow_commits()? {
                            return Err(err);
                        }
                    }
                    result => return result,
                }
            }
        })
    }

    /// Reloads the reader when the index was committed since it last loaded, and says
    /// whether it did: one `stat` of `meta.json` per read, where tantivy's own reloading
    /// would keep a watcher thread.
    fn follow_commits(&self) -> Result<bool> {
        let mut loaded = self.loaded.lock().unwrap_or_else(PoisonError::into_inner);
        let now = CommitMark::of(&self.dir);
        if *loaded == now {
            return Ok(false);
        }
        // A commit by another build may be of another format: refuse it as at opening.
        check_format(&self.dir, &self.index)?;
        self.reader.reload()?;
        *loaded = now;
        Ok(true)
    }
}

/// Times a read is tried again on a newer commit when a segment file went missing: a
/// commit deletes the files of the segments it merged at most once per read.
const COMMIT_RETRIES: usize = 3;

/// True for the error of a segment file that does not exist.
fn is_missing_file(err: &Error) -> bool {
    matches!(
        err,
        Error::Tantivy(TantivyError::OpenReadError(
            OpenReadError::FileDoesNotExist(_)
        ))
    )
}
