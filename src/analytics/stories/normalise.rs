//! Step 1 of story clustering: each title without the outlet suffix its feed appends, read
//! into the vocabulary titles are compared in ([`bridge`]), or only lower-cased for the
//! exact-title baseline. Each distinct title is read once.

use super::bridge;
use super::item::{Item, Titles};
use super::numbers::{first_appearances, intern, tally};
// Interning: no defence against chosen keys needed.
use crate::fxhash::{FxMap, FxSet};

/// Lower-case alphanumerics of a text, for comparing outlet names and suffixes.
fn squash(s: &str) -> String {
    let mut out = String::new();
    squash_into(s, &mut out);
    out
}

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
/// ([`last_spaced`]) is a suffix when it is at most five words and names an outlet of the
/// topic or recurs as a tail in at least three titles (counting repeats); a tail after a
/// bare hyphen (`2025-Xinhua`) only when it names an outlet of the topic. The cut depends on
/// the title and on topic-wide facts only, so each distinct title is cut once.
pub fn normalise_all(items: &[Item<'_>]) -> Titles {
    normalise_all_with(items, true)
}

/// [`normalise_all`], with each title read through the [`bridge`] between languages
/// (`bridged`), or only lower-cased with punctuation and digits as spaces ([`normalise`]:
/// the exact-title baseline).
pub(super) fn normalise_all_with(items: &[Item<'_>], bridged: bool) -> Titles {
    // Each distinct outlet squashed once (a topic has thousands of articles per outlet).
    let raw: FxSet<&str> = items.iter().flat_map(|it| [it.outlet, it.outlet_id]).collect();
    let mut outlets: FxSet<String> = raw.into_iter().map(squash).collect();
    outlets.remove("");
    // Each distinct title as written, numbered by first appearance, and how often it occurs.
    let raw_of = intern(items.iter().map(|it| it.title));
    let firsts = first_appearances(&raw_of);
    let raws: Vec<&str> = firsts.iter().map(|&i| items[i].title).collect();
    let repeats = tally(&raw_of, raws.len());
    let mut cut: Vec<String> = suffix_cuts(&raws, &repeats, &outlets)
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

/// Where each distinct title's outlet suffix starts, if it has one (the rule of
/// [`normalise_all`]): `raws` the distinct titles, `repeats` how often each occurs,
/// `outlets` the topic's outlets squashed.
fn suffix_cuts(raws: &[&str], repeats: &[u32], outlets: &FxSet<String>) -> Vec<Option<usize>> {
    let spaced: Vec<Option<(usize, usize)>> = raws.iter().map(|t| last_spaced(t)).collect();
    // Each title's tail (squashed, at most five words, not empty) as the number of a
    // distinct tail, and how many titles end in each: one string per distinct tail.
    let mut buf = String::new();
    let mut numbers: FxMap<String, u32> = FxMap::default();
    let mut counts: Vec<u32> = Vec::new();
    let tails: Vec<Option<u32>> = raws
        .iter()
        .zip(&spaced)
        .zip(repeats)
        .map(|((title, sp), repeats)| {
            let t = &title[sp.as_ref()?.1..];
            if t.split_whitespace().count() > 5 {
                return None;
            }
            squash_into(t, &mut buf);
            if buf.is_empty() {
                return None;
            }
            let k = match numbers.get(buf.as_str()) {
                Some(k) => *k,
                None => {
                    numbers.insert(buf.clone(), counts.len() as u32);
                    counts.push(0);
                    (counts.len() - 1) as u32
                }
            };
            counts[k as usize] += repeats;
            Some(k)
        })
        .collect();
    let mut suffix = vec![false; counts.len()];
    for (tail, k) in &numbers {
        suffix[*k as usize] = outlets.contains(tail) || counts[*k as usize] >= 3;
    }
    raws.iter()
        .zip(spaced)
        .zip(tails)
        .map(|((title, sp), tail)| match (sp, tail) {
            (Some((cut, _)), Some(k)) if cut > 0 && suffix[k as usize] => Some(cut),
            _ => title.rfind('-').filter(|&cut| {
                squash_into(&title[cut + 1..], &mut buf);
                cut > 0 && !buf.is_empty() && outlets.contains(buf.as_str())
            }),
        })
        .collect()
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
        let t = normalise_all_with(items, false);
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
        let t = normalise_all_with(&items, false);
        assert_eq!(t.texts, ["steel talks resume", "port strike ends"]);
        assert_eq!(t.of, [0, 0, 1, 0]);
    }
}
