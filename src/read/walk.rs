//! Walking the corpus folder: which files are reports, in a stable order.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::error::{CorpusProblem, Error, Result};
use crate::read::manifest::MANIFEST_FILES;

/// One file found in the corpus folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFile {
    /// Where to read it.
    pub fs_path: PathBuf,
    /// Its path relative to the corpus folder, `/`-separated: the report's key in the index.
    pub path: String,
    /// Its size in bytes when walked.
    pub size: u64,
    /// Its modification time when walked, where the file system keeps one.
    pub modified: Option<std::time::SystemTime>,
}

/// A file of the corpus folder that is not read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SkippedFile {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Why it was not indexed.
    pub reason: String,
}

/// Extensions of documentation that sits beside reports and is not one (SOURCE.md, README).
const NOT_REPORT_EXTENSIONS: [&str; 4] = ["md", "json", "toml", "csv"];

/// The corpus's files sorted by path, and those passed over with the reason.
pub fn walk(corpus_dir: &Path) -> Result<(Vec<CorpusFile>, Vec<SkippedFile>)> {
    let corpus_error = |problem: CorpusProblem| Error::Corpus {
        path: corpus_dir.to_path_buf(),
        problem,
    };
    if !corpus_dir.exists() {
        return Err(corpus_error(CorpusProblem::Missing));
    }
    if !corpus_dir.is_dir() {
        return Err(corpus_error(CorpusProblem::NotAFolder));
    }
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    // Sorted once at the end, by path: walkdir's sort_by_file_name parses both paths'
    // file names at each comparison, the largest cost of a walk over thousands of files.
    let walker = WalkDir::new(corpus_dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err
                    .path()
                    .map(|p| relative(corpus_dir, p))
                    .unwrap_or_default();
                if path.is_empty() {
                    return Err(corpus_error(CorpusProblem::Unreadable(err.to_string())));
                }
                skipped.push(SkippedFile {
                    path,
                    reason: format!("cannot be read: {err}"),
                });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let path = relative(corpus_dir, entry.path());
        if entry.depth() == 1 && MANIFEST_FILES.contains(&path.as_str()) {
            continue;
        }
        let extension = entry
            .path()
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        if let Some(ext) = extension.filter(|e| NOT_REPORT_EXTENSIONS.contains(&e.as_str())) {
            skipped.push(SkippedFile {
                path,
                reason: format!("not a report (.{ext} files are not read)"),
            });
            continue;
        }
        let metadata = entry.metadata().ok();
        files.push(CorpusFile {
            fs_path: entry.into_path(),
            path,
            size: metadata.as_ref().map_or(0, |m| m.len()),
            modified: metadata.and_then(|m| m.modified().ok()),
        });
    }
    files.sort_by_cached_key(|file| walk_order(&file.path));
    skipped.sort_by_cached_key(|file| walk_order(&file.path));
    Ok((files, skipped))
}

/// The key that orders relative paths folder by folder, names in byte order (`a/b.txt`
/// before `a.txt`), as a walk sorted by file name visits them: the separator sorts first.
fn walk_order(path: &str) -> Vec<u8> {
    path.bytes()
        .map(|b| if b == b'/' { 0 } else { b })
        .collect()
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

fn relative(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_the_bundled_corpus_in_order() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let (files, skipped) = walk(&dir).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names.len(), 5);
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        assert!(names[0].starts_with("000_"));
        assert!(skipped.iter().any(|s| s.path == "SOURCE.md"));
    }

    #[test]
    fn files_come_folder_by_folder_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.txt", "a/b.txt", "a/a/z.txt", "b.txt", "a-z.txt"] {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "text").unwrap();
        }
        let (files, _) = walk(dir.path()).unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, ["a/a/z.txt", "a/b.txt", "a-z.txt", "a.txt", "b.txt"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let err = walk(Path::new("/no/such/corpus")).unwrap_err();
        assert!(err.to_string().contains("/no/such/corpus"));
    }
}
