//! The command line's arguments: every flag name, default and help text lives here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use fazhi::{Filters, GroupBy, SectionKind, YearRange};

use super::commands::Locations;

/// Where `serve` listens unless told otherwise: this machine only.
pub const DEFAULT_SERVE_ADDR: &str = "127.0.0.1:8080";

/// Full-text search for Chinese rule-of-law government reports (法治政府建设年度报告).
#[derive(Parser)]
#[command(name = "fazhi", version, about)]
pub struct Cli {
    /// The index folder [default: index].
    #[arg(long, global = true, value_name = "DIR")]
    pub index: Option<PathBuf>,
    /// The folder of report files (.txt, .html) [default: corpus]. search, mentions and
    /// reports build the index from it when there is none, if it was given or both
    /// folders are the defaults.
    #[arg(long, global = true, value_name = "DIR")]
    pub corpus: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// Where the index and the corpus are, defaults applied.
    pub fn locations(&self) -> Locations {
        Locations {
            // A search builds an index only where the user plainly asked for one: from a
            // corpus named on the command line, or the default index/ from corpus/.
            build_when_missing: self.corpus.is_some() || self.index.is_none(),
            index: self.index.clone().unwrap_or_else(|| PathBuf::from("index")),
            corpus: self
                .corpus
                .clone()
                .unwrap_or_else(|| PathBuf::from("corpus")),
        }
    }
}

#[derive(Subcommand)]
pub enum Command {
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
        /// How many mentions to show a person after the counts (0: all); --json and --csv
        /// always list every one.
        #[arg(long, value_name = "N", default_value_t = 20)]
        limit: usize,
    },
    /// A report's paragraphs: PATH#N with the paragraphs around it, or PATH whole.
    Show {
        /// The report's path as hits and `reports` print it, with #N for one paragraph.
        #[arg(value_name = "PATH[#N]")]
        target: String,
        /// Paragraphs shown before and after paragraph N.
        #[arg(long, value_name = "K", default_value_t = fazhi::DEFAULT_CONTEXT)]
        context: u32,
        /// Mark what this search query finds.
        #[arg(long, value_name = "QUERY")]
        query: Option<String>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Serve the search page and its JSON API over HTTP, read-only.
    Serve {
        /// Address to listen on. Keep it on loopback: the page has no login.
        #[arg(long, value_name = "IP:PORT", default_value = DEFAULT_SERVE_ADDR)]
        addr: std::net::SocketAddr,
    },
    /// List the indexed reports with their metadata.
    Reports {
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Benchmark indexing of the corpus folder (into temporary folders, removed afterwards):
    /// throughput, peak memory, index size, CPU time by stage, against jieba alone.
    Bench {
        /// Indexing thread counts to measure, comma-separated (default: 1 and one per core).
        #[arg(long, value_name = "N,...", value_delimiter = ',', value_parser = parse_threads)]
        threads: Vec<usize>,
        /// Rounds per thread count; medians and ranges are over them.
        #[arg(long, value_name = "N", default_value_t = 3, value_parser = parse_rounds)]
        rounds: usize,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// Most indexing threads tantivy uses.
const MAX_THREADS: usize = 8;

/// Parses one `--threads` count of `fazhi bench`.
fn parse_threads(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!(
            "--threads {text:?}: give thread counts from 1 to {MAX_THREADS}, such as 1,2"
        )),
    }
}

/// Parses `--rounds` of `fazhi bench`.
fn parse_rounds(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=1000).contains(&n) => Ok(n),
        _ => Err(format!(
            "--rounds {text:?}: give a number of rounds from 1 to 1000"
        )),
    }
}

#[derive(Args)]
pub struct FilterArgs {
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
    #[arg(long, value_name = "YEAR[..YEAR]", value_parser = parse_year_range)]
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
pub enum ByArg {
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

/// Parses a `--year` value, or says how to write one.
fn parse_year_range(text: &str) -> Result<YearRange, String> {
    text.parse()
        .map_err(|err| format!("--year {text:?}: {err}"))
}

/// Parses a `--section` value, or says which kinds exist.
fn parse_section_kind(name: &str) -> Result<SectionKind, String> {
    SectionKind::from_name(name).ok_or_else(|| {
        let kinds: Vec<&str> = SectionKind::ALL.iter().map(|k| k.as_str()).collect();
        format!(
            "--section {name:?} is not a section kind; use one of: {}",
            kinds.join(", ")
        )
    })
}
