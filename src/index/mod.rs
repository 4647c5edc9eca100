//! Indexing: from [`Report`](crate::model::Report)s to a tantivy index on disk, and back to
//! stored paragraphs.
//!
//! In: the reports the [`read`](crate::read) stage produces. Out: an index folder that the
//! query stage searches. [`build`] runs a whole indexing job (incremental, crash-safe),
//! reading files ahead on worker threads ([`read_ahead`]); [`documents`] says how a report
//! becomes tantivy documents and how a stored paragraph is read back; [`schema`] lists the
//! fields; [`tokenizers`] cut text into jieba's words for ranking; [`char_index`] records
//! every character's position for exact substring search, as a tantivy segment plugin;
//! [`folder`] opens an index folder, checks its format and reports damage as such;
//! [`stage_clock`] counts the CPU time of each stage of a run.

pub(crate) mod build;
pub(crate) mod char_index;
pub(crate) mod damage;
pub(crate) mod documents;
pub(crate) mod folder;
pub(crate) mod read_ahead;
pub(crate) mod schema;
pub(crate) mod stage_clock;
pub(crate) mod tokenizers;
