//! What the corpus folder held when the index was last built, kept beside the index, so
//! that a search can tell from names, sizes and modification times alone (never a re-hash)
//! that the corpus has changed since.
//!
//! The listing is written after the run's last commit. A run killed in between leaves the
//! previous listing: at worst a search then says the corpus changed when the index already
//! has the change, and the next `fazhi index` writes it anew.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use serde::Serialize;

use crate::read::manifest::MANIFEST_FILES;
use crate::read::walk::{CorpusFile, FoundFile, SharedWalk};

/// The listing's file in the index folder.
pub const LISTING_FILE: &str = "corpus-listing.tsv";

/// The corpus folder and its files as an indexing run saw them.
///
/// Kept as text, read on every search: the corpus folder on the first line, then a line
/// per file, `size TAB modified-nanoseconds-or-empty TAB path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusListing {
    /// The corpus folder, as an absolute path where it could be resolved.
    corpus: PathBuf,
    /// Report files and manifests, by path relative to the corpus.
    files: Vec<ListedFile>,
}

/// One file of a listing.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ListedFile {
    path: String,
    size: u64,
    /// Modification time in nanoseconds since the epoch, where the file system gives one.
    modified: Option<u64>,
}

/// How a corpus differs from what its index was built from, in files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CorpusChanges {
    /// The corpus folder the index was built from.
    pub corpus: PathBuf,
    /// Files the index has not seen.
    pub added: usize,
    /// Files whose size or modification time changed.
    pub changed: usize,
    /// Files the index has that are gone.
    pub removed: usize,
}

impl CorpusListing {
    /// The listing of `corpus`, whose report files were walked as `files`.
    pub fn of(corpus: &Path, files: &[CorpusFile]) -> CorpusListing {
        let mut listed: Vec<ListedFile> = files
            .iter()
            .map(|file| ListedFile {
                path: file.path.clone(),
                size: file.size,
                modified: nanos(file.modified),
            })
            .collect();
        listed.extend(manifests(corpus).map(|(name, size, modified)| ListedFile {
            path: name.to_string(),
            size,
            modified,
        }));
        CorpusListing {
            corpus: std::fs::canonicalize(corpus).unwrap_or_else(|_| corpus.to_path_buf()),
            files: listed,
        }
    }

    /// Writes the listing into the index folder `index`, replacing the previous one whole.
    pub fn write(&self, index: &Path) -> std::io::Result<()> {
        use std::fmt::Write;
        let mut text = format!("{}\n", self.corpus.to_string_lossy());
        for file in &self.files {
            let modified = file.modified.map(|m| m.to_string()).unwrap_or_default();
            let _ = writeln!(text, "{}\t{modified}\t{}", file.size, file.path);
        }
        let temporary = index.join(format!(".{LISTING_FILE}.tmp"));
        std::fs::write(&temporary, text)?;
        std::fs::rename(&temporary, index.join(LISTING_FILE))
    }

    /// The listing kept in the index folder `index`, if there is a readable one.
    pub fn read(index: &Path) -> Option<CorpusListing> {
        let text = std::fs::read_to_string(index.join(LISTING_FILE)).ok()?;
        let mut lines = text.lines();
        let corpus = PathBuf::from(lines.next()?);
        let files = lines
            .map(|line| {
                let mut fields = line.splitn(3, '\t');
                let size = fields.next()?.parse().ok()?;
                let modified = match fields.next()? {
                    "" => None,
                    nanos => Some(nanos.parse().ok()?),
                };
                let path = fields.next()?.to_string();
                Some(ListedFile {
                    path,
                    size,
                    modified,
                })
            })
            .collect::<Option<Vec<ListedFile>>>()?;
        Some(CorpusListing { corpus, files })
    }

    /// A comparison of the corpus folder with this listing, for one thread or several to
    /// walk ([`CorpusCheck::take_part`]); `None` when the folder cannot be walked (moved
    /// away, unreadable): then there is nothing to compare.
    pub fn check(self) -> Option<CorpusCheck> {
        let walk = SharedWalk::start(&self.corpus).ok()?;
        let before = self
            .files
            .into_iter()
            .map(|file| (file.path, (file.size, file.modified)))
            .collect();
        let check = CorpusCheck {
            corpus: self.corpus,
            before,
            walk,
            added: AtomicUsize::new(0),
            changed: AtomicUsize::new(0),
            seen: AtomicUsize::new(0),
        };
        for (name, size, modified) in manifests(&check.corpus) {
            check.compare(name, size, modified);
        }
        Some(check)
    }
}

/// A comparison under way of a corpus folder with the listing of the files its index was
/// built from: each file is compared as a walk meets it, with nothing kept of it.
///
/// It runs beside every search, on a thread of its own; a thread done with its answer
/// takes part in what is left of the walk, most of the time a rare phrase's answer
/// takes: a list of the corpus's files, sorted, was most of its own time once.
pub struct CorpusCheck {
    corpus: PathBuf,
    /// The listing's files: size and modification time, by path.
    before: HashMap<String, (u64, Option<u64>)>,
    walk: SharedWalk,
    // Counted from the walking threads.
    added: AtomicUsize,
    changed: AtomicUsize,
    seen: AtomicUsize,
}

impl CorpusCheck {
    /// Walks the corpus, comparing each file met with the listing, until the walk is over;
    /// several threads may take part at once.
    pub fn take_part(&self) {
        self.walk.take_part(&|file: FoundFile<'_>| {
            self.compare(file.path, file.size, nanos(file.modified))
        });
    }

    /// How the corpus differs from the listing, walking what is left of it on this
    /// thread first; `None` when it does not.
    pub fn changes(&self) -> Option<CorpusChanges> {
        self.take_part();
        let changes = CorpusChanges {
            corpus: self.corpus.clone(),
            added: self.added.load(Ordering::Relaxed),
            changed: self.changed.load(Ordering::Relaxed),
            removed: self.before.len() - self.seen.load(Ordering::Relaxed),
        };
        (changes.added + changes.changed + changes.removed > 0).then_some(changes)
    }

    fn compare(&self, path: &str, size: u64, modified: Option<u64>) {
        let count = |counter: &AtomicUsize| counter.fetch_add(1, Ordering::Relaxed);
        match self.before.get(path) {
            None => {
                count(&self.added);
            }
            Some(&listed) => {
                count(&self.seen);
                if listed != (size, modified) {
                    count(&self.changed);
                }
            }
        }
    }
}

/// The manifests in the corpus folder `corpus`, with their sizes and modification times:
/// a manifest edit changes reports' metadata as much as a report edit does.
fn manifests(corpus: &Path) -> impl Iterator<Item = (&'static str, u64, Option<u64>)> + '_ {
    MANIFEST_FILES.into_iter().filter_map(|name| {
        let meta = std::fs::metadata(corpus.join(name)).ok()?;
        Some((name, meta.len(), nanos(meta.modified().ok())))
    })
}

fn nanos(time: Option<std::time::SystemTime>) -> Option<u64> {
    let since = time?.duration_since(UNIX_EPOCH).ok()?;
    u64::try_from(since.as_nanos()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::walk;

    /// How the corpus differs from `listing`, walked on this thread alone.
    fn changes(listing: &CorpusListing) -> Option<CorpusChanges> {
        listing.clone().check()?.changes()
    }

    fn file(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn changes_count_added_changed_and_removed_files() {
        let corpus = tempfile::tempdir().unwrap();
        let index = tempfile::tempdir().unwrap();
        file(corpus.path(), "a.txt", "甲");
        file(corpus.path(), "b.txt", "乙");
        file(corpus.path(), "c.txt", "丙");
        let (files, _) = walk::walk(corpus.path()).unwrap();
        CorpusListing::of(corpus.path(), &files)
            .write(index.path())
            .unwrap();
        let listing = CorpusListing::read(index.path()).unwrap();
        assert_eq!(changes(&listing), None, "nothing changed yet");

        file(corpus.path(), "b.txt", "乙乙"); // another size
        std::fs::remove_file(corpus.path().join("c.txt")).unwrap();
        file(corpus.path(), "d.txt", "丁");
        file(corpus.path(), "fazhi.csv", "file,county\n"); // a manifest counts too
        let changes = changes(&listing).unwrap();
        assert_eq!((changes.added, changes.changed, changes.removed), (2, 1, 1));
    }

    #[test]
    fn a_corpus_that_is_gone_is_not_compared() {
        let corpus = tempfile::tempdir().unwrap();
        file(corpus.path(), "a.txt", "甲");
        let (files, _) = walk::walk(corpus.path()).unwrap();
        let listing = CorpusListing::of(corpus.path(), &files);
        drop(corpus);
        assert_eq!(changes(&listing), None);
    }
}
