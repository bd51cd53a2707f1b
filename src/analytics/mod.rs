//! Analytics: the extracted tables → the analysis tables of `spec/tables.md`, all in Polars.
//!
//! Every table family (`shares`, `themes`, `blindspots`, …) is `LazyFrame → LazyFrame` over
//! the names, options and helpers of `base`, the floor every family stands on. The
//! orchestrator here ([`analyze`]) decides where results are collected: once per written
//! table, and the themes table is collected before the trends and blindspots that build on
//! it so its keyword matching runs once.

mod base;
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

use polars::prelude::*;

use crate::tables::col as c;

pub use base::{
    col, cols, concat_diagonal, in_periods, live_days, live_digests, one_of, over, period_keys,
    period_keys_and, ratio, side_section, sorted, table, topic_period, Analysis, Filter, Inputs, Options,
    ARTICLE_COLUMNS, HIGHLIGHT_COLUMNS,
};
pub use periods::Period;

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
    let themes = analysis.get(table::THEMES)?.clone();
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
