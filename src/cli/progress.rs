//! The indexing progress bar, drawn on a terminal only.

use fazhi::Progress;
use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar on the terminal: files, MB, MB/s, ETA.
pub struct BarProgress {
    bar: Option<ProgressBar>,
    files_done: usize,
    files: usize,
}

impl BarProgress {
    pub fn new() -> BarProgress {
        BarProgress {
            bar: None,
            files_done: 0,
            files: 0,
        }
    }
}

impl Progress for BarProgress {
    fn start(&mut self, files: usize, bytes: u64) {
        let bar = ProgressBar::new(bytes);
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:30} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta} {msg}",
            )
            .expect("the template is valid"),
        );
        bar.set_message(format!("0/{files} files"));
        self.bar = Some(bar);
        self.files = files;
    }

    fn file_done(&mut self, bytes: u64) {
        self.files_done += 1;
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!("{}/{} files", self.files_done, self.files));
        }
    }

    fn finishing(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
