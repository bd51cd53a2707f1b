//! `biaslens report`: the weekly report of one ISO week, as HTML, Markdown, charts and CSVs.

use std::path::PathBuf;

use anyhow::Context;
use chrono::{DateTime, Utc};

use crate::report::job::{self, Config};
use crate::report::Week;

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
    /// Folder of analysis tables: when `analyze` or `run` wrote them there with the default
    /// settings and they are current for these tables, the report reads them instead of
    /// analysing its weeks again.
    #[arg(long, default_value = super::args::paths::ANALYSIS)]
    pub analysis: PathBuf,
    /// Prefix of links to digest files; the digest's path is appended.
    #[arg(long, default_value = "../../data/digests/")]
    pub digest_link_base: String,
}

/// Where report-writing commands read and write, shared by `report` and `compare`.
#[derive(Debug, clap::Args)]
pub struct ReportIo {
    /// Folder of extracted tables.
    #[arg(long, default_value = super::args::paths::TABLES)]
    pub tables: PathBuf,
    /// Folder reports are written under (one subfolder per report).
    #[arg(long, default_value = super::args::paths::REPORTS)]
    pub out: PathBuf,
    /// The outlet registry and theme lexicon.
    #[command(flatten)]
    pub resources: crate::resources::Args,
    /// Timestamp written into the report (RFC 3339); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub generated_at: Option<DateTime<Utc>>,
    /// The chart images the Markdown page links: png, drawn with biaslens's own fonts, or svg,
    /// which skips drawing PNGs (most of a first report's time) and shows labels in the
    /// reader's fonts. The HTML page inlines SVG either way.
    #[arg(long, value_enum, default_value_t = crate::report::ChartImages::Png)]
    pub chart_images: crate::report::ChartImages,
}

/// Runs `report` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = std::time::Instant::now();
    let analysis_dir = args.analysis.clone();
    let config = Config::try_from(args)?;
    let _lock = crate::write::lock(&config.out)?;
    let (path, report, provenance) = job::run(&config, None)?;
    let analysis = match provenance {
        crate::analytics::service::Provenance::Stored => {
            format!("the analysis in {}", analysis_dir.display())
        }
        _ => "its weeks analysed".to_string(),
    };
    eprintln!(
        "report: {} ({}), {} topics, {} charts, {analysis}, in {:.2} s → {}",
        report.week,
        report.dates,
        report.topics.len(),
        report.figures().count(),
        start.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(0)
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
            analysis: Some(a.analysis),
            resources: a.io.resources,
            generated_at: super::args::generation_time(a.io.generated_at)?,
            digest_link_base: a.digest_link_base,
            chart_images: a.io.chart_images,
        })
    }
}
