//! The CSV files both front-ends write (`mentions --csv`, the page's download): one place,
//! so that the command line and the web server give the same bytes.

use std::io::{self, Write};

use fazhi::{context_around, MentionCounts, MentioningParagraph, CONTEXT_CHARS};

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

/// Mentions as CSV, one row per mention, written as they come: the report's path, title
/// and tags, the paragraph's section and number, the mention's byte range in the
/// paragraph, and the mention with up to [`CONTEXT_CHARS`] characters of text on each
/// side (a concordance: `fazhi show PATH#N` gives the whole paragraph).
pub struct MentionsCsv<W: Write> {
    writer: csv::Writer<W>,
}

impl<W: Write> MentionsCsv<W> {
    /// Starts the file: byte-order mark and header row.
    pub fn start(mut out: W) -> io::Result<MentionsCsv<W>> {
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
        Ok(MentionsCsv { writer })
    }

    /// Writes the rows of the mentions in `paragraph`.
    pub fn paragraph(&mut self, paragraph: &MentioningParagraph) -> io::Result<()> {
        let p = &paragraph.passage;
        let year = p.meta.year.map(|y| y.to_string()).unwrap_or_default();
        let number = p.paragraph.to_string();
        for range in &paragraph.highlights {
            let around = context_around(&p.text, range.clone(), CONTEXT_CHARS);
            self.writer
                .write_record([
                    p.path.as_str(),
                    p.title.as_deref().unwrap_or(""),
                    p.meta.county.as_deref().unwrap_or(""),
                    p.meta.city.as_deref().unwrap_or(""),
                    p.meta.province.as_deref().unwrap_or(""),
                    p.meta.issuer.as_deref().unwrap_or(""),
                    &year,
                    p.meta.published.as_deref().unwrap_or(""),
                    &p.section,
                    &p.section_kind,
                    &number,
                    &range.start.to_string(),
                    &range.end.to_string(),
                    &p.text[around.start..range.start],
                    &p.text[range.clone()],
                    &p.text[range.end..around.end],
                ])
                .map_err(csv_error)?;
        }
        Ok(())
    }

    /// Ends the file, writing what is still buffered.
    pub fn finish(mut self) -> io::Result<()> {
        self.writer.flush()
    }
}
