//! The text of each paragraph and its heading path, kept beside tantivy's postings in each
//! segment by a tantivy segment plugin.
//!
//! Listing the mentions of a frequent phrase reads most paragraphs. From tantivy's document
//! store that meant decompressing blocks that mostly hold other fields and decoding every
//! document into owned values (an allocation and a UTF-8 check per field): for 人民 on the
//! dev corpus, twice the time grep takes to scan the files. Here the texts are runs of
//! whole paragraphs compressed with LZ4 in blocks of about [`BLOCK_BYTES`] (the text alone
//! shrinks to about 0.55 of its size; uncompressed it would put the index over twice the
//! size of the input), each block checked as UTF-8 once when decompressed, and a paragraph
//! is a slice of its block. Headings repeat along a report, so each run of paragraphs under
//! the same heading path shares one copy, kept uncompressed.
//!
//! File layout (one file per segment, extension [`EXTENSION`]), integers little-endian:
//!
//! ```text
//! "FZTX" | u32 version | u32 documents n | u32 heading paths m | u32 blocks b
//! n × (u64 end of the document's text | u32 its heading path, or u32::MAX for none)
//! m × u64 end of each heading path
//! b × (u32 first document of the block | u64 end of its compressed bytes)
//! the heading paths, one after another
//! the blocks, one after another
//! ```
//!
//! A document's text ends are offsets in all the texts put end to end, in doc-id order;
//! a block holds the texts of its documents up to the next block's first document.

use std::any::Any;
use std::io::Write;
use std::ops::Range;
use std::sync::Arc;

use tantivy::directory::OwnedBytes;
use tantivy::indexer::doc_id_mapping::DocIdMapping;
use tantivy::schema::document::ErasedDocument;
use tantivy::schema::{Field, Schema, Value};
use tantivy::{
    DocId, PluginMergeContext, PluginWriter, PluginWriterContext, Segment, SegmentPlugin,
    SegmentReader, TantivyError,
};

use crate::index::segment_file::{
    check_header, damaged_file, fazhi_document, merged_ids, read_segment_file, refuse_mapping,
    u32_at, write_segment_file,
};

/// File extension of a segment's paragraph texts.
pub const EXTENSION: &str = "text";

const MAGIC: &[u8; 4] = b"FZTX";
const VERSION: u32 = 1;
const HEADER_BYTES: usize = 20;
const DOC_BYTES: usize = 12;
const HEADING_BYTES: usize = 8;
const BLOCK_ENTRY_BYTES: usize = 12;
/// Bytes of text a block collects before it is closed: small enough that reading one
/// paragraph decompresses little, large enough that LZ4 finds the repeats (0.55 of the
/// dev corpus's text at 16 KiB, against 0.62 at 4 KiB and 0.50 at 64 KiB).
pub const BLOCK_BYTES: usize = 16 * 1024;
/// The heading path of a document without one (a report's own document).
const NO_HEADING: u32 = u32::MAX;

/// The tantivy segment plugin that writes and merges the paragraph text files.
///
/// Register it on every [`tantivy::Index`] fazhi creates or opens.
#[derive(Debug)]
pub struct ParagraphTextPlugin {
    /// The name of the field holding a paragraph's text.
    text: &'static str,
    /// The name of the field holding its heading path.
    heading: &'static str,
}

impl ParagraphTextPlugin {
    /// The plugin keeping the values of the fields named `text` and `heading`.
    pub fn for_fields(text: &'static str, heading: &'static str) -> ParagraphTextPlugin {
        ParagraphTextPlugin { text, heading }
    }
}

impl SegmentPlugin for ParagraphTextPlugin {
    fn extensions(&self) -> &[&str] {
        &[EXTENSION]
    }

    fn create_writer(&self, ctx: &PluginWriterContext) -> tantivy::Result<Box<dyn PluginWriter>> {
        let schema = ctx.segment.schema();
        Ok(Box::new(ParagraphTextWriter {
            text: schema.get_field(self.text)?,
            heading: schema.get_field(self.heading)?,
            texts: TextsBuilder::default(),
        }))
    }

    fn merge(&self, ctx: PluginMergeContext) -> tantivy::Result<()> {
        let merged = merged_ids(ctx.readers, ctx.doc_id_mapping.mapping_type())?;
        let mut texts = TextsBuilder::default();
        for (reader, new_ids) in ctx.readers.iter().zip(merged) {
            let old = SegmentTexts::open(reader)?;
            let mut last = LastBlock::default();
            for (doc, new_id) in new_ids.into_iter().enumerate() {
                if let Some(new_id) = new_id {
                    let doc = doc as DocId;
                    let text = old.text(doc, &mut last)?;
                    texts.push(new_id, &[text.as_str()], old.heading(doc)?);
                }
            }
        }
        texts.write(ctx.target_segment)
    }
}

fn corrupt(reason: String) -> TantivyError {
    damaged_file("paragraph texts", &reason)
}

/// Collects the texts of one segment's documents as they are added.
struct ParagraphTextWriter {
    text: Field,
    heading: Field,
    texts: TextsBuilder,
}

impl PluginWriter for ParagraphTextWriter {
    fn add_document(
        &mut self,
        doc_id: DocId,
        doc: &dyn ErasedDocument,
        _schema: &Schema,
    ) -> tantivy::Result<()> {
        let doc = fazhi_document(doc)?;
        // A paragraph has one text value; a report's document none.
        let texts: Vec<&str> = doc
            .get_all(self.text)
            .filter_map(|value| value.as_str())
            .collect();
        let heading = doc.get_first(self.heading).and_then(|value| value.as_str());
        self.texts.push(doc_id, &texts, heading);
        Ok(())
    }

    fn serialize(
        self: Box<Self>,
        segment: &Segment,
        doc_id_map: Option<&DocIdMapping>,
    ) -> tantivy::Result<()> {
        refuse_mapping(doc_id_map)?;
        self.texts.write(segment)
    }

    fn mem_usage(&self) -> usize {
        self.texts.mem_usage()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The texts and heading paths of a segment's documents, in memory: the texts compressed
/// block by block as they come, so that a segment being built holds about half its text's
/// size rather than all of it.
#[derive(Default)]
struct TextsBuilder {
    /// Per document: the end of its text in all the texts put end to end, and its heading
    /// path.
    docs: Vec<(u64, u32)>,
    /// The blocks closed so far: first document, compressed texts.
    blocks: Vec<(u32, Vec<u8>)>,
    /// The first document of the block being filled, and its texts so far.
    open: Option<(u32, Vec<u8>)>,
    /// Bytes of text in the closed blocks.
    closed_bytes: u64,
    /// The end of each heading path in `headings`.
    heading_ends: Vec<u64>,
    headings: Vec<u8>,
}

impl TextsBuilder {
    fn docs(&self) -> DocId {
        self.docs.len() as DocId
    }

    /// Records document `doc`'s texts, one after another, and heading path; documents
    /// come in doc-id order, and any skipped are recorded empty.
    fn push(&mut self, doc: DocId, texts: &[&str], heading: Option<&str>) {
        while self.docs() < doc {
            let end = self.append(&[]);
            self.docs.push((end, NO_HEADING));
        }
        let end = self.append(texts);
        let heading = heading.map_or(NO_HEADING, |heading| {
            let last_start = match self.heading_ends.len() {
                0 => None,
                1 => Some(0),
                n => Some(self.heading_ends[n - 2] as usize),
            };
            if last_start.is_none_or(|start| &self.headings[start..] != heading.as_bytes()) {
                self.headings.extend_from_slice(heading.as_bytes());
                self.heading_ends.push(self.headings.len() as u64);
            }
            (self.heading_ends.len() - 1) as u32
        });
        self.docs.push((end, heading));
    }

    /// Appends the texts of the next document to the open block, after closing it if they
    /// would take it over [`BLOCK_BYTES`]; returns where they end.
    fn append(&mut self, texts: &[&str]) -> u64 {
        let doc = self.docs();
        let len: usize = texts.iter().map(|text| text.len()).sum();
        if self
            .open
            .as_ref()
            .is_some_and(|(_, open)| open.len() + len > BLOCK_BYTES)
        {
            self.close_block();
        }
        let (_, open) = self.open.get_or_insert_with(|| (doc, Vec::new()));
        for &text in texts {
            open.extend_from_slice(text.as_bytes());
        }
        self.closed_bytes + open.len() as u64
    }

    fn close_block(&mut self) {
        if let Some((first, open)) = self.open.take() {
            self.closed_bytes += open.len() as u64;
            self.blocks.push((first, lz4_flex::compress(&open)));
        }
    }

    fn mem_usage(&self) -> usize {
        self.blocks
            .iter()
            .map(|(_, block)| block.capacity())
            .sum::<usize>()
            + self.open.as_ref().map_or(0, |(_, open)| open.capacity())
            + self.headings.capacity()
            + self.docs.capacity() * DOC_BYTES
            + self.heading_ends.capacity() * HEADING_BYTES
    }

    /// Writes the segment's file.
    fn write(self, segment: &Segment) -> tantivy::Result<()> {
        write_segment_file(segment, EXTENSION, |out| self.write_into(out))
    }

    /// Writes the file's bytes, as laid out in the module's documentation, to `out`.
    fn write_into(mut self, out: &mut dyn Write) -> std::io::Result<()> {
        self.close_block();
        let blocks = self.blocks;
        out.write_all(MAGIC)?;
        out.write_all(&VERSION.to_le_bytes())?;
        out.write_all(&(self.docs.len() as u32).to_le_bytes())?;
        out.write_all(&(self.heading_ends.len() as u32).to_le_bytes())?;
        out.write_all(&(blocks.len() as u32).to_le_bytes())?;
        for (end, heading) in &self.docs {
            out.write_all(&end.to_le_bytes())?;
            out.write_all(&heading.to_le_bytes())?;
        }
        for end in &self.heading_ends {
            out.write_all(&end.to_le_bytes())?;
        }
        let mut compressed_end = 0u64;
        for (first, block) in &blocks {
            compressed_end += block.len() as u64;
            out.write_all(&first.to_le_bytes())?;
            out.write_all(&compressed_end.to_le_bytes())?;
        }
        out.write_all(&self.headings)?;
        for (_, block) in &blocks {
            out.write_all(block)?;
        }
        Ok(())
    }
}

/// The paragraph texts of one segment, read in place.
pub struct SegmentTexts {
    bytes: OwnedBytes,
    docs: usize,
    headings: usize,
    blocks: usize,
}

/// The text of one document, a slice of its decompressed block.
#[derive(Clone)]
pub struct DocumentText {
    block: Arc<str>,
    range: Range<usize>,
}

impl DocumentText {
    /// The text.
    pub fn as_str(&self) -> &str {
        &self.block[self.range.clone()]
    }
}

/// The block a reader decompressed last: documents are mostly read in doc-id order, so
/// most reads find their block here.
#[derive(Default)]
pub struct LastBlock(Option<(usize, Arc<str>)>);

impl SegmentTexts {
    /// Opens the paragraph texts of the segment `reader` reads, checking their layout.
    pub fn open(reader: &SegmentReader) -> tantivy::Result<SegmentTexts> {
        SegmentTexts::parse(read_segment_file(reader, EXTENSION)?)
    }

    fn parse(bytes: OwnedBytes) -> tantivy::Result<SegmentTexts> {
        let data = bytes.as_slice();
        check_header(data, MAGIC, VERSION, HEADER_BYTES)
            .map_err(|reason| corrupt(reason.into()))?;
        let texts = SegmentTexts {
            docs: u32_at(data, 8) as usize,
            headings: u32_at(data, 12) as usize,
            blocks: u32_at(data, 16) as usize,
            bytes,
        };
        if texts.size() != Some(texts.bytes.len()) {
            return Err(corrupt("the texts do not fill the file".into()));
        }
        if (texts.docs > 0) != (texts.blocks > 0) || texts.docs > 0 && texts.first_doc(0) != Some(0)
        {
            return Err(corrupt(
                "the blocks do not start with the first document".into(),
            ));
        }
        Ok(texts)
    }

    /// The size the file must have, from its counts and the last end of each area; every
    /// other offset is checked when it is read.
    fn size(&self) -> Option<usize> {
        let directory = HEADER_BYTES
            .checked_add(self.docs.checked_mul(DOC_BYTES)?)?
            .checked_add(self.headings.checked_mul(HEADING_BYTES)?)?
            .checked_add(self.blocks.checked_mul(BLOCK_ENTRY_BYTES)?)?;
        let last = |count: usize, entry: fn(&Self, usize) -> usize, skip: usize| match count {
            0 => Some(0),
            _ => self.u64_at(entry(self, count - 1) + skip),
        };
        let headings = last(self.headings, Self::heading_entry, 0)?;
        let blocks = last(self.blocks, Self::block_entry, 4)?;
        directory.checked_add(headings)?.checked_add(blocks)
    }

    fn doc_entry(&self, doc: usize) -> usize {
        HEADER_BYTES + doc * DOC_BYTES
    }

    fn heading_entry(&self, heading: usize) -> usize {
        self.doc_entry(self.docs) + heading * HEADING_BYTES
    }

    fn block_entry(&self, block: usize) -> usize {
        self.heading_entry(self.headings) + block * BLOCK_ENTRY_BYTES
    }

    fn headings_start(&self) -> usize {
        self.block_entry(self.blocks)
    }

    fn blocks_start(&self) -> usize {
        self.headings_start() + self.end_before(self.headings, Self::heading_entry, 0)
    }

    fn u64_at(&self, at: usize) -> Option<usize> {
        let bytes = self.bytes.get(at..at + 8)?;
        usize::try_from(u64::from_le_bytes(bytes.try_into().ok()?)).ok()
    }

    /// The end of entry `index - 1` of an area (its entries at `entry`, the end `skip`
    /// bytes in), or 0 for the first: where entry `index` starts.
    fn end_before(&self, index: usize, entry: fn(&Self, usize) -> usize, skip: usize) -> usize {
        index
            .checked_sub(1)
            .and_then(|previous| self.u64_at(entry(self, previous) + skip))
            .unwrap_or(0)
    }

    fn first_doc(&self, block: usize) -> Option<usize> {
        let at = self.block_entry(block);
        (block < self.blocks).then(|| u32_at(&self.bytes, at) as usize)
    }

    fn damaged(what: &str, index: usize) -> TantivyError {
        corrupt(format!("{what} {index} is out of order or out of the file"))
    }

    /// The text of document `doc`, decompressing its block unless `last` holds it.
    pub fn text(&self, doc: DocId, last: &mut LastBlock) -> tantivy::Result<DocumentText> {
        let doc = doc as usize;
        if doc >= self.docs {
            return Err(corrupt(format!("no document {doc}")));
        }
        // The block whose first document is the last one not after `doc`.
        let (mut low, mut high) = (0, self.blocks);
        while low + 1 < high {
            let mid = (low + high) / 2;
            if self.first_doc(mid).is_some_and(|first| first <= doc) {
                low = mid;
            } else {
                high = mid;
            }
        }
        let block = match &last.0 {
            Some((held, text)) if *held == low => text.clone(),
            _ => {
                let text = self.decompress(low)?;
                last.0 = Some((low, text.clone()));
                text
            }
        };
        let block_start = self.doc_start(self.first_doc(low).unwrap_or(0));
        let range = self
            .doc_start(doc)
            .checked_sub(block_start)
            .zip(self.doc_end(doc)?.checked_sub(block_start))
            .map(|(start, end)| start..end)
            .filter(|range| block.get(range.clone()).is_some())
            .ok_or_else(|| Self::damaged("document", doc))?;
        Ok(DocumentText { block, range })
    }

    fn doc_start(&self, doc: usize) -> usize {
        self.end_before(doc, Self::doc_entry, 0)
    }

    fn doc_end(&self, doc: usize) -> tantivy::Result<usize> {
        self.u64_at(self.doc_entry(doc))
            .ok_or_else(|| Self::damaged("document", doc))
    }

    /// Block `block`'s texts, decompressed and checked as UTF-8.
    fn decompress(&self, block: usize) -> tantivy::Result<Arc<str>> {
        let first = self.first_doc(block).unwrap_or(0);
        let last = self.first_doc(block + 1).unwrap_or(self.docs);
        let size = match last.checked_sub(1) {
            Some(end_doc) if end_doc >= first => self.doc_end(end_doc)?,
            _ => return Err(Self::damaged("block", block)),
        }
        .checked_sub(self.doc_start(first))
        .ok_or_else(|| Self::damaged("block", block))?;
        let start = self.blocks_start() + self.end_before(block, Self::block_entry, 4);
        let end = self.blocks_start()
            + self
                .u64_at(self.block_entry(block) + 4)
                .ok_or_else(|| Self::damaged("block", block))?;
        let compressed = self
            .bytes
            .get(start..end)
            .ok_or_else(|| Self::damaged("block", block))?;
        // Into a buffer that is not zeroed first: every byte is written.
        let text = match lz4_flex::decompress(compressed, size) {
            Ok(text) if text.len() == size => text,
            _ => return Err(corrupt(format!("block {block} does not decompress"))),
        };
        simdutf8::basic::from_utf8(&text).map_err(|_| corrupt("a text is not UTF-8".into()))?;
        // SAFETY: checked just above (the standard library's check is several times
        // slower on Chinese text, and a listing decompresses every block).
        Ok(Arc::from(unsafe { String::from_utf8_unchecked(text) }))
    }

    /// The heading path of document `doc`, if it has one.
    pub fn heading(&self, doc: DocId) -> tantivy::Result<Option<&str>> {
        let doc = doc as usize;
        if doc >= self.docs {
            return Err(corrupt(format!("no document {doc}")));
        }
        let heading = u32_at(&self.bytes, self.doc_entry(doc) + 8);
        if heading == NO_HEADING {
            return Ok(None);
        }
        let heading = heading as usize;
        if heading >= self.headings {
            return Err(corrupt(format!("no heading path {heading}")));
        }
        let start = self.end_before(heading, Self::heading_entry, 0);
        let end = self
            .u64_at(self.heading_entry(heading))
            .ok_or_else(|| Self::damaged("heading path", heading))?;
        let area = self.headings_start();
        let bytes = (start <= end)
            .then(|| self.bytes.get(area + start..area.checked_add(end)?))
            .flatten()
            .ok_or_else(|| Self::damaged("heading path", heading))?;
        simdutf8::basic::from_utf8(bytes)
            .map(Some)
            .map_err(|_| corrupt("a heading path is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(docs: &[(&str, Option<&str>)]) -> Vec<u8> {
        let mut builder = TextsBuilder::default();
        for (doc, (text, heading)) in docs.iter().enumerate() {
            builder.push(doc as DocId, &[text], *heading);
        }
        let mut bytes = Vec::new();
        builder.write_into(&mut bytes).unwrap();
        bytes
    }

    fn open(bytes: Vec<u8>) -> tantivy::Result<SegmentTexts> {
        SegmentTexts::parse(OwnedBytes::new(bytes))
    }

    fn text(texts: &SegmentTexts, doc: DocId) -> tantivy::Result<String> {
        Ok(texts
            .text(doc, &mut LastBlock::default())?
            .as_str()
            .to_string())
    }

    #[test]
    fn every_text_and_heading_comes_back() {
        let docs = [
            ("", None),
            ("坚持和发展新时代“枫桥经验”。", Some("一、工作 > (一)调解")),
            ("Abc，１９５５年", Some("一、工作 > (一)调解")),
            ("", Some("二、问题")),
            ("依法行政", Some("一、工作 > (一)调解")),
        ];
        let texts = open(file(&docs)).unwrap();
        for (doc, (want, heading)) in docs.iter().enumerate() {
            assert_eq!(text(&texts, doc as DocId).unwrap(), *want);
            assert_eq!(texts.heading(doc as DocId).unwrap(), *heading);
        }
        // A heading path repeated by the next paragraph is kept once.
        assert_eq!(texts.headings, 3);
        assert!(texts
            .text(docs.len() as DocId, &mut LastBlock::default())
            .is_err());
    }

    #[test]
    fn texts_span_many_blocks_read_in_any_order() {
        let paragraphs: Vec<String> = (0..3000)
            .map(|i| format!("第{i}段：推进法治政府建设，{}", "依法行政。".repeat(i % 17)))
            .collect();
        let docs: Vec<(&str, Option<&str>)> = paragraphs
            .iter()
            .map(|p| (p.as_str(), Some("一、")))
            .collect();
        let texts = open(file(&docs)).unwrap();
        assert!(texts.blocks > 10, "{} blocks", texts.blocks);
        let mut last = LastBlock::default();
        for doc in (0..docs.len()).rev().step_by(7).chain(0..docs.len()) {
            let read = texts.text(doc as DocId, &mut last).unwrap();
            assert_eq!(read.as_str(), paragraphs[doc]);
        }
    }

    #[test]
    fn skipped_documents_are_empty() {
        let mut builder = TextsBuilder::default();
        builder.push(2, &["法治"], Some("一、"));
        let mut bytes = Vec::new();
        builder.write_into(&mut bytes).unwrap();
        let texts = open(bytes).unwrap();
        assert_eq!(text(&texts, 0).unwrap(), "");
        assert_eq!(texts.heading(1).unwrap(), None);
        assert_eq!(text(&texts, 2).unwrap(), "法治");
    }

    #[test]
    fn an_empty_segment_has_no_texts() {
        let texts = open(file(&[])).unwrap();
        assert!(text(&texts, 0).is_err());
    }

    #[test]
    fn damaged_files_are_refused_not_read() {
        let bytes = file(&[("法治政府", Some("一、")), ("建设", None)]);
        assert!(
            open(bytes[..bytes.len() - 1].to_vec()).is_err(),
            "truncated"
        );
        assert!(open(bytes[..10].to_vec()).is_err(), "no header");
        let mut other = bytes.clone();
        other[0] = b'X';
        assert!(open(other).is_err(), "magic");
        // An offset out of order is refused when its text is read.
        let mut swapped = bytes.clone();
        swapped[HEADER_BYTES..HEADER_BYTES + 8].copy_from_slice(&100u64.to_le_bytes());
        let texts = open(swapped).unwrap();
        assert!(text(&texts, 0).is_err());
        assert!(text(&texts, 1).is_err());
        // A damaged block is refused, not handed out.
        let mut broken = bytes.clone();
        let last = broken.len() - 1;
        broken[last] ^= 0xff;
        let broken = open(broken).unwrap();
        assert!(text(&broken, 0).is_err() || text(&broken, 0).unwrap() != "法治政府");
    }
}
