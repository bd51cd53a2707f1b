//! Step 6 of story clustering: stories whose central titles say the same become one.

use super::item::Titles;
use super::shingles::Vectors;
use crate::analytics::base::StorySettings as Settings;
use crate::fxhash::{FxMap, FxSet};

/// Per story (numbered by first appearance), the story it joins: itself, or an earlier
/// story whose representative title links to its own (the cosine at least the threshold of
/// their languages) and whose last article is at most `window_days` before its first. The
/// join rule keeps each step local to the articles of the window, so one event told over
/// more days than the window, or drifting in its words, can start a second story beside the
/// first (the US lifting sanctions on Delcy Rodríguez joined the story of her asking for it,
/// and its other reports made a story of their own, counted as the US side's alone). Their
/// most central titles still say the same thing; this step joins the later story to the
/// earlier. Only into a story that joined none: a story joined to another takes no third,
/// so nothing chains. Candidates come from the rarest shingles of each representative, as
/// in step 3.
pub(super) fn merge_siblings(
    vectors: &Vectors,
    rarest: &[u32],
    titles: &Titles,
    rep_text: &[u32],
    spans: &[(i64, i64)],
    settings: &Settings,
) -> Vec<u32> {
    let window = i64::from(settings.window_days);
    let mut root: Vec<u32> = (0..rep_text.len() as u32).collect();
    // Shingle → the root stories whose representative has it, in order.
    let mut index: FxMap<u32, Vec<u32>> = FxMap::default();
    let mut seen: FxSet<u32> = FxSet::default();
    for k in 0..rep_text.len() {
        let t = rep_text[k] as usize;
        let shingles = &rarest[vectors.start[t] as usize..vectors.start[t + 1] as usize];
        seen.clear();
        let mut best: Option<(u32, f64)> = None;
        for s in shingles.iter().take(settings.block_shingles) {
            let Some(list) = index.get(s) else { continue };
            for &j in list.iter().rev().take(settings.block_cap) {
                if spans[k].0 - spans[j as usize].1 > window || !seen.insert(j) {
                    continue;
                }
                let other = rep_text[j as usize] as usize;
                let sim = vectors.cosine(t, other);
                if sim >= titles.link_threshold(t, other, settings) && best.is_none_or(|(_, s)| sim > s) {
                    best = Some((j, sim));
                }
            }
        }
        match best {
            Some((j, _)) => root[k] = j,
            None => {
                for s in shingles.iter().take(settings.block_shingles) {
                    index.entry(*s).or_default().push(k as u32);
                }
            }
        }
    }
    root
}
