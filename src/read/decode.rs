//! Turns the bytes of a corpus file into text: encoding detection, HTML to visible text,
//! and refusal of files that are not text.

mod html;

use std::path::Path;

use encoding_rs::{DecoderResult, Encoding, UTF_8};

/// The text of one corpus file, with what the page itself said about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceText {
    /// The decoded text, one line per line of the file (or per block of an HTML page).
    pub text: String,
    /// Metadata the file carried outside its text (HTML `<title>`, meta tags).
    pub hints: PageHints,
    /// The encoding the bytes were read in (`UTF-8`, `GBK`).
    pub encoding: &'static str,
    /// Bytes that are invalid in that encoding, each malformed sequence read as U+FFFD.
    pub invalid_bytes: usize,
}

/// Metadata a page carried outside its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHints {
    /// The page's title (`<meta name="ArticleTitle">` or `<title>`).
    pub title: Option<String>,
    /// Publication date as ISO `YYYY-MM-DD` (`<meta name="PubDate">`).
    pub published: Option<String>,
}

/// Why a file was not indexed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// Zero bytes, or nothing but whitespace once decoded.
    Empty,
    /// An HTML page whose markup holds no visible text.
    NoVisibleText,
    /// A binary format recognised by its leading bytes, named for the user (`"PDF"`).
    Binary(&'static str),
    /// NUL bytes, which UTF-8 and Chinese legacy encoded text never contain.
    NulBytes,
    /// Control characters make up a large share of the decoded text.
    ControlCharacters,
    /// Many bytes are invalid in the encoding the file appears to use (named).
    Undecodable(&'static str),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Empty => write!(f, "empty file"),
            SkipReason::NoVisibleText => write!(f, "web page without visible text"),
            SkipReason::Binary(format) => write!(f, "binary file ({format})"),
            SkipReason::NulBytes => write!(f, "not text: NUL bytes"),
            SkipReason::ControlCharacters => write!(f, "not text: too many control characters"),
            SkipReason::Undecodable(encoding) => {
                write!(f, "not text: too many bytes invalid in {encoding}")
            }
        }
    }
}

/// Decodes the bytes of the file at `path` (the path only tells the format by its extension).
pub fn decode_source(path: &Path, bytes: &[u8]) -> Result<SourceText, SkipReason> {
    if let Some(format) = binary_format(bytes) {
        return Err(SkipReason::Binary(format));
    }
    if is_html(path, bytes) {
        let markup = decode_text(bytes, html::declared_charset(bytes))?;
        let page = html::page_text(&markup.text)?;
        Ok(SourceText {
            encoding: markup.encoding.name(),
            invalid_bytes: markup.invalid_bytes,
            ..page
        })
    } else {
        let decoded = decode_text(bytes, None)?;
        Ok(SourceText {
            text: decoded.text,
            hints: PageHints::default(),
            encoding: decoded.encoding.name(),
            invalid_bytes: decoded.invalid_bytes,
        })
    }
}

/// Leading bytes of the binary formats government sites publish next to their reports.
const BINARY_SIGNATURES: [(&[u8], &str); 7] = [
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "old Office document"),
    (b"\x89PNG\r\n\x1A\n", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
];

fn binary_format(bytes: &[u8]) -> Option<&'static str> {
    BINARY_SIGNATURES
        .iter()
        .find(|(signature, _)| bytes.starts_with(signature))
        .map(|&(_, format)| format)
}

/// HTML by extension, or a page saved under another name that starts like one.
fn is_html(path: &Path, bytes: &[u8]) -> bool {
    let by_extension = path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        ["html", "htm", "shtml", "xhtml"]
            .iter()
            .any(|html| e.eq_ignore_ascii_case(html))
    });
    let start = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = start.trim_ascii_start();
    by_extension
        || [b"<!doctype html".as_slice(), b"<html"]
            .iter()
            .any(|tag| start.len() >= tag.len() && start[..tag.len()].eq_ignore_ascii_case(tag))
}

/// Text decoded from a file's bytes.
struct Decoded {
    text: String,
    encoding: &'static Encoding,
    /// Bytes of malformed sequences, each sequence read as U+FFFD.
    invalid_bytes: usize,
}

/// Decodes text whose encoding comes from a BOM, else from how cleanly each candidate reads
/// the whole file (see [`cleanest_encoding`]). Line ends become `\n`.
fn decode_text(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<Decoded, SkipReason> {
    if bytes.is_empty() {
        return Err(SkipReason::Empty);
    }
    let bom = Encoding::for_bom(bytes);
    // Only UTF-16 text holds NUL bytes; anything else with them is binary.
    if bom.is_none_or(|(encoding, _)| encoding == UTF_8) && bytes.contains(&0) {
        return Err(SkipReason::NulBytes);
    }
    let (encoding, body) = match bom {
        Some((encoding, bom_len)) => (encoding, &bytes[bom_len..]),
        None => (cleanest_encoding(bytes, declared), bytes),
    };
    let (text, invalid_bytes) = decode_counting(encoding, body);
    refuse_non_text(&text, encoding, invalid_bytes, body.len())?;
    Ok(Decoded {
        text: normalize_line_ends(text),
        encoding,
        invalid_bytes,
    })
}

/// A file whose non-ASCII bytes form at least this many valid UTF-8 characters per malformed
/// sequence is UTF-8 with damage: legacy Chinese text forms a valid UTF-8 character by
/// chance for roughly one in seven of its characters, so it falls far below.
const UTF8_VALID_PER_MALFORMED: usize = 2;

/// The encoding of a file without a BOM, chosen by how cleanly each candidate decodes the
/// whole file rather than by where the first error is. A file that is overwhelmingly valid
/// UTF-8 is UTF-8, so one stray byte or a truncated last character becomes U+FFFD instead of
/// turning the whole text into mojibake in GBK, which accepts most byte pairs. Otherwise the
/// candidate with the fewest malformed sequences wins: what the file `declared`, UTF-8, then
/// the legacy encoding chardetng guesses, ties going to that order.
fn cleanest_encoding(bytes: &[u8], declared: Option<&'static Encoding>) -> &'static Encoding {
    // The common case costs one validation pass, with SIMD: several times faster than the
    // standard library's on Chinese text, where no byte is ASCII to skip over.
    if simdutf8::basic::from_utf8(bytes).is_ok() && declared.is_none_or(|d| d == UTF_8) {
        return UTF_8;
    }
    let (valid_chars, utf8_malformed) = utf8_counts(bytes);
    if utf8_malformed * UTF8_VALID_PER_MALFORMED <= valid_chars {
        return UTF_8;
    }
    let mut best: Option<(&'static Encoding, usize)> = None;
    let candidates = declared
        .into_iter()
        .chain([UTF_8])
        .chain(std::iter::once_with(|| detect_legacy_encoding(bytes)));
    for encoding in candidates {
        if best.is_some_and(|(chosen, _)| chosen == encoding) {
            continue;
        }
        let limit = best.map_or(usize::MAX, |(_, malformed)| malformed);
        let malformed = if encoding == UTF_8 {
            utf8_malformed
        } else {
            count_malformed(encoding, bytes, limit)
        };
        if malformed < limit {
            best = Some((encoding, malformed));
        }
        if malformed == 0 {
            break;
        }
    }
    best.map_or(UTF_8, |(encoding, _)| encoding)
}

/// How many non-ASCII characters of `bytes` are valid UTF-8, and how many malformed sequences
/// (each one U+FFFD) there are.
fn utf8_counts(bytes: &[u8]) -> (usize, usize) {
    let (mut valid, mut malformed) = (0, 0);
    for chunk in bytes.utf8_chunks() {
        valid += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        malformed += usize::from(!chunk.invalid().is_empty());
    }
    (valid, malformed)
}

/// How much of the input after its first non-ASCII byte the detector sees: enough to tell
/// GBK from the other legacy encodings, and detection on a 200 MB file costs no more.
const DETECTION_WINDOW: usize = 1 << 20;

/// chardetng's guess among the legacy encodings, biased towards those of Chinese sites (GBK,
/// GB18030).
fn detect_legacy_encoding(bytes: &[u8]) -> &'static Encoding {
    let start = bytes.iter().position(|b| !b.is_ascii()).unwrap_or(0);
    let end = bytes.len().min(start + DETECTION_WINDOW);
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes[start..end], end == bytes.len());
    detector.guess(Some(b"cn"), false)
}

/// Malformed sequences `encoding` finds in `bytes`, counted up to `limit` (a candidate worse
/// than the best so far need not be read to its end), without keeping the text.
fn count_malformed(encoding: &'static Encoding, bytes: &[u8], limit: usize) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut scratch = String::with_capacity(64 * 1024);
    let mut malformed = 0;
    let mut rest = bytes;
    loop {
        scratch.clear();
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut scratch, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return malformed,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(..) => {
                malformed += 1;
                if malformed >= limit {
                    return malformed;
                }
            }
        }
    }
}

/// Decodes `bytes`, each malformed sequence as U+FFFD, with the number of bytes they held.
fn decode_counting(encoding: &'static Encoding, bytes: &[u8]) -> (String, usize) {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut text = String::with_capacity(capacity);
    let mut invalid = 0;
    let mut rest = bytes;
    loop {
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut text, true);
        rest = &rest[read..];
        match result {
            DecoderResult::InputEmpty => return (text, invalid),
            DecoderResult::OutputFull => text.reserve(rest.len().max(16) * 3),
            DecoderResult::Malformed(len, _) => {
                invalid += usize::from(len);
                // One U+FFFD needs three bytes; `text` may be full.
                text.reserve(3);
                text.push(char::REPLACEMENT_CHARACTER);
            }
        }
    }
}

/// Share of the decoded text, in percent, above which control characters mean the file is
/// not text.
const CONTROL_PERCENT: usize = 2;
/// Share of the file's bytes, in percent, above which bytes invalid in the best encoding mean
/// the file is not text.
const UNDECODABLE_PERCENT: usize = 5;

/// So many invalid bytes are a damaged text, never a reason to skip it (a short file with a
/// truncated last character is still text).
const TOLERATED_INVALID_BYTES: usize = 8;

fn refuse_non_text(
    text: &str,
    encoding: &'static Encoding,
    invalid_bytes: usize,
    len: usize,
) -> Result<(), SkipReason> {
    let (chars, controls) = chars_and_noise_controls(text);
    if controls * 100 > chars * CONTROL_PERCENT {
        Err(SkipReason::ControlCharacters)
    } else if invalid_bytes > TOLERATED_INVALID_BYTES
        && invalid_bytes * 100 > len * UNDECODABLE_PERCENT
    {
        Err(SkipReason::Undecodable(encoding.name()))
    } else if text.trim().is_empty() {
        Err(SkipReason::Empty)
    } else {
        Ok(())
    }
}

/// The characters of `text`, and its control characters but line ends, tabs and form
/// feeds (which separate pages in text extracted from PDFs: layout, not noise).
///
/// Counted on the bytes in one pass that the compiler vectorizes: char by char, the check
/// took a tenth of reading a file. A character starts at every byte but 0x80-0xBF. A C0
/// control or DEL is one byte below 0x80; a C1 control (U+0080-U+009F) is 0xC2 then
/// 0x80-0x9F, and 0xC2 is rare in Chinese text.
fn chars_and_noise_controls(text: &str) -> (usize, usize) {
    let bytes = text.as_bytes();
    // Bitwise operators, not `&&` and `||`, and byte-wide sums per 255 bytes: without
    // branches or widening, the loop takes 16 bytes at a time.
    let (mut chars, mut c0) = (0usize, 0usize);
    for chunk in bytes.chunks(255) {
        let (mut starts, mut controls) = (0u8, 0u8);
        for &b in chunk {
            starts += u8::from((b as i8) >= -0x40);
            let control = (b < 0x20) | (b == 0x7F);
            // Tab and line feed (9, 10), form feed and carriage return (12, 13).
            let layout = (b.wrapping_sub(9) < 2) | (b.wrapping_sub(12) < 2);
            controls += u8::from(control & !layout);
        }
        chars += usize::from(starts);
        c0 += usize::from(controls);
    }
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&at| bytes.get(at + 1).is_some_and(|b| (0x80..=0x9F).contains(b)))
        .count();
    (chars, c0 + c1)
}

/// Turns CRLF and lone CR line ends into LF in one pass.
fn normalize_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let mut lines = String::with_capacity(text.len());
    let mut rest = &*text;
    while let Some(cr) = rest.find('\r') {
        lines.push_str(&rest[..cr]);
        lines.push('\n');
        rest = &rest[cr + 1..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    lines.push_str(rest);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use encoding_rs::{GB18030, GBK, UTF_16BE, UTF_16LE};

    #[test]
    fn characters_and_noise_controls_are_counted_as_chars_would_count_them() {
        let by_chars = |text: &str| {
            text.chars()
                .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{C}'))
                .count()
        };
        let every_low_char: String = (0u32..0x800).filter_map(char::from_u32).collect();
        let cases = [
            String::new(),
            "依法行政\n\t第一条\r\n\u{C}".to_string(),
            every_low_char.clone(),
            format!("·§¤\u{85}\u{9F}\u{A0}{every_low_char}法治\u{7F}\u{0}"),
        ];
        for text in cases {
            assert_eq!(
                chars_and_noise_controls(&text),
                (text.chars().count(), by_chars(&text)),
                "{text:?}"
            );
        }
        let long = "依法行政\u{1}".repeat(1000);
        assert_eq!(chars_and_noise_controls(&long), (5000, 1000));
        assert_eq!(chars_and_noise_controls(&every_low_char).1, 32 + 32 - 4 + 1);
    }

    const SENTENCE: &str =
        "2023年,县司法局坚持以习近平新时代中国特色社会主义思想为指导,全面贯彻党的二十大精神";
    const HEADING: &str = "一、工作开展情况及成效";

    fn decode_txt(bytes: &[u8]) -> Result<SourceText, SkipReason> {
        decode_source(Path::new("报告/五华县.txt"), bytes)
    }

    fn report_text() -> String {
        format!("{HEADING}\n{SENTENCE}\n")
    }

    #[test]
    fn utf8_with_and_without_bom() {
        let text = report_text();
        assert_eq!(decode_txt(text.as_bytes()).unwrap().text, text);
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode_txt(&with_bom).unwrap().text, text);
    }

    #[test]
    fn gbk_and_gb18030_without_bom() {
        let text = report_text();
        for encoding in [GBK, GB18030] {
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable);
            assert!(
                std::str::from_utf8(&bytes).is_err(),
                "test input must not be UTF-8"
            );
            assert_eq!(
                decode_txt(&bytes).unwrap().text,
                text,
                "{}",
                encoding.name()
            );
        }
    }

    #[test]
    fn a_short_gbk_heading_alone_is_detected() {
        let (bytes, _, _) = GBK.encode(HEADING);
        assert_eq!(decode_txt(&bytes).unwrap().text, HEADING);
    }

    #[test]
    fn stray_bytes_in_utf8_stay_utf8_and_are_counted() {
        let sample = include_str!("../../corpus/000_17297affa439b9c0.txt");
        // One stray byte in the middle, at the start, and a last character cut short.
        let middle = sample.len() / 2;
        let middle = (middle..).find(|&i| sample.is_char_boundary(i)).unwrap();
        let with_ff = [
            &sample.as_bytes()[..middle],
            b"\xff",
            &sample.as_bytes()[middle..],
        ]
        .concat();
        let at_start = [b"\xff".as_slice(), sample.as_bytes()].concat();
        let truncated = [sample.as_bytes(), "调".as_bytes()].concat();
        let truncated = &truncated[..truncated.len() - 1];
        for (bytes, invalid) in [(&with_ff[..], 1), (&at_start[..], 1), (truncated, 2)] {
            let decoded = decode_txt(bytes).unwrap();
            assert_eq!(decoded.encoding, "UTF-8");
            assert_eq!(decoded.invalid_bytes, invalid);
            assert_eq!(decoded.text.matches('\u{FFFD}').count(), 1);
            assert!(decoded
                .text
                .contains("五华县司法局2023年法治政府建设年度报告"));
        }
        let decoded = decode_txt(&with_ff).unwrap();
        assert_eq!(
            decoded.text.replace('\u{FFFD}', ""),
            sample.replace("\r\n", "\n")
        );
    }

    #[test]
    fn short_files_with_a_bad_byte_are_text() {
        for bytes in [
            b"\xe8\xb0\x83\xe8\xa7\xa3\xff".as_slice(),
            "调解".as_bytes().split_last().unwrap().1,
            "人民调解员调解纠纷。".as_bytes().split_last().unwrap().1,
            b"\xff\xe4\xb8\x80",
        ] {
            let decoded = decode_txt(bytes).unwrap();
            assert_eq!(decoded.encoding, "UTF-8", "{bytes:?}");
            assert!(decoded.invalid_bytes > 0);
        }
        assert!(
            decode_txt("人民调解员调解纠纷。".as_bytes().split_last().unwrap().1)
                .unwrap()
                .text
                .starts_with("人民调解员调解纠纷")
        );
    }

    #[test]
    fn gbk_with_a_stray_byte_stays_gbk() {
        let text = report_text().repeat(5);
        let mut bytes = GBK.encode(&text).0.into_owned();
        // Between two lines, so that no character is cut.
        let line_end = bytes.iter().rposition(|&b| b == b'\n').unwrap();
        bytes.insert(line_end, 0xFF);
        let decoded = decode_txt(&bytes).unwrap();
        assert_eq!(decoded.encoding, "GBK");
        assert_eq!(decoded.invalid_bytes, 1);
        assert!(decoded.text.contains(SENTENCE));
    }

    #[test]
    fn a_page_declaring_the_wrong_charset_is_read_in_the_cleaner_one() {
        let page = format!(
            "<html><head><meta charset=\"gbk\"></head><body><p>{SENTENCE}</p></body></html>"
        );
        let decoded = decode_source(Path::new("a.html"), page.as_bytes()).unwrap();
        assert_eq!(decoded.encoding, "UTF-8");
        assert_eq!(decoded.text.trim(), SENTENCE);
    }

    #[test]
    fn gb18030_four_byte_characters() {
        // 𠀀 (U+20000) exists only in GB18030's four-byte range, not in GBK.
        let text = format!("{SENTENCE}𠀀\n");
        let (bytes, _, unmappable) = GB18030.encode(&text);
        assert!(!unmappable);
        assert_eq!(decode_txt(&bytes).unwrap().text, text);
    }

    #[test]
    fn utf16_with_bom() {
        let text = report_text();
        let utf16 = |to_bytes: fn(u16) -> [u8; 2]| -> Vec<u8> {
            std::iter::once(0xFEFF)
                .chain(text.encode_utf16())
                .flat_map(to_bytes)
                .collect()
        };
        assert_eq!(
            decode_txt(&utf16(u16::to_le_bytes)).unwrap().text,
            text,
            "{}",
            UTF_16LE.name()
        );
        assert_eq!(
            decode_txt(&utf16(u16::to_be_bytes)).unwrap().text,
            text,
            "{}",
            UTF_16BE.name()
        );
    }

    #[test]
    fn crlf_and_cr_become_lf() {
        let decoded =
            decode_txt(format!("{HEADING}\r\n{SENTENCE}\r第三行\r\n\r\n").as_bytes()).unwrap();
        assert_eq!(decoded.text, format!("{HEADING}\n{SENTENCE}\n第三行\n\n"));
    }

    #[test]
    fn empty_and_whitespace_only_files_are_skipped() {
        assert_eq!(decode_txt(b""), Err(SkipReason::Empty));
        assert_eq!(decode_txt(" \r\n\t\n".as_bytes()), Err(SkipReason::Empty));
        assert_eq!(
            decode_txt("\u{3000}\u{3000}\n".as_bytes()),
            Err(SkipReason::Empty)
        );
        assert_eq!(SkipReason::Empty.to_string(), "empty file");
    }

    #[test]
    fn binary_formats_are_named() {
        let cases: [(&[u8], &str); 5] = [
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "binary file (PDF)"),
            (
                b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
                "binary file (ZIP archive or Office document)",
            ),
            (
                b"\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR",
                "binary file (PNG image)",
            ),
            (b"\xFF\xD8\xFF\xE0\x00\x10JFIF", "binary file (JPEG image)"),
            (b"GIF89a\x01\x00\x01\x00", "binary file (GIF image)"),
        ];
        for (bytes, reason) in cases {
            assert_eq!(decode_txt(bytes).unwrap_err().to_string(), reason);
        }
    }

    /// xorshift64: reproducible pseudo-random bytes without a dependency.
    fn random_bytes(seed: &mut u64, len: usize) -> Vec<u8> {
        (0..len)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                (*seed >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn random_binary_is_not_text() {
        let mut seed = 0x9E37_79B9_7F4A_7C15;
        let mut bytes = random_bytes(&mut seed, 4096);
        bytes[100] = 0;
        assert_eq!(decode_txt(&bytes), Err(SkipReason::NulBytes));
        assert_eq!(SkipReason::NulBytes.to_string(), "not text: NUL bytes");
        let without_nul: Vec<u8> = bytes.iter().map(|&b| b.max(1)).collect();
        assert!(decode_txt(&without_nul).is_err());
    }

    #[test]
    fn control_characters_are_not_text() {
        let noisy = "\u{1}\u{2}\u{3}abc\u{1B}def".repeat(10);
        assert_eq!(
            decode_txt(noisy.as_bytes()),
            Err(SkipReason::ControlCharacters)
        );
        // Page breaks of text extracted from a PDF are kept.
        let pages = format!("{SENTENCE}\u{C}{HEADING}");
        assert_eq!(decode_txt(pages.as_bytes()).unwrap().text, pages);
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut seed = 0x2545_F491_4F6C_DD1D;
        for round in 0..3000 {
            let len = (round * 7) % 600;
            let mut bytes = random_bytes(&mut seed, len);
            // Bias some inputs towards the paths that see text: no NULs, HTML-looking starts.
            if round % 3 == 0 {
                bytes.retain(|&b| b != 0);
            }
            if round % 5 == 0 {
                bytes.splice(0..0, b"<html><meta charset=gbk><p>".iter().copied());
            }
            let path = if round % 2 == 0 { "a.htm" } else { "a.txt" };
            let _ = decode_source(Path::new(path), &bytes);
        }
    }

    #[test]
    fn a_long_single_line_decodes_in_linear_time() {
        // Quadratic work on a 20 MB line would not finish in a test run.
        let line = format!("{SENTENCE}\r\n").repeat(200_000);
        let decoded = decode_txt(line.as_bytes()).unwrap();
        assert_eq!(decoded.text.len(), line.len() - 200_000);
        let one_line = SENTENCE.repeat(200_000);
        assert_eq!(decode_txt(one_line.as_bytes()).unwrap().text, one_line);
    }
}
