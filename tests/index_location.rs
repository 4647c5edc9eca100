//! Where an index is built and read: a mistyped `--index` never creates folders, writes
//! among a user's files or builds an index the user did not ask for; and a search on an
//! index older than its corpus says so.

mod common;

use std::path::Path;

use common::{fazhi, index_command, sample_corpus, write};

/// Runs fazhi in `cwd` with `args`, expecting exit status 1 and one line on stderr, which
/// is returned.
fn refused_in(cwd: &Path, args: &[&str]) -> String {
    let output = fazhi().current_dir(cwd).args(args).output().unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?}");
    stderr
}

/// A folder with the bundled corpus as `corpus/`, as a fresh clone has it.
fn checkout_like() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("corpus")).unwrap();
    for entry in std::fs::read_dir(sample_corpus()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(
            entry.path(),
            dir.path().join("corpus").join(entry.file_name()),
        )
        .unwrap();
    }
    dir
}

#[test]
fn a_search_never_creates_missing_folders() {
    let cwd = checkout_like();
    let missing = cwd.path().join("no/such/place/idx");
    let stderr = refused_in(
        cwd.path(),
        &["search", "调解", "--index", missing.to_str().unwrap()],
    );
    assert!(stderr.contains("no index at"), "{stderr}");
    assert!(!cwd.path().join("no").exists(), "nothing is created");
    // Even with the corpus named, a folder whose parent is missing is not made up.
    let stderr = refused_in(
        cwd.path(),
        &[
            "search",
            "调解",
            "--corpus",
            "corpus",
            "--index",
            missing.to_str().unwrap(),
        ],
    );
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!cwd.path().join("no").exists());
}

#[test]
fn a_search_builds_only_where_the_user_asked_for_it() {
    let cwd = checkout_like();
    // --index alone: an index that is not there is not built from the default corpus.
    let stderr = refused_in(cwd.path(), &["search", "调解", "--index", "elsewhere"]);
    assert!(stderr.contains("no index at elsewhere"), "{stderr}");
    assert!(!cwd.path().join("elsewhere").exists());
    // With --corpus given, it is.
    let output = fazhi()
        .current_dir(cwd.path())
        .args([
            "search",
            "调解",
            "--index",
            "elsewhere",
            "--corpus",
            "corpus",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(cwd.path().join("elsewhere/meta.json").is_file());
    // And the defaults build index/ from corpus/, as the README's first command does.
    let output = fazhi()
        .current_dir(cwd.path())
        .args(["mentions", "枫桥经验"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert!(cwd.path().join("index/meta.json").is_file());
}

#[test]
fn a_file_given_as_the_index_is_refused_and_left_alone() {
    let cwd = checkout_like();
    write(cwd.path(), "README.md", "# my notes\n");
    for args in [
        &["search", "调解", "--index", "README.md"][..],
        &[
            "search",
            "调解",
            "--index",
            "README.md",
            "--corpus",
            "corpus",
        ],
        &["reports", "--index", "README.md"],
        &["index", "--index", "README.md"],
        &["index", "--rebuild", "--index", "README.md"],
    ] {
        let stderr = refused_in(cwd.path(), args);
        assert!(
            stderr.contains("README.md is not an index folder: it is a file"),
            "{stderr}"
        );
        assert!(stderr.contains("--index"), "{stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(cwd.path().join("README.md")).unwrap(),
        "# my notes\n"
    );
}

#[test]
fn a_folder_of_other_files_is_never_written_into() {
    let cwd = checkout_like();
    write(cwd.path(), "src/main.rs", "fn main() {}\n");
    write(cwd.path(), "src/lib.rs", "\n");
    for args in [
        &["index", "--index", "src"][..],
        &["index", "--rebuild", "--index", "src"],
        &["search", "调解", "--index", "src", "--corpus", "corpus"],
        &["search", "调解", "--index", "src"],
    ] {
        let stderr = refused_in(cwd.path(), args);
        assert!(
            stderr.contains("src is not an index folder: it holds"),
            "{stderr}"
        );
        assert!(
            stderr.contains(".rs, which is not an index file"),
            "{stderr}"
        );
    }
    let mut left: Vec<String> = std::fs::read_dir(cwd.path().join("src"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["lib.rs", "main.rs"],
        "nothing was written or deleted"
    );
}

#[test]
fn a_search_on_an_index_older_than_its_corpus_says_so_and_still_answers() {
    let cwd = checkout_like();
    let corpus = cwd.path().join("corpus");
    let index = cwd.path().join("idx");
    index_command(&corpus, &index).assert().success();
    let search = || {
        fazhi()
            .args(["search", "枫桥经验", "--index"])
            .arg(&index)
            .output()
            .unwrap()
    };
    let fresh = search();
    assert!(fresh.status.success());
    assert!(
        fresh.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    // One file added, one changed, one removed.
    write(
        &corpus,
        "005_new.txt",
        "某某县2023年法治政府建设年度报告\n一、主要举措\n新的段落。\n",
    );
    let changed = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("001_"))
        .unwrap();
    let mut text = std::fs::read_to_string(&changed).unwrap();
    text.push_str("\n追加的一段。\n");
    std::fs::write(&changed, text).unwrap();
    let removed = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with("002_"))
        .unwrap();
    std::fs::remove_file(removed).unwrap();

    for output in [
        search(),
        fazhi()
            .args(["mentions", "枫桥经验", "--index"])
            .arg(&index)
            .output()
            .unwrap(),
    ] {
        assert!(output.status.success());
        assert!(!output.stdout.is_empty(), "the answer still comes");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains("3 corpus files have changed since the index was built (1 added, 1 changed, 1 removed)"),
            "{stderr}"
        );
        assert!(stderr.contains("fazhi index"), "{stderr}");
    }
    // Once updated, the notice goes.
    index_command(&corpus, &index).assert().success();
    assert!(search().stderr.is_empty());
}
