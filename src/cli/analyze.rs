//! `biaslens analyze`: the extracted tables → the analysis tables, plus a terminal summary.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::Context;
use chrono::NaiveDate;
use polars::prelude::*;
use rayon::prelude::*;

use crate::analytics::{self, col, table, Analysis, Filter, Options, Period};
use crate::tables::col as c;
use crate::write::{self, Format};

/// Arguments of `analyze`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder of extracted tables (Parquet).
    #[arg(long, default_value = "data/tables")]
    pub tables: PathBuf,
    /// Folder the analysis tables are written to.
    #[arg(long, default_value = "data/analysis")]
    pub out: PathBuf,
    /// Group by ISO week or calendar month.
    #[arg(long, value_enum, default_value = "week")]
    pub period: Period,
    /// Only these topics (repeat the option or separate with commas).
    #[arg(long, value_delimiter = ',')]
    pub topic: Vec<String>,
    /// First digest date to include (YYYY-MM-DD).
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last digest date to include (YYYY-MM-DD).
    #[arg(long)]
    pub to: Option<NaiveDate>,
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
    /// Table formats to write.
    #[arg(long, value_enum, default_value = "both")]
    pub format: Format,
}

/// An analyze run, resolved: plain paths and options, no clap types.
#[derive(Debug, Clone)]
pub struct Config {
    /// Input tables folder.
    pub tables: PathBuf,
    /// Output folder.
    pub out: PathBuf,
    /// Lexicon file; `None`: data/themes.yaml if present, else the built-in lexicon.
    pub lexicon: Option<PathBuf>,
    /// Formats to write.
    pub format: Format,
    /// Analysis options.
    pub options: Options,
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
        if let (Some(from), Some(to)) = (a.from, a.to) {
            anyhow::ensure!(from <= to, "--from {from} is after --to {to}");
        }
        Ok(Config {
            tables: a.tables,
            out: a.out,
            lexicon: a.lexicon,
            format: a.format,
            options: Options {
                period: a.period,
                filter: Filter {
                    topics: a.topic,
                    from: a.from,
                    to: a.to,
                    include_drafts: a.include_drafts,
                    include_superseded: a.include_superseded,
                },
                low_share: a.low_share,
                min_run: a.min_run,
                trend_factor: a.trend_factor,
                trend_window: a.trend_window,
                trend_min_mentions: a.trend_min_mentions,
                silence_min_mentions: a.silence_min_mentions,
                ..Options::default()
            },
        })
    }
}

/// Runs the analysis and writes every table; returns the analysis for summaries.
pub fn analyze(config: &Config) -> anyhow::Result<Analysis> {
    let mut laps = crate::timing::Laps::new("analyze");
    let (lexicon, _) = crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let inputs = crate::store::Store::open(&config.tables).inputs()?;
    laps.lap("scan");
    let analysis = analytics::analyze(&inputs, &lexicon, &config.options).context("the analysis failed")?;
    laps.lap("all analyses");
    analysis.tables.par_iter().try_for_each(|(name, df)| {
        write::table(&config.out, name, &mut df.clone(), config.format).map(|_| ())
    })?;
    laps.lap("write");
    Ok(analysis)
}

/// Runs `analyze` from the command line.
pub fn run(args: Args) -> anyhow::Result<u8> {
    let start = Instant::now();
    let config = Config::try_from(args)?;
    let _lock = crate::write::lock(&config.out)?;
    let analysis = analyze(&config)?;
    print!("{}", summary(&analysis)?);
    let rows: Vec<String> = analysis.tables.iter().map(|(n, df)| format!("{n} {}", df.height())).collect();
    eprintln!(
        "analyze: {} in {:.2} s → {}",
        rows.join(", "),
        start.elapsed().as_secs_f64(),
        config.out.display()
    );
    Ok(0)
}

fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.into_iter().collect())
}

fn f64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<f64>>> {
    Ok(df.column(name)?.f64()?.into_iter().collect())
}

fn i64s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i64>>> {
    Ok(df.column(name)?.i64()?.into_iter().collect())
}

/// Rows of `df` for one topic and period.
fn slice(df: &DataFrame, topic: &str, period: &str) -> PolarsResult<DataFrame> {
    df.clone().lazy().filter(col(c::TOPIC).eq(lit(topic)).and(col(col::PERIOD).eq(lit(period)))).collect()
}

/// The compact per-topic summary: the latest period's articles, balance index, top outlets
/// and top themes per side.
pub fn summary(analysis: &Analysis) -> anyhow::Result<String> {
    let mut out = String::new();
    let balance = analysis.get(table::PERSPECTIVE_BALANCE).context("balance table")?;
    let shares = analysis.get(table::SOURCE_SHARES).context("shares table")?;
    let themes = analysis.get(table::THEMES).context("themes table")?;
    let latest = balance
        .clone()
        .lazy()
        .group_by([col(c::TOPIC)])
        .agg([col(col::PERIOD).sort(SortOptions::default()).last()])
        .sort([c::TOPIC], SortMultipleOptions::default())
        .collect()?;
    for (topic, period) in strs(&latest, c::TOPIC)?.into_iter().zip(strs(&latest, col::PERIOD)?) {
        let (Some(topic), Some(period)) = (topic, period) else { continue };
        let b = slice(balance, topic, period)?;
        let articles: i64 = i64s(&b, col::ARTICLES)?.into_iter().flatten().sum();
        let index = f64s(&b, col::BALANCE_INDEX)?.first().copied().flatten();
        let sides: Vec<String> = strs(&b, c::PERSPECTIVE_ID)?
            .into_iter()
            .zip(f64s(&b, col::SHARE)?)
            .map(|(s, sh)| format!("{} {:.0}%", s.unwrap_or("?"), sh.unwrap_or(0.0) * 100.0))
            .collect();
        writeln!(
            out,
            "{topic} {period}: {articles} articles, {}, balance {}",
            sides.join(" / "),
            index.map_or("n/a".to_string(), |i| format!("{i:.2}"))
        )?;
        let s = slice(shares, topic, period)?;
        let top: Vec<String> = strs(&s, c::OUTLET_ID)?
            .into_iter()
            .zip(f64s(&s, col::SHARE)?)
            .take(3)
            .map(|(o, sh)| format!("{} {:.0}%", o.unwrap_or("?"), sh.unwrap_or(0.0) * 100.0))
            .collect();
        writeln!(out, "  top outlets: {}", top.join(", "))?;
        let t = slice(themes, topic, period)?
            .lazy()
            .filter(crate::analytics::side_section().and(col(col::MENTIONS).gt(lit(0i64))))
            .sort(
                [c::SECTION, col::MENTIONS, col::THEME],
                SortMultipleOptions::default().with_order_descending_multi([false, true, false]),
            )
            .collect()?;
        let mut by_side: Vec<(String, Vec<String>)> = Vec::new();
        for ((side, theme), m) in
            strs(&t, c::SECTION)?.into_iter().zip(strs(&t, col::THEME)?).zip(i64s(&t, col::MENTIONS)?)
        {
            let (Some(side), Some(theme)) = (side, theme) else { continue };
            match by_side.iter_mut().find(|(s, _)| s == side) {
                Some((_, v)) if v.len() < 3 => v.push(format!("{theme} ({})", m.unwrap_or(0))),
                Some(_) => {}
                None => by_side.push((side.to_string(), vec![format!("{theme} ({})", m.unwrap_or(0))])),
            }
        }
        for (side, list) in by_side {
            writeln!(out, "  {side} themes: {}", list.join(", "))?;
        }
    }
    Ok(out)
}
