//! The command line: one file per subcommand, each an `Args` struct plus `run`.

pub mod analyze;
pub mod args;
pub mod compare;
pub mod export;
pub mod extract;
pub mod generate;
pub mod report;
pub mod run;

use clap::{Parser, Subcommand};

/// Media-bias analytics from daily multi-perspective news digests.
#[derive(Debug, Parser)]
#[command(name = "biaslens", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The main job: extract (when digests changed), analyse, write the latest weekly report.
    Run(run::Args),
    /// Parse a folder of digests into tidy tables (CSV and Parquet).
    Extract(extract::Args),
    /// Analyse the extracted tables: shares, balance, themes, one-sided coverage.
    Analyze(analyze::Args),
    /// Compare topics' coverage across months.
    Compare(compare::Args),
    /// Export filtered tables for researchers, with a data package and data dictionary.
    Export(export::Args),
    /// Write the weekly report of one ISO week (HTML, Markdown, charts, CSVs).
    Report(report::Args),
    /// Write the deterministic sample corpus (or a large one for benchmarks).
    Generate(generate::Args),
}

impl Cli {
    /// The subcommand's name as typed (`extract`, `run`, …).
    pub fn command_name(&self) -> &'static str {
        match self.command {
            Command::Run(_) => "run",
            Command::Extract(_) => "extract",
            Command::Analyze(_) => "analyze",
            Command::Compare(_) => "compare",
            Command::Export(_) => "export",
            Command::Report(_) => "report",
            Command::Generate(_) => "generate",
        }
    }

    /// Runs the chosen subcommand; returns the process exit code.
    pub fn run(self) -> anyhow::Result<u8> {
        match self.command {
            Command::Extract(args) => extract::run(args),
            Command::Analyze(args) => analyze::run(args),
            Command::Report(args) => report::run(args),
            Command::Export(args) => export::run(args),
            Command::Compare(args) => compare::run(args),
            Command::Run(args) => run::run(args),
            Command::Generate(args) => generate::run(args),
        }
    }
}

#[cfg(test)]
mod tests {
    /// Clap checks its definitions only when a command is parsed in a debug build; this
    /// checks every subcommand at test time (a duplicated argument group once slipped by).
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
