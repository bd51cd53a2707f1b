//! Step 3 of story clustering: an item's candidates, found on the postings of its rarest
//! shingles within the window (blocking; no all-pairs comparison).
use super::clusterer::Clusterer;

impl Clusterer<'_> {
    /// Step 3: item `i`'s candidates, the items of the window met on the postings of its
    /// rarest shingles, into `cands[..found]`, and their distinct titles not yet met this
    /// round into `fresh_texts[..fresh]`. Returns `(found, fresh)`.
    pub(super) fn candidates(&mut self, i: usize) -> (usize, usize) {
        let (settings, text) = (self.settings, &self.titles.of);
        let (date, window) = (self.day[i], i64::from(settings.window_days));
        let t = text[i] as usize;
        let rarest = &self.rarest[self.vectors.start[t] as usize..self.vectors.start[t + 1] as usize];
        let (mut found, mut fresh) = (0, 0);
        // The needless openers are skipped only while every walk so far met all the
        // postings of its window: a walk cut at `block_cap` may have missed an item the
        // commoner shingles would reach, so then they are walked as before.
        let mut cut = false;
        for (k, s) in rarest.iter().take(settings.block_shingles).enumerate() {
            if k >= self.needed[t] as usize && !cut {
                break;
            }
            let list = &self.postings[*s as usize];
            let mut walked = 0;
            for j in list.iter().rev().take(settings.block_cap).map(|&j| j as usize) {
                if date - self.day[j] > window {
                    break;
                }
                walked += 1;
                let tj = text[j];
                let new_item = self.seen[j] != i;
                self.seen[j] = i;
                self.cands[found] = j;
                found += usize::from(new_item);
                // An item met before this round had its title marked then.
                let new_text = self.memo_for[tj as usize] != i;
                self.memo_for[tj as usize] = i;
                self.fresh_texts[fresh] = tj;
                fresh += usize::from(new_text);
            }
            cut |= walked == settings.block_cap && list.len() > walked;
        }
        (found, fresh)
    }
}
