//! The command line: arguments in, printed results and an exit status out.
//!
//! [`args`] defines the flags, [`commands`] runs each command on the library's
//! [`fazhi::Index`], [`print`] formats results for people (colour or `【…】` marks) and for
//! scripts (JSON, CSV), [`progress`] draws the indexing bar, and this module words the
//! library's errors with the flags that fix them and chooses the exit status.

mod args;
mod commands;
pub(crate) mod print;
mod progress;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use fazhi::{BenchOptions, CorpusProblem, Error, IndexOptions, Matching};

use args::{Cli, Command};
use commands::{Format, MentionsOptions, SearchOptions, ShowOptions};
use print::Marks;

/// Exit status of a command that could not do its job.
const EXIT_FAILURE: u8 = 1;
/// Exit status of a command refused for what the user typed (a query, a filter).
const EXIT_USAGE: u8 = 2;

/// Runs the command line, returning the process's exit status.
pub fn main() -> ExitCode {
    // A panic while reading a damaged index becomes a one-line error naming the index;
    // tantivy's panic message and backtrace would only be noise on top of it.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !fazhi::panic_is_reported() {
            report_panic(info)
        }
    }));
    let cli = Cli::parse();
    let Err(err) = run(cli) else {
        return ExitCode::SUCCESS;
    };
    let library_error = err.downcast_ref::<Error>();
    let io_error = match library_error {
        Some(Error::Output(io)) => Some(io),
        _ => err.downcast_ref::<std::io::Error>(),
    };
    // A reader that stops early (`fazhi mentions ... | head`) is not a failure.
    if io_error.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
        return ExitCode::SUCCESS;
    }
    match library_error {
        Some(error) => eprintln!("fazhi: {}", describe(error)),
        None => eprintln!("fazhi: {err:#}"),
    }
    ExitCode::from(if library_error.is_some_and(Error::is_usage) {
        EXIT_USAGE
    } else {
        EXIT_FAILURE
    })
}

/// A library error in one line, with the command or flag that fixes it.
fn describe(error: &Error) -> String {
    match error {
        Error::Corpus {
            problem:
                CorpusProblem::Missing | CorpusProblem::NotAFolder | CorpusProblem::NoReportFiles,
            ..
        } => format!("{error}: give the folder of report files with --corpus DIR"),
        Error::NoIndex { path } => format!(
            "{error}: build one with `fazhi index --corpus DIR --index {}`",
            path.display()
        ),
        Error::BrokenIndex { path, .. } => format!(
            "{error}: rebuild it with `fazhi index --rebuild --index {}`",
            path.display()
        ),
        Error::NotAnIndexFolder { .. } => {
            format!("{error}: give an index folder of its own with --index DIR")
        }
        Error::IndexLocked { .. } => format!("{error}: wait for it to finish, then try again"),
        Error::Query {
            problem: fazhi::QueryProblem::NothingLeftWhenLoose,
            ..
        } => format!("{error}: drop --loose"),
        Error::UnknownPlace {
            tag,
            value,
            closest,
            any_indexed,
        } => {
            if !any_indexed {
                format!("--{tag} {value}: no report in the index has a {tag}")
            } else if closest.is_empty() {
                format!("--{tag} {value}: no report in the index is from there")
            } else {
                format!(
                    "--{tag} {value}: no report in the index is from there; closest known: {}",
                    closest.join(", ")
                )
            }
        }
        Error::UnknownReport { .. } => format!("{error}: `fazhi reports` lists the paths"),
        other => other.to_string(),
    }
}

/// One thread, and one per core when there are more.
fn default_bench_threads() -> Vec<usize> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if cores > 1 {
        vec![1, cores]
    } else {
        vec![1]
    }
}

fn human_format() -> Format {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    Format::Human(if colour {
        Marks::Colour
    } else {
        Marks::Brackets
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let locations = cli.locations();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut notices = std::io::stderr();
    let json_or = |json: bool| if json { Format::Json } else { human_format() };
    match cli.command {
        Command::Index {
            rebuild,
            threads,
            memory,
            json,
        } => {
            let options = IndexOptions {
                rebuild,
                threads: threads.map(usize::from),
                memory_mb: memory.map(|m| m as usize),
                ..IndexOptions::new(locations.corpus, locations.index)
            };
            commands::index(&options, json_or(json), notices.is_terminal(), &mut out)?
        }
        Command::Search {
            query,
            filters,
            limit,
            json,
        } => {
            let options = SearchOptions {
                query: query.join(" "),
                filters: filters.into(),
                limit: limit as usize,
            };
            commands::search(&locations, &options, json_or(json), &mut out, &mut notices)?
        }
        Command::Mentions {
            phrase,
            filters,
            by,
            json,
            csv,
            loose,
            limit,
        } => {
            let options = MentionsOptions {
                phrase,
                filters: filters.into(),
                by: by.map(Into::into),
                limit,
                matching: if loose {
                    Matching::Loose
                } else {
                    Matching::Exact
                },
            };
            let format = if csv { Format::Csv } else { json_or(json) };
            commands::mentions(&locations, &options, format, &mut out, &mut notices)?
        }
        Command::Show {
            target,
            context,
            query,
            json,
        } => {
            let options = ShowOptions {
                target,
                context,
                query,
            };
            commands::show(&locations, &options, json_or(json), &mut out, &mut notices)?
        }
        Command::Serve { addr } => {
            drop(out);
            let index = commands::open_or_build(&locations, &mut notices)?;
            return crate::web::serve(index, addr);
        }
        Command::Reports { json } => {
            commands::reports(&locations, json_or(json), &mut out, &mut notices)?
        }
        Command::Bench {
            threads,
            rounds,
            json,
        } => {
            let options = BenchOptions {
                corpus: locations.corpus,
                threads: if threads.is_empty() {
                    default_bench_threads()
                } else {
                    threads
                },
                rounds,
            };
            commands::bench(&options, json_or(json), notices.is_terminal(), &mut out)?
        }
    }
    out.flush()?;
    Ok(())
}
