//! One analysis run as a library call: the extracted tables → every analysis table, written.
//! `biaslens analyze` and `run` call it.

use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use std::collections::BTreeSet;

use polars::prelude::{DataFrame, IntoLazy, PolarsResult};

use super::incremental::{self, State};
use super::{analyze_topics, cols, table, Analysis, Inputs, Options, ARTICLE_COLUMNS, HIGHLIGHT_COLUMNS};
use crate::write::{self, Format};

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
    /// Analyse every topic, ignoring what the previous run kept.
    pub full: bool,
}

/// What an analyze run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every topic was analysed.
    Full,
    /// Only these topics were analysed again; the rest were kept from the previous tables
    /// (none: nothing changed and no table was written).
    Topics(BTreeSet<String>),
}

impl Scope {
    /// In words, for the command line: `every topic analysed`, `2 topics analysed again
    /// (china-japan, us-china), the others kept`, `nothing changed`.
    pub fn describe(&self) -> String {
        match self {
            Scope::Full => "every topic analysed".to_string(),
            Scope::Topics(t) if t.is_empty() => "no digest changed: tables kept".to_string(),
            Scope::Topics(t) => {
                let names: Vec<&str> = t.iter().map(String::as_str).take(5).collect();
                let more = if t.len() > 5 { ", …" } else { "" };
                let topics = if t.len() == 1 { "topic" } else { "topics" };
                format!("{} {topics} analysed again ({}{more}), the others kept", t.len(), names.join(", "))
            }
        }
    }
}

/// Runs the analysis and writes every table; returns the analysis for summaries.
pub fn run(config: &Config) -> anyhow::Result<Analysis> {
    Ok(run_scoped(config)?.0)
}

/// The input rows every analysis reads, collected once: the fingerprints hash them and
/// the analysis runs on them without reading the files again.
fn collect_inputs(inputs: Inputs) -> anyhow::Result<(Inputs, Vec<DataFrame>)> {
    let digests = inputs.digests.collect()?;
    let perspectives = inputs.perspectives.collect()?;
    let articles = inputs.articles.select(cols(&ARTICLE_COLUMNS)).collect()?;
    let highlights = inputs.highlights.select(cols(&HIGHLIGHT_COLUMNS)).collect()?;
    let frames = vec![digests, perspectives, articles, highlights];
    let lazy = Inputs {
        digests: frames[0].clone().lazy(),
        perspectives: frames[1].clone().lazy(),
        articles: frames[2].clone().lazy(),
        highlights: frames[3].clone().lazy(),
        summaries: inputs.summaries,
    };
    Ok((lazy, frames))
}

/// The analysis `config.out` holds, when it is the one [`run`] would write now: same version
/// and settings (options, lexicon, formats), every table file as it was written, and input
/// rows identical to those of `config.tables` today. `None` when any of that is not so (or
/// no analysis was written there); the caller then analyses for itself. Only the tables
/// named in `tables` are read (a report reads ten of the thirteen).
pub fn current(config: &Config, tables: &[&'static str]) -> anyhow::Result<Option<Analysis>> {
    let mut laps = crate::timing::Laps::new("current analysis");
    let (_, source) = crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let settings = incremental::settings_key(&config.options, &source.text, config.format);
    let Some(state) = State::load(&config.out, &settings) else { return Ok(None) };
    let (_, frames) = collect_inputs(crate::store::Store::open(&config.tables).inputs()?)?;
    laps.lap("read the inputs");
    if incremental::fingerprints(&frames.iter().collect::<Vec<_>>())? != state.topics {
        return Ok(None);
    }
    laps.lap("fingerprints");
    let tables = read_tables(config, tables)?;
    laps.lap("read the tables");
    Ok(Some(Analysis { tables }))
}

/// Tables of the analysis in `config.out`, read back, in parallel.
fn read_tables(config: &Config, names: &[&'static str]) -> PolarsResult<Vec<(&'static str, DataFrame)>> {
    names.par_iter().map(|name| Ok((*name, incremental::previous(&config.out, name)?))).collect()
}

/// [`run`], saying which topics it analysed. Incremental unless `config.full`: see
/// [`super::incremental`].
pub fn run_scoped(config: &Config) -> anyhow::Result<(Analysis, Scope)> {
    let mut laps = crate::timing::Laps::new("analyze");
    let (lexicon, source) =
        crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let (inputs, frames) = collect_inputs(crate::store::Store::open(&config.tables).inputs()?)?;
    laps.lap("read");
    let settings = incremental::settings_key(&config.options, &source.text, config.format);
    let fingerprints = incremental::fingerprints(&frames.iter().collect::<Vec<_>>())?;
    drop(frames);
    laps.lap("fingerprints");
    let previous = if config.full { None } else { State::load(&config.out, &settings) };
    // Every topic changed (the daily run of a cron job adds a digest to each): nothing to
    // keep, so no previous table is read.
    let previous = previous.filter(|s| fingerprints.keys().any(|t| s.topics.get(t) == fingerprints.get(t)));
    // A previous table that cannot be read or merged (damaged with its stamp intact, or
    // written by a build with another schema under the same version) costs a full run, with
    // a warning; it never fails the run. Nothing is written before the merge succeeds.
    let kept = previous.map(|state| keep_previous(config, &inputs, &lexicon, &state, &fingerprints));
    let (analysis, scope) = match kept {
        Some(Ok((analysis, scope))) => {
            if scope != Scope::Topics(Default::default()) {
                write_all(config, &analysis)?;
            }
            (analysis, scope)
        }
        other => {
            if let Some(Err(e)) = other {
                eprintln!(
                    "warning: the previous analysis in {} cannot be built on ({e:#}); analysing every topic",
                    config.out.display()
                );
            }
            // The inputs are handed over, so the analysis can free the rows it has joined.
            let analysis =
                analyze_topics(inputs, &lexicon, &config.options, None).context("the analysis failed")?;
            laps.lap("all analyses");
            write_all(config, &analysis)?;
            (analysis, Scope::Full)
        }
    };
    State {
        version: crate::store::state::version(),
        settings,
        topics: fingerprints,
        outputs: Default::default(),
    }
    .save(&config.out, config.format)?;
    laps.lap("write");
    Ok((analysis, scope))
}

/// The incremental run: the changed topics analysed and merged into the previous tables
/// (which are this run's when no topic changed).
fn keep_previous(
    config: &Config,
    inputs: &Inputs,
    lexicon: &super::lexicon::Lexicon,
    state: &State,
    fingerprints: &std::collections::BTreeMap<String, String>,
) -> anyhow::Result<(Analysis, Scope)> {
    let mut laps = crate::timing::Laps::new("analyze");
    let changed = incremental::changed(&state.topics, fingerprints);
    if changed.is_empty() {
        // Nothing changed: the tables on disk are this run's.
        let tables = read_tables(config, &table::ALL)?;
        laps.lap("read the previous tables");
        return Ok((Analysis { tables }, Scope::Topics(changed)));
    }
    let fresh = analyze_topics(inputs.clone(), lexicon, &config.options, Some(&changed))
        .context("the analysis failed")?;
    laps.lap("analyses of the changed topics");
    let tables = fresh
        .tables
        .into_par_iter()
        .map(|(name, df)| {
            // emerging_terms is computed whole on every run.
            if name == table::EMERGING_TERMS {
                return Ok((name, df));
            }
            let before = incremental::previous(&config.out, name)?;
            Ok((name, incremental::merge(name, before, df, &changed)?))
        })
        .collect::<PolarsResult<Vec<_>>>()?;
    laps.lap("merged with the previous tables");
    Ok((Analysis { tables }, Scope::Topics(changed)))
}

/// Writes every table.
fn write_all(config: &Config, analysis: &Analysis) -> anyhow::Result<()> {
    let tables: Vec<(&str, &DataFrame)> = analysis.tables.iter().map(|(name, df)| (*name, df)).collect();
    write::tables(&config.out, &tables, config.format)
}
