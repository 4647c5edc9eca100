//! The `fazhi` binary: the command line over the fazhi library (see `cli/`), and the web
//! server it starts with `fazhi serve` (see `web/`).

mod cli;
mod web;

fn main() -> std::process::ExitCode {
    cli::main()
}
