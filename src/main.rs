//! The `fazhi` command line: parses arguments and hands them to [`fazhi::app`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use fazhi::app::{self, Format, Locations, MentionsOptions, SearchOptions};
use fazhi::filter::{parse_section_kind, Filters, YearRange};
use fazhi::indexer::IndexOptions;
use fazhi::mentions::{GroupBy, Matching};
use fazhi::printer::Marks;
use fazhi::SectionKind;

/// Full-text search for Chinese rule-of-law government reports (法治政府建设年度报告).
#[derive(Parser)]
#[command(name = "fazhi", version, about)]
struct Cli {
    /// The index folder.
    #[arg(long, global = true, default_value = "index", value_name = "DIR")]
    index: PathBuf,
    /// The folder of report files (.txt, .html); the index is built from it when missing.
    #[arg(long, global = true, default_value = "corpus", value_name = "DIR")]
    corpus: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build or update the index from the corpus folder.
    Index {
        /// Start over instead of updating only what changed.
        #[arg(long)]
        rebuild: bool,
        /// Indexing threads (default: one per core).
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=64))]
        threads: Option<u16>,
        /// Memory budget of the indexing threads in MB (default: 512).
        #[arg(long, value_name = "MB", value_parser = clap::value_parser!(u32).range(16..=65536))]
        memory: Option<u32>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ranked search: paragraphs with all the words first, highlighted.
    Search {
        /// Words, "quoted phrases", +required, -excluded (quote the whole query when it has -words).
        #[arg(required = true, num_args = 1.., value_name = "QUERY")]
        query: Vec<String>,
        #[command(flatten)]
        filters: FilterArgs,
        /// How many paragraphs to show.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
        limit: u32,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Every mention of a phrase, exactly, with counts by place, year or section.
    Mentions {
        /// The text to find (any characters, punctuation included).
        phrase: String,
        #[command(flatten)]
        filters: FilterArgs,
        /// Count mentions by this tag and draw a table.
        #[arg(long, value_enum)]
        by: Option<ByArg>,
        /// Print one JSON object.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print one CSV row per mention.
        #[arg(long)]
        csv: bool,
        /// Ignore punctuation, quote marks and spaces between the phrase's characters.
        #[arg(long)]
        loose: bool,
    },
    /// List the indexed reports with their metadata.
    Reports {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct FilterArgs {
    /// Only this county (e.g. 浦江县).
    #[arg(long)]
    county: Option<String>,
    /// Only this city (e.g. 梅州市).
    #[arg(long)]
    city: Option<String>,
    /// Only this province (e.g. 广东省).
    #[arg(long)]
    province: Option<String>,
    /// Only this year or range of years (2023, 2021..2023).
    #[arg(long, value_name = "YEAR[..YEAR]")]
    year: Option<YearRange>,
    /// Only this kind of section: preamble, duties, achievements, problems, plans, other.
    #[arg(long, value_name = "KIND", value_parser = parse_section_kind)]
    section: Option<SectionKind>,
}

impl From<FilterArgs> for Filters {
    fn from(args: FilterArgs) -> Filters {
        Filters {
            county: args.county,
            city: args.city,
            province: args.province,
            year: args.year,
            section: args.section,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum ByArg {
    County,
    City,
    Province,
    Year,
    Section,
    Report,
    Issuer,
}

impl From<ByArg> for GroupBy {
    fn from(by: ByArg) -> GroupBy {
        match by {
            ByArg::County => GroupBy::County,
            ByArg::City => GroupBy::City,
            ByArg::Province => GroupBy::Province,
            ByArg::Year => GroupBy::Year,
            ByArg::Section => GroupBy::Section,
            ByArg::Report => GroupBy::Report,
            ByArg::Issuer => GroupBy::Issuer,
        }
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
    let locations = Locations {
        index: cli.index,
        corpus: cli.corpus,
    };
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
                corpus: locations.corpus,
                index: locations.index,
                rebuild,
                threads: threads.map(usize::from),
                memory_mb: memory.map(|m| m as usize),
            };
            app::run_index(&options, json_or(json), notices.is_terminal(), &mut out)?
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
            app::run_search(&locations, &options, json_or(json), &mut out, &mut notices)?
        }
        Command::Mentions {
            phrase,
            filters,
            by,
            json,
            csv,
            loose,
        } => {
            let options = MentionsOptions {
                phrase,
                filters: filters.into(),
                by: by.map(GroupBy::from),
                matching: if loose {
                    Matching::Loose
                } else {
                    Matching::Exact
                },
            };
            let format = if csv { Format::Csv } else { json_or(json) };
            app::run_mentions(&locations, &options, format, &mut out, &mut notices)?
        }
        Command::Reports { json } => {
            app::run_reports(&locations, json_or(json), &mut out, &mut notices)?
        }
    }
    out.flush()?;
    Ok(())
}

fn main() -> ExitCode {
    // A panic while reading a damaged index becomes a one-line error naming the index;
    // tantivy's panic message and backtrace would only be noise on top of it.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !fazhi::store::guarding() {
            report_panic(info)
        }
    }));
    let cli = Cli::parse();
    let Err(err) = run(cli) else {
        return ExitCode::SUCCESS;
    };
    let library_error = err.downcast_ref::<fazhi::Error>();
    let io_error = match library_error {
        Some(fazhi::Error::Output(io)) => Some(io),
        _ => err.downcast_ref::<std::io::Error>(),
    };
    // A reader that stops early (`fazhi mentions ... | head`) is not a failure.
    if io_error.is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) {
        return ExitCode::SUCCESS;
    }
    eprintln!("fazhi: {err:#}");
    ExitCode::from(if library_error.is_some_and(fazhi::Error::is_usage) {
        2
    } else {
        1
    })
}
