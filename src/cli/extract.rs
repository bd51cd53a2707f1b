//! `biaslens extract`: a folder of digests → the five tables, with a summary and exit code.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use polars::prelude::{col, lit, IntoLazy};
use rayon::prelude::*;

use crate::tables::col as c;

use std::collections::{BTreeMap, BTreeSet, HashSet};

use polars::prelude::{DataFrame, LazyFrame};

use crate::extract::cache::Shard;
use crate::extract::incremental::{self, Reading, Reuse};
use crate::extract::{markdown_files, Corpus};
use crate::outlets::Registry;
use crate::problems::Problem;
use crate::problems::Severity;
use crate::tables::name;
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

/// The resolved configuration of an extract run: plain paths and flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// Input folder.
    pub input: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Registry file; `None`: data/outlets.yaml if present, else the built-in registry.
    pub outlets: Option<PathBuf>,
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
    /// The side rules.
    pub rules: crate::sides::SideRules,
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
            rules: crate::sides::SideRules { cap: a.generator_cap },
        }
    }
}

/// What an extract run did, for the summary line and the exit code.
#[derive(Debug)]
pub struct Outcome {
    /// Markdown files seen.
    pub files: usize,
    /// Rows of the tables as written: digests, articles and highlights.
    pub digests: usize,
    /// Article rows.
    pub articles: usize,
    /// Highlight rows.
    pub highlights: usize,
    /// Every problem of the corpus (also those of files not read again this run).
    pub problems: Vec<Problem>,
    /// Outlets the registry does not know: id → (name as first seen, articles).
    pub unknown_outlets: BTreeMap<String, (String, usize)>,
    /// Seconds taken.
    pub seconds: f64,
    /// Files parsed versus kept from the previous run.
    pub reuse: Reuse,
    /// The registry used.
    pub registry: crate::resources::Resource,
}

impl Outcome {
    /// Number of problems of one severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems.iter().filter(|p| p.severity == severity).count()
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
        format!(
            "extract: {} files ({} parsed, {} new or changed, {} kept, {} removed), {} digests, {} articles, {} highlights, {} problems ({} errors, {} warnings, {} notices), {}, in {:.2} s",
            self.files,
            self.reuse.parsed,
            self.reuse.changed,
            self.reuse.reused,
            self.reuse.removed,
            self.digests,
            self.articles,
            self.highlights,
            self.problems.len(),
            self.count(Severity::Error),
            self.count(Severity::Warning),
            self.count(Severity::Notice),
            self.registry.describe(),
            self.seconds,
        )
    }
}

/// The state's name for a layout and the side rules, so a state is only reused for what it
/// describes.
fn layout(config: &Config) -> String {
    let formats = config.format.extensions().join("+");
    let partitioned = if config.partitioned { ",partitioned" } else { "" };
    format!("{formats}{partitioned},cap={}", config.rules.cap)
}

/// Reads the corpus and writes the tables; the library entry point other commands reuse.
/// Only the shards that changed are parsed and written (see [`crate::extract::incremental`]);
/// the tables come out as a full extract would write them.
pub fn extract(config: &Config) -> anyhow::Result<Outcome> {
    let start = Instant::now();
    let (registry, registry_source) =
        crate::resources::Args { outlets: config.outlets.clone(), lexicon: None }.registry()?;
    let bar = config.progress.then(|| {
        indicatif::ProgressBar::new(0).with_style(
            indicatif::ProgressStyle::with_template("{spinner} reading {pos}/{len} files {wide_bar} {eta}")
                .expect("static template"),
        )
    });
    if let Some(b) = &bar {
        b.set_length(markdown_files(&config.input)?.files.len() as u64);
    }
    let tick = || {
        if let Some(b) = &bar {
            b.inc(1);
        }
    };
    // Without Parquet there is nothing to take unchanged rows from: every run is full.
    let full = config.full || config.format == Format::Csv;
    let reading = incremental::read(
        &config.input,
        &registry,
        &config.rules,
        &config.out,
        &layout(config),
        full,
        &tick,
    )?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let Reading { corpus, shards, paths, incremental, touched, walk_changed, mut state, reuse } = reading;
    let mut laps = crate::timing::Laps::new("extract");

    let problems = if incremental && shards.is_empty() && !walk_changed {
        // Nothing changed: the tables stand as written; only new stamps are saved.
        if touched {
            state.save(&config.out)?;
        }
        let df = read_parquet(&config.out.join(format!("{}.parquet", name::PROBLEMS)))?;
        crate::tables::problems_of(&df)?
    } else {
        std::fs::create_dir_all(&config.out)
            .with_context(|| format!("cannot create {}", config.out.display()))?;
        let previous = incremental.then_some((&shards, &paths));
        let (problems, manifest) = rayon::join(
            || write_tables(config, &corpus, &registry, previous),
            || state.save_manifest(&config.out),
        );
        let (problems, ()) = (problems?, manifest?);
        laps.lap("write tables");
        state.stamp_outputs(&config.out)?;
        state.save_state(&config.out)?;
        laps.lap("save state");
        problems
    };
    // The process ends soon: freeing millions of small strings one by one would only add
    // time to a large run, so the parsed corpus is left to the OS.
    std::mem::forget(corpus);
    let totals = state.totals();
    Ok(Outcome {
        files: state.files.len(),
        digests: totals.digests,
        articles: totals.articles,
        highlights: totals.highlights,
        problems,
        unknown_outlets: totals.unknown,
        seconds: start.elapsed().as_secs_f64(),
        reuse,
        registry: registry_source,
    })
}

/// Reads one Parquet file as written (no hive columns from the path).
fn read_parquet(path: &std::path::Path) -> anyhow::Result<DataFrame> {
    crate::tables::scan_file(path)
        .and_then(LazyFrame::collect)
        .with_context(|| format!("cannot read {}", path.display()))
}

/// Builds the tables of what was read and writes them; with `previous`, the shards read
/// and the paths of their files, the other rows are taken from the tables already written.
/// Returns the problems of the whole corpus.
fn write_tables(
    config: &Config,
    corpus: &Corpus,
    registry: &Registry,
    previous: Option<(&BTreeSet<Shard>, &HashSet<String>)>,
) -> anyhow::Result<Vec<Problem>> {
    let mut laps = crate::timing::Laps::new("write");
    let tables = crate::tables::extracted(corpus, registry).context("cannot build the tables")?;
    laps.lap("build frames");
    let out = &config.out;
    let problems = std::sync::Mutex::new(Vec::new());
    // The tables are encoded and written in parallel; each file is still atomic.
    tables
        .tables
        .into_par_iter()
        .map(|(name, df)| {
            let mut laps = crate::timing::Laps::new(name);
            if config.partitioned && PARTITIONED.contains(&name) {
                let mut empty = df.clear();
                match previous {
                    None => {
                        let year = col(c::DIGEST_DATE).dt().year().alias("year");
                        let with_year = df.lazy().with_column(year).collect()?;
                        let written =
                            write::partitions(out, name, &with_year, &[c::TOPIC, "year"], config.format)?;
                        write::prune_partitions(out, name, &written)?;
                    }
                    Some((shards, _)) => rewrite_partitions(out, name, df, shards, config.format)?,
                }
                write::settle_partitions(out, name, &mut empty, config.format)?;
                laps.lap("partitions written");
                return Ok(());
            }
            let path = out.join(format!("{name}.parquet"));
            let mut df = match previous {
                None => df,
                Some((_, paths)) if name == name::PROBLEMS => {
                    crate::tables::merge_problems(read_parquet(&path)?, df, paths)?
                }
                Some((shards, _)) => crate::tables::merge_shards(read_parquet(&path)?, df, shards)?,
            };
            laps.lap("merged");
            // A single file replaces an earlier partitioned layout, so one layout stands.
            let old = out.join(name);
            if old.is_dir() {
                std::fs::remove_dir_all(&old).with_context(|| format!("cannot remove {}", old.display()))?;
            }
            write::table(out, name, &mut df, config.format)?;
            laps.lap("written");
            if name == name::PROBLEMS {
                *problems.lock().expect("not poisoned") = crate::tables::problems_of(&df)?;
            }
            Ok(())
        })
        .collect::<anyhow::Result<()>>()?;
    Ok(problems.into_inner().expect("not poisoned"))
}

/// Rewrites the partitions (topic × year) that hold a shard read this run: the rows of its
/// other months come from the partition file already written, the shards read from `fresh`.
/// A partition left without rows is removed.
fn rewrite_partitions(
    out: &std::path::Path,
    name: &str,
    fresh: DataFrame,
    shards: &BTreeSet<Shard>,
    format: Format,
) -> anyhow::Result<()> {
    let partitions: BTreeSet<(&str, i32)> =
        shards.iter().flatten().map(|(t, y, _)| (t.as_str(), *y)).collect();
    let topic_at = fresh.get_column_index(c::TOPIC).context("the table has a topic column")?;
    let with_year = fresh.lazy().with_column(col(c::DIGEST_DATE).dt().year().alias("year"));
    // Partitions are independent: rewritten in parallel, each file still atomic.
    partitions.into_par_iter().try_for_each(|(topic, year)| -> anyhow::Result<()> {
        let ys = year.to_string();
        let keys = [(c::TOPIC, topic), ("year", ys.as_str())];
        let dir = write::confined(out, &std::path::Path::new(name).join(write::partition_dir(&keys)))?;
        let rows = with_year
            .clone()
            .filter(col(c::TOPIC).eq(lit(topic)).and(col("year").eq(lit(year))))
            .drop([col("year")])
            .collect()?;
        let file = dir.join("part-0.parquet");
        let mut merged = if file.is_file() {
            let mut before = read_parquet(&file)?;
            let topics = polars::prelude::Column::new(c::TOPIC.into(), vec![topic; before.height()]);
            before.insert_column(topic_at, topics)?;
            crate::tables::merge_shards(before, rows, shards)?
        } else {
            rows
        };
        if merged.height() == 0 {
            if dir.is_dir() {
                std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()))?;
            }
        } else {
            merged.drop_in_place(c::TOPIC)?;
            write::partition(out, name, &keys, &mut merged, format)?;
        }
        Ok(())
    })
}

/// Tables written partitioned with `--partitioned`: the large ones.
pub const PARTITIONED: [&str; 2] = [crate::tables::name::ARTICLES, crate::tables::name::HIGHLIGHTS];

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
    let outcome = extract(&config)?;
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
