//! `biaslens extract`: arguments → [`crate::extract::run`] → problems and a summary on stderr,
//! and the exit code.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::extract::{self, Config, Outcome};
use crate::problems::{Problem, Severity};
use crate::store::Layout;
use crate::write::{self, Format};

/// Arguments of `extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of Markdown digests, searched recursively.
    #[arg(long, default_value = super::args::paths::DIGESTS)]
    pub input: PathBuf,
    /// Folder the tables are written to.
    #[arg(long, default_value = super::args::paths::TABLES)]
    pub out: PathBuf,
    /// The outlet registry (default: data/outlets.yaml if present, else the built-in one).
    #[arg(long, value_name = "FILE")]
    pub outlets: Option<PathBuf>,
    /// Table formats to write.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
    /// Exit with status 2 on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    /// Print every problem on stderr, not only the first few.
    #[arg(long, short)]
    pub verbose: bool,
    /// Parse every file again instead of reusing the parses of unchanged files.
    #[arg(long)]
    pub full: bool,
    /// Write articles and highlights as hive-partitioned Parquet (`topic=…/year=…/`).
    #[arg(long)]
    pub partitioned: bool,
    /// The generator's cap on articles per digest, which sets its list order when the
    /// sides' counts differ (up to cap / sides per side first, then round-robin).
    #[arg(long, default_value_t = crate::sides::DEFAULT_CAP)]
    pub generator_cap: u32,
}

impl From<Args> for Config {
    fn from(a: Args) -> Self {
        Config {
            input: a.input,
            out: a.out,
            outlets: a.outlets,
            layout: Layout { format: a.format, partitioned: a.partitioned },
            strict: a.strict,
            verbose: a.verbose,
            progress: std::io::stderr().is_terminal(),
            full: a.full,
            rules: crate::sides::SideRules { cap: a.generator_cap },
        }
    }
}

/// How many errors are printed before the rest is left to the problems table.
const SHOWN_PROBLEMS: usize = 20;
/// Up to this many warnings are printed one by one; more are counted by kind.
const SHOWN_WARNINGS: usize = 5;
/// Unknown outlets named in the summary, those with most articles first.
const SHOWN_OUTLETS: usize = 8;

/// Runs `extract` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let config = Config::from(args);
    let _lock = write::lock(&config.out)?;
    let outcome = extract::run(&config)?;
    report(&config, &outcome);
    Ok(outcome.exit_code(config.strict))
}

/// Prints what a person should read on stderr, briefly: every error (the first 20), the
/// warnings one by one when few and by kind when many, notices by kind, the unknown outlets
/// with most articles, and the summary. `-v` prints every problem; all are in problems.csv.
pub fn report(config: &Config, outcome: &Outcome) {
    let table = config.out.join("problems.csv");
    let by_severity = |sev| outcome.problems.iter().filter(move |p: &&Problem| p.severity == sev);
    let errors: Vec<_> = by_severity(Severity::Error).collect();
    let warnings: Vec<_> = by_severity(Severity::Warning).collect();
    let limit = if config.verbose { usize::MAX } else { SHOWN_PROBLEMS };
    for p in errors.iter().take(limit) {
        eprintln!("{p}");
    }
    if errors.len() > limit {
        eprintln!("… and {} more errors; all problems are in {}", errors.len() - limit, table.display());
    }
    if config.verbose || warnings.len() <= SHOWN_WARNINGS {
        for p in &warnings {
            eprintln!("{p}");
        }
    } else {
        eprintln!(
            "{} warnings ({}): the data was used; they are listed in {}, or on screen with -v",
            warnings.len(),
            count_kinds(&warnings),
            table.display()
        );
    }
    let notices: Vec<_> = by_severity(Severity::Notice).collect();
    if !notices.is_empty() {
        eprintln!("{} notices ({}), by design", notices.len(), count_kinds(&notices));
    }
    if !outcome.unknown_outlets.is_empty() {
        let mut list: Vec<_> = outcome.unknown_outlets.iter().collect();
        list.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(b.0)));
        let shown: Vec<_> =
            list.iter().take(SHOWN_OUTLETS).map(|(id, (name, n))| format!("{name} [{id}] ×{n}")).collect();
        let more = list.len().saturating_sub(SHOWN_OUTLETS);
        eprintln!(
            "{} outlets are not in {} (ids are slugs of their names): {}{}",
            list.len(),
            outcome.registry.describe(),
            shown.join(", "),
            if more > 0 { format!(", and {more} more") } else { String::new() }
        );
    }
    eprintln!("{} → {}", outcome.summary(), config.out.display());
}

/// `15 count-mismatch, 4 unparsed-line`: problems counted by kind, most first.
fn count_kinds(problems: &[&Problem]) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in problems {
        *counts.entry(p.kind).or_default() += 1;
    }
    let mut counts: Vec<_> = counts.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts.iter().map(|(k, n)| format!("{n} {k}")).collect::<Vec<_>>().join(", ")
}
