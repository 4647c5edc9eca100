//! Index safety through the real binary: two writers at once, a run killed halfway, a
//! damaged index, an index of another format.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use common::{fazhi, index_command, json_at, sample_corpus, write};
use serde_json::Value;
use tantivy::collector::Count;
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

/// Copies of the samples made different by one sentence, so that none is a duplicate.
const COPIES: usize = 200;

/// Commit this often in the runs that are interrupted, so that a kill lands between commits.
const COMMIT_EVERY_BYTES: &str = "100000";

/// The sample reports, by file name.
fn samples() -> Vec<(String, String)> {
    let mut samples: Vec<(String, String)> = std::fs::read_dir(sample_corpus())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .map(|path| {
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            (name, std::fs::read_to_string(path).unwrap())
        })
        .collect();
    samples.sort();
    assert_eq!(samples.len(), 5);
    samples
}

/// A corpus of the samples and `COPIES` varied copies of each, under `copies/`.
fn big_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in samples() {
        write(dir.path(), &name, &text);
        let (head, tail) = text.split_at(text.find("。\n").expect("a sentence"));
        for copy in 0..COPIES {
            write(
                dir.path(),
                &format!("copies/{copy:03}_{name}"),
                format!("{head}本文是第{copy}号副本。{tail}"),
            );
        }
    }
    dir
}

/// Starts `fazhi index` in the background, committing often.
fn spawn_index(corpus: &Path, index: &Path) -> Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("fazhi"))
        .arg("index")
        .arg("--corpus")
        .arg(corpus)
        .arg("--index")
        .arg(index)
        .env("FAZHI_COMMIT_EVERY_BYTES", COMMIT_EVERY_BYTES)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Waits until `meta.json` in `index` has changed `commits` times from `before`, i.e. the
/// running `child` has committed; panics if the child ends first.
fn wait_for_commits(index: &Path, child: &mut Child, commits: usize) {
    let started = Instant::now();
    let mut last = std::fs::read(index.join("meta.json")).unwrap_or_default();
    let mut seen = 0;
    while seen < commits {
        assert!(
            child.try_wait().unwrap().is_none(),
            "indexing ended before {commits} commits: make the generated corpus bigger"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "no commit");
        let now = std::fs::read(index.join("meta.json")).unwrap_or_default();
        if now != last {
            seen += 1;
            last = now;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Checks that every report in `index` is whole (as many paragraph documents as its record
/// says, no paragraph without a record), and returns the reports with their paragraph counts.
fn whole_reports(index: &Path) -> Vec<(String, usize)> {
    let reports = fazhi::Index::open(index).unwrap().reports().unwrap();
    // The documents themselves, read with tantivy alone: what fazhi's handle would hide.
    let tantivy_index = tantivy::Index::open_in_dir(index).unwrap();
    let path_field = tantivy_index.schema().get_field("path").unwrap();
    let searcher = tantivy_index.reader().unwrap().searcher();
    let mut documents = 0;
    for report in &reports {
        let of_report = TermQuery::new(
            Term::from_field_text(path_field, &report.path),
            IndexRecordOption::Basic,
        );
        let count = searcher.search(&of_report, &Count).unwrap();
        assert_eq!(
            count,
            report.paragraphs + 1,
            "{}: the record says {} paragraphs",
            report.path,
            report.paragraphs
        );
        documents += count;
    }
    assert_eq!(
        searcher.num_docs() as usize,
        documents,
        "paragraphs without a report"
    );
    reports
        .into_iter()
        .map(|r| (r.path, r.paragraphs))
        .collect()
}

fn search_total(index: &Path, query: &str) -> u64 {
    json_at(index, &["search", query])["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_killed_run_leaves_the_last_commit_and_the_next_run_finishes_the_job() {
    let corpus = big_corpus();
    let index = tempfile::tempdir().unwrap();
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    let before = whole_reports(index.path());
    assert_eq!(before.len(), 5);
    let samples_total = search_total(index.path(), "枫桥经验");

    let mut run = spawn_index(corpus.path(), index.path());
    wait_for_commits(index.path(), &mut run, 3);
    run.kill().unwrap(); // SIGKILL
    run.wait().unwrap();

    let interrupted = whole_reports(index.path());
    let all = 5 * (COPIES + 1);
    eprintln!(
        "killed with {} of {all} reports committed",
        interrupted.len()
    );
    assert!(
        interrupted.len() > 5 && interrupted.len() < all,
        "killed halfway, yet {} reports",
        interrupted.len()
    );
    assert!(search_total(index.path(), "枫桥经验") >= samples_total);
    let listed = json_at(index.path(), &["reports"]);
    assert_eq!(
        listed["reports"].as_array().unwrap().len(),
        interrupted.len()
    );

    let resumed = json_at(
        index.path(),
        &["index", "--corpus", corpus.path().to_str().unwrap()],
    );
    assert_eq!(resumed["reports"], all, "{resumed}");
    assert_eq!(
        resumed["unchanged"].as_u64().unwrap() as usize,
        interrupted.len(),
        "what was committed is not read again"
    );
    assert_eq!(resumed["skipped"], Value::Array(vec![]));

    let fresh = tempfile::tempdir().unwrap();
    index_command(corpus.path(), fresh.path())
        .assert()
        .success();
    assert_eq!(whole_reports(index.path()), whole_reports(fresh.path()));
    assert_eq!(
        json_at(index.path(), &["reports"]),
        json_at(fresh.path(), &["reports"])
    );
    assert_eq!(
        json_at(index.path(), &["mentions", "枫桥经验"])["total"],
        json_at(fresh.path(), &["mentions", "枫桥经验"])["total"]
    );
}

#[test]
fn a_second_writer_is_refused_while_searches_keep_working() {
    let corpus = big_corpus();
    let index = tempfile::tempdir().unwrap();
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    let expected = search_total(index.path(), "枫桥经验");

    let mut run = spawn_index(corpus.path(), index.path());
    wait_for_commits(index.path(), &mut run, 1);
    let second = index_command(corpus.path(), index.path()).output().unwrap();
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert!(!second.status.success(), "{stderr}");
    assert!(
        stderr.contains("is being written by another fazhi process"),
        "{stderr}"
    );
    assert!(stderr.contains(index.path().to_str().unwrap()), "{stderr}");
    // Searches during the run see a whole commit each time, whichever.
    for _ in 0..5 {
        assert!(search_total(index.path(), "枫桥经验") >= expected);
        assert!(
            json_at(index.path(), &["reports"])["reports"]
                .as_array()
                .unwrap()
                .len()
                >= 5
        );
    }
    assert!(
        run.try_wait().unwrap().is_none(),
        "indexing ended before the checks: make the generated corpus bigger"
    );
    run.kill().unwrap();
    run.wait().unwrap();
}

/// A fresh index of the samples, for a test to damage.
fn sample_index_copy() -> tempfile::TempDir {
    let index = tempfile::tempdir().unwrap();
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    index
}

/// The segment files of the index in `dir`.
fn segment_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect();
    assert!(!files.is_empty(), "no .{extension} file");
    files
}

/// Every reading command refuses `index` with one line naming it and `--rebuild`, status 1.
fn refused_as_broken(index: &Path, says: &str) {
    let commands: [&[&str]; 4] = [
        &["search", "枫桥经验"],
        &["mentions", "枫桥经验"],
        &["reports"],
        &["index", "--corpus"],
    ];
    for args in commands {
        let mut command = fazhi();
        command.args(args);
        if args[0] == "index" {
            command.arg(sample_corpus());
        }
        let output = command.arg("--index").arg(index).output().unwrap();
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert_eq!(output.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("index at {}", index.display())),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("fazhi index --rebuild"),
            "{args:?}: {stderr}"
        );
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
}

/// Runs fazhi with `args` on the index in `index`: its exit code and what it wrote on
/// stderr.
fn run_on(index: &Path, args: &[&str]) -> (Option<i32>, String) {
    let output = fazhi()
        .args(args)
        .arg("--index")
        .arg(index)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

/// `fazhi index --rebuild` makes a damaged `index` whole again.
fn rebuild_works(index: &Path) {
    index_command(&sample_corpus(), index)
        .arg("--rebuild")
        .assert()
        .success();
    assert_eq!(whole_reports(index).len(), 5);
    assert_eq!(
        json_at(index, &["reports"]),
        json_at(common::sample_index(), &["reports"])
    );
    assert!(search_total(index, "枫桥经验") > 0);
}

#[test]
fn a_garbage_meta_json_is_reported_and_rebuilt() {
    let index = sample_index_copy();
    std::fs::write(index.path().join("meta.json"), "{\"segments\": [garbage").unwrap();
    refused_as_broken(index.path(), "cannot be read");
    rebuild_works(index.path());
}

#[test]
fn an_empty_meta_json_is_reported_and_rebuilt() {
    let index = sample_index_copy();
    std::fs::write(index.path().join("meta.json"), "").unwrap();
    refused_as_broken(index.path(), "cannot be read");
    rebuild_works(index.path());
}

#[test]
fn a_deleted_segment_file_is_reported_and_rebuilt() {
    for extension in ["store", "idx", "term"] {
        let index = sample_index_copy();
        std::fs::remove_file(&segment_files(index.path(), extension)[0]).unwrap();
        refused_as_broken(index.path(), "cannot be read");
        rebuild_works(index.path());
    }
}

#[test]
fn a_truncated_segment_file_is_reported_and_rebuilt() {
    for extension in ["store", "idx", "pos", "term", "fast", "fieldnorm"] {
        for keep in [0.0, 0.99] {
            let index = sample_index_copy();
            let file = &segment_files(index.path(), extension)[0];
            let bytes = std::fs::read(file).unwrap();
            std::fs::write(file, &bytes[..(bytes.len() as f64 * keep) as usize]).unwrap();
            refused_as_broken(index.path(), "cannot be read");
            rebuild_works(index.path());
        }
    }
}

#[test]
fn missing_or_truncated_paragraph_texts_are_reported_where_paragraphs_are_read() {
    // The paragraph texts are read by search, mentions and show, not by `reports` or
    // an update that changes nothing.
    for keep in [None, Some(0.0), Some(0.5), Some(0.99)] {
        let index = sample_index_copy();
        for file in segment_files(index.path(), "text") {
            match keep {
                None => std::fs::remove_file(&file).unwrap(),
                Some(keep) => {
                    let bytes = std::fs::read(&file).unwrap();
                    std::fs::write(&file, &bytes[..(bytes.len() as f64 * keep) as usize]).unwrap();
                }
            }
        }
        let commands: [&[&str]; 3] = [
            &["search", "枫桥经验"],
            &["mentions", "枫桥经验", "--csv"],
            &["show", "000_17297affa439b9c0.txt#3"],
        ];
        for args in commands {
            let (code, stderr) = run_on(index.path(), args);
            let case = format!("{args:?} with the texts kept to {keep:?}");
            assert_eq!(code, Some(1), "{case}: {stderr}");
            assert_eq!(stderr.trim_end().lines().count(), 1, "{case}: {stderr}");
            assert!(!stderr.contains("panicked"), "{case}: {stderr}");
            assert!(
                stderr.contains(&format!("index at {}", index.path().display())),
                "{case}: {stderr}"
            );
            assert!(stderr.contains("fazhi index --rebuild"), "{case}: {stderr}");
        }
        rebuild_works(index.path());
    }
}

#[test]
fn an_index_of_another_format_is_refused_with_a_rebuild_message() {
    let index = sample_index_copy();
    let meta_path = index.path().join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    let payload = meta["payload"].as_str().expect("a payload").to_string();
    assert!(payload.contains("fazhi_index_format"), "{payload}");
    meta["payload"] = Value::String("{\"fazhi_index_format\":999}".into());
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    refused_as_broken(index.path(), "it has index format 999");

    // An index written by something else altogether.
    meta["payload"] = Value::Null;
    std::fs::write(&meta_path, meta.to_string()).unwrap();
    refused_as_broken(index.path(), "no fazhi format stamp");
    rebuild_works(index.path());
}

#[test]
fn rebuild_refuses_a_folder_that_holds_other_files() {
    let index = sample_index_copy();
    std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
    write(index.path(), "notes.docx", "mine");
    let output = index_command(&sample_corpus(), index.path())
        .arg("--rebuild")
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("notes.docx"), "{stderr}");
    assert!(index.path().join("notes.docx").exists());
}

#[test]
fn an_index_never_committed_is_finished_by_the_next_run() {
    // What a first `fazhi index` killed before its first commit leaves: tantivy's files,
    // no segments, no format stamp.
    let index = tempfile::tempdir().unwrap();
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    let meta_path = index.path().join("meta.json");
    let mut meta: Value = serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    meta["segments"] = Value::Array(vec![]);
    meta["opstamp"] = Value::from(0);
    meta["payload"] = Value::Null;
    std::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
    let output = fazhi()
        .args(["reports", "--json", "--index"])
        .arg(index.path())
        .output()
        .unwrap();
    assert!(output.status.success());
    let reports: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(reports["reports"], Value::Array(vec![]));
    let notice = String::from_utf8(output.stderr).unwrap();
    assert!(notice.contains("holds no reports yet"), "{notice}");
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    assert_eq!(whole_reports(index.path()).len(), 5);
}

#[test]
fn a_first_run_killed_early_is_finished_by_the_next_run() {
    let corpus = big_corpus();
    let index = tempfile::tempdir().unwrap();
    let mut run = spawn_index(corpus.path(), index.path());
    // Killed as soon as tantivy has created the index, before any commit.
    let started = Instant::now();
    while !index.path().join("meta.json").exists() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no index created"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    run.kill().unwrap();
    run.wait().unwrap();
    let interrupted = whole_reports(index.path());
    assert!(interrupted.len() < 5 * (COPIES + 1));
    let summary = json_at(
        index.path(),
        &["index", "--corpus", corpus.path().to_str().unwrap()],
    );
    assert_eq!(summary["reports"], 5 * (COPIES + 1), "{summary}");
    assert_eq!(whole_reports(index.path()).len(), 5 * (COPIES + 1));
}

#[test]
fn bytes_overwritten_inside_segment_files_never_make_a_panic() {
    // tantivy checks footers, not contents: such damage may go unnoticed, but whatever a
    // command notices is a one-line message, never a panic or a backtrace.
    for extension in ["term", "fast", "store", "chars", "text"] {
        for at in [0.0, 0.1, 0.5] {
            let index = tempfile::tempdir().unwrap();
            index_command(&sample_corpus(), index.path())
                .args(["--threads", "1"])
                .assert()
                .success();
            let file = &segment_files(index.path(), extension)[0];
            let mut bytes = std::fs::read(file).unwrap();
            let start = (bytes.len() as f64 * at) as usize;
            let end = (start + 64).min(bytes.len().saturating_sub(64));
            for byte in &mut bytes[start..end] {
                *byte ^= 0xA5;
            }
            std::fs::write(file, bytes).unwrap();
            // `mentions 的 --csv` reads its paragraphs on several threads.
            let commands: [&[&str]; 4] = [
                &["search", "枫桥经验"],
                &["mentions", "法治"],
                &["mentions", "的", "--csv"],
                &["reports"],
            ];
            for args in commands {
                let (code, stderr) = run_on(index.path(), args);
                let case = format!("{args:?} on .{extension} damaged at {at}");
                assert!(!stderr.contains("panicked"), "{case}: {stderr}");
                if code != Some(0) {
                    assert_eq!(code, Some(1), "{case}: {stderr}");
                    assert_eq!(stderr.trim_end().lines().count(), 1, "{case}: {stderr}");
                    assert!(stderr.contains("fazhi index --rebuild"), "{case}: {stderr}");
                }
            }
            rebuild_works(index.path());
        }
    }
}

#[test]
fn the_index_folder_readme_is_built_around_and_kept_by_a_rebuild() {
    // The default `index/` is committed with a README saying what the folder is.
    let index = tempfile::tempdir().unwrap();
    let readme = "# index/\nBuilt by fazhi; safe to delete.\n";
    write(index.path(), "README.md", readme);
    index_command(&sample_corpus(), index.path())
        .assert()
        .success();
    assert_eq!(whole_reports(index.path()).len(), 5);
    // A damaged index beside the README is rebuilt, and the README stays as it was.
    std::fs::write(index.path().join("meta.json"), "garbage").unwrap();
    index_command(&sample_corpus(), index.path())
        .arg("--rebuild")
        .assert()
        .success();
    assert_eq!(whole_reports(index.path()).len(), 5);
    assert_eq!(
        std::fs::read_to_string(index.path().join("README.md")).unwrap(),
        readme
    );
}
