//! Measures the chrome rules of the cleaning stage on a corpus folder: how many lines each
//! rule removes, a sample of them to read, and whether any sentence of the text was lost.
//!
//! ```sh
//! cargo run --release --example chrome_audit -- ../shared/dev-corpus [samples per rule]
//! ```
//!
//! A "sentence line" is a line with a sentence end (。！？；): report prose, which no rule
//! may remove. Every removed sentence line is printed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use fazhi::clean::{clean, Chrome};
use fazhi::source::decode_source;

const SENTENCE_ENDS: &[char] = &['。', '！', '？', '；'];

fn main() {
    let mut args = std::env::args().skip(1);
    let root = PathBuf::from(args.next().unwrap_or_else(|| "../shared/dev-corpus".into()));
    let samples: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(8);
    if !root.is_dir() {
        eprintln!("{} is not a folder; give the corpus folder", root.display());
        std::process::exit(2);
    }
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();

    let (mut lines_in, mut kept, mut sentences_in, mut sentences_kept) = (0, 0, 0, 0);
    let mut by_rule: BTreeMap<Chrome, Vec<(String, String)>> = BTreeMap::new();
    let mut files_read = 0;
    for path in &files {
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        let Ok(source) = decode_source(path, &bytes) else {
            continue;
        };
        files_read += 1;
        let cleaned = clean(&source.text);
        let name = path
            .strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string();
        lines_in += cleaned.lines.len() + cleaned.removed.len();
        kept += cleaned.lines.len();
        let is_sentence = |line: &str| line.contains(SENTENCE_ENDS);
        let kept_sentences = cleaned.lines.iter().filter(|l| is_sentence(l)).count();
        sentences_kept += kept_sentences;
        sentences_in += kept_sentences
            + cleaned
                .removed
                .iter()
                .filter(|(_, l)| is_sentence(l))
                .count();
        for (rule, line) in cleaned.removed {
            by_rule
                .entry(rule)
                .or_default()
                .push((name.clone(), line.to_string()));
        }
    }

    println!("{files_read} files, {lines_in} non-empty lines, {kept} kept as body");
    println!("sentence lines: {sentences_in} in the text, {sentences_kept} kept");
    println!("\nlines removed per rule:");
    for rule in Chrome::ALL {
        let removed = by_rule.get(&rule).map_or(0, Vec::len);
        let files = by_rule.get(&rule).map_or(0, |lines| {
            let mut names: Vec<&str> = lines.iter().map(|(f, _)| f.as_str()).collect();
            names.dedup();
            names.len()
        });
        println!("  {rule:?}: {removed} lines in {files} files");
    }
    for (rule, lines) in &by_rule {
        println!("\nsample of {rule:?}:");
        // Evenly spread over the list, so that one page's menu does not fill the sample.
        let step = (lines.len() / samples.max(1)).max(1);
        for (file, line) in lines.iter().step_by(step).take(samples) {
            let shown: String = line.chars().take(60).collect();
            println!("  {shown}    [{file}]");
        }
        for (file, line) in lines.iter().filter(|(_, l)| l.contains(SENTENCE_ENDS)) {
            println!("  SENTENCE REMOVED: {line}    [{file}]");
        }
    }
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, files);
        } else if path
            .extension()
            .is_some_and(|e| ["txt", "html", "htm"].iter().any(|x| e == *x))
        {
            files.push(path);
        }
    }
}
