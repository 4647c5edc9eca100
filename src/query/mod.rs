//! Querying: from what a user typed to ranked paragraphs, counted mentions and highlights.
//!
//! In: an opened index and a query. Out: results ready to print or serve. [`parse`] reads
//! the query language, [`words`] cuts typed runs into the index's own words (no jieba at
//! search time), [`filters`] restrict by place, year and section, [`substring`] answers
//! exact substrings from the character index, [`word_query`] whole words from the word
//! indexes, [`search`] ranks paragraphs (reordered by
//! the words its best hits discuss the query with, [`expansion`]), [`facets`] counts
//! them per filter choice, [`mentions`] lists every occurrence of a phrase (streamed, in
//! report order) and [`counts`] counts them per group from the index alone, [`fold`] equates width, case and script variants for
//! search and loose matching, [`show`] reads a report's paragraphs in order, and
//! [`highlight`] marks exactly the matched text.

pub(crate) mod counts;
pub(crate) mod expansion;
pub(crate) mod facets;
pub(crate) mod filters;
pub(crate) mod fold;
pub(crate) mod highlight;
pub(crate) mod mentions;
pub(crate) mod parse;
pub(crate) mod search;
pub(crate) mod show;
pub(crate) mod substring;
pub(crate) mod word_query;
pub(crate) mod words;
