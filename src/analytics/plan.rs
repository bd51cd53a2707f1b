//! The planner: the inputs joined with their periods once ([`Joined`]), and the table jobs
//! that run over them ([`JOBS`]), each a pure query of one table family. [`run`] runs the
//! jobs whose tables they need are made, side by side, wave after wave, and times each.
//! Adding a table is adding a job here.

use std::collections::BTreeSet;

use polars::prelude::*;

use super::base::col;
use super::base::{
    cols, in_periods, live_digests, one_of, Analysis, Filter, Inputs, Options, Parts, Table, ARTICLE_COLUMNS,
};
use super::lexicon::Lexicon;
use super::restart::Resume;
use super::{blindspots, coverage, grounding, shares, stories, terms, themes, tone};
use crate::tables::col as c;

/// What every job reads, read and joined once (a lazy `cache` does not outlive its query):
/// the live digests and their articles and perspectives, with the period keys. Articles
/// keep only the columns some analysis reads.
pub struct Joined {
    /// The live digests of every topic, with their period keys.
    live_all: DataFrame,
    /// The live digests of the topics analysed.
    pub live: LazyFrame,
    /// Their articles (collected).
    pub articles: LazyFrame,
    /// Their perspectives (collected).
    pub perspectives: LazyFrame,
    /// Every topic's sides, `(perspective_id, perspective_name)`: titles are matched against
    /// the side names of the whole corpus.
    side_names: Vec<(String, String)>,
    /// The input highlights.
    highlights: LazyFrame,
    /// The articles of every topic: `articles` when every topic is analysed, else the inputs'.
    all_articles: LazyFrame,
    /// Only some topics are analysed.
    subset: bool,
}

impl Joined {
    /// The inputs of the digests `options` filters for, of `topics` (all with `None`).
    ///
    /// `inputs` is taken by value: over every topic, the input articles are dropped once
    /// joined with their periods, so a caller that hands over the only copy (as `analyze` the
    /// command does) holds their rows once, not twice.
    pub fn new(inputs: Inputs, options: &Options, topics: Option<&BTreeSet<String>>) -> PolarsResult<Joined> {
        let live_all = live_digests(inputs.digests.clone(), options).collect()?;
        let live = match topics {
            None => live_all.clone().lazy(),
            Some(t) => {
                let t = Series::new("topics".into(), t.iter().cloned().collect::<Vec<_>>());
                live_all.clone().lazy().filter(one_of(col(c::TOPIC), lit(t))).collect()?.lazy()
            }
        };
        let article_columns = cols(&ARTICLE_COLUMNS);
        let articles = in_periods(inputs.articles.clone().select(article_columns.clone()), live.clone())
            .collect()?
            .lazy();
        let perspectives = in_periods(inputs.perspectives.clone(), live.clone()).collect()?.lazy();
        // Every topic's side names: the perspectives just joined when every topic is
        // analysed, else joined again with every live digest.
        let all_perspectives = match topics {
            None => perspectives.clone(),
            Some(_) => in_periods(inputs.perspectives.clone(), live_all.clone().lazy()),
        };
        let side_names = side_names(all_perspectives)?;
        let Inputs { articles: input_articles, highlights, .. } = inputs;
        let all_articles = match topics {
            None => {
                drop(input_articles);
                articles.clone()
            }
            Some(_) => input_articles.select(article_columns),
        };
        Ok(Joined {
            live_all,
            live,
            articles,
            perspectives,
            side_names,
            highlights,
            all_articles,
            subset: topics.is_some(),
        })
    }

    /// The items (highlights and titles) of the latest periods of the whole data, for
    /// `emerging_terms`: of the last `emerging_periods` periods with an item, plus the
    /// trailing window their scores compare with (all periods when 0). Over every topic, the
    /// analysed articles are those of the corpus-wide frame; a run over some topics reads
    /// the other topics' articles from the inputs.
    fn recent_items(&self, options: &Options) -> PolarsResult<LazyFrame> {
        let latest = latest_item_period(&self.live_all, &self.highlights, &self.all_articles)?;
        let cutoff = match (options.emerging_periods, latest) {
            (0, _) | (_, None) => None,
            (n, Some(latest)) => Some(latest - (i64::from(n + options.trend_window) - 1)),
        };
        let recent = match cutoff {
            None => self.live_all.clone().lazy(),
            Some(first) => self.live_all.clone().lazy().filter(col(col::PERIOD_INDEX).gt_eq(lit(first))),
        }
        .collect()?;
        let recent_live = recent.clone().lazy();
        let recent_articles = match (self.subset, cutoff) {
            (false, None) => self.articles.clone(),
            (false, Some(first)) => self.articles.clone().filter(col(col::PERIOD_INDEX).gt_eq(lit(first))),
            (true, _) => in_periods(not_before(self.all_articles.clone(), &recent)?, recent_live.clone()),
        };
        Ok(themes::items(self.highlights.clone(), recent_articles, recent_live))
    }
}

/// `(perspective_id, perspective_name)` of the perspectives, each id once (its first name).
fn side_names(perspectives: LazyFrame) -> PolarsResult<Vec<(String, String)>> {
    let names = perspectives
        .select([col(c::PERSPECTIVE_ID), col(c::PERSPECTIVE_NAME)])
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect()?;
    Ok(names
        .column(c::PERSPECTIVE_ID)?
        .str()?
        .iter()
        .zip(names.column(c::PERSPECTIVE_NAME)?.str()?.iter())
        .filter_map(|(i, n)| Some((i?.to_string(), n?.to_string())))
        .collect())
}

/// The latest period index with an item (a highlight, or an article of known side) among
/// the live digests: the periods `emerging_terms` lists end there. Found from the latest
/// period down, so only the last periods' rows are looked at.
fn latest_item_period(
    live: &DataFrame,
    highlights: &LazyFrame,
    articles: &LazyFrame,
) -> PolarsResult<Option<i64>> {
    let periods = live
        .column(col::PERIOD_INDEX)?
        .as_materialized_series()
        .unique()?
        .sort(SortOptions::default().with_order_descending(true))?;
    for p in periods.i64()?.iter().flatten() {
        let in_period = live.clone().lazy().filter(col(col::PERIOD_INDEX).eq(lit(p))).collect()?;
        let ids = in_period.column(c::DIGEST_ID)?.as_materialized_series().clone();
        let articles = not_before(articles.clone(), &in_period)?;
        let bullets = highlights
            .clone()
            .filter(one_of(col(c::DIGEST_ID), lit(ids.clone())))
            .select([col(c::DIGEST_ID)])
            .limit(1);
        let titles = articles
            .filter(one_of(col(c::DIGEST_ID), lit(ids)).and(col(c::PERSPECTIVE_ID).is_not_null()))
            .select([col(c::DIGEST_ID)])
            .limit(1);
        if bullets.collect()?.height() + titles.collect()?.height() > 0 {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// `articles` without the rows of digests dated before `live`'s first: a comparison of dates
/// spares the look-ups by digest id that follow the rows no digest of `live` can own (an
/// article carries its digest's date; one without is kept for the look-up to decide).
fn not_before(articles: LazyFrame, live: &DataFrame) -> PolarsResult<LazyFrame> {
    let first = live.column(c::DIGEST_DATE)?.as_materialized_series().date()?.physical().min();
    Ok(match first {
        Some(day) => {
            let date = col(c::DIGEST_DATE).cast(DataType::Int32);
            articles.filter(date.clone().is_null().or(date.gt_eq(lit(day))))
        }
        None => articles,
    })
}

/// What a job reads besides the tables made before it.
pub struct Context<'a> {
    /// The joined inputs.
    pub joined: &'a Joined,
    /// The theme lexicon.
    pub lexicon: &'a Lexicon,
    /// The analysis options.
    pub options: &'a Options,
    /// The parts that run (all but for the benchmark suite); a part left out makes its
    /// tables empty.
    pub parts: Parts,
    /// An incremental run's restart: the analyses that read no earlier period and no later
    /// month make a changed topic's rows from its first changed month on (the rest are the
    /// previous run's). `None`: every row.
    pub resume: Option<&'a Resume<'a>>,
    /// Where the tables no step reads after they are made go at once ([`Sink`]); `None`:
    /// every table is held until the caller writes it.
    pub sink: Option<Sink<'a>>,
    /// The items themes and tone read ([`Self::items`]), made once for both by [`run`]
    /// before the wave of the first job that reads them, and let go after the last.
    items: std::sync::Mutex<Option<DataFrame>>,
}

/// Writes a table the moment its job has made it and returns its rows, so that it is let
/// go ([`Analysis::written`]) and not held beside the jobs still running: `analyze`'s full
/// run writes the large per-item tables no later job, report or summary reads
/// ([`Table::let_go`]) this way. Any other table, and every table of a run without a sink,
/// stays in the analysis.
pub type Sink<'a> = &'a (dyn Fn(Table, DataFrame) -> PolarsResult<usize> + Sync);

impl<'a> Context<'a> {
    /// Every row of every topic `joined` holds.
    fn new(joined: &'a Joined, lexicon: &'a Lexicon, options: &'a Options, parts: Parts) -> Context<'a> {
        Context { joined, lexicon, options, parts, resume: None, sink: None, items: Default::default() }
    }

    /// The rows of `lf` a period table is made from ([`super::restart::Restart::inputs`]).
    fn period_inputs(&self, lf: LazyFrame) -> PolarsResult<LazyFrame> {
        match self.resume {
            Some(r) => r.earlier.restart.inputs(lf),
            None => Ok(lf),
        }
    }

    /// The items themes and tone are counted over ([`themes::item_frame`]) of the rows
    /// [`Self::period_inputs`] keeps, made on the first call (`run` makes them before a wave,
    /// so no job of the wave waits on another for them). That filter is row-wise by topic and
    /// period, so it is applied to the digests and articles before they become items.
    fn items(&self) -> PolarsResult<DataFrame> {
        let mut items = self.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if items.is_none() {
            let j = self.joined;
            let (articles, live) =
                (self.period_inputs(j.articles.clone())?, self.period_inputs(j.live.clone())?);
            *items = Some(themes::item_frame(j.highlights.clone(), articles, live)?);
        }
        Ok(items.as_ref().expect("made above").clone())
    }

    /// Lets the items go: no job left reads them.
    fn release_items(&self) {
        *self.items.lock().unwrap_or_else(std::sync::PoisonError::into_inner) = None;
    }

    /// `themes` made from the restart on, with its topics' earlier rows put back: trends and
    /// runs read every period of it.
    fn whole_themes(&self, themes: DataFrame) -> PolarsResult<DataFrame> {
        match self.resume {
            Some(r) => super::restart::with_earlier(Table::Themes, r.themes, themes, r.earlier),
            None => Ok(themes),
        }
    }
}

/// Which rows an analysis makes: those of `topics` (all with `None`), and with `resume`,
/// those of the analyses it restarts from each topic's first changed month on.
#[derive(Default, Clone, Copy)]
pub struct Subset<'a> {
    pub topics: Option<&'a std::collections::BTreeSet<String>>,
    pub resume: Option<&'a Resume<'a>>,
}

/// One job of the plan: the tables it makes (in that order) from those it needs.
pub struct Job {
    /// For the timings.
    pub name: &'static str,
    /// The tables it makes, in the order `run` returns them.
    pub makes: &'static [Table],
    /// The tables it reads, made by other jobs first.
    pub needs: &'static [Table],
    /// It reads the items ([`Joined::items`]).
    pub items: bool,
    /// The query: the context and the tables made so far → the frames of `makes`.
    pub run: fn(&Context<'_>, &Analysis) -> PolarsResult<Vec<DataFrame>>,
}

/// Story clustering reads only the articles: the longest job, beside all the others.
pub const STORIES: Job = Job {
    name: "stories",
    makes: &[Table::Stories, Table::StoryArticles, Table::StorySides, Table::StoryPeriods],
    needs: &[],
    items: false,
    run: |ctx, _| {
        let articles = ctx.joined.articles.clone();
        let articles = if ctx.parts.stories { articles } else { articles.filter(lit(false)) };
        // A restarted topic resumes its clustering from the previous run's stories.
        let restart = ctx.resume.map(|r| r.earlier.restart.days_by_topic()).unwrap_or_default();
        let earlier = ctx.resume.map(|r| stories::Earlier {
            restart: &restart,
            stories: r.stories,
            story_articles: r.story_articles,
        });
        let t = stories::stories(articles, &ctx.options.stories, earlier.as_ref())?;
        Ok(vec![t.stories, t.story_articles, t.story_sides, t.story_periods])
    },
};

/// Every highlight and title matched against the lexicon once, for `themes` (as bit sets)
/// and `item_themes` (as rows).
pub const THEMES: Job = Job {
    name: "themes, item_themes",
    makes: &[Table::Themes, Table::ItemThemes],
    needs: &[],
    items: true,
    run: |ctx, _| {
        let items = ctx.items()?;
        let themes::Matched { items, item_themes } = themes::match_items(items, ctx.lexicon)?;
        let themes = ctx.whole_themes(themes::themes(items, ctx.lexicon).collect()?)?;
        Ok(vec![themes, item_themes])
    },
};

/// Rising, fading and recurring themes, from `themes`.
pub const THEME_TRENDS: Job = Job {
    name: "theme_trends",
    makes: &[Table::ThemeTrends],
    needs: &[Table::Themes],
    items: false,
    run: |ctx, done| {
        // A trend reads the periods before its own: from the restart on, only those rows
        // of `themes` and the ones the restart's rows read back to.
        let themes = done.get(Table::Themes)?.clone().lazy();
        let themes = match ctx.resume {
            Some(r) => r.earlier.restart.trailing_inputs(themes, themes::trend_span(ctx.options))?,
            None => themes,
        };
        Ok(vec![ctx.period_inputs(themes::trends(themes, ctx.options))?.collect()?])
    },
};

/// Runs of low share, and theme silences from `themes`.
pub const BLINDSPOTS: Job = Job {
    name: "blindspots",
    makes: &[Table::Blindspots],
    needs: &[Table::Themes],
    items: false,
    run: |ctx, done| {
        let j = ctx.joined;
        let per_digest = blindspots::side_shares_per_digest(j.perspectives.clone(), j.live.clone());
        let themes = done.get(Table::Themes)?.clone().lazy();
        Ok(vec![blindspots::blindspots(per_digest, themes, ctx.options).collect()?])
    },
};

pub const SOURCE_SHARES: Job = Job {
    name: "source_shares",
    makes: &[Table::SourceShares],
    needs: &[],
    items: false,
    run: |ctx, _| Ok(vec![shares::source_shares(ctx.period_inputs(ctx.joined.articles.clone())?).collect()?]),
};

pub const PERSPECTIVE_BALANCE: Job = Job {
    name: "perspective_balance",
    makes: &[Table::PerspectiveBalance],
    needs: &[],
    items: false,
    run: |ctx, _| {
        let j = ctx.joined;
        let (articles, perspectives) =
            (ctx.period_inputs(j.articles.clone())?, ctx.period_inputs(j.perspectives.clone())?);
        Ok(vec![shares::perspective_balance(articles, perspectives).collect()?])
    },
};

/// Over the latest periods of the whole data, whatever topics are analysed.
pub const EMERGING_TERMS: Job = Job {
    name: "emerging_terms",
    makes: &[Table::EmergingTerms],
    needs: &[],
    items: false,
    run: |ctx, _| {
        let items = ctx.joined.recent_items(ctx.options)?;
        Ok(vec![terms::emerging_terms(items, ctx.lexicon, ctx.options)?.collect()?])
    },
};

pub const COVERAGE_PROFILE: Job = Job {
    name: "coverage_profile",
    makes: &[Table::CoverageProfile],
    needs: &[],
    items: false,
    run: |ctx, _| {
        let j = ctx.joined;
        let sides = ctx.lexicon.side_matcher(&j.side_names);
        let (articles, perspectives) =
            (ctx.period_inputs(j.articles.clone())?, ctx.period_inputs(j.perspectives.clone())?);
        Ok(vec![coverage::profile(articles, perspectives, sides)?.collect()?])
    },
};

pub const COVERAGE_LANGUAGES: Job = Job {
    name: "coverage_languages",
    makes: &[Table::CoverageLanguages],
    needs: &[],
    items: false,
    run: |ctx, _| Ok(vec![coverage::languages(ctx.period_inputs(ctx.joined.articles.clone())?).collect()?]),
};

/// Tone of every item in its language, per side and period, and the words behind it.
pub const TONE: Job = Job {
    name: "item_tone, side_tone, tone_words",
    makes: &[Table::ItemTone, Table::SideTone, Table::ToneWords],
    needs: &[],
    items: true,
    run: |ctx, _| {
        let lexicon = tone::ToneLexicon::builtin();
        let items = ctx.items()?;
        let items = if ctx.parts.tone_grounding { items } else { items.clear() };
        let t = tone::tone(&items, lexicon, ctx.options)?;
        Ok(vec![t.item_tone, t.side_tone, t.tone_words])
    },
};

/// The titles each highlight rests on.
pub const GROUNDING: Job = Job {
    name: "highlight_support, highlight_grounding",
    makes: &[Table::HighlightSupport, Table::HighlightGrounding],
    needs: &[],
    items: false,
    run: |ctx, _| {
        let j = ctx.joined;
        let highlights = j.highlights.clone();
        let highlights = if ctx.parts.tone_grounding { highlights } else { highlights.filter(lit(false)) };
        let g = grounding::grounding(
            highlights,
            j.articles.clone(),
            j.live.clone(),
            &ctx.options.grounding,
            ctx.resume.map(|r| r.earlier.restart.months()),
        )?;
        Ok(vec![g.highlight_support, g.highlight_grounding])
    },
};

/// Every job, the longest first (a wave's jobs start in this order).
pub const JOBS: [&Job; 11] = [
    &STORIES,
    &THEMES,
    &TONE,
    &GROUNDING,
    &COVERAGE_PROFILE,
    &EMERGING_TERMS,
    &SOURCE_SHARES,
    &COVERAGE_LANGUAGES,
    &PERSPECTIVE_BALANCE,
    &THEME_TRENDS,
    &BLINDSPOTS,
];

/// Every job but `left_out`.
pub fn jobs_except(left_out: &[&Job]) -> Vec<&'static Job> {
    JOBS.into_iter().filter(|j| !left_out.iter().any(|l| l.name == j.name)).collect()
}

/// Runs `jobs` over `ctx`, adding their tables to `done`: the jobs whose needs are made run
/// side by side, then those that waited for them. The tables come back in [`Table::ALL`]
/// order.
pub fn run(jobs: &[&Job], ctx: &Context<'_>, mut done: Analysis) -> PolarsResult<Analysis> {
    let mut pending: Vec<&Job> = jobs.to_vec();
    while !pending.is_empty() {
        let (ready, waiting): (Vec<&Job>, Vec<&Job>) =
            pending.into_iter().partition(|j| j.needs.iter().all(|t| done.find(*t).is_some()));
        if ready.is_empty() {
            let names: Vec<&str> = waiting.iter().map(|j| j.name).collect();
            polars_bail!(ComputeError: "the analysis plan cannot run {}: a table it needs is made by no job", names.join(", "));
        }
        if ready.iter().any(|j| j.items) {
            let mut laps = crate::timing::Laps::new("analyze");
            ctx.items()?;
            laps.lap("items for themes and tone");
        }
        // The items are let go as soon as the last job of the wave that reads them is done,
        // when no later job reads them: the jobs still running reuse their memory.
        let readers = std::sync::atomic::AtomicUsize::new(ready.iter().filter(|j| j.items).count());
        let later = waiting.iter().any(|j| j.items);
        // Taken in list order (the longest first), so the longest job runs beside the rest
        // and the items' two readers one after the other, not beside each other.
        let made = crate::queue::in_order(&ready, |job| -> PolarsResult<_> {
            let mut laps = crate::timing::Laps::new("analyze job");
            let frames = (job.run)(ctx, &done)?;
            if job.items && readers.fetch_sub(1, std::sync::atomic::Ordering::AcqRel) == 1 && !later {
                ctx.release_items();
            }
            laps.lap(job.name);
            debug_assert_eq!(frames.len(), job.makes.len(), "{}", job.name);
            let (mut kept, mut written) = (Vec::new(), Vec::new());
            for (table, df) in job.makes.iter().copied().zip(frames) {
                match ctx.sink {
                    Some(sink) if table.let_go() && !waiting.iter().any(|j| j.needs.contains(&table)) => {
                        written.push((table, sink(table, df)?));
                    }
                    _ => kept.push((table, df)),
                }
            }
            if !written.is_empty() {
                laps.lap(&format!("{} written", job.name));
            }
            Ok((kept, written))
        })?;
        for (kept, written) in made {
            done.replace(kept);
            done.written.extend(written);
        }
        pending = waiting;
    }
    done.tables.sort_by_key(|(t, _)| *t);
    done.written.sort_by_key(|(t, _)| *t);
    Ok(done)
}

/// Runs every analysis over the inputs.
pub fn analyze(inputs: &Inputs, lexicon: &Lexicon, options: &Options) -> PolarsResult<Analysis> {
    analyze_topics(inputs.clone(), lexicon, options, Subset::default(), Parts::default(), None)
}

/// Runs every analysis over the digests of `subset`'s topics (all with `None`): the
/// incremental run's way to recompute the topics that changed (most tables from each
/// topic's first changed month, `subset.resume`). Each table's rows of a topic are the
/// same as a run over every topic gives, because what is corpus-wide (the side names
/// titles are matched against, the latest periods of `emerging_terms`) is taken from every
/// topic ([`Joined`]), and `emerging_terms` is complete whatever `topics` says.
/// A part `parts` leaves out has empty tables (the benchmark suite's switches). With a
/// `sink`, the tables it takes are written as they are made and let go ([`Sink`]).
pub fn analyze_topics(
    inputs: Inputs,
    lexicon: &Lexicon,
    options: &Options,
    subset: Subset<'_>,
    parts: Parts,
    sink: Option<Sink<'_>>,
) -> PolarsResult<Analysis> {
    let mut laps = crate::timing::Laps::new("analyze");
    let joined = Joined::new(inputs, options, subset.topics)?;
    laps.lap("read and join the tables");
    let ctx = Context { resume: subset.resume, sink, ..Context::new(&joined, lexicon, options, parts) };
    let analysis = run(&JOBS, &ctx, Analysis::default())?;
    laps.lap("analyses");
    Ok(analysis)
}

/// The analysis of the periods `options` filters for (a report's weeks, a comparison's
/// months), with what reaches back further found over all the digests of its topics, as
/// [`analyze`] of every period finds it: the stories (followed from the first article of a
/// topic on), the runs of low share in `blindspots`, and the grounding, whose word rarity
/// reads the twelve months up to each digest's (its rows then kept for the periods'
/// digests). Found in those periods only, a story or a run that began before them would
/// read younger and smaller than the tables and `run`'s report say, and a bullet's support
/// would be scored with another rarity. The theme silences of `blindspots` are those of the
/// periods.
pub fn analyze_window(inputs: &Inputs, lexicon: &Lexicon, options: &Options) -> PolarsResult<Analysis> {
    let whole = Options {
        filter: Filter { topics: options.filter.topics.clone(), ..Filter::default() },
        ..options.clone()
    };
    let (periods, all) =
        (Joined::new(inputs.clone(), options, None)?, Joined::new(inputs.clone(), &whole, None)?);
    let in_periods = Context::new(&periods, lexicon, options, Parts::default());
    let over_all = Context::new(&all, lexicon, &whole, Parts::default());
    let (analysis, over_all_tables) = rayon::join(
        || run(&jobs_except(&[&STORIES, &BLINDSPOTS, &GROUNDING]), &in_periods, Analysis::default()),
        || run(&[&STORIES, &GROUNDING], &over_all, Analysis::default()),
    );
    let mut analysis = analysis?;
    let mut over_all_tables = over_all_tables?;
    // The grounding of the periods' digests only, in the order of the whole table.
    let ids = periods.live.clone().select([col(c::DIGEST_ID)]).collect()?;
    let ids = ids.column(c::DIGEST_ID)?.as_materialized_series().clone();
    for table in [Table::HighlightSupport, Table::HighlightGrounding] {
        let df = over_all_tables.get(table)?.clone();
        let kept = df.lazy().filter(one_of(col(c::DIGEST_ID), lit(ids.clone()))).collect()?;
        over_all_tables.replace(vec![(table, kept)]);
    }
    analysis.replace(over_all_tables.tables);
    // The runs of low share over all periods, the silences from the periods' themes.
    run(&[&BLINDSPOTS], &over_all, analysis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_made_by_exactly_one_job_and_every_need_by_some_job() {
        for t in Table::ALL {
            let makers: Vec<&str> = JOBS.iter().filter(|j| j.makes.contains(&t)).map(|j| j.name).collect();
            assert_eq!(makers.len(), 1, "{t} is made by {makers:?}");
        }
        for j in JOBS {
            for need in j.needs {
                assert!(JOBS.iter().any(|m| m.makes.contains(need)), "{} needs {need}", j.name);
                assert!(!need.let_go(), "{} needs {need}, which a full run lets go", j.name);
            }
        }
    }

    #[test]
    fn no_table_a_report_reads_is_let_go() {
        for t in crate::report::view::TABLES {
            assert!(!t.let_go(), "the weekly report reads {t}");
        }
    }
}
