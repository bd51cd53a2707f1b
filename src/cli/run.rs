//! `biaslens run`: the main job. Extract (only when the digests changed), analyse, and write
//! the latest weekly report, with one summary at the end naming the report.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::extract;
use crate::pipeline;
use crate::problems::Severity;

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of Markdown digests.
    #[arg(long, default_value = super::args::paths::DIGESTS)]
    pub input: PathBuf,
    /// Folder of extracted tables.
    #[arg(long, default_value = super::args::paths::TABLES)]
    pub tables: PathBuf,
    /// Folder of analysis tables.
    #[arg(long, default_value = super::args::paths::ANALYSIS)]
    pub analysis: PathBuf,
    /// Folder reports are written under.
    #[arg(long, default_value = super::args::paths::REPORTS)]
    pub reports: PathBuf,
    /// ISO week to report on (default: the last complete week in the data).
    #[arg(long)]
    pub week: Option<String>,
    /// Parse and analyse every digest again, ignoring what the previous run kept.
    #[arg(long)]
    pub force: bool,
    /// Write the tables and the analysis as hive partitions, `<table>/topic=…/year=…/`
    /// (`extract --partitioned`, `analyze --partitioned`): for years of digests, and for
    /// Spark or DuckDB.
    #[arg(long)]
    pub partitioned: bool,
    /// Timestamp written into the report (RFC 3339); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub generated_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The outlet registry and theme lexicon.
    #[command(flatten)]
    pub resources: crate::resources::Args,
    /// The chart images the report's Markdown links: png, or svg, which skips drawing PNGs.
    #[arg(long, value_enum, default_value_t = crate::report::ChartImages::Png)]
    pub chart_images: crate::report::ChartImages,
}

impl Args {
    /// The run's configuration.
    fn config(&self) -> anyhow::Result<pipeline::Config> {
        let week = match &self.week {
            Some(w) => Some(
                crate::report::Week::parse(w)
                    .with_context(|| format!("--week {w} is not an ISO week; write it like 2026-W04"))?,
            ),
            None => None,
        };
        let folders = pipeline::Folders {
            input: self.input.clone(),
            tables: self.tables.clone(),
            analysis: self.analysis.clone(),
            reports: self.reports.clone(),
        };
        let choices = pipeline::Choices {
            resources: self.resources.clone(),
            week,
            force: self.force,
            generated_at: super::args::generation_time(self.generated_at)?,
            chart_images: self.chart_images,
            progress: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            partitioned: self.partitioned,
        };
        Ok(pipeline::Config::new(&folders, choices))
    }
}

/// Runs the whole job.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = Instant::now();
    let config = args.config()?;
    // One run at a time per folder; taken in one order, so two runs never hold one each.
    let _locks = [&args.tables, &args.analysis, &args.reports]
        .map(|dir| crate::write::lock(dir))
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()?;
    let outcome = pipeline::run(&config, &|x| extract::report(&config.extract, x))?;
    let x = &outcome.extract;
    let extract_note = if x.reuse.changed + x.reuse.removed == 0 && !args.force {
        "digests unchanged".to_string()
    } else {
        format!("extracted {} digests ({} files parsed)", x.digests, x.reuse.parsed)
    };
    let errors = x.count(Severity::Error);
    // The run fails like `extract` does when the digests hold errors.
    let status = if errors > 0 { 2 } else { 0 };
    let (Some((_, scope)), Some((path, r))) = (&outcome.analysis, &outcome.report) else {
        eprintln!(
            "run: {extract_note}; no digest could be read yet ({errors} error-level problems in the digests, listed in {}), so there is nothing to analyse: the analysis and the report wait for the first digest; {:.2} s",
            args.tables.join("problems.csv").display(),
            start.elapsed().as_secs_f64(),
        );
        return Ok(status);
    };
    let (_, lexicon) = args.resources.lexicon()?;
    eprintln!(
        "run: {extract_note}; analysed into {} with {} ({}); report {} ({}) for {} topics; {errors} error-level problems in the digests; {:.2} s\n→ {}",
        args.analysis.display(),
        lexicon.describe(),
        scope.describe(),
        r.week,
        r.dates,
        r.topics.len(),
        start.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(status)
}
