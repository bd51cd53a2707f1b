//! `biaslens analyze`: the extracted tables → the analysis tables, plus a terminal summary.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use crate::analytics::job::Config;
use crate::analytics::service::{analysis_for, Provenance, Request};
use crate::analytics::{Analysis, Filter, Options, Period};
use crate::model::is_side_section;
use crate::report::format::pct;
use crate::report::view::View;
use crate::write::Format;

/// Arguments of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of extracted tables (Parquet).
    #[arg(long, default_value = super::args::paths::TABLES)]
    pub tables: PathBuf,
    /// Folder the analysis tables are written to.
    #[arg(long, default_value = super::args::paths::ANALYSIS)]
    pub out: PathBuf,
    /// Group by ISO week or calendar month.
    #[arg(long, value_enum, default_value = "week")]
    pub period: Period,
    #[command(flatten)]
    pub filters: super::args::Filters,
    /// Include drafts (left out by default).
    #[arg(long)]
    pub include_drafts: bool,
    /// Include superseded re-runs (left out by default).
    #[arg(long)]
    pub include_superseded: bool,
    /// The theme lexicon (default: data/themes.yaml if present, else the built-in one).
    #[arg(long, value_name = "FILE")]
    pub lexicon: Option<PathBuf>,
    /// A side is low in a digest under this share.
    #[arg(long, default_value_t = Options::default().low_share)]
    pub low_share: f64,
    /// Consecutive low digests that make a one-sided stretch.
    #[arg(long, default_value_t = Options::default().min_run)]
    pub min_run: u32,
    /// Rising/fading when a theme's share moves by more than this factor against its trailing mean.
    #[arg(long, default_value_t = Options::default().trend_factor)]
    pub trend_factor: f64,
    /// Trailing periods the mean is taken over.
    #[arg(long, default_value_t = Options::default().trend_window)]
    pub trend_window: u32,
    /// Mentions a rise needs (and a fall needs expected), so one stray mention is no trend.
    #[arg(long, default_value_t = Options::default().trend_min_mentions)]
    pub trend_min_mentions: u32,
    /// Mentions a side needs before another side's silence on the theme is reported.
    #[arg(long, default_value_t = Options::default().silence_min_mentions)]
    pub silence_min_mentions: u32,
    #[command(flatten)]
    pub stories: super::args::Stories,
    #[command(flatten)]
    pub tone_grounding: super::args::ToneGrounding,
    /// Table formats to write.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
    /// Analyse every topic again, ignoring the previous run's tables (by default only the
    /// topics whose digests changed are analysed again).
    #[arg(long)]
    pub full: bool,
    /// Write every table as hive partitions, `<table>/topic=…/year=…/part-0.parquet` (and
    /// `.csv`), for Spark or DuckDB; a run rewrites only the topics it analysed again.
    #[arg(long)]
    pub partitioned: bool,
}

impl TryFrom<Args> for Config {
    type Error = anyhow::Error;

    fn try_from(a: Args) -> anyhow::Result<Self> {
        anyhow::ensure!(
            (0.0..=1.0).contains(&a.low_share),
            "--low-share must be between 0 and 1, got {}",
            a.low_share
        );
        anyhow::ensure!(a.trend_factor >= 1.0, "--trend-factor must be at least 1, got {}", a.trend_factor);
        anyhow::ensure!(a.trend_window >= 1, "--trend-window must be at least 1");
        Ok(Config {
            tables: a.tables,
            out: a.out,
            lexicon: a.lexicon,
            format: a.format,
            full: a.full,
            partitioned: a.partitioned,
            // The benchmark suite's switch (see the field); never set in normal use.
            parts: crate::analytics::Parts::from_env(),
            options: Options {
                period: a.period,
                filter: Filter {
                    include_drafts: a.include_drafts,
                    include_superseded: a.include_superseded,
                    ..a.filters.filter()?
                },
                low_share: a.low_share,
                min_run: a.min_run,
                trend_factor: a.trend_factor,
                trend_window: a.trend_window,
                trend_min_mentions: a.trend_min_mentions,
                silence_min_mentions: a.silence_min_mentions,
                stories: a.stories.settings()?,
                grounding: a.tone_grounding.grounding()?,
                tone_min_items: a.tone_grounding.tone_min_items,
                ..Options::default()
            },
        })
    }
}

/// Runs `analyze` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = Instant::now();
    let config = Config::try_from(args)?;
    let _lock = crate::write::lock(&config.out)?;
    let store = crate::store::Store::open(&config.tables);
    let (analysis, provenance) = analysis_for(&store, &Request::Write(&config))?;
    let Provenance::Written(scope) = provenance else { unreachable!("a written analysis") };
    print!("{}", summary(&analysis)?);
    let rows: Vec<String> = analysis.rows().iter().map(|(t, rows)| format!("{t} {rows}")).collect();
    eprintln!(
        "analyze: {} ({}) in {:.2} s → {}",
        rows.join(", "),
        scope.describe(),
        start.elapsed().as_secs_f64(),
        config.out.display()
    );
    Ok(0)
}

/// The compact per-topic summary: the latest period's articles, balance index, top outlets
/// and top themes per side.
pub fn summary(analysis: &Analysis) -> anyhow::Result<String> {
    let view = View::new(analysis);
    let mut out = String::new();
    for crate::report::view::TopicPeriod { topic, period } in view.latest_periods()? {
        let b = view.balance(&topic, &period)?;
        let sides: Vec<String> =
            b.sides.iter().map(|s| format!("{} {}", s.id, pct(s.share.unwrap_or(0.0)))).collect();
        writeln!(
            out,
            "{topic} {period}: {} articles, {}, balance {}",
            b.sides.iter().map(|s| s.articles).sum::<i64>(),
            sides.join(" / "),
            b.index.map_or("n/a".to_string(), |i| format!("{i:.2}"))
        )?;
        let top: Vec<String> = view
            .outlets(&topic, &period)?
            .iter()
            .take(3)
            .map(|o| format!("{} {}", o.id, pct(o.share)))
            .collect();
        writeln!(out, "  top outlets: {}", top.join(", "))?;
        let mut themes: Vec<_> = view
            .themes(&topic, &period)?
            .into_iter()
            .filter(|t| is_side_section(&t.section) && t.mentions > 0)
            .collect();
        themes.sort_by(|x, y| {
            x.section.cmp(&y.section).then(y.mentions.cmp(&x.mentions)).then(x.theme.cmp(&y.theme))
        });
        let mut by_side: Vec<(String, Vec<String>)> = Vec::new();
        for t in themes {
            let item = format!("{} ({})", t.theme, t.mentions);
            match by_side.iter_mut().find(|(s, _)| *s == t.section) {
                Some((_, v)) if v.len() < 3 => v.push(item),
                Some(_) => {}
                None => by_side.push((t.section, vec![item])),
            }
        }
        for (side, list) in by_side {
            writeln!(out, "  {side} themes: {}", list.join(", "))?;
        }
    }
    Ok(out)
}
