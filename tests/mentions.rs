//! `fazhi mentions` is exact (issue 3): the same paragraphs and occurrences as a plain
//! substring scan of the cleaned paragraphs, for any phrase, on the sample corpus and on
//! the shared development corpus; `--loose`, `--by`, `--csv`; and ranked `search` losing
//! no paragraph that contains a single-word query.
//!
//! The expected answers are computed here from the library's reading pipeline
//! (`decode_source` -> `read_report`), not from the index: a scan of every paragraph
//! with `str::match_indices` (non-overlapping, left to right).

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use common::{fazhi, highlighted, index_command, json, sample_corpus, sample_index, text};
use fazhi::{Filters, GroupBy, Matching, MentionCounts, Mentions, ReportRecord, SectionKind};
use serde_json::Value;

/// jieba with the dictionary the indexer uses, loaded once for all tests of this file.
fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: std::sync::LazyLock<jieba_rs::Jieba> =
        std::sync::LazyLock::new(jieba_rs::Jieba::new);
    &JIEBA
}

/// Phrases compared on both corpora: words jieba splits otherwise than the text, phrases
/// across a word boundary, punctuation, single characters, digits, Latin.
const PHRASES: &[&str] = &[
    // Fragments of longer jieba words.
    "调解",
    "调解员",
    "人民调解员",
    "责人",
    "负责人",
    "枫桥",
    "枫桥式",
    "枫桥经验",
    "专业人才",
    "顾问",
    "法律顾问",
    "执法",
    "行政执法",
    "复议",
    "行政复议",
    "普法",
    "八五",
    "司法所",
    "依法行政",
    "法治政府",
    "矛盾纠纷",
    "习近平法治思想",
    "规范性文件",
    "合法性审查",
    // Across a jieba word boundary.
    "治政",
    "府建",
    "设年度",
    "政复",
    "纠纷化",
    "理法治化",
    "法治建设正确",
    "县司法",
    "协调解",
    "民调",
    // Punctuation inside and around.
    "双随机、一公开",
    "村(居)法律顾问",
    "一村(社区)一法律顾问",
    "“八五”",
    "“枫桥经验”",
    "(一)",
    "(二)",
    "一、",
    "二、",
    "“",
    "”",
    "(",
    ")",
    "《",
    ",",
    ";",
    ":",
    "、",
    "。",
    "。一",
    // Single characters.
    "县",
    "法",
    "的",
    "区",
    // Digits and Latin.
    "2023",
    "2022年",
    "100%",
    "%",
    "0",
    "1+3+N",
    "N",
    "ICP",
    "12345",
    // Self-overlapping: occurrences counted left to right without overlap (1000 has one 00).
    "00",
    "000",
    "99",
    "202",
    "——",
    "……",
    "GDP",
    "gdp",
    "PM2.5",
    "5G",
    // White space: ASCII and ideographic.
    " ",
    "\u{3000}",
];

/// Phrases that occur nowhere in the samples (each of their characters does).
const ABSENT: &[&str] = &[
    "县法治县",
    "调解调解调解",
    "法治政府建设调解员",
    "Nn",
    "2023年度一",
];

/// Pseudo-random phrases drawn from each corpus in addition to the fixed ones.
const RANDOM_PHRASES: usize = 30;

// ---------------------------------------------------------------------------------------
// The expected answers: the corpus read by the library's pipeline, scanned as strings.

/// One report as the indexer would store it.
struct ExpectedReport {
    path: String,
    paragraphs: Vec<(u32, String)>,
    /// The section kind of each paragraph.
    kinds: Vec<&'static str>,
}

/// Extensions the indexer does not read as reports.
const NOT_REPORTS: [&str; 4] = ["md", "json", "toml", "csv"];

/// Reads `dir` the way `fazhi index` does: files by name order (folders depth first,
/// links followed), hidden files and documentation left out, non-text files and reports
/// without paragraphs skipped, a report whose paragraphs equal an earlier one's skipped.
fn read_corpus(dir: &Path) -> Vec<ExpectedReport> {
    let mut reports = Vec::new();
    let mut seen_texts: HashSet<String> = HashSet::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = entry.expect("the corpus can be walked");
        if !entry.file_type().is_file() {
            continue;
        }
        let extension = entry
            .path()
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        if extension.is_some_and(|e| NOT_REPORTS.contains(&e.as_str())) {
            continue;
        }
        let relative: Vec<String> = entry
            .path()
            .strip_prefix(dir)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let path = relative.join("/");
        let bytes = std::fs::read(entry.path()).expect("a corpus file can be read");
        let Ok(source) = fazhi::decode_source(entry.path(), &bytes) else {
            continue;
        };
        let report = fazhi::read_report(&path, &source);
        if report.paragraphs.is_empty() {
            continue;
        }
        let joined: String = report
            .paragraphs
            .iter()
            .flat_map(|p| [p.text.as_str(), "\n"])
            .collect();
        if !seen_texts.insert(joined) {
            continue; // a duplicate: indexed once, under the first name
        }
        reports.push(ExpectedReport {
            path,
            kinds: report
                .paragraphs
                .iter()
                .map(|p| p.section_kind.as_str())
                .collect(),
            paragraphs: report
                .paragraphs
                .into_iter()
                .map(|p| (p.ordinal, p.text))
                .collect(),
        });
    }
    reports
}

/// Occurrences per paragraph, keyed by (path, paragraph number).
type Occurrences = BTreeMap<(String, u32), Vec<Range<usize>>>;

/// The substring scan: every paragraph containing `phrase`, with `match_indices` ranges.
fn scan(reports: &[ExpectedReport], phrase: &str) -> Occurrences {
    let mut found = Occurrences::new();
    for report in reports {
        for (ordinal, text) in &report.paragraphs {
            let ranges: Vec<Range<usize>> = text
                .match_indices(phrase)
                .map(|(start, m)| start..start + m.len())
                .collect();
            if !ranges.is_empty() {
                found.insert((report.path.clone(), *ordinal), ranges);
            }
        }
    }
    found
}

fn total(occurrences: &Occurrences) -> usize {
    occurrences.values().map(Vec::len).sum()
}

fn distinct_reports(occurrences: &Occurrences) -> usize {
    occurrences
        .keys()
        .map(|(path, _)| path.as_str())
        .collect::<BTreeSet<_>>()
        .len()
}

/// A deterministic xorshift64 generator.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `count` substrings of 1 to 10 characters of pseudo-randomly chosen paragraphs.
fn random_phrases(reports: &[ExpectedReport], count: usize, seed: u64) -> Vec<String> {
    let mut rng = XorShift(seed);
    let mut phrases = Vec::new();
    while phrases.len() < count {
        let report = &reports[rng.below(reports.len())];
        let (_, text) = &report.paragraphs[rng.below(report.paragraphs.len())];
        let chars: Vec<char> = text.chars().collect();
        let len = 1 + rng.below(10);
        if chars.len() < len {
            continue;
        }
        let start = rng.below(chars.len() - len + 1);
        phrases.push(chars[start..start + len].iter().collect());
    }
    phrases
}

/// The fixed phrases, the absent ones and the random ones for `reports`.
fn all_phrases(reports: &[ExpectedReport], seed: u64) -> Vec<String> {
    let mut phrases: Vec<String> = PHRASES.iter().map(|p| p.to_string()).collect();
    phrases.extend(ABSENT.iter().map(|p| p.to_string()));
    phrases.extend(random_phrases(reports, RANDOM_PHRASES, seed));
    phrases
}

fn sample_reports() -> &'static [ExpectedReport] {
    static REPORTS: OnceLock<Vec<ExpectedReport>> = OnceLock::new();
    REPORTS.get_or_init(|| read_corpus(&sample_corpus()))
}

// ---------------------------------------------------------------------------------------
// What fazhi answers.

/// Occurrences from `mentions --json` output, checking each highlight is on the text.
fn json_occurrences(result: &Value) -> Occurrences {
    let mut found = Occurrences::new();
    for paragraph in result["paragraphs"].as_array().expect("paragraphs") {
        let ranges: Vec<Range<usize>> = paragraph["highlights"]
            .as_array()
            .expect("highlights")
            .iter()
            .map(|r| r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize)
            .collect();
        let key = (
            text(paragraph, "path").to_string(),
            paragraph["paragraph"].as_u64().expect("paragraph number") as u32,
        );
        assert!(
            found.insert(key.clone(), ranges).is_none(),
            "{key:?} listed twice"
        );
    }
    found
}

/// The paragraph texts by (path, number), to check that what is stored is what was read.
fn texts_by_key(reports: &[ExpectedReport]) -> BTreeMap<(&str, u32), &str> {
    reports
        .iter()
        .flat_map(|r| {
            r.paragraphs
                .iter()
                .map(move |(n, t)| ((r.path.as_str(), *n), t.as_str()))
        })
        .collect()
}

/// Describes the first difference between two answers, for a readable failure.
fn first_difference(expected: &Occurrences, actual: &Occurrences) -> String {
    for (key, ranges) in expected {
        match actual.get(key) {
            None => return format!("missing {key:?} ({} occurrences)", ranges.len()),
            Some(found) if found != ranges => {
                return format!("{key:?}: expected {ranges:?}, found {found:?}")
            }
            _ => {}
        }
    }
    match actual.keys().find(|k| !expected.contains_key(*k)) {
        Some(key) => format!("extra {key:?}"),
        None => "no difference".into(),
    }
}

// ---------------------------------------------------------------------------------------
// Exactness on the samples, through the binary.

#[test]
fn mentions_equal_a_substring_scan_of_the_samples() {
    let reports = sample_reports();
    assert_eq!(reports.len(), 5, "the five sample reports are read");
    let texts = texts_by_key(reports);
    let phrases = all_phrases(reports, 0x9E37_79B9_7F4A_7C15);
    assert!(phrases.len() >= 100);
    let mut compared = 0;
    let mut mentions_total = 0;
    for phrase in &phrases {
        let expected = scan(reports, phrase);
        let result = json(&["mentions", phrase]);
        let actual = json_occurrences(&result);
        assert!(
            expected == actual,
            "mentions {phrase:?}: {}",
            first_difference(&expected, &actual)
        );
        assert_eq!(text(&result, "phrase"), phrase);
        assert_eq!(result["total"].as_u64(), Some(total(&expected) as u64));
        assert_eq!(
            result["reports"].as_u64(),
            Some(distinct_reports(&expected) as u64)
        );
        for paragraph in result["paragraphs"].as_array().unwrap() {
            let key = (
                text(paragraph, "path"),
                paragraph["paragraph"].as_u64().unwrap() as u32,
            );
            assert_eq!(Some(&text(paragraph, "text")), texts.get(&key), "{key:?}");
            assert!(highlighted(paragraph).iter().all(|m| m == phrase));
        }
        assert!(
            result.get("groups").is_none(),
            "groups are only given with --by"
        );
        compared += 1;
        mentions_total += total(&expected);
    }
    for phrase in ABSENT {
        assert!(scan(reports, phrase).is_empty(), "{phrase} is not absent");
    }
    // The fixed list is drawn from the text: most of it must occur, or the test proves little.
    let occurring = PHRASES
        .iter()
        .filter(|p| !scan(reports, p).is_empty())
        .count();
    assert!(occurring >= 55, "only {occurring} fixed phrases occur");
    eprintln!("samples: {compared} phrases compared, {mentions_total} mentions");
}

// ---------------------------------------------------------------------------------------
// Exactness on a made-up corpus of the text the samples lack.

/// A report with runs that overlap themselves, mixed-case Latin, spaces and symbols outside
/// the Basic Multilingual Plane; indexed twice under two names, the second a duplicate.
const EDGE_REPORT: &str = "某某县2023年法治政府建设年度报告\n\
     一、主要成效\n\
     全年受理案件10000件,涉及金额1000000元,2020202020年是笔误。\n\
     哈哈哈哈哈,啊啊啊,——————,…………,“”“”“”。\n\
     推行ABC abc AbC aBc 管理,PM2.5 下降,5G 基站 N 个,N+N+N。\n\
     全角空格\u{3000}\u{3000}\u{3000}在这里,  两个半角空格  在这里。\n\
     表情😀😀😀也算文字,𠀀𠀀是扩展汉字。\n";

/// Report texts with runs that overlap themselves, mixed-case Latin, spaces, symbols
/// outside the Basic Multilingual Plane; a duplicate and a binary file to be skipped.
const EDGE_FILES: &[(&str, &[u8])] = &[
    ("a.txt", EDGE_REPORT.as_bytes()),
    (
        "b.txt",
        "某某区2022年法治政府建设年度报告\n\
         一、工作情况\n\
         人民调解员调解调解调解纠纷,协调解决了问题。\n\
         村(居)法律顾问、一村(社区)一法律顾问、双随机、一公开。\n"
            .as_bytes(),
    ),
    ("c.txt", EDGE_REPORT.as_bytes()),
    ("d.pdf", b"%PDF-1.4 not a report"),
];

#[test]
fn mentions_equal_a_substring_scan_of_overlapping_and_unusual_text() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    for (name, bytes) in EDGE_FILES {
        std::fs::write(corpus.join(name), bytes).unwrap();
    }
    let index = dir.path().join("index");
    index_command(&corpus, &index).assert().success();
    let reports = read_corpus(&corpus);
    let paths: Vec<&str> = reports.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["a.txt", "b.txt"],
        "c.txt is a duplicate, d.pdf binary"
    );
    let phrases = [
        "00",
        "000",
        "0000",
        "202",
        "2020",
        "哈哈",
        "哈哈哈",
        "啊啊",
        "——",
        "———",
        "……",
        "“”",
        "”“",
        "ABC",
        "abc",
        "AbC",
        "aBc",
        "a",
        "B",
        "PM2.5",
        "N+N",
        "N",
        " ",
        "  ",
        "\u{3000}\u{3000}",
        "😀😀",
        "😀",
        "𠀀",
        "调解调解",
        "调解",
        "解调",
        "协调解决",
        "村(居)",
        "、",
        ",",
    ];
    let mut compared = 0;
    for phrase in phrases {
        let expected = scan(&reports, phrase);
        assert!(
            !expected.is_empty(),
            "{phrase:?} occurs in the made-up text"
        );
        let output = fazhi()
            .args(["mentions", phrase, "--json", "--index"])
            .arg(&index)
            .output()
            .unwrap();
        assert!(output.status.success(), "mentions {phrase:?}");
        let result: Value = serde_json::from_slice(&output.stdout).unwrap();
        let actual = json_occurrences(&result);
        assert!(
            expected == actual,
            "mentions {phrase:?}: {}",
            first_difference(&expected, &actual)
        );
        compared += 1;
    }
    // Case matters: Abc is not written, though ABC, abc, AbC and aBc are.
    let output = fazhi()
        .args(["mentions", "Abc", "--json", "--index"])
        .arg(&index)
        .output()
        .unwrap();
    let result: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["total"], 0);
    // Self-overlapping runs count left to right without overlap.
    let count = |phrase: &str| total(&scan(&reports, phrase));
    assert_eq!((count("00"), count("000"), count("哈哈")), (5, 3, 2));
    eprintln!("made-up corpus: {compared} phrases compared");
}

// ---------------------------------------------------------------------------------------
// Exactness on the development corpus, in-process.

struct DevIndex {
    _dir: tempfile::TempDir,
    index: PathBuf,
    reports: Vec<ExpectedReport>,
}

/// The development corpus's three `docs/` folders, linked into one corpus folder (the
/// metadata tables beside them are not reports), indexed once per test binary.
fn dev_index() -> Option<&'static DevIndex> {
    static DEV: OnceLock<Option<DevIndex>> = OnceLock::new();
    DEV.get_or_init(|| {
        let shared = common::dev_corpus()?;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let corpus = dir.path().join("corpus");
        std::fs::create_dir(&corpus).unwrap();
        for name in ["shenzhen", "national", "laws"] {
            let docs = shared.join(name).join("docs").canonicalize().ok()?;
            std::os::unix::fs::symlink(docs, corpus.join(name)).unwrap();
        }
        let index = dir.path().join("index");
        let started = std::time::Instant::now();
        index_command(&corpus, &index).assert().success();
        let indexed = started.elapsed();
        let reports = read_corpus(&corpus);
        eprintln!(
            "dev corpus: indexed in {:.1} s, read by the test in {:.1} s",
            indexed.as_secs_f64(),
            (started.elapsed() - indexed).as_secs_f64()
        );
        Some(DevIndex {
            _dir: dir,
            index,
            reports,
        })
    })
    .as_ref()
}

/// All paragraphs of a corpus in one string, one per line, for a fast scan: a phrase
/// without a line break matches within one paragraph, and the non-overlapping matches of
/// the whole string are those of each paragraph.
struct FlatCorpus<'a> {
    text: String,
    /// Byte offset of each paragraph in `text`.
    starts: Vec<usize>,
    /// (path, paragraph number) of each paragraph.
    keys: Vec<(&'a str, u32)>,
    /// Index of each (path, paragraph number).
    index_of: HashMap<(&'a str, u32), usize>,
}

/// Occurrences by paragraph index in a [`FlatCorpus`], by index.
type FlatOccurrences = Vec<(usize, Vec<Range<usize>>)>;

impl<'a> FlatCorpus<'a> {
    fn new(reports: &'a [ExpectedReport]) -> FlatCorpus<'a> {
        let mut flat = FlatCorpus {
            text: String::new(),
            starts: Vec::new(),
            keys: Vec::new(),
            index_of: HashMap::new(),
        };
        for report in reports {
            for (number, text) in &report.paragraphs {
                assert!(
                    !text.contains('\n'),
                    "{}#{number} has a line break",
                    report.path
                );
                let key = (report.path.as_str(), *number);
                assert!(flat.index_of.insert(key, flat.keys.len()).is_none());
                flat.keys.push(key);
                flat.starts.push(flat.text.len());
                flat.text.push_str(text);
                flat.text.push('\n');
            }
        }
        flat
    }

    /// The substring scan, `str::match_indices` over all paragraphs at once.
    fn scan(&self, phrase: &str) -> FlatOccurrences {
        assert!(!phrase.contains('\n'));
        let mut found: FlatOccurrences = Vec::new();
        for (at, m) in self.text.match_indices(phrase) {
            let paragraph = self.starts.partition_point(|&s| s <= at) - 1;
            let local = at - self.starts[paragraph];
            let range = local..local + m.len();
            match found.last_mut() {
                Some((p, ranges)) if *p == paragraph => ranges.push(range),
                _ => found.push((paragraph, vec![range])),
            }
        }
        found
    }

    /// What `Index::mentions` found, in the same form.
    fn of_mentions(&self, mentions: &Mentions) -> FlatOccurrences {
        let mut found: FlatOccurrences = mentions
            .paragraphs
            .iter()
            .map(|p| {
                let key = (p.passage.path.as_str(), p.passage.paragraph);
                let index = *self
                    .index_of
                    .get(&key)
                    .unwrap_or_else(|| panic!("{key:?} is not a paragraph of the corpus"));
                (index, p.highlights.clone())
            })
            .collect();
        found.sort_by_key(|(index, _)| *index);
        found
    }

    fn first_difference(&self, expected: &FlatOccurrences, actual: &FlatOccurrences) -> String {
        let as_map = |found: &FlatOccurrences| -> Occurrences {
            found
                .iter()
                .map(|(i, ranges)| {
                    let (path, number) = self.keys[*i];
                    ((path.to_string(), number), ranges.clone())
                })
                .collect()
        };
        first_difference(&as_map(expected), &as_map(actual))
    }
}

#[test]
fn mentions_equal_a_substring_scan_of_the_dev_corpus() {
    let Some(dev) = dev_index() else {
        eprintln!("skipped: no development corpus at ../shared/dev-corpus");
        return;
    };
    let store = fazhi::Index::open(&dev.index).expect("the dev index opens");
    let indexed: Vec<String> = store
        .reports()
        .unwrap()
        .into_iter()
        .map(|r| r.path)
        .collect();
    let mut read: Vec<String> = dev.reports.iter().map(|r| r.path.clone()).collect();
    read.sort(); // the index lists reports by path; the walk goes folder by folder
    assert_eq!(indexed.len(), read.len(), "reports indexed vs read");
    assert_eq!(indexed, read);
    let started = std::time::Instant::now();
    let flat = FlatCorpus::new(&dev.reports);
    let phrases = all_phrases(&dev.reports, 0xD1B5_4A32_D192_ED03);
    // Two workers, each scanning a phrase and asking fazhi for it, until none is left.
    let next = AtomicUsize::new(0);
    let (mentions_total, paragraphs_total) = std::thread::scope(|scope| {
        let work = || {
            let (mut mentions_total, mut paragraphs_total) = (0, 0);
            loop {
                let Some(phrase) = phrases.get(next.fetch_add(1, Ordering::Relaxed)) else {
                    return (mentions_total, paragraphs_total);
                };
                let expected = flat.scan(phrase);
                let mentions = store
                    .mentions(phrase, &Filters::default(), Matching::Exact)
                    .expect("mentions runs");
                let actual = flat.of_mentions(&mentions);
                assert!(
                    expected == actual,
                    "dev corpus, mentions {phrase:?}: {}",
                    flat.first_difference(&expected, &actual)
                );
                let occurrences: usize = expected.iter().map(|(_, r)| r.len()).sum();
                assert_eq!(mentions.total, occurrences, "{phrase}");
                let reports: HashSet<&str> =
                    expected.iter().map(|(i, _)| flat.keys[*i].0).collect();
                assert_eq!(mentions.reports, reports.len(), "{phrase}");
                mentions_total += occurrences;
                paragraphs_total += expected.len();
            }
        };
        let other = scope.spawn(work);
        let (a, b) = work();
        let (c, d) = other.join().expect("the other worker finishes");
        (a + c, b + d)
    });
    eprintln!(
        "dev corpus: {} reports, {} paragraphs; {} phrases compared, \
         {mentions_total} mentions in {paragraphs_total} paragraph hits, in {:.1} s",
        dev.reports.len(),
        flat.keys.len(),
        phrases.len(),
        started.elapsed().as_secs_f64()
    );
}

// ---------------------------------------------------------------------------------------
// Property: any substring of any paragraph is found where it is.

#[test]
fn any_substring_of_a_paragraph_is_found_there() {
    use proptest::prelude::*;
    use proptest::sample::Index;
    use proptest::test_runner::{Config, TestRunner};

    let store = fazhi::Index::open(sample_index()).expect("the sample index opens");
    let paragraphs: Vec<(&str, u32, &str)> = sample_reports()
        .iter()
        .flat_map(|r| {
            r.paragraphs
                .iter()
                .map(move |(n, t)| (r.path.as_str(), *n, t.as_str()))
        })
        .collect();
    let mut runner = TestRunner::new(Config {
        cases: 300,
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = (any::<Index>(), any::<Index>(), 1usize..=10);
    runner
        .run(&strategy, |(which, at, len)| {
            let (path, number, text) = paragraphs[which.index(paragraphs.len())];
            let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            let first = at.index(starts.len());
            let last = (first + len).min(starts.len());
            let start = starts[first];
            let end = starts.get(last).copied().unwrap_or(text.len());
            let phrase = &text[start..end];
            let mentions = store
                .mentions(phrase, &Filters::default(), Matching::Exact)
                .expect("mentions runs");
            let found = mentions
                .paragraphs
                .iter()
                .find(|p| p.passage.path == path && p.passage.paragraph == number);
            prop_assert!(found.is_some(), "{phrase:?} not found in {path}#{number}");
            let highlights = &found.unwrap().highlights;
            prop_assert_eq!(highlights.len(), text.match_indices(phrase).count());
            // The occurrence at `start` is listed, or absorbed by an earlier overlapping one.
            let covering = highlights
                .iter()
                .find(|r| r.start <= start && start < r.end);
            prop_assert!(covering.is_some(), "{phrase:?} at {start}: {highlights:?}");
            let covering = covering.unwrap();
            prop_assert_eq!(&text[covering.clone()], phrase);
            for range in highlights {
                prop_assert_eq!(&text[range.clone()], phrase);
            }
            Ok(())
        })
        .unwrap();
}

// ---------------------------------------------------------------------------------------
// --loose.

fn paragraph_keys(result: &Value) -> BTreeSet<(String, u64)> {
    result["paragraphs"]
        .as_array()
        .expect("paragraphs")
        .iter()
        .map(|p| {
            (
                text(p, "path").to_string(),
                p["paragraph"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The highlighted text of every paragraph of a mentions result.
fn all_highlighted(result: &Value) -> Vec<(String, Vec<String>)> {
    result["paragraphs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (text(p, "text").to_string(), highlighted(p)))
        .collect()
}

#[test]
fn loose_matching_skips_quote_marks_and_highlights_the_span() {
    let loose = json(&["mentions", "八五普法", "--loose"]);
    let exact = json(&["mentions", "八五普法"]);
    let paragraph = all_highlighted(&loose)
        .into_iter()
        .find(|(t, _)| t.contains("融入“八五”普法工作"))
        .expect("八五普法 --loose finds 融入“八五”普法工作 (sample 000)");
    assert!(
        paragraph.1.contains(&"八五”普法".to_string()),
        "{paragraph:?}"
    );
    assert!(!paragraph.1.iter().any(|m| m.starts_with('“')));
    assert!(
        loose["total"].as_u64() > exact["total"].as_u64(),
        "--loose finds more than exact for 八五普法: {} vs {}",
        loose["total"],
        exact["total"]
    );
    assert!(paragraph_keys(&loose).is_superset(&paragraph_keys(&exact)));

    let loose = json(&["mentions", "枫桥式司法所", "--loose"]);
    let marked: Vec<String> = all_highlighted(&loose)
        .into_iter()
        .filter(|(t, _)| t.contains("郑宅司法所荣获省级”枫桥式“司法所"))
        .flat_map(|(_, m)| m)
        .collect();
    assert!(
        marked.contains(&"枫桥式“司法所".to_string()),
        "sample 004 ”枫桥式“司法所: {marked:?}"
    );
    assert!(
        marked.contains(&"枫桥式司法所".to_string()),
        "sample 004 ”枫桥式司法所: {marked:?}"
    );
    // Every loose highlight is the letters with only punctuation or spaces between.
    for (_, marks) in all_highlighted(&loose) {
        for m in marks {
            let letters: String = m.chars().filter(|c| c.is_alphanumeric()).collect();
            assert_eq!(letters, "枫桥式司法所", "{m}");
            assert!(m.starts_with('枫') && m.ends_with('所'), "{m}");
        }
    }
    // A letter between the phrase's letters is not skipped.
    let none = json(&["mentions", "法治府", "--loose"]);
    assert!(all_highlighted(&none)
        .iter()
        .all(|(_, marks)| marks.iter().all(|m| !m.contains("政"))));
}

#[test]
fn loose_finds_every_paragraph_and_occurrence_exact_finds() {
    for phrase in [
        "八五",
        "“八五”",
        "枫桥式",
        "双随机、一公开",
        "村(居)法律顾问",
        "(一)",
        "100%",
        "调解",
        "2023",
        "1+3+N",
    ] {
        let exact = json(&["mentions", phrase]);
        let loose = json(&["mentions", phrase, "--loose"]);
        let exact_keys = paragraph_keys(&exact);
        assert!(!exact_keys.is_empty(), "{phrase} occurs in the samples");
        let loose_paragraphs: BTreeMap<(String, u64), &Value> = loose["paragraphs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    (text(p, "path").into(), p["paragraph"].as_u64().unwrap()),
                    p,
                )
            })
            .collect();
        for paragraph in exact["paragraphs"].as_array().unwrap() {
            let key = (
                text(paragraph, "path").to_string(),
                paragraph["paragraph"].as_u64().unwrap(),
            );
            let loose_paragraph = loose_paragraphs
                .get(&key)
                .unwrap_or_else(|| panic!("{phrase}: --loose misses {key:?}"));
            let ranges = |p: &Value| -> Vec<(u64, u64)> {
                p["highlights"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| (r[0].as_u64().unwrap(), r[1].as_u64().unwrap()))
                    .collect()
            };
            let loose_ranges = ranges(loose_paragraph);
            for (start, end) in ranges(paragraph) {
                assert!(
                    loose_ranges.iter().any(|&(s, e)| s < end && start < e),
                    "{phrase}: exact occurrence {start}..{end} of {key:?} not within a loose one"
                );
            }
        }
        assert!(loose["total"].as_u64() >= Some(1));
    }
}

#[test]
fn loose_refuses_a_phrase_of_only_punctuation() {
    fazhi()
        .args(["mentions", "“”", "--loose", "--index"])
        .arg(sample_index())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--loose"));
}

// ---------------------------------------------------------------------------------------
// --by, --json groups, --csv.

/// The occurrences of a mentions result summed by a paragraph field.
fn counts_by(result: &Value, field: &str) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for p in result["paragraphs"].as_array().unwrap() {
        let key = match &p[field] {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => "(unknown)".to_string(),
        };
        *counts.entry(key).or_default() += p["highlights"].as_array().unwrap().len() as u64;
    }
    counts
}

#[test]
fn groups_count_every_mention_sorted() {
    for (by, field) in [
        ("county", "county"),
        ("year", "year"),
        ("section", "section_kind"),
        ("city", "city"),
        ("province", "province"),
        ("report", "path"),
        ("issuer", "issuer"),
    ] {
        for phrase in ["调解", "法治政府", "、", "枫桥经验"] {
            let result = json(&["mentions", phrase, "--by", by]);
            let all_groups: Vec<(String, u64)> = result["groups"]
                .as_array()
                .unwrap_or_else(|| panic!("--by {by} gives groups"))
                .iter()
                .map(|g| (text(g, "key").to_string(), g["count"].as_u64().unwrap()))
                .collect();
            // Years without a mention are listed too, with 0.
            let groups: Vec<(String, u64)> =
                all_groups.iter().filter(|g| g.1 > 0).cloned().collect();
            if by != "year" {
                assert_eq!(groups, all_groups, "only --by year lists zeros");
            }
            let mentioned = result["total"].as_u64().unwrap();
            assert_eq!(mentioned as usize, total(&scan(sample_reports(), phrase)));
            assert_eq!(
                groups.iter().map(|g| g.1).sum::<u64>(),
                mentioned,
                "{by} {phrase}"
            );
            let expected = counts_by(&result, field);
            let as_map: BTreeMap<String, u64> = groups.iter().cloned().collect();
            assert_eq!(as_map, expected, "--by {by} {phrase}");
            assert_eq!(as_map.len(), groups.len(), "a key listed twice");
            if by == "year" {
                let years: Vec<u32> = all_groups.iter().map(|g| g.0.parse().unwrap()).collect();
                assert!(years.windows(2).all(|w| w[0] + 1 == w[1]), "{years:?}");
            } else {
                assert!(
                    groups
                        .windows(2)
                        .all(|w| w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 < w[1].0)),
                    "--by {by} {phrase}: {groups:?}"
                );
            }
        }
    }
    // Four counties and three years mention 调解 in the samples, or the test proves little.
    let counties = json(&["mentions", "调解", "--by", "county"]);
    assert!(counties["groups"].as_array().unwrap().len() >= 4);
    let years = json(&["mentions", "调解", "--by", "year"]);
    assert!(years["groups"].as_array().unwrap().len() >= 3);
    // 武江区's report (2021) does not mention 枫桥经验: its year is listed with 0.
    let years = json(&["mentions", "枫桥经验", "--by", "year"]);
    let zero_years: Vec<&str> = years["groups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|g| g["count"] == 0)
        .map(|g| text(g, "key"))
        .collect();
    assert_eq!(zero_years, ["2021"], "{years}");
    let years = json(&[
        "mentions",
        "枫桥经验",
        "--by",
        "year",
        "--year",
        "2010..2012",
    ]);
    let keys: Vec<&str> = years["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| text(g, "key"))
        .collect();
    assert_eq!(keys, ["2010", "2011", "2012"], "a filtered range, all zero");
}

#[test]
fn group_tables_have_a_summary_line_and_a_row_per_group() {
    for by in ["county", "year", "section"] {
        for phrase in ["调解", "枫桥经验"] {
            let result = json(&["mentions", phrase, "--by", by]);
            let output = fazhi()
                .args(["mentions", phrase, "--by", by, "--index"])
                .arg(sample_index())
                .output()
                .unwrap();
            assert!(output.status.success());
            let stdout = String::from_utf8(output.stdout).unwrap();
            let mut lines = stdout.lines();
            let summary = format!(
                "{} mentions of {phrase} in {} paragraphs of {} reports",
                result["total"],
                result["paragraphs"].as_array().unwrap().len(),
                result["reports"]
            );
            assert_eq!(lines.next(), Some(summary.as_str()));
            assert_eq!(lines.next(), Some(""));
            let heading: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
            assert_eq!(heading, ["mentions", "per", "10k", "chars"]);
            // The table ends at the blank line before the mentions shown.
            let rows: Vec<(String, u64, String)> = lines
                .take_while(|l| !l.is_empty())
                .map(|l| {
                    let cells: Vec<&str> = l.split_whitespace().collect();
                    assert!(cells.len() == 3 || cells.len() == 4, "row {l:?}");
                    assert!(cells[3..].iter().all(|bar| bar.chars().all(|c| c == '█')));
                    assert_eq!(cells.len() == 4, cells[1] != "0", "a bar unless 0: {l:?}");
                    (
                        cells[0].to_string(),
                        cells[1].parse().unwrap(),
                        cells[2].to_string(),
                    )
                })
                .collect();
            let groups: Vec<(String, u64, String)> = result["groups"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| {
                    let rate = g["rate"].as_f64().map_or("-".into(), |r| format!("{r:.2}"));
                    (
                        text(g, "key").to_string(),
                        g["count"].as_u64().unwrap(),
                        rate,
                    )
                })
                .collect();
            assert_eq!(rows, groups, "--by {by} {phrase}");
        }
    }
}

#[test]
fn csv_has_a_row_per_mention() {
    for phrase in ["调解", "双随机、一公开", "“八五”", "100%", "N"] {
        let output = fazhi()
            .args(["mentions", phrase, "--csv", "--index"])
            .arg(sample_index())
            .output()
            .unwrap();
        assert!(output.status.success());
        let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
        let headers = reader.headers().unwrap().clone();
        let column = |name: &str| {
            headers
                .iter()
                .position(|h| h == name)
                .unwrap_or_else(|| panic!("column {name}"))
        };
        let (path, number, start, end) = (
            column("path"),
            column("paragraph"),
            column("start"),
            column("end"),
        );
        let (before, matched, after) = (column("before"), column("match"), column("after"));
        let texts: BTreeMap<(String, u32), &str> = sample_reports()
            .iter()
            .flat_map(|report| {
                report
                    .paragraphs
                    .iter()
                    .map(|(ordinal, text)| ((report.path.clone(), *ordinal), text.as_str()))
            })
            .collect();
        let mut found = Occurrences::new();
        for record in reader.records() {
            let record = record.expect("a well-formed CSV row");
            assert_eq!(record.len(), headers.len());
            assert_eq!(&record[matched], phrase);
            let range: Range<usize> = record[start].parse().unwrap()..record[end].parse().unwrap();
            let text = texts[&(record[path].to_string(), record[number].parse().unwrap())];
            assert_eq!(&text[range.clone()], phrase);
            // The context is the text right around the mention, up to 30 characters a side.
            let (ahead, behind) = (&text[..range.start], &text[range.end..]);
            assert!(ahead.ends_with(&record[before]), "{:?}", &record);
            assert!(behind.starts_with(&record[after]), "{:?}", &record);
            assert_eq!(
                record[before].chars().count(),
                ahead.chars().count().min(30)
            );
            assert_eq!(
                record[after].chars().count(),
                behind.chars().count().min(30)
            );
            found
                .entry((record[path].to_string(), record[number].parse().unwrap()))
                .or_default()
                .push(range);
        }
        let expected = scan(sample_reports(), phrase);
        assert!(!expected.is_empty());
        assert!(
            found == expected,
            "--csv {phrase}: {}",
            first_difference(&expected, &found)
        );
    }
}

// ---------------------------------------------------------------------------------------
// Ranked search loses no paragraph that contains a one-word query.

/// True when jieba's search-mode segmentation (what the index holds) has `word` as a word.
fn is_jieba_word_in(text: &str, word: &str) -> bool {
    jieba().cut(text, true).iter().any(|t| t.word == word)
}

#[test]
fn search_finds_every_paragraph_containing_the_word() {
    for word in [
        "调解", "顾问", "枫桥", "执法", "复议", "普法", "责人", "府建",
    ] {
        let expected = scan(sample_reports(), word);
        assert!(!expected.is_empty(), "{word} occurs in the samples");
        let result = json(&["search", word, "--limit", "100000"]);
        let hits = result["hits"].as_array().unwrap();
        assert_eq!(result["total"].as_u64(), Some(hits.len() as u64));
        let keys: BTreeSet<(String, u32)> = hits
            .iter()
            .map(|h| {
                (
                    text(h, "path").to_string(),
                    h["paragraph"].as_u64().unwrap() as u32,
                )
            })
            .collect();
        for key in expected.keys() {
            assert!(keys.contains(key), "search {word} misses {key:?}");
        }
    }
}

#[test]
fn search_ranks_the_whole_word_above_fragments() {
    // In the samples each of these words stands as a word (in jieba's default-mode
    // segmentation, which the index holds) in some paragraphs and only across a word
    // boundary in others: 进行 in 推进行政, 实行 in 落实行政, 项目 in 事项目录, 线上 in 线上线下.
    let mut failures = Vec::new();
    for word in ["进行", "实行", "项目", "线上"] {
        let result = json(&["search", word, "--limit", "100000"]);
        let hits = result["hits"].as_array().unwrap();
        let ranks = |whole: bool| -> Vec<usize> {
            hits.iter()
                .enumerate()
                .filter(|(_, h)| {
                    let t = text(h, "text");
                    t.contains(word) && is_jieba_word_in(t, word) == whole
                })
                .map(|(rank, _)| rank)
                .collect()
        };
        let (whole, fragments) = (ranks(true), ranks(false));
        assert!(
            !whole.is_empty() && !fragments.is_empty(),
            "{word}: the samples hold both cases: {} whole, {} fragments",
            whole.len(),
            fragments.len()
        );
        let last_whole = *whole.iter().max().unwrap();
        let first_fragment = *fragments.iter().min().unwrap();
        if last_whole > first_fragment {
            let show = |rank: usize| {
                let h = &hits[rank];
                format!("{}#{} {}", text(h, "path"), h["paragraph"], h["score"])
            };
            failures.push(format!(
                "search {word}: whole word at ranks {whole:?}, only inside other words at \
                 ranks {fragments:?}; e.g. {} below {}",
                show(last_whole),
                show(first_fragment)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// 调解 inside 人民调解 / 人民调解员 is part of a longer word in jieba's default segmentation
/// (what the index holds); paragraphs where 调解 stands alone must rank above them. (With
/// search-mode words in the index, 003#14 …人民调解、法律援助… ranked above them.)
#[test]
fn search_ranks_a_default_mode_word_above_the_same_text_inside_a_longer_word() {
    let word = "调解";
    let result = json(&["search", word, "--limit", "100000"]);
    let jieba = jieba();
    let kinds: Vec<bool> = result["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| text(h, "text"))
        .filter(|t| t.contains(word))
        .map(|t| jieba.cut(t, true).iter().any(|w| w.word == word))
        .collect();
    assert!(kinds.contains(&false) && kinds.contains(&true));
    let first_fragment = kinds.iter().position(|whole| !whole).unwrap();
    let last_whole = kinds.iter().rposition(|whole| *whole).unwrap();
    assert!(
        last_whole < first_fragment,
        "search {word}: whole-word and inside-a-word paragraphs interleave: {kinds:?}"
    );
}

// ---------------------------------------------------------------------------------------
// Counting from the index alone equals the scan: totals, groups and their text.

/// What a group of paragraphs holds: mentions and characters.
type GroupTotals = BTreeMap<String, (u64, u64)>;

/// The group of a paragraph of `record` in section kind `kind`, as fazhi names it.
fn group_key(by: GroupBy, record: &ReportRecord, kind: &str) -> String {
    let meta = &record.meta;
    let key = match by {
        GroupBy::County => meta.county.clone(),
        GroupBy::City => meta.city.clone(),
        GroupBy::Province => meta.province.clone(),
        GroupBy::Issuer => meta.issuer.clone(),
        GroupBy::Year => meta.year.map(|y| y.to_string()),
        GroupBy::Section => Some(kind.to_string()),
        GroupBy::Report => Some(record.path.clone()),
    };
    key.unwrap_or_else(|| fazhi::UNKNOWN_GROUP.to_string())
}

/// The groups expected of `count_mentions`: every paragraph that `passes` adds its
/// characters to its group, and its occurrences (`counts`, by paragraph in `reports`
/// order) to the group's mentions; groups without a mention are left out, except years,
/// which are all listed from the first to the last.
fn expected_groups(
    reports: &[ExpectedReport],
    records: &HashMap<String, ReportRecord>,
    counts: &[u64],
    by: GroupBy,
    passes: impl Fn(&ReportRecord, &str) -> bool,
) -> GroupTotals {
    let mut groups = GroupTotals::new();
    let mut index = 0;
    for report in reports {
        let record = &records[&report.path];
        for ((_, text), kind) in report.paragraphs.iter().zip(&report.kinds) {
            if passes(record, kind) {
                let group = groups.entry(group_key(by, record, kind)).or_default();
                group.0 += counts[index];
                group.1 += text.chars().count() as u64;
            }
            index += 1;
        }
    }
    if by == GroupBy::Year {
        // Every year between the first and the last, zeros included.
        let years: Vec<u16> = groups.keys().filter_map(|y| y.parse().ok()).collect();
        if let (Some(&first), Some(&last)) = (years.iter().min(), years.iter().max()) {
            for year in first..=last {
                groups.entry(year.to_string()).or_default();
            }
        }
    } else {
        groups.retain(|_, (mentions, _)| *mentions > 0);
    }
    groups
}

/// Whether a paragraph of a report, of a section kind, passes a filter.
type Passes<'a> = dyn Fn(&ReportRecord, &str) -> bool + 'a;

fn as_totals(counts: &MentionCounts) -> GroupTotals {
    counts
        .groups
        .iter()
        .map(|g| (g.key.clone(), (g.count, g.chars)))
        .collect()
}

#[test]
fn counts_and_groups_equal_a_substring_scan_of_the_dev_corpus() {
    let Some(dev) = dev_index() else {
        eprintln!("skipped: no development corpus at ../shared/dev-corpus");
        return;
    };
    let store = fazhi::Index::open(&dev.index).expect("the dev index opens");
    let records: HashMap<String, ReportRecord> = store
        .reports()
        .unwrap()
        .into_iter()
        .map(|r| (r.path.clone(), r))
        .collect();
    let flat = FlatCorpus::new(&dev.reports);
    let all = Filters::default();
    let some = Filters {
        province: Some("广东省".into()),
        year: Some("2015..2020".parse().unwrap()),
        ..Filters::default()
    };
    let in_some = |record: &ReportRecord, _: &str| {
        record.meta.province.as_deref() == Some("广东省")
            && record.meta.year.is_some_and(|y| (2015..=2020).contains(&y))
    };
    // The section filter reads a column, the others the reports' tags: alone and together.
    let problems = Filters {
        section: Some(SectionKind::Problems),
        ..Filters::default()
    };
    let plans_in_some = Filters {
        section: Some(SectionKind::Plans),
        ..some.clone()
    };
    let in_problems = |_: &ReportRecord, kind: &str| kind == SectionKind::Problems.as_str();
    let in_plans_in_some = |record: &ReportRecord, kind: &str| {
        in_some(record, kind) && kind == SectionKind::Plans.as_str()
    };
    let bys = [
        GroupBy::Year,
        GroupBy::Province,
        GroupBy::City,
        GroupBy::County,
        GroupBy::Issuer,
        GroupBy::Report,
        GroupBy::Section,
    ];
    let mut checked = 0;
    for phrase in [
        "人民",
        "的",
        "、",
        "建设",
        "、、",
        "。。",
        "00",
        "法治政府建设年度报告",
    ] {
        let expected = flat.scan(phrase);
        let mut counts = vec![0u64; flat.keys.len()];
        for (index, ranges) in &expected {
            counts[*index] = ranges.len() as u64;
        }
        let total: u64 = counts.iter().sum();
        let reports: HashSet<&str> = expected.iter().map(|(i, _)| flat.keys[*i].0).collect();
        let counted = store
            .count_mentions(phrase, &all, Matching::Exact, None)
            .unwrap();
        assert_eq!(
            (counted.total, counted.paragraphs, counted.reports),
            (total, expected.len() as u64, reports.len() as u64),
            "{phrase}"
        );
        assert!(counted.groups.is_empty(), "no groups unless asked");
        for by in bys {
            let want = expected_groups(&dev.reports, &records, &counts, by, |_, _| true);
            let got = store
                .count_mentions(phrase, &all, Matching::Exact, Some(by))
                .unwrap();
            assert_eq!(got.total, total, "{phrase} by {by:?}");
            assert_eq!(as_totals(&got), want, "{phrase} by {by:?}");
            let filtered: [(&Filters, &Passes<'_>, &str); 3] = [
                (&some, &in_some, "广东省 2015..2020"),
                (&problems, &in_problems, "problems"),
                (
                    &plans_in_some,
                    &in_plans_in_some,
                    "plans in 广东省 2015..2020",
                ),
            ];
            for (filters, passes, name) in filtered {
                let got = store
                    .count_mentions(phrase, filters, Matching::Exact, Some(by))
                    .unwrap();
                let mut want = expected_groups(&dev.reports, &records, &counts, by, passes);
                if by == GroupBy::Year && filters.year.is_some() {
                    // A year filter lists every year of its range.
                    for year in 2015..=2020 {
                        want.entry(year.to_string()).or_default();
                    }
                }
                assert_eq!(as_totals(&got), want, "{phrase} by {by:?} in {name}");
                if ["人民", "的", "、"].contains(&phrase) {
                    assert!(got.total > 0, "{phrase} is frequent in {name}");
                }
            }
            checked += 1;
        }
        if ["人民", "的", "、"].contains(&phrase) {
            assert!(total > 10_000, "{phrase} is frequent: {total}");
        }
    }
    eprintln!("dev corpus: {checked} phrase groupings counted as the scan counts");
}

/// A line of `chars` characters without punctuation, pseudo-random over a few characters
/// so that phrases of them run over the cuts in every way.
fn unpunctuated_line(chars: usize, seed: u64) -> String {
    const ALPHABET: [char; 6] = ['法', '治', '政', '府', '哈', '哈'];
    let mut rng = XorShift(seed);
    (0..chars)
        .map(|_| ALPHABET[rng.below(ALPHABET.len())])
        .collect()
}

#[test]
fn mentions_across_the_cuts_of_long_lines_are_counted_and_listed() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    // Long lines cut at 2,000 characters: one random, one a run of one character, one
    // with sentence ends too far apart; and short lines around them.
    let lines = [
        unpunctuated_line(250_000, 7),
        "哈".repeat(4_001),
        format!("{}。{}", "法治政府".repeat(700), "治政".repeat(1_500)),
    ];
    let text = format!(
        "某某县2023年法治政府建设年度报告\n一、主要成效\n哈哈哈法治\n{}\n治政府\n{}\n{}\n",
        lines[0], lines[1], lines[2]
    );
    std::fs::write(corpus.join("long.txt"), &text).unwrap();
    let index = dir.path().join("index");
    index_command(&corpus, &index).assert().success();
    let reports = read_corpus(&corpus);
    assert_eq!(reports.len(), 1);
    // The paragraphs as cut, each with the byte offset of its start in `text`'s lines.
    let mut line_of_paragraph: Vec<(u32, usize, usize)> = Vec::new(); // (number, line, offset)
    let body: Vec<&str> = text.lines().skip(1).collect();
    let (mut line, mut offset) = (0, 0);
    for (number, piece) in &reports[0].paragraphs {
        if offset == body[line].len() {
            (line, offset) = (line + 1, 0);
        }
        assert!(
            body[line][offset..].starts_with(piece.as_str()),
            "#{number}"
        );
        line_of_paragraph.push((*number, line, offset));
        offset += piece.len();
    }
    assert!(reports[0].paragraphs.len() > 130, "the long lines are cut");
    let store = fazhi::Index::open(&index).unwrap();
    let mut phrases: Vec<String> = [
        "哈哈",
        "哈哈哈",
        "法治",
        "治政",
        "政府法",
        "治政府",
        "哈法治政府哈",
    ]
    .map(String::from)
    .to_vec();
    let mut rng = XorShift(11);
    for _ in 0..20 {
        let start = rng.below(lines[0].chars().count() - 12);
        phrases.push(
            lines[0]
                .chars()
                .skip(start)
                .take(2 + rng.below(9))
                .collect(),
        );
    }
    let mut straddling = 0;
    for phrase in &phrases {
        // The scan: each line of the body as written, cut or not.
        let expected: Vec<(usize, usize)> = body
            .iter()
            .enumerate()
            .flat_map(|(i, line)| {
                line.match_indices(phrase.as_str())
                    .map(move |(at, _)| (i, at))
            })
            .collect();
        assert!(!expected.is_empty(), "{phrase}");
        let counted = store
            .count_mentions(
                phrase,
                &Filters::default(),
                Matching::Exact,
                Some(GroupBy::Report),
            )
            .unwrap();
        assert_eq!(counted.total as usize, expected.len(), "{phrase}");
        assert_eq!(counted.groups[0].count as usize, expected.len(), "{phrase}");
        let listed = store
            .mentions(phrase, &Filters::default(), Matching::Exact)
            .unwrap();
        assert_eq!(listed.total, expected.len(), "{phrase}");
        let mut found = Vec::new();
        for paragraph in &listed.paragraphs {
            let (_, line, offset) = line_of_paragraph[paragraph.passage.paragraph as usize - 1];
            for range in &paragraph.highlights {
                let whole = &body[line][offset + range.start..];
                assert!(whole.starts_with(phrase.as_str()), "{phrase} at {range:?}");
                // A mention across a cut is highlighted to the end of its paragraph.
                let text = &paragraph.passage.text;
                assert!(
                    phrase.starts_with(&text[range.clone()]),
                    "{phrase} at {range:?}"
                );
                straddling += usize::from(range.end - range.start < phrase.len());
                found.push((line, offset + range.start));
            }
        }
        assert_eq!(found, expected, "{phrase}");
        assert_eq!(
            counted.paragraphs as usize,
            listed.paragraphs.len(),
            "{phrase}"
        );
    }
    assert!(
        straddling > 20,
        "mentions across cuts were tested: {straddling}"
    );
    assert_eq!(
        store
            .count_mentions("哈哈哈", &Filters::default(), Matching::Exact, None)
            .unwrap()
            .total as usize,
        body.iter()
            .map(|l| l.matches("哈哈哈").count())
            .sum::<usize>()
    );
}

#[test]
fn loose_counts_equal_the_loose_listing() {
    let store = fazhi::Index::open(sample_index()).unwrap();
    for phrase in ["八五普法", "枫桥式司法所", "调解"] {
        let listed = store
            .mentions(phrase, &Filters::default(), Matching::Loose)
            .unwrap();
        assert!(listed.total > 0, "{phrase}");
        let counted = store
            .count_mentions(
                phrase,
                &Filters::default(),
                Matching::Loose,
                Some(GroupBy::County),
            )
            .unwrap();
        assert_eq!(counted.total as usize, listed.total, "{phrase}");
        assert_eq!(
            counted.paragraphs as usize,
            listed.paragraphs.len(),
            "{phrase}"
        );
        assert_eq!(
            counted.groups.iter().map(|g| g.count).sum::<u64>(),
            counted.total
        );
    }
}

// ---------------------------------------------------------------------------------------
// --loose folds width, case and script; exact matching does not.

#[test]
fn loose_mentions_fold_width_case_and_script_and_exact_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir(&corpus).unwrap();
    let text = "某某县2023年法治政府建设年度报告\n\
        一、主要成效\n\
        1955年的档案与１９５５年的档案,ＡＢＣ和ABC和abc。\n\
        建成5G基站,5g网络覆盖,５Ｇ应用。\n\
        县人民调解委员会与調解委員會,調解委员会。\n\
        全角加号＋与半角加号+。\n";
    std::fs::write(corpus.join("a.txt"), text).unwrap();
    let index = dir.path().join("index");
    index_command(&corpus, &index).assert().success();
    let run = |args: &[&str]| -> Value {
        let output = fazhi()
            .arg("mentions")
            .args(args)
            .args(["--json", "--index"])
            .arg(&index)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}");
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let marked = |result: &Value| -> Vec<String> {
        let mut all = Vec::new();
        for paragraph in result["paragraphs"].as_array().unwrap() {
            all.extend(highlighted(paragraph));
        }
        all
    };
    for (phrase, exact, loose) in [
        ("1955年", vec!["1955年"], vec!["1955年", "１９５５年"]),
        (
            "１９５５年",
            vec!["１９５５年"],
            vec!["1955年", "１９５５年"],
        ),
        ("abc", vec!["abc"], vec!["ＡＢＣ", "ABC", "abc"]),
        ("5g", vec!["5g"], vec!["5G", "5g", "５Ｇ"]),
        (
            "调解委员会",
            vec!["调解委员会"],
            vec!["调解委员会", "調解委員會", "調解委员会"],
        ),
        (
            "調解委員會",
            vec!["調解委員會"],
            vec!["调解委员会", "調解委員會", "調解委员会"],
        ),
    ] {
        assert_eq!(marked(&run(&[phrase])), exact, "exact {phrase}");
        let result = run(&[phrase, "--loose"]);
        assert_eq!(marked(&result), loose, "--loose {phrase}");
        assert_eq!(result["total"], loose.len(), "--loose {phrase}");
        // Counted by group, the same number.
        let grouped = run(&[phrase, "--loose", "--by", "county"]);
        assert_eq!(
            grouped["groups"][0]["count"],
            loose.len(),
            "--loose --by {phrase}"
        );
    }
}

#[test]
fn loose_mentions_of_the_dev_corpus_find_every_width() {
    let Some(dev) = dev_index() else {
        eprintln!("skipped: no development corpus at ../shared/dev-corpus");
        return;
    };
    let store = fazhi::Index::open(&dev.index).expect("the dev index opens");
    let flat = FlatCorpus::new(&dev.reports);
    let occurrences = |phrase: &str| flat.text.matches(phrase).count();
    for (half, full) in [("1955年", "１９５５年"), ("2018年", "２０１８年")] {
        let both = occurrences(half) + occurrences(full);
        assert!(occurrences(full) > 0, "{full} is written in the dev corpus");
        for phrase in [half, full] {
            let loose = store
                .mentions(phrase, &Filters::default(), Matching::Loose)
                .unwrap();
            // Loose matching may also skip punctuation between letters: at least both.
            assert!(loose.total >= both, "{phrase}: {} < {both}", loose.total);
            let exact = store
                .mentions(phrase, &Filters::default(), Matching::Exact)
                .unwrap();
            assert_eq!(exact.total, occurrences(phrase), "{phrase}");
        }
    }
    let lower = store
        .mentions("5g", &Filters::default(), Matching::Loose)
        .unwrap();
    assert!(lower.total >= occurrences("5G"), "5g finds 5G");
}

/// A reader that stops early (`fazhi mentions 的 --csv | head -1`) ends fazhi quietly and
/// successfully, whatever the command and format, as ripgrep does.
#[test]
fn a_closed_pipe_ends_every_command_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let index = sample_index().to_str().unwrap().to_string();
    let commands: [&[&str]; 7] = [
        &["mentions", "的", "--csv"],
        &["mentions", "的", "--json"],
        &["mentions", "的"],
        &["search", "的", "--limit", "100000"],
        &["search", "的", "--limit", "100000", "--json"],
        &["reports"],
        &["mentions", "的", "--by", "county", "--csv"],
    ];
    for args in commands {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("fazhi"))
            .args(args)
            .args(["--index", &index])
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{args:?} printed nothing");
        // The reader is gone: what fazhi writes next meets a closed pipe.
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
}

/// `--csv --by` is the group table as CSV, its counts those of `--json --by`; every CSV
/// opens with a UTF-8 byte-order mark, so that spreadsheet programs show the Chinese.
#[test]
fn csv_with_by_is_the_group_table() {
    let output = fazhi()
        .args(["mentions", "枫桥经验", "--by", "county", "--csv", "--index"])
        .arg(sample_index())
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(output.stdout.starts_with("\u{feff}".as_bytes()));
    let mut reader = csv::Reader::from_reader(output.stdout.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["key", "count", "chars", "rate"]
    );
    let rows: Vec<(String, u64)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), r[1].parse().unwrap())
        })
        .collect();
    let groups = json(&["mentions", "枫桥经验", "--by", "county"])["groups"].clone();
    let expected: Vec<(String, u64)> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (text(g, "key").to_string(), g["count"].as_u64().unwrap()))
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(rows, expected);
}

/// A person sees the counts, then the first `--limit` mentions (20 unless asked), then
/// how many more there are; `--limit 0` shows every one.
#[test]
fn a_person_sees_the_first_mentions_and_how_many_more() {
    let phrase = "法治";
    let all = json(&["mentions", phrase]);
    let total = all["total"].as_u64().unwrap();
    assert!(total > 25, "the samples mention {phrase} often: {total}");
    let human = |extra: &[&str]| -> String {
        let output = fazhi()
            .args(["mentions", phrase])
            .args(extra)
            .arg("--index")
            .arg(sample_index())
            .output()
            .unwrap();
        assert!(output.status.success());
        String::from_utf8(output.stdout).unwrap()
    };
    // Each mention shown is one line in its context, marked once.
    let shown = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with("   ") && l.contains('【'))
            .count() as u64
    };
    let default = human(&[]);
    assert!(default.starts_with(&format!("{total} mentions of {phrase} in ")));
    assert_eq!(shown(&default), 20, "{default}");
    assert!(
        default.contains(&format!("… {} more mentions: `--limit 0`", total - 20)),
        "{default}"
    );
    let five = human(&["--limit", "5"]);
    assert_eq!(shown(&five), 5);
    let every = human(&["--limit", "0"]);
    assert_eq!(shown(&every), total);
    assert!(!every.contains("more mentions"));
    // With --by: the counts, the table, then the mentions shown.
    let by = human(&["--by", "county", "--limit", "3"]);
    assert_eq!(shown(&by), 3);
    assert!(by.contains("per 10k chars"));
}

/// A listing through the binary, read as (paragraph index in `flat`, ranges), by
/// paragraph; checks that it comes by report path and paragraph, each mention's ranges
/// left to right.
fn listed_occurrences(
    flat: &FlatCorpus<'_>,
    rows: impl Iterator<Item = (String, u32, Range<usize>)>,
) -> FlatOccurrences {
    let mut found: FlatOccurrences = Vec::new();
    let mut last: Option<(String, u32, usize)> = None;
    for (path, number, range) in rows {
        let here = (path, number, range.start);
        assert!(
            last.as_ref().is_none_or(|last| *last < here),
            "listed out of order: {last:?} then {here:?}"
        );
        let key = (here.0.as_str(), number);
        let index = *flat
            .index_of
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?} is not a paragraph of the corpus"));
        match found.last_mut() {
            Some((i, ranges)) if *i == index => ranges.push(range),
            _ => found.push((index, vec![range])),
        }
        last = Some(here);
    }
    found.sort_by_key(|(index, _)| *index);
    found
}

#[test]
fn streamed_listings_of_frequent_phrases_equal_the_scan_and_the_counts() {
    let Some(dev) = dev_index() else {
        eprintln!("skipped: no development corpus at ../shared/dev-corpus");
        return;
    };
    let store = fazhi::Index::open(&dev.index).expect("the dev index opens");
    let flat = FlatCorpus::new(&dev.reports);
    let scratch = tempfile::tempdir().unwrap();
    for (phrase, format) in [("的", "--csv"), ("人民", "--json"), ("、", "--csv")] {
        let expected = flat.scan(phrase);
        let mentions: usize = expected.iter().map(|(_, r)| r.len()).sum();
        assert!(mentions > 10_000, "{phrase} is frequent: {mentions}");
        let counted = store
            .count_mentions(phrase, &Filters::default(), Matching::Exact, None)
            .unwrap();
        assert_eq!(counted.total, mentions as u64, "{phrase}: counts");
        // The listing goes to a file, as a researcher saves it: read back row by row.
        let file = scratch.path().join("listing");
        let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("fazhi"))
            .args(["mentions", phrase, format, "--index"])
            .arg(&dev.index)
            .stdout(std::fs::File::create(&file).unwrap())
            .status()
            .unwrap();
        assert!(status.success(), "mentions {phrase} {format}");
        let actual = if format == "--csv" {
            let mut reader = csv::Reader::from_path(&file).unwrap();
            let headers = reader.headers().unwrap().clone();
            let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
            let (path, number, start, end, matched) = (
                column("path"),
                column("paragraph"),
                column("start"),
                column("end"),
                column("match"),
            );
            let rows = reader.into_records().map(|record| {
                let record = record.expect("a well-formed CSV row");
                assert_eq!(&record[matched], phrase);
                let range = record[start].parse().unwrap()..record[end].parse().unwrap();
                (
                    record[path].to_string(),
                    record[number].parse().unwrap(),
                    range,
                )
            });
            listed_occurrences(&flat, rows)
        } else {
            let listing: Value = serde_json::from_reader(std::io::BufReader::new(
                std::fs::File::open(&file).unwrap(),
            ))
            .expect("one JSON object");
            assert_eq!(listing["total"].as_u64(), Some(mentions as u64), "{phrase}");
            assert_eq!(
                listing["reports"].as_u64(),
                Some(counted.reports),
                "{phrase}"
            );
            let paragraphs = listing["paragraphs"].as_array().expect("paragraphs");
            let rows = paragraphs.iter().flat_map(|p| {
                let (path, number) = (
                    text(p, "path").to_string(),
                    p["paragraph"].as_u64().unwrap(),
                );
                p["highlights"].as_array().unwrap().iter().map(move |h| {
                    let range = h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize;
                    (path.clone(), number as u32, range)
                })
            });
            listed_occurrences(&flat, rows)
        };
        assert!(
            expected == actual,
            "mentions {phrase} {format}: {}",
            flat.first_difference(&expected, &actual)
        );
        eprintln!("dev corpus: mentions {phrase} {format} listed all {mentions} mentions");
    }
}

#[test]
fn counts_by_several_tags_at_once_equal_them_one_by_one() {
    let store = fazhi::Index::open(sample_index()).unwrap();
    let bys = [
        None,
        Some(GroupBy::Province),
        Some(GroupBy::Year),
        Some(GroupBy::Section),
        Some(GroupBy::Report),
    ];
    let some = Filters {
        year: Some("2021..2023".parse().unwrap()),
        ..Filters::default()
    };
    let mut compared = 0;
    for matching in [Matching::Exact, Matching::Loose] {
        for filters in [&Filters::default(), &some] {
            for phrase in ["法治", "调解", "人民法院"] {
                let together = store
                    .count_mentions_by(phrase, filters, matching, &bys)
                    .unwrap();
                assert_eq!(together.len(), bys.len());
                for (by, counts) in bys.iter().zip(&together) {
                    let alone = store
                        .count_mentions(phrase, filters, matching, *by)
                        .unwrap();
                    assert_eq!(counts, &alone, "{phrase} {matching:?} by {by:?}");
                }
                assert!(together[0].total > 0, "{phrase} {matching:?}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 12);
}
