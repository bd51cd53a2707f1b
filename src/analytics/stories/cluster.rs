//! Story clustering: the articles of one topic that tell the same event, across days, sides,
//! outlets and languages. Pure Rust over plain rows; [`super`] turns the result into tables.
//! One file per step (the state steps 3 to 6 share is [`super::clusterer`]):
//!
//! 1. **Normalise** each title ([`super::normalise`]): drop the outlet suffix a feed appends
//!    (` - Xinhua`, `| El Colombiano`, `2025-Xinhua`), then read it into one vocabulary
//!    across languages ([`super::bridge`]: accents, numbers, the es→en glossary, stems).
//! 2. **Shingles** ([`super::shingles`]): words for spaced scripts, character bigrams for
//!    Chinese and Japanese runs, weighted by their inverse document frequency in the topic
//!    (rare words say more), as unit vectors.
//! 3. **Candidates by blocking** ([`super::blocking`]): an inverted index from shingle
//!    to the articles of the last `window_days` days. Only the rarest shingles of a title
//!    open candidates, and each walks at most [`Settings::block_cap`] postings, so the work
//!    per article is bounded whatever the corpus size. No all-pairs comparison.
//! 4. **Link** ([`super::link`]) a candidate pair when the cosine similarity of their
//!    weighted shingles is at least `threshold` (`cross_threshold` across languages).
//! 5. **Join, without chaining** ([`super::join`]): articles are taken in date order; an
//!    article joins the story it is most similar to on average, but only if it links to at
//!    least `join_fraction` of that story's articles of the window. One bridge article
//!    similar to two stories joins one of them; it cannot pull the second into the first, as
//!    single-link connected components would.
//! 6. **Join stories whose centres agree** ([`super::merge`]): a story joins an earlier one
//!    of the window whose representative title links to its own, into a story that joined
//!    none.
//!
//! Everything is deterministic: input order is fixed by (date, digest, position) and ties
//! go to the earlier story.

use super::clusterer::Clusterer;
pub use super::item::Titles;
use super::normalise::normalise_all_with;
pub use super::normalise::{normalise, normalise_all};
pub use super::numbers::{first_appearances, intern};
pub use super::resume::Before;
pub use super::shingles::shingles;
use super::shingles::{openers_needed, vectors};

pub use super::item::Item;
pub use super::months::month;
use crate::analytics::base::round6;
pub use crate::analytics::base::{StorySettings as Settings, CROSS_THRESHOLD};

/// The clustering of one topic's items, index-aligned with them.
#[derive(Debug, Clone, PartialEq)]
pub struct Clusters {
    /// Story number per item, numbered by first appearance (0, 1, …).
    pub story: Vec<u32>,
    /// Similarity of each item to its story's representative (1 for the representative),
    /// to six decimals.
    pub similarity: Vec<f64>,
    /// Per story, the index of its representative item: the most central title.
    pub representative: Vec<usize>,
    /// The normalised title of each item (reprints share one).
    pub titles: Titles,
}

/// Clusters one topic's items, which must be sorted by date (then digest and position).
pub fn cluster(items: &[Item<'_>], settings: &Settings) -> Clusters {
    cluster_with(items, settings, true, true, None)
}

/// [`cluster`], with the first `before.start` items' stories as a previous clustering left
/// them ([`super::resume`]): steps 3 to 6 run over the later items only. The result is
/// [`cluster`]'s when `before` was found by [`super::resume::kept`].
pub fn cluster_after(items: &[Item<'_>], settings: &Settings, before: &Before) -> Clusters {
    cluster_with(items, settings, true, true, Some(before))
}

/// [`cluster`] over titles compared within their own language only (no [`super::bridge`]): the
/// clustering before the bridge, which the labelled evaluations report beside it.
pub fn cluster_monolingual(items: &[Item<'_>], settings: &Settings) -> Clusters {
    cluster_with(items, settings, true, false, None)
}

/// [`cluster`], with or without skipping the openers [`openers_needed`] finds needless
/// (the result is the same either way; tests compare the two), and with or without the
/// bridge between languages, and from the start or after the items `before` keeps.
fn cluster_with(
    items: &[Item<'_>],
    settings: &Settings,
    prune: bool,
    bridged: bool,
    before: Option<&Before>,
) -> Clusters {
    let titles = normalise_all_with(items, bridged, settings.rarity_months);
    let months: Vec<u32> = items.iter().map(|it| month(it.date)).collect();
    let (vectors, rarest) = vectors(&titles, &months, settings.rarity_months);
    let needed = match prune {
        true => openers_needed(&vectors, &rarest, settings.threshold.min(settings.cross_threshold)),
        false => vec![u32::MAX; titles.texts.len()],
    };
    let from = before.map_or(0, |b| b.start);
    let mut c = Clusterer::new(items, settings, &titles, &vectors, &rarest, needed);
    for i in from..items.len() {
        let (found, fresh) = c.candidates(i);
        c.link(i, found, fresh);
        c.join(i);
    }
    let (mut story, mut representative) = c.stories(from);
    if let Some(b) = before {
        let kept = b.representative.len() as u32;
        story[..from].copy_from_slice(&b.story);
        for s in &mut story[from..] {
            *s += kept;
        }
        representative.splice(0..0, b.representative.iter().copied());
    }
    let similarity = (0..items.len())
        .map(|i| {
            let r = representative[story[i] as usize];
            // Six decimals: the f32 arithmetic is exact to about 1e-7, so identical titles
            // read 1, not 0.99999994.
            if let Some(b) = before.filter(|_| i < from) {
                b.similarity[i]
            } else if r == i {
                1.0
            } else {
                round6(vectors.cosine(titles.of[i] as usize, titles.of[r] as usize))
            }
        })
        .collect();
    Clusters { story, similarity, representative, titles }
}

/// The baseline the clustering is measured against: one story per exact normalised title.
pub fn exact_titles(items: &[Item<'_>]) -> Vec<u32> {
    // Numbered by first appearance, as `intern` would number them.
    normalise_all_with(items, false, Settings::default().rarity_months).of
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::NaiveDate;

    pub(crate) fn item<'a>(day: u32, title: &'a str, outlet: &'a str) -> Item<'a> {
        Item {
            date: NaiveDate::from_ymd_opt(2026, 1, day).unwrap(),
            title,
            outlet,
            outlet_id: outlet,
            language: None,
        }
    }

    #[test]
    fn skipping_the_needless_openers_changes_no_story() {
        // 1,500 titles over 30 days from a skewed vocabulary: a few words in most titles
        // (long postings), many rare ones, so titles share common words without being alike
        // and some repeat. Pseudo-random, fixed seed.
        let vocabulary: Vec<String> =
            (0..300).map(|k| format!("w{}", char::from(b'a' + (k % 26) as u8)).repeat(1 + k / 26)).collect();
        let mut seed = 12345u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        let titles: Vec<String> = (0..1500)
            .map(|_| {
                let words = 3 + next(8);
                // A word's index is the smaller of two draws, often twice: low indices are common.
                (0..words)
                    .map(|_| vocabulary[next(300).min(next(300)).min(next(300))].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        let items: Vec<Item<'_>> =
            titles.iter().enumerate().map(|(k, t)| item(1 + (k / 50) as u32, t, "wire")).collect();
        for settings in [
            Settings::default(),
            // Walks cut at 3 postings: the skipped openers are walked again.
            Settings { block_cap: 3, ..Settings::default() },
            Settings { threshold: 0.5, ..Settings::default() },
        ] {
            assert_eq!(
                cluster_with(&items, &settings, true, true, None),
                cluster_with(&items, &settings, false, true, None)
            );
        }
        // The fixture exercises the skip: some titles need fewer openers than they have.
        let t = normalise_all(&items, 12);
        let (v, rarest) = vectors(&t, &vec![0; items.len()], 12);
        let needed = openers_needed(&v, &rarest, Settings::default().threshold);
        let fewer = (0..t.texts.len()).filter(|&k| (needed[k] as usize) < v.ids(k).len()).count();
        assert!(fewer > t.texts.len() / 4, "{fewer} of {} titles skip an opener", t.texts.len());
        // And it links: not every article is a story of its own.
        let c = cluster(&items, &Settings::default());
        assert!(c.representative.len() < items.len() * 9 / 10);
    }

    #[test]
    fn a_walk_cut_at_the_cap_walks_the_skipped_openers_too() {
        // "gamma" is in 200 titles of day 1, so i = "alpha gamma" needs only its rarer
        // "alpha" to open candidates (gamma's weight is about 0.2, under the 0.3 threshold).
        // But alpha's walk, capped at 3, stops at the four newer "alpha …" titles (six
        // unique words each: similarity about 0.27, no link) and never reaches j, the same
        // title two days earlier: only the gamma walk finds j, the one link of i.
        let letters =
            |k: usize| (0..3).map(|d| char::from(b'a' + (k / 26usize.pow(d) % 26) as u8)).collect::<String>();
        let others: Vec<String> = (0..4)
            .map(|k| format!("alpha {}", (0..6).map(|w| letters(k * 6 + w)).collect::<Vec<_>>().join(" ")))
            .collect();
        let mut items: Vec<Item<'_>> = (0..200).map(|_| item(1, "gamma", "wire")).collect();
        items.push(item(8, "alpha gamma", "wire"));
        items.extend(others.iter().map(|t| item(10, t, "wire")));
        items.push(item(10, "alpha gamma", "wire"));
        let settings = Settings { block_cap: 3, ..Settings::default() };
        let c = cluster(&items, &settings);
        let (i, j) = (items.len() - 1, 200);
        assert_eq!(c.story[i], c.story[j]);
        assert_eq!(c, cluster_with(&items, &settings, false, true, None));
        let t = normalise_all(&items, 12);
        let (v, rarest) = vectors(&t, &vec![0; items.len()], 12);
        assert_eq!(openers_needed(&v, &rarest, settings.threshold)[t.of[i] as usize], 1);
    }

    /// An item of `month` 2026 on `day`.
    fn dated<'a>(month: u32, day: u32, title: &'a str, outlet: &'a str) -> Item<'a> {
        Item { date: NaiveDate::from_ymd_opt(2026, month, day).unwrap(), ..item(1, title, outlet) }
    }

    #[test]
    fn a_later_month_changes_no_earlier_reading() {
        // January: three titles, one ending in " - Daily Planet" (no outlet of the items).
        // February adds two more " - Daily Planet" titles and many "steel" ones, which make
        // "steel" common. Read in January, nothing of February counts: the January title
        // keeps its tail (one title of the window ends in it, under the three a suffix needs),
        // and January's weights, stories and similarities are those of January alone.
        let january = [
            dated(1, 10, "Steel tariff row deepens - Daily Planet", "wire"),
            dated(1, 11, "Steel tariff row deepens over imports", "wire"),
            dated(1, 12, "Earthquake hits northern coast", "wire"),
        ];
        let mut both = january.to_vec();
        both.extend([
            dated(2, 2, "Port strike ends - Daily Planet", "wire"),
            dated(2, 3, "Rain floods valley - Daily Planet", "wire"),
        ]);
        both.extend((4..9).map(|d| dated(2, d, "Steel output rises", "wire")));
        let (alone, with_later) =
            (cluster(&january, &Settings::default()), cluster(&both, &Settings::default()));
        assert_eq!(with_later.story[..3], alone.story[..3]);
        assert_eq!(with_later.similarity[..3], alone.similarity[..3]);
        let t = normalise_all(&both, 12);
        assert_eq!(t.get(0), "steel tariff row deepen daili planet");
        // February's own titles see three tails in their window (January's and theirs): cut.
        assert_eq!(t.get(3), "port strike end");
        // Counted over the whole topic instead, the January title would lose its tail too:
        // its reading would depend on the future.
        let months: Vec<u32> = both.iter().map(|it| month(it.date)).collect();
        let (v, _) = vectors(&t, &months, 12);
        let (v_all, _) = vectors(&t, &vec![months[0]; both.len()], 12);
        assert_eq!(
            v.weights[..v.start[1] as usize],
            vectors(&normalise_all(&january, 12), &months[..3], 12).0.weights[..v.start[1] as usize]
        );
        assert_ne!(v.weights[..v.start[1] as usize], v_all.weights[..v.start[1] as usize]);
    }

    #[test]
    fn the_window_keeps_a_later_repeat_apart() {
        // Day 1 and day 5 are 4 days apart, over the 3-day window: never compared.
        let items =
            [item(1, "Tariff row deepens over steel", "a"), item(5, "Tariff row deepens over steel", "b")];
        let c = cluster(&items, &Settings::default());
        assert_ne!(c.story[0], c.story[1]);
        let same_day =
            [item(1, "Tariff row deepens over steel", "a"), item(4, "Tariff row deepens over steel", "b")];
        let c = cluster(&same_day, &Settings::default());
        assert_eq!(c.story[0], c.story[1]);
        assert_eq!(c.similarity, [1.0, 1.0]);
    }

    #[test]
    fn a_bridge_title_does_not_chain_two_stories() {
        let items = [
            item(1, "Tariff row deepens over steel imports", "a"),
            item(1, "Tariff row deepens over steel imports", "b"),
            item(1, "Earthquake hits northern coast towns", "c"),
            item(1, "Earthquake hits northern coast towns", "d"),
            // Similar to both stories (each half of its words).
            item(2, "Tariff row deepens as earthquake hits coast", "e"),
            item(2, "Earthquake hits northern coast towns", "f"),
            item(2, "Tariff row deepens over steel imports", "g"),
        ];
        let c = cluster(&items, &Settings::default());
        // The bridge links to both (single-link components would make one story of all
        // seven); here it joins one, and each story's later repeat joins its own story.
        assert_ne!(c.story[0], c.story[2]);
        assert_eq!(c.story[5], c.story[2]);
        assert_eq!(c.story[6], c.story[0]);
        assert!(c.story[4] == c.story[0] || c.story[4] == c.story[2]);
    }

    /// Titles from a skewed vocabulary, so that stories form, drift and repeat: `n` titles
    /// drawn with `next`.
    fn titles(n: usize, next: &mut impl FnMut(usize) -> usize) -> Vec<String> {
        let vocabulary: Vec<String> =
            (0..120).map(|k| format!("w{}", char::from(b'a' + (k % 26) as u8)).repeat(1 + k / 26)).collect();
        (0..n)
            .map(|_| {
                let words = 3 + next(6);
                (0..words)
                    .map(|_| vocabulary[next(120).min(next(120))].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    fn as_items(v: &[(chrono::NaiveDate, String)]) -> Vec<Item<'_>> {
        v.iter()
            .map(|(date, title)| Item { date: *date, title, outlet: "o", outlet_id: "o", language: None })
            .collect()
    }

    #[test]
    fn a_resumed_clustering_is_the_whole_one_after_any_change_from_a_month_on() {
        use crate::analytics::stories::resume::{restart_index, Before};
        use chrono::{Datelike, Days, NaiveDate};
        let mut seed = 20260122u64;
        let mut next = |m: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % m
        };
        let day0 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let (mut resumed, mut rounds) = (0, 0);
        for settings in
            [Settings::default(), Settings { block_cap: 4, window_days: 2, ..Settings::default() }]
        {
            for _ in 0..300 {
                rounds += 1;
                // 150 days from 1 January, 0 to 5 items a day (some days without any).
                let per_day: Vec<usize> = (0..150).map(|_| next(6).saturating_sub(1)).collect();
                let old_titles = titles(per_day.iter().sum(), &mut next);
                let mut old: Vec<(u32, String)> = Vec::new();
                let mut t = old_titles.into_iter();
                for (d, k) in per_day.iter().enumerate() {
                    old.extend((0..*k).map(|_| (d as u32, t.next().unwrap())));
                }
                // The change: from the first day `r` of a month on (a run restarts a topic at
                // its first changed month: rarity and suffixes read whole months), items
                // removed, retitled or added.
                let r = [31, 59, 90, 120][next(4)];
                let mut new: Vec<(u32, String)> = old.iter().filter(|(d, _)| *d < r).cloned().collect();
                let extra = titles(old.len(), &mut next);
                let mut extra = extra.into_iter();
                for (d, title) in old.iter().filter(|(d, _)| *d >= r) {
                    match next(4) {
                        0 => {}
                        1 => new.push((*d, extra.next().unwrap())),
                        _ => new.push((*d, title.clone())),
                    }
                }
                new.extend((0..next(8)).map(|_| (r + next(150 - r as usize) as u32, extra.next().unwrap())));
                new.sort_by_key(|(d, _)| *d);
                let items = |v: &'_ [(u32, String)]| -> Vec<(NaiveDate, String)> {
                    v.iter().map(|(d, t)| (day0 + Days::new(u64::from(*d)), t.clone())).collect()
                };
                let (old, new) = (items(&old), items(&new));
                let (old_items, new_items) = (as_items(&old), as_items(&new));
                let before_change = cluster(&old_items, &settings);
                let day = |d: NaiveDate| i64::from(d.num_days_from_ce());
                let mut spans: Vec<(i64, i64)> = Vec::new();
                for (i, s) in before_change.story.iter().enumerate() {
                    match spans.get_mut(*s as usize) {
                        Some(span) => span.1 = day(old[i].0),
                        None => spans.push((day(old[i].0), day(old[i].0))),
                    }
                }
                let new_days: Vec<i64> = new.iter().map(|(d, _)| day(*d)).collect();
                let restart = day(day0 + Days::new(u64::from(r)));
                let whole = cluster(&new_items, &settings);
                let window = i64::from(settings.window_days);
                let Some(start) = restart_index(&new_days, &spans, restart, window) else { continue };
                resumed += 1;
                let kept = before_change.story[..start].iter().max().map_or(0, |s| *s as usize + 1);
                let before = Before {
                    start,
                    story: before_change.story[..start].to_vec(),
                    similarity: before_change.similarity[..start].to_vec(),
                    representative: before_change.representative[..kept].to_vec(),
                };
                assert_eq!(cluster_after(&new_items, &settings, &before), whole, "change from day {r}");
            }
        }
        // Most rounds find a day to start from.
        assert!(resumed > rounds / 2, "{resumed} of {rounds}");
    }
}
