//! The character index: where every character of every paragraph stands, kept beside
//! tantivy's postings in each segment, written by a tantivy segment plugin.
//!
//! Exact substring search needs every character's positions. Handing each character to
//! tantivy as a token costs its postings writer a hash-table insert per character, most of
//! the indexing time when every character is a token. This plugin sees each document once,
//! in doc-id order, and appends the positions of its characters to one growing buffer per
//! distinct character: a table look-up and a byte or two per character. Tantivy still
//! owns the segment's life: the file is written with the segment, merged with it,
//! committed atomically with it and deleted with it.
//!
//! Positions are counted in lines, not in documents. A line longer than the layout's limit
//! is cut into several paragraphs, one document each, and a phrase may run over a cut. The
//! pieces of a line come to the writer as consecutive documents of one segment, each after
//! the first carrying its offset in the line (a field the plugin is told of); their characters are
//! recorded under the line's first document, at their positions in the whole line, so that
//! a phrase across a cut is found like any other. The file lists those continuing
//! documents, to map a line position back to the paragraph that holds it.
//!
//! File layout (one file per segment, extension [`EXTENSION`]), integers little-endian:
//!
//! ```text
//! "FZCH" | u32 version | u32 character count n | u32 continuing documents c
//! c × (u32 doc | u32 its line's first doc | u32 its offset in the line)      by doc
//! n × (u32 character | u32 occurrences | u64 end of its postings and skips)   by character
//! postings and skips of each character, in the same order
//! ```
//!
//! A character's postings list every occurrence in (line doc id, position) order, position
//! being the character's index in the line: an occurrence in a new document is
//! `varint(doc delta << 1 | 1) varint(position)`, one in the same document
//! `varint(position delta << 1)`. After them come its skips, one per [`SKIP_EVERY`]
//! occurrences: `u32 doc | u32 position | u32 offset`, the occurrence numbered
//! `k × SKIP_EVERY` and where the next one starts in the postings, so that a search can jump
//! over the runs of a frequent character that cannot match.

use std::any::Any;
use std::collections::HashMap;
use std::io::Write;

use tantivy::directory::OwnedBytes;
use tantivy::indexer::doc_id_mapping::DocIdMapping;
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::{Field, Schema, Value};
use tantivy::{
    DocId, PluginMergeContext, PluginWriter, PluginWriterContext, Segment, SegmentPlugin,
    SegmentReader, TantivyError,
};

use crate::index::segment_file::{
    check_header, damaged_file, fazhi_document, merged_ids, read_segment_file, read_varint,
    refuse_mapping, u32_at, write_segment_file, write_varint,
};
use crate::index::stage_clock::{timed, Stage};
use crate::index::text_batch::TextBatch;

/// File extension of a segment's character index.
pub const EXTENSION: &str = "chars";

const MAGIC: &[u8; 4] = b"FZCH";
const VERSION: u32 = 3;
/// Occurrences between two skips.
const SKIP_EVERY: u32 = 128;
const SKIP_BYTES: usize = 12;
const HEADER_BYTES: usize = 16;
const CONTINUATION_BYTES: usize = 12;
const ENTRY_BYTES: usize = 16;

/// The tantivy segment plugin that writes and merges character indexes.
///
/// Register it on every [`tantivy::Index`] fazhi creates or opens.
#[derive(Debug)]
pub struct CharIndexPlugin {
    /// The name of the schema field whose text is indexed by character.
    text: &'static str,
    /// The name of the field giving a paragraph's offset in its line (absent or 0 on the
    /// first piece of a line).
    line_offset: &'static str,
}

impl CharIndexPlugin {
    /// The plugin indexing the text of the field named `text` by character, in the
    /// coordinates of lines as the field named `line_offset` gives them.
    pub fn for_fields(text: &'static str, line_offset: &'static str) -> CharIndexPlugin {
        CharIndexPlugin { text, line_offset }
    }
}

impl SegmentPlugin for CharIndexPlugin {
    fn extensions(&self) -> &[&str] {
        &[EXTENSION]
    }

    fn create_writer(&self, ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        let schema = ctx.segment.schema();
        Ok(Box::new(CharIndexWriter {
            field: schema.get_field(self.text)?,
            line_offset: schema.get_field(self.line_offset)?,
            batch: TextBatch::default(),
            postings: PostingsBuilder::default(),
        }))
    }

    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        let merged = merged_ids(ctx.readers, ctx.doc_id_mapping.mapping_type())?;
        let mut postings = PostingsBuilder::default();
        for (reader, new_ids) in ctx.readers.iter().zip(merged) {
            let chars = SegmentChars::open(reader)?;
            let new_id = |doc: DocId| new_ids.get(doc as usize).copied().flatten();
            // A report is deleted whole, so a line's pieces live or go together.
            for (doc, line, offset) in chars.continuations() {
                if let (Some(doc), Some(line)) = (new_id(doc), new_id(line)) {
                    postings
                        .continuations
                        .push(Continuation { doc, line, offset });
                }
            }
            for (ch, list) in chars.lists() {
                for (doc, position) in list.occurrences() {
                    if let Some(new_doc) = new_id(doc) {
                        postings.push(ch, new_doc, position);
                    }
                }
            }
        }
        postings.write(ctx.target_segment)
    }
}

/// Collects the character positions of one segment's documents, a batch at a time.
struct CharIndexWriter {
    field: Field,
    line_offset: Field,
    /// The documents not yet recorded, each with its offset in its line.
    batch: TextBatch<u32>,
    postings: PostingsBuilder,
}

impl CharIndexWriter {
    /// Records the characters of the documents in the batch, and empties it.
    fn record_batch(&mut self) {
        for document in self.batch.documents() {
            let texts = self.batch.texts_of(document);
            self.postings.add_piece(document.doc, document.note, texts);
        }
        self.batch.clear();
    }
}

/// The line of the document last added.
#[derive(Clone, Copy)]
struct OpenLine {
    /// Its first document.
    first: DocId,
    /// The document that would continue it.
    next_doc: DocId,
    /// The offset in the line that document would carry.
    next_offset: u32,
}

impl PluginWriter for CharIndexWriter {
    fn add_document(
        &mut self,
        doc_id: DocId,
        doc: &dyn ErasedDocument,
        _schema: &Schema,
    ) -> tantivy::Result<()> {
        let doc = fazhi_document(doc)?;
        let offset = doc
            .get_first(self.line_offset)
            .and_then(|value| value.as_u64())
            .and_then(|offset| u32::try_from(offset).ok())
            .unwrap_or(0);
        let texts = doc.get_all(self.field).filter_map(|value| value.as_str());
        if self.batch.push(doc_id, offset, texts) {
            timed(Stage::CharacterIndex, || self.record_batch());
        }
        Ok(())
    }

    fn serialize(
        mut self: Box<Self>,
        segment: &Segment,
        doc_id_map: Option<&DocIdMapping>,
    ) -> tantivy::Result<()> {
        refuse_mapping(doc_id_map)?;
        timed(Stage::CharacterIndex, || {
            self.record_batch();
            self.postings.write(segment)
        })
    }

    fn mem_usage(&self) -> usize {
        self.postings.mem_usage() + self.batch.mem_usage()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The postings of one character while they are being built: what each occurrence reads
/// and writes, 40 bytes. Recording a character is bound by memory, not by arithmetic (a
/// profile puts its time on loading the slot, this entry and the buffer's end), so the
/// rarely touched skips are kept apart, in [`PostingsBuilder::skips`].
struct PostingsList {
    bytes: Vec<u8>,
    /// The document of the last occurrence, [`NO_DOC`] before the first.
    last_doc: DocId,
    /// The position of the last occurrence.
    last_position: u32,
    occurrences: u32,
    ch: char,
}

/// [`PostingsList::last_doc`] of a list without occurrences (tantivy's doc ids stay below
/// 2^31).
const NO_DOC: DocId = DocId::MAX;
/// [`PostingsBuilder::bmp_slots`] of a character without a list.
const NO_SLOT: u16 = u16::MAX;

/// A document that continues a line begun by an earlier one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Continuation {
    doc: DocId,
    /// The line's first document.
    line: DocId,
    /// Characters of the line before this document's text.
    offset: u32,
}

/// The postings of every character of a segment, in memory.
struct PostingsBuilder {
    /// Slot in `lists` of each character of the Basic Multilingual Plane, [`NO_SLOT`] if
    /// none: almost every character of a report, found without hashing, in a table small
    /// enough to stay in the processor's cache.
    bmp_slots: Vec<u16>,
    /// Slot of the characters outside it, and of any once `lists` is too long for a `u16`.
    other_slots: HashMap<char, u32>,
    lists: Vec<PostingsList>,
    /// The skips of each list, by slot, encoded as in the file.
    skips: Vec<Vec<u8>>,
    /// The documents that continue a line, by doc id.
    continuations: Vec<Continuation>,
    /// The line the last document added belongs to, to be continued by the next one.
    line: Option<OpenLine>,
    bytes: usize,
}

impl Default for PostingsBuilder {
    fn default() -> Self {
        PostingsBuilder {
            bmp_slots: vec![NO_SLOT; 1 << 16],
            other_slots: HashMap::new(),
            lists: Vec::new(),
            skips: Vec::new(),
            continuations: Vec::new(),
            line: None,
            bytes: 0,
        }
    }
}

impl PostingsBuilder {
    /// Records the characters of document `doc`, a piece of a line when `offset` (its
    /// offset in the line) is not 0; documents come in doc-id order.
    fn add_piece<'t>(&mut self, doc: DocId, offset: u32, texts: impl Iterator<Item = &'t str>) {
        // A piece continues the previous line only if it follows its last piece in this
        // segment at the offset where that piece ended; anything else starts a line, so a
        // misplaced piece loses at most the phrases across its cut, never positions.
        let line = match self.line {
            Some(open) if offset > 0 && open.next_doc == doc && open.next_offset == offset => {
                self.continuations.push(Continuation {
                    doc,
                    line: open.first,
                    offset,
                });
                open
            }
            _ => OpenLine {
                first: doc,
                next_doc: doc,
                next_offset: 0,
            },
        };
        let mut position = line.next_offset;
        for text in texts {
            for ch in text.chars() {
                self.push(ch, line.first, position);
                position = position.saturating_add(1);
            }
        }
        self.line = Some(OpenLine {
            first: line.first,
            next_doc: doc + 1,
            next_offset: position,
        });
    }

    /// Records `ch` at `position` of `doc`; calls come in (doc, position) order.
    // Inlined into the loop over a text's characters: called once per character, it cost
    // its call and register saves each time (paired runs on the dev corpus: 0.98 of the
    // CPU time inlined, with this and the word index's `word_id`).
    #[inline(always)]
    fn push(&mut self, ch: char, doc: DocId, position: u32) {
        let slot = self.slot(ch);
        let list = &mut self.lists[slot];
        // Count what is allocated, not what is used: tantivy closes a segment when its
        // writers' memory reaches the budget, and a growing buffer may be half empty.
        let before = list.bytes.capacity();
        if list.last_doc == doc {
            write_varint(
                &mut list.bytes,
                u64::from(position - list.last_position) << 1,
            );
        } else {
            let last_doc = if list.last_doc == NO_DOC {
                0
            } else {
                list.last_doc
            };
            write_varint(&mut list.bytes, (u64::from(doc - last_doc) << 1) | 1);
            write_varint(&mut list.bytes, u64::from(position));
        }
        (list.last_doc, list.last_position) = (doc, position);
        list.occurrences += 1;
        self.bytes += list.bytes.capacity() - before;
        if list.occurrences.is_multiple_of(SKIP_EVERY) {
            let offset = list.bytes.len() as u32;
            let skips = &mut self.skips[slot];
            let skips_before = skips.capacity();
            for value in [doc, position, offset] {
                skips.extend_from_slice(&value.to_le_bytes());
            }
            self.bytes += skips.capacity() - skips_before;
        }
    }

    /// The slot of `ch`'s list, made if it has none.
    fn slot(&mut self, ch: char) -> usize {
        if let Some(&slot) = self.bmp_slots.get(ch as usize) {
            if slot != NO_SLOT {
                return usize::from(slot);
            }
            if let Some(slot) = u16::try_from(self.lists.len())
                .ok()
                .filter(|&s| s != NO_SLOT)
            {
                self.bmp_slots[ch as usize] = slot;
                self.new_list(ch);
                return usize::from(slot);
            }
        }
        let next = self.lists.len();
        let slot = *self.other_slots.entry(ch).or_insert(next as u32) as usize;
        if slot == next {
            self.new_list(ch);
        }
        slot
    }

    fn new_list(&mut self, ch: char) {
        self.lists.push(PostingsList {
            bytes: Vec::new(),
            last_doc: NO_DOC,
            last_position: 0,
            occurrences: 0,
            ch,
        });
        self.skips.push(Vec::new());
    }

    fn mem_usage(&self) -> usize {
        self.bmp_slots.len() * std::mem::size_of::<u16>()
            + self.lists.len()
                * (std::mem::size_of::<PostingsList>() + std::mem::size_of::<Vec<u8>>())
            + self.continuations.capacity() * std::mem::size_of::<Continuation>()
            + self.bytes
    }

    /// Writes the segment's character index file.
    fn write(self, segment: &Segment) -> tantivy::Result<()> {
        write_segment_file(segment, EXTENSION, |out| self.write_into(out))
    }

    /// Writes the file's bytes, as laid out in the module's documentation, to `out`.
    fn write_into(self, out: &mut dyn Write) -> std::io::Result<()> {
        let mut order: Vec<usize> = (0..self.lists.len()).collect();
        order.sort_unstable_by_key(|&slot| self.lists[slot].ch);
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&(self.lists.len() as u32).to_le_bytes())?;
        out.write_all(&(self.continuations.len() as u32).to_le_bytes())?;
        for c in &self.continuations {
            for value in [c.doc, c.line, c.offset] {
                out.write_all(&value.to_le_bytes())?;
            }
        }
        let mut end = 0u64;
        for &slot in &order {
            let list = &self.lists[slot];
            end += (list.bytes.len() + self.skips[slot].len()) as u64;
            out.write_all(&(list.ch as u32).to_le_bytes())?;
            out.write_all(&list.occurrences.to_le_bytes())?;
            out.write_all(&end.to_le_bytes())?;
        }
        for &slot in &order {
            out.write_all(&self.lists[slot].bytes)?;
            out.write_all(&self.skips[slot])?;
        }
        Ok(())
    }
}

/// One segment's character index, read from its file.
pub struct SegmentChars {
    bytes: OwnedBytes,
    count: usize,
    continuations: usize,
}

fn corrupt(reason: &str) -> TantivyError {
    damaged_file("character index", reason)
}

impl SegmentChars {
    /// Opens the character index of the segment `reader` reads, checking its layout.
    pub fn open(reader: &SegmentReader) -> tantivy::Result<SegmentChars> {
        SegmentChars::parse(read_segment_file(reader, EXTENSION)?)
    }

    fn parse(bytes: OwnedBytes) -> tantivy::Result<SegmentChars> {
        let data = bytes.as_slice();
        check_header(data, MAGIC, VERSION, HEADER_BYTES).map_err(corrupt)?;
        let count = u32_at(data, 8) as usize;
        let continuations = u32_at(data, 12) as usize;
        let postings_start =
            HEADER_BYTES + continuations * CONTINUATION_BYTES + count * ENTRY_BYTES;
        if data.len() < postings_start {
            return Err(corrupt("truncated directory"));
        }
        let file_len = data.len() as u64;
        let chars = SegmentChars {
            bytes,
            count,
            continuations,
        };
        let mut previous_doc = None;
        for (doc, line, offset) in chars.continuations() {
            if line >= doc || offset == 0 || previous_doc >= Some(doc) {
                return Err(corrupt("line table out of order"));
            }
            previous_doc = Some(doc);
        }
        let mut previous = (None, 0u64);
        for i in 0..count {
            let (ch, end) = (chars.char_at(i), chars.end_at(i));
            if ch.is_none() || ch <= previous.0 || end < previous.1 {
                return Err(corrupt("directory out of order"));
            }
            previous = (ch, end);
        }
        if (postings_start as u64).checked_add(previous.1) != Some(file_len) {
            return Err(corrupt("postings do not fill the file"));
        }
        Ok(chars)
    }

    /// Where the directory of characters starts.
    fn directory(&self) -> usize {
        HEADER_BYTES + self.continuations * CONTINUATION_BYTES
    }

    fn char_at(&self, i: usize) -> Option<char> {
        char::from_u32(u32_at(&self.bytes, self.directory() + i * ENTRY_BYTES))
    }

    fn occurrences_at(&self, i: usize) -> u32 {
        u32_at(&self.bytes, self.directory() + i * ENTRY_BYTES + 4)
    }

    fn end_at(&self, i: usize) -> u64 {
        let at = self.directory() + i * ENTRY_BYTES + 8;
        u64::from_le_bytes(self.bytes[at..at + 8].try_into().expect("8 bytes"))
    }

    /// The `i`-th continuing document: (doc, its line's first doc, its offset in the line).
    fn continuation_at(&self, i: usize) -> (DocId, DocId, u32) {
        let at = HEADER_BYTES + i * CONTINUATION_BYTES;
        let value = |k: usize| u32_at(&self.bytes, at + 4 * k);
        (value(0), value(1), value(2))
    }

    /// The documents that continue a line: (doc, its line's first doc, its offset in the
    /// line), by doc.
    pub fn continuations(&self) -> impl Iterator<Item = (DocId, DocId, u32)> + '_ {
        (0..self.continuations).map(|i| self.continuation_at(i))
    }

    /// True when some line of the segment runs over several documents.
    pub fn has_cut_lines(&self) -> bool {
        self.continuations > 0
    }

    /// The indexes in the line table of the documents continuing the line begun by `first`.
    fn continuing(&self, first: DocId) -> std::ops::Range<usize> {
        // Lines are runs of consecutive documents, so the table is also ordered by line.
        let by_line = |limit: DocId| {
            let (mut low, mut high) = (0, self.continuations);
            while low < high {
                let mid = (low + high) / 2;
                if self.continuation_at(mid).1 < limit {
                    low = mid + 1;
                } else {
                    high = mid;
                }
            }
            low
        };
        by_line(first)..by_line(first.saturating_add(1))
    }

    /// The line `doc` belongs to: (its first document, `doc`'s offset in it).
    pub fn line_of(&self, doc: DocId) -> (DocId, u32) {
        let (mut low, mut high) = (0, self.continuations);
        while low < high {
            let mid = (low + high) / 2;
            let (here, line, offset) = self.continuation_at(mid);
            match here.cmp(&doc) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return (line, offset),
            }
        }
        (doc, 0)
    }

    /// The documents of the line begun by `first`, with their offsets, in order.
    pub fn line_pieces(&self, first: DocId) -> Vec<(DocId, u32)> {
        let mut pieces = vec![(first, 0)];
        pieces.extend(
            self.continuing(first)
                .map(|i| self.continuation_at(i))
                .map(|(doc, _, offset)| (doc, offset)),
        );
        pieces
    }

    /// A finder of the documents holding line positions, for positions met in order.
    pub fn pieces(&self) -> PieceFinder<'_> {
        PieceFinder {
            chars: self,
            line: None,
            continuing: 0..0,
        }
    }

    fn list_at(&self, i: usize) -> CharList<'_> {
        let base = self.directory() + self.count * ENTRY_BYTES;
        let start = if i == 0 { 0 } else { self.end_at(i - 1) };
        let region = &self.bytes[base + start as usize..base + self.end_at(i) as usize];
        let occurrences = self.occurrences_at(i);
        // A damaged count must not cut outside the region: the skips are then ignored.
        let skip_bytes = (occurrences / SKIP_EVERY) as usize * SKIP_BYTES;
        let (postings, skips) = region.split_at(region.len().saturating_sub(skip_bytes));
        CharList {
            postings,
            skips: if skips.len() == skip_bytes {
                skips
            } else {
                &[]
            },
            occurrences,
        }
    }

    /// The postings of `ch`, if it occurs in the segment.
    pub fn list(&self, ch: char) -> Option<CharList<'_>> {
        let (mut low, mut high) = (0, self.count);
        while low < high {
            let mid = (low + high) / 2;
            match self.char_at(mid).cmp(&Some(ch)) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(self.list_at(mid)),
            }
        }
        None
    }

    /// Every character of the segment with its postings, by character.
    fn lists(&self) -> impl Iterator<Item = (char, CharList<'_>)> {
        (0..self.count).filter_map(|i| Some((self.char_at(i)?, self.list_at(i))))
    }
}

/// Finds the document holding a line position, for lines asked about in increasing order:
/// it walks the line table once, so most lines, which are one document, cost a comparison.
pub struct PieceFinder<'a> {
    chars: &'a SegmentChars,
    /// The line last asked about.
    line: Option<DocId>,
    /// Its continuing documents' indexes in the line table.
    continuing: std::ops::Range<usize>,
}

impl PieceFinder<'_> {
    /// The document holding `position` of the line begun by `first`, and the position
    /// there; `first` never decreases from one call to the next.
    pub fn piece_at(&mut self, first: DocId, position: u32) -> (DocId, u32) {
        let chars = self.chars;
        if self.line != Some(first) {
            self.line = Some(first);
            let mut at = self.continuing.end;
            while at < chars.continuations && chars.continuation_at(at).1 < first {
                at += 1;
            }
            let start = at;
            while at < chars.continuations && chars.continuation_at(at).1 == first {
                at += 1;
            }
            self.continuing = start..at;
        }
        // The first continuing document that starts after `position`.
        let range = self.continuing.clone();
        let (mut after, mut high) = (range.start, range.end);
        while after < high {
            let mid = (after + high) / 2;
            if chars.continuation_at(mid).2 <= position {
                after = mid + 1;
            } else {
                high = mid;
            }
        }
        if after == range.start {
            (first, position)
        } else {
            let (doc, _, offset) = chars.continuation_at(after - 1);
            (doc, position - offset)
        }
    }
}

/// The occurrences of one character in a segment.
#[derive(Clone, Copy)]
pub struct CharList<'a> {
    postings: &'a [u8],
    skips: &'a [u8],
    occurrences: u32,
}

impl<'a> CharList<'a> {
    /// How many times the character occurs in the segment (never zero).
    pub(crate) fn len(&self) -> u32 {
        self.occurrences
    }

    /// The occurrences, as (doc id, position) in increasing order.
    pub fn occurrences(&self) -> Occurrences<'a> {
        Occurrences {
            bytes: self.postings,
            skips: self.skips,
            next_skip: 0,
            at: 0,
            doc: 0,
            position: 0,
        }
    }
}

/// An iterator over a character's (doc id, position) pairs, in increasing order.
pub struct Occurrences<'a> {
    bytes: &'a [u8],
    skips: &'a [u8],
    /// The first skip not yet passed by a jump.
    next_skip: usize,
    at: usize,
    doc: DocId,
    position: u32,
}

impl Iterator for Occurrences<'_> {
    type Item = (DocId, u32);

    fn next(&mut self) -> Option<(DocId, u32)> {
        let code = read_varint(self.bytes, &mut self.at)?;
        if code & 1 == 1 {
            self.doc = self.doc.checked_add(u32::try_from(code >> 1).ok()?)?;
            self.position = u32::try_from(read_varint(self.bytes, &mut self.at)?).ok()?;
        } else {
            self.position = self.position.checked_add(u32::try_from(code >> 1).ok()?)?;
        }
        Some((self.doc, self.position))
    }
}

impl Occurrences<'_> {
    /// Moves to the first occurrence at or after `target` and returns it.
    pub fn seek(&mut self, target: (DocId, u32)) -> Option<(DocId, u32)> {
        // Jump to the last skip before the target, if it lies ahead; decode from there. Most
        // seeks land before the next skip: they decode on without searching the skips.
        let (skips, _) = self.skips.as_chunks::<SKIP_BYTES>();
        let field = |skip: &[u8; SKIP_BYTES], i: usize| u32_at(skip, 4 * i);
        let occurrence = |skip: &[u8; SKIP_BYTES]| (field(skip, 0), field(skip, 1));
        let ahead = &skips[self.next_skip.min(skips.len())..];
        if ahead.first().is_some_and(|skip| occurrence(skip) < target) {
            let before_target = ahead.partition_point(|skip| occurrence(skip) < target);
            let skip = &ahead[before_target - 1];
            let offset = field(skip, 2) as usize;
            self.next_skip += before_target;
            if offset > self.at && offset <= self.bytes.len() {
                (self.doc, self.position) = occurrence(skip);
                self.at = offset;
            }
        }
        loop {
            let here = self.next()?;
            if here >= target {
                return Some(here);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use tantivy::doc;

    use super::*;
    use crate::index::schema::Fields;

    fn built(texts: &[&str]) -> SegmentChars {
        let pieces: Vec<(&str, u32)> = texts.iter().map(|&text| (text, 0)).collect();
        built_from_pieces(&pieces)
    }

    /// The index of documents given as (text, offset in its line).
    fn built_from_pieces(pieces: &[(&str, u32)]) -> SegmentChars {
        let mut postings = PostingsBuilder::default();
        for (doc, &(text, offset)) in pieces.iter().enumerate() {
            postings.add_piece(doc as DocId, offset, std::iter::once(text));
        }
        let mut file = Vec::new();
        postings.write_into(&mut file).unwrap();
        SegmentChars::parse(OwnedBytes::new(file)).unwrap()
    }

    /// The file of documents given as (text, offset in its line), written through the
    /// plugin's writer with batches full at `limit` bytes.
    fn file_in_batches(limit: usize, pieces: &[(&str, u32)]) -> Vec<u8> {
        let (schema, fields) = Fields::build();
        let mut writer = CharIndexWriter {
            field: fields.text,
            line_offset: fields.line_offset,
            batch: TextBatch::with_limit(limit),
            postings: PostingsBuilder::default(),
        };
        for (id, &(text, offset)) in pieces.iter().enumerate() {
            let doc = doc!(fields.text => text, fields.line_offset => u64::from(offset));
            writer.add_document(id as DocId, &doc, &schema).unwrap();
        }
        writer.record_batch();
        let mut file = Vec::new();
        writer.postings.write_into(&mut file).unwrap();
        file
    }

    #[test]
    fn batches_of_any_size_write_the_same_file() {
        // Lines cut in pieces among whole ones, so that continuations cross batches.
        let pieces: Vec<(&str, u32)> = (0..150)
            .map(|doc| match doc % 4 {
                0 => ("推进法治政府建设", 0),
                1 => ("依法行政，", 0),
                2 => ("法治😀政府", 5),
                _ => ("", 0),
            })
            .collect();
        let whole = file_in_batches(usize::MAX, &pieces);
        let chars = SegmentChars::parse(OwnedBytes::new(whole.clone())).unwrap();
        let holding = pieces
            .iter()
            .filter(|(text, _)| text.contains('法'))
            .count();
        assert_eq!(chars.list('法').unwrap().len() as usize, holding);
        assert!(chars.continuations().count() > 0);
        for limit in [1, 20, 700] {
            assert!(
                file_in_batches(limit, &pieces) == whole,
                "batches of {limit} bytes"
            );
        }
    }

    #[test]
    fn every_occurrence_comes_back_in_order() {
        let chars = built(&["法治政府建设", "", "依法行政，法治", "😀法"]);
        let list = chars.list('法').unwrap();
        assert_eq!(list.len(), 4);
        let found: Vec<_> = list.occurrences().collect();
        assert_eq!(found, vec![(0, 0), (2, 1), (2, 5), (3, 1)]);
        assert_eq!(
            chars.list('😀').unwrap().occurrences().collect::<Vec<_>>(),
            vec![(3, 0)]
        );
        assert!(chars.list('刑').is_none());
    }

    #[test]
    fn seek_stops_at_the_first_occurrence_not_before_the_target() {
        let chars = built(&["法法", "", "行法", "法"]);
        let mut occurrences = chars.list('法').unwrap().occurrences();
        assert_eq!(occurrences.seek((0, 1)), Some((0, 1)));
        assert_eq!(occurrences.seek((1, 0)), Some((2, 1)));
        assert_eq!(occurrences.seek((3, 1)), None);
    }

    #[test]
    fn seeks_jump_over_skips_to_the_same_occurrence_as_a_scan() {
        // Enough occurrences of 法 for several skips, in documents of varied lengths.
        let texts: Vec<String> = (0..300)
            .map(|i| "法治".repeat(i % 7) + &"行政".repeat(i % 3) + "法")
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let chars = built(&refs);
        let list = chars.list('法').unwrap();
        assert!(list.len() > 4 * SKIP_EVERY);
        assert_eq!(
            list.skips.len(),
            (list.len() / SKIP_EVERY) as usize * SKIP_BYTES
        );
        let all: Vec<(DocId, u32)> = list.occurrences().collect();
        assert_eq!(all.len() as u32, list.len());
        let first_at_or_after =
            |target: (DocId, u32)| all.iter().copied().find(|&here| here >= target);
        // One seek from the start, and growing seeks on one iterator, seeking only when the
        // occurrence it last gave lies before the target (a seek consumes what it returns).
        let mut walking = list.occurrences();
        let mut current = None;
        for doc in (0..310).step_by(3) {
            for position in [0, 1, 5, 13] {
                let target = (doc, position);
                assert_eq!(list.occurrences().seek(target), first_at_or_after(target));
                if current.is_none_or(|here| here < target) {
                    current = walking.seek(target);
                }
                assert_eq!(current, first_at_or_after(target), "{target:?}");
            }
        }
    }

    #[test]
    fn pieces_of_a_line_are_indexed_at_their_line_positions() {
        // Doc 0 a line; docs 1-3 one line cut in three; doc 4 claims to continue but does
        // not follow on from doc 3's end, so it starts a line of its own.
        let chars =
            built_from_pieces(&[("法治", 0), ("甲乙", 0), ("丙", 2), ("丁法", 3), ("法", 9)]);
        assert_eq!(
            chars.continuations().collect::<Vec<_>>(),
            vec![(2, 1, 2), (3, 1, 3)]
        );
        let found: Vec<_> = chars.list('法').unwrap().occurrences().collect();
        assert_eq!(found, vec![(0, 0), (1, 4), (4, 0)]);
        assert_eq!(chars.list('丙').unwrap().occurrences().next(), Some((1, 2)));
        assert_eq!(chars.line_pieces(1), vec![(1, 0), (2, 2), (3, 3)]);
        assert_eq!(chars.line_pieces(0), vec![(0, 0)]);
        assert_eq!(chars.line_of(3), (1, 3));
        assert_eq!(chars.line_of(4), (4, 0));
        let mut pieces = chars.pieces();
        assert_eq!(pieces.piece_at(0, 1), (0, 1));
        assert_eq!(pieces.piece_at(1, 1), (1, 1));
        assert_eq!(pieces.piece_at(1, 2), (2, 0));
        assert_eq!(pieces.piece_at(1, 4), (3, 1));
        assert_eq!(pieces.piece_at(4, 0), (4, 0));
    }

    #[test]
    fn damaged_files_are_refused_not_read() {
        assert!(SegmentChars::parse(OwnedBytes::new(b"FZCH".to_vec())).is_err());
        let good = built(&["法治"]);
        let mut bytes = good.bytes.as_slice().to_vec();
        bytes.pop();
        assert!(SegmentChars::parse(OwnedBytes::new(bytes.clone())).is_err());
        bytes[HEADER_BYTES] = 0xff;
        bytes[HEADER_BYTES + 3] = 0xff;
        assert!(SegmentChars::parse(OwnedBytes::new(bytes)).is_err());
        // A line table whose continuing document names itself as its line's first.
        let cut = built_from_pieces(&[("法治", 0), ("政府", 2)]);
        let mut bytes = cut.bytes.as_slice().to_vec();
        assert_eq!(u32_at(&bytes, 12), 1, "one continuing document");
        bytes[HEADER_BYTES + 4] = 1;
        assert!(SegmentChars::parse(OwnedBytes::new(bytes)).is_err());
    }
}
