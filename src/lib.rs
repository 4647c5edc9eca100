//! fazhi: full-text search for Chinese rule-of-law government reports (法治政府建设年度报告).
//!
//! The library is a pipeline in three stages, one folder each, data flowing one way:
//!
//! - `read/`: a corpus folder -> [`Report`]s (walk, manifest, decode, clean, layout,
//!   headings, metadata, gazetteer);
//! - `index/`: reports -> a tantivy index folder ([`build_index`]: documents, schema,
//!   tokenizers, the word indexes, the character index, the folder and its damage checks);
//! - `query/`: a query -> ranked paragraphs, counted mentions and exact highlights (parse,
//!   words, filters, substring, word queries, search, mentions, highlight).
//!
//! [`run_bench`] benchmarks indexing (throughput, memory, CPU time by stage, against jieba's
//! segmentation alone).
//!
//! [`Index`] is the one handle for reading an index; the command line and the web server
//! (in the binary, `src/cli/` and beside it) both use it, and they alone turn results and
//! [`Error`]s into words, flags, colours and exit codes.

#![warn(missing_docs)]

mod chars;
mod error;
mod handle;
mod index;
mod model;
mod query;
mod read;

pub use error::{
    CorpusProblem, Error, FolderProblem, IndexProblem, PlaceTag, QueryProblem, Result,
};
pub use handle::Index;
pub use index::bench::{
    run_bench, run_indexing_process, segmentation_floor, BenchOptions, BenchProgress, BenchReport,
    BenchRound, IndexRound, MeasuredRun, NoBenchProgress, Spread, ThreadsResult,
};
pub use index::build::{build_index, IndexOptions, IndexSummary, NoProgress, Progress};
pub use index::damage::panic_is_reported;
pub use index::folder::check_index_folder;
pub use index::listing::{CorpusChanges, CorpusCheck};
pub use index::stage_clock::StageTimes;
pub use model::{Paragraph, Passage, Report, ReportMeta, ReportRecord, SectionKind};
pub use query::counts::{GroupCount, MentionCounts, RATE_PER_CHARS};
pub use query::facets::{FacetCount, Facets};
pub use query::filters::{Filters, YearRange, YearRangeError};
pub use query::mentions::{
    context_around, GroupBy, Matching, MentioningParagraph, Mentions, MentionsInParagraph,
    CONTEXT_CHARS, UNKNOWN_GROUP,
};
pub use query::parse::{Clause, Query};
pub use query::search::{Hit, SearchResults};
pub use query::show::{
    split_target, Extent, Marking, ShownParagraph, ShownReport, DEFAULT_CONTEXT,
};
pub use read::decode::{decode_source, PageHints, SkipReason, SourceText};
pub use read::read_report;
pub use read::walk::{walk as walk_corpus, CorpusFile, SkippedFile};
