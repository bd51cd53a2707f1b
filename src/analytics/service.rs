//! The one way into an analysis. Every command says what it needs ([`Request`]) and
//! [`analysis_for`] chooses how to get it: written now (incremental unless asked for a full
//! run) for `analyze` and `run`, read back from a stored analysis that is current for a
//! report, or computed over a window (a report's weeks, a comparison's months) or over the
//! periods of a filter (an export). It says which it chose ([`Provenance`]).

use std::path::Path;

use anyhow::Context as _;

use super::base::{Analysis, Inputs, Options, Table};
use super::job::{self, Config, Scope};
use super::lexicon::Lexicon;
use crate::store::Store;

/// The analysis of the periods `options` filters for, from these inputs and lexicon.
#[derive(Clone, Copy)]
pub struct Over<'a> {
    /// The extracted tables.
    pub inputs: &'a Inputs,
    /// The theme lexicon.
    pub lexicon: &'a Lexicon,
    /// The periods, topics and knobs.
    pub options: &'a Options,
}

/// Whether a stored analysis serves the caller (a report: does it cover its week?).
pub type Serves<'a> = &'a dyn Fn(&Analysis) -> anyhow::Result<bool>;

/// What a command needs.
pub enum Request<'a> {
    /// Every period analysed and written to `config.out`, incrementally unless `config.full`
    /// (`analyze`, `run`).
    Write(&'a Config),
    /// The analysis stored in `stored.out`, when it is the one `analyze` would write now and
    /// `serves` the caller, reading only `tables`; else the window (`report`).
    Reuse {
        /// Where the analysis is stored and how it was made (its settings are compared).
        stored: &'a Config,
        /// The tables the caller reads.
        tables: &'a [Table],
        /// Whether it covers what the caller shows.
        serves: Serves<'a>,
        /// The analysis to compute when the stored one does not serve.
        window: Over<'a>,
    },
    /// The periods, with the stories and the runs of low share followed over all the
    /// digests of their topics (`report`, `compare`).
    Window(Over<'a>),
    /// The periods alone (`export`: the analysis of exactly what is exported).
    Periods(Over<'a>),
}

/// How the analysis was got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Provenance {
    /// Analysed now and written (every topic, or only those that changed).
    Written(Scope),
    /// Read back from the stored analysis, which is current.
    Stored,
    /// Computed over a window.
    Window,
    /// Computed over the filtered periods.
    Periods,
}

/// The analysis `request` asks for, and how it was got.
pub fn analysis_for(store: &Store, request: &Request<'_>) -> anyhow::Result<(Analysis, Provenance)> {
    match request {
        Request::Write(config) => {
            let (analysis, scope) = job::write(store, config)?;
            Ok((analysis, Provenance::Written(scope)))
        }
        Request::Reuse { stored, tables, serves, window } => {
            if let Some(analysis) = stored_analysis(store, stored, tables)? {
                if serves(&analysis)? {
                    return Ok((analysis, Provenance::Stored));
                }
            }
            analysis_for(store, &Request::Window(*window))
        }
        Request::Window(over) => {
            let analysis = super::plan::analyze_window(over.inputs, over.lexicon, over.options)
                .context("the analysis of the window failed")?;
            Ok((analysis, Provenance::Window))
        }
        Request::Periods(over) => {
            let analysis = super::plan::analyze(over.inputs, over.lexicon, over.options)
                .context("the analysis of the periods failed")?;
            Ok((analysis, Provenance::Periods))
        }
    }
}

/// The analysis `config.out` holds when it is current ([`job::current`]), read under the
/// folder's lock so no analyze run rewrites it meanwhile; a folder without an analysis is
/// left alone (locking would create it).
fn stored_analysis(store: &Store, config: &Config, tables: &[Table]) -> anyhow::Result<Option<Analysis>> {
    if !has_analysis(&config.out) {
        return Ok(None);
    }
    let _lock = crate::write::lock(&config.out)?;
    job::current(store, config, tables)
}

/// Whether `dir` holds an analysis (its state file).
fn has_analysis(dir: &Path) -> bool {
    dir.join(super::incremental::STATE).is_file()
}
