//! `biaslens run`: the main job. Extract (only when the digests changed), analyse, and write
//! the latest weekly report, with one summary at the end naming the report.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::extract;
use crate::analytics::service::{analysis_for, Provenance};
use crate::problems::Severity;
use crate::write::Format;

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

/// Runs the whole job.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = Instant::now();
    let print = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let config = extract_config(&args, print);
    // One run at a time per folder; taken in one order, so two runs never hold one each.
    let _locks = [&args.tables, &args.analysis, &args.reports]
        .map(|dir| crate::write::lock(dir))
        .into_iter()
        .collect::<anyhow::Result<Vec<_>>>()?;
    let outcome = crate::extract::run(&config)?;
    extract::report(&config, &outcome);
    let extract_note = if outcome.reuse.changed + outcome.reuse.removed == 0 && !args.force {
        "digests unchanged".to_string()
    } else {
        format!("extracted {} digests ({} files parsed)", outcome.digests, outcome.reuse.parsed)
    };
    let errors = outcome.count(Severity::Error);
    let status = if errors > 0 { 2 } else { 0 };

    // Nothing read yet (a new folder, or only files that could not be read): the tables and
    // problem rows are written; the analysis and the report wait for the first digest.
    let inputs = crate::store::Store::open(&args.tables).inputs()?;
    if args.week.is_none() && crate::analytics::live_days(inputs.digests)?.is_empty() {
        eprintln!(
            "run: {extract_note}; no digest could be read yet ({errors} error-level problems in the digests, listed in {}), so there is nothing to analyse: the analysis and the report wait for the first digest; {:.2} s",
            args.tables.join("problems.csv").display(),
            start.elapsed().as_secs_f64(),
        );
        return Ok(status);
    }

    let analysis_config = crate::analytics::job::Config {
        tables: args.tables.clone(),
        out: args.analysis.clone(),
        lexicon: args.resources.lexicon.clone(),
        format: Format::Both,
        options: Default::default(),
        full: args.force,
        cluster_stories: true,
    };
    let store = crate::store::Store::open(&args.tables);
    let (analysis, provenance) =
        analysis_for(&store, &crate::analytics::service::Request::Write(&analysis_config))?;
    let Provenance::Written(scope) = provenance else { unreachable!("a written analysis") };

    // The report reads this run's analysis, which covers every week, instead of analysing
    // its own weeks again.
    let (path, r, _) = crate::report::job::run(&report_config(&args)?, Some(&analysis))?;

    // The run fails like `extract` does when the digests hold errors.
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

/// Extract's part of `run`: incremental, both formats. Extract costs what changed: with
/// nothing new it only stats the digests.
fn extract_config(args: &Args, progress: bool) -> crate::extract::Config {
    crate::extract::Config {
        input: args.input.clone(),
        out: args.tables.clone(),
        outlets: args.resources.outlets.clone(),
        format: Format::Both,
        strict: false,
        verbose: false,
        progress,
        full: args.force,
        partitioned: false,
        rules: Default::default(),
    }
}

/// The report's part of `run`.
fn report_config(args: &Args) -> anyhow::Result<crate::report::job::Config> {
    Ok(crate::report::job::Config {
        week: match &args.week {
            Some(w) => Some(
                crate::report::Week::parse(w)
                    .with_context(|| format!("--week {w} is not an ISO week; write it like 2026-W04"))?,
            ),
            None => None,
        },
        topics: vec![],
        tables: args.tables.clone(),
        out: args.reports.clone(),
        analysis: None,
        resources: args.resources.clone(),
        generated_at: super::args::generation_time(args.generated_at)?,
        // Links from reports/<week>/ to the digests, wherever both folders are.
        digest_link_base: link_base(&args.reports.join("week"), &args.input),
        chart_images: args.chart_images,
    })
}

/// The prefix of links from the folder `from` to files under `to`, relative when both can be
/// resolved (`../../data/digests/`), else `to` as given.
fn link_base(from: &std::path::Path, to: &std::path::Path) -> String {
    let absolute = |p: &std::path::Path| std::path::absolute(p).ok();
    let rel = absolute(from).zip(absolute(to)).map(|(f, t)| {
        let (f, t): (Vec<_>, Vec<_>) = (f.components().collect(), t.components().collect());
        let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
        let mut rel = std::path::PathBuf::new();
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
