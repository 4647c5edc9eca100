//! Helpers shared by the integration tests: the real binary, run on the real corpus.
#![allow(dead_code)] // each test binary uses its own subset

pub mod server;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use serde_json::Value;

/// The repository's bundled corpus of five sample reports.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The shared development corpus, when this checkout sits beside `shared/`.
pub fn dev_corpus() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-corpus");
    dir.is_dir().then_some(dir)
}

/// The `fazhi` binary built by cargo for this test run.
pub fn fazhi() -> Command {
    let mut command = Command::cargo_bin("fazhi").expect("the fazhi binary is built");
    command.env("NO_COLOR", "1");
    command
}

/// `fazhi index` of `corpus` into `index`; more arguments may follow.
pub fn index_command(corpus: &Path, index: &Path) -> Command {
    let mut command = fazhi();
    command
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index);
    command
}

/// An index of the sample corpus, built once per test binary by `fazhi index`.
pub fn sample_index() -> &'static Path {
    static INDEX: OnceLock<tempfile::TempDir> = OnceLock::new();
    INDEX
        .get_or_init(|| {
            let dir = tempfile::tempdir().expect("a temporary folder");
            fazhi()
                .arg("index")
                .arg("--corpus")
                .arg(sample_corpus())
                .arg("--index")
                .arg(dir.path())
                .assert()
                .success();
            dir
        })
        .path()
}

/// Runs fazhi with `args` on the sample index and parses its JSON output.
pub fn json(args: &[&str]) -> Value {
    json_at(sample_index(), args)
}

/// The text of a JSON string field, or "" when absent.
pub fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value[field].as_str().unwrap_or("")
}

/// The `[start, end)` highlight ranges of a hit, as the substrings of its text they cover.
pub fn highlighted(hit: &Value) -> Vec<String> {
    let text = text(hit, "text");
    hit["highlights"]
        .as_array()
        .expect("highlights")
        .iter()
        .map(|range| {
            let start = range[0].as_u64().expect("start") as usize;
            let end = range[1].as_u64().expect("end") as usize;
            assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
            text[start..end].to_string()
        })
        .collect()
}

/// Writes `contents` to `dir/relative`, creating the folders on the way.
pub fn write(dir: &Path, relative: &str, contents: impl AsRef<[u8]>) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("mkdir");
    std::fs::write(path, contents).expect("write");
}

/// Runs fazhi with `args` on the index in `index` and parses its JSON output.
pub fn json_at(index: &Path, args: &[&str]) -> Value {
    let output = fazhi()
        .args(args)
        .arg("--json")
        .arg("--index")
        .arg(index)
        .output()
        .expect("fazhi runs");
    assert!(
        output.status.success(),
        "fazhi {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("fazhi printed JSON")
}
