//! Step 5 of story clustering, joining without chaining, and the stories once every item
//! has joined (their representatives, and step 6 in [`super::merge`]).
use super::clusterer::Clusterer;
use super::merge::merge_siblings;

/// Shingles a title needs to stand for its story when the story has such a title.
const REPRESENTATIVE_MIN_WORDS: usize = 5;

impl Clusterer<'_> {
    /// Step 5: item `i` joins the story it is most similar to on average over the story's
    /// articles in the window, among those it links to at least `join_fraction` of, or
    /// starts a story; then its shingles' postings take it.
    pub(super) fn join(&mut self, i: usize) {
        let date = self.day[i];
        let cutoff = date - i64::from(self.settings.window_days);
        let mut per_story: Vec<(u32, usize, f64)> = Vec::new();
        for &(j, sim) in &self.links {
            match per_story.iter_mut().find(|p| p.0 == self.story[j]) {
                Some(p) => {
                    p.1 += 1;
                    p.2 += sim;
                }
                None => per_story.push((self.story[j], 1, sim)),
            }
        }
        let best = per_story
            .iter()
            .filter_map(|&(k, linked, sum)| {
                let dates = &self.story_dates[k as usize];
                let in_window = dates.len() - dates.partition_point(|d| *d < cutoff);
                (linked as f64 >= self.settings.join_fraction * in_window as f64)
                    .then_some((k, sum / in_window as f64))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        let k = match best {
            Some((k, _)) => {
                for &(j, sim) in self.links.iter().filter(|(j, _)| self.story[*j] == k) {
                    self.centrality[i] += sim;
                    self.centrality[j] += sim;
                }
                k
            }
            None => {
                self.story_dates.push(Vec::new());
                self.story_members.push(Vec::new());
                (self.story_dates.len() - 1) as u32
            }
        };
        self.story[i] = k;
        self.story_dates[k as usize].push(date);
        self.story_members[k as usize].push(i);
        for s in self.vectors.ids(self.titles.of[i] as usize) {
            self.postings[*s as usize].push(i as u32);
        }
    }

    /// Each item's story and each story's representative, once every item has joined: the
    /// most central title, among those of at least `REPRESENTATIVE_MIN_WORDS` shingles when
    /// the story has one (a short generic caption, "Venezuela US Sanctions", resembles every
    /// title of a topic a little and would otherwise stand for stories it says nothing of);
    /// then step 6 joins the stories whose representatives say the same, and the stories
    /// are numbered again by first appearance. Items before `from` took no step (a resumed
    /// clustering keeps their stories): their numbers are left for the caller.
    pub(super) fn stories(self, from: usize) -> (Vec<u32>, Vec<usize>) {
        let text = &self.titles.of;
        let words = |i: usize| self.vectors.ids(text[i] as usize).len();
        let representative: Vec<usize> = self
            .story_members
            .iter()
            .map(|m| {
                let long = m.iter().any(|&i| words(i) >= REPRESENTATIVE_MIN_WORDS);
                *m.iter()
                    .filter(|&&i| !long || words(i) >= REPRESENTATIVE_MIN_WORDS)
                    .max_by(|a, b| self.centrality[**a].total_cmp(&self.centrality[**b]).then(b.cmp(a)))
                    .expect("a story has members")
            })
            .collect();
        let rep_text: Vec<u32> = representative.iter().map(|&r| text[r]).collect();
        let spans: Vec<(i64, i64)> =
            self.story_dates.iter().map(|d| (d[0], *d.last().expect("a story has dates"))).collect();
        let root = merge_siblings(self.vectors, self.rarest, self.titles, &rep_text, &spans, self.settings);
        let mut renumber = vec![u32::MAX; root.len()];
        let mut roots = 0u32;
        for k in 0..root.len() {
            if root[k] as usize == k {
                renumber[k] = roots;
                roots += 1;
            }
        }
        let mut story = self.story;
        for s in story[from..].iter_mut() {
            *s = renumber[root[*s as usize] as usize];
        }
        let representative = representative
            .iter()
            .enumerate()
            .filter(|(k, _)| root[*k] as usize == *k)
            .map(|(_, r)| *r)
            .collect();
        (story, representative)
    }
}
