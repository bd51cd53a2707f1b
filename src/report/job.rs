//! One weekly report as a library call: the tables → the report folder (HTML, Markdown,
//! charts and their data). `biaslens report` and `run` call it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::model::Report;
use super::weekly::{self, ReportOptions, Sources};
use super::Week;
use crate::analytics::Analysis;
use crate::tables::name;
use crate::write;

/// A report run, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// Week, or `None` for the last complete one.
    pub week: Option<Week>,
    /// Topics.
    pub topics: Vec<String>,
    /// Tables folder.
    pub tables: PathBuf,
    /// Reports folder.
    pub out: PathBuf,
    /// Registry and lexicon files (built-in when not given or found).
    pub resources: crate::resources::Args,
    /// Report timestamp.
    pub generated_at: DateTime<Utc>,
    /// Digest link prefix.
    pub digest_link_base: String,
    /// The chart images the Markdown links.
    pub chart_images: super::ChartImages,
}

/// Builds the report and writes its folder; returns the path of `index.html`. With
/// `analysis`, an analysis that covers the report's weeks (`run`'s own), it is not analysed
/// again.
pub fn run(config: &Config, analysis: Option<&Analysis>) -> anyhow::Result<(PathBuf, Report)> {
    let store = crate::store::Store::open(&config.tables);
    let inputs = store.inputs()?;
    let problems = store.scan(name::PROBLEMS)?;
    let (registry, _) = config.resources.registry()?;
    let (lexicon, _) = config.resources.lexicon()?;
    let week = match config.week {
        Some(w) => w,
        None => weekly::last_complete_week(&inputs)?
            .context("the tables hold no live digests; run `biaslens extract` first")?,
    };
    let sources = Sources { inputs: &inputs, problems, registry: &registry, lexicon: &lexicon };
    let opts = ReportOptions {
        week,
        topics: config.topics.clone(),
        generated_at: config.generated_at,
        digest_link_base: config.digest_link_base.clone(),
    };
    let mut laps = crate::timing::Laps::new("report");
    let report = match analysis {
        Some(a) if weekly::serves(a, week)? => weekly::build_from(&sources, &opts, a)?,
        _ => weekly::build(&sources, &opts)?,
    };
    laps.lap("analyse the weeks and build the model");
    let dir = config.out.join(&report.week);
    write_report(&dir, &report, config.chart_images)?;
    laps.lap("render and write");
    Ok((dir.join("index.html"), report))
}

/// The analysis `biaslens analyze` or `run` left in `dir` (default settings, by week), when it
/// is current for the report's tables and lexicon and serves its week ([`weekly::serves`]):
/// a report reads it instead of analysing its weeks again, and says the same (it is the
/// analysis `run` hands its own report). `None` otherwise; the report then analyses for
/// itself. Read under the folder's lock, so no analyze run rewrites it meanwhile; a folder
/// without an analysis is left alone (locking would create it).
pub fn stored_analysis(config: &Config, dir: &Path) -> anyhow::Result<Option<Analysis>> {
    if !dir.join(crate::analytics::incremental::STATE).is_file() {
        return Ok(None);
    }
    let _lock = write::lock(dir)?;
    let analysis = crate::analytics::job::current(
        &crate::analytics::job::Config {
            tables: config.tables.clone(),
            out: dir.to_path_buf(),
            lexicon: config.resources.lexicon.clone(),
            format: write::Format::Both,
            options: crate::analytics::Options::default(),
            full: false,
        },
        &super::view::TABLES,
    )?;
    let Some(analysis) = analysis else { return Ok(None) };
    let week = match config.week {
        Some(w) => Some(w),
        None => weekly::last_complete_week(&crate::store::Store::open(&config.tables).inputs()?)?,
    };
    Ok(match week {
        Some(week) if weekly::serves(&analysis, week)? => Some(analysis),
        _ => None,
    })
}

/// Renders every chart, the HTML and the Markdown, and writes the folder.
pub fn write_report(dir: &Path, report: &Report, images: super::ChartImages) -> anyhow::Result<()> {
    let figures: Vec<_> = report.figures().collect();
    let svgs = crate::report::write_figures(dir, &figures, images)?;
    let svg_of = |name: &str| svgs.get(name).cloned();
    write::atomic(&dir.join("index.html"), crate::report::render::weekly_html(report, &svg_of).as_bytes())?;
    // The Markdown twice: `index.md` makes the folder a Hugo page bundle (the page and its
    // charts publish together at one URL); `report.md` is the same file by its own name.
    let md = crate::report::render::weekly_markdown(report, images);
    write::atomic(&dir.join("index.md"), md.as_bytes())?;
    write::atomic(&dir.join("report.md"), md.as_bytes())?;
    Ok(())
}
