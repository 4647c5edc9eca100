//! Damage to an index's files reported as such: tantivy's errors and panics on damaged
//! files become one [`Error::BrokenIndex`] naming the folder.

use std::cell::Cell;
use std::io::ErrorKind;
use std::panic::AssertUnwindSafe;
use std::path::Path;

use tantivy::directory::error::OpenReadError;
use tantivy::TantivyError;

use crate::error::{Error, IndexProblem, Result};

thread_local! {
    static GUARDING: Cell<bool> = const { Cell::new(false) };
}

/// True while this thread reads an index through [`crate::Index`]: a panic now becomes an
/// [`Error::BrokenIndex`], so a front-end's panic hook can leave its report to that error.
pub fn panic_is_reported() -> bool {
    GUARDING.get()
}

/// Marks this thread as reading for a [`guard`] that runs on another thread, which
/// receives this thread's panics and reports them: the panic hook leaves them alone here.
pub fn reading_for_guard() {
    GUARDING.set(true);
}

/// Runs `read` on the index in `dir`, reporting what damage to its files makes tantivy do
/// as [`Error::BrokenIndex`]: its errors, and its panics.
///
/// tantivy checks each file's footer on opening (so a truncated or missing file is an
/// error), not its contents: bytes overwritten inside a file can make it fail with an I/O
/// error or panic on an assertion or index out of bounds while searching.
pub fn guard<T>(dir: &Path, read: impl FnOnce() -> Result<T>) -> Result<T> {
    let outer = GUARDING.replace(true);
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(read));
    GUARDING.set(outer);
    match outcome {
        Ok(Err(Error::Tantivy(err))) => Err(broken(dir, err)),
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let what = what.lines().next().unwrap_or_default();
            Err(Error::BrokenIndex {
                path: dir.to_path_buf(),
                problem: IndexProblem::Damaged(format!("its files are damaged: {what}")),
            })
        }
    }
}

/// [`Error::BrokenIndex`] for `dir`, saying in a few words what tantivy found wrong: its
/// own messages run over lines and quote whole files.
pub fn broken(dir: &Path, err: TantivyError) -> Error {
    let file = |path: &Path| {
        path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into(),
        )
    };
    let reason = match &err {
        TantivyError::OpenReadError(OpenReadError::FileDoesNotExist(path)) => {
            format!("its file {} is missing", file(path))
        }
        TantivyError::OpenReadError(OpenReadError::IoError { filepath, io_error }) => {
            match io_error.kind() {
                ErrorKind::UnexpectedEof | ErrorKind::InvalidData => {
                    format!("its file {} is truncated or damaged", file(filepath))
                }
                _ => format!("its file {} cannot be opened: {io_error}", file(filepath)),
            }
        }
        TantivyError::DataCorruption(corruption)
            if format!("{corruption:?}").contains("meta.json") =>
        {
            "its meta.json is damaged".to_string()
        }
        TantivyError::DataCorruption(_) => "its files are damaged".to_string(),
        TantivyError::IoError(io_error) => {
            format!(
                "its files are damaged: {}",
                first_line(&io_error.to_string())
            )
        }
        other => first_line(&other.to_string()),
    };
    Error::BrokenIndex {
        path: dir.to_path_buf(),
        problem: IndexProblem::Damaged(reason),
    }
}

/// The first line of a message from a library, at most 200 characters: errors are reported
/// on one line, and some of tantivy's (a damaged term dictionary's) run over several.
fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or_default();
    match line.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_string(),
    }
}
