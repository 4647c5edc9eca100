//! The CSV files both front-ends write (`mentions --csv`, the page's download): one place,
//! so that the command line and the web server give the same bytes.

use std::cell::RefCell;
use std::io::{self, Write};

use fazhi::{context_around, MentionCounts, MentionsInParagraph, CONTEXT_CHARS};

/// Opens every CSV fazhi writes: spreadsheet programs (Excel, LibreOffice) read a CSV file
/// as UTF-8, and so show its Chinese, only when it starts with a byte-order mark.
const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

/// Appends one CSV record to `out` (RFC 4180, as the csv crate writes it): fields
/// separated by commas, a field quoted, with its quotes doubled, only when it holds a
/// comma, a quote or a line break; `\n` at the end.
///
/// Written by hand rather than with the csv crate's writer: a listing writes hundreds of
/// thousands of rows, and the crate's byte-at-a-time field copy was its largest cost, where
/// fields almost never need quoting, which a branch-free check of their bytes tells.
fn push_record<'f>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f str>) {
    push_fields(out, fields);
    out.push(b'\n');
}

/// Appends `fields` to `out` as [`push_record`] writes them, with no line end: the start of
/// a record, or its end after a comma.
fn push_fields<'f>(out: &mut Vec<u8>, fields: impl IntoIterator<Item = &'f str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_field(out, field.as_bytes(), needs_quotes(field.as_bytes()));
    }
}

/// Whether a field holding `bytes` is quoted.
fn needs_quotes(bytes: &[u8]) -> bool {
    // No early exit, so that the compiler checks many bytes at once: fields are short.
    bytes.iter().fold(false, |found, &b| {
        found | matches!(b, b',' | b'"' | b'\n' | b'\r')
    })
}

/// Appends one field, `quoted` or not.
fn push_field(out: &mut Vec<u8>, field: &[u8], quoted: bool) {
    if quoted {
        out.push(b'"');
        for part in field.split_inclusive(|&b| b == b'"') {
            out.extend_from_slice(part);
            if part.ends_with(b"\"") {
                out.push(b'"');
            }
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(field);
    }
}

/// Mention counts per group as CSV: `key,count,chars,rate`, one row per group.
pub fn mention_counts_csv(out: &mut dyn Write, counts: &MentionCounts) -> io::Result<()> {
    let mut file = UTF8_BOM.to_vec();
    push_record(&mut file, ["key", "count", "chars", "rate"]);
    for group in &counts.groups {
        push_record(
            &mut file,
            [
                group.key.as_str(),
                &group.count.to_string(),
                &group.chars.to_string(),
                &group.rate.map(|rate| rate.to_string()).unwrap_or_default(),
            ],
        );
    }
    out.write_all(&file)
}

/// Mentions as CSV, one row per mention: the report's path, title and tags, the
/// paragraph's section and number, the mention's byte range in the paragraph, and the
/// mention with up to [`CONTEXT_CHARS`] characters of text on each side (a concordance:
/// `fazhi show PATH#N` gives the whole paragraph).
///
/// The rows of each paragraph are made by [`mention_rows`] where the paragraph is read,
/// and written in order after [`start_mentions_csv`].
pub fn start_mentions_csv(out: &mut dyn Write) -> io::Result<()> {
    let mut head = UTF8_BOM.to_vec();
    push_record(
        &mut head,
        [
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
        ],
    );
    out.write_all(&head)
}

/// Appends to `rows` the CSV rows of the mentions in one paragraph, as
/// [`start_mentions_csv`] heads them.
pub fn mention_rows(mentions: &MentionsInParagraph<'_>, rows: &mut Vec<u8>) {
    let text = mentions.text;
    let mut number = itoa::Buffer::new();
    let (mut start, mut end) = (itoa::Buffer::new(), itoa::Buffer::new());
    rows.reserve(ROW_BYTES * mentions.highlights.len());
    REPORT_FIELDS.with_borrow_mut(|report| {
        // What every row of the paragraph starts with, made once.
        let mut head = std::mem::take(&mut report.paragraph_head);
        head.clear();
        head.extend_from_slice(report.of(mentions));
        push_fields(
            &mut head,
            [
                mentions.section,
                mentions.section_kind,
                number.format(mentions.paragraph),
                "",
            ],
        );
        // Most paragraphs have nothing that needs quoting: then no row's text does.
        let quotable = needs_quotes(text.as_bytes());
        for range in mentions.highlights {
            let around = context_around(text, range.clone(), CONTEXT_CHARS);
            rows.extend_from_slice(&head);
            // Numbers never need quoting.
            for number in [start.format(range.start), end.format(range.end)] {
                rows.extend_from_slice(number.as_bytes());
                rows.push(b',');
            }
            let texts = [
                &text[around.start..range.start],
                &text[range.clone()],
                &text[range.end..around.end],
            ];
            for (i, field) in texts.into_iter().enumerate() {
                if i > 0 {
                    rows.push(b',');
                }
                let field = field.as_bytes();
                push_field(rows, field, quotable && needs_quotes(field));
            }
            rows.push(b'\n');
        }
        report.paragraph_head = head;
    });
}

thread_local! {
    /// The report fields last written on this thread: a report's paragraphs are read in
    /// turn by the same thread, so each report's are made once.
    static REPORT_FIELDS: RefCell<ReportFields> = RefCell::default();
}

/// A report's fields of a mention row, as CSV, and the path they are of.
#[derive(Default)]
struct ReportFields {
    path: String,
    fields: Vec<u8>,
    /// The start of the rows of the paragraph being written, kept for its room.
    paragraph_head: Vec<u8>,
}

impl ReportFields {
    /// The fields of the report of `mentions`, ending with a comma.
    fn of(&mut self, mentions: &MentionsInParagraph<'_>) -> &[u8] {
        if self.fields.is_empty() || self.path != mentions.path {
            let report = mentions.report;
            let meta = report.map(|r| &r.meta);
            let tag = |tag: fn(&fazhi::ReportMeta) -> &Option<String>| {
                meta.and_then(|meta| tag(meta).as_deref()).unwrap_or("")
            };
            let mut year = itoa::Buffer::new();
            let year = meta
                .and_then(|meta| meta.year)
                .map_or("", |y| year.format(y));
            self.fields.clear();
            push_fields(
                &mut self.fields,
                [
                    mentions.path,
                    report.and_then(|r| r.title.as_deref()).unwrap_or(""),
                    tag(|m| &m.county),
                    tag(|m| &m.city),
                    tag(|m| &m.province),
                    tag(|m| &m.issuer),
                    year,
                    tag(|m| &m.published),
                    "",
                ],
            );
            mentions.path.clone_into(&mut self.path);
        }
        &self.fields
    }
}

/// About the bytes of one row, to set aside room for a paragraph's rows at once.
const ROW_BYTES: usize = 400;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The record as the csv crate writes it.
    fn csv_crate_record(fields: &[String]) -> Vec<u8> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(fields).unwrap();
        writer.into_inner().unwrap()
    }

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut out = Vec::new();
        push_record(
            &mut out,
            ["法治", "a,b", "说\"枫桥\"", "两\n行", "x\ry", ""],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "法治,\"a,b\",\"说\"\"枫桥\"\"\",\"两\n行\",\"x\ry\",\n"
        );
    }

    /// The rows `mention_rows` writes for `text`, with mentions at `highlights`, read
    /// back by the csv crate.
    fn rows_read_back(text: &str, highlights: &[std::ops::Range<usize>]) -> Vec<Vec<String>> {
        let mentions = MentionsInParagraph {
            path: "甲县/2023,报告.txt",
            report: None,
            section: "一、总体情况",
            section_kind: "body",
            paragraph: 7,
            text,
            highlights,
        };
        let mut rows = Vec::new();
        mention_rows(&mentions, &mut rows);
        csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(rows.as_slice())
            .records()
            .map(|record| record.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn mention_rows_quote_the_text_only_where_it_needs_it() {
        for text in [
            "依法行政，推进法治",
            "依法行政,推进\"法治\"",
            "依法\r\n行政“法治”",
        ] {
            let words = ["依法", "行政"];
            let ranges: Vec<_> = words
                .iter()
                .map(|word| {
                    let at = text.find(word).unwrap();
                    at..at + word.len()
                })
                .collect();
            let rows = rows_read_back(text, &ranges);
            assert_eq!(rows.len(), 2, "{text}");
            for ((row, word), range) in rows.iter().zip(words).zip(&ranges) {
                assert_eq!(row.len(), 16, "{text}");
                assert_eq!(row[0], "甲县/2023,报告.txt");
                assert_eq!(row[10], "7");
                assert_eq!(row[11], range.start.to_string());
                assert_eq!(format!("{}{}{}", row[13], row[14], row[15]), text);
                assert_eq!(row[14], word);
            }
        }
    }

    proptest! {
        #[test]
        fn records_are_written_as_the_csv_crate_writes_them(
            fields in prop::collection::vec("[a-z,\"\r\n 法治“”，]{0,8}", 2..6)
        ) {
            let mut out = Vec::new();
            push_record(&mut out, fields.iter().map(String::as_str));
            prop_assert_eq!(out, csv_crate_record(&fields));
        }
    }
}
