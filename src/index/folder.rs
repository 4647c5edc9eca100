//! An index folder: creating and opening it, its format stamp, the writer lock, and what
//! may be deleted when it is rebuilt.

use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::store::Compressor;
use tantivy::{
    Index, IndexBuilder, IndexReader, IndexSettings, ReloadPolicy, SegmentPlugin, TantivyError,
};

use crate::error::{Error, FolderProblem, IndexProblem, Result};
use crate::index::char_index::{self, CharIndexPlugin};
use crate::index::damage::{broken, guard};
use crate::index::listing::LISTING_FILE;
use crate::index::paragraph_text::{self, ParagraphTextPlugin};
use crate::index::schema::{Fields, INDEX_FORMAT, LINE_OFFSET_FIELD, SECTION_FIELD, TEXT_FIELD};
use crate::index::stage_clock::TimedPlugin;
use crate::index::word_index::{WordField, WordIndexPlugin};

/// The file an index folder may hold besides the index: it says what the folder is
/// (committed with the project's default `index/`), and a rebuild leaves it alone.
pub const README: &str = "README.md";

/// What fazhi writes into every commit, to recognise its own indexes and their format.
#[derive(Debug, Serialize, Deserialize)]
pub struct CommitStamp {
    /// The index layout version, [`INDEX_FORMAT`] when written by this build.
    pub fazhi_index_format: u32,
}

impl CommitStamp {
    /// The stamp of this build's format, as the commit payload string.
    pub fn current() -> String {
        serde_json::to_string(&CommitStamp {
            fazhi_index_format: INDEX_FORMAT,
        })
        .expect("a stamp always serializes")
    }
}

/// How often opening is tried again when a concurrent `fazhi index` committed meanwhile.
const OPEN_ATTEMPTS: usize = 5;

/// Opens the index in `dir` with a reader over its last commit, checking that it is a fazhi
/// index of this format and that every file of its segments is there and whole.
///
/// Opening the reader opens every segment file, and tantivy checks each file's footer on
/// opening, so a deleted or truncated file is found here, as an error, rather than by a
/// search later. A `fazhi index` running in another process may commit and delete the
/// files of the commit being opened: then the new commit is opened instead.
pub fn open_checked(dir: &Path) -> Result<(Index, IndexReader)> {
    let mut attempt = 0;
    loop {
        let meta_before = std::fs::read(dir.join("meta.json")).ok();
        match try_open(dir) {
            Ok(opened) => return Ok(opened),
            Err(err) => {
                attempt += 1;
                let meta_after = std::fs::read(dir.join("meta.json")).ok();
                if attempt >= OPEN_ATTEMPTS || meta_before == meta_after {
                    return Err(err);
                }
            }
        }
    }
}

fn try_open(dir: &Path) -> Result<(Index, IndexReader)> {
    guard(dir, || {
        let index = open_index(dir)?;
        check_format(dir, &index)?;
        // Reloaded by the reader's owner when the commit changes (see `commit_mark`): no
        // watcher thread for a command that runs one search.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok((index, reader))
    })
}

/// What the last commit of the index in `dir` looks like from outside: every commit
/// replaces `meta.json` (written aside, then renamed), so a new commit changes this mark.
/// `None` when there is no `meta.json` to look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitMark {
    modified: Option<std::time::SystemTime>,
    inode: u64,
    len: u64,
}

impl CommitMark {
    /// The mark of the index in `dir` now.
    pub fn of(dir: &Path) -> Option<CommitMark> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(dir.join("meta.json")).ok()?;
        Some(CommitMark {
            modified: meta.modified().ok(),
            inode: meta.ino(),
            len: meta.len(),
        })
    }
}

/// Refuses an index written by another fazhi format (or not by fazhi at all).
///
/// An index that was created but never committed (the first `fazhi index` into it was
/// killed, or is still running) has no stamp and no segments: it is fazhi's, and empty.
pub fn check_format(dir: &Path, index: &Index) -> Result<()> {
    let metas = index.load_metas().map_err(|err| broken(dir, err))?;
    if metas.payload.is_none() && metas.segments.is_empty() && metas.opstamp == 0 {
        return Ok(());
    }
    let stamp = metas
        .payload
        .as_deref()
        .and_then(|payload| serde_json::from_str::<CommitStamp>(payload).ok());
    match stamp {
        Some(stamp) if stamp.fazhi_index_format == INDEX_FORMAT => Ok(()),
        Some(stamp) => Err(Error::BrokenIndex {
            path: dir.to_path_buf(),
            problem: IndexProblem::OtherFormat {
                found: stamp.fazhi_index_format,
                expected: INDEX_FORMAT,
            },
        }),
        None => Err(Error::BrokenIndex {
            path: dir.to_path_buf(),
            problem: IndexProblem::NoFormatStamp,
        }),
    }
}

/// Maps tantivy's writer-lock failure to [`Error::IndexLocked`], other errors unchanged.
pub fn lock_error(dir: &Path, err: TantivyError) -> Error {
    match err {
        TantivyError::LockFailure(..) => Error::IndexLocked {
            path: dir.to_path_buf(),
        },
        other => broken(dir, other),
    }
}

/// A builder of a new fazhi index: its schema and its plugins (the word indexes, the
/// character index and the paragraph texts), which an index records at creation and
/// needs from then on.
pub fn index_builder() -> IndexBuilder {
    let mut builder = Index::builder().schema(Fields::build().0);
    for plugin in plugins() {
        builder = builder.register_plugin(plugin);
    }
    builder
}

/// A new fazhi index in memory, its fields, and a writer with one indexing thread: what the
/// plugins' and queries' unit tests index into.
#[cfg(test)]
pub fn index_in_ram() -> (Index, crate::index::schema::Fields, tantivy::IndexWriter) {
    let index = index_builder().create_in_ram().expect("an index in memory");
    let fields = crate::index::schema::Fields::of(&index.schema()).expect("fazhi's schema");
    let writer = index
        .writer_with_num_threads(1, 50_000_000)
        .expect("a writer of one thread");
    (index, fields, writer)
}

/// fazhi's segment plugins, in the order tantivy runs them. The timed character index
/// comes after the word indexes: tantivy serializes a segment's custom plugins in this
/// order, and the timer reads the indexing thread's clock when the last is done.
fn plugins() -> [Arc<dyn SegmentPlugin>; 4] {
    [
        Arc::new(WordIndexPlugin::of(WordField::Text)),
        Arc::new(WordIndexPlugin::of(WordField::Heading)),
        char_index_plugin(),
        paragraph_text_plugin(),
    ]
}

/// The character index plugin, told which fields it reads, and timed (which also times
/// tantivy's indexing threads).
fn char_index_plugin() -> Arc<TimedPlugin<CharIndexPlugin>> {
    Arc::new(TimedPlugin::new(CharIndexPlugin::for_fields(
        TEXT_FIELD,
        LINE_OFFSET_FIELD,
    )))
}

/// The paragraph texts plugin, told which fields it keeps. Its time counts with tantivy's
/// own writing, where the stored text's used to.
fn paragraph_text_plugin() -> Arc<ParagraphTextPlugin> {
    Arc::new(ParagraphTextPlugin::for_fields(TEXT_FIELD, SECTION_FIELD))
}

/// Opens the fazhi index in `dir` with everything it needs to be searched or written.
pub fn open_index(dir: &Path) -> tantivy::Result<Index> {
    let mut index = Index::open_in_dir(dir)?;
    for plugin in plugins() {
        index.register_plugin(plugin);
    }
    Ok(index)
}

/// True when `dir` holds a tantivy index (finished at least once).
pub fn index_exists(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// Opens the index in `dir`, or creates it when there is none (or when a broken one is
/// to be rebuilt: there is nothing left to keep in it).
pub fn open_or_create(dir: &Path, rebuild: bool) -> Result<Index> {
    if index_exists(dir) {
        match open_checked(dir) {
            Ok((index, _reader)) => return Ok(index),
            Err(err) if !rebuild => return Err(err),
            Err(_) => remove_index_files(dir)?,
        }
    }
    check_index_folder(dir)?;
    if !dir.is_dir() {
        std::fs::create_dir(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    // LZ4 rather than zstd (level 3): on the dev corpus the index grows from 1.49 to 1.66
    // times the input, but compressing takes 0.26 CPU seconds less of a 10.8 s build, and
    // listing every mention of a common word, which reads most of the store back, takes
    // a fifth less CPU time (zstd created a new context for every block). An index
    // written with zstd stays readable: each store file names its compressor.
    let settings = IndexSettings {
        docstore_compression: Compressor::Lz4,
        // Larger blocks compress better; a hit then decompresses 64 KB, a fraction of a ms.
        docstore_blocksize: 64 * 1024,
        ..IndexSettings::default()
    };
    let index = index_builder()
        .settings(settings)
        .create_in_dir(dir)
        .map_err(|err| match err {
            TantivyError::IndexAlreadyExists => Error::BrokenIndex {
                path: dir.to_path_buf(),
                problem: IndexProblem::LeftoverFiles,
            },
            other => other.into(),
        })?;
    Ok(index)
}

/// The name of a file in `dir` that no index writes (README.md aside), if there is one:
/// a folder holding such a file is the user's, and fazhi neither writes into it nor
/// deletes from it.
fn foreign_file(dir: &Path) -> Result<Option<String>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let is_index_file = |name: &str| {
        name == README
            || name == LISTING_FILE
            || name.starts_with(&format!(".{LISTING_FILE}"))
            || name == "meta.json"
            || name == ".managed.json"
            || name.starts_with(".tantivy")
            // tantivy writes meta.json through a temporary file: a run killed then leaves it.
            || name.starts_with(".tmp")
            || name.ends_with(".idx")
            || name.ends_with(".pos")
            || name.ends_with(".term")
            || name.ends_with(".store")
            || name.ends_with(".fast")
            || name.ends_with(".fieldnorm")
            || name.ends_with(".del")
            || name.ends_with(&format!(".{}", char_index::EXTENSION))
            || name.ends_with(&format!(".{}", paragraph_text::EXTENSION))
            || [WordField::Text, WordField::Heading]
                .iter()
                .any(|words| name.ends_with(&format!(".{}", words.extension())))
    };
    Ok(entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| !is_index_file(name)))
}

/// Refuses `dir` as the place of a new index unless it is an empty or missing folder
/// (whose parent exists) or holds only what an unfinished index left: a mistyped
/// `--index` must never scatter index files among a user's files or create folders the
/// user did not ask for.
pub fn check_index_folder(dir: &Path) -> Result<()> {
    let refuse = |problem: FolderProblem| {
        Err(Error::NotAnIndexFolder {
            path: dir.to_path_buf(),
            problem,
        })
    };
    if dir.is_dir() {
        return match foreign_file(dir)? {
            Some(name) => refuse(FolderProblem::HoldsOtherFiles(name)),
            None => Ok(()),
        };
    }
    if dir.exists() {
        return refuse(FolderProblem::IsAFile);
    }
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return refuse(FolderProblem::MissingParent);
    }
    Ok(())
}

/// Deletes what a broken index left in `dir`, refusing folders that hold anything but
/// index files, so that a mistyped `--index` never deletes a user's documents.
fn remove_index_files(dir: &Path) -> Result<()> {
    check_index_folder(dir)?;
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)?.filter_map(|e| e.ok()) {
        if entry.file_name() != README {
            std::fs::remove_file(entry.path()).map_err(io)?;
        }
    }
    Ok(())
}
