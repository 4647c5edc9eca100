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
    let walker = WalkDir::new(corpus_dir)
        .follow_links(true)
        .sort_by_file_name()
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
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        files.push(CorpusFile {
            fs_path: entry.into_path(),
            path,
            size,
        });
    }
    Ok((files, skipped))
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
    fn a_missing_folder_is_an_error_naming_it() {
        let err = walk(Path::new("/no/such/corpus")).unwrap_err();
        assert!(err.to_string().contains("/no/such/corpus"));
    }
}
