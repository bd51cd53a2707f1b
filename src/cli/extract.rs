//! `biaslens extract`: a folder of digests → the five tables, with a summary and exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use polars::prelude::{col, IntoLazy};
use rayon::prelude::*;

use crate::tables::col as c;

use crate::extract::{markdown_files, read_corpus, Corpus};
use crate::outlets::Registry;
use crate::problems::Severity;
use crate::write::{self, Format};

/// Arguments of `extract`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of Markdown digests, searched recursively.
    #[arg(long, default_value = "data/digests")]
    pub input: PathBuf,
    /// Folder the tables are written to.
    #[arg(long, default_value = "data/tables")]
    pub out: PathBuf,
    /// The outlet registry.
    #[arg(long, default_value = "data/outlets.yaml")]
    pub outlets: PathBuf,
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
}

/// The resolved configuration of an extract run: plain paths and flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// Input folder.
    pub input: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Registry path.
    pub outlets: PathBuf,
    /// Formats.
    pub format: Format,
    /// Whether warnings fail the run.
    pub strict: bool,
    /// Whether to list every problem.
    pub verbose: bool,
    /// Whether to draw a progress bar.
    pub progress: bool,
    /// Reparse everything (the cache is still rewritten).
    pub full: bool,
    /// Articles and highlights as hive-partitioned Parquet.
    pub partitioned: bool,
}

impl From<Args> for Config {
    fn from(a: Args) -> Self {
        Config {
            input: a.input,
            out: a.out,
            outlets: a.outlets,
            format: a.format,
            strict: a.strict,
            verbose: a.verbose,
            progress: std::io::stderr().is_terminal(),
            full: a.full,
            partitioned: a.partitioned,
        }
    }
}

/// What an extract run did, for the summary line and the exit code.
#[derive(Debug)]
pub struct Outcome {
    /// The corpus read.
    pub corpus: Corpus,
    /// Seconds taken.
    pub seconds: f64,
    /// Files parsed versus reused from the previous run.
    pub reuse: crate::extract::Reuse,
}

impl Outcome {
    /// Number of problems of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.corpus.problems.iter().filter(|p| p.severity == severity).count()
    }

    /// 2 when an error was recorded (or a warning, when strict), else 0.
    pub fn exit_code(&self, strict: bool) -> u8 {
        let failing = self.count(Severity::Error) > 0 || (strict && self.count(Severity::Warning) > 0);
        if failing {
            2
        } else {
            0
        }
    }

    /// The one-line summary printed at the end of every run.
    pub fn summary(&self) -> String {
        let c = &self.corpus;
        format!(
            "extract: {} files ({} parsed, {} unchanged, {} removed), {} digests, {} articles, {} highlights, {} problems ({} errors, {} warnings, {} notices) in {:.2} s",
            c.files,
            self.reuse.parsed,
            self.reuse.reused,
            self.reuse.removed,
            c.digests.len(),
            c.digests.iter().map(|d| d.articles.len()).sum::<usize>(),
            c.digests.iter().map(|d| d.highlights.len()).sum::<usize>(),
            c.problems.len(),
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Notice),
            self.seconds,
        )
    }
}

/// Reads the corpus and writes the tables; the library entry point other commands reuse.
pub fn extract(config: &Config) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    let registry = Registry::load(&config.outlets)?;
    anyhow::ensure!(
        config.input.is_dir(),
        "the input folder {} does not exist; pass --input with a folder of digests",
        config.input.display()
    );
    let bar = if config.progress {
        let n = markdown_files(&config.input)?.len() as u64;
        let bar = indicatif::ProgressBar::new(n).with_style(
            indicatif::ProgressStyle::with_template("{spinner} parsing {pos}/{len} files {wide_bar} {eta}")
                .expect("static template"),
        );
        Some(bar)
    } else {
        None
    };
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    let (corpus, reuse) = read_corpus(&config.input, &registry, Some(&config.out), config.full, &tick)?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }

    let tables = crate::tables::extracted(&corpus, &registry).context("cannot build the tables")?;
    // The tables are encoded and written in parallel; each file is still atomic.
    tables
        .tables
        .into_par_iter()
        .map(|(name, mut df)| {
            let split = config.partitioned && PARTITIONED.contains(&name);
            if split && config.format != Format::Csv {
                let with_year =
                    df.clone().lazy().with_column(col(c::DIGEST_DATE).dt().year().alias("year")).collect()?;
                write::partitioned(&config.out, name, &with_year, &[c::TOPIC, "year"])?;
            } else if config.format != Format::Csv {
                // A single file replaces an earlier partitioned layout, so one layout stands.
                let old = config.out.join(name);
                if old.is_dir() {
                    std::fs::remove_dir_all(&old)
                        .with_context(|| format!("cannot remove {}", old.display()))?;
                }
            }
            let format = match (split, config.format) {
                (true, Format::Csv | Format::Both) => Format::Csv,
                (true, Format::Parquet) => return Ok(()),
                (false, f) => f,
            };
            write::table(&config.out, name, &mut df, format).map(|_| ())
        })
        .collect::<anyhow::Result<()>>()?;
    Ok(Outcome { corpus, seconds: start.elapsed().as_secs_f64(), reuse })
}

/// Tables written partitioned with `--partitioned`: the large ones.
pub const PARTITIONED: [&str; 2] = [crate::tables::name::ARTICLES, crate::tables::name::HIGHLIGHTS];

/// How many problems are printed before the rest is left to the problems table.
const SHOWN_PROBLEMS: usize = 20;

/// Runs `extract` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let config = Config::from(args);
    let outcome = extract(&config)?;
    report(&config, &outcome);
    let code = outcome.exit_code(config.strict);
    // The process ends here: freeing millions of small strings one by one would only add
    // a second to a large run, so the corpus is left to the OS.
    std::mem::forget(outcome);
    Ok(code)
}

/// Prints problems (errors and warnings first), unknown outlets and the summary on stderr.
pub fn report(config: &Config, outcome: &Outcome) {
    let c = &outcome.corpus;
    let mut shown: Vec<_> = c.problems.iter().filter(|p| p.severity != Severity::Notice).collect();
    shown.sort_by_key(|p| std::cmp::Reverse(p.severity));
    let limit = if config.verbose { usize::MAX } else { SHOWN_PROBLEMS };
    for p in shown.iter().take(limit) {
        eprintln!("{p}");
    }
    if shown.len() > limit {
        eprintln!(
            "… and {} more; all problems are in {}",
            shown.len() - limit,
            config.out.join("problems.csv").display()
        );
    }
    if !c.unknown_outlets.is_empty() {
        let list: Vec<_> =
            c.unknown_outlets.iter().map(|(id, (name, n))| format!("{name} [{id}] ×{n}")).collect();
        eprintln!(
            "{} outlets are not in {} (ids are slugs of their names): {}",
            list.len(),
            config.outlets.display(),
            list.join(", ")
        );
    }
    eprintln!("{} → {}", outcome.summary(), config.out.display());
}
