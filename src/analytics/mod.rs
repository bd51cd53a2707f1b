//! Analytics: the extracted tables → the analysis tables of `spec/tables.md`, all in Polars.
//!
//! Every function here is `LazyFrame → LazyFrame`. The orchestrator ([`analyze`]) decides
//! where results are collected: once per written table, and the themes table is collected
//! before the trends and blindspots that build on it so its keyword matching runs once.

pub mod blindspots;
pub mod coverage;
pub mod incremental;
pub mod job;
pub mod lexicon;
pub mod periods;
pub mod shares;
pub mod stories;
pub mod terms;
pub mod themes;

use chrono::NaiveDate;
use polars::prelude::*;

use crate::tables::col as c;

pub use periods::Period;

/// Column names of the analysis tables (the extracted ones are in [`crate::tables::col`]).
pub mod col {
    pub const PERIOD: &str = "period";
    pub const PERIOD_START: &str = "period_start";
    pub const PERIOD_END: &str = "period_end";
    /// Calendar index of a period (weeks or months since 1970), for trailing windows.
    pub const PERIOD_INDEX: &str = "period_index";
    pub const ARTICLES: &str = "articles";
    pub const SHARE: &str = "share";
    pub const BALANCE_INDEX: &str = "balance_index";
    pub const PERSPECTIVES_DECLARED: &str = "perspectives_declared";
    pub const THEME: &str = "theme";
    pub const THEME_NAME: &str = "theme_name";
    pub const MENTIONS: &str = "mentions";
    pub const ITEMS: &str = "items";
    pub const TRAILING_MEAN: &str = "trailing_mean";
    pub const TRAILING_PERIODS: &str = "trailing_periods";
    pub const PERIODS_PRESENT: &str = "periods_present";
    pub const RECURRING: &str = "recurring";
    pub const TREND: &str = "trend";
    pub const TERM: &str = "term";
    pub const SCORE: &str = "score";
    pub const RANK: &str = "rank";
    pub const KIND: &str = "kind";
    pub const START_DATE: &str = "start_date";
    pub const END_DATE: &str = "end_date";
    pub const DIGESTS: &str = "digests";
    pub const MEAN_SHARE: &str = "mean_share";
    pub const MAX_SHARE: &str = "max_share";
    pub const THRESHOLD: &str = "threshold";
    pub const MIN_RUN: &str = "min_run";
    pub const OTHER_PERSPECTIVE_ID: &str = "other_perspective_id";
    pub const OTHER_MENTIONS: &str = "other_mentions";
    pub const OTHER_ITEMS: &str = "other_items";
    pub const COVERED_ITEMS: &str = "covered_items";
    pub const NAMES_SECTION: &str = "names_section";
    pub const OTHER_COVERED_ITEMS: &str = "other_covered_items";
    pub const SILENCE_MIN_COVERAGE: &str = "silence_min_coverage";
    pub const SILENCE_RULE: &str = "silence_rule";
    pub const LANGUAGE_ARTICLES: &str = "articles";
    pub const DATED_ARTICLES: &str = "dated_articles";
    pub const AGE_MEDIAN_DAYS: &str = "age_median_days";
    pub const AGE_MAX_DAYS: &str = "age_max_days";
    pub const NAMES_OTHER: &str = "names_other";
    pub const NAMES_SELF: &str = "names_self";
    pub const NAMES_NEITHER: &str = "names_neither";
    pub const SHARE_NAMES_OTHER: &str = "share_names_other";
    pub const SHARE_NAMES_SELF: &str = "share_names_self";
    pub const SHARE_NAMES_NEITHER: &str = "share_names_neither";
    pub const STORY_ID: &str = "story_id";
    pub const SIMILARITY: &str = "similarity";
    pub const NORMALISED_TITLE: &str = "normalised_title";
    pub const FIRST_DATE: &str = "first_date";
    pub const LAST_DATE: &str = "last_date";
    pub const DAYS: &str = "days";
    pub const OUTLETS: &str = "outlets";
    pub const SIDES: &str = "sides";
    pub const SIDE_ARTICLES: &str = "side_articles";
    pub const UNKNOWN_SIDE_ARTICLES: &str = "unknown_side_articles";
    pub const TOP_PERSPECTIVE_ID: &str = "top_perspective_id";
    pub const TOP_SHARE: &str = "top_share";
    pub const ONE_SIDED: &str = "one_sided";
    pub const MIN_ARTICLES: &str = "min_articles";
    pub const ONE_SIDED_SHARE: &str = "one_sided_share";
    pub const LANGUAGES: &str = "languages";
    pub const LINKABLE_SHARE: &str = "linkable_share";
    pub const ONE_SIDED_MIN_LINKABLE: &str = "one_sided_min_linkable";
    pub const FIRST_PERSPECTIVE_ID: &str = "first_perspective_id";
    pub const PICKUP_LAG_DAYS: &str = "pickup_lag_days";
    pub const REPRINT_OUTLETS: &str = "reprint_outlets";
    pub const REPRESENTATIVE_TITLE: &str = "representative_title";
    pub const REPRESENTATIVE_DIGEST_ID: &str = "representative_digest_id";
    pub const REPRESENTATIVE_POSITION: &str = "representative_position";
    pub const LIFETIME_DAYS: &str = "lifetime_days";
    pub const LAG_DAYS: &str = "lag_days";
    pub const STORIES: &str = "stories";
    pub const ONE_SIDED_STORIES: &str = "one_sided_stories";
    pub const ONE_SIDED_ARTICLES: &str = "one_sided_articles";
    pub const ONE_SIDED_ARTICLE_SHARE: &str = "one_sided_article_share";
    pub const KIND_HIGHLIGHT: &str = "highlight";
    pub const KIND_TITLE: &str = "title";
    pub const KEYWORD: &str = "keyword";
}

/// Analysis table names (also the file stems).
pub mod table {
    pub const SOURCE_SHARES: &str = "source_shares";
    pub const PERSPECTIVE_BALANCE: &str = "perspective_balance";
    pub const THEMES: &str = "themes";
    pub const THEME_TRENDS: &str = "theme_trends";
    pub const EMERGING_TERMS: &str = "emerging_terms";
    pub const BLINDSPOTS: &str = "blindspots";
    pub const COVERAGE_PROFILE: &str = "coverage_profile";
    pub const COVERAGE_LANGUAGES: &str = "coverage_languages";
    pub const ITEM_THEMES: &str = "item_themes";
    pub use super::stories::table::*;
    /// Every analysis table, in the order they are written.
    pub const ALL: [&str; 13] = [
        SOURCE_SHARES,
        PERSPECTIVE_BALANCE,
        THEMES,
        THEME_TRENDS,
        EMERGING_TERMS,
        BLINDSPOTS,
        COVERAGE_PROFILE,
        COVERAGE_LANGUAGES,
        ITEM_THEMES,
        STORIES,
        STORY_ARTICLES,
        STORY_SIDES,
        STORY_PERIODS,
    ];
}

/// The extracted tables, as lazy scans or in-memory frames.
#[derive(Clone)]
pub struct Inputs {
    /// `digests`.
    pub digests: LazyFrame,
    /// `perspectives`.
    pub perspectives: LazyFrame,
    /// `articles`.
    pub articles: LazyFrame,
    /// `highlights`.
    pub highlights: LazyFrame,
    /// `summaries`.
    pub summaries: LazyFrame,
}

/// Which digests an analysis covers.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Topics to keep; empty keeps all.
    pub topics: Vec<String>,
    /// First digest date kept.
    pub from: Option<NaiveDate>,
    /// Last digest date kept.
    pub to: Option<NaiveDate>,
    /// Keep drafts (left out by default).
    pub include_drafts: bool,
    /// Keep superseded re-runs (left out by default).
    pub include_superseded: bool,
}

/// Every knob of an analysis, with the defaults documented in docs/analysis.md.
#[derive(Debug, Clone)]
pub struct Options {
    /// Week or month.
    pub period: Period,
    /// Which digests.
    pub filter: Filter,
    /// A side is "low" in a digest when its share is under this (default 0.2).
    pub low_share: f64,
    /// A low stretch is reported from this many consecutive digests (default 3).
    pub min_run: u32,
    /// A theme is rising/fading when its share moves by more than this factor against its
    /// trailing mean (default 2).
    pub trend_factor: f64,
    /// Trailing periods the mean is taken over (default 4).
    pub trend_window: u32,
    /// Mentions a move needs to count as rising (this period) or fading (expected from the
    /// trailing mean), so one stray mention is not a trend (default 3).
    pub trend_min_mentions: u32,
    /// A theme is recurring when present in at least this many of the last `recurring_window` periods (3).
    pub recurring_min: u32,
    /// See `recurring_min` (4).
    pub recurring_window: u32,
    /// Mentions a side needs before its theme counts as "raised" against another side's silence (2).
    pub silence_min_mentions: u32,
    /// Share of the silent side's items that must be in languages the theme has keywords
    /// for, so that its silence is a finding and not the lexicon's blindness (0.9).
    pub silence_min_coverage: f64,
    /// Emerging terms listed per topic and period (10).
    pub emerging_top: u32,
    /// Items a term must appear in, in the period, to be listed (3).
    pub emerging_min_items: u32,
    /// Emerging terms are listed for the latest this many periods of the data (12; 0 for
    /// all): they serve to grow the lexicon now, and over years of digests the full
    /// history would cost more than the rest of the analysis together.
    pub emerging_periods: u32,
    /// Story clustering and one-sided stories.
    pub stories: stories::Settings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            period: Period::Week,
            filter: Filter::default(),
            low_share: 0.2,
            min_run: 3,
            trend_factor: 2.0,
            trend_window: 4,
            trend_min_mentions: 3,
            recurring_min: 3,
            recurring_window: 4,
            silence_min_mentions: 2,
            silence_min_coverage: 0.9,
            emerging_top: 10,
            emerging_min_items: 3,
            emerging_periods: 12,
            stories: stories::Settings::default(),
        }
    }
}

/// Every day with a live digest (drafts and superseded re-runs left out), in order.
pub fn live_days(digests: LazyFrame) -> PolarsResult<Vec<NaiveDate>> {
    let days = live_digests(digests, &Options::default())
        .select([col(c::DIGEST_DATE).unique().sort(SortOptions::default())])
        .collect()?;
    Ok(crate::frames::dates(&days, c::DIGEST_DATE)?.into_iter().flatten().collect())
}

/// The digests an analysis covers, with period columns: drafts and superseded re-runs
/// left out unless asked for, then topic and date filters.
pub fn live_digests(digests: LazyFrame, options: &Options) -> LazyFrame {
    let f = &options.filter;
    let mut keep = lit(true);
    if !f.include_drafts {
        keep = keep.and(col(c::DRAFT).not());
    }
    if !f.include_superseded {
        keep = keep.and(col(c::SUPERSEDED).not());
    }
    if !f.topics.is_empty() {
        let topics = Series::new("topics".into(), f.topics.clone());
        keep = keep.and(one_of(col(c::TOPIC), lit(topics)));
    }
    if let Some(from) = f.from {
        keep = keep.and(col(c::DIGEST_DATE).gt_eq(lit(from)));
    }
    if let Some(to) = f.to {
        keep = keep.and(col(c::DIGEST_DATE).lt_eq(lit(to)));
    }
    digests.filter(keep).with_columns(options.period.columns(col(c::DIGEST_DATE)))
}

/// The period columns of a live digest, to join onto child tables.
pub fn period_keys(live: LazyFrame) -> LazyFrame {
    live.select([
        col(c::DIGEST_ID),
        col(col::PERIOD),
        col(col::PERIOD_START),
        col(col::PERIOD_END),
        col(col::PERIOD_INDEX),
    ])
}

/// Inner join on `digest_id`: keeps rows of live digests and adds their period columns.
/// Rows keep the child's order, so a topic's rows are in the same order whichever digests
/// `live` holds (the incremental run relies on it).
pub fn in_periods(child: LazyFrame, live: LazyFrame) -> LazyFrame {
    let mut args = JoinArgs::new(JoinType::Inner);
    args.maintain_order = MaintainOrderJoin::Left;
    child.join(period_keys(live), [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], args)
}

/// `col(name)` for each name.
pub fn cols(names: &[&str]) -> Vec<Expr> {
    names.iter().map(|n| col(*n)).collect()
}

/// The topic-period key with its calendar index, then `extra` columns.
pub fn period_keys_and(extra: &[&str]) -> Vec<Expr> {
    let mut v = cols(&[c::TOPIC, col::PERIOD, col::PERIOD_START, col::PERIOD_END, col::PERIOD_INDEX]);
    v.extend(cols(extra));
    v
}

/// The columns that identify a topic-period, in output order.
pub fn topic_period() -> [Expr; 4] {
    [col(c::TOPIC), col(col::PERIOD), col(col::PERIOD_START), col(col::PERIOD_END)]
}

/// True for rows of one side's section (a perspective id), false for `overall` and
/// `differences`.
pub fn side_section() -> Expr {
    let shared = Series::new("shared".into(), crate::model::SHARED_SECTIONS.map(String::from).to_vec());
    one_of(col(c::SECTION), lit(shared)).not()
}

/// `numerator / denominator` as a float.
pub fn ratio(numerator: Expr, denominator: Expr) -> Expr {
    numerator.cast(DataType::Float64) / denominator.cast(DataType::Float64)
}

/// Whether `expr` is one of `values`, a literal list of values of its own type. Polars 0.55
/// wants such a list imploded (the plain form is deprecated and warns on stderr), and a null
/// is one of nothing.
pub fn one_of(expr: Expr, values: Expr) -> Expr {
    expr.is_in(values.implode(false), false)
}

/// `expr` in a window over the groups of `by`. Polars refuses only a window with no partition
/// and no order, which the array's non-zero length rules out when this compiles.
pub fn over<const N: usize>(expr: Expr, by: [Expr; N]) -> Expr {
    const { assert!(N > 0, "a window needs at least one partition column") };
    expr.over(by).expect("a window over at least one column")
}

/// Stacks frames with different columns; a column missing from a frame is null there.
pub fn concat_diagonal<L: AsRef<[LazyFrame]>>(frames: L) -> LazyFrame {
    concat_lf_diagonal(frames, UnionArgs::default()).expect("at least one frame")
}

/// Sort by these columns ascending.
pub fn sorted(lf: LazyFrame, by: &[&str]) -> LazyFrame {
    lf.sort(
        by.iter().map(|s| PlSmallStr::from(*s)).collect::<Vec<_>>(),
        SortMultipleOptions::default().with_maintain_order(true),
    )
}

/// All analysis tables, collected, in the order they are written.
pub struct Analysis {
    /// `(name, table)` pairs.
    pub tables: Vec<(&'static str, DataFrame)>,
}

impl Analysis {
    /// A table by name.
    pub fn get(&self, name: &str) -> Option<&DataFrame> {
        self.tables.iter().find(|(n, _)| *n == name).map(|(_, df)| df)
    }

    /// The tables of `other` replace those of the same name (and are added when new).
    pub fn replace(&mut self, other: Vec<(&'static str, DataFrame)>) {
        for (name, df) in other {
            match self.tables.iter_mut().find(|(n, _)| *n == name) {
                Some(slot) => slot.1 = df,
                None => self.tables.push((name, df)),
            }
        }
    }
}

/// The columns of `articles` some analysis reads.
pub const ARTICLE_COLUMNS: [&str; 10] = [
    c::DIGEST_ID,
    c::TOPIC,
    c::DIGEST_DATE,
    c::POSITION,
    c::PERSPECTIVE_ID,
    c::OUTLET,
    c::OUTLET_ID,
    c::LANGUAGE,
    c::TITLE,
    c::PUBLISHED_DATE,
];

/// The columns of `highlights` some analysis reads.
pub const HIGHLIGHT_COLUMNS: [&str; 5] = [c::DIGEST_ID, c::TOPIC, c::SECTION, c::POSITION, c::TEXT];

/// Runs every analysis over the inputs.
pub fn analyze(inputs: &Inputs, lexicon: &lexicon::Lexicon, options: &Options) -> PolarsResult<Analysis> {
    analyze_topics(inputs.clone(), lexicon, options, None)
}

/// The analysis of the periods `options` filters for (a report's weeks, a comparison's
/// months), with what reaches back without limit found over all the digests of its topics,
/// as [`analyze`] of every period finds it: the stories (followed from the first article of
/// a topic on) and the runs of low share in `blindspots`. Found in those periods only, a
/// story or a run that began before them would read younger and smaller than the tables and
/// `run`'s report say.
pub fn analyze_window(
    inputs: &Inputs,
    lexicon: &lexicon::Lexicon,
    options: &Options,
) -> PolarsResult<Analysis> {
    let whole = Options {
        filter: Filter { topics: options.filter.topics.clone(), ..Filter::default() },
        ..options.clone()
    };
    let without_stories = Options {
        stories: stories::Settings { enabled: false, ..options.stories.clone() },
        ..options.clone()
    };
    // The topics' live digests and their articles over all periods, read and joined once
    // for both the stories and the runs (the join beside the analysis of the periods).
    let live = live_digests(inputs.digests.clone(), &whole).collect()?.lazy();
    let (analysis, stories) = rayon::join(
        || analyze(inputs, lexicon, &without_stories),
        || -> PolarsResult<_> {
            let articles = in_periods(inputs.articles.clone().select(cols(&ARTICLE_COLUMNS)), live.clone())
                .collect()?
                .lazy();
            Ok((stories::stories(articles.clone(), &whole.stories)?, articles))
        },
    );
    let (mut analysis, (s, articles)) = (analysis?, stories?);
    // The runs of low share over all periods; the theme silences, per period, from the
    // periods analysed.
    let themes = analysis.get(table::THEMES).cloned().unwrap_or_default();
    let per_digest = blindspots::side_shares_per_digest(
        articles,
        in_periods(inputs.perspectives.clone(), live.clone()),
        live,
    );
    let blindspots = blindspots::blindspots(per_digest, themes.lazy(), &whole).collect()?;
    analysis.replace(vec![
        (table::BLINDSPOTS, blindspots),
        (table::STORIES, s.stories),
        (table::STORY_ARTICLES, s.story_articles),
        (table::STORY_SIDES, s.story_sides),
        (table::STORY_PERIODS, s.story_periods),
    ]);
    Ok(analysis)
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
        let ids = live
            .clone()
            .lazy()
            .filter(col(col::PERIOD_INDEX).eq(lit(p)))
            .select([col(c::DIGEST_ID)])
            .collect()?;
        let ids = ids.column(c::DIGEST_ID)?.as_materialized_series().clone();
        let bullets = highlights
            .clone()
            .filter(one_of(col(c::DIGEST_ID), lit(ids.clone())))
            .select([col(c::DIGEST_ID)])
            .limit(1);
        let titles = articles
            .clone()
            .filter(one_of(col(c::DIGEST_ID), lit(ids)).and(col(c::PERSPECTIVE_ID).is_not_null()))
            .select([col(c::DIGEST_ID)])
            .limit(1);
        if bullets.collect()?.height() + titles.collect()?.height() > 0 {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// Runs every analysis over the digests of `topics` (all with `None`): the incremental
/// run's way to recompute the topics that changed. Each table's rows of a topic are the
/// same as a run over every topic gives, because what is corpus-wide (the side names
/// titles are matched against, the latest periods of `emerging_terms`) is taken from every
/// topic here, and `emerging_terms` is complete whatever `topics` says.
///
/// `inputs` is taken by value: over every topic, the input articles are dropped once
/// joined with their periods, so a caller that hands over the only copy (as `analyze` the
/// command does) holds their rows once, not twice.
pub fn analyze_topics(
    inputs: Inputs,
    lexicon: &lexicon::Lexicon,
    options: &Options,
    topics: Option<&std::collections::BTreeSet<String>>,
) -> PolarsResult<Analysis> {
    let mut laps = crate::timing::Laps::new("analyze");
    // The live digests and their articles and perspectives feed every table: each is read
    // and joined once, here, rather than once per query (a lazy `cache` does not outlive
    // its query). Articles keep only the columns some analysis reads.
    let live_all = live_digests(inputs.digests.clone(), options).collect()?;
    let live = match topics {
        None => live_all.clone().lazy(),
        Some(t) => {
            let t = Series::new("topics".into(), t.iter().cloned().collect::<Vec<_>>());
            live_all.clone().lazy().filter(one_of(col(c::TOPIC), lit(t))).collect()?.lazy()
        }
    };
    let article_columns = cols(&ARTICLE_COLUMNS);
    let articles =
        in_periods(inputs.articles.clone().select(article_columns.clone()), live.clone()).collect()?.lazy();
    let perspectives = in_periods(inputs.perspectives.clone(), live.clone()).collect()?.lazy();
    // Every topic's side names (corpus-wide): the perspectives just joined when every topic
    // is analysed, else joined again with every live digest.
    let all_perspectives = match topics {
        None => perspectives.clone(),
        Some(_) => in_periods(inputs.perspectives.clone(), live_all.clone().lazy()),
    };
    let names = all_perspectives
        .select([col(c::PERSPECTIVE_ID), col(c::PERSPECTIVE_NAME)])
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect()?;
    // The items of the latest periods of the whole data, for `emerging_terms`.
    // Over every topic, the analysed articles are those of the corpus-wide frame; a run
    // over some topics reads the other topics' articles from the inputs.
    let Inputs { articles: input_articles, highlights: input_highlights, .. } = inputs;
    let all_articles = match topics {
        None => {
            drop(input_articles);
            articles.clone()
        }
        Some(_) => input_articles.select(article_columns.clone()),
    };
    let latest = latest_item_period(&live_all, &input_highlights, &all_articles)?;
    let cutoff = match (options.emerging_periods, latest) {
        (0, _) | (_, None) => None,
        (n, Some(latest)) => Some(latest - (i64::from(n + options.trend_window) - 1)),
    };
    let recent_live = match cutoff {
        None => live_all.clone().lazy(),
        Some(first) => live_all.clone().lazy().filter(col(col::PERIOD_INDEX).gt_eq(lit(first))),
    }
    .collect()?
    .lazy();
    let recent_articles = match (topics, cutoff) {
        (None, None) => articles.clone(),
        (None, Some(first)) => articles.clone().filter(col(col::PERIOD_INDEX).gt_eq(lit(first))),
        (Some(_), _) => in_periods(all_articles, recent_live.clone()),
    };
    let recent_items = themes::items(input_highlights.clone(), recent_articles, recent_live);
    laps.lap("read and join the tables");
    // Story clustering reads only the articles: a strand of its own from here, beside the
    // matching and the strands after it (matching leaves a core partly idle).
    let story_strand = || -> PolarsResult<_> {
        let mut laps = crate::timing::Laps::new("analyze strand");
        let story_tables = stories::stories(articles.clone(), &options.stories)?;
        laps.lap("stories");
        Ok(story_tables)
    };
    let rest = || -> PolarsResult<_> {
        let mut laps = crate::timing::Laps::new("analyze");
        // Every highlight and title matched against the lexicon once, for `themes` (as bit
        // sets) and `item_themes` (as rows).
        let themes::Matched { items, item_themes } =
            themes::match_items(input_highlights.clone(), articles.clone(), live.clone(), lexicon)?;
        // Moved into the theme strand, and freed there once counted.
        let mut items = Some(items);
        laps.lap("match the items");
        // Two more strands, side by side: the theme tables, and everything else.
        let theme_strand = || -> PolarsResult<_> {
            let mut laps = crate::timing::Laps::new("analyze strand");
            let themes_df = themes::themes(items.take().expect("taken once"), lexicon).collect()?;
            laps.lap("themes");
            let trends = themes::trends(themes_df.clone().lazy(), options).collect()?;
            laps.lap("theme_trends");
            let blind = blindspots::blindspots(
                blindspots::side_shares_per_digest(articles.clone(), perspectives.clone(), live.clone()),
                themes_df.clone().lazy(),
                options,
            )
            .collect()?;
            laps.lap("blindspots");
            Ok((themes_df, trends, blind))
        };
        let other_strand = || -> PolarsResult<_> {
            let mut laps = crate::timing::Laps::new("analyze strand");
            let source_shares = shares::source_shares(articles.clone()).collect()?;
            let balance = shares::perspective_balance(articles.clone(), perspectives.clone()).collect()?;
            let terms = terms::emerging_terms(recent_items, lexicon, options).collect()?;
            laps.lap("source_shares, perspective_balance, emerging_terms");
            let side_names: Vec<(String, String)> = names
                .column(c::PERSPECTIVE_ID)?
                .str()?
                .iter()
                .zip(names.column(c::PERSPECTIVE_NAME)?.str()?.iter())
                .filter_map(|(i, n)| Some((i?.to_string(), n?.to_string())))
                .collect();
            let sides = lexicon.side_matcher(&side_names);
            let profile = coverage::profile(articles.clone(), perspectives.clone(), sides)?.collect()?;
            let languages = coverage::languages(articles.clone()).collect()?;
            laps.lap("coverage_profile, coverage_languages");
            Ok((source_shares, balance, terms, profile, languages))
        };
        let (themed, other) = rayon::join(theme_strand, other_strand);
        Ok((themed?, other?, item_themes))
    };
    let (rest, storied) = rayon::join(rest, story_strand);
    let ((themes_df, trends, blind), (source_shares, balance, terms, profile, languages), item_themes) =
        rest?;
    let story_tables = storied?;
    laps.lap("analyses");

    Ok(Analysis {
        tables: vec![
            (table::SOURCE_SHARES, source_shares),
            (table::PERSPECTIVE_BALANCE, balance),
            (table::THEMES, themes_df),
            (table::THEME_TRENDS, trends),
            (table::EMERGING_TERMS, terms),
            (table::BLINDSPOTS, blind),
            (table::COVERAGE_PROFILE, profile),
            (table::COVERAGE_LANGUAGES, languages),
            (table::ITEM_THEMES, item_themes),
            (table::STORIES, story_tables.stories),
            (table::STORY_ARTICLES, story_tables.story_articles),
            (table::STORY_SIDES, story_tables.story_sides),
            (table::STORY_PERIODS, story_tables.story_periods),
        ],
    })
}
