//! The written analysis: the extracted tables → every analysis table, written to a folder
//! with the state a later run builds on ([`super::incremental`]); and that folder read back
//! when it is current. [`super::service::analysis_for`] is the way in.

use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;

use std::collections::BTreeSet;

use polars::prelude::{polars_err, DataFrame, IntoLazy, PolarsResult};

use super::base::{cols, Analysis, Inputs, Options, Parts, Table, ARTICLE_COLUMNS, HIGHLIGHT_COLUMNS};
use super::incremental::{self, State};
use crate::store::Store;
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
    /// Write every table as hive partitions by topic and year
    /// ([`super::partitions`]); a run then rewrites only the topics it analysed.
    pub partitioned: bool,
    /// The parts that run: all of them, but for the benchmark suite, which measures what a
    /// part adds by leaving it out ([`Parts`]; its tables are then written empty). Part of
    /// what a stored analysis is keyed on, so a later run with every part analyses every
    /// topic again.
    pub parts: Parts,
}

impl Config {
    /// What a stored analysis made with this config is keyed on: the version aside, its
    /// options, lexicon text, formats and the parts left out.
    fn settings(&self, lexicon_text: &str) -> String {
        let mut key = incremental::settings_key(&self.options, lexicon_text, self.format);
        for (on, without) in
            [(self.parts.stories, "stories"), (self.parts.tone_grounding, "tone and grounding")]
        {
            if !on {
                key = crate::hash::sha256_hex(format!("{key}\nwithout {without}").as_bytes());
            }
        }
        key
    }
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
pub fn current(store: &Store, config: &Config, tables: &[Table]) -> anyhow::Result<Option<Analysis>> {
    let mut laps = crate::timing::Laps::new("current analysis");
    let (_, source) = crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let Some(state) = State::load(&config.out, &config.settings(&source.text)) else { return Ok(None) };
    let (_, frames) = collect_inputs(store.inputs()?)?;
    laps.lap("read the inputs");
    if incremental::fingerprints(&frames.iter().collect::<Vec<_>>())? != state.topics {
        return Ok(None);
    }
    laps.lap("fingerprints");
    let tables = read_tables(config, tables)?;
    laps.lap("read the tables");
    Ok(Some(Analysis::of(tables)))
}

/// Tables of the analysis in `config.out`, read back, in parallel.
fn read_tables(config: &Config, tables: &[Table]) -> PolarsResult<Vec<(Table, DataFrame)>> {
    tables.par_iter().map(|t| Ok((*t, incremental::previous(&config.out, t.name())?))).collect()
}

/// Analyses the tables of `store` and writes every table to `config.out`, saying which topics
/// it analysed. Incremental unless `config.full`: see [`super::incremental`].
pub(super) fn write(store: &Store, config: &Config) -> anyhow::Result<(Analysis, Scope)> {
    let mut laps = crate::timing::Laps::new("analyze");
    let (lexicon, source) =
        crate::resources::Args { outlets: None, lexicon: config.lexicon.clone() }.lexicon()?;
    let (inputs, frames) = collect_inputs(store.inputs()?)?;
    laps.lap("read");
    let settings = config.settings(&source.text);
    // The digests' dates: the month of each input row, and of each kept row of a restart.
    let digests = super::restart::DigestDates::of(&frames[0])?;
    let (fingerprints, months) =
        incremental::fingerprints_by_month(&frames.iter().collect::<Vec<_>>(), Some(&digests))?;
    drop(frames);
    laps.lap("fingerprints");
    let previous = if config.full { None } else { State::load(&config.out, &settings) };
    // Another layout than the previous run's: every table is written again.
    let previous = previous.filter(|s| s.partitioned == config.partitioned);
    // The partitions as the previous run left them: one whose rows are the same is not
    // written again, even when its topic was analysed again.
    let hashes = previous.as_ref().map(|s| s.partitions.clone()).unwrap_or_default();
    let previous = previous.and_then(|s| since_previous(&s, &fingerprints, &months));
    // A previous table that cannot be read or merged (damaged with its stamp intact, or
    // written by a build with another schema under the same version) costs a full run, with
    // a warning; it never fails the run. Nothing is written before the merge succeeds.
    let kept =
        previous.map(|(changed, since)| keep_previous(config, &inputs, &lexicon, changed, since, &digests));
    laps.lap(if kept.is_some() { "incremental analysis" } else { "the previous analysis checked" });
    // The partitions' hashes after the write (those of the previous run when nothing is
    // written).
    let mut written = hashes.clone();
    let (analysis, scope) = match kept {
        Some(Ok(Kept { mut merged, fresh, changed, first_years })) => {
            if !changed.is_empty() {
                let scope = super::partitions::Scope { topics: &changed, first_years: &first_years };
                written = write_all(store, config, &merged, Some((&fresh, scope)), &hashes)?;
            }
            count_let_go(config, &mut merged)?;
            laps.lap("write the tables");
            (merged, Scope::Topics(changed))
        }
        other => {
            // A previous analysis that cannot be built on is not trusted for its partitions.
            let mut hashes = &hashes;
            let none = Default::default();
            if let Some(Err(e)) = other {
                eprintln!(
                    "warning: the previous analysis in {} cannot be built on ({e:#}); analysing every topic",
                    config.out.display()
                );
                hashes = &none;
            }
            // The inputs are handed over, so the analysis can free the rows it has joined.
            let sink = written_at_once(config);
            let analysis = super::plan::analyze_topics(
                inputs,
                &lexicon,
                &config.options,
                Default::default(),
                config.parts,
                (!config.partitioned).then_some(&sink as super::plan::Sink<'_>),
            )
            .context("the analysis failed")?;
            laps.lap("all analyses");
            written = write_all(store, config, &analysis, None, hashes)?;
            laps.lap("write the tables");
            (analysis, Scope::Full)
        }
    };
    State {
        version: incremental::version(),
        settings,
        topics: fingerprints,
        outputs: Default::default(),
        partitioned: config.partitioned,
        partitions: if config.partitioned { written } else { Default::default() },
        months,
    }
    .save(&config.out, |t| t.formats(config.format))?;
    laps.lap("save the state");
    Ok((analysis, scope))
}

/// Writes a table of `config` at once ([`super::plan::Sink`]): in the single-file layout,
/// the per-item tables nothing reads afterwards are written as soon as their jobs make them
/// (before the rest, so a run that fails later leaves them newer than the state's stamps,
/// and the next run is a full one).
fn written_at_once(config: &Config) -> impl Fn(Table, DataFrame) -> PolarsResult<usize> + Sync + '_ {
    |table: Table, mut df: DataFrame| {
        let rows = df.height();
        write::table(&config.out, table.name(), &mut df, table.formats(config.format))
            .map_err(|e| polars::prelude::polars_err!(ComputeError: "{e:#}"))?;
        Ok(rows)
    }
}

/// Whether an incremental run holds table `t` in the analysis it returns: every table but,
/// partitioned, those nothing reads afterwards ([`Table::let_go`]), which stay on disk
/// ([`count_let_go`]).
fn holds(config: &Config, t: Table) -> bool {
    !(config.partitioned && t.let_go())
}

/// Records in `analysis` as written the [`Table::let_go`] tables an incremental run over
/// partitions did not merge, with the rows their partitions hold (from the Parquet footers).
fn count_let_go(config: &Config, analysis: &mut Analysis) -> anyhow::Result<()> {
    let out = crate::store::Store::open(&config.out);
    for table in Table::ALL.into_iter().filter(|t| t.let_go()) {
        if analysis.find(table).is_some() || analysis.written.iter().any(|(t, _)| *t == table) {
            continue;
        }
        let files = out.files(table.name())?;
        let rows = files.iter().map(|f| crate::store::Store::rows_in(f)).sum::<anyhow::Result<usize>>()?;
        analysis.written.push((table, rows));
    }
    Ok(())
}

/// What changed since the `previous` run: the topics, and each one's first changed month
/// (the analyses that read no later month start it there; the rows before are the previous
/// tables'). `None` when every topic changed from its first month: nothing to keep, so no
/// previous table is read. (The daily run of a cron job adds a digest to each topic, but
/// keeps their earlier months.)
fn since_previous(
    previous: &State,
    fingerprints: &std::collections::BTreeMap<String, String>,
    months: &incremental::MonthPrints,
) -> Option<(BTreeSet<String>, std::collections::BTreeMap<String, u32>)> {
    let changed = incremental::changed(&previous.topics, fingerprints);
    let since = incremental::first_changed_months(&previous.months, months, &changed);
    let keeps = fingerprints.keys().any(|t| !changed.contains(t)) || !since.is_empty();
    keeps.then_some((changed, since))
}

/// What an incremental run made: every table with the changed topics' rows replaced
/// (`merged`), and those rows alone (`fresh`, with `emerging_terms` whole).
struct Kept {
    merged: Analysis,
    fresh: Analysis,
    changed: BTreeSet<String>,
    /// Per restarted topic, the first year its restarted tables' partitions can change
    /// ([`super::restart::Restart::first_years`]).
    first_years: std::collections::BTreeMap<String, i32>,
}

/// The incremental run: the `changed` topics analysed (from their first changed month,
/// `since`, where a table allows) and merged into the previous tables (which are this run's
/// when no topic changed).
fn keep_previous(
    config: &Config,
    inputs: &Inputs,
    lexicon: &super::lexicon::Lexicon,
    changed: BTreeSet<String>,
    since: std::collections::BTreeMap<String, u32>,
    digests: &super::restart::DigestDates,
) -> anyhow::Result<Kept> {
    let mut laps = crate::timing::Laps::new("analyze");
    if changed.is_empty() {
        // Nothing changed: the tables on disk are this run's (partitioned, those nothing
        // reads afterwards are left there, [`count_let_go`]).
        let read: Vec<Table> = Table::ALL.into_iter().filter(|t| holds(config, *t)).collect();
        let tables = read_tables(config, &read)?;
        laps.lap("read the previous tables");
        let (fresh, first_years) = Default::default();
        return Ok(Kept { merged: Analysis::of(tables), fresh, changed, first_years });
    }
    let restart = super::restart::Restart::new(since);
    let earlier = super::restart::Earlier { restart: &restart, period: config.options.period, digests };
    // `themes` is read whole by later jobs: the plan puts its earlier rows back itself. The
    // stories resume from the previous ones. Each is read once: the merge takes them too.
    let early: Vec<(Table, DataFrame)> = match restart.is_empty() {
        true => Vec::new(),
        false => read_tables(config, &[Table::Themes, Table::Stories, Table::StoryArticles])?,
    };
    let read_early = |t: Table| early.iter().find(|(name, _)| *name == t).map(|(_, df)| df);
    let resume =
        match (read_early(Table::Themes), read_early(Table::Stories), read_early(Table::StoryArticles)) {
            (Some(themes), Some(stories), Some(story_articles)) => {
                Some(super::restart::Resume { earlier: &earlier, themes, stories, story_articles })
            }
            _ => None,
        };
    let subset = super::plan::Subset { topics: Some(&changed), resume: resume.as_ref() };
    let mut fresh =
        super::plan::analyze_topics(inputs.clone(), lexicon, &config.options, subset, config.parts, None)
            .context("the analysis failed")?;
    laps.lap("analyses of the changed topics");
    let first_years = restart.first_years();
    let merge = Merge { config, earlier: &earlier, changed: &changed, first_years: &first_years };
    let both = fresh
        .tables
        .par_iter()
        .map(|(name, df)| merge.table(*name, df, read_early(*name)))
        .collect::<PolarsResult<Vec<_>>>()?;
    let mut tables = Vec::with_capacity(both.len());
    for (merged, whole) in both {
        if let Some(whole) = whole {
            fresh.replace(vec![whole]);
        }
        tables.extend(merged);
    }
    laps.lap("merged with the previous tables");
    Ok(Kept { merged: Analysis::of(tables), fresh, changed, first_years })
}

/// What merges a table of an incremental run with the previous run's.
struct Merge<'a> {
    config: &'a Config,
    earlier: &'a super::restart::Earlier<'a>,
    changed: &'a BTreeSet<String>,
    first_years: &'a std::collections::BTreeMap<String, i32>,
}

/// A table merged with the previous run's (`None` when not held: [`Merge::table`]), and the
/// changed topics' rows to write when they are not those the analysis made.
type Merged = (Option<(Table, DataFrame)>, Option<(Table, DataFrame)>);

impl Merge<'_> {
    /// Table `name` of the changed topics (`df`) merged with the previous run's (`early`
    /// when already read). Partitioned, the tables nothing reads afterwards
    /// ([`Table::let_go`]) are not merged: only the partitions the run writes again are read,
    /// when it writes rows of the previous run's in them (a restarted topic's from its first
    /// year: its rows before the restart), and the analysis holds them as written
    /// ([`count_let_go`]). Reading and merging them whole was most of this step at 100k
    /// digests.
    fn table(&self, name: Table, df: &DataFrame, early: Option<&DataFrame>) -> PolarsResult<Merged> {
        // emerging_terms is computed whole on every run.
        if name == Table::EmergingTerms {
            return Ok((Some((name, df.clone())), None));
        }
        let with_earlier =
            |before: &DataFrame| super::restart::with_earlier(name, before, df.clone(), self.earlier);
        if !holds(self.config, name) {
            // Made whole for every changed topic: nothing of the previous run's to put back.
            if !name.from_first_changed_month() {
                return Ok((None, None));
            }
            let taken = |topic: &str, year: Option<i32>| {
                self.first_years.get(topic).is_some_and(|first| year.is_none_or(|y| y >= *first))
            };
            let before = crate::store::Store::open(&self.config.out)
                .scan_partitions(name.name(), taken)
                .and_then(|lf| Ok(lf.map(|lf| lf.collect()).transpose()?))
                .map_err(|e| polars_err!(ComputeError: "{e:#}"))?;
            let whole = match before {
                Some(before) => with_earlier(&before)?,
                None => df.clone(),
            };
            return Ok((None, Some((name, whole))));
        }
        let before = match early {
            Some(df) => df.clone(),
            None => incremental::previous(&self.config.out, name.name())?,
        };
        // A table recomputed from a month on gets the earlier rows of its topics back.
        let df = match name.from_first_changed_month() {
            true => with_earlier(&before)?,
            false => df.clone(),
        };
        let merged = incremental::merge(name.name(), before, df.clone(), self.changed)?;
        Ok((Some((name, merged)), name.from_first_changed_month().then_some((name, df))))
    }
}

/// Writes every table in its formats ([`Table::formats`]): as partitions when
/// `config.partitioned` (after an incremental run, only the partitions of its
/// [`super::partitions::Scope`], from `fresh`), else as single files. What an earlier run
/// left in another layout or format (partitions, a detail table's CSV) is removed, so the
/// folder never holds a stale copy beside the current one.
fn write_all(
    store: &Store,
    config: &Config,
    analysis: &Analysis,
    fresh: Option<(&Analysis, super::partitions::Scope<'_>)>,
    hashes: &super::partitions::Hashes,
) -> anyhow::Result<super::partitions::Hashes> {
    let formats = |t: Table| t.formats(config.format);
    if config.partitioned {
        let (rows, scope) = match fresh {
            Some((fresh, scope)) => (fresh, Some(scope)),
            None => (analysis, None),
        };
        let years = super::partitions::Years::new(store.scan(crate::tables::name::DIGESTS)?, rows)?;
        let whole = [Table::EmergingTerms];
        return super::partitions::write(&config.out, rows, &years, formats, scope, &whole, hashes);
    }
    for table in Table::ALL {
        let partitions = config.out.join(table.name());
        if partitions.is_dir() {
            std::fs::remove_dir_all(&partitions)
                .with_context(|| format!("cannot remove {}", partitions.display()))?;
        }
    }
    write::tables(&config.out, &analysis.files(config.format))?;
    for table in Table::ALL {
        for ext in Format::Both.extensions() {
            let stale = config.out.join(format!("{table}.{ext}"));
            if !table.formats(config.format).extensions().contains(ext) && stale.is_file() {
                std::fs::remove_file(&stale).with_context(|| format!("cannot remove {}", stale.display()))?;
            }
        }
    }
    Ok(Default::default())
}
