//! The `fazhi` binary: the command line over the fazhi library (`cli/`), the web server
//! it starts with `fazhi serve` (`web/`), and the CSV files both write (`export`).

mod cli;
mod export;
mod web;

fn main() -> std::process::ExitCode {
    cli::main()
}
