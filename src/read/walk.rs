//! Walking the corpus folder: which files are reports, in a stable order.

use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

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

/// A report file as a walk meets it, lent to the visitor of the thread that met it (see
/// [`SharedWalk::take_part`]).
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
    let walk = SharedWalk::start(corpus_dir)?;
    let files = Mutex::new(Vec::new());
    walk.take_part(&|file: FoundFile<'_>| {
        let file = CorpusFile {
            fs_path: file.fs_path(),
            path: file.path.to_string(),
            size: file.size,
            modified: file.modified,
        };
        files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(file);
    });
    let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
    let mut skipped = walk.skipped();
    // Sorted once at the end, by path: comparing file names while walking would parse
    // them again at each comparison.
    files.sort_by_cached_key(|file| walk_order(&file.path));
    skipped.sort_by_cached_key(|file| walk_order(&file.path));
    Ok((files, skipped))
}

/// A walk of the corpus folder that several threads can take part in, each handing the
/// files it meets to a visitor of its own, as [`walk`] takes them: the folders met wait in
/// a queue for whichever thread is free. Nothing is kept of a file once visited.
///
/// Comparing the corpus with its index runs beside every search, on a thread of its own;
/// when the answer is ready first (a rare phrase), the answering thread joins the walk,
/// which is then most of the time the command takes.
pub struct SharedWalk {
    queue: Mutex<FolderQueue>,
    /// Signalled when a folder is queued or the walk is over.
    changed: Condvar,
}

/// The folders of a [`SharedWalk`] left to walk, and what it passed over.
struct FolderQueue {
    waiting: Vec<Folder>,
    /// Folders being walked: the walk is over when none is and none waits.
    walking: usize,
    skipped: Vec<SkippedFile>,
}

/// A folder to walk: where it is, its path relative to the corpus (empty for the corpus
/// itself), and the folders above it down to itself, by device and inode (a link back to
/// one of them is not followed).
struct Folder {
    fs_path: PathBuf,
    path: String,
    above: Vec<(u64, u64)>,
}

impl SharedWalk {
    /// A walk of `corpus_dir`, which must be a readable folder.
    pub fn start(corpus_dir: &Path) -> Result<SharedWalk> {
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
        let unreadable =
            |err: std::io::Error| corpus_error(CorpusProblem::Unreadable(err.to_string()));
        let root = std::fs::metadata(corpus_dir).map_err(unreadable)?;
        std::fs::read_dir(corpus_dir).map_err(unreadable)?;
        Ok(SharedWalk {
            queue: Mutex::new(FolderQueue {
                waiting: vec![Folder {
                    fs_path: corpus_dir.to_path_buf(),
                    path: String::new(),
                    above: vec![folder_id(&root)],
                }],
                walking: 0,
                skipped: Vec::new(),
            }),
            changed: Condvar::new(),
        })
    }

    /// Walks folders, calling `found` with each file taken, until the walk is over (on
    /// whichever thread walked the last folder): several threads may take part at once,
    /// and one that comes after the end returns at once.
    pub fn take_part(&self, found: &(impl Fn(FoundFile<'_>) + Sync)) {
        while let Some(folder) = self.next_folder() {
            // Counted as walked even when `found` panics, so that no thread waits for it.
            let _walked = Walked(self);
            self.folder(folder, found);
        }
    }

    /// What the walk passed over, unsorted.
    pub fn skipped(self) -> Vec<SkippedFile> {
        self.queue
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .skipped
    }

    fn lock(&self) -> MutexGuard<'_, FolderQueue> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next folder to walk, waiting while others are walked that may queue more;
    /// `None` once the walk is over.
    fn next_folder(&self) -> Option<Folder> {
        let mut queue = self.lock();
        loop {
            if let Some(folder) = queue.waiting.pop() {
                queue.walking += 1;
                return Some(folder);
            }
            if queue.walking == 0 {
                return None;
            }
            queue = self
                .changed
                .wait(queue)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Walks `folder`: visits its files, and queues the folders in it.
    fn folder(&self, folder: Folder, found: &impl Fn(FoundFile<'_>)) {
        let Folder {
            fs_path,
            mut path,
            above,
        } = folder;
        let entries = match std::fs::read_dir(&fs_path) {
            Ok(entries) => entries,
            Err(err) => return self.cannot_read(path, &err),
        };
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
                let meta = match followed.map_or_else(|| entry.metadata(), Ok) {
                    Ok(meta) => meta,
                    Err(err) => {
                        self.cannot_read(path.clone(), &err);
                        continue;
                    }
                };
                let id = folder_id(&meta);
                if above.contains(&id) {
                    self.skip(SkippedFile {
                        path: path.clone(),
                        reason: "cannot be read: it links back to a folder that holds it"
                            .to_string(),
                    });
                    continue;
                }
                let mut below = above.clone();
                below.push(id);
                // Opened when its turn comes: a folder waiting holds no file handle.
                self.lock().waiting.push(Folder {
                    fs_path: entry.path(),
                    path: path.clone(),
                    above: below,
                });
                self.changed.notify_one();
            } else if is_file {
                self.file(&entry, &name, &path, at_top, followed, found);
            }
        }
    }

    /// Visits the file `entry`, called `name`, at `path`, unless it is a manifest
    /// (`at_top`) or not a report; `followed` is what a link to it led to.
    fn file(
        &self,
        entry: &std::fs::DirEntry,
        name: &std::ffi::OsStr,
        path: &str,
        at_top: bool,
        followed: Option<std::fs::Metadata>,
        found: &impl Fn(FoundFile<'_>),
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
            self.skip(SkippedFile {
                path: path.to_string(),
                reason: format!("not a report (.{ext} files are not read)"),
            });
            return;
        }
        // Looked up from the open folder, not through the whole path.
        let metadata = followed.or_else(|| entry.metadata().ok());
        found(FoundFile {
            path,
            size: metadata.as_ref().map_or(0, |m| m.len()),
            modified: metadata.and_then(|m| m.modified().ok()),
            entry,
        });
    }

    fn cannot_read(&self, path: String, err: &std::io::Error) {
        self.skip(SkippedFile {
            path,
            reason: format!("cannot be read: {err}"),
        });
    }

    fn skip(&self, file: SkippedFile) {
        self.lock().skipped.push(file);
    }
}

/// A folder of a [`SharedWalk`] being walked, counted as walked when dropped.
struct Walked<'a>(&'a SharedWalk);

impl Drop for Walked<'_> {
    fn drop(&mut self) {
        let mut queue = self.0.lock();
        queue.walking -= 1;
        if queue.walking == 0 && queue.waiting.is_empty() {
            self.0.changed.notify_all();
        }
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
    fn threads_taking_part_in_one_walk_find_each_file_once() {
        let dir = tempfile::tempdir().unwrap();
        for folder in 0..12 {
            for depth in 0..3 {
                let nested: Vec<String> = (0..=depth)
                    .map(|level| format!("{folder}-{level}"))
                    .collect();
                let path = dir.path().join(nested.join("/"));
                std::fs::create_dir_all(&path).unwrap();
                for file in 0..5 {
                    std::fs::write(path.join(format!("{file}.txt")), "法治").unwrap();
                }
            }
        }
        std::fs::write(dir.path().join("README.md"), "说明").unwrap();
        let (files, skipped) = walk(dir.path()).unwrap();
        let expected: Vec<&str> = files.iter().map(|file| file.path.as_str()).collect();
        assert_eq!(expected.len(), 12 * 3 * 5);

        let shared = SharedWalk::start(dir.path()).unwrap();
        let found = Mutex::new(Vec::new());
        let visit = |file: FoundFile<'_>| found.lock().unwrap().push(file.path.to_string());
        std::thread::scope(|scope| {
            for _ in 0..4 {
                scope.spawn(|| shared.take_part(&visit));
            }
        });
        // A thread that comes after the end returns at once.
        shared.take_part(&visit);
        let mut found = found.into_inner().unwrap();
        found.sort_by_cached_key(|path| walk_order(path));
        assert_eq!(found, expected);
        assert_eq!(shared.skipped(), skipped);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let err = walk(Path::new("/no/such/corpus")).unwrap_err();
        assert!(err.to_string().contains("/no/such/corpus"));
    }
}
