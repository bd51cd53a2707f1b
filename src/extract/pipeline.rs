//! One extract run as a library call: a folder of digests → the tables, written as a full
//! extract would write them, reading only what changed. `biaslens extract` and `run` call it.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::incremental::{self, Reading, Reuse};
use super::markdown_files;
use crate::problems::{Problem, Severity};
use crate::store::{self, Layout, Previous, Store};
use crate::write::Format;

/// The resolved configuration of an extract run: plain paths and flags.
#[derive(Debug, Clone)]
pub struct Config {
    /// Input folder.
    pub input: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Registry file; `None`: data/outlets.yaml if present, else the built-in registry.
    pub outlets: Option<PathBuf>,
    /// Formats, and whether the large tables are partitioned.
    pub layout: Layout,
    /// Whether warnings fail the run.
    pub strict: bool,
    /// Whether to list every problem.
    pub verbose: bool,
    /// Whether to draw a progress bar.
    pub progress: bool,
    /// Reparse everything (the cache is still rewritten).
    pub full: bool,
    /// The side rules.
    pub rules: crate::sides::SideRules,
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
    format!("{},cap={}", config.layout.key(), config.rules.cap)
}

/// Reads the corpus and writes the tables. Only the shards that changed are parsed and
/// written (see [`super::incremental`]); the tables come out as a full extract would write
/// them.
pub fn run(config: &Config) -> anyhow::Result<Outcome> {
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
    let full = config.full || config.layout.format == Format::Csv;
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
    let store = Store::open(&config.out);

    let problems = if incremental && shards.is_empty() && !walk_changed {
        // Nothing changed: the tables stand as written; only new stamps are saved.
        if touched {
            state.save(&config.out)?;
        }
        store.problems()?
    } else {
        std::fs::create_dir_all(&config.out)
            .with_context(|| format!("cannot create {}", config.out.display()))?;
        let previous = incremental.then_some(Previous { shards: &shards, paths: &paths });
        let (problems, manifest) = rayon::join(
            || store::write_tables(&store, corpus, &registry, config.layout, previous),
            || state.save_manifest(&config.out),
        );
        let (problems, ()) = (problems?, manifest?);
        laps.lap("write tables");
        state.stamp_outputs(&config.out)?;
        state.save_state(&config.out)?;
        laps.lap("save state");
        problems
    };
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
