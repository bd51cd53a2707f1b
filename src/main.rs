//! The `biaslens` binary: parse the command line, run the library, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

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
