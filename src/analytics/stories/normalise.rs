//! Step 1 of story clustering: each title without the outlet suffix its feed appends, read
//! into the vocabulary titles are compared in ([`bridge`]), or only lower-cased for the
//! exact-title baseline. Each distinct title is read once.

use super::bridge;
use super::item::{Item, Titles};
use super::numbers::{first_appearances, intern};
// Interning: no defence against chosen keys needed.
use crate::fxhash::FxMap;

/// [`squash`] into `out` (cleared first): one buffer for millions of tails.
fn squash_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        // Most tails: bytes, no Unicode tables. Same result as the chain below.
        out.extend(s.bytes().filter(u8::is_ascii_alphanumeric).map(|b| char::from(b.to_ascii_lowercase())));
        return;
    }
    out.extend(s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase));
}

/// Separators a feed puts between a title and the outlet's name.
const SPACED: [&str; 5] = [" - ", " | ", " – ", " — ", "｜"];

/// The last spaced separator of `title`, as (where it starts, where the tail after it
/// starts). One backward pass over the bytes: a title is scanned once, not once per
/// separator.
fn last_spaced(title: &str) -> Option<(usize, usize)> {
    let bytes = title.as_bytes();
    // Every separator starts with a space or with the first byte of `｜`.
    let firsts = [b' ', SPACED[4].as_bytes()[0]];
    (0..bytes.len()).rev().filter(|i| firsts.contains(&bytes[*i])).find_map(|i| {
        let rest = &bytes[i..];
        SPACED.iter().find(|s| rest.starts_with(s.as_bytes())).map(|s| (i, i + s.len()))
    })
}

/// Titles without outlet suffixes, lower-cased, with punctuation and digits as spaces.
///
/// Where the outlet suffix of a title starts, if it has one: a tail after a spaced separator
/// ([`last_spaced`]) is a suffix when it is at most five words and names an outlet or
/// recurs as a tail in at least three titles (counting repeats); a tail after a bare hyphen
/// (`2025-Xinhua`) only when it names an outlet. Outlets and tails are those of the topic's
/// items in the `window_months` months that end with the month the title is first seen in
/// ([`super::months::rolling`]), so a later month never changes an earlier title's cut.
/// Each distinct title is cut once.
pub fn normalise_all(items: &[Item<'_>], window_months: u32) -> Titles {
    normalise_all_with(items, true, window_months)
}

/// [`normalise_all`], with each title read through the [`bridge`] between languages
/// (`bridged`), or only lower-cased with punctuation and digits as spaces ([`normalise`]:
/// the exact-title baseline).
pub(super) fn normalise_all_with(items: &[Item<'_>], bridged: bool, window_months: u32) -> Titles {
    // Each distinct title as written, numbered by first appearance.
    let raw_of = intern(items.iter().map(|it| it.title));
    let firsts = first_appearances(&raw_of);
    let raws: Vec<&str> = firsts.iter().map(|&i| items[i].title).collect();
    let mut cut: Vec<String> = suffix_cuts(items, &raw_of, &raws, window_months)
        .into_iter()
        .zip(&raws)
        .zip(&firsts)
        .map(|((cut, title), &first)| {
            let title = cut.map_or(*title, |cut| &title[..cut]);
            if bridged {
                bridge::bridge(title, items[first].language)
            } else {
                normalise(title)
            }
        })
        .collect();
    // Titles written differently can normalise alike (with and without a suffix).
    let text_of = intern(cut.iter().map(String::as_str));
    let text_firsts = first_appearances(&text_of);
    // Languages the bridge reads count as themselves; every other one as unknown (""), so
    // the lower threshold joins only titles the bridge put in one vocabulary.
    let mut names: Vec<&str> = vec![""];
    let language = text_firsts
        .iter()
        .map(|&r| {
            let l = items[firsts[r]].language;
            let name =
                if bridged && bridge::bridged(l) { bridge::primary(l).unwrap_or_default() } else { "" };
            match names.iter().position(|n| *n == name) {
                Some(k) => k as u32,
                None => {
                    names.push(name);
                    (names.len() - 1) as u32
                }
            }
        })
        .collect();
    let texts = text_firsts.into_iter().map(|i| std::mem::take(&mut cut[i])).collect();
    Titles { of: raw_of.iter().map(|r| text_of[*r as usize]).collect(), texts, language }
}

/// The squashed strings the suffix rule reads (tails and outlets), each numbered once.
#[derive(Default)]
struct Names {
    numbers: FxMap<String, u32>,
    buf: String,
}

impl Names {
    /// The number of `text` squashed, if it is not empty.
    fn number(&mut self, text: &str) -> Option<u32> {
        squash_into(text, &mut self.buf);
        if self.buf.is_empty() {
            return None;
        }
        let n = self.numbers.len() as u32;
        Some(*self.numbers.entry(self.buf.clone()).or_insert(n))
    }
}

/// Where each distinct title's outlet suffix starts, if it has one (the rule of
/// [`normalise_all`]): `raws` the distinct titles, numbered by first appearance in
/// `raw_of` (per item).
fn suffix_cuts(items: &[Item<'_>], raw_of: &[u32], raws: &[&str], window_months: u32) -> Vec<Option<usize>> {
    let mut names = Names::default();
    let spaced: Vec<Option<(usize, usize)>> = raws.iter().map(|t| last_spaced(t)).collect();
    // Each title's spaced tail (at most five words) and bare-hyphen tail, as names.
    let tails: Vec<Option<u32>> = raws
        .iter()
        .zip(&spaced)
        .map(|(title, sp)| {
            let t = &title[sp.as_ref()?.1..];
            (t.split_whitespace().count() <= 5).then(|| names.number(t)).flatten()
        })
        .collect();
    let hyphens: Vec<Option<(usize, u32)>> = raws
        .iter()
        .map(|title| {
            let cut = title.rfind('-').filter(|&cut| cut > 0)?;
            Some((cut, names.number(&title[cut + 1..])?))
        })
        .collect();
    // Per item its features: feature 2k counts titles ending in tail k, 2k + 1 the items
    // of an outlet named k.
    let mut features: Vec<Vec<u32>> = Vec::with_capacity(items.len());
    let mut outlets: FxMap<(&str, &str), Vec<u32>> = FxMap::default();
    for (it, raw) in items.iter().zip(raw_of) {
        let own = outlets.entry((it.outlet, it.outlet_id)).or_insert_with(|| {
            let mut v: Vec<u32> =
                [it.outlet, it.outlet_id].iter().filter_map(|o| names.number(o)).map(|k| 2 * k + 1).collect();
            v.sort_unstable();
            v.dedup();
            v
        });
        let mut f = own.clone();
        f.extend(tails[*raw as usize].map(|k| 2 * k));
        features.push(f);
    }
    let months: Vec<u32> = items.iter().map(|it| super::months::month(it.date)).collect();
    let mut out = vec![None; raws.len()];
    let mut next = 0;
    super::months::rolling(
        &months,
        window_months,
        2 * names.numbers.len(),
        |i| &features[i],
        |its, counts, _| {
            let new = super::months::first_seen(raw_of, its, next);
            next = new.end;
            for r in new {
                let outlet = |k: u32| counts[2 * k as usize + 1] > 0;
                out[r] = match (spaced[r], tails[r]) {
                    (Some((cut, _)), Some(k)) if cut > 0 && (outlet(k) || counts[2 * k as usize] >= 3) => {
                        Some(cut)
                    }
                    _ => hyphens[r].filter(|&(_, k)| outlet(k)).map(|(cut, _)| cut),
                };
            }
        },
    );
    out
}

/// Lower case; anything not a letter becomes a space; runs of spaces collapse.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        // Most titles: bytes, no Unicode tables. Same result as the loop below.
        for b in text.bytes() {
            if b.is_ascii_alphabetic() {
                out.push(char::from(b.to_ascii_lowercase()));
            } else if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        if out.ends_with(' ') {
            out.pop();
        }
        return out;
    }
    for ch in text.chars() {
        if ch.is_alphabetic() {
            out.extend(ch.to_lowercase());
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::cluster::tests::item;
    use super::*;

    /// Each item's normalised title.
    /// The titles with their suffixes cut, as the exact-title baseline reads them (the
    /// suffix rule is the same with the bridge; its words are plain).
    fn normalised(items: &[Item<'_>]) -> Vec<String> {
        let t = normalise_all_with(items, false, 12);
        (0..items.len()).map(|i| t.get(i).to_string()).collect()
    }

    #[test]
    fn outlet_suffixes_go_spaced_or_not_and_other_hyphens_stay() {
        let items = [
            item(1, "Japan posts trade deficit for 5th straight year in 2025-Xinhua", "xinhua"),
            item(1, "Japan posts trade deficit for 5th straight year in 2025", "xinhua"),
            item(1, "Indo-Pacific drills begin - China Daily", "china-daily"),
            item(1, "Year-end sales | El Colombiano", "elcolombiano"),
        ];
        let n = normalised(&items);
        assert_eq!(n[0], "japan posts trade deficit for th straight year in");
        assert_eq!(n[0], n[1]);
        assert_eq!(n[2], "indo pacific drills begin");
        assert_eq!(n[3], "year end sales");
    }

    #[test]
    fn a_tail_that_recurs_in_three_titles_is_a_suffix_and_rarer_or_longer_tails_stay() {
        // "Daily Planet" is no outlet of these items, but ends three titles: a suffix. "Two
        // Times" ends two: kept. A six-word tail is never a suffix, however often it recurs.
        let six = "one two three four five six";
        let titles = [
            "Steel talks resume - Daily Planet".to_string(),
            "Port strike ends - Daily  Planet!".to_string(),
            "Rain floods valley - daily planet".to_string(),
            "Budget passes - Two Times".to_string(),
            "Budget fails - Two Times".to_string(),
            format!("Alpha - {six}"),
            format!("Beta - {six}"),
            format!("Gamma - {six}"),
        ];
        let items: Vec<Item<'_>> = titles.iter().map(|t| item(1, t, "wire")).collect();
        let n = normalised(&items);
        assert_eq!(&n[..3], ["steel talks resume", "port strike ends", "rain floods valley"]);
        assert_eq!(&n[3..5], ["budget passes two times", "budget fails two times"]);
        assert_eq!(n[5], format!("alpha {six}"));
    }

    #[test]
    fn repeated_titles_count_once_each_for_the_suffix_rule_and_share_one_text() {
        // "Daily Planet" ends three titles, two of them the same title repeated: still three.
        let items = [
            item(1, "Steel talks resume - Daily Planet", "wire"),
            item(1, "Steel talks resume - Daily Planet", "wire"),
            item(2, "Port strike ends - Daily Planet", "wire"),
            item(2, "Steel talks resume", "wire"),
        ];
        let t = normalise_all_with(&items, false, 12);
        assert_eq!(t.texts, ["steel talks resume", "port strike ends"]);
        assert_eq!(t.of, [0, 0, 1, 0]);
    }
}
