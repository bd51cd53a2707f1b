//! `biaslens run`: the main job. Extract (only when the digests changed), analyse, and write
//! the latest weekly report, with one summary at the end naming the report.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;

use super::{analyze, extract, report};
use crate::extract::{cache, markdown_files};
use crate::problems::Severity;
use crate::write::{self, Format};

/// Arguments of `run`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of Markdown digests.
    #[arg(long, default_value = "data/digests")]
    pub input: PathBuf,
    /// Folder of extracted tables.
    #[arg(long, default_value = "data/tables")]
    pub tables: PathBuf,
    /// Folder of analysis tables.
    #[arg(long, default_value = "data/analysis")]
    pub analysis: PathBuf,
    /// Folder reports are written under.
    #[arg(long, default_value = "reports")]
    pub reports: PathBuf,
    /// ISO week to report on (default: the last complete week in the data).
    #[arg(long)]
    pub week: Option<String>,
    /// Extract even when the digests look unchanged.
    #[arg(long)]
    pub force: bool,
    /// Timestamp written into the report (RFC 3339); default SOURCE_DATE_EPOCH, else now.
    #[arg(long)]
    pub generated_at: Option<chrono::DateTime<chrono::Utc>>,
}

const FINGERPRINT: &str = ".biaslens-input";

/// A fingerprint of the inputs of `extract`: every Markdown file's path, size and mtime,
/// and the registry's bytes. Equal fingerprints mean the tables are current.
fn fingerprint(args: &Args, registry: &std::path::Path) -> anyhow::Result<String> {
    let mut listing = String::new();
    for f in markdown_files(&args.input)? {
        let (size, mtime) = cache::stat(&f).with_context(|| format!("cannot stat {}", f.display()))?;
        listing.push_str(&format!("{}\0{size}\0{mtime}\n", f.display()));
    }
    listing.push_str(&cache::sha256_hex(&std::fs::read(registry).unwrap_or_default()));
    listing.push_str(env!("CARGO_PKG_VERSION"));
    Ok(cache::sha256_hex(listing.as_bytes()))
}

/// Runs the whole job.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = Instant::now();
    let registry = PathBuf::from("data/outlets.yaml");
    let print = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let fp = fingerprint(&args, &registry)?;
    let stamp = args.tables.join(FINGERPRINT);
    let current = std::fs::read_to_string(&stamp).ok().as_deref() == Some(fp.as_str())
        && ["digests", "perspectives", "articles", "highlights", "problems"]
            .iter()
            .all(|t| args.tables.join(format!("{t}.parquet")).is_file());
    let extract_note = if current && !args.force {
        "extract skipped (digests unchanged)".to_string()
    } else {
        let config = extract::Config {
            input: args.input.clone(),
            out: args.tables.clone(),
            outlets: registry.clone(),
            format: Format::Both,
            strict: false,
            verbose: false,
            progress: print,
            full: args.force,
            partitioned: false,
        };
        let outcome = extract::extract(&config)?;
        extract::report(&config, &outcome);
        write::atomic(&stamp, fp.as_bytes())?;
        format!("extracted {} digests", outcome.corpus.digests.len())
    };

    let analysis = analyze::Config {
        tables: args.tables.clone(),
        out: args.analysis.clone(),
        lexicon: "data/themes.yaml".into(),
        format: Format::Both,
        options: Default::default(),
    };
    analyze::analyze(&analysis)?;

    let report = report::Config {
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
        outlets: registry,
        lexicon: analysis.lexicon.clone(),
        generated_at: report::generation_time(args.generated_at)?,
        digest_link_base: "../../data/digests/".into(),
    };
    let (path, r) = report::report(&report)?;

    // The run fails like `extract` does when the digests hold errors (the tables say so).
    let problems = crate::frames::strings(
        &polars::prelude::LazyFrame::scan_parquet(args.tables.join("problems.parquet"), Default::default())?
            .collect()?,
        crate::tables::col::SEVERITY,
    )?;
    let errors = problems.iter().filter(|s| *s == Severity::Error.as_str()).count();
    eprintln!(
        "run: {extract_note}; analysed into {}; report {} ({}) for {} topics; {errors} error-level problems in the digests; {:.2} s\n→ {}",
        args.analysis.display(),
        r.week,
        r.dates,
        r.topics.len(),
        start.elapsed().as_secs_f64(),
        path.display()
    );
    Ok(if errors > 0 { 2 } else { 0 })
}
