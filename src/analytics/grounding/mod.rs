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

use super::base::{col, in_periods, round6};
use super::stories::{bridge, months};
use crate::fxhash::FxMap;
use vocab::{Channel, Rarity, Vocabulary};

mod vocab;
mod window;
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

    /// The statuses of a side bullet, in the order reports count them.
    pub const ASSESSED: [&str; 4] = [GROUNDED, BOTH, CROSS_ATTRIBUTED, UNGROUNDED];
}

/// The two grounding tables.
pub struct Tables {
    pub highlight_support: DataFrame,
    pub highlight_grounding: DataFrame,
}

/// One title of a digest.
struct Title<'a> {
    position: i64,
    side: Option<&'a str>,
    english: bool,
    /// Its documents in the words and names vocabularies.
    doc: (u32, u32),
}

/// The titles of a bullet's digest: `titles[of[0]]`, `titles[of[1]]`, …
#[derive(Clone, Copy)]
struct Day<'t, 'a> {
    titles: &'t [Title<'a>],
    of: &'t [u32],
}

impl<'t, 'a> Day<'t, 'a> {
    fn len(self) -> usize {
        self.of.len()
    }

    fn is_empty(self) -> bool {
        self.of.is_empty()
    }

    /// Its `i`th title.
    fn get(self, i: usize) -> &'t Title<'a> {
        &self.titles[self.of[i] as usize]
    }

    fn iter(self) -> impl Iterator<Item = &'t Title<'a>> {
        self.of.iter().map(move |&k| &self.titles[k as usize])
    }
}

/// One bullet of a digest.
struct Bullet<'a> {
    row: usize,
    section: &'a str,
    doc: (u32, u32),
    month: u32,
    /// Its rows are made (not only its words counted for rarity).
    made: bool,
}

/// One topic's texts, read.
struct Topic<'a> {
    words: Vocabulary<'a>,
    names: Vocabulary<'a>,
}

/// The rarity of both channels' words, over the items of one month's window
/// ([`Settings::rarity_months`]).
type Idf<'i> = (Rarity<'i>, Rarity<'i>);

impl Topic<'_> {
    /// Each title's score for a bullet: the share of the bullet's weighted words it has,
    /// mixed with the names' share by [`Settings::names_weight`] (when the bullet has names).
    /// `dense` is zeros as long as the vocabulary, and is left so.
    fn scores(
        &self,
        bullet: (u32, u32),
        day: Day,
        dense: &mut [i64],
        idf: Idf,
        settings: &Settings,
        out: &mut [f64],
    ) {
        self.words.scatter(bullet.0, idf.0, dense, false);
        // The bullet's weights in both channels, once for all its digest's titles (its own
        // words gathered from `dense`: the sum of their rarities).
        let names = if settings.names_weight == 0.0 { 0 } else { self.names.weight(bullet.1, idf.1) };
        let weights = (self.words.gathered(bullet.0, dense), names);
        for (t, out) in day.iter().zip(out) {
            let shared = self.words.gathered(t.doc.0, dense);
            let words = if weights.0 == 0 { 0.0 } else { shared as f64 / weights.0 as f64 };
            *out = self.mixed(words, bullet, weights, t.doc, idf.1, settings);
        }
        self.words.scatter(bullet.0, idf.0, dense, true);
    }

    /// The words' share mixed with the names' (when the names channel is on).
    fn mixed(
        &self,
        words: f64,
        bullet: (u32, u32),
        weights: (i64, i64),
        title: (u32, u32),
        idf: Rarity,
        settings: &Settings,
    ) -> f64 {
        if settings.names_weight == 0.0 || self.names.is_empty(bullet.1) {
            return words;
        }
        let names = self.names.overlap_of(bullet.1, weights.1, title.1, idf);
        (1.0 - settings.names_weight) * words + settings.names_weight * names
    }
}

/// One topic's highlights and articles, as the columns the matching reads.
struct Columns<'a> {
    texts: Vec<&'a str>,
    digests: Vec<&'a str>,
    sections: Vec<&'a str>,
    /// Per bullet row and per article row, its digest's month ([`months::month`]).
    months: Vec<u32>,
    a_month: Vec<u32>,
    a_digest: Vec<&'a str>,
    a_position: Vec<i64>,
    a_side: Vec<Option<&'a str>>,
    a_language: Vec<Option<&'a str>>,
    a_title: Vec<&'a str>,
}

fn strs<'a>(df: &'a DataFrame, name: &str) -> PolarsResult<Vec<Option<&'a str>>> {
    Ok(df.column(name)?.str()?.iter().collect())
}

impl<'a> Columns<'a> {
    /// The columns of one topic's highlights `h` and articles `a`.
    fn of(h: &'a DataFrame, a: &'a DataFrame) -> PolarsResult<Columns<'a>> {
        let some = |v: Vec<Option<&'a str>>| -> Vec<&'a str> {
            v.into_iter().map(Option::unwrap_or_default).collect()
        };
        let month = |df: &DataFrame| -> PolarsResult<Vec<u32>> {
            Ok(crate::frames::dates(df, c::DIGEST_DATE)?
                .into_iter()
                .map(|d| d.map_or(0, months::month))
                .collect())
        };
        Ok(Columns {
            texts: some(strs(h, c::TEXT)?),
            digests: some(strs(h, c::DIGEST_ID)?),
            sections: some(strs(h, c::SECTION)?),
            months: month(h)?,
            a_month: month(a)?,
            a_digest: some(strs(a, c::DIGEST_ID)?),
            a_position: a.column(c::POSITION)?.i64()?.iter().map(Option::unwrap_or_default).collect(),
            a_side: strs(a, c::PERSPECTIVE_ID)?,
            a_language: strs(a, c::LANGUAGE)?,
            a_title: some(strs(a, c::TITLE)?),
        })
    }

    /// One topic's bullets, read and scored against their digests' titles, each with the
    /// rarity of the items (bullets and titles) of the months that end with its own
    /// ([`Settings::rarity_months`]): a later month never changes a bullet's scores. With
    /// `since`, only the bullets of that month and later are scored and only the items of
    /// the months their rarity reads are read.
    fn topic(&self, settings: &Settings, since: Option<u32>) -> Rows<'a> {
        let from = since.map(|s| s.saturating_sub(settings.rarity_months.saturating_sub(1)));
        let read_from = |month: u32| from.is_none_or(|f| month >= f);
        let mut t = Topic { words: Vocabulary::new(Channel::Words), names: Vocabulary::new(Channel::Names) };
        let names = settings.names_weight > 0.0;
        let read = |t: &mut Topic<'a>, text: &'a str, language: Option<&'a str>| {
            (t.words.item(text, language), if names { t.names.item(text, language) } else { 0 })
        };
        let bullets: Vec<Bullet> = (0..self.texts.len())
            .filter(|&i| read_from(self.months[i]))
            .map(|i| Bullet {
                row: i,
                section: self.sections[i],
                doc: read(&mut t, self.texts[i], Some("en")),
                month: self.months[i],
                made: since.is_none_or(|s| self.months[i] >= s),
            })
            .collect();
        // The topic's titles, and each digest's, as indexes into them.
        let rows: Vec<usize> = (0..self.a_title.len()).filter(|&i| read_from(self.a_month[i])).collect();
        let mut titles: Vec<Title> = Vec::with_capacity(rows.len());
        let mut by_digest: FxMap<&str, Vec<u32>> = FxMap::default();
        for &i in &rows {
            let language = self.a_language[i];
            let doc = read(&mut t, self.a_title[i], language);
            let english = bridge::primary(language) == Some("en");
            by_digest.entry(self.a_digest[i]).or_default().push(titles.len() as u32);
            titles.push(Title { position: self.a_position[i], side: self.a_side[i], english, doc });
        }
        let days: Vec<Day> = bullets
            .iter()
            .map(|b| Day {
                titles: &titles,
                of: by_digest.get(self.digests[b.row]).filter(|_| b.made).map_or(&[][..], Vec::as_slice),
            })
            .collect();
        let items = Items::of(&t, &bullets, rows.iter().map(|&i| self.a_month[i]).zip(&titles), names);
        // The bullets month by month, each scored with its month's rarity.
        let mut order: Vec<usize> = (0..bullets.len()).collect();
        order.sort_by_key(|&k| bullets[k].month);
        // Bullet `k`'s scores, one per title of its day: `scores[at[k]..at[k + 1]]`.
        let mut at: Vec<usize> = Vec::with_capacity(bullets.len() + 1);
        at.push(0);
        for (b, day) in bullets.iter().zip(&days) {
            at.push(at[at.len() - 1] + if b.made { day.len() } else { 0 });
        }
        let mut scores = vec![0.0f64; at[bullets.len()]];
        let mut dense = vec![0i64; t.words.len()];
        let mut next = 0;
        let words = t.words.len();
        months::rolling(
            &items.months,
            settings.rarity_months,
            items.features,
            |i| items.features_of(i),
            |its, df, n| {
                let month = items.months[its.start];
                let (w, names) = df.split_at(words);
                let idf = (Rarity::new(w, n), Rarity::new(names, n));
                while let Some(&k) = order.get(next).filter(|&&k| bullets[k].month == month) {
                    if bullets[k].made {
                        let out = &mut scores[at[k]..at[k + 1]];
                        t.scores(bullets[k].doc, days[k], &mut dense, idf, settings, out);
                    }
                    next += 1;
                }
            },
        );
        let mut rows = Rows::default();
        let mut scored = Vec::new();
        for (k, (b, day)) in bullets.iter().zip(&days).enumerate() {
            if b.made {
                rows.bullet(b, *day, &scores[at[k]..at[k + 1]], settings, &mut scored);
            }
        }
        rows
    }
}

/// Every item of a topic (its bullets and titles, each counted, repeats included) in month
/// order, with its words as features: the words channel's numbers, then the names
/// channel's after them (when it is on).
struct Items {
    months: Vec<u32>,
    start: Vec<u32>,
    arena: Vec<u32>,
    features: usize,
}

impl Items {
    fn of<'t>(
        t: &Topic<'_>,
        bullets: &[Bullet],
        titles: impl Iterator<Item = (u32, &'t Title<'t>)>,
        names: bool,
    ) -> Items {
        let mut all: Vec<(u32, (u32, u32))> = bullets.iter().map(|b| (b.month, b.doc)).collect();
        all.extend(titles.map(|(m, ti)| (m, ti.doc)));
        all.sort_by_key(|x| x.0);
        let words = t.words.len() as u32;
        let mut items = Items {
            months: all.iter().map(|x| x.0).collect(),
            start: vec![0],
            arena: Vec::new(),
            features: t.words.len() + if names { t.names.len() } else { 0 },
        };
        for (_, (w, n)) in all {
            items.arena.extend_from_slice(t.words.words(w));
            if names {
                items.arena.extend(t.names.words(n).iter().map(|k| k + words));
            }
            items.start.push(items.arena.len() as u32);
        }
        items
    }

    /// Item `i`'s features.
    fn features_of(&self, i: usize) -> &[u32] {
        &self.arena[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// Builds both tables from the live digests' highlights and articles (joined with their
/// periods: `articles` is the joined frame, `highlights` the input), a topic at a time in
/// parallel; for a topic in `since`, only the rows of its bullets of that month on.
pub fn grounding(
    highlights: LazyFrame,
    articles: LazyFrame,
    live: LazyFrame,
    settings: &Settings,
    since: Option<&BTreeMap<String, u32>>,
) -> PolarsResult<Tables> {
    use rayon::prelude::*;
    let dates = live.clone().select([col(c::DIGEST_ID), col(c::DIGEST_DATE)]);
    // The highlights stay in their order (a topic's in digest order): an incremental run
    // puts a topic's earlier rows back before the rows made from a month on.
    let mut left = JoinArgs::new(JoinType::Left);
    left.maintain_order = MaintainOrderJoin::Left;
    let h =
        in_periods(highlights, live).join(dates, [col(c::DIGEST_ID)], [col(c::DIGEST_ID)], left).select([
            col(c::DIGEST_ID),
            col(c::TOPIC),
            col(c::DIGEST_DATE),
            col(c::SECTION),
            col(c::POSITION).cast(DataType::Int64),
            col(c::TEXT),
        ]);
    let h = window::read_rows(h, since, settings.rarity_months)?
        .collect()?
        .sort([c::TOPIC], SortMultipleOptions::default().with_maintain_order(true))?;
    let a = articles.select([
        col(c::DIGEST_ID),
        col(c::TOPIC),
        col(c::DIGEST_DATE),
        col(c::POSITION).cast(DataType::Int64),
        col(c::PERSPECTIVE_ID),
        col(c::LANGUAGE),
        col(c::TITLE),
    ]);
    let a = window::read_rows(a, since, settings.rarity_months)?.collect()?;
    let mut laps = crate::timing::Laps::new("grounding");
    // Each topic's highlights are a slice of `h` (sorted by topic); its articles, rows of `a`.
    let topics = crate::store::layout::keyed_groups(&h, &[c::TOPIC])?;
    let mut a_rows: FxMap<&str, Vec<IdxSize>> = FxMap::default();
    for (i, t) in a.column(c::TOPIC)?.str()?.iter().enumerate() {
        a_rows.entry(t.unwrap_or_default()).or_default().push(i as IdxSize);
    }
    laps.lap("read the columns");
    // A topic at a time, its columns read, scored and made into its rows of both tables
    // in one task: what a topic reads is let go before the next is read.
    let parts: Vec<Tables> = topics
        .par_iter()
        .map(|(key, h)| {
            let t = key[0].as_str();
            let rows = a_rows.get(t).map_or(&[][..], Vec::as_slice);
            let a = a.take(&IdxCa::from_vec("i".into(), rows.to_vec()))?;
            let columns = Columns::of(h, &a)?;
            columns.topic(settings, since.and_then(|s| s.get(t).copied())).finish(h, settings)
        })
        .collect::<PolarsResult<_>>()?;
    laps.lap("score the topics");
    let mut parts = parts.into_iter();
    let Some(mut tables) = parts.next() else { return Rows::default().finish(&h, settings) };
    for p in parts {
        tables.highlight_support.vstack_mut_owned(p.highlight_support)?;
        tables.highlight_grounding.vstack_mut_owned(p.highlight_grounding)?;
    }
    laps.lap("tables");
    Ok(tables)
}

/// The rows of both tables while they are filled.
#[derive(Default)]
struct Rows<'a> {
    // highlight_support
    s_row: Vec<usize>,
    s_article: Vec<i64>,
    s_side: Vec<Option<&'a str>>,
    s_score: Vec<f64>,
    s_same: Vec<Option<bool>>,
    s_rank: Vec<i64>,
    // highlight_grounding, one per bullet row
    g_row: Vec<usize>,
    g_status: Vec<&'static str>,
    /// Each bullet's supporting article positions, `;`-separated, one after another:
    /// bullet `i`'s is `g_support[g_support_end[i - 1]..g_support_end[i]]`.
    g_support: String,
    g_support_end: Vec<usize>,
    g_best: Vec<Option<f64>>,
    g_own: Vec<Option<f64>>,
    g_other: Vec<Option<f64>>,
    g_confidence: Vec<&'static str>,
}

impl<'a> Rows<'a> {
    /// Scores `day`'s titles for bullet `b` (`scores`, in `day`'s order) and adds its rows;
    /// `scored` is room to sort them in, reused from bullet to bullet.
    fn bullet(
        &mut self,
        b: &Bullet,
        day: Day<'_, 'a>,
        scores: &[f64],
        settings: &Settings,
        scored: &mut Vec<(f64, usize)>,
    ) {
        let sided = b.section != OVERALL && b.section != DIFFERENCES;
        scored.clear();
        scored.extend(scores.iter().map(|s| round6(*s)).zip(0..day.len()));
        scored.sort_by(|x, y| y.0.total_cmp(&x.0).then(day.get(x.1).position.cmp(&day.get(y.1).position)));
        // Best first: the supporting titles are the first ones.
        let supporting = scored.iter().take_while(|(s, _)| *s >= settings.support_min).count();
        let support = &scored[..supporting];
        for (rank, &(s, i)) in support.iter().take(settings.top).enumerate() {
            let t = day.get(i);
            self.s_row.push(b.row);
            self.s_article.push(t.position);
            self.s_side.push(t.side);
            self.s_score.push(s);
            self.s_same.push(sided.then(|| t.side == Some(b.section)));
            self.s_rank.push(rank as i64 + 1);
        }
        let best = |own: bool| -> Option<f64> {
            scored
                .iter()
                .filter(|(_, i)| day.get(*i).side.is_some() && (day.get(*i).side == Some(b.section)) == own)
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
        let (own_titles, own_foreign) = day
            .iter()
            .filter(|t| t.side == Some(b.section))
            .fold((0, 0), |(n, f), t| (n + 1, f + usize::from(!t.english)));
        let foreign = support.iter().take(1).any(|(_, i)| !day.get(*i).english)
            || (sided && own_titles > 0 && own_foreign * 2 > own_titles);
        self.g_row.push(b.row);
        self.g_status.push(status);
        for (k, (_, i)) in support.iter().take(settings.top).enumerate() {
            use std::fmt::Write as _;
            let sep = if k == 0 { "" } else { ";" };
            let _ = write!(self.g_support, "{sep}{}", day.get(*i).position);
        }
        self.g_support_end.push(self.g_support.len());
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
        support.with_column(Column::new(col::ARTICLE_POSITION.into(), self.s_article))?;
        support.with_column(Column::new(c::PERSPECTIVE_ID.into(), self.s_side))?;
        support.with_column(Column::new(col::SCORE.into(), self.s_score))?;
        support.with_column(Column::new(col::SAME_SIDE.into(), self.s_same))?;
        support.with_column(Column::new(col::RANK.into(), self.s_rank))?;
        let mut g = take(&self.g_row, &[c::DIGEST_ID, c::TOPIC, c::DIGEST_DATE, c::SECTION, c::POSITION])?;
        let m = self.g_row.len();
        let margin: Vec<Option<f64>> = self
            .g_own
            .iter()
            .zip(&self.g_other)
            .map(|(o, x)| o.zip(*x).map(|(o, x)| round6(o - x)))
            .collect();
        g.with_column(Column::new(col::STATUS.into(), self.g_status))?;
        let support_of = |i: usize| {
            let from = if i == 0 { 0 } else { self.g_support_end[i - 1] };
            &self.g_support[from..self.g_support_end[i]]
        };
        let support_column = StringChunked::from_iter_values(col::SUPPORT.into(), (0..m).map(support_of));
        g.with_column(support_column.into_column())?;
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
        let mut v = Vocabulary::new(Channel::Words);
        let b = v.item("Japan protests the Chinese radar lock-on", Some("en"));
        let t1 = v.item("Tokyo protests radar lock-on by Chinese jets", Some("en"));
        let t2 = v.item("Stock markets close higher", Some("en"));
        let df = v.df_of(&[b, t1, t2]);
        let r = Rarity::new(&df, 3);
        assert!(v.overlap(b, t1, r) > 0.5 && v.overlap(b, t2, r) == 0.0);
        // A bullet whose words are all in a title scores 1.
        let whole = v.item("radar protests", Some("en"));
        let df = v.df_of(&[b, t1, t2, whole]);
        assert_eq!(v.overlap(whole, t1, Rarity::new(&df, 4)), 1.0);
        // Spanish titles meet English bullets through the glossary.
        let mut v = Vocabulary::new(Channel::Words);
        let en = v.item("Venezuela denounces the US naval blockade", Some("en"));
        let es = v.item("Venezuela denuncia el bloqueo naval de Estados Unidos", Some("es"));
        let df = v.df_of(&[en, es]);
        assert!(v.overlap(en, es, Rarity::new(&df, 2)) > 0.5);
        // A reprint is read once but counted as an item.
        let again = v.item("Venezuela denounces the US naval blockade", Some("en"));
        assert_eq!(again, en);
    }
}
