//! The weekly report model, from a [`View`] of the analysis and a [`WeekView`] of the week's
//! digests: headline numbers, figures, findings in words, highlights and data quality per
//! topic. No frames here: the views hand over typed rows.

use anyhow::Context;
use chrono::{DateTime, Utc};
use rayon::prelude::*;

mod figures;
mod stories;
mod tone;

use super::calendar::Week;
use super::format::{self, pct};
use super::model::*;
use super::view::{self, top_themes, Highlight, Side, Spot, View, WeekDigest, WeekView};
use crate::analytics::{self, lexicon::Lexicon, Analysis, Filter, Inputs, Options, Period};
use crate::charts::{style, Bar, Chart, Kind, Series};
use crate::model::{is_side_section, DIFFERENCES, OVERALL};
use crate::names::file_stem;
use crate::outlets::Registry;

/// Weeks of history the balance line and theme heatmap show.
pub const HISTORY_WEEKS: i64 = 12;
/// Outlets shown in the source-share chart.
const TOP_OUTLETS: usize = 15;
/// Themes shown in the theme charts.
const TOP_THEMES: usize = 10;
/// Rising and fading themes put in words.
const TOP_TRENDS: usize = 6;

/// What a report is built from.
pub struct Sources<'a> {
    /// The extracted tables.
    pub inputs: &'a Inputs,
    /// The problems table.
    pub problems: polars::prelude::LazyFrame,
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

/// The analysis a report of `week` needs: weekly, over the week and the 15 before it (12
/// weeks of history plus the trend window).
pub fn analysis_options(week: Week, topics: &[String]) -> Options {
    Options {
        period: Period::Week,
        filter: Filter {
            topics: topics.to_vec(),
            from: Some(week.minus(HISTORY_WEEKS + 3).monday),
            to: Some(week.sunday()),
            ..Filter::default()
        },
        ..Options::default()
    }
}

/// The week a report is about by default: the last complete ISO week of the live digests
/// (the week of the latest digest if that digest falls on a Sunday, else the week before
/// it), or the latest week with digests before it when that week has none.
pub fn last_complete_week(inputs: &Inputs) -> anyhow::Result<Option<Week>> {
    let days = analytics::live_days(inputs.digests.clone())?;
    let Some(&last) = days.last() else { return Ok(None) };
    let week = Week::of(last);
    let complete = if last == week.sunday() { week } else { week.minus(1) };
    // The latest week with digests up to then; when all the data is in the week still going
    // (a first run on a few days of digests), that week.
    let reported = days.iter().rev().find(|d| **d <= complete.sunday()).copied().unwrap_or(last);
    Ok(Some(Week::of(reported)))
}

/// Builds the report, analysing the weeks it shows (see [`analytics::analyze_window`]).
pub fn build(src: &Sources<'_>, opts: &ReportOptions) -> anyhow::Result<Report> {
    let analysis =
        analytics::analyze_window(src.inputs, src.lexicon, &analysis_options(opts.week, &opts.topics))
            .context("the analysis for the report failed")?;
    build_from(src, opts, &analysis)
}

/// Whether `analysis`, made over every period of the data (`run`'s own, or the tables
/// `analyze` wrote), serves a report of `week` as the report's own analysis of its weeks
/// would. Everything in it is the same for any week but the emerging terms, which are listed
/// for the latest periods of the data only: a week before the first of them is analysed
/// afresh.
pub fn serves(analysis: &Analysis, week: Week) -> anyhow::Result<bool> {
    let Some(terms) = analysis.find(analytics::table::EMERGING_TERMS) else { return Ok(false) };
    let first = crate::frames::dates(terms, analytics::col::PERIOD_START)?.into_iter().flatten().min();
    Ok(first.is_some_and(|first| first <= week.monday))
}

/// Builds the report from an analysis that covers its weeks (a run's own, or the report's).
pub fn build_from(src: &Sources<'_>, opts: &ReportOptions, analysis: &Analysis) -> anyhow::Result<Report> {
    let week = opts.week;
    let in_week = |from: Week| Options {
        filter: Filter {
            topics: opts.topics.clone(),
            from: Some(from.monday),
            to: Some(week.sunday()),
            ..Filter::default()
        },
        ..Options::default()
    };
    let live = analytics::live_digests(src.inputs.digests.clone(), &in_week(week));
    let two_weeks = analytics::live_digests(src.inputs.digests.clone(), &in_week(week.minus(1)));
    let data =
        WeekView::load(src.inputs, src.problems.clone(), live, two_weeks, (week.monday, week.sunday()))?;
    if data.is_empty() {
        anyhow::bail!("{}", no_digests(src.inputs, opts)?);
    }
    let window = analytics::live_digests(src.inputs.digests.clone(), &analysis_options(week, &opts.topics));
    let topic = TopicBuilder {
        src,
        opts,
        view: View::new(analysis),
        data: &data,
        // Outlets as the feeds spell them, first spelling in the report's window (the charts
        // show no other outlets).
        written: super::view::spellings(src.inputs, Some(window))?,
    };
    // Topics are built side by side (each reads the analysis and the week's rows only).
    let reports = data.topics()?.par_iter().map(|t| topic.build(t)).collect::<anyhow::Result<Vec<_>>>()?;
    let overview = if reports.len() > 1 { reports.iter().map(overview_row).collect() } else { Vec::new() };
    Ok(Report {
        week: week.label(),
        dates: week.dates(),
        week_start: week.monday,
        generated_at: opts.generated_at,
        overview,
        topics: reports,
        unreadable_files: data.unreadable,
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// The error of a week without digests, with the weeks the data covers.
fn no_digests(inputs: &Inputs, opts: &ReportOptions) -> anyhow::Result<String> {
    let days = analytics::live_days(inputs.digests.clone())?;
    let span = match (days.first(), days.last()) {
        (Some(f), Some(l)) => format!("the data covers {} to {}", Week::of(*f).label(), Week::of(*l).label()),
        _ => "the tables hold no live digests".to_string(),
    };
    let which =
        if opts.topics.is_empty() { String::new() } else { format!(" for {}", opts.topics.join(", ")) };
    Ok(format!(
        "no digests in {} ({}){which}; {span}. Pick another --week.",
        opts.week.label(),
        opts.week.dates()
    ))
}

fn overview_row(t: &TopicReport) -> OverviewRow {
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
}

/// Builds one topic's part of the report.
struct TopicBuilder<'a> {
    src: &'a Sources<'a>,
    opts: &'a ReportOptions,
    view: View<'a>,
    data: &'a WeekView,
    written: std::collections::BTreeMap<String, String>,
}

/// A topic's sides, with a name for any id.
struct Sides(Vec<Side>);

impl Sides {
    /// A side's display name; the id when it has none, and "side unknown" for no side.
    fn name(&self, id: &str) -> String {
        if id.is_empty() {
            return UNKNOWN_SIDE.to_string();
        }
        self.0.iter().find(|s| s.id == id).map_or(id.to_string(), |s| s.name.clone())
    }
}

/// How the report names the side of articles that have none.
const UNKNOWN_SIDE: &str = "side unknown";

impl TopicBuilder<'_> {
    fn build(&self, topic: &str) -> anyhow::Result<TopicReport> {
        let week = self.opts.week;
        let now = week.label();
        let sides = Sides(self.view.sides(topic, &now)?);
        let digests = self.data.digests(topic)?;
        let name = digests.first().map_or_else(|| topic.to_string(), |d| d.topic_name.clone());
        let (highlights_from, highlights, digest_links) = self.highlights(&digests, &sides)?;
        let stories::WeekStories { rows: stories, one_sided: mut one_sided_stories, linked, found } =
            self.stories(topic, &sides, &digests)?;
        let languages = self.languages(topic, &sides, linked)?;
        // One-sided stories of sides in Spanish and English rest on links across the two.
        if found > 0 && languages.as_ref().is_some_and(|(_, bridged)| *bridged) {
            one_sided_stories.insert(found, format::cross_language_caveat());
        }
        let (tone, tone_notes) = self.tone(topic, &sides)?;
        let (grounding, flagged) = self.grounding(topic, &sides, &digests)?;
        let unsided: Vec<&WeekDigest> = digests.iter().filter(|d| !d.compares_sides).collect();
        let unsided = (!unsided.is_empty()).then(|| {
            let days: Vec<String> = unsided.iter().map(|d| self.digest_link(d).label).collect();
            format::unsided_sentence(&days, digests.len(), unsided.iter().map(|d| d.listed).sum())
        });
        Ok(TopicReport {
            topic: topic.to_string(),
            name,
            unsided,
            headline: self.headline(topic, &sides)?,
            balance: vec![self.daily_figure(topic, &sides)?, self.balance_line(topic)?],
            sources: vec![self.outlet_figure(topic, &sides)?],
            themes: vec![self.theme_figure(topic, &sides)?, self.theme_heatmap(topic)?],
            theme_notes: self.theme_notes(topic, &sides)?,
            blindspots: self.spot_sentences(topic, &sides)?,
            languages: languages.map(|(note, _)| note),
            stories,
            one_sided_stories,
            profile: self.profile(topic, &sides)?,
            tone,
            tone_notes,
            grounding,
            flagged,
            highlights_from,
            highlights,
            digests: digest_links,
            declared: digests.iter().map(|d| d.declared).sum(),
            listed: digests.iter().map(|d| d.listed).sum(),
            problems: self.problems(topic)?,
        })
    }

    /// Digests, articles, outlets, balance index and each side's share, now and a week ago.
    fn headline(&self, topic: &str, sides: &Sides) -> anyhow::Result<Vec<Change>> {
        let (this, last) = (self.opts.week, self.opts.week.minus(1));
        let (now, before) =
            (self.view.balance(topic, &this.label())?, self.view.balance(topic, &last.label())?);
        let count = |w: Week| -> anyhow::Result<Option<f64>> {
            Ok(Some(self.data.digest_count(topic, w.monday, w.sunday())? as f64))
        };
        // Every article of the week, of known side or not (source shares count them all),
        // and its distinct outlets, from one read of the week's source shares.
        let articles_outlets = |w: Week| -> anyhow::Result<(Option<f64>, Option<f64>)> {
            let rows = self.view.outlets(topic, &w.label())?;
            let articles = rows.iter().map(|o| o.articles).sum::<i64>() as f64;
            let mut ids: Vec<&str> = rows.iter().map(|o| o.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            let some = !rows.is_empty();
            Ok((some.then_some(articles), some.then_some(ids.len() as f64)))
        };
        let ((articles_now, outlets_now), (articles_before, outlets_before)) =
            (articles_outlets(this)?, articles_outlets(last)?);
        let change = |label: &str, now, before, percent| Change { label: label.into(), now, before, percent };
        let mut headline = vec![
            change("digests", count(this)?, count(last)?, false),
            change("articles", articles_now, articles_before, false),
            change("outlets", outlets_now, outlets_before, false),
            change("balance index", now.index, before.index, false),
        ];
        for s in &sides.0 {
            headline.push(change(&format!("{} share", s.name), now.share(&s.id), before.share(&s.id), true));
        }
        Ok(headline)
    }

    fn theme_notes(&self, topic: &str, sides: &Sides) -> anyhow::Result<Vec<String>> {
        let now = self.opts.week.label();
        let mut notes: Vec<String> = self
            .view
            .trends(topic, &now, TOP_TRENDS)?
            .iter()
            .map(|t| {
                let counts = (
                    t.theme.mentions,
                    t.theme.items,
                    t.theme.share.unwrap_or(0.0),
                    t.trailing_mean.unwrap_or(0.0),
                );
                let theme = self.src.lexicon.theme_name(&t.theme.theme);
                format::trend_sentence(&theme, t.rising, &sides.name(&t.theme.section), counts, t.recurring)
            })
            .collect();
        let terms: Vec<(String, i64)> =
            self.view.terms(topic, &now, TOP_TRENDS)?.into_iter().map(|t| (t.term, t.items)).collect();
        if !terms.is_empty() {
            notes.push(format::terms_sentence(&terms));
        }
        Ok(notes)
    }

    fn spot_sentences(&self, topic: &str, sides: &Sides) -> anyhow::Result<Vec<String>> {
        let week = self.opts.week;
        let spots = self.view.spots(topic)?;
        // The silence rule, once, when the week has a silence.
        let rule = spots.iter().find_map(|s| match s {
            Spot::Silence { period, rule, .. } if *period == week.label() => {
                Some(format::silence_rule(rule.min_mentions, rule.min_coverage))
            }
            _ => None,
        });
        let mut sentences: Vec<String> = spots
            .into_iter()
            .filter_map(|s| match s {
                Spot::LowShare { side, threshold, digests, first, last, mean_share } => {
                    (first <= week.sunday() && last >= week.monday).then(|| {
                        format::low_share_sentence(
                            &sides.name(&side),
                            threshold,
                            digests,
                            (first, last),
                            mean_share,
                        )
                    })
                }
                Spot::Silence { period, theme, raised, silent, .. } => (period == week.label()).then(|| {
                    let theme = self.src.lexicon.theme_name(&theme);
                    format::silence_sentence(
                        &sides.name(&raised.side),
                        &theme,
                        (raised.mentions, raised.items),
                        &sides.name(&silent.side),
                        silent.items,
                    )
                }),
            })
            .collect();
        sentences.extend(rule);
        Ok(sentences)
    }

    /// How sides in different languages were compared ([`format::languages_sentence`]), when
    /// the week's sides do not all write in one language (a language counts for a side from
    /// a tenth of its titles), and whether the clustering bridges all their languages.
    fn languages(
        &self,
        topic: &str,
        sides: &Sides,
        linked: (usize, usize),
    ) -> anyhow::Result<Option<(String, bool)>> {
        let profile = self.view.profile(topic, &self.opts.week.label())?;
        let main = |p: &view::Profile| -> Vec<String> {
            let mut l: Vec<String> = p
                .languages
                .iter()
                .filter(|l| l.share >= 0.1)
                .map(|l| crate::lang::primary_subtag(&l.language).to_string())
                .collect();
            l.sort();
            l.dedup();
            l
        };
        let sets: Vec<Vec<String>> = profile.iter().map(main).collect();
        if sets.windows(2).all(|w| w[0] == w[1]) {
            return Ok(None);
        }
        let mut main_languages: Vec<String> = sets.into_iter().flatten().collect();
        main_languages.sort();
        main_languages.dedup();
        let named = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
            main_languages.iter().filter(|l| keep(l)).map(|l| format::language_name(l)).collect()
        };
        let uncovered = named(&|l| self.src.lexicon.covered(Some(l)) == 0);
        let unbridged = named(&|l| !crate::analytics::stories::bridge::bridged(Some(l)));
        let mixes: Vec<format::LanguageMix> = profile
            .iter()
            .map(|p| {
                let mut by: Vec<(String, f64)> = Vec::new();
                for l in &p.languages {
                    let name = format::language_name(crate::lang::primary_subtag(&l.language));
                    match by.iter_mut().find(|(n, _)| *n == name) {
                        Some(x) => x.1 += l.share,
                        None => by.push((name, l.share)),
                    }
                }
                format::LanguageMix { side: sides.name(&p.side), languages: by }
            })
            .collect();
        let bridged = unbridged.is_empty();
        let note = format::languages_sentence(&format::LanguageNote { mixes, uncovered, unbridged, linked });
        Ok(Some((note, bridged)))
    }

    fn profile(&self, topic: &str, sides: &Sides) -> anyhow::Result<Vec<ProfileRow>> {
        Ok(self
            .view
            .profile(topic, &self.opts.week.label())?
            .into_iter()
            .map(|p| ProfileRow {
                side: sides.name(&p.side),
                articles: p.articles,
                languages: p
                    .languages
                    .iter()
                    .map(|l| {
                        let name = if l.language.is_empty() { "undetected" } else { &l.language };
                        format!("{name} {}", pct(l.share))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                age_median: p.age_median,
                age_max: p.age_max,
                names_other: p.names.other,
                names_self: p.names.own,
                names_neither: p.names.neither,
            })
            .collect())
    }

    /// A link to a digest on the site, labelled with its day.
    fn digest_link(&self, d: &WeekDigest) -> DigestLink {
        DigestLink {
            label: d.date.map(|d| d.format("%a %-d %b").to_string()).unwrap_or_default(),
            href: format!("{}{}", self.opts.digest_link_base, d.path),
        }
    }

    /// The highlights of the week's latest digest by section, and links to every digest.
    fn highlights(
        &self,
        digests: &[WeekDigest],
        sides: &Sides,
    ) -> anyhow::Result<(Option<DigestLink>, Vec<SideHighlights>, Vec<DigestLink>)> {
        let link = |d: &WeekDigest| self.digest_link(d);
        let links: Vec<DigestLink> = digests.iter().map(link).collect();
        let Some(last) = digests.last() else { return Ok((None, vec![], links)) };
        let mut out: Vec<SideHighlights> = Vec::new();
        for Highlight { section, text } in self.data.highlights(&last.id)? {
            let title = match section.as_str() {
                OVERALL => "Overall".to_string(),
                DIFFERENCES => "Key differences".to_string(),
                _ => sides.name(&section),
            };
            match out.iter_mut().find(|x| x.section == title) {
                Some(x) => x.bullets.push(text),
                None => out.push(SideHighlights { section: title, bullets: vec![text] }),
            }
        }
        Ok((Some(link(last)), out, links))
    }

    fn problems(&self, topic: &str) -> anyhow::Result<Vec<ProblemRow>> {
        Ok(self
            .data
            .problems(topic)?
            .into_iter()
            .map(|p| ProblemRow {
                location: if p.line > 0 { format!("{}:{}", p.path, p.line) } else { p.path },
                severity: p.severity,
                kind: p.kind,
                message: p.message,
            })
            .collect())
    }
}
