//! Property tests: whatever bytes a corpus file holds and whatever a user types, the
//! decoder, the report reader and the query parser answer without panicking.

use std::path::Path;

use fazhi::{decode_source, read_report, PageHints, Query, SourceText};
use proptest::prelude::*;

/// Text shaped like the reports and pages fazhi reads: Chinese, headings, punctuation,
/// markup, boilerplate words, line breaks, and anything else.
fn report_like_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("一、".to_string()),
        Just("(一)".to_string()),
        Just("（二）".to_string()),
        Just("1.".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("。".to_string()),
        Just("法治政府建设".to_string()),
        Just("五华县司法局2023年法治政府建设年度报告".to_string()),
        Just("发布日期:2024-02-01".to_string()),
        Just("版权所有:某某县人民政府".to_string()),
        Just("<html><head><title>新县</title></head><body><p>".to_string()),
        Just("<script>var a = '<p>';</script>".to_string()),
        Just("</p></body></html>".to_string()),
        Just("\u{feff}".to_string()),
        Just("\"".to_string()),
        Just("“".to_string()),
        "[\\p{Han}]{1,40}",
        ".{0,20}",
    ];
    prop::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
}

fn check_report(path: &str, source: &SourceText) {
    let report = read_report(path, source);
    for (i, paragraph) in report.paragraphs.iter().enumerate() {
        assert_eq!(paragraph.ordinal as usize, i + 1);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn decoding_any_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..4096)) {
        for name in ["a.txt", "a.html", "a"] {
            if let Ok(source) = decode_source(Path::new(name), &bytes) {
                check_report(name, &source);
            }
        }
    }

    #[test]
    fn decoding_report_like_text_in_any_encoding_never_panics(
        text in report_like_text(),
        encoding in prop::sample::select(vec![
            encoding_rs::UTF_8, encoding_rs::GB18030, encoding_rs::GBK, encoding_rs::UTF_16LE,
        ]),
    ) {
        let (bytes, _, _) = encoding.encode(&text);
        let mut bytes = bytes.into_owned();
        if encoding == encoding_rs::UTF_16LE {
            // encoding_rs encodes UTF-16 as UTF-8; write it as a file with a BOM would be.
            bytes = b"\xFF\xFE".to_vec();
            bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        }
        for name in ["a.txt", "a.html"] {
            if let Ok(source) = decode_source(Path::new(name), &bytes) {
                check_report(name, &source);
            }
        }
    }

    #[test]
    fn reading_any_text_never_panics(
        text in report_like_text(),
        title in proptest::option::of(".{0,40}"),
        published in proptest::option::of(".{0,12}"),
        path in ".{0,40}",
    ) {
        check_report(&path, &SourceText { text, hints: PageHints { title, published }, ..SourceText::default() });
    }

    #[test]
    fn parsing_any_query_never_panics(raw in ".{0,80}") {
        match Query::parse(&raw) {
            Ok(parsed) => prop_assert!(parsed.clauses.iter().all(|c| !c.text().is_empty())),
            Err(err) => {
                prop_assert!(err.is_usage());
                prop_assert!(!err.to_string().contains('\n'));
            }
        }
    }

    #[test]
    fn parsing_query_like_text_never_panics(
        raw in prop::collection::vec(
            prop_oneof![
                Just("\""), Just("“"), Just("”"), Just("「"), Just("」"), Just("+"), Just("-"),
                Just("＋"), Just("－"), Just(" "), Just("\u{3000}"), Just("枫桥经验"), Just("，"),
            ],
            0..20,
        ).prop_map(|parts| parts.concat()),
    ) {
        let _ = Query::parse(&raw);
    }
}
