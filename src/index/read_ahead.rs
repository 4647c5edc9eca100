//! Preparing corpus files on worker threads while the indexer consumes them in corpus order.
//!
//! Reading, decoding and laying out a report costs about as much as segmenting it, so it
//! must not run on one thread while tantivy's threads wait. Workers take files in order and
//! hand the results back; the consumer sees them in corpus order (which keeps "duplicate
//! of" deterministic). Workers stay within a window of the consumer, in files and in bytes,
//! so that one slow, huge file does not let the others pile up in memory.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use crate::read::walk::CorpusFile;

/// Most files prepared ahead of the consumer.
const WINDOW_FILES: usize = 256;
/// Most bytes of files prepared ahead of the consumer (a larger single file still goes).
const WINDOW_BYTES: u64 = 128 * 1024 * 1024;

/// Runs `prepare` on every file on `workers` threads and `consume` on the results in the
/// order of `files`. Stops at the first error of `consume` and returns it.
pub fn read_ahead<P, E>(
    files: &[CorpusFile],
    workers: usize,
    prepare: impl Fn(&CorpusFile) -> P + Sync,
    mut consume: impl FnMut(&CorpusFile, P) -> Result<(), E>,
) -> Result<(), E>
where
    P: Send,
{
    let next_claim = AtomicUsize::new(0);
    let consumed = AtomicUsize::new(0);
    let bytes_ahead = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let (sender, receiver) = mpsc::sync_channel::<(usize, P)>(workers.max(1) * 4);
    std::thread::scope(|scope| {
        for _ in 0..workers.max(1) {
            let sender = sender.clone();
            let (next_claim, consumed, bytes_ahead, stop) =
                (&next_claim, &consumed, &bytes_ahead, &stop);
            let prepare = &prepare;
            scope.spawn(move || loop {
                let i = next_claim.fetch_add(1, Ordering::SeqCst);
                let Some(file) = files.get(i) else { break };
                // Wait until the consumer is close enough, unless this is the file it needs.
                loop {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let done = consumed.load(Ordering::SeqCst);
                    let within_files = i < done + WINDOW_FILES;
                    let within_bytes =
                        bytes_ahead.load(Ordering::SeqCst) + file.size <= WINDOW_BYTES;
                    if i == done || (within_files && within_bytes) {
                        break;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
                bytes_ahead.fetch_add(file.size, Ordering::SeqCst);
                if sender.send((i, prepare(file))).is_err() {
                    return;
                }
            });
        }
        drop(sender);
        let mut pending: BTreeMap<usize, P> = BTreeMap::new();
        let mut result = Ok(());
        'receive: for (i, prepared) in receiver.iter() {
            pending.insert(i, prepared);
            loop {
                let expected = consumed.load(Ordering::SeqCst);
                let Some(prepared) = pending.remove(&expected) else {
                    break;
                };
                let file = &files[expected];
                let outcome = consume(file, prepared);
                bytes_ahead.fetch_sub(file.size, Ordering::SeqCst);
                consumed.store(expected + 1, Ordering::SeqCst);
                if let Err(err) = outcome {
                    result = Err(err);
                    break 'receive;
                }
            }
        }
        // Workers blocked on a full channel or waiting for the window must see the end.
        stop.store(true, Ordering::SeqCst);
        drop(receiver);
        result
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(sizes: &[u64]) -> Vec<CorpusFile> {
        sizes
            .iter()
            .enumerate()
            .map(|(i, &size)| CorpusFile {
                fs_path: format!("f{i}").into(),
                path: format!("f{i:04}"),
                size,
                modified: None,
            })
            .collect()
    }

    #[test]
    fn results_arrive_in_corpus_order() {
        let files = files(&vec![10; 1000]);
        let mut seen = Vec::new();
        read_ahead(
            &files,
            4,
            |file| file.path.clone(),
            |file, prepared| {
                assert_eq!(file.path, prepared);
                seen.push(prepared);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        assert_eq!(seen.len(), 1000);
        assert!(seen.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_huge_file_still_goes_and_an_error_stops_everything() {
        let files = files(&[WINDOW_BYTES * 2, 5, 5, 5]);
        let mut count = 0;
        let result = read_ahead(
            &files,
            2,
            |file| file.size,
            |_, _| {
                count += 1;
                if count == 2 {
                    Err("stop")
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(result, Err("stop"));
        assert_eq!(count, 2);
    }
}
