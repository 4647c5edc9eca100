//! The `fazhi` binary: the command line over the fazhi library (`cli/`), the web server
//! it starts with `fazhi serve` (`web/`), and the CSV files both write (`export`).

mod cli;
mod export;
mod web;

/// mimalloc instead of the system allocator: indexing, listing and serving allocate
/// and free many small buffers on several threads at once, which glibc's allocator
/// serves with locks and by growing per-thread heaps a page at a time.
///
/// Built without transparent huge pages (the crate's `no_thp` feature): with them, each
/// first touch of 2 MB of memory zeroed all of it, and on a virtual machine that had been
/// idle a while that cost an indexing run of the dev corpus 1.6 s of system time against
/// 0.5 (0.84 of the wall time without them, 0.98 run after run), for 85 MB more memory.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
