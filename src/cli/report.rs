//! `biaslens report`: the weekly report of one ISO week, as HTML, Markdown, charts and CSVs.

use std::path::{Path, PathBuf};

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::report::weekly::{self, ReportOptions, Sources};
use crate::report::{html, markdown, model::Report, Week};
use crate::tables::name;
use crate::write;

/// Arguments of `report`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// ISO week to report on, e.g. 2026-W04 (default: the last complete week in the data).
    #[arg(long)]
    pub week: Option<String>,
    /// Only these topics (repeat the option or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub topic: Vec<String>,
    #[command(flatten)]
    pub io: ReportIo,
    /// Prefix of links to digest files; the digest's path is appended.
    #[arg(long, default_value = "../../data/digests/")]
    pub digest_link_base: String,
}

/// Where report-writing commands read and write, shared by `report` and `compare`.
#[derive(Debug, clap::Args)]
pub struct ReportIo {
    /// Folder of extracted tables.
    #[arg(long, default_value = "data/tables")]
    pub tables: PathBuf,
    /// Folder reports are written under (one subfolder per report).
    #[arg(long, default_value = "reports")]
    pub out: PathBuf,
    /// The outlet registry and theme lexicon.
    #[command(flatten)]
    pub resources: crate::resources::Args,
    /// Timestamp written into the report (RFC 3339); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub generated_at: Option<DateTime<Utc>>,
}

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
}

/// The report timestamp: explicit, else `SOURCE_DATE_EPOCH` (reproducible builds), else now.
pub fn generation_time(explicit: Option<DateTime<Utc>>) -> anyhow::Result<DateTime<Utc>> {
    if let Some(t) = explicit {
        return Ok(t);
    }
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => {
            let secs: i64 = v
                .trim()
                .parse()
                .with_context(|| format!("SOURCE_DATE_EPOCH={v} is not a number of seconds"))?;
            DateTime::from_timestamp(secs, 0).context("SOURCE_DATE_EPOCH is out of range")
        }
        Err(_) => Ok(Utc::now()),
    }
}

impl TryFrom<Args> for Config {
    type Error = anyhow::Error;

    fn try_from(a: Args) -> anyhow::Result<Self> {
        let week = match a.week {
            Some(w) => Some(
                Week::parse(&w)
                    .with_context(|| format!("--week {w} is not an ISO week; write it like 2026-W04"))?,
            ),
            None => None,
        };
        Ok(Config {
            week,
            topics: a.topic,
            tables: a.io.tables,
            out: a.io.out,
            resources: a.io.resources,
            generated_at: generation_time(a.io.generated_at)?,
            digest_link_base: a.digest_link_base,
        })
    }
}

/// Builds the report and writes its folder; returns the path of `index.html`.
pub fn report(config: &Config) -> anyhow::Result<(PathBuf, Report)> {
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
    let report = weekly::build(&sources, &opts)?;
    laps.lap("analyse the weeks and build the model");
    let dir = config.out.join(&report.week);
    write_report(&dir, &report)?;
    laps.lap("render and write");
    Ok((dir.join("index.html"), report))
}

/// Renders every chart, the HTML and the Markdown, and writes the folder.
pub fn write_report(dir: &Path, report: &Report) -> anyhow::Result<()> {
    let figures: Vec<_> = report.figures().collect();
    let svgs = crate::report::write_figures(dir, &figures)?;
    let svg_of = |name: &str| svgs.get(name).cloned();
    write::atomic(&dir.join("index.html"), html::render(report, &svg_of).as_bytes())?;
    // The Markdown twice: `index.md` makes the folder a Hugo page bundle (the page and its
    // charts publish together at one URL); `report.md` is the same file by its own name.
    let md = markdown::render(report);
    write::atomic(&dir.join("index.md"), md.as_bytes())?;
    write::atomic(&dir.join("report.md"), md.as_bytes())?;
    Ok(())
}

/// Runs `report` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = std::time::Instant::now();
    let config = Config::try_from(args)?;
    let _lock = crate::write::lock(&config.out)?;
    let (path, report) = report(&config)?;
    eprintln!(
        "report: {} ({}), {} topics, {} charts in {:.2} s → {}",
        report.week,
        report.dates,
        report.topics.len(),
        report.figures().count(),
        start.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(0)
}
