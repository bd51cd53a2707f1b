//! One topic's texts read for matching: each distinct text once, as the sorted numbers of
//! its words in a vocabulary of the topic, in one arena; and the words' inverse document
//! frequencies over the topic's items.

use super::bridge;
use crate::analytics::lexicon::fold_lower;
use crate::fxhash::FxMap;

/// How a text is read into words.
#[derive(Clone, Copy)]
pub(super) enum Channel {
    /// The stories' shared vocabulary ([`bridge::bridge`]).
    Words,
    /// Capitalised words after the first, and numbers, folded.
    Names,
}

/// The texts of one topic as numbered words.
pub(super) struct Vocabulary<'a> {
    channel: Channel,
    ids: FxMap<String, u32>,
    /// Document `k`'s word numbers, sorted, each once: `arena[start[k]..start[k + 1]]`.
    arena: Vec<u32>,
    start: Vec<u32>,
    /// (text, language) → its document, so a reprinted title is read once.
    memo: FxMap<(&'a str, Option<&'a str>), u32>,
    /// Items (not documents) per word, and items counted.
    df: Vec<u32>,
    items: u32,
}

impl<'a> Vocabulary<'a> {
    pub(super) fn new(channel: Channel) -> Self {
        Vocabulary {
            channel,
            ids: FxMap::default(),
            arena: Vec::new(),
            start: vec![0],
            memo: FxMap::default(),
            df: Vec::new(),
            items: 0,
        }
    }

    /// The document of an item's text (read once per distinct text), counted as an item.
    pub(super) fn item(&mut self, text: &'a str, language: Option<&'a str>) -> u32 {
        let doc = match self.memo.get(&(text, language)) {
            Some(&d) => d,
            None => {
                let d = self.read(text, language);
                self.memo.insert((text, language), d);
                d
            }
        };
        self.items += 1;
        let (from, to) = (self.start[doc as usize] as usize, self.start[doc as usize + 1] as usize);
        for &w in &self.arena[from..to] {
            self.df[w as usize] += 1;
        }
        doc
    }

    fn read(&mut self, text: &str, language: Option<&str>) -> u32 {
        let from = self.arena.len();
        let push = |w: &str, v: &mut Self| {
            let n = v.ids.len() as u32;
            let id = *v.ids.entry(w.to_string()).or_insert(n);
            if id as usize == v.df.len() {
                v.df.push(0);
            }
            v.arena.push(id);
        };
        match self.channel {
            Channel::Words => {
                for w in bridge::bridge(text, language).split(' ').filter(|w| !w.is_empty()) {
                    push(w, self);
                }
            }
            Channel::Names => {
                let words = text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty());
                for (i, w) in words.enumerate() {
                    let capital = i > 0 && w.chars().next().is_some_and(char::is_uppercase);
                    let number = w.len() > 1 && w.chars().all(|c| c.is_ascii_digit());
                    if capital || number {
                        push(&fold_lower(w), self);
                    }
                }
            }
        }
        self.arena[from..].sort_unstable();
        let mut k = from;
        for i in from..self.arena.len() {
            if i == from || self.arena[i] != self.arena[k - 1] {
                self.arena[k] = self.arena[i];
                k += 1;
            }
        }
        self.arena.truncate(k);
        self.start.push(self.arena.len() as u32);
        (self.start.len() - 2) as u32
    }

    fn words(&self, doc: u32) -> &[u32] {
        &self.arena[self.start[doc as usize] as usize..self.start[doc as usize + 1] as usize]
    }

    /// The inverse document frequencies, `ln((n + 1) / (df + 1)) + 1` over the items counted.
    pub(super) fn idf(&self) -> Vec<f64> {
        let n = f64::from(self.items);
        self.df.iter().map(|&d| ((n + 1.0) / (f64::from(d) + 1.0)).ln() + 1.0).collect()
    }

    /// Document `doc`'s weight: the sum of its words' inverse document frequencies.
    pub(super) fn weight(&self, doc: u32, idf: &[f64]) -> f64 {
        self.words(doc).iter().map(|&w| idf[w as usize]).sum()
    }

    /// The share of document `a`'s weight that document `b` has (0 when `a` has no words).
    #[cfg(test)]
    pub(super) fn overlap(&self, a: u32, b: u32, idf: &[f64]) -> f64 {
        self.overlap_of(a, self.weight(a, idf), b, idf)
    }

    /// [`Vocabulary::overlap`], with `a`'s weight given (computed once per bullet).
    pub(super) fn overlap_of(&self, a: u32, total: f64, b: u32, idf: &[f64]) -> f64 {
        let (x, y) = (self.words(a), self.words(b));
        if total == 0.0 {
            return 0.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0.0);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += idf[x[i] as usize];
                    i += 1;
                    j += 1;
                }
            }
        }
        shared / total
    }

    /// Writes document `doc`'s word weights into `dense` (by word number), or zeros back
    /// (`clear`): then [`Vocabulary::gathered`] scores any document against it without a
    /// merge per pair.
    pub(super) fn scatter(&self, doc: u32, idf: &[f64], dense: &mut [f64], clear: bool) {
        for &w in self.words(doc) {
            dense[w as usize] = if clear { 0.0 } else { idf[w as usize] };
        }
    }

    /// The weight document `doc` shares with the document scattered in `dense`: the same
    /// products as [`Vocabulary::overlap_of`]'s, summed in the same (word number) order.
    pub(super) fn gathered(&self, doc: u32, dense: &[f64]) -> f64 {
        self.words(doc).iter().map(|&w| dense[w as usize]).sum::<f64>()
    }

    /// Words in the vocabulary.
    pub(super) fn len(&self) -> usize {
        self.df.len()
    }

    /// Whether document `doc` has no words.
    pub(super) fn is_empty(&self, doc: u32) -> bool {
        self.words(doc).is_empty()
    }
}
