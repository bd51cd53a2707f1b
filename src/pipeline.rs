//! The main job as a library call: extract the digests (only what changed), analyse the
//! tables (only the topics that changed) and write the latest weekly report from that
//! analysis. `biaslens run` is this, with the folders' locks and the summary line.

use std::path::{Path, PathBuf};

use crate::analytics::job::Scope;
use crate::analytics::service::{analysis_for, Provenance, Request};
use crate::analytics::Analysis;
use crate::report::model::Report;
use crate::report::{ChartImages, Week};
use crate::store::{Layout, Store};
use crate::write::Format;

/// The folders a run reads and writes.
#[derive(Debug, Clone)]
pub struct Folders {
    /// Markdown digests.
    pub input: PathBuf,
    /// Extracted tables.
    pub tables: PathBuf,
    /// Analysis tables.
    pub analysis: PathBuf,
    /// Reports (one folder per week under it).
    pub reports: PathBuf,
}

/// A run, resolved: the configurations of its three stages, made in one place.
#[derive(Debug, Clone)]
pub struct Config {
    /// Extract: incremental unless forced, both formats, single-file tables (or partitions).
    pub extract: crate::extract::Config,
    /// Analysis: default settings, by week, written beside the tables.
    pub analysis: crate::analytics::job::Config,
    /// The weekly report, of `week` or the last complete one.
    pub report: crate::report::job::Config,
}

/// What a run may choose; everything else is the defaults.
#[derive(Debug, Clone)]
pub struct Choices {
    /// The registry and lexicon files (found or built in when not given).
    pub resources: crate::resources::Args,
    /// The week to report on (default: the last complete week in the data).
    pub week: Option<Week>,
    /// Parse and analyse everything again.
    pub force: bool,
    /// The report's timestamp.
    pub generated_at: chrono::DateTime<chrono::Utc>,
    /// The chart images the report's Markdown links.
    pub chart_images: ChartImages,
    /// Draw a progress bar while reading.
    pub progress: bool,
    /// The tables and the analysis as hive partitions by topic and year (`run --partitioned`,
    /// for years of digests: a day's run rewrites only the partitions it changes).
    pub partitioned: bool,
}

impl Config {
    /// The run over `folders`.
    pub fn new(folders: &Folders, choices: Choices) -> Config {
        let extract = crate::extract::Config {
            input: folders.input.clone(),
            out: folders.tables.clone(),
            outlets: choices.resources.outlets.clone(),
            layout: Layout { format: Format::Both, partitioned: choices.partitioned },
            strict: false,
            verbose: false,
            progress: choices.progress,
            full: choices.force,
            rules: Default::default(),
        };
        let analysis = crate::analytics::job::Config {
            tables: folders.tables.clone(),
            out: folders.analysis.clone(),
            lexicon: choices.resources.lexicon.clone(),
            format: Format::Both,
            options: Default::default(),
            full: choices.force,
            parts: Default::default(),
            partitioned: choices.partitioned,
        };
        let report = crate::report::job::Config {
            week: choices.week,
            topics: vec![],
            tables: folders.tables.clone(),
            out: folders.reports.clone(),
            // The run hands the report its own analysis.
            analysis: None,
            resources: choices.resources,
            generated_at: choices.generated_at,
            // Links from reports/<week>/ to the digests, wherever both folders are.
            digest_link_base: link_base(&folders.reports.join("week"), &folders.input),
            chart_images: choices.chart_images,
        };
        Config { extract, analysis, report }
    }
}

/// What a run did.
pub struct Outcome {
    /// The extract.
    pub extract: crate::extract::Outcome,
    /// The analysis, and which topics were analysed; `None` while no digest could be read
    /// (the analysis and the report wait for the first digest).
    pub analysis: Option<(Analysis, Scope)>,
    /// The report's `index.html` and the report.
    pub report: Option<(PathBuf, Report)>,
}

/// Runs the three stages; `extracted` is shown the extract's outcome as soon as it is
/// known (the command line lists its problems before the analysis runs). The caller holds
/// the folders' locks.
pub fn run(config: &Config, extracted: &dyn Fn(&crate::extract::Outcome)) -> anyhow::Result<Outcome> {
    let extract = crate::extract::run(&config.extract)?;
    extracted(&extract);
    let store = Store::open(&config.extract.out);
    // Nothing read yet (a new folder, or only files that could not be read): the tables and
    // problem rows are written; the analysis and the report wait for the first digest.
    if config.report.week.is_none() && crate::analytics::live_days(store.inputs()?.digests)?.is_empty() {
        return Ok(Outcome { extract, analysis: None, report: None });
    }
    let (analysis, provenance) = analysis_for(&store, &Request::Write(&config.analysis))?;
    let Provenance::Written(scope) = provenance else { unreachable!("a written analysis") };
    // The report reads this run's analysis, which covers every week, instead of analysing
    // its own weeks again.
    let (path, report, _) = crate::report::job::run(&config.report, Some(&analysis))?;
    Ok(Outcome { extract, analysis: Some((analysis, scope)), report: Some((path, report)) })
}

/// The prefix of links from the folder `from` to files under `to`, relative when both can be
/// resolved (`../../data/digests/`), else `to` as given.
fn link_base(from: &Path, to: &Path) -> String {
    let absolute = |p: &Path| std::path::absolute(p).ok();
    let rel = absolute(from).zip(absolute(to)).map(|(f, t)| {
        let (f, t): (Vec<_>, Vec<_>) = (f.components().collect(), t.components().collect());
        let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
        let mut rel = PathBuf::new();
        for _ in common..f.len() {
            rel.push("..");
        }
        rel.extend(&t[common..]);
        rel
    });
    let base = rel.unwrap_or_else(|| to.to_path_buf()).to_string_lossy().replace('\\', "/");
    if base.is_empty() || base.ends_with('/') {
        base
    } else {
        format!("{base}/")
    }
}
