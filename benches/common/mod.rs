//! What both benches need: where the corpora are, and building an index of one.
#![allow(dead_code)] // each bench uses its own subset

use std::path::{Path, PathBuf};

use fazhi::{build_index, IndexOptions, IndexSummary, NoProgress};
use tempfile::TempDir;

/// The sub-corpora of the dev corpus; each keeps its reports in a `docs` folder.
const DEV_PARTS: [&str; 3] = ["shenzhen", "national", "laws"];

/// The five-report sample corpus bundled with the repository.
pub fn sample_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// The `docs` folders of the dev corpus (`../shared/dev-corpus`, or `$FAZHI_DEV_CORPUS`),
/// or a line saying where it was looked for.
pub fn dev_corpus_docs() -> Result<Vec<PathBuf>, String> {
    let root = std::env::var_os("FAZHI_DEV_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-corpus"));
    let docs: Vec<PathBuf> = DEV_PARTS
        .iter()
        .map(|part| root.join(part).join("docs"))
        .collect();
    if docs.iter().all(|dir| dir.is_dir()) {
        Ok(docs)
    } else {
        Err(format!("dev corpus not found at {}", root.display()))
    }
}

/// A corpus folder made of symlinks to `docs`, one per folder named after its sub-corpus.
///
/// The dev corpus root cannot be indexed as it is: its `.tsv` metadata tables would be read
/// as reports. The index walker follows the links.
pub fn linked_corpus(docs: &[PathBuf]) -> TempDir {
    let dir = tempfile::tempdir().expect("create a temp corpus folder");
    for docs_dir in docs {
        let part = docs_dir
            .parent()
            .and_then(Path::file_name)
            .expect("a docs folder has a named parent");
        let target = docs_dir.canonicalize().expect("resolve the docs folder");
        std::os::unix::fs::symlink(target, dir.path().join(part)).expect("link a docs folder");
    }
    dir
}

/// Indexes `corpus` from scratch into `index` with `threads` indexing threads.
pub fn build(corpus: &Path, index: &Path, threads: usize) -> IndexSummary {
    let options = IndexOptions {
        rebuild: true,
        threads: Some(threads),
        ..IndexOptions::new(corpus.to_path_buf(), index.to_path_buf())
    };
    build_index(&options, &mut NoProgress).expect("index the corpus")
}
