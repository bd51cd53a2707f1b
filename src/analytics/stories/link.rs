//! Step 4 of story clustering: an item's links, the candidates similar enough to it.
use super::clusterer::Clusterer;

impl Clusterer<'_> {
    /// Step 4: item `i`'s links, the candidates whose similarity reaches the threshold of
    /// their two languages, into `links`.
    pub(super) fn link(&mut self, i: usize, found: usize, fresh: usize) {
        let (settings, titles, text) = (self.settings, self.titles, &self.titles.of);
        self.links.clear();
        self.vectors.scatter(&mut self.dense, text[i] as usize, false);
        for &t in &self.fresh_texts[..fresh] {
            self.memo[t as usize] = self.vectors.cosine_dense(&self.dense, t as usize);
        }
        self.vectors.scatter(&mut self.dense, text[i] as usize, true);
        for &j in &self.cands[..found] {
            let sim = self.memo[text[j] as usize];
            if sim >= titles.link_threshold(text[i] as usize, text[j] as usize, settings) {
                self.links.push((j, sim));
            }
        }
    }
}
