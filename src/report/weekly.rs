//! Builds the weekly report model from the extracted tables: runs the analysis over the
//! report week and the 15 before it (12 weeks of history plus the trend window), then reads
//! the numbers each part of the report shows.

use std::collections::BTreeMap;

use anyhow::Context;
use chrono::{DateTime, Utc};
use polars::prelude::*;

use super::model::*;
use super::Week;
use crate::analytics::{
    self, blindspots::kind as spot, col as a, lexicon::Lexicon, table, Analysis, Filter, Inputs, Options,
    Period,
};
use crate::charts::{style, Bar, Chart, Kind, Series};
use crate::frames::{bools, dates, floats, ints, strings, where_eq};
use crate::model::{is_side_section, DIFFERENCES, OVERALL};
use crate::names::file_stem;
use crate::outlets::Registry;
use crate::tables::col as c;

/// Weeks of history the balance line and theme heatmap show.
pub const HISTORY_WEEKS: i64 = 12;
/// Outlets shown in the source-share chart.
const TOP_OUTLETS: usize = 15;
/// Themes shown in the theme charts.
const TOP_THEMES: usize = 10;

/// What a report is built from.
pub struct Sources<'a> {
    /// The extracted tables.
    pub inputs: &'a Inputs,
    /// The problems table.
    pub problems: LazyFrame,
    /// Outlet registry, for display names and ownership.
    pub registry: &'a Registry,
    /// Theme lexicon.
    pub lexicon: &'a Lexicon,
}

/// Options of one report.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// The week.
    pub week: Week,
    /// Topics to include; empty for all with digests that week.
    pub topics: Vec<String>,
    /// Timestamp written into the report.
    pub generated_at: DateTime<Utc>,
    /// Prefix of links to digest files (`../../data/digests/`).
    pub digest_link_base: String,
}

/// What every topic section of a week reads, computed once for all topics.
struct WeekData {
    /// Live digests of the week, sorted by topic, date, time.
    live: DataFrame,
    /// All digests of the week (drafts and re-runs too), for data quality.
    all: DataFrame,
    /// The problems table.
    problems: DataFrame,
    /// Articles of the week's live digests per topic, day and side.
    per_day: DataFrame,
    /// Each outlet id's spelling as the feeds write it (first seen).
    written: BTreeMap<String, String>,
    /// Highlights of the week's live digests, in file order.
    highlights: DataFrame,
    /// Live digests of this week and the one before, for the headline counts.
    two_weeks: DataFrame,
}

/// The week a report is about by default: the last complete ISO week of the live digests
/// (the week of the latest digest if that digest falls on a Sunday, else the week before
/// it), or the latest week with digests before it when that week has none.
pub fn last_complete_week(inputs: &Inputs) -> anyhow::Result<Option<Week>> {
    let live = analytics::live_digests(inputs.digests.clone(), &Options::default());
    let df = live.clone().select([col(c::DIGEST_DATE).max()]).collect()?;
    let Some(last) = dates(&df, c::DIGEST_DATE)?.into_iter().next().flatten() else { return Ok(None) };
    let week = Week::of(last);
    let complete = if last == week.sunday() { week } else { week.minus(1) };
    // The latest week with digests up to then; when all the data is in the week still
    // going (a first run on a few days of digests), that week.
    let before =
        live.filter(col(c::DIGEST_DATE).lt_eq(lit(complete.sunday()))).select([col(c::DIGEST_DATE).max()]);
    let reported = dates(&before.collect()?, c::DIGEST_DATE)?.into_iter().next().flatten().unwrap_or(last);
    Ok(Some(Week::of(reported)))
}

fn filter_topic_week(df: &DataFrame, topic: &str, week: &str) -> PolarsResult<DataFrame> {
    df.clone().lazy().filter(col(c::TOPIC).eq(lit(topic)).and(col(a::PERIOD).eq(lit(week)))).collect()
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

/// Builds the report.
pub fn build(src: &Sources<'_>, opts: &ReportOptions) -> anyhow::Result<Report> {
    let week = opts.week;
    let options = Options {
        period: Period::Week,
        filter: Filter {
            topics: opts.topics.clone(),
            from: Some(week.minus(HISTORY_WEEKS + 3).monday),
            to: Some(week.sunday()),
            ..Filter::default()
        },
        ..Options::default()
    };
    // Digests of the report week itself: live ones for the numbers, all for data quality.
    let week_filter = Filter {
        topics: opts.topics.clone(),
        from: Some(week.monday),
        to: Some(week.sunday()),
        ..Filter::default()
    };
    let live_week = analytics::live_digests(
        src.inputs.digests.clone(),
        &Options { filter: week_filter.clone(), ..Options::default() },
    )
    .sort([c::TOPIC, c::DIGEST_DATE, c::PUBLISHED_AT], SortMultipleOptions::default())
    .collect()?;
    if live_week.height() == 0 {
        let all = analytics::live_digests(src.inputs.digests.clone(), &Options::default())
            .select([col(c::DIGEST_DATE).min().alias("first"), col(c::DIGEST_DATE).max().alias("last")])
            .collect()?;
        let span = match (dates(&all, "first")?[0], dates(&all, "last")?[0]) {
            (Some(f), Some(l)) => {
                format!("the data covers {} to {}", Week::of(f).label(), Week::of(l).label())
            }
            _ => "the tables hold no live digests".to_string(),
        };
        let which =
            if opts.topics.is_empty() { String::new() } else { format!(" for {}", opts.topics.join(", ")) };
        anyhow::bail!(
            "no digests in {} ({}){which}; {span}. Pick another --week.",
            week.label(),
            week.dates()
        );
    }
    let all_week = src
        .inputs
        .digests
        .clone()
        .filter(
            col(c::DIGEST_DATE).gt_eq(lit(week.monday)).and(col(c::DIGEST_DATE).lt_eq(lit(week.sunday()))),
        )
        .collect()?;
    let mut laps = crate::timing::Laps::new("report model");
    laps.lap("the week's digests");
    let analysis = analytics::analyze(src.inputs, src.lexicon, &options)
        .context("the analysis for the report failed")?;
    laps.lap("analysis");
    let problems = src.problems.clone().collect()?;
    let all_paths = src.inputs.digests.clone().select([col(c::SOURCE_PATH)]).collect()?;
    let known: std::collections::HashSet<String> = strings(&all_paths, c::SOURCE_PATH)?.into_iter().collect();
    let unreadable = strings(&problems, c::SOURCE_PATH)?
        .into_iter()
        .zip(strings(&problems, c::SEVERITY)?)
        .filter(|(p, s)| s == "error" && !known.contains(p))
        .map(|(p, _)| p)
        .collect::<std::collections::BTreeSet<_>>()
        .len();

    let ids = polars::prelude::Series::new("ids".into(), strings(&live_week, c::DIGEST_ID)?);
    let per_day = src
        .inputs
        .articles
        .clone()
        .filter(col(c::DIGEST_ID).is_in(lit(ids.clone())))
        .group_by([col(c::TOPIC), col(c::DIGEST_DATE), col(c::PERSPECTIVE_ID)])
        .agg([len().cast(DataType::Int64).alias(a::ARTICLES)])
        .collect()?;
    // Outlets as the feeds spell them, first spelling in the report's window (the charts
    // show no other outlets).
    let window = analytics::live_digests(src.inputs.digests.clone(), &options).select([col(c::DIGEST_ID)]);
    let written = src
        .inputs
        .articles
        .clone()
        .join(window, [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], JoinArgs::new(JoinType::Semi))
        .select([col(c::OUTLET_ID), col(c::OUTLET)])
        .unique_stable(Some(vec![c::OUTLET_ID.into()]), UniqueKeepStrategy::First)
        .collect()?;
    let written = strings(&written, c::OUTLET_ID)?.into_iter().zip(strings(&written, c::OUTLET)?).collect();
    laps.lap("problems, daily counts, outlet spellings");
    let mut topics: Vec<String> = strings(&live_week, c::TOPIC)?;
    topics.dedup();
    // Read once here, not once per topic: each per-topic scan of these tables cost 30 ms.
    let highlights = src
        .inputs
        .highlights
        .clone()
        .filter(col(c::DIGEST_ID).is_in(lit(ids.clone())))
        .sort([c::DIGEST_ID, c::SOURCE_LINE], SortMultipleOptions::default())
        .collect()?;
    let two_weeks = Filter { from: Some(week.minus(1).monday), ..week_filter };
    let two_weeks = analytics::live_digests(
        src.inputs.digests.clone(),
        &Options { filter: two_weeks, ..Options::default() },
    )
    .select([col(c::TOPIC), col(c::DIGEST_DATE)])
    .collect()?;
    let data = WeekData { live: live_week, all: all_week, problems, per_day, written, highlights, two_weeks };
    let mut reports = Vec::new();
    for topic in &topics {
        reports.push(topic_report(src, opts, &analysis, &data, topic)?);
    }
    laps.lap("topic sections");
    let overview = if reports.len() > 1 { overview(&reports) } else { Vec::new() };
    Ok(Report {
        week: week.label(),
        dates: week.dates(),
        week_start: week.monday,
        generated_at: opts.generated_at,
        overview,
        topics: reports,
        unreadable_files: unreadable,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

fn overview(reports: &[TopicReport]) -> Vec<OverviewRow> {
    reports
        .iter()
        .map(|t| {
            let get = |label: &str| t.headline.iter().find(|h| h.label == label);
            let count = |label: &str| get(label).and_then(|h| h.now).unwrap_or(0.0) as i64;
            let leading = t
                .headline
                .iter()
                .filter(|h| h.percent)
                .max_by(|x, y| x.now.unwrap_or(0.0).total_cmp(&y.now.unwrap_or(0.0)))
                .map(|h| format!("{} {}", h.label.trim_end_matches(" share"), h.fmt(h.now)))
                .unwrap_or_default();
            OverviewRow {
                name: t.name.clone(),
                topic: t.topic.clone(),
                digests: count("digests"),
                articles: count("articles"),
                balance: get("balance index").cloned().unwrap_or(Change {
                    label: "balance index".into(),
                    now: None,
                    before: None,
                    percent: false,
                }),
                leading,
                blindspots: t.blindspots.len(),
            }
        })
        .collect()
}

/// Side ids and names of a topic, in perspective order (from the week's balance rows).
fn sides(balance: &DataFrame) -> PolarsResult<Vec<(String, String)>> {
    let ids = strings(balance, c::PERSPECTIVE_ID)?;
    let names = strings(balance, c::PERSPECTIVE_NAME)?;
    let mut out: Vec<(String, String)> = Vec::new();
    for (i, n) in ids.into_iter().zip(names) {
        if !out.iter().any(|(x, _)| *x == i) {
            out.push((i, n));
        }
    }
    Ok(out)
}

fn topic_report(
    src: &Sources<'_>,
    opts: &ReportOptions,
    analysis: &Analysis,
    data: &WeekData,
    topic: &str,
) -> anyhow::Result<TopicReport> {
    let (live_week, all_week, problems) = (&data.live, &data.all, &data.problems);
    let week = opts.week;
    let (now, prev) = (week.label(), week.minus(1).label());
    let get = |t: &str| analysis.get(t).with_context(|| format!("{t} table"));
    let balance_all = where_eq(get(table::PERSPECTIVE_BALANCE)?, c::TOPIC, topic)?;
    let bal_now = where_eq(&balance_all, a::PERIOD, &now)?;
    let bal_prev = where_eq(&balance_all, a::PERIOD, &prev)?;
    let mut side_list = sides(&bal_now)?;
    for s in sides(&balance_all)? {
        if !side_list.iter().any(|(i, _)| *i == s.0) {
            side_list.push(s);
        }
    }
    let side_name =
        |id: &str| side_list.iter().find(|(i, _)| i == id).map_or(id.to_string(), |(_, n)| n.clone());
    let digests_now = where_eq(live_week, c::TOPIC, topic)?;
    let name = strings(&digests_now, c::TOPIC_NAME)?.into_iter().next().unwrap_or_else(|| topic.to_string());

    // Headline numbers.
    let shares_all = where_eq(get(table::SOURCE_SHARES)?, c::TOPIC, topic)?;
    let count_digests = |w: Week| -> anyhow::Result<f64> {
        let in_week =
            col(c::DIGEST_DATE).gt_eq(lit(w.monday)).and(col(c::DIGEST_DATE).lt_eq(lit(w.sunday())));
        let of_topic = col(c::TOPIC).eq(lit(topic));
        Ok(data.two_weeks.clone().lazy().filter(of_topic.and(in_week)).collect()?.height() as f64)
    };
    let sum = |df: &DataFrame, col: &str| -> PolarsResult<Option<f64>> {
        (df.height() > 0).then(|| ints(df, col).map(|v| v.iter().sum::<i64>() as f64)).transpose()
    };
    let outlets = |p: &str| -> PolarsResult<Option<f64>> {
        let df = where_eq(&shares_all, a::PERIOD, p)?;
        Ok((df.height() > 0).then(|| {
            let mut ids = strings(&df, c::OUTLET_ID).unwrap_or_default();
            ids.sort();
            ids.dedup();
            ids.len() as f64
        }))
    };
    let first_f64 = |df: &DataFrame, col: &str| -> PolarsResult<Option<f64>> {
        Ok(floats(df, col)?.into_iter().next().flatten())
    };
    let mut headline = vec![
        Change {
            label: "digests".into(),
            now: Some(count_digests(week)?),
            before: Some(count_digests(week.minus(1))?),
            percent: false,
        },
        Change {
            label: "articles".into(),
            now: sum(&bal_now, a::ARTICLES)?,
            before: sum(&bal_prev, a::ARTICLES)?,
            percent: false,
        },
        Change { label: "outlets".into(), now: outlets(&now)?, before: outlets(&prev)?, percent: false },
        Change {
            label: "balance index".into(),
            now: first_f64(&bal_now, a::BALANCE_INDEX)?,
            before: first_f64(&bal_prev, a::BALANCE_INDEX)?,
            percent: false,
        },
    ];
    let share_of = |df: &DataFrame, side: &str| -> PolarsResult<Option<f64>> {
        Ok(strings(df, c::PERSPECTIVE_ID)?
            .iter()
            .zip(floats(df, a::SHARE)?)
            .find(|(s, _)| *s == side)
            .and_then(|(_, v)| v))
    };
    for (id, n) in &side_list {
        headline.push(Change {
            label: format!("{n} share"),
            now: share_of(&bal_now, id)?,
            before: share_of(&bal_prev, id)?,
            percent: true,
        });
    }

    let balance = vec![
        daily_figure(&where_eq(&data.per_day, c::TOPIC, topic)?, topic, week, &side_list)?,
        balance_line(topic, &balance_all, week)?,
    ];
    let sources =
        vec![outlet_figure(src, &data.written, &where_eq(&shares_all, a::PERIOD, &now)?, topic, &side_name)?];
    let themes_all = where_eq(get(table::THEMES)?, c::TOPIC, topic)?;
    let themes = vec![
        theme_figure(src, &filter_topic_week(&themes_all, topic, &now)?, topic, &side_list)?,
        theme_heatmap(src, &themes_all, topic, week)?,
    ];
    let theme_notes =
        theme_notes(src, get(table::THEME_TRENDS)?, get(table::EMERGING_TERMS)?, topic, &now, &side_name)?;
    let blindspots = blindspot_sentences(src, get(table::BLINDSPOTS)?, topic, week, &side_name)?;
    let profile = profile_rows(
        get(table::COVERAGE_PROFILE)?,
        get(table::COVERAGE_LANGUAGES)?,
        topic,
        &now,
        &side_name,
    )?;
    let (highlights_from, highlights, digest_links) =
        highlights(&data.highlights, opts, &digests_now, &side_name)?;
    let declared_listed = (
        ints(&digests_now, c::ARTICLE_COUNT_DECLARED)?.iter().sum(),
        ints(&digests_now, c::ARTICLE_COUNT_LISTED)?.iter().sum(),
    );
    let topic_files = where_eq(all_week, c::TOPIC, topic)?;
    let paths: std::collections::HashSet<String> =
        strings(&topic_files, c::SOURCE_PATH)?.into_iter().collect();
    let mut problem_rows = Vec::new();
    let (pp, pl, ps, pk, pm) = (
        strings(problems, c::SOURCE_PATH)?,
        ints(problems, c::LINE)?,
        strings(problems, c::SEVERITY)?,
        strings(problems, c::KIND)?,
        strings(problems, c::MESSAGE)?,
    );
    for i in 0..problems.height() {
        if paths.contains(&pp[i]) {
            let location = if pl[i] > 0 { format!("{}:{}", pp[i], pl[i]) } else { pp[i].clone() };
            problem_rows.push(ProblemRow {
                location,
                severity: ps[i].clone(),
                kind: pk[i].clone(),
                message: pm[i].clone(),
            });
        }
    }

    Ok(TopicReport {
        topic: topic.to_string(),
        name,
        headline,
        balance,
        sources,
        themes,
        theme_notes,
        blindspots,
        profile,
        highlights_from,
        highlights,
        digests: digest_links,
        declared_listed,
        problems: problem_rows,
    })
}

/// `per_day`: the topic's articles per day and side this week.
fn daily_figure(
    per_day: &DataFrame,
    topic: &str,
    week: Week,
    sides: &[(String, String)],
) -> anyhow::Result<Figure> {
    let (days, side_of, n) =
        (dates(per_day, c::DIGEST_DATE)?, strings(per_day, c::PERSPECTIVE_ID)?, ints(per_day, a::ARTICLES)?);
    let categories: Vec<String> =
        (0..7).map(|d| (week.monday + chrono::Duration::days(d)).format("%a %-d").to_string()).collect();
    let mut keys: Vec<(String, String)> = sides.to_vec();
    if side_of.iter().any(String::is_empty) {
        keys.push((String::new(), "side unknown".to_string()));
    }
    let series = keys
        .iter()
        .map(|(id, name)| Series {
            name: name.clone(),
            key: if id.is_empty() { "unknown".into() } else { id.clone() },
            color: style::side_color(id),
            values: (0..7)
                .map(|d| {
                    let day = week.monday + chrono::Duration::days(d);
                    Some(
                        (0..per_day.height())
                            .filter(|&i| days[i] == Some(day) && side_of[i] == *id)
                            .map(|i| n[i] as f64)
                            .sum(),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(Figure {
        chart: Chart {
            name: format!("articles-per-day-{}", file_stem(topic)),
            title: "Articles per day and side".into(),
            categories,
            value_label: "articles".into(),
            category_label: format!("day ({})", week.label()),
            percent: false,
            series,
            kind: Kind::StackedBars,
        },
        caption: "Articles of each day's live digest, stacked by the side they belong to.".into(),
    })
}

fn balance_line(topic: &str, balance_all: &DataFrame, week: Week) -> anyhow::Result<Figure> {
    let weeks: Vec<Week> = (0..HISTORY_WEEKS).rev().map(|i| week.minus(i)).collect();
    let periods = strings(balance_all, a::PERIOD)?;
    let index = floats(balance_all, a::BALANCE_INDEX)?;
    let values = weeks
        .iter()
        .map(|w| {
            let label = w.label();
            periods.iter().zip(&index).find(|(p, _)| **p == label).and_then(|(_, v)| *v)
        })
        .collect();
    Ok(Figure {
        chart: Chart {
            name: format!("balance-index-{}", file_stem(topic)),
            title: format!("Balance index, last {HISTORY_WEEKS} weeks"),
            categories: weeks.iter().map(|w| w.label().split_off(5)).collect(),
            value_label: "balance index (1 = even, 0 = one side)".into(),
            category_label: "ISO week".into(),
            percent: false,
            series: vec![Series { name: "balance index".into(), key: topic.into(), color: style::INK, values }],
            kind: Kind::Lines { y_range: (0.0, 1.05) },
        },
        caption: "Normalised Shannon entropy of the sides' article shares per week; gaps are weeks without digests.".into(),
    })
}

fn outlet_figure(
    src: &Sources<'_>,
    names: &BTreeMap<String, String>,
    shares: &DataFrame,
    topic: &str,
    side_name: &dyn Fn(&str) -> String,
) -> anyhow::Result<Figure> {
    let (ids, sides, n, share) = (
        strings(shares, c::OUTLET_ID)?,
        strings(shares, c::PERSPECTIVE_ID)?,
        ints(shares, a::ARTICLES)?,
        floats(shares, a::SHARE)?,
    );
    let bars: Vec<Bar> = (0..shares.height())
        .take(TOP_OUTLETS)
        .map(|i| {
            let reg = src.registry.by_id(&ids[i]);
            // The registry's display name, with the spelling the feeds use when it is in
            // another script (Xinhua News Agency (新华网)), so readers recognise both.
            let label = match (reg, names.get(&ids[i])) {
                (Some(o), Some(w)) if !w.is_ascii() && *w != o.name => format!("{} ({w})", o.name),
                (Some(o), _) => o.name.clone(),
                (None, Some(w)) => w.clone(),
                (None, None) => ids[i].clone(),
            };
            let ownership = reg.map_or("not in registry", |o| o.ownership.as_str());
            Bar {
                label,
                value: share[i].unwrap_or(0.0),
                color: style::side_color(&sides[i]),
                note: ownership.to_string(),
                extra: vec![
                    ("outlet_id".into(), ids[i].clone()),
                    ("perspective_id".into(), sides[i].clone()),
                    ("articles".into(), n[i].to_string()),
                ],
            }
        })
        .collect();
    let rest = shares.height().saturating_sub(TOP_OUTLETS);
    let series = (0..shares.height().min(TOP_OUTLETS))
        .map(|i| Series {
            name: side_name(&sides[i]),
            key: sides[i].clone(),
            color: style::side_color(&sides[i]),
            values: vec![],
        })
        .collect();
    Ok(Figure {
        chart: Chart {
            name: format!("outlets-{}", file_stem(topic)),
            title: "Outlets by share of the week's articles".into(),
            categories: vec![],
            value_label: "share of articles".into(),
            category_label: String::new(),
            percent: true,
            series,
            kind: Kind::HBars(bars),
        },
        caption: if rest > 0 {
            format!("Top {TOP_OUTLETS} outlets, coloured by side, with ownership; {rest} more outlets are in the table.")
        } else {
            "Every outlet of the week, coloured by side, with ownership (state, public, private).".into()
        },
    })
}

fn theme_name(src: &Sources<'_>, id: &str) -> String {
    src.lexicon.themes.iter().find(|t| t.id == id).map_or(id.to_string(), |t| t.name.clone())
}

fn theme_figure(
    src: &Sources<'_>,
    week_rows: &DataFrame,
    topic: &str,
    sides: &[(String, String)],
) -> anyhow::Result<Figure> {
    let (sec, th, m, sh) = (
        strings(week_rows, c::SECTION)?,
        strings(week_rows, a::THEME)?,
        ints(week_rows, a::MENTIONS)?,
        floats(week_rows, a::SHARE)?,
    );
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for i in 0..week_rows.height() {
        if is_side_section(&sec[i]) {
            *totals.entry(th[i].clone()).or_default() += m[i];
        }
    }
    let mut top: Vec<(String, i64)> = totals.into_iter().filter(|(_, n)| *n > 0).collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(TOP_THEMES);
    let series = sides
        .iter()
        .map(|(id, name)| Series {
            name: name.clone(),
            key: id.clone(),
            color: style::side_color(id),
            values: top
                .iter()
                .map(|(t, _)| {
                    (0..week_rows.height()).find(|&i| sec[i] == *id && th[i] == *t).and_then(|i| sh[i])
                })
                .collect(),
        })
        .collect();
    Ok(Figure {
        chart: Chart {
            name: format!("themes-{}", file_stem(topic)),
            title: "Themes by side this week".into(),
            categories: top.iter().map(|(t, _)| theme_name(src, t)).collect(),
            value_label: "share of the side's items naming the theme".into(),
            category_label: String::new(),
            percent: true,
            series,
            kind: Kind::GroupedHBars,
        },
        caption: "Share of each side's highlights and article titles that name the theme (lexicon data/themes.yaml).".into(),
    })
}

fn theme_heatmap(
    src: &Sources<'_>,
    themes_all: &DataFrame,
    topic: &str,
    week: Week,
) -> anyhow::Result<Figure> {
    let weeks: Vec<Week> = (0..HISTORY_WEEKS).rev().map(|i| week.minus(i)).collect();
    let labels: Vec<String> = weeks.iter().map(|w| w.label()).collect();
    let per = themes_all
        .clone()
        .lazy()
        .filter(col(a::PERIOD).is_in(lit(polars::prelude::Series::new("w".into(), labels.clone()))))
        .group_by([col(a::PERIOD), col(a::THEME)])
        .agg([col(a::MENTIONS).sum(), col(a::ITEMS).sum()])
        .collect()?;
    let (p, t, m, n) = (
        strings(&per, a::PERIOD)?,
        strings(&per, a::THEME)?,
        ints(&per, a::MENTIONS)?,
        ints(&per, a::ITEMS)?,
    );
    let mut totals: BTreeMap<String, i64> = BTreeMap::new();
    for i in 0..per.height() {
        *totals.entry(t[i].clone()).or_default() += m[i];
    }
    let mut top: Vec<(String, i64)> = totals.into_iter().filter(|(_, v)| *v > 0).collect();
    top.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
    top.truncate(TOP_THEMES);
    let series = top
        .iter()
        .map(|(theme, _)| Series {
            name: theme_name(src, theme),
            key: theme.clone(),
            color: style::INK,
            values: labels
                .iter()
                .map(|w| {
                    (0..per.height())
                        .find(|&i| p[i] == *w && t[i] == *theme)
                        .filter(|&i| n[i] > 0)
                        .map(|i| m[i] as f64 / n[i] as f64)
                })
                .collect(),
        })
        .collect();
    Ok(Figure {
        chart: Chart {
            name: format!("theme-weeks-{}", file_stem(topic)),
            title: format!("Themes over the last {HISTORY_WEEKS} weeks (all sides)"),
            categories: labels.iter().map(|l| l[5..].to_string()).collect(),
            value_label: "share of items".into(),
            category_label: "ISO week".into(),
            percent: true,
            series,
            kind: Kind::Heatmap,
        },
        caption: "Share of all the topic's items (highlights and titles) naming each theme per week; grey cells are weeks without digests.".into(),
    })
}

fn theme_notes(
    src: &Sources<'_>,
    trends: &DataFrame,
    terms: &DataFrame,
    topic: &str,
    week: &str,
    side_name: &dyn Fn(&str) -> String,
) -> anyhow::Result<Vec<String>> {
    let t = filter_topic_week(trends, topic, week)?;
    let (sec, th, m, n, sh, mean, tr, rec) = (
        strings(&t, c::SECTION)?,
        strings(&t, a::THEME)?,
        ints(&t, a::MENTIONS)?,
        ints(&t, a::ITEMS)?,
        floats(&t, a::SHARE)?,
        floats(&t, a::TRAILING_MEAN)?,
        strings(&t, a::TREND)?,
        bools(&t, a::RECURRING)?,
    );
    // Rising first, then fading, biggest moves (in mentions) first; at most 6 sentences.
    let mut order: Vec<usize> = (0..t.height())
        .filter(|&i| is_side_section(&sec[i]) && (tr[i] == "rising" || tr[i] == "fading"))
        .collect();
    order.sort_by(|&x, &y| {
        (tr[x] != "rising").cmp(&(tr[y] != "rising")).then(m[y].cmp(&m[x])).then(th[x].cmp(&th[y]))
    });
    order.truncate(6);
    let mut notes = Vec::new();
    for i in order {
        notes.push(format!(
            "{} {} on the {} side: {} of {} items ({}) against {} on average over the previous weeks{}.",
            theme_name(src, &th[i]),
            if tr[i] == "rising" { "is rising" } else { "is fading" },
            side_name(&sec[i]),
            m[i],
            n[i],
            pct(sh[i].unwrap_or(0.0)),
            pct(mean[i].unwrap_or(0.0)),
            if rec[i] { "; a recurring theme" } else { "" }
        ));
    }
    let e = filter_topic_week(terms, topic, week)?;
    let words: Vec<String> = strings(&e, a::TERM)?
        .into_iter()
        .zip(ints(&e, a::ITEMS)?)
        .take(6)
        .map(|(term, n)| format!("“{term}” ({n} items)"))
        .collect();
    if !words.is_empty() {
        notes.push(format!("Emerging terms no theme covers yet: {}.", words.join(", ")));
    }
    Ok(notes)
}

fn blindspot_sentences(
    src: &Sources<'_>,
    spots: &DataFrame,
    topic: &str,
    week: Week,
    side_name: &dyn Fn(&str) -> String,
) -> anyhow::Result<Vec<String>> {
    let s = where_eq(spots, c::TOPIC, topic)?;
    let (kind, side, start, end, digests, mean, threshold) = (
        strings(&s, a::KIND)?,
        strings(&s, c::PERSPECTIVE_ID)?,
        dates(&s, a::START_DATE)?,
        dates(&s, a::END_DATE)?,
        ints(&s, a::DIGESTS)?,
        floats(&s, a::MEAN_SHARE)?,
        floats(&s, a::THRESHOLD)?,
    );
    let (period, theme, mentions, items, other, other_items) = (
        strings(&s, a::PERIOD)?,
        strings(&s, a::THEME)?,
        ints(&s, a::MENTIONS)?,
        ints(&s, a::ITEMS)?,
        strings(&s, a::OTHER_PERSPECTIVE_ID)?,
        ints(&s, a::OTHER_ITEMS)?,
    );
    let mut out = Vec::new();
    for i in 0..s.height() {
        match kind[i].as_str() {
            spot::LOW_SHARE_RUN => {
                let (Some(a0), Some(b0)) = (start[i], end[i]) else { continue };
                if a0 > week.sunday() || b0 < week.monday {
                    continue;
                }
                out.push(format!(
                    "The {} side had under {} of the articles in {} consecutive digests, {} to {} (mean share {}).",
                    side_name(&side[i]),
                    pct(threshold[i].unwrap_or(0.0)),
                    digests[i],
                    a0.format("%-d %B %Y"),
                    b0.format("%-d %B %Y"),
                    pct(mean[i].unwrap_or(0.0))
                ));
            }
            spot::THEME_SILENCE if period[i] == week.label() => out.push(format!(
                "The {} side raised {} in {} of its {} items; the {} side, with {} items, never mentioned it.",
                side_name(&side[i]),
                theme_name(src, &theme[i]),
                mentions[i],
                items[i],
                side_name(&other[i]),
                other_items[i]
            )),
            _ => {}
        }
    }
    Ok(out)
}

fn profile_rows(
    profile: &DataFrame,
    langs: &DataFrame,
    topic: &str,
    week: &str,
    side_name: &dyn Fn(&str) -> String,
) -> anyhow::Result<Vec<ProfileRow>> {
    let p = filter_topic_week(profile, topic, week)?;
    let l = filter_topic_week(langs, topic, week)?;
    let (lside, lang, lshare) =
        (strings(&l, c::PERSPECTIVE_ID)?, strings(&l, c::LANGUAGE)?, floats(&l, a::SHARE)?);
    let side = strings(&p, c::PERSPECTIVE_ID)?;
    let (n, med, max) =
        (ints(&p, a::ARTICLES)?, floats(&p, a::AGE_MEDIAN_DAYS)?, floats(&p, a::AGE_MAX_DAYS)?);
    let (o, s, x) = (
        floats(&p, a::SHARE_NAMES_OTHER)?,
        floats(&p, a::SHARE_NAMES_SELF)?,
        floats(&p, a::SHARE_NAMES_NEITHER)?,
    );
    Ok((0..p.height())
        .map(|i| {
            let mut mix: Vec<(String, f64)> = (0..l.height())
                .filter(|&j| lside[j] == side[i])
                .map(|j| {
                    (
                        if lang[j].is_empty() { "undetected".to_string() } else { lang[j].clone() },
                        lshare[j].unwrap_or(0.0),
                    )
                })
                .collect();
            mix.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            ProfileRow {
                side: side_name(&side[i]),
                articles: n[i],
                languages: mix.iter().map(|(k, v)| format!("{k} {}", pct(*v))).collect::<Vec<_>>().join(", "),
                age_median: med[i],
                age_max: max[i],
                names_other: o[i].unwrap_or(0.0),
                names_self: s[i].unwrap_or(0.0),
                names_neither: x[i].unwrap_or(0.0),
            }
        })
        .collect())
}

type Highlights = (Option<DigestLink>, Vec<SideHighlights>, Vec<DigestLink>);

fn highlights(
    week_highlights: &DataFrame,
    opts: &ReportOptions,
    digests: &DataFrame,
    side_name: &dyn Fn(&str) -> String,
) -> anyhow::Result<Highlights> {
    let (ids, paths, days) =
        (strings(digests, c::DIGEST_ID)?, strings(digests, c::SOURCE_PATH)?, dates(digests, c::DIGEST_DATE)?);
    let link = |i: usize| DigestLink {
        label: days[i].map(|d| d.format("%a %-d %b").to_string()).unwrap_or_default(),
        href: format!("{}{}", opts.digest_link_base, paths[i]),
    };
    let links: Vec<DigestLink> = (0..digests.height()).map(link).collect();
    let Some(last) = digests.height().checked_sub(1) else { return Ok((None, vec![], links)) };
    let h = where_eq(week_highlights, c::DIGEST_ID, &ids[last])?;
    let (sec, text) = (strings(&h, c::SECTION)?, strings(&h, c::TEXT)?);
    let mut out: Vec<SideHighlights> = Vec::new();
    for (s, t) in sec.into_iter().zip(text) {
        let title = match s.as_str() {
            OVERALL => "Overall".to_string(),
            DIFFERENCES => "Key differences".to_string(),
            _ => side_name(&s),
        };
        match out.iter_mut().find(|x| x.section == title) {
            Some(x) => x.bullets.push(t),
            None => out.push(SideHighlights { section: title, bullets: vec![t] }),
        }
    }
    Ok((Some(link(last)), out, links))
}
