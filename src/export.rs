//! The CSV files both front-ends write (`mentions --csv`, the page's download): one place,
//! so that the command line and the web server give the same bytes.

use std::io::{self, Write};

use fazhi::{context_around, MentionCounts, MentionsInParagraph, CONTEXT_CHARS};

/// A CSV writer's error as the I/O error it carries, so that a closed pipe is still seen
/// as one (the csv crate's own conversion files every error under `Other`).
fn csv_error(err: csv::Error) -> io::Error {
    match err.into_kind() {
        csv::ErrorKind::Io(io) => io,
        other => io::Error::other(format!("{other:?}")),
    }
}

/// Opens every CSV fazhi writes: spreadsheet programs (Excel, LibreOffice) read a CSV file
/// as UTF-8, and so show its Chinese, only when it starts with a byte-order mark.
const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

/// Mention counts per group as CSV: `key,count,chars,rate`, one row per group.
pub fn mention_counts_csv(out: &mut dyn Write, counts: &MentionCounts) -> io::Result<()> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record(["key", "count", "chars", "rate"])
        .map_err(csv_error)?;
    for group in &counts.groups {
        writer
            .write_record([
                group.key.clone(),
                group.count.to_string(),
                group.chars.to_string(),
                group.rate.map(|rate| rate.to_string()).unwrap_or_default(),
            ])
            .map_err(csv_error)?;
    }
    writer.flush()
}

/// Mentions as CSV, one row per mention: the report's path, title and tags, the
/// paragraph's section and number, the mention's byte range in the paragraph, and the
/// mention with up to [`CONTEXT_CHARS`] characters of text on each side (a concordance:
/// `fazhi show PATH#N` gives the whole paragraph).
///
/// The rows of each paragraph are made by [`mention_rows`] where the paragraph is read,
/// and written in order after [`start_mentions_csv`].
pub fn start_mentions_csv(out: &mut dyn Write) -> io::Result<()> {
    out.write_all(UTF8_BOM)?;
    let mut writer = csv::Writer::from_writer(out);
    writer
        .write_record([
            "path",
            "title",
            "county",
            "city",
            "province",
            "issuer",
            "year",
            "published",
            "section",
            "section_kind",
            "paragraph",
            "start",
            "end",
            "before",
            "match",
            "after",
        ])
        .map_err(csv_error)?;
    writer.flush()
}

/// The CSV rows of the mentions in one paragraph, as [`start_mentions_csv`] heads them.
pub fn mention_rows(mentions: &MentionsInParagraph<'_>) -> io::Result<Vec<u8>> {
    let text = mentions.text;
    let report = mentions.report;
    let meta = report.map(|r| &r.meta);
    let tag = |tag: fn(&fazhi::ReportMeta) -> &Option<String>| {
        meta.and_then(|meta| tag(meta).as_deref()).unwrap_or("")
    };
    let year = meta
        .and_then(|meta| meta.year)
        .map(|y| y.to_string())
        .unwrap_or_default();
    let number = mentions.paragraph.to_string();
    let mut writer = csv::WriterBuilder::new()
        .buffer_capacity(ROWS_BUFFER)
        .from_writer(Vec::with_capacity(ROWS_BUFFER));
    for range in mentions.highlights {
        let around = context_around(text, range.clone(), CONTEXT_CHARS);
        writer
            .write_record([
                mentions.path,
                report.and_then(|r| r.title.as_deref()).unwrap_or(""),
                tag(|m| &m.county),
                tag(|m| &m.city),
                tag(|m| &m.province),
                tag(|m| &m.issuer),
                &year,
                tag(|m| &m.published),
                mentions.section,
                mentions.section_kind,
                &number,
                &range.start.to_string(),
                &range.end.to_string(),
                &text[around.start..range.start],
                &text[range.clone()],
                &text[range.end..around.end],
            ])
            .map_err(csv_error)?;
    }
    writer
        .into_inner()
        .map_err(|err| io::Error::other(err.to_string()))
}

/// Bytes set aside for the rows of one paragraph: a row is about 300 bytes.
const ROWS_BUFFER: usize = 1024;
