//! What fazhi's segment plugins (the character index, the word indexes, the paragraph texts) share: the
//! documents tantivy hands them, the doc ids a merge gives, and their own files in a
//! segment, written and committed with it.

use std::io::Write;

use tantivy::directory::{OwnedBytes, TerminatingWrite};
use tantivy::error::DataCorruption;
use tantivy::index::SegmentComponent;
use tantivy::indexer::doc_id_mapping::{DocIdMapping, MappingType};
use tantivy::schema::document::ErasedDocument;
use tantivy::{DocId, Segment, SegmentReader, TantivyDocument, TantivyError};

/// The document tantivy hands a plugin, as fazhi built it.
pub fn fazhi_document(doc: &dyn ErasedDocument) -> tantivy::Result<&TantivyDocument> {
    doc.as_any()
        .downcast_ref::<TantivyDocument>()
        .ok_or_else(|| TantivyError::InvalidArgument("fazhi indexes TantivyDocuments".into()))
}

/// The error for a damaged segment file of fazhi's: `file` names its kind ("character
/// index"), `reason` says what is wrong.
pub fn damaged_file(file: &str, reason: &str) -> TantivyError {
    TantivyError::DataCorruption(DataCorruption::comment_only(format!(
        "damaged {file}: {reason}"
    )))
}

/// Checks that a segment file's `data` opens with the header its reader expects: at least
/// `header_bytes`, starting with `magic` and the little-endian `version`. Says what is
/// wrong otherwise, for [`damaged_file`].
pub fn check_header(
    data: &[u8],
    magic: &[u8; 4],
    version: u32,
    header_bytes: usize,
) -> Result<(), &'static str> {
    if data.len() < header_bytes.max(8) || &data[..4] != magic {
        return Err("no header");
    }
    if u32_at(data, 4) != version {
        return Err("unknown version");
    }
    Ok(())
}

/// Refuses index sorting, where tantivy renumbers documents: the plugins' files are
/// written in the order documents come.
pub fn refuse_sorting(sorted: bool) -> tantivy::Result<()> {
    if sorted {
        return Err(TantivyError::InvalidArgument(
            "fazhi's segment files do not support index sorting".into(),
        ));
    }
    Ok(())
}

/// [`refuse_sorting`] for a segment being written with `doc_id_map`.
pub fn refuse_mapping(doc_id_map: Option<&DocIdMapping>) -> tantivy::Result<()> {
    refuse_sorting(doc_id_map.is_some())
}

/// The new doc id of each document of each of `readers` merged in order, `None` for the
/// deleted: without sorting, a merge stacks the segments and drops deleted documents, so
/// a survivor's new id is the count of survivors before it.
pub fn merged_ids(
    readers: &[SegmentReader],
    mapping: MappingType,
) -> tantivy::Result<Vec<Vec<Option<DocId>>>> {
    refuse_sorting(mapping == MappingType::Shuffled)?;
    let mut next_doc: DocId = 0;
    Ok(readers
        .iter()
        .map(|reader| {
            (0..reader.max_doc())
                .map(|doc| {
                    let alive = reader.alive_bitset().is_none_or(|bits| bits.is_alive(doc));
                    alive.then(|| {
                        next_doc += 1;
                        next_doc - 1
                    })
                })
                .collect()
        })
        .collect())
}

/// Writes the file with `extension` of `segment` with `write_into`, and seals it as
/// tantivy's own files are, so that it is committed with the segment.
pub fn write_segment_file(
    segment: &Segment,
    extension: &str,
    write_into: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> tantivy::Result<()> {
    let mut out = segment.open_write(SegmentComponent::Custom(extension.to_string()))?;
    write_into(&mut out)?;
    out.flush()?;
    out.into_inner()
        .map_err(|err| TantivyError::from(std::io::Error::from(err)))?
        .terminate()?;
    Ok(())
}

/// The bytes of the file with `extension` of the segment `reader` reads.
pub fn read_segment_file(reader: &SegmentReader, extension: &str) -> tantivy::Result<OwnedBytes> {
    // A missing file keeps its kind of error: a search may then read a newer commit.
    let file = reader.open_read(SegmentComponent::Custom(extension.to_string()))?;
    Ok(file.read_bytes()?)
}

/// The little-endian `u32` at `at` of `bytes`, which must hold it.
pub fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// Appends `value` as a varint: seven bits a byte, low bits first, the high bit set on
/// every byte but the last.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Reads a varint at `*at`, moving past it; `None` at the end of `bytes` or on a varint
/// too long to be one of ours (a damaged file).
pub fn read_varint(bytes: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}
