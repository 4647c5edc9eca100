//! jieba's words of a field, for ranking: each segment's postings of words, kept beside
//! tantivy's, written by a segment plugin.
//!
//! Ranking needs, for each word, the paragraphs holding it and how often, and each
//! paragraph's length in words. tantivy's postings writer gives that at the cost of a
//! hash-table insert per word into a table of several megabytes, whose slots miss the
//! cache: measured by taking them away, the words of the paragraph texts cost 23% of an
//! indexing run's CPU time and those of the headings 8%, more than jieba's segmentation
//! of the same text. This plugin numbers each distinct word once, in a table that holds
//! only the segment's words, records a paragraph's words as numbers, and sorts them into
//! postings when the segment is written. The scores read from it are tantivy's BM25 with
//! tantivy's document lengths ([`FieldNormReader`]), so ranking is unchanged. Tantivy
//! still owns the segment's life: the file is written, merged, committed and deleted with
//! the segment.
//!
//! One plugin per field ([`WordField`]), one file per segment (extension
//! [`WordField::extension`]), integers little-endian:
//!
//! ```text
//! "FZWD" | u32 version | u32 documents n | u32 words w | u64 words in all documents
//!        | u32 first characters f
//! n × u8 length of the document in words, as tantivy's fieldnorm id
//! f × (u32 character | u32 the first word starting with it)                 by character
//! w × (u32 end of the word in the word bytes | u32 documents holding it | u64 end of its postings)
//! the words' bytes, in byte order, end to end
//! postings of each word, in the same order: per document, varint(doc delta << 1 | 1) when
//! the word occurs once there, else varint(doc delta << 1) varint(count)
//! ```
//!
//! A word is looked up among those starting with its first character (a dozen on average,
//! against 80,000 in all): a search looks up thousands of candidate words.
//!
//! The first doc delta of a word is its first document itself. Most words occur once in a
//! paragraph, and a heading's words are on consecutive paragraphs, so most documents take
//! one byte.

use std::any::Any;
use std::io::Write;
use std::sync::Arc;

use rustc_hash::FxHashMap;
use tantivy::directory::{FileSlice, OwnedBytes};
use tantivy::fieldnorm::FieldNormReader;
use tantivy::indexer::doc_id_mapping::DocIdMapping;
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::{Field, Schema, Value};
use tantivy::{
    DocId, PluginMergeContext, PluginWriter, PluginWriterContext, Segment, SegmentPlugin,
    SegmentReader, TantivyError,
};

use crate::index::schema::{SECTION_FIELD, TEXT_FIELD};
use crate::index::segment_file::{
    check_header, damaged_file, fazhi_document, merged_ids, read_segment_file, read_varint,
    refuse_mapping, u32_at, write_segment_file, write_varint,
};
use crate::index::stage_clock::{timed, Stage};
use crate::index::text_batch::TextBatch;
use crate::index::tokenizers::{heading_words, word_term, Span, TextWords};

const MAGIC: &[u8; 4] = b"FZWD";
const VERSION: u32 = 3;
const HEADER_BYTES: usize = 28;
const FIRST_BYTES: usize = 8;
const ENTRY_BYTES: usize = 16;

/// The field whose words a word index holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordField {
    /// The paragraph text: jieba's words of two characters or more.
    Text,
    /// The paragraph's section heading path: all of jieba's words.
    Heading,
}

impl WordField {
    /// The extension of the segment file holding this field's words.
    pub fn extension(self) -> &'static str {
        match self {
            WordField::Text => "words",
            WordField::Heading => "hwords",
        }
    }

    fn field_name(self) -> &'static str {
        match self {
            WordField::Text => TEXT_FIELD,
            WordField::Heading => SECTION_FIELD,
        }
    }
}

/// The tantivy segment plugin that writes and merges the word index of one field.
///
/// Register one for each [`WordField`] on every [`tantivy::Index`] fazhi creates or opens.
#[derive(Debug)]
pub struct WordIndexPlugin {
    words: WordField,
}

impl WordIndexPlugin {
    /// The plugin indexing the words of `words`.
    pub fn of(words: WordField) -> WordIndexPlugin {
        WordIndexPlugin { words }
    }
}

impl SegmentPlugin for WordIndexPlugin {
    fn extensions(&self) -> &[&str] {
        match self.words {
            WordField::Text => &["words"],
            WordField::Heading => &["hwords"],
        }
    }

    fn create_writer(&self, ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        let field = ctx.segment.schema().get_field(self.words.field_name())?;
        Ok(Box::new(WordIndexWriter::new(
            self.words,
            field,
            TextBatch::default(),
        )))
    }

    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        let merged = merged_ids(ctx.readers, ctx.doc_id_mapping.mapping_type())?;
        let mut postings = PostingsBuilder::default();
        for (reader, new_ids) in ctx.readers.iter().zip(&merged) {
            let words = SegmentWords::open(reader, self.words)?;
            let kept = (0..reader.max_doc()).filter(|&doc| new_ids[doc as usize].is_some());
            let lengths: Vec<u8> = kept.map(|doc| words.length_id(doc)).collect();
            // As tantivy counts a merged field's words: a segment with deletions by the
            // lengths of the documents it keeps, since a deleted one's count is gone.
            postings.total_words += if reader.has_deletes() {
                lengths
                    .iter()
                    .map(|&id| u64::from(FieldNormReader::id_to_fieldnorm(id)))
                    .sum()
            } else {
                words.total_words
            };
            postings.lengths.extend(lengths);
            for word in 0..words.count {
                let id = postings.word_id(words.word_at(word));
                for (doc, count) in words.postings_at(word) {
                    if let Some(new_doc) = new_ids.get(doc as usize).copied().flatten() {
                        postings.record(id, new_doc, count);
                    }
                }
            }
        }
        postings.write(ctx.target_segment, self.words)
    }
}

/// Finds the words of a field's values.
enum Finder {
    /// jieba's words of paragraph texts, and the words of a batch's texts.
    Text {
        words: TextWords,
        /// The words of the batch's texts, text after text.
        spans: Vec<Span>,
        /// Where each text's words end in `spans`.
        span_ends: Vec<usize>,
    },
    /// The numbers of the words of the headings met lately. A heading is repeated on
    /// every paragraph of its section, and a section's paragraphs are spread over the
    /// indexing threads in batches, so each thread meets a heading again after others:
    /// the headings met lately are kept, not just the last one (keeping only the last,
    /// 108,000 of the dev corpus's 391,000 paragraphs had their heading segmented again).
    Heading(FxHashMap<Box<str>, Vec<u32>>),
}

/// Text bytes from which the batch left when a segment is written is segmented on two
/// threads: below it, starting a thread costs more than it saves.
const HELPED_BYTES: usize = 256 << 10;

/// Appends the words of `texts` to `spans`, text after text, and where each text's words
/// end to `span_ends`.
fn segment<'t>(
    words: &mut TextWords,
    texts: impl Iterator<Item = &'t str>,
    spans: &mut Vec<Span>,
    span_ends: &mut Vec<usize>,
) {
    timed(Stage::Segmentation, || {
        for text in texts {
            spans.extend_from_slice(words.of(text));
            span_ends.push(spans.len());
        }
    });
}

/// [`segment`] of the texts of `batch`, the later half of its bytes on a second thread.
fn segment_on_two_threads(
    words: &mut TextWords,
    batch: &TextBatch<()>,
    spans: &mut Vec<Span>,
    span_ends: &mut Vec<usize>,
) {
    let half_way = batch.half_way();
    std::thread::scope(|scope| {
        let helper = scope.spawn(|| {
            let (mut spans, mut span_ends) = (Vec::new(), Vec::new());
            let texts = batch.texts().skip(half_way);
            segment(&mut TextWords::default(), texts, &mut spans, &mut span_ends);
            (spans, span_ends)
        });
        segment(words, batch.texts().take(half_way), spans, span_ends);
        let (more, more_ends) = helper
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        let before = spans.len();
        spans.extend(more);
        span_ends.extend(more_ends.into_iter().map(|end| before + end));
    });
}

/// Headings whose words each indexing thread keeps: more than a report has sections.
const HEADINGS_KEPT: usize = 1024;

/// Collects the words of one segment's documents as they are added.
struct WordIndexWriter {
    words: WordField,
    field: Field,
    /// The documents not yet recorded.
    batch: TextBatch<()>,
    finder: Finder,
    postings: PostingsBuilder,
}

impl WordIndexWriter {
    /// A writer of the words of `words`, the schema's `field`, holding documents back in
    /// `batch`.
    fn new(words: WordField, field: Field, batch: TextBatch<()>) -> WordIndexWriter {
        let finder = match words {
            WordField::Text => Finder::Text {
                words: TextWords::default(),
                spans: Vec::new(),
                span_ends: Vec::new(),
            },
            WordField::Heading => Finder::Heading(FxHashMap::default()),
        };
        WordIndexWriter {
            words,
            field,
            batch,
            finder,
            postings: PostingsBuilder::default(),
        }
    }

    /// Records the words of the documents in the batch, and empties it. With `helped`, a
    /// second thread segments the later half of the batch's texts.
    fn record_batch(&mut self, helped: bool) {
        let WordIndexWriter {
            batch,
            finder,
            postings,
            ..
        } = self;
        match finder {
            Finder::Text {
                words,
                spans,
                span_ends,
            } => {
                // All the texts first, then all the words: each keeps its tables in cache.
                spans.clear();
                span_ends.clear();
                if helped && batch.text_bytes() >= HELPED_BYTES {
                    segment_on_two_threads(words, batch, spans, span_ends);
                } else {
                    segment(words, batch.texts(), spans, span_ends);
                }
                for document in batch.documents() {
                    postings.start(document.doc);
                    for index in document.text_range() {
                        let text = batch.text(index);
                        let start = index.checked_sub(1).map_or(0, |before| span_ends[before]);
                        for span in &spans[start..span_ends[index]] {
                            let id = postings.word_id(&word_term(&text[span.start..span.end]));
                            postings.document.push(id);
                        }
                    }
                    postings.end_document(document.doc);
                }
            }
            Finder::Heading(kept) => {
                for document in batch.documents() {
                    postings.start(document.doc);
                    for text in batch.texts_of(document) {
                        if !kept.contains_key(text) {
                            if kept.len() >= HEADINGS_KEPT {
                                kept.clear();
                            }
                            let ids = heading_words(text)
                                .iter()
                                .map(|span| {
                                    postings.word_id(&word_term(&text[span.start..span.end]))
                                })
                                .collect();
                            kept.insert(text.into(), ids);
                        }
                        postings.document.extend_from_slice(&kept[text]);
                    }
                    postings.end_document(document.doc);
                }
            }
        }
        batch.clear();
    }
}

impl PluginWriter for WordIndexWriter {
    fn add_document(
        &mut self,
        doc_id: DocId,
        doc: &dyn ErasedDocument,
        _schema: &Schema,
    ) -> tantivy::Result<()> {
        let doc = fazhi_document(doc)?;
        let texts = doc.get_all(self.field).filter_map(|value| value.as_str());
        if self.batch.push(doc_id, (), texts) {
            self.record_batch(false);
        }
        Ok(())
    }

    fn serialize(
        mut self: Box<Self>,
        segment: &Segment,
        doc_id_map: Option<&DocIdMapping>,
    ) -> tantivy::Result<()> {
        refuse_mapping(doc_id_map)?;
        // A segment is written when the run commits, most often at its end: then the batch
        // left (up to `BATCH_BYTES` of text) is the last work of this thread, and the
        // other indexing threads may have finished theirs. Segmenting it on two threads
        // shortens that tail, where a core would otherwise wait.
        self.record_batch(true);
        self.postings.write(segment, self.words)
    }

    fn mem_usage(&self) -> usize {
        let spans = match &self.finder {
            Finder::Text {
                spans, span_ends, ..
            } => spans.capacity() * size_of::<Span>() + span_ends.capacity() * size_of::<usize>(),
            Finder::Heading(_) => 0,
        };
        self.postings.mem_usage() + self.batch.mem_usage() + spans
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The first character of `word` as a number, 0 for no word.
fn first_character(word: &str) -> u32 {
    word.chars().next().map_or(0, u32::from)
}

/// The postings of one word while they are built.
#[derive(Default)]
struct WordList {
    /// Per document holding the word, as the file has it.
    bytes: Vec<u8>,
    last_doc: DocId,
    holding: u32,
}

/// A segment's word postings while they are built: words numbered as they first come,
/// each with its postings in the file's encoding, so that writing the segment only puts
/// the words in byte order. (Recording (word, document, count) triples and sorting them
/// when the segment is written held five times the memory, and the fresh pages of that
/// memory cost more system time than the sort saved.)
#[derive(Default)]
struct PostingsBuilder {
    /// The number of each word.
    ids: FxHashMap<Box<str>, u32>,
    /// Each word's postings, by number.
    lists: Vec<WordList>,
    /// Bytes held by the words and `lists`' postings: tantivy asks for the memory in
    /// use after every document.
    held_bytes: usize,
    /// Each document's length in words, as a fieldnorm id.
    lengths: Vec<u8>,
    total_words: u64,
    /// The numbers of the words of the document being added.
    document: Vec<u32>,
}

impl PostingsBuilder {
    /// The number of `word`, given it if it is new.
    // Inlined into the loop over a batch's words, called once per word (see
    // `char_index::PostingsBuilder::push`).
    #[inline(always)]
    fn word_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = self.lists.len() as u32;
        self.ids.insert(word.into(), id);
        self.lists.push(WordList::default());
        self.held_bytes += word.len();
        id
    }

    /// Records that `doc` holds word number `word` `count` times; a word's documents
    /// come in doc-id order.
    fn record(&mut self, word: u32, doc: DocId, count: u32) {
        let list = &mut self.lists[word as usize];
        let capacity = list.bytes.capacity();
        let delta = if list.holding == 0 {
            doc
        } else {
            doc - list.last_doc
        };
        if count == 1 {
            write_varint(&mut list.bytes, (u64::from(delta) << 1) | 1);
        } else {
            write_varint(&mut list.bytes, u64::from(delta) << 1);
            write_varint(&mut list.bytes, u64::from(count));
        }
        (list.last_doc, list.holding) = (doc, list.holding + 1);
        self.held_bytes += list.bytes.capacity() - capacity;
    }

    /// Begins document `doc`; documents come in doc-id order, and any skipped have no
    /// words.
    fn start(&mut self, doc: DocId) {
        self.lengths.resize(doc as usize, 0);
        self.document.clear();
    }

    /// Records the words added since [`PostingsBuilder::start`] as those of `doc`.
    fn end_document(&mut self, doc: DocId) {
        let mut words = std::mem::take(&mut self.document);
        self.total_words += words.len() as u64;
        self.lengths
            .push(FieldNormReader::fieldnorm_to_id(words.len() as u32));
        words.sort_unstable();
        for run in words.chunk_by(|a, b| a == b) {
            self.record(run[0], doc, run.len() as u32);
        }
        self.document = words;
    }

    fn mem_usage(&self) -> usize {
        self.held_bytes
            + self.ids.capacity() * (size_of::<(Box<str>, u32)>() + 1)
            + self.lists.capacity() * size_of::<WordList>()
            + self.lengths.capacity()
    }

    /// Writes the segment's file for `words`.
    fn write(self, segment: &Segment, words: WordField) -> tantivy::Result<()> {
        write_segment_file(segment, words.extension(), |out| self.write_into(out))
    }

    /// Writes the file's bytes, as laid out in the module's documentation: every document
    /// added has its length.
    fn write_into(self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut words: Vec<(Box<str>, u32)> = self.ids.into_iter().collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&(self.lengths.len() as u32).to_le_bytes())?;
        out.write_all(&(words.len() as u32).to_le_bytes())?;
        let mut firsts = Vec::new();
        let mut last_first = None;
        for (at, (word, _)) in words.iter().enumerate() {
            let first = first_character(word);
            if last_first != Some(first) {
                firsts.extend_from_slice(&first.to_le_bytes());
                firsts.extend_from_slice(&(at as u32).to_le_bytes());
                last_first = Some(first);
            }
        }
        out.write_all(&self.total_words.to_le_bytes())?;
        out.write_all(&((firsts.len() / FIRST_BYTES) as u32).to_le_bytes())?;
        out.write_all(&self.lengths)?;
        out.write_all(&firsts)?;
        let mut table = Vec::with_capacity(words.len() * ENTRY_BYTES);
        let (mut word_end, mut postings_end) = (0u32, 0u64);
        for (word, id) in &words {
            let list = &self.lists[*id as usize];
            word_end += word.len() as u32;
            postings_end += list.bytes.len() as u64;
            table.extend_from_slice(&word_end.to_le_bytes());
            table.extend_from_slice(&list.holding.to_le_bytes());
            table.extend_from_slice(&postings_end.to_le_bytes());
        }
        out.write_all(&table)?;
        for (word, _) in &words {
            out.write_all(word.as_bytes())?;
        }
        for (_, id) in &words {
            out.write_all(&self.lists[*id as usize].bytes)?;
        }
        Ok(())
    }
}

/// One segment's word index of a field, read from its file.
#[derive(Clone)]
pub struct SegmentWords {
    bytes: OwnedBytes,
    docs: usize,
    count: usize,
    total_words: u64,
    /// How many first characters the words have.
    firsts: usize,
    /// Where the words' directory begins.
    table_at: usize,
    /// Where the words' bytes begin.
    words_at: usize,
    /// Where the postings begin.
    postings_at: usize,
}

fn corrupt(reason: &str) -> TantivyError {
    damaged_file("word index", reason)
}

impl SegmentWords {
    /// Opens the word index of `words` of the segment `reader` reads, checking its layout.
    pub fn open(reader: &SegmentReader, words: WordField) -> tantivy::Result<SegmentWords> {
        let segment = SegmentWords::parse(read_segment_file(reader, words.extension())?)?;
        if segment.docs != reader.max_doc() as usize {
            return Err(corrupt("not the segment's number of documents"));
        }
        Ok(segment)
    }

    fn parse(bytes: OwnedBytes) -> tantivy::Result<SegmentWords> {
        let data = bytes.as_slice();
        check_header(data, MAGIC, VERSION, HEADER_BYTES).map_err(corrupt)?;
        let docs = u32_at(data, 8) as usize;
        let count = u32_at(data, 12) as usize;
        let total_words = u64::from_le_bytes(data[16..24].try_into().expect("8 bytes"));
        let firsts = u32_at(data, 24) as usize;
        let table_at = HEADER_BYTES + docs + firsts * FIRST_BYTES;
        let words_at = table_at + count * ENTRY_BYTES;
        if data.len() < words_at {
            return Err(corrupt("truncated directory"));
        }
        let mut segment = SegmentWords {
            bytes,
            docs,
            count,
            total_words,
            firsts,
            table_at,
            words_at,
            postings_at: words_at,
        };
        // Checked in full, the directory would cost a search a pass over every word of
        // every segment: only its last entry is, and every read below is bounds-checked,
        // so a damaged file gives wrong words or none, never a panic.
        if count > 0 {
            let (word_end, _, postings_end) = segment.entry(count - 1);
            segment.postings_at = words_at + word_end;
            if (segment.bytes.len() as u64) < segment.postings_at as u64 + postings_end {
                return Err(corrupt("truncated postings"));
            }
        }
        Ok(segment)
    }

    /// The directory entry of word number `word`: the end of its bytes, the documents
    /// holding it, the end of its postings.
    fn entry(&self, word: usize) -> (usize, u32, u64) {
        let at = self.table_at + word * ENTRY_BYTES;
        let data = self.bytes.as_slice();
        (
            u32_at(data, at) as usize,
            u32_at(data, at + 4),
            u64::from_le_bytes(data[at + 8..at + 16].try_into().expect("8 bytes")),
        )
    }

    fn word_at(&self, word: usize) -> &str {
        // Written from `str`s; a damaged file reads as no word rather than a panic.
        std::str::from_utf8(self.word_bytes_at(word)).unwrap_or_default()
    }

    fn word_bytes_at(&self, word: usize) -> &[u8] {
        let start = if word == 0 { 0 } else { self.entry(word - 1).0 };
        let end = self.entry(word).0;
        self.bytes
            .as_slice()
            .get(self.words_at + start..self.words_at + end)
            .unwrap_or_default()
    }

    /// The `at`-th first character of the words, and the first word starting with it.
    fn first(&self, at: usize) -> (u32, usize) {
        let at = HEADER_BYTES + self.docs + at * FIRST_BYTES;
        let data = self.bytes.as_slice();
        (u32_at(data, at), u32_at(data, at + 4) as usize)
    }

    /// The number of `word` in this segment, if it holds it: a binary search of the first
    /// characters, then of the words starting with `word`'s, compared as bytes (the order
    /// they were sorted in).
    fn find(&self, word: &str) -> Option<usize> {
        let first = first_character(word);
        let (mut low, mut high) = (0, self.firsts);
        while low < high {
            let middle = (low + high) / 2;
            match self.first(middle).0.cmp(&first) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    (low, high) = (middle, middle + 1);
                    break;
                }
            }
        }
        if low >= high {
            return None;
        }
        let next = match low + 1 < self.firsts {
            true => self.first(low + 1).1,
            false => self.count,
        };
        let (mut low, mut high) = (self.first(low).1, next.min(self.count));
        while low < high {
            let middle = (low + high) / 2;
            match self.word_bytes_at(middle).cmp(word.as_bytes()) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => return Some(middle),
            }
        }
        None
    }

    /// How many documents of this segment hold `word` (deleted ones included, as
    /// tantivy counts them).
    pub fn document_frequency(&self, word: &str) -> u32 {
        self.find(word).map_or(0, |at| self.entry(at).1)
    }

    /// The documents holding `word`, with how many times, in doc-id order.
    pub fn postings(&self, word: &str) -> Vec<(DocId, u32)> {
        self.find(word)
            .map(|at| self.postings_at(at).collect())
            .unwrap_or_default()
    }

    fn postings_at(&self, word: usize) -> impl Iterator<Item = (DocId, u32)> + '_ {
        let start = if word == 0 { 0 } else { self.entry(word - 1).2 };
        let (_, holding, end) = self.entry(word);
        let data = self
            .bytes
            .as_slice()
            .get(self.postings_at + start as usize..self.postings_at + end as usize)
            .unwrap_or_default();
        let mut at = 0;
        let mut doc = 0u64;
        let docs = self.docs as u64;
        // A damaged list ends at its first document outside the segment: BM25 reads each
        // document's length by its number.
        (0..holding).map_while(move |_| {
            let delta = read_varint(data, &mut at)?;
            doc = doc.checked_add(delta >> 1).filter(|&doc| doc < docs)?;
            let count = if delta & 1 == 1 {
                1
            } else {
                read_varint(data, &mut at)?
            };
            Some((doc as DocId, count as u32))
        })
    }

    /// Words in all the segment's documents: BM25's total of document lengths.
    pub fn total_words(&self) -> u64 {
        self.total_words
    }

    fn length_id(&self, doc: DocId) -> u8 {
        self.bytes.as_slice()[HEADER_BYTES..HEADER_BYTES + self.docs]
            .get(doc as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Each document's length in words, as BM25 reads it.
    pub fn lengths(&self) -> tantivy::Result<FieldNormReader> {
        let lengths = self.bytes.slice(HEADER_BYTES..HEADER_BYTES + self.docs);
        FieldNormReader::open(FileSlice::new(Arc::new(lengths)))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use tantivy::indexer::NoMergePolicy;
    use tantivy::{doc, Term};

    use super::*;
    use crate::index::folder::index_in_ram;
    use crate::index::schema::Fields;

    #[test]
    fn headings_met_again_and_past_those_kept_give_the_same_words() {
        let (index, fields, mut writer) = index_in_ram();
        let docs = HEADINGS_KEPT + 100;
        let heading = |doc: usize| format!("（{}）推进依法行政", doc % (HEADINGS_KEPT + 10));
        for doc in 0..docs {
            writer
                .add_document(doc!(fields.section => heading(doc), fields.text => "内容"))
                .unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let reader = &searcher.segment_readers()[0];
        let words = SegmentWords::open(reader, WordField::Heading).unwrap();
        let all: Vec<(DocId, u32)> = (0..docs as DocId).map(|doc| (doc, 1)).collect();
        assert_eq!(words.postings("依法行政"), all);
        // Headings 5 and 1,039 are the same; the second comes after more than are kept.
        let five = heading(5);
        let number = heading_words(&five)
            .iter()
            .map(|span| &five[span.start..span.end])
            .find(|word| *word == "5")
            .expect("jieba keeps the number as a word");
        assert_eq!(
            words.postings(number),
            vec![(5, 1), (HEADINGS_KEPT as DocId + 15, 1)]
        );
        assert_eq!(words.total_words(), docs as u64 * 3);
    }

    #[test]
    fn a_merge_keeps_the_words_of_the_documents_kept_under_their_new_ids() {
        let texts = [
            "推进法治政府建设，法治政府建设成效明显",
            "行政复议案件办理",
            "深化行政复议体制改革",
            "人民调解工作",
            "行政复议和行政诉讼",
        ];
        let (index, fields, mut writer) = index_in_ram();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // Segments of two, two and one documents, then the second deleted and all merged.
        for (i, text) in texts.iter().enumerate() {
            writer
                .add_document(doc!(fields.path => i.to_string(), fields.text => *text))
                .unwrap();
            if i % 2 == 1 || i + 1 == texts.len() {
                writer.commit().unwrap();
            }
        }
        writer.delete_term(Term::from_field_text(fields.path, "1"));
        writer.commit().unwrap();
        let segments = index.searchable_segment_ids().unwrap();
        assert_eq!(segments.len(), 3);
        writer.merge(&segments).wait().unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let merged = SegmentWords::open(&searcher.segment_readers()[0], WordField::Text).unwrap();

        // The merge stacks the segments in the order it is given them: find where each
        // document went by its path.
        let new_doc = |i: usize| -> DocId {
            let query = tantivy::query::TermQuery::new(
                Term::from_field_text(fields.path, &i.to_string()),
                tantivy::schema::IndexRecordOption::Basic,
            );
            let found = searcher
                .search(&query, &tantivy::collector::DocSetCollector)
                .unwrap();
            assert_eq!(found.len(), 1);
            found.into_iter().next().unwrap().doc_id
        };
        let mut expected: BTreeMap<String, Vec<(DocId, u32)>> = BTreeMap::new();
        let mut total = 0;
        let mut finder = TextWords::default();
        for (i, text) in texts.iter().enumerate().filter(|&(i, _)| i != 1) {
            let mut counts: BTreeMap<String, u32> = BTreeMap::new();
            for span in finder.of(text) {
                *counts
                    .entry(text[span.start..span.end].to_string())
                    .or_default() += 1;
                total += 1;
            }
            for (word, count) in counts {
                expected.entry(word).or_default().push((new_doc(i), count));
            }
        }
        for postings in expected.values_mut() {
            postings.sort_unstable();
        }
        assert!(expected.contains_key("行政复议"), "{expected:?}");
        assert_eq!(
            expected["行政复议"].len(),
            2,
            "the deleted document's is gone"
        );
        for (word, postings) in &expected {
            assert_eq!(&merged.postings(word), postings, "{word}");
        }
        assert_eq!(merged.total_words(), total);
        let lengths = merged.lengths().unwrap();
        assert_eq!(lengths.num_docs(), 4);
        assert_eq!(
            lengths.fieldnorm(new_doc(0)),
            finder.of(texts[0]).len() as u32
        );
    }

    fn file_bytes(mut postings: PostingsBuilder, docs: DocId) -> Vec<u8> {
        postings.lengths.resize(docs as usize, 0);
        let mut bytes = Vec::new();
        postings.write_into(&mut bytes).expect("write to memory");
        bytes
    }

    /// The word file of `field` for documents given as (text, heading), a report's
    /// document where the text is empty, written with batches full at `limit` bytes, the
    /// last one `helped` by a second thread or not.
    fn file_in_batches(
        field: WordField,
        limit: usize,
        helped: bool,
        docs: &[(&str, &str)],
    ) -> Vec<u8> {
        let (schema, fields) = Fields::build();
        let field_id = schema.get_field(field.field_name()).unwrap();
        let mut writer = WordIndexWriter::new(field, field_id, TextBatch::with_limit(limit));
        for (id, &(text, heading)) in docs.iter().enumerate() {
            let doc = if text.is_empty() {
                doc!(fields.doc_kind => "report")
            } else {
                doc!(fields.text => text, fields.section => heading)
            };
            writer.add_document(id as DocId, &doc, &schema).unwrap();
        }
        writer.record_batch(helped);
        let mut bytes = Vec::new();
        writer.postings.write_into(&mut bytes).unwrap();
        bytes
    }

    #[test]
    fn batches_of_any_size_write_the_same_words() {
        let texts = [
            "推进法治政府建设，法治政府建设成效明显",
            "",
            "坚持和发展新时代“枫桥经验”，人民调解员调解纠纷1200件",
            "行政复议案件办理质量进一步提高",
            "",
            "PPP项目依法依规推进",
        ];
        let headings = ["一、主要成效", "（一）坚持依法行政", "二、存在的问题和不足"];
        let docs: Vec<(&str, &str)> = (0..120)
            .map(|doc| (texts[doc % texts.len()], headings[doc / 7 % headings.len()]))
            .collect();
        for field in [WordField::Text, WordField::Heading] {
            let whole = file_in_batches(field, usize::MAX, false, &docs);
            let segment = SegmentWords::parse(OwnedBytes::new(whole.clone())).unwrap();
            assert_eq!(segment.docs, docs.len());
            let word = match field {
                WordField::Text => "法治",
                WordField::Heading => "依法行政",
            };
            assert!(!segment.postings(word).is_empty(), "{field:?}");
            for limit in [1, 60, 1000] {
                assert!(
                    file_in_batches(field, limit, false, &docs) == whole,
                    "{field:?}, batches of {limit} bytes"
                );
            }
        }
    }

    #[test]
    fn a_last_batch_segmented_on_two_threads_writes_the_same_words() {
        let texts = [
            "推进法治政府建设，法治政府建设成效明显",
            "坚持和发展新时代“枫桥经验”，人民调解员调解纠纷1200件",
            "",
            "行政复议案件办理质量进一步提高，PPP项目依法依规推进",
        ];
        let docs: Vec<(&str, &str)> = (0..6000)
            .map(|doc| (texts[doc % texts.len()], "一、主要成效"))
            .collect();
        let bytes: usize = docs.iter().map(|(text, _)| text.len()).sum();
        assert!(
            bytes >= HELPED_BYTES,
            "the batch must be large enough to be helped"
        );
        let alone = file_in_batches(WordField::Text, usize::MAX, false, &docs);
        let segment = SegmentWords::parse(OwnedBytes::new(alone.clone())).unwrap();
        assert_eq!(segment.postings("枫桥").len(), 1500);
        assert!(file_in_batches(WordField::Text, usize::MAX, true, &docs) == alone);
    }

    /// The postings of documents given as lists of words.
    fn postings_of(docs: &[&[&str]]) -> PostingsBuilder {
        let mut postings = PostingsBuilder::default();
        for (doc, words) in docs.iter().enumerate() {
            postings.start(doc as DocId);
            for word in *words {
                let id = postings.word_id(word);
                postings.document.push(id);
            }
            postings.end_document(doc as DocId);
        }
        postings
    }

    /// The file of documents given as lists of words, read back.
    fn segment_of(docs: &[&[&str]]) -> SegmentWords {
        SegmentWords::parse(OwnedBytes::new(file_bytes(
            postings_of(docs),
            docs.len() as DocId + 2,
        )))
        .expect("a file just written parses")
    }

    #[test]
    fn each_word_lists_its_documents_in_order_with_counts() {
        let segment = segment_of(&[&["法治", "政府", "法治"], &[], &["政府", "建设"], &["法治"]]);
        assert_eq!(segment.postings("法治"), vec![(0, 2), (3, 1)]);
        assert_eq!(segment.postings("政府"), vec![(0, 1), (2, 1)]);
        assert_eq!(segment.postings("建设"), vec![(2, 1)]);
        assert_eq!(segment.postings("复议"), vec![]);
        assert_eq!(segment.document_frequency("法治"), 2);
        assert_eq!(segment.document_frequency("复议"), 0);
        assert_eq!(segment.total_words(), 6);
        let lengths = segment.lengths().expect("lengths");
        assert_eq!(lengths.num_docs(), 6);
        assert_eq!(
            (0..6).map(|doc| lengths.fieldnorm(doc)).collect::<Vec<_>>(),
            vec![3, 0, 2, 1, 0, 0]
        );
    }

    #[test]
    fn every_word_is_found_among_many() {
        // Words of many first characters, one-byte to four-byte ones among them.
        let firsts = ['a', 'z', '词', '法', '政', '𠀀', '1'];
        let words: Vec<String> = (0..2000)
            .map(|i| format!("{}{i}", firsts[i % firsts.len()]))
            .collect();
        let docs: Vec<Vec<&str>> = (0..300)
            .map(|doc| {
                words
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % 300 == doc || i % 7 == doc % 7)
                    .map(|(_, w)| w.as_str())
                    .collect()
            })
            .collect();
        let refs: Vec<&[&str]> = docs.iter().map(Vec::as_slice).collect();
        let segment = segment_of(&refs);
        for (i, word) in words.iter().enumerate() {
            let expected: Vec<(DocId, u32)> = (0..300u32)
                .filter(|doc| i % 300 == *doc as usize || i % 7 == *doc as usize % 7)
                .map(|doc| (doc, 1))
                .collect();
            assert!(!expected.is_empty());
            assert_eq!(segment.postings(word), expected, "{word}");
        }
        for absent in ["b", "词", "法2001", "𠀀x", "", "亍1"] {
            assert_eq!(segment.document_frequency(absent), 0, "{absent}");
        }
    }

    #[test]
    fn a_damaged_postings_list_ends_before_documents_outside_the_segment() {
        let postings = postings_of(&[&["法治"]]);
        let mut bytes = file_bytes(postings, 1);
        assert_eq!(bytes.last(), Some(&1), "document 0, once");
        *bytes.last_mut().unwrap() = 5 << 1 | 1;
        let segment = SegmentWords::parse(OwnedBytes::new(bytes)).unwrap();
        assert_eq!(segment.document_frequency("法治"), 1);
        assert!(segment.postings("法治").is_empty());
    }

    #[test]
    fn a_damaged_file_is_an_error_not_a_panic() {
        let postings = postings_of(&[&["法治"]]);
        let bytes = file_bytes(postings, 1);
        for cut in [0, 10, HEADER_BYTES, bytes.len() - 1] {
            assert!(SegmentWords::parse(OwnedBytes::new(bytes[..cut].to_vec())).is_err());
        }
        let mut wrong = bytes.clone();
        wrong[4] = 9;
        assert!(SegmentWords::parse(OwnedBytes::new(wrong)).is_err());
        // A directory pointing out of the file reads as no postings.
        let mut wrong = bytes.clone();
        let first_entry = HEADER_BYTES + 1 + FIRST_BYTES;
        wrong[first_entry..first_entry + 4].copy_from_slice(&1000u32.to_le_bytes());
        if let Ok(segment) = SegmentWords::parse(OwnedBytes::new(wrong)) {
            assert!(segment.postings("法治").is_empty());
        }
    }
}
