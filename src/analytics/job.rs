//! One analysis run as a library call: the extracted tables → every analysis table, written.
//! `biaslens analyze` and `run` call it.

use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use super::{analyze, Analysis, Options};
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
}

/// Runs the analysis and writes every table; returns the analysis for summaries.
pub fn run(config: &Config) -> anyhow::Result<Analysis> {
    let mut laps = crate::timing::Laps::new("analyze");
    let (lexicon, _) = crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let inputs = crate::store::Store::open(&config.tables).inputs()?;
    laps.lap("scan");
    let analysis = analyze(&inputs, &lexicon, &config.options).context("the analysis failed")?;
    laps.lap("all analyses");
    analysis.tables.par_iter().try_for_each(|(name, df)| {
        write::table(&config.out, name, &mut df.clone(), config.format).map(|_| ())
    })?;
    laps.lap("write");
    Ok(analysis)
}
