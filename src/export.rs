//! The CSV files both front-ends write (`mentions --csv`, the page's download): one place,
//! so that the command line and the web server give the same bytes.

use std::io::{self, Write};

use fazhi::{MentionCounts, Mentions};

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

/// Mentions as CSV, one row per mention with the paragraph's tags and text.
pub fn mentions_csv(out: &mut dyn Write, mentions: &Mentions) -> io::Result<()> {
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
            "match",
            "text",
        ])
        .map_err(csv_error)?;
    for paragraph in &mentions.paragraphs {
        let p = &paragraph.passage;
        for range in &paragraph.highlights {
            writer
                .write_record([
                    p.path.as_str(),
                    p.title.as_deref().unwrap_or(""),
                    p.meta.county.as_deref().unwrap_or(""),
                    p.meta.city.as_deref().unwrap_or(""),
                    p.meta.province.as_deref().unwrap_or(""),
                    p.meta.issuer.as_deref().unwrap_or(""),
                    &p.meta.year.map(|y| y.to_string()).unwrap_or_default(),
                    p.meta.published.as_deref().unwrap_or(""),
                    &p.section,
                    &p.section_kind,
                    &p.paragraph.to_string(),
                    &range.start.to_string(),
                    &range.end.to_string(),
                    &p.text[range.clone()],
                    &p.text,
                ])
                .map_err(csv_error)?;
        }
    }
    writer.flush()
}
