//! The `biaslens` binary: parse the command line, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// Polars and the parser allocate millions of short-lived buffers; mimalloc handles that
/// pattern far better than the system allocator (BENCHMARKS.md has the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Help and version exit 0; a wrong argument exits 1, "the run could not proceed", so
    // status 2 keeps meaning "the digests hold errors" for cron and CI.
    let cli = match biaslens::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 1 } else { 0 });
        }
    };
    biaslens::allocator::tune(cli.command_name());
    // Polars runs its work in a thread pool of its own, as many threads as cores. biaslens's
    // own parallel work (rayon) runs in that pool too: beside it, rayon's global pool would
    // add as many threads again, and on two cores the four fought for them (BENCHMARKS.md,
    // "Figures behind the code"). `POLARS_MAX_THREADS` sizes the one pool.
    match polars_core::runtime::THREAD_POOL.install(|| cli.run()) {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("biaslens: error: {err}");
            for cause in err.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
