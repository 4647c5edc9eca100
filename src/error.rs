//! The library's errors. They carry what went wrong as data; the front-ends (the command
//! line, the web server) word them for their users, with their own option names.

use std::path::PathBuf;

/// Everything that can stop a fazhi command from doing its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The corpus folder cannot be indexed.
    #[error("corpus folder {path}: {problem}")]
    Corpus {
        /// The folder given as the corpus.
        path: PathBuf,
        /// What is wrong with it.
        problem: CorpusProblem,
    },
    /// The manifest (`fazhi.toml` or `fazhi.csv`) cannot be used.
    #[error("manifest {path}: {reason}")]
    Manifest {
        /// The manifest file (or the corpus folder, when there are two manifests).
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// There is no index where one was expected.
    #[error("no index at {path}")]
    NoIndex {
        /// The index folder.
        path: PathBuf,
    },
    /// The index exists but cannot be used; rebuilding it is the remedy.
    #[error("index at {path} cannot be read ({problem})")]
    BrokenIndex {
        /// The index folder.
        path: PathBuf,
        /// What is wrong with it.
        problem: IndexProblem,
    },
    /// The path given for an index cannot hold one.
    #[error("{path} is not an index folder: {problem}")]
    NotAnIndexFolder {
        /// The path given.
        path: PathBuf,
        /// Why it cannot hold an index.
        problem: FolderProblem,
    },
    /// Another process is writing the index.
    #[error("index at {path} is being written by another fazhi process")]
    IndexLocked {
        /// The index folder.
        path: PathBuf,
    },
    /// The query cannot be understood.
    #[error("query {query:?}: {problem}")]
    Query {
        /// The query as given.
        query: String,
        /// What is wrong with it.
        problem: QueryProblem,
    },
    /// A place filter names a place no indexed report is from.
    #[error("{tag} {value}: no report in the index is from there")]
    UnknownPlace {
        /// Which tag the filter was on.
        tag: PlaceTag,
        /// The name given.
        value: String,
        /// The indexed names closest to it, closest first: the places it starts when it
        /// starts several, else those sharing characters with it (may be empty).
        closest: Vec<String>,
        /// Whether the index has any report with this tag.
        any_indexed: bool,
    },
    /// No report at this path in the index.
    #[error("no report {path:?} in the index")]
    UnknownReport {
        /// The path asked for.
        path: String,
    },
    /// The report has no paragraph of this number.
    #[error("report {path:?} has no paragraph {paragraph}: its paragraphs are 1 to {paragraphs}")]
    UnknownParagraph {
        /// The report's path.
        path: String,
        /// The number asked for.
        paragraph: u32,
        /// How many paragraphs the report has.
        paragraphs: usize,
    },
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// An indexing run started by a benchmark failed.
    #[error("indexing run {program} failed: {reason}")]
    IndexingRun {
        /// The program that was run.
        program: PathBuf,
        /// What it said, or what was wrong with what it printed.
        reason: String,
    },
    /// Results could not be written (closed pipe, full disk).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// An error from the search engine library.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// True for errors in what the user asked for (a query, a filter), as opposed to
    /// failures of the corpus, the index or the machine.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            Error::Query { .. }
                | Error::UnknownPlace { .. }
                | Error::UnknownReport { .. }
                | Error::UnknownParagraph { .. }
        )
    }
}

/// What is wrong with a corpus folder.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorpusProblem {
    /// The folder does not exist.
    #[error("no such folder")]
    Missing,
    /// The path is a file, not a folder.
    #[error("not a folder")]
    NotAFolder,
    /// The folder holds no file that could be a report.
    #[error("holds no report files (.txt, .html)")]
    NoReportFiles,
    /// The folder cannot be listed.
    #[error("{0}")]
    Unreadable(String),
}

/// What makes an index unusable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IndexProblem {
    /// Written by a fazhi of another index format.
    #[error("it has index format {found}, this fazhi reads format {expected}")]
    OtherFormat {
        /// The format of the index.
        found: u32,
        /// The format this build reads and writes.
        expected: u32,
    },
    /// A tantivy index fazhi did not write.
    #[error("it carries no fazhi format stamp")]
    NoFormatStamp,
    /// The fields are not fazhi's.
    #[error("its schema is not fazhi's ({0})")]
    ForeignSchema(String),
    /// Files of an index that was never finished are in the way.
    #[error("it holds leftover index files")]
    LeftoverFiles,
    /// Files are missing, truncated or damaged, as said.
    #[error("{0}")]
    Damaged(String),
}

/// Why a path cannot hold an index.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FolderProblem {
    /// It is a file.
    #[error("it is a file")]
    IsAFile,
    /// The folder it would be created in does not exist.
    #[error("the folder it would be made in does not exist")]
    MissingParent,
    /// A folder holding a file no index writes: the user's, never written into or emptied.
    #[error("it holds {0}, which is not an index file")]
    HoldsOtherFiles(String),
}

/// What is wrong with a query or a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum QueryProblem {
    /// Nothing was typed.
    #[error("empty query: give a word or a \"quoted phrase\" to search for")]
    Empty,
    /// Only punctuation was typed.
    #[error("the query has no words, only punctuation: give a word to search for")]
    OnlyPunctuation,
    /// A quote opens a phrase that never closes.
    #[error("unbalanced quote: close the phrase with a matching quote, or remove the quote")]
    UnbalancedQuote,
    /// Quotes around nothing.
    #[error("empty phrase: put words between the quotes")]
    EmptyPhrase,
    /// Only `-words`.
    #[error("the query only excludes words: add a word to search for besides the -words")]
    OnlyExcludes,
    /// An empty phrase to find mentions of.
    #[error("empty phrase: give the text to find")]
    NothingToFind,
    /// Loose matching ignores punctuation and spaces, and the phrase has nothing else.
    #[error("nothing is left to find once punctuation and spaces are ignored")]
    NothingLeftWhenLoose,
}

/// The place tags a report carries and filters test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceTag {
    /// County-level division.
    County,
    /// Prefecture-level city.
    City,
    /// Province-level division.
    Province,
}

impl PlaceTag {
    /// The tag's name: `county`, `city` or `province`.
    pub fn as_str(self) -> &'static str {
        match self {
            PlaceTag::County => "county",
            PlaceTag::City => "city",
            PlaceTag::Province => "province",
        }
    }
}

impl std::fmt::Display for PlaceTag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
