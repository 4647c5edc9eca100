//! Documents' texts held back by a segment plugin, so that it indexes them a few megabytes
//! at a time rather than one document at a time.
//!
//! tantivy hands each document to every part of a segment in turn: its own postings and
//! columns, then each plugin. Done document by document, that interleaves the tables each
//! part works in (the word table and the words' postings, the characters' postings,
//! tantivy's own), and each finds its cache lines evicted by the others. A plugin that only
//! copies a document's texts here, and indexes a whole batch when it is full, works in one
//! set of tables at a time, and leaves tantivy's per-document work to run back to back
//! too. Measured on the dev corpus (paired whole runs, 2 threads), with the character
//! index and the paragraph texts' words batched: 0.89 of the CPU time with batches of
//! 1 MB, 0.84 with 4 MB; batches of 16 MB took 120 MB more memory and were slower than 4.
//! By the run's stage figures, tantivy's postings and the word indexes gain most, the
//! character index less, and jieba's segmentation nothing.
//!
//! Documents stay in doc-id order, and a batch holds every document it is given, those
//! without text included, so that the plugin sees the same documents in the same order as
//! without a batch: the files written are the same, byte for byte.

use std::ops::Range;

use tantivy::DocId;

/// Text bytes a batch holds before it is full.
pub const BATCH_BYTES: usize = 4 << 20;

/// A document of a batch: its id, what the plugin noted of it, and its texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BatchedDocument<N> {
    /// The document's id in the segment.
    pub doc: DocId,
    /// What the plugin noted with it.
    pub note: N,
    /// Its texts: the indexes of the first and of the one past its last in the batch.
    texts: (u32, u32),
}

impl<N> BatchedDocument<N> {
    /// The indexes of its texts in [`TextBatch::texts`].
    pub fn text_range(&self) -> Range<usize> {
        self.texts.0 as usize..self.texts.1 as usize
    }
}

/// Documents' texts waiting to be indexed, each document with a note of type `N` (a
/// paragraph's offset in its line, say).
#[derive(Debug)]
pub struct TextBatch<N> {
    /// The texts end to end.
    text: String,
    /// Where each text ends in `text`.
    text_ends: Vec<u32>,
    documents: Vec<BatchedDocument<N>>,
    /// Text bytes at which the batch is full.
    limit: usize,
}

impl<N: Copy> Default for TextBatch<N> {
    fn default() -> Self {
        TextBatch::with_limit(BATCH_BYTES)
    }
}

impl<N: Copy> TextBatch<N> {
    /// A batch that is full at `limit` bytes of text.
    pub fn with_limit(limit: usize) -> TextBatch<N> {
        TextBatch {
            text: String::new(),
            text_ends: Vec::new(),
            documents: Vec::new(),
            limit,
        }
    }

    /// Adds document `doc` with `note` and its texts; true when the batch is now full and
    /// should be indexed and cleared.
    pub fn push<'t>(&mut self, doc: DocId, note: N, texts: impl Iterator<Item = &'t str>) -> bool {
        let first = self.text_ends.len() as u32;
        for text in texts {
            self.text.push_str(text);
            self.text_ends.push(self.text.len() as u32);
        }
        self.documents.push(BatchedDocument {
            doc,
            note,
            texts: (first, self.text_ends.len() as u32),
        });
        self.text.len() >= self.limit
    }

    /// Every text of the batch, in the order the documents gave them.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        let starts = std::iter::once(0).chain(self.text_ends.iter().copied());
        starts
            .zip(&self.text_ends)
            .map(|(start, &end)| &self.text[start as usize..end as usize])
    }

    /// Text number `index` of the batch.
    pub fn text(&self, index: usize) -> &str {
        let start = index
            .checked_sub(1)
            .map_or(0, |before| self.text_ends[before]);
        &self.text[start as usize..self.text_ends[index] as usize]
    }

    /// The texts of `document`.
    pub fn texts_of(&self, document: &BatchedDocument<N>) -> impl Iterator<Item = &str> {
        document.text_range().map(|index| self.text(index))
    }

    /// Bytes of text in the batch.
    pub fn text_bytes(&self) -> usize {
        self.text.len()
    }

    /// The index of the first text that ends in the second half of the batch's bytes.
    pub fn half_way(&self) -> usize {
        let half = (self.text.len() / 2) as u32;
        self.text_ends.partition_point(|&end| end <= half)
    }

    /// The documents of the batch, in the order they were added.
    pub fn documents(&self) -> &[BatchedDocument<N>] {
        &self.documents
    }

    /// Forgets every document, keeping the memory for the next batch.
    pub fn clear(&mut self) {
        self.text.clear();
        self.text_ends.clear();
        self.documents.clear();
    }

    /// Bytes held, for tantivy's memory budget.
    pub fn mem_usage(&self) -> usize {
        self.text.capacity()
            + self.text_ends.capacity() * size_of::<u32>()
            + self.documents.capacity() * size_of::<BatchedDocument<N>>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_come_back_in_order_with_their_texts_and_notes() {
        let mut batch = TextBatch::with_limit(1 << 20);
        assert!(!batch.push(0, 7u32, ["法治", "政府"].into_iter()));
        assert!(!batch.push(1, 0, std::iter::empty()));
        assert!(!batch.push(2, 3, ["", "建设😀"].into_iter()));
        let documents = batch.documents();
        assert_eq!(documents.len(), 3);
        let seen: Vec<(DocId, u32, Vec<&str>)> = documents
            .iter()
            .map(|document| {
                let texts = batch.texts_of(document).collect();
                (document.doc, document.note, texts)
            })
            .collect();
        assert_eq!(
            seen,
            vec![
                (0, 7, vec!["法治", "政府"]),
                (1, 0, vec![]),
                (2, 3, vec!["", "建设😀"]),
            ]
        );
        let all: Vec<&str> = batch.texts().collect();
        assert_eq!(all, ["法治", "政府", "", "建设😀"]);
    }

    #[test]
    fn half_way_is_the_first_text_ending_past_half_the_bytes() {
        let mut batch = TextBatch::with_limit(1 << 20);
        assert_eq!(batch.half_way(), 0);
        batch.push(0, (), ["ab", "cd", "ef", "gh"].into_iter());
        assert_eq!((batch.texts().count(), batch.text_bytes()), (4, 8));
        // "ab" and "cd" end at 2 and 4 bytes, half of 8: the second half starts at "ef".
        assert_eq!(batch.half_way(), 2);
        batch.clear();
        batch.push(1, (), ["a", "long text here", "b"].into_iter());
        assert_eq!(batch.half_way(), 1);
    }

    #[test]
    fn a_batch_is_full_at_its_limit_and_empty_once_cleared() {
        let mut batch = TextBatch::with_limit(12);
        assert!(!batch.push(0, (), ["法治政"].into_iter()));
        assert!(batch.push(1, (), ["府建设"].into_iter()));
        batch.clear();
        assert!(batch.documents().is_empty());
        assert_eq!(batch.texts().count(), 0);
        assert!(!batch.push(2, (), ["依法"].into_iter()));
        assert_eq!(batch.texts().collect::<Vec<_>>(), ["依法"]);
        assert!(batch.mem_usage() >= 6);
    }
}
