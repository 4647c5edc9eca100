//! The `fazhi` binary: the command line over the fazhi library (see `cli/`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
