//! The `fazhi` binary: the command line over the fazhi library (`cli/`), the web server
//! it starts with `fazhi serve` (`web/`), and the CSV files both write (`export`).

mod cli;
mod export;
mod web;

/// mimalloc instead of the system allocator: indexing, listing and serving allocate
/// and free many small buffers on several threads at once, which glibc's allocator
/// serves with locks and by growing per-thread heaps a page at a time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
