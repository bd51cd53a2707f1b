//! The `biaslens` binary: parse the command line, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// Polars and the parser allocate millions of short-lived buffers; mimalloc handles that
/// pattern far better than the system allocator (BENCHMARKS.md has the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = biaslens::cli::Cli::parse();
    match cli.run() {
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
