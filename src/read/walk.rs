//! Walking the corpus folder: which files are reports, in a stable order.

use std::path::{Path, PathBuf};

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

/// A report file as a walk meets it, borrowed for a visit (see [`visit`]).
pub struct FoundFile<'a> {
    /// Its path relative to the corpus folder, `/`-separated.
    pub path: &'a str,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, where the file system keeps one.
    pub modified: Option<std::time::SystemTime>,
    entry: &'a std::fs::DirEntry,
}

impl FoundFile<'_> {
    /// Where to read it.
    pub fn fs_path(&self) -> PathBuf {
        self.entry.path()
    }
}

/// The corpus's files sorted by path, and those passed over with the reason.
///
/// Symbolic links are followed, a link back to a folder being walked excepted. Walked
/// with the standard library rather than walkdir: a search compares the corpus with its
/// index on every run, and walkdir finds each file's size and time through its whole
/// path, which the kernel resolves anew component by component; a folder's entries are
/// looked up from the open folder here (a quarter of the CPU time of a search for a rare
/// phrase on the dev corpus).
pub fn walk(corpus_dir: &Path) -> Result<(Vec<CorpusFile>, Vec<SkippedFile>)> {
    let mut files = Vec::new();
    let mut skipped = visit(corpus_dir, |file| {
        files.push(CorpusFile {
            fs_path: file.fs_path(),
            path: file.path.to_string(),
            size: file.size,
            modified: file.modified,
        })
    })?;
    // Sorted once at the end, by path: comparing file names while walking would parse
    // them again at each comparison.
    files.sort_by_cached_key(|file| walk_order(&file.path));
    skipped.sort_by_cached_key(|file| walk_order(&file.path));
    Ok((files, skipped))
}

/// Calls `found` with each of the files [`walk`] takes, in the order met, and returns
/// those passed over, unsorted. Nothing is kept of a file once visited: comparing the
/// corpus with its index, done on every search, needs no list of its files.
pub fn visit(corpus_dir: &Path, found: impl FnMut(FoundFile<'_>)) -> Result<Vec<SkippedFile>> {
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
    let root = std::fs::metadata(corpus_dir)
        .map_err(|err| corpus_error(CorpusProblem::Unreadable(err.to_string())))?;
    let entries = std::fs::read_dir(corpus_dir)
        .map_err(|err| corpus_error(CorpusProblem::Unreadable(err.to_string())))?;
    let mut walk = Walk {
        found,
        skipped: Vec::new(),
    };
    walk.folder(entries, &mut String::new(), &mut vec![folder_id(&root)]);
    Ok(walk.skipped)
}

/// A walk under way: what it does with each file, and what it has passed over.
struct Walk<F> {
    found: F,
    skipped: Vec<SkippedFile>,
}

impl<F: FnMut(FoundFile<'_>)> Walk<F> {
    /// Walks the folder whose `entries` are being read, at `path` (its path relative to
    /// the corpus, empty for the corpus itself; each entry's path is made there in turn,
    /// and `path` is left as it was) below the folders `above` (identified by device and
    /// inode, the corpus first, this folder last).
    fn folder(
        &mut self,
        entries: std::fs::ReadDir,
        path: &mut String,
        above: &mut Vec<(u64, u64)>,
    ) {
        let at_top = path.is_empty();
        let folder_end = path.len();
        for entry in entries {
            path.truncate(folder_end);
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => {
                    self.cannot_read(path.clone(), &err);
                    continue;
                }
            };
            let name = entry.file_name();
            if is_hidden(&name) {
                continue;
            }
            if !at_top {
                path.push('/');
            }
            path.push_str(&name.to_string_lossy());
            // The entry's type comes with the folder's listing; a link is followed.
            let kind = match entry.file_type() {
                Ok(kind) => kind,
                Err(err) => {
                    self.cannot_read(path.clone(), &err);
                    continue;
                }
            };
            let followed = if kind.is_symlink() {
                match std::fs::metadata(entry.path()) {
                    Ok(target) => Some(target),
                    Err(err) => {
                        self.cannot_read(path.clone(), &err);
                        continue;
                    }
                }
            } else {
                None
            };
            let is_dir = followed.as_ref().map_or(kind.is_dir(), |m| m.is_dir());
            let is_file = followed.as_ref().map_or(kind.is_file(), |m| m.is_file());
            if is_dir {
                let opened = followed
                    .map_or_else(|| entry.metadata(), Ok)
                    .and_then(|meta| Ok((meta, std::fs::read_dir(entry.path())?)));
                let (meta, entries) = match opened {
                    Ok(opened) => opened,
                    Err(err) => {
                        self.cannot_read(path.clone(), &err);
                        continue;
                    }
                };
                let id = folder_id(&meta);
                if above.contains(&id) {
                    self.skipped.push(SkippedFile {
                        path: path.clone(),
                        reason: "cannot be read: it links back to a folder that holds it"
                            .to_string(),
                    });
                    continue;
                }
                above.push(id);
                self.folder(entries, path, above);
                above.pop();
            } else if is_file {
                self.file(&entry, &name, path, at_top, followed);
            }
        }
        path.truncate(folder_end);
    }

    /// Visits the file `entry`, called `name`, at `path`, unless it is a manifest
    /// (`at_top`) or not a report; `followed` is what a link to it led to.
    fn file(
        &mut self,
        entry: &std::fs::DirEntry,
        name: &std::ffi::OsStr,
        path: &str,
        at_top: bool,
        followed: Option<std::fs::Metadata>,
    ) {
        if at_top && MANIFEST_FILES.iter().any(|manifest| name == *manifest) {
            return;
        }
        let extension = Path::new(name).extension().and_then(|e| e.to_str());
        let documentation = extension.and_then(|extension| {
            NOT_REPORT_EXTENSIONS
                .into_iter()
                .find(|ext| extension.eq_ignore_ascii_case(ext))
        });
        if let Some(ext) = documentation {
            self.skipped.push(SkippedFile {
                path: path.to_string(),
                reason: format!("not a report (.{ext} files are not read)"),
            });
            return;
        }
        // Looked up from the open folder, not through the whole path.
        let metadata = followed.or_else(|| entry.metadata().ok());
        (self.found)(FoundFile {
            path,
            size: metadata.as_ref().map_or(0, |m| m.len()),
            modified: metadata.and_then(|m| m.modified().ok()),
            entry,
        });
    }

    fn cannot_read(&mut self, path: String, err: &std::io::Error) {
        self.skipped.push(SkippedFile {
            path,
            reason: format!("cannot be read: {err}"),
        });
    }
}

/// A folder's device and inode: what a link back to it shares with it.
fn folder_id(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
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

    /// What walkdir, following links, finds in `dir`: the files a walk takes or passes over
    /// (all but the manifests), with their sizes and times; folders that link back to their
    /// own are left out.
    fn as_walkdir_finds(dir: &Path) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
        let mut found: Vec<_> = walkdir::WalkDir::new(dir)
            .follow_links(true)
            .into_iter()
            .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()))
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_file())
            .filter(|entry| {
                let name = entry.file_name().to_string_lossy();
                entry.depth() > 1 || !MANIFEST_FILES.contains(&name.as_ref())
            })
            .map(|entry| {
                let meta = entry.metadata().unwrap();
                let path = entry.path().strip_prefix(dir).unwrap();
                (
                    path.to_string_lossy().into_owned(),
                    meta.len(),
                    meta.modified().ok(),
                )
            })
            .collect();
        found.sort();
        found
    }

    /// What `walk` finds in `dir`, taken or passed over, as [`as_walkdir_finds`] puts it;
    /// the skipped files are looked up again for their sizes and times.
    fn as_walk_finds(dir: &Path) -> Vec<(String, u64, Option<std::time::SystemTime>)> {
        let (files, skipped) = walk(dir).unwrap();
        let mut found: Vec<_> = files
            .into_iter()
            .map(|file| (file.path, file.size, file.modified))
            .chain(skipped.into_iter().filter_map(|file| {
                let meta = std::fs::metadata(dir.join(&file.path)).ok()?;
                meta.is_file()
                    .then(|| (file.path, meta.len(), meta.modified().ok()))
            }))
            .collect();
        found.sort();
        found
    }

    #[test]
    fn finds_what_walkdir_finds_following_links() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let write = |name: &str, text: &str| {
            let path = root.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("a/2021.txt", "甲");
        write("a/b/2022.html", "乙乙");
        write("a/.hidden/2023.txt", "丙");
        write(".git/config", "x");
        write("README.md", "说明");
        write("fazhi.csv", "file,county\n");
        write("elsewhere/2024.txt", "丁丁丁");
        use std::os::unix::fs::symlink;
        symlink(root.join("elsewhere"), root.join("linked")).unwrap();
        symlink(root.join("a/2021.txt"), root.join("copy.txt")).unwrap();
        symlink(root.join("gone.txt"), root.join("broken.txt")).unwrap();
        symlink(root.join("a"), root.join("a/b/back")).unwrap();
        let found = as_walk_finds(root);
        assert!(
            found.iter().any(|f| f.0 == "linked/2024.txt")
                && found.iter().any(|f| f.0 == "copy.txt"),
            "{found:?}"
        );
        assert_eq!(found, as_walkdir_finds(root));
        let (_, skipped) = walk(root).unwrap();
        let reason = |path: &str| {
            skipped
                .iter()
                .find(|file| file.path == path)
                .map(|file| file.reason.clone())
        };
        assert!(reason("broken.txt").is_some_and(|r| r.starts_with("cannot be read")));
        assert!(reason("a/b/back").is_some_and(|r| r.contains("links back")));
        assert!(reason("README.md").is_some_and(|r| r.starts_with("not a report")));
    }

    #[test]
    fn finds_what_walkdir_finds_in_the_dev_corpus() {
        let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-corpus");
        if !docs.is_dir() {
            eprintln!("skipped: no dev corpus at {}", docs.display());
            return;
        }
        let found = as_walk_finds(&docs);
        assert!(found.len() > 1000, "{} files", found.len());
        assert_eq!(found, as_walkdir_finds(&docs));
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let err = walk(Path::new("/no/such/corpus")).unwrap_err();
        assert!(err.to_string().contains("/no/such/corpus"));
    }
}
