//! Arbitrary file bytes through everything `fazhi index` does to a file before tantivy:
//! decoding (as a text file and as an HTML page), cleaning, layout and metadata.
#![no_main]

use std::path::Path;

use fazhi::{decode_source, read_report, PageHints, SourceText};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Cleaning, layout and metadata alone, on whatever text the bytes hold.
    let text = String::from_utf8_lossy(data).into_owned();
    let _ = read_report("text.txt", &SourceText { text, hints: PageHints::default() });
    for name in ["report.txt", "page.html"] {
        if let Ok(source) = decode_source(Path::new(name), data) {
            let report = read_report(name, &source);
            for (i, paragraph) in report.paragraphs.iter().enumerate() {
                assert_eq!(paragraph.ordinal as usize, i + 1);
                assert!(!paragraph.text.is_empty());
            }
        }
    }
});
