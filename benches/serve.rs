//! A bounded load run of `fazhi serve` on loopback: 2,000 requests from 8 concurrent
//! clients against an index of the dev corpus, reporting latency percentiles and errors.
//!
//! This is a measurement, not a criterion benchmark: what matters is the latency a person
//! sees while others use the same server, per kind of request. The requests cycle through
//! ranked searches (with and without filters, and on a later page), mentions of a rare and
//! of a common phrase (the first page of paragraphs, as the page asks), the report list
//! and a report view. The dev corpus is `../shared/dev-corpus` (or `$FAZHI_DEV_CORPUS`);
//! without it the sample corpus is used, saying so. The run stops after 2,000 requests or
//! 5 minutes, whichever comes first; only 127.0.0.1 is ever contacted. Before it, each kind
//! of request is sent alone ten times, one after another: the latency without queueing,
//! measured in the same run, to read the concurrent figures against.
//!
//! Run with `cargo build --release && cargo bench --bench serve`.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const REQUESTS: usize = 2_000;
const CLIENTS: usize = 8;
const TIME_LIMIT: Duration = Duration::from_secs(300);
/// Requests of each kind sent alone, one after another, before the concurrent run.
const ALONE_ROUNDS: usize = 10;

/// The request mix, cycled through by every client. The report path of the last one is
/// filled in from `/api/reports`.
const MIX: [(&str, &str); 8] = [
    ("search word", "/api/search?q=行政复议"),
    ("search natural", "/api/search?q=行政复议申请办结情况"),
    (
        "search filtered",
        "/api/search?q=法治政府&year=2019..2022&section=problems",
    ),
    ("search page 5", "/api/search?q=矛盾纠纷&offset=40"),
    ("mentions rare", "/api/mentions?q=枫桥经验&limit=50"),
    ("mentions common", "/api/mentions?q=行政复议&limit=50"),
    ("reports", "/api/reports"),
    ("show report", "/api/show?path="),
];

struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    // `cargo bench` passes --bench; a filter argument that names nothing here skips.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with("--") && a != "serve")
    {
        return;
    }
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/fazhi");
    if !binary.is_file() {
        println!("serve load run skipped: build the binary first (cargo build --release)");
        return;
    }
    let (corpus, _links) = match common::dev_corpus_docs() {
        Ok(docs) => {
            let links = common::linked_corpus(&docs);
            (links.path().to_path_buf(), Some(links))
        }
        Err(why) => {
            println!("{why}; load run on the sample corpus instead");
            (common::sample_corpus(), None)
        }
    };
    let index = tempfile::tempdir().expect("a temporary index folder");
    let summary = common::build(&corpus, index.path(), 2);
    println!(
        "index: {} reports, {} paragraphs",
        summary.reports, summary.paragraphs
    );

    let mut child = Command::new(&binary)
        .arg("serve")
        .arg("--index")
        .arg(index.path())
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("fazhi serve starts");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("the address line");
    let _served = Served(child);
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://127.0.0.1:"))
        .expect("a loopback address")
        .trim_end_matches('/')
        .to_string();

    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into();
    let reports: serde_json::Value = agent
        .get(format!("{base}/api/reports"))
        .call()
        .expect("reports")
        .body_mut()
        .read_json()
        .expect("JSON");
    let report = reports["reports"][0]["path"]
        .as_str()
        .expect("a report")
        .to_string();
    let urls: Vec<(&str, String)> = MIX
        .iter()
        .map(|(name, path)| {
            let url = format!("{base}{}", encode_non_ascii(path));
            let url = if path.ends_with("path=") {
                format!("{url}{}", encode(&report))
            } else {
                url
            };
            (*name, url)
        })
        .collect();

    // One untimed round first, so that every client measures a warm server.
    for (_, url) in &urls {
        agent.get(url).call().expect("warm-up request");
    }
    // The baseline in the same run: each request alone, one client, no queueing.
    let mut alone: Vec<(usize, Duration, bool)> = Vec::new();
    for _ in 0..ALONE_ROUNDS {
        for (kind, (_, url)) in urls.iter().enumerate() {
            let sent = Instant::now();
            let ok = agent
                .get(url)
                .call()
                .is_ok_and(|mut r| r.status() == 200 && r.body_mut().read_to_vec().is_ok());
            alone.push((kind, sent.elapsed(), ok));
        }
    }

    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Duration, bool)>> = Mutex::new(Vec::new());
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..CLIENTS {
            scope.spawn(|| {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(60)))
                    .build()
                    .into();
                let mut mine = Vec::new();
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= REQUESTS || started.elapsed() > TIME_LIMIT {
                        break;
                    }
                    let kind = n % urls.len();
                    let sent = Instant::now();
                    let ok = match agent.get(&urls[kind].1).call() {
                        Ok(mut response) => {
                            response.status() == 200 && response.body_mut().read_to_vec().is_ok()
                        }
                        Err(_) => false,
                    };
                    mine.push((kind, sent.elapsed(), ok));
                }
                results.lock().unwrap().extend(mine);
            });
        }
    });
    let wall = started.elapsed();
    let results = results.into_inner().unwrap();
    let errors = results.iter().filter(|r| !r.2).count();
    println!(
        "{} requests from {CLIENTS} clients in {:.2} s ({:.0} requests/s), {errors} errors",
        results.len(),
        wall.as_secs_f64(),
        results.len() as f64 / wall.as_secs_f64()
    );
    let alone_errors = alone.iter().filter(|r| !r.2).count();
    println!(
        "{:<17} {:>6} {:>9} {:>9} {:>9} {:>13}",
        "request", "count", "p50 ms", "p99 ms", "max ms", "alone p50 ms"
    );
    for (kind, (name, _)) in urls.iter().enumerate() {
        print_row(
            name,
            times_of(&results, Some(kind)),
            times_of(&alone, Some(kind)),
        );
    }
    print_row("all", times_of(&results, None), times_of(&alone, None));
    println!(
        "alone: {ALONE_ROUNDS} requests of each kind one after another, {alone_errors} errors"
    );
}

/// The sorted latencies of requests of `kind` (all kinds with `None`).
fn times_of(results: &[(usize, Duration, bool)], kind: Option<usize>) -> Vec<Duration> {
    let mut times: Vec<Duration> = results
        .iter()
        .filter(|r| kind.is_none_or(|k| r.0 == k))
        .map(|r| r.1)
        .collect();
    times.sort();
    times
}

fn print_row(name: &str, times: Vec<Duration>, alone: Vec<Duration>) {
    if times.is_empty() {
        return;
    }
    let at = |times: &[Duration], q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let alone_p50 = if alone.is_empty() {
        "-".to_string()
    } else {
        format!("{:.1}", ms(at(&alone, 0.5)))
    };
    println!(
        "{name:<17} {:>6} {:>9.1} {:>9.1} {:>9.1} {alone_p50:>13}",
        times.len(),
        ms(at(&times, 0.5)),
        ms(at(&times, 0.99)),
        ms(*times.last().unwrap())
    );
}

/// Percent-encodes the bytes of non-ASCII characters, as a browser sends them.
fn encode_non_ascii(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Percent-encodes a report path for a query string.
fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}
