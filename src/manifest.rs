//! A user-written manifest (`fazhi.toml` or `fazhi.csv` in the corpus folder) whose metadata
//! wins over everything found in the reports.

use std::path::Path;

use crate::report::Report;

/// Metadata the user wrote down for some of the corpus files.
#[derive(Debug, Clone, Default)]
pub struct Manifest {}

impl Manifest {
    /// Loads the manifest of `corpus_dir`, or an empty one when there is none.
    pub fn load(corpus_dir: &Path) -> crate::Result<Manifest> {
        let _ = corpus_dir;
        Ok(Manifest {})
    }

    /// Overrides `report`'s metadata with what the manifest says of its path.
    pub fn apply(&self, report: &mut Report) {
        let _ = report;
    }
}

/// File names of a manifest in the corpus folder's root; they are not reports.
pub const MANIFEST_FILES: [&str; 2] = ["fazhi.toml", "fazhi.csv"];
