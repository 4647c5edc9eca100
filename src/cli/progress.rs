//! The indexing progress bar, drawn on a terminal only.

use fazhi::{BenchProgress, Progress};
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

/// The progress of a benchmark on the terminal: a spinner while the corpus is read, then a
/// bar of rounds.
pub struct BenchBar {
    bar: Option<ProgressBar>,
    rounds_started: u64,
}

impl BenchBar {
    pub fn new() -> BenchBar {
        BenchBar {
            bar: None,
            rounds_started: 0,
        }
    }
}

impl BenchProgress for BenchBar {
    fn reading(&mut self) {
        let spinner = ProgressBar::new_spinner();
        spinner.set_message("reading the corpus for the segmentation floor");
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        self.bar = Some(spinner);
    }

    fn start(&mut self, total: usize) {
        if let Some(spinner) = self.bar.take() {
            spinner.finish_and_clear();
        }
        let bar = ProgressBar::new(total as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} rounds done, {msg}, {elapsed}")
                .expect("the template is valid"),
        );
        self.bar = Some(bar);
    }

    fn round(&mut self, threads: usize, round: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(self.rounds_started);
            let plural = if threads == 1 { "" } else { "s" };
            bar.set_message(format!("now round {round} with {threads} thread{plural}"));
        }
        self.rounds_started += 1;
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
