//! One weekly report as a library call: the tables → the report folder (HTML, Markdown,
//! charts and their data). `biaslens report` and `run` call it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};

use super::calendar::{Month, Week};
use super::compare;
use super::images::{write_figures, ChartImages};
use super::model::{Comparison, Figure, Report};
use super::weekly::{self, ReportOptions, Sources};
use crate::analytics::service::{analysis_for, Over, Provenance, Request};
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
    /// The analysis folder `analyze` or `run` wrote, read when it is current instead of
    /// analysing the report's weeks again (`None`: always analyse them).
    pub analysis: Option<PathBuf>,
    /// Registry and lexicon files (built-in when not given or found).
    pub resources: crate::resources::Args,
    /// Report timestamp.
    pub generated_at: DateTime<Utc>,
    /// Digest link prefix.
    pub digest_link_base: String,
    /// The chart images the Markdown links.
    pub chart_images: ChartImages,
}

/// Builds the report and writes its folder; returns the path of `index.html`, the report,
/// and how its analysis was got. With `analysis`, an analysis that covers every period
/// (`run`'s own), it is not analysed again if it serves the week; else the analysis stored
/// in `config.analysis` is read when current and serving, else the report's weeks are
/// analysed ([`crate::analytics::service`]).
pub fn run(config: &Config, analysis: Option<&Analysis>) -> anyhow::Result<(PathBuf, Report, Provenance)> {
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
    let serves = |a: &Analysis| weekly::serves(a, week);
    let options = weekly::analysis_options(week, &config.topics);
    let window = Over { inputs: &inputs, lexicon: &lexicon, options: &options };
    let (got, stored);
    let (analysis, provenance) = match (analysis, &config.analysis) {
        (Some(a), _) if serves(a)? => (a, Provenance::Stored),
        (_, dir) => {
            let request = match dir {
                Some(dir) => {
                    stored = stored_config(config, dir);
                    Request::Reuse { stored: &stored, tables: &super::view::TABLES, serves: &serves, window }
                }
                None => Request::Window(window),
            };
            got = analysis_for(&store, &request)?;
            (&got.0, got.1.clone())
        }
    };
    let report = weekly::build_from(&sources, &opts, analysis)?;
    laps.lap("analyse the weeks and build the model");
    let dir = config.out.join(&report.week);
    write_report(&dir, &report, config.chart_images)?;
    laps.lap("render and write");
    Ok((dir.join("index.html"), report, provenance))
}

/// How `analyze` (default settings, by week) would have written the analysis in `dir`: a
/// report reads it when it is current, and says the same as when it analyses its own weeks.
fn stored_config(config: &Config, dir: &Path) -> crate::analytics::job::Config {
    crate::analytics::job::Config {
        tables: config.tables.clone(),
        out: dir.to_path_buf(),
        lexicon: config.resources.lexicon.clone(),
        format: write::Format::Both,
        options: crate::analytics::Options::default(),
        full: false,
        parts: Default::default(),
        partitioned: false,
    }
}

/// A comparison run, resolved.
#[derive(Debug, Clone)]
pub struct CompareConfig {
    /// The months, sorted, each once.
    pub months: Vec<Month>,
    /// Topics (all when empty).
    pub topics: Vec<String>,
    /// Tables folder.
    pub tables: PathBuf,
    /// Reports folder.
    pub out: PathBuf,
    /// Registry and lexicon files (built-in when not given or found).
    pub resources: crate::resources::Args,
    /// Report timestamp.
    pub generated_at: DateTime<Utc>,
    /// The chart images the Markdown links.
    pub chart_images: ChartImages,
}

/// Builds the comparison of the months and writes its folder; returns the path of
/// `index.html` and the comparison.
pub fn compare(config: &CompareConfig) -> anyhow::Result<(PathBuf, Comparison)> {
    let store = crate::store::Store::open(&config.tables);
    let inputs = store.inputs()?;
    let (registry, _) = config.resources.registry()?;
    let (lexicon, _) = config.resources.lexicon()?;
    let options = compare::analysis_options(&config.months, &config.topics)?;
    let over = Over { inputs: &inputs, lexicon: &lexicon, options: &options };
    let (analysis, _) = analysis_for(&store, &Request::Window(over))?;
    let cmp = compare::build(
        &inputs,
        &analysis,
        (&registry, &lexicon),
        &config.months,
        &options,
        config.generated_at,
    )?;
    let dir = config.out.join(&cmp.slug);
    let figures = cmp.figures();
    let page = Page {
        figures: &figures,
        html: &|svg_of| super::render::compare_html(&cmp, svg_of),
        markdown: super::render::compare_markdown(&cmp, config.chart_images),
        data: vec![("tables/months.csv", compare::months_csv(&cmp)?)],
    };
    write_folder(&dir, &page, config.chart_images)?;
    Ok((dir.join("index.html"), cmp))
}

/// A chart's page SVG by name (inlined by the HTML).
type SvgOf<'a> = &'a dyn Fn(&str) -> Option<String>;

/// What a report folder holds: its charts, its page as HTML (given the charts' SVG by
/// name) and Markdown, and data files (relative path, bytes).
struct Page<'a> {
    figures: &'a [&'a Figure],
    html: &'a dyn Fn(SvgOf<'_>) -> String,
    markdown: String,
    data: Vec<(&'static str, Vec<u8>)>,
}

/// Renders every chart and writes the folder: the charts and their data, `index.html`, and
/// the Markdown twice: `index.md` makes the folder a Hugo page bundle (the page and its
/// charts publish together at one URL); `report.md` is the same file by its own name.
fn write_folder(dir: &Path, page: &Page<'_>, images: ChartImages) -> anyhow::Result<()> {
    let svgs = write_figures(dir, page.figures, images)?;
    let svg_of = |name: &str| svgs.get(name).cloned();
    write::atomic(&dir.join("index.html"), (page.html)(&svg_of).as_bytes())?;
    write::atomic(&dir.join("index.md"), page.markdown.as_bytes())?;
    write::atomic(&dir.join("report.md"), page.markdown.as_bytes())?;
    for (path, bytes) in &page.data {
        write::atomic(&dir.join(path), bytes)?;
    }
    Ok(())
}

/// Renders every chart, the HTML and the Markdown of the weekly report, and writes the folder.
pub fn write_report(dir: &Path, report: &Report, images: ChartImages) -> anyhow::Result<()> {
    let figures: Vec<_> = report.figures().collect();
    let page = Page {
        figures: &figures,
        html: &|svg_of| super::render::weekly_html(report, svg_of),
        markdown: super::render::weekly_markdown(report, images),
        data: Vec::new(),
    };
    write_folder(dir, &page, images)
}
