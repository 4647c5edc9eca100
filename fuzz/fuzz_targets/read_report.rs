//! Arbitrary file bytes through everything `fazhi index` does to a file before tantivy:
//! decoding (as a text file and as an HTML page), cleaning, layout and metadata.
#![no_main]

use std::path::Path;

use fazhi::clean::clean;
use fazhi::reader::read_report;
use fazhi::source::decode_source;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The cleaner alone, on whatever text the bytes hold.
    let text = String::from_utf8_lossy(data);
    let _ = clean(&text);
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
