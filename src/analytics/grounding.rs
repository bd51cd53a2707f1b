//! Grounding: which titles of its digest each highlight rests on (docs/analysis.md,
//! Grounding). The generator's model wrote every bullet after reading every title of the
//! day, both sides in one prompt, so a bullet filed under one side can rest on the other
//! side's titles, or on none that a word match finds.
//!
//! A bullet and each title of its digest are read into the stories' shared vocabulary
//! ([`super::stories::bridge`]: accents folded, Spanish through the glossary, English stems),
//! with names and numbers also kept as they are written (a second channel: a name read by
//! the glossary as a common word still matches). A title's **score** for a bullet is the
//! share of the bullet's rarity-weighted words (inverse document frequency over the
//! topic's bullets and titles) that the title has, the two channels mixed by
//! [`Settings::names_weight`]. Titles scoring at least [`Settings::support_min`] support the
//! bullet, and a side's support counts when its best title scores at least
//! [`Settings::comparable`] of the other side's best. A side bullet is then `grounded` (only its own side's titles support it),
//! `cross-attributed` (only another side's), `both`, or `ungrounded` (no supporting title
//! found by word match); bullets of the overall and differences sections have no side and
//! are `not-assessed` (their supporting titles are still listed). Placeholders never reach
//! the highlights table.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::base::{col, in_periods};
use super::lexicon::fold_lower;
use super::stories::bridge;
use crate::fxhash::{FxMap, FxSet};
use crate::model::{DIFFERENCES, OVERALL};
use crate::tables::col as c;

pub use super::base::GroundingSettings as Settings;

/// The statuses of `highlight_grounding`.
pub mod status {
    pub const GROUNDED: &str = "grounded";
    pub const CROSS_ATTRIBUTED: &str = "cross-attributed";
    pub const BOTH: &str = "both";
    pub const UNGROUNDED: &str = "ungrounded";
    pub const NOT_ASSESSED: &str = "not-assessed";
}

/// The two grounding tables.
pub struct Tables {
    pub highlight_support: DataFrame,
    pub highlight_grounding: DataFrame,
}

/// A text read for matching: its words in the shared vocabulary and its names and numbers.
#[derive(Debug, Default, Clone)]
struct Read {
    words: Vec<String>,
    names: Vec<String>,
}

/// Reads a text: bridged words (each once) and the folded capitalised words after the
/// first, and numbers (each once).
fn read(text: &str, language: Option<&str>) -> Read {
    let mut words: Vec<String> =
        bridge::bridge(text, language).split(' ').filter(|w| !w.is_empty()).map(str::to_string).collect();
    words.sort_unstable();
    words.dedup();
    let mut names = Vec::new();
    for (i, w) in text.split(|c: char| !(c.is_alphanumeric())).filter(|w| !w.is_empty()).enumerate() {
        let capital = w.chars().next().is_some_and(char::is_uppercase) && i > 0;
        let number = w.chars().all(|c| c.is_ascii_digit()) && w.len() > 1;
        if capital || number {
            names.push(fold_lower(w));
        }
    }
    names.sort_unstable();
    names.dedup();
    Read { words, names }
}

/// Inverse document frequencies of one topic's texts: `ln((n + 1) / (df + 1)) + 1`.
struct Idf {
    n: f64,
    df: FxMap<String, u32>,
}

impl Idf {
    fn of<'a>(docs: impl Iterator<Item = &'a [String]>) -> Idf {
        let mut df: FxMap<String, u32> = FxMap::default();
        let mut n = 0.0;
        for d in docs {
            n += 1.0;
            for w in d {
                *df.entry(w.clone()).or_default() += 1;
            }
        }
        Idf { n, df }
    }

    fn get(&self, w: &str) -> f64 {
        ((self.n + 1.0) / (f64::from(self.df.get(w).copied().unwrap_or(0)) + 1.0)).ln() + 1.0
    }
}

/// The share of `bullet`'s weight that `title` has.
fn overlap(bullet: &[String], title: &[String], idf: &Idf) -> f64 {
    let total: f64 = bullet.iter().map(|w| idf.get(w)).sum();
    if total == 0.0 {
        return 0.0;
    }
    let set: FxSet<&str> = title.iter().map(String::as_str).collect();
    bullet.iter().filter(|w| set.contains(w.as_str())).map(|w| idf.get(w)).sum::<f64>() / total
}

/// A title's score for a bullet: the words' overlap and the names' overlap, mixed.
fn score(bullet: &Read, title: &Read, idf: &(Idf, Idf), settings: &Settings) -> f64 {
    let words = overlap(&bullet.words, &title.words, &idf.0);
    if bullet.names.is_empty() {
        return words;
    }
    let names = overlap(&bullet.names, &title.names, &idf.1);
    (1.0 - settings.names_weight) * words + settings.names_weight * names
}

/// One title of a digest.
struct Title {
    position: i64,
    side: Option<String>,
    english: bool,
    read: Read,
}

/// One bullet of a digest.
struct Bullet {
    row: usize,
    section: String,
    read: Read,
}

/// Builds both tables from the live digests' highlights and articles (joined with their
/// periods: `articles` is the joined frame, `highlights` the input).
pub fn grounding(
    highlights: LazyFrame,
    articles: LazyFrame,
    live: LazyFrame,
    settings: &Settings,
) -> PolarsResult<Tables> {
    let dates = live.clone().select([col(c::DIGEST_ID), col(c::DIGEST_DATE)]);
    let h = in_periods(highlights, live)
        .join(dates, [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], JoinArgs::new(JoinType::Left))
        .select([
            col(c::DIGEST_ID),
            col(c::TOPIC),
            col(c::DIGEST_DATE),
            col(c::SECTION),
            col(c::POSITION).cast(DataType::Int64),
            col(c::TEXT),
        ])
        .collect()?
        .sort([c::TOPIC], SortMultipleOptions::default().with_maintain_order(true))?;
    let a = articles
        .select([
            col(c::DIGEST_ID),
            col(c::TOPIC),
            col(c::POSITION).cast(DataType::Int64),
            col(c::PERSPECTIVE_ID),
            col(c::LANGUAGE),
            col(c::TITLE),
        ])
        .collect()?;
    let titles = titles_by_digest(&a)?;
    let texts: Vec<&str> = h.column(c::TEXT)?.str()?.iter().map(Option::unwrap_or_default).collect();
    let digests: Vec<&str> = h.column(c::DIGEST_ID)?.str()?.iter().map(Option::unwrap_or_default).collect();
    let topics: Vec<&str> = h.column(c::TOPIC)?.str()?.iter().map(Option::unwrap_or_default).collect();
    let sections: Vec<&str> = h.column(c::SECTION)?.str()?.iter().map(Option::unwrap_or_default).collect();
    // Per topic, its digests' bullets, and the IDF of the topic's bullets and titles.
    let mut by_topic: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, t) in topics.iter().enumerate() {
        by_topic.entry(t).or_default().push(i);
    }
    let mut rows = Rows::default();
    for (topic, bullet_rows) in by_topic {
        let bullets: Vec<Bullet> = bullet_rows
            .iter()
            .map(|&i| Bullet { row: i, section: sections[i].to_string(), read: read(texts[i], Some("en")) })
            .collect();
        let topic_titles: Vec<&Title> =
            titles.get(topic).into_iter().flat_map(|m| m.values().flatten()).collect();
        let docs = || bullets.iter().map(|b| &b.read).chain(topic_titles.iter().map(|t| &t.read));
        let idf = (Idf::of(docs().map(|r| r.words.as_slice())), Idf::of(docs().map(|r| r.names.as_slice())));
        for b in &bullets {
            let day = titles.get(topic).and_then(|m| m.get(digests[b.row])).map_or(&[][..], Vec::as_slice);
            rows.bullet(b, day, &idf, settings);
        }
    }
    rows.finish(&h, settings)
}

/// The titles of every digest, by topic and digest id.
fn titles_by_digest(a: &DataFrame) -> PolarsResult<BTreeMap<String, BTreeMap<String, Vec<Title>>>> {
    let s = |name: &str| -> PolarsResult<Vec<Option<String>>> {
        Ok(a.column(name)?.str()?.iter().map(|v| v.map(str::to_string)).collect())
    };
    let (ids, topics, sides, langs, titles) =
        (s(c::DIGEST_ID)?, s(c::TOPIC)?, s(c::PERSPECTIVE_ID)?, s(c::LANGUAGE)?, s(c::TITLE)?);
    let positions: Vec<i64> = a.column(c::POSITION)?.i64()?.iter().map(Option::unwrap_or_default).collect();
    let mut out: BTreeMap<String, BTreeMap<String, Vec<Title>>> = BTreeMap::new();
    for i in 0..a.height() {
        let lang = langs[i].as_deref();
        let t = Title {
            position: positions[i],
            side: sides[i].clone(),
            english: bridge::primary(lang) == Some("en"),
            read: read(titles[i].as_deref().unwrap_or_default(), lang),
        };
        out.entry(topics[i].clone().unwrap_or_default())
            .or_default()
            .entry(ids[i].clone().unwrap_or_default())
            .or_default()
            .push(t);
    }
    Ok(out)
}

/// The rows of both tables while they are filled.
#[derive(Default)]
struct Rows {
    // highlight_support
    s_row: Vec<usize>,
    s_article: Vec<i64>,
    s_side: Vec<Option<String>>,
    s_score: Vec<f64>,
    s_same: Vec<Option<bool>>,
    s_rank: Vec<i64>,
    // highlight_grounding, one per bullet row
    g_row: Vec<usize>,
    g_status: Vec<&'static str>,
    g_support: Vec<String>,
    g_best: Vec<Option<f64>>,
    g_own: Vec<Option<f64>>,
    g_other: Vec<Option<f64>>,
    g_confidence: Vec<&'static str>,
}

/// Six decimals (and no negative zero: an empty sum of floats is −0).
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6 + 0.0
}

impl Rows {
    /// Scores `day`'s titles for bullet `b` and adds its rows.
    fn bullet(&mut self, b: &Bullet, day: &[Title], idf: &(Idf, Idf), settings: &Settings) {
        let sided = b.section != OVERALL && b.section != DIFFERENCES;
        let mut scored: Vec<(f64, &Title)> =
            day.iter().map(|t| (round6(score(&b.read, &t.read, idf, settings)), t)).collect();
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.position.cmp(&y.1.position)));
        let support: Vec<&(f64, &Title)> =
            scored.iter().filter(|(s, _)| *s >= settings.support_min).collect();
        for (rank, (s, t)) in support.iter().take(settings.top).enumerate() {
            self.s_row.push(b.row);
            self.s_article.push(t.position);
            self.s_side.push(t.side.clone());
            self.s_score.push(*s);
            self.s_same.push(sided.then(|| t.side.as_deref() == Some(b.section.as_str())));
            self.s_rank.push(rank as i64 + 1);
        }
        let best = |own: bool| -> Option<f64> {
            scored
                .iter()
                .filter(|(_, t)| t.side.is_some() && (t.side.as_deref() == Some(b.section.as_str())) == own)
                .map(|(s, _)| *s)
                .next()
        };
        let (own, other) = if sided { (best(true), best(false)) } else { (None, None) };
        // A side counts when its best title reaches the threshold and is comparable to the
        // other side's best.
        let counts = |v: Option<f64>, w: Option<f64>| {
            v.is_some_and(|v| v >= settings.support_min && v >= settings.comparable * w.unwrap_or(0.0))
        };
        let status = match (sided, day.is_empty(), counts(own, other), counts(other, own)) {
            (false, _, _, _) | (_, true, _, _) => status::NOT_ASSESSED,
            (true, false, true, false) => status::GROUNDED,
            (true, false, false, true) => status::CROSS_ATTRIBUTED,
            (true, false, true, true) => status::BOTH,
            (true, false, false, false) => status::UNGROUNDED,
        };
        // Low confidence where the titles the status rests on are not in the bullet's
        // language (English): the match goes through the glossary.
        let own_titles: Vec<&Title> =
            day.iter().filter(|t| t.side.as_deref() == Some(b.section.as_str())).collect();
        let foreign = support.iter().take(1).any(|(_, t)| !t.english)
            || (sided
                && !own_titles.is_empty()
                && own_titles.iter().filter(|t| !t.english).count() * 2 > own_titles.len());
        self.g_row.push(b.row);
        self.g_status.push(status);
        self.g_support.push(
            support
                .iter()
                .take(settings.top)
                .map(|(_, t)| t.position.to_string())
                .collect::<Vec<_>>()
                .join(";"),
        );
        self.g_best.push(scored.first().map(|(s, _)| *s));
        self.g_own.push(own);
        self.g_other.push(other);
        self.g_confidence.push(if foreign { "low" } else { "high" });
    }

    /// Both tables, keyed by the bullets' columns of `h`.
    fn finish(self, h: &DataFrame, settings: &Settings) -> PolarsResult<Tables> {
        let take = |rows: &[usize], names: &[&str]| -> PolarsResult<DataFrame> {
            let idx = IdxCa::from_vec("i".into(), rows.iter().map(|&r| r as IdxSize).collect());
            h.select(names.iter().copied())?.take(&idx)
        };
        let mut support = take(&self.s_row, &[c::DIGEST_ID, c::TOPIC, c::SECTION, c::POSITION])?;
        let n = self.s_row.len();
        support.with_column(Column::new(col::ARTICLE_POSITION.into(), self.s_article))?;
        support.with_column(Column::new(c::PERSPECTIVE_ID.into(), self.s_side))?;
        support.with_column(Column::new(col::SCORE.into(), self.s_score))?;
        support.with_column(Column::new(col::SAME_SIDE.into(), self.s_same))?;
        support.with_column(Column::new(col::RANK.into(), self.s_rank))?;
        let _ = n;
        let mut g = take(&self.g_row, &[c::DIGEST_ID, c::TOPIC, c::DIGEST_DATE, c::SECTION, c::POSITION])?;
        let m = self.g_row.len();
        let margin: Vec<Option<f64>> = self
            .g_own
            .iter()
            .zip(&self.g_other)
            .map(|(o, x)| o.zip(*x).map(|(o, x)| round6(o - x)))
            .collect();
        g.with_column(Column::new(col::STATUS.into(), self.g_status))?;
        g.with_column(Column::new(col::SUPPORT.into(), self.g_support))?;
        g.with_column(Column::new(col::BEST.into(), self.g_best))?;
        g.with_column(Column::new(col::BEST_OWN.into(), self.g_own))?;
        g.with_column(Column::new(col::BEST_OTHER.into(), self.g_other))?;
        g.with_column(Column::new(col::MARGIN.into(), margin))?;
        g.with_column(Column::new(col::CONFIDENCE.into(), self.g_confidence))?;
        g.with_column(Column::new(col::SUPPORT_MIN.into(), vec![settings.support_min; m]))?;
        g.with_column(Column::new(col::NAMES_WEIGHT.into(), vec![settings.names_weight; m]))?;
        g.with_column(Column::new(col::COMPARABLE.into(), vec![settings.comparable; m]))?;
        Ok(Tables { highlight_support: support, highlight_grounding: g })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_scores_the_share_of_the_bullets_weight_it_has() {
        let b = read("Japan protests the Chinese radar lock-on", Some("en"));
        let t1 = read("Tokyo protests radar lock-on by Chinese jets", Some("en"));
        let t2 = read("Stock markets close higher", Some("en"));
        let idf = (
            Idf::of([b.words.as_slice(), t1.words.as_slice(), t2.words.as_slice()].into_iter()),
            Idf::of([b.names.as_slice(), t1.names.as_slice(), t2.names.as_slice()].into_iter()),
        );
        let s = Settings::default();
        let (s1, s2) = (score(&b, &t1, &idf, &s), score(&b, &t2, &idf, &s));
        assert!(s1 > 0.5 && s2 == 0.0, "{s1} {s2}");
        // Spanish titles meet English bullets through the glossary.
        let es = read("Venezuela denuncia el bloqueo naval de Estados Unidos", Some("es"));
        let en = read("Venezuela denounces the US naval blockade", Some("en"));
        let idf = (
            Idf::of([en.words.as_slice(), es.words.as_slice()].into_iter()),
            Idf::of([en.names.as_slice(), es.names.as_slice()].into_iter()),
        );
        assert!(score(&en, &es, &idf, &s) > 0.5, "{:?} {:?}", en, es);
    }
}
