//! Indexing: from [`Report`](crate::model::Report)s to a tantivy index on disk, and back to
//! stored paragraphs.
//!
//! In: the reports the [`read`](crate::read) stage produces. Out: an index folder that the
//! query stage searches. [`build`] runs a whole indexing job (incremental, crash-safe),
//! reading files ahead on worker threads ([`read_ahead`]); [`documents`] says how a report
//! becomes tantivy documents and how a stored paragraph is read back (its text and heading
//! path from [`paragraph_text`], a segment plugin's file, the rest from [`columns`], its
//! report's place and year through its path, [`report_tags`]);
//! [`schema`] lists the fields; [`tokenizers`] cut text into jieba's words, which [`word_index`]
//! records for ranking, as a tantivy segment plugin; [`char_index`] records
//! every character's position for exact substring search, as a tantivy segment plugin;
//! both plugins hold documents back in a [`text_batch`] and index them a batch at a time;
//! [`folder`] creates and opens an index folder and checks its format, [`damage`] reports
//! damaged files as such, [`listing`] keeps what the corpus held, to tell a stale index,
//! [`stage_clock`] counts the CPU time of each stage of a run, and [`bench`] runs whole
//! indexing jobs to measure them against jieba alone.

pub(crate) mod bench;
pub(crate) mod build;
pub(crate) mod char_index;
pub(crate) mod columns;
pub(crate) mod damage;
pub(crate) mod documents;
pub(crate) mod folder;
pub(crate) mod listing;
pub(crate) mod paragraph_text;
pub(crate) mod read_ahead;
pub(crate) mod report_tags;
pub(crate) mod schema;
pub(crate) mod segment_file;
pub(crate) mod stage_clock;
pub(crate) mod text_batch;
pub(crate) mod tokenizers;
pub(crate) mod word_index;
