//! The library's error type.

use std::path::PathBuf;

/// Everything that can stop a fazhi command from doing its job.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The corpus folder does not exist or cannot be read.
    #[error("corpus folder {path}: {reason}")]
    Corpus { path: PathBuf, reason: String },
    /// There is no index where one was expected.
    #[error("no index at {path}: build one with `fazhi index --corpus DIR --index {path}`")]
    NoIndex { path: PathBuf },
    /// The index exists but cannot be used.
    #[error("index at {path} cannot be read ({reason}): rebuild it with `fazhi index --rebuild --index {path}`")]
    BrokenIndex { path: PathBuf, reason: String },
    /// Another process is writing the index.
    #[error("index at {path} is being written by another fazhi process: wait for it to finish, then try again")]
    IndexLocked { path: PathBuf },
    /// The query cannot be understood.
    #[error("query {query:?}: {reason}")]
    Query { query: String, reason: String },
    /// A filter option names something that does not exist.
    #[error("{0}")]
    Filter(String),
    /// An I/O error on a named file.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Results could not be written (closed pipe, full disk).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// An error from the search engine library.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl Error {
    /// True for errors in what the user typed (exit status 2), as opposed to failures.
    pub fn is_usage(&self) -> bool {
        matches!(self, Error::Query { .. } | Error::Filter(_))
    }
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
