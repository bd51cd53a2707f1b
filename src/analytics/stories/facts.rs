//! Each story's facts as plain values, from its members' rows: days, outlets, sides and
//! their timing, reprints, languages, and whether it is one-sided. [`super::columns`] turns
//! them into table columns.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::bridge;
use super::rows::{Rows, Story};
use crate::analytics::base::StorySettings as Settings;

/// Each article's normalised title and outlet id as small numbers, for counting reprints
/// (the same title from several outlets) without comparing strings. Titles are numbered
/// per topic, which is all a story spans.
pub(super) struct TitleIds {
    pub(super) title: Vec<u32>,
    pub(super) outlet: Vec<u32>,
    /// The number of the empty outlet id, if an article has one.
    pub(super) no_outlet: Option<u32>,
}

/// A side's titles per month and language: (month, language, titles), in month order.
type MonthLanguages<'a> = Vec<(u32, &'a str, u32)>;

/// Per topic, each side's titles per month and language (primary subtag, "" when unknown),
/// for the linkable rule of one-sided stories ([`Settings::one_sided_min_linkable`]).
pub(super) struct SideLanguages<'a> {
    /// (topic, side) → its titles per month and language, sorted by topic and side.
    sides: BTreeMap<(&'a str, &'a str), MonthLanguages<'a>>,
}

impl<'a> SideLanguages<'a> {
    pub(super) fn of(rows: &Rows<'a>) -> SideLanguages<'a> {
        let mut sides: BTreeMap<(&str, &str), MonthLanguages> = BTreeMap::new();
        for i in 0..rows.n {
            let Some(side) = rows.side.opt(i) else { continue };
            let counts = sides.entry((rows.topic.get(i), side)).or_default();
            let month = super::months::month(rows.date[i]);
            let language = bridge::primary(rows.language.opt(i)).unwrap_or_default();
            // Rows come in date order within a topic: a month's counts are at the end.
            let at = counts.iter().rposition(|c| c.0 == month && c.1 == language);
            match at {
                Some(k) => counts[k].2 += 1,
                None => counts.push((month, language, 1)),
            }
        }
        // In month order whatever the rows' order, which `linkable_share` bisects by.
        for counts in sides.values_mut() {
            counts.sort_by_key(|c| c.0);
        }
        SideLanguages { sides }
    }

    /// The lowest, over the topic's sides other than `top` with titles in the `window`
    /// months ending with `month`, share of a side's titles of those months in a language
    /// the story's `languages` could be linked to; `None` without such a side. Only months
    /// up to the story's own are read, so a later month never changes a story's rule.
    /// Over the topic's sides other than `top` (with titles in the window): the lowest share
    /// of a side's titles in a language the story's titles could be linked to, and the
    /// highest share of a side's titles linkable only through the bridge (another language
    /// than every one of the story's). `None` with no other side.
    fn linkable_share(
        &self,
        topic: &str,
        top: Option<&str>,
        languages: &[(&str, u32)],
        (month, window): (u32, u32),
    ) -> Option<(f64, f64)> {
        let bridged = languages.iter().any(|(l, _)| bridge::bridged(Some(l)));
        let same = |l: &str| languages.iter().any(|(s, _)| *s == l);
        let across = |l: &str| !same(l) && bridged && bridge::bridged(Some(l));
        self.sides
            .range((topic, "")..)
            .take_while(|((t, _), _)| *t == topic)
            .filter(|((_, side), _)| Some(*side) != top)
            .filter_map(|(_, counts)| {
                // The counts are in month order: the window's are one run, found by bisection.
                let first = counts.partition_point(|c| c.0 + window <= month);
                let end = counts.partition_point(|c| c.0 <= month);
                let window = counts[first..end.max(first)].iter();
                let (all, ok, through) = window.fold((0u32, 0u32, 0u32), |(all, ok, through), c| {
                    let (s, a) = (same(c.1), across(c.1));
                    (all + c.2, ok + if s || a { c.2 } else { 0 }, through + if a { c.2 } else { 0 })
                });
                (all > 0).then(|| (f64::from(ok) / f64::from(all), f64::from(through) / f64::from(all)))
            })
            .reduce(|a, b| (a.0.min(b.0), a.1.max(b.1)))
    }
}

/// Buffers [`add_story`] reuses from one story to the next.
#[derive(Default)]
pub(super) struct Scratch {
    outlets: Vec<u32>,
    reprints: Vec<(u32, u32)>,
}

/// What a story's facts read besides its rows: its topic-wide context.
pub(super) struct Context<'c, 'a> {
    pub(super) titles: &'c TitleIds,
    pub(super) languages: &'c SideLanguages<'a>,
    pub(super) settings: &'c Settings,
}

/// One side's part of a story.
pub(super) struct SidePart<'a> {
    pub(super) side: &'a str,
    pub(super) articles: u32,
    pub(super) first: NaiveDate,
    pub(super) last: NaiveDate,
    pub(super) days: u32,
}

/// One story's facts, as plain values: what its row in `stories` and its rows in
/// `story_sides` say.
pub(super) struct StoryFacts<'a> {
    pub(super) first: NaiveDate,
    pub(super) last: NaiveDate,
    pub(super) days: u32,
    pub(super) articles: u32,
    pub(super) outlets: u32,
    /// Its sides, in id order.
    pub(super) sides: Vec<SidePart<'a>>,
    pub(super) unknown: u32,
    pub(super) top_side: Option<&'a str>,
    pub(super) top_share: Option<f64>,
    pub(super) one_sided: bool,
    pub(super) first_side: Option<&'a str>,
    pub(super) lag: Option<i64>,
    pub(super) reprint_outlets: u32,
    /// Articles per title language, in language order.
    pub(super) languages: Vec<(&'a str, u32)>,
    pub(super) linkable: Option<f64>,
    /// The highest share of another side's titles linkable to the story's only through the
    /// bridge between Spanish and English ([`SideLanguages::linkable_share`]).
    pub(super) bridged: Option<f64>,
    pub(super) representative: usize,
}

/// The facts of `story` from its members' rows. `scratch` holds buffers every story reuses.
pub(super) fn facts<'a>(
    story: &Story<'a>,
    rows: &Rows<'a>,
    context: &Context<'_, 'a>,
    scratch: &mut Scratch,
) -> StoryFacts<'a> {
    let Context { titles, languages: side_languages, settings } = *context;
    let m = &story.members;
    let first = rows.date[m[0]];
    let last = rows.date[*m.last().expect("a story has members")];
    // Members are in date order, so distinct days are counted as changes of date.
    let days = 1 + m.windows(2).filter(|w| rows.date[w[0]] != rows.date[w[1]]).count() as u32;
    // Outlets and (title, outlet) pairs as their numbers, in buffers every story reuses.
    let Scratch { outlets, reprints } = scratch;
    outlets.clear();
    reprints.clear();
    for &i in m {
        if Some(titles.outlet[i]) != titles.no_outlet {
            outlets.push(titles.outlet[i]);
        }
        reprints.push((titles.title[i], titles.outlet[i]));
    }
    let (parts, unknown) = side_parts(m, rows);
    let languages = language_counts(m, rows);
    outlets.sort_unstable();
    outlets.dedup();
    reprints.sort_unstable();
    reprints.dedup();
    // Most outlets under one normalised title: the longest run of one title.
    let reprint_outlets = reprints.chunk_by(|a, b| a.0 == b.0).map(|run| run.len() as u32).max().unwrap_or(0);
    let known: u32 = parts.iter().map(|p| p.articles).sum();
    let top = parts.iter().max_by(|a, b| a.articles.cmp(&b.articles).then(b.side.cmp(a.side)));
    let top_share = top.filter(|_| known > 0).map(|p| f64::from(p.articles) / f64::from(known));
    let window = (super::months::month(first), settings.rarity_months);
    let shares = side_languages.linkable_share(story.topic, top.map(|p| p.side), &languages, window);
    let (linkable, bridged) = (shares.map(|s| s.0), shares.map(|s| s.1));
    let one_sided = m.len() as u32 >= settings.one_sided_min_articles
        && top_share.is_some_and(|t| t >= settings.one_sided_share)
        && linkable.is_none_or(|l| l >= settings.one_sided_min_linkable);
    let mut starts: Vec<(NaiveDate, &str)> = parts.iter().map(|p| (p.first, p.side)).collect();
    starts.sort();
    let first_side = match starts.as_slice() {
        [only] => Some(only.1),
        [a, b, ..] if a.0 < b.0 => Some(a.1),
        _ => None,
    };
    let lag = (starts.len() >= 2).then(|| (starts[1].0 - starts[0].0).num_days());
    StoryFacts {
        first,
        last,
        days,
        articles: m.len() as u32,
        outlets: outlets.len() as u32,
        top_side: top.map(|p| p.side),
        sides: parts,
        unknown,
        top_share,
        one_sided,
        first_side,
        lag,
        reprint_outlets,
        languages,
        linkable,
        bridged,
        representative: story.representative,
    }
}

/// Each side's part of a story whose members are `m` (in date order), in side order, and
/// how many members have no side. A story has few sides: a vector searched in place.
fn side_parts<'a>(m: &[usize], rows: &Rows<'a>) -> (Vec<SidePart<'a>>, u32) {
    let mut parts: Vec<SidePart> = Vec::new();
    let mut unknown = 0u32;
    for &i in m {
        let date = rows.date[i];
        match rows.side.opt(i) {
            Some(side) => match parts.iter_mut().find(|p| p.side == side) {
                Some(p) => {
                    p.articles += 1;
                    if p.last != date {
                        p.days += 1;
                    }
                    p.last = date;
                }
                None => parts.push(SidePart { side, articles: 1, first: date, last: date, days: 1 }),
            },
            None => unknown += 1,
        }
    }
    parts.sort_unstable_by(|a, b| a.side.cmp(b.side));
    (parts, unknown)
}

/// Members per title language (primary subtag, "" unknown), in language order.
fn language_counts<'a>(m: &[usize], rows: &Rows<'a>) -> Vec<(&'a str, u32)> {
    let mut languages: Vec<(&str, u32)> = Vec::new();
    for &i in m {
        count_language(&mut languages, rows, i);
    }
    languages.sort_unstable();
    languages
}

/// Counts row `i`'s title language (primary subtag, "" unknown) in `counts`: few languages,
/// a vector searched in place.
fn count_language<'a>(counts: &mut Vec<(&'a str, u32)>, rows: &Rows<'a>, i: usize) {
    let language = bridge::primary(rows.language.opt(i)).unwrap_or_default();
    match counts.iter_mut().find(|(l, _)| *l == language) {
        Some(c) => c.1 += 1,
        None => counts.push((language, 1)),
    }
}
