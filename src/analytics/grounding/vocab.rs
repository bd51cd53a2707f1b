//! One topic's texts read for matching: each distinct text once, as the sorted numbers of
//! its words in a vocabulary of the topic, in one arena. The words' inverse document
//! frequencies are counted by the caller, over the items of a window of months.

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
}

impl<'a> Vocabulary<'a> {
    pub(super) fn new(channel: Channel) -> Self {
        Vocabulary {
            channel,
            ids: FxMap::default(),
            arena: Vec::new(),
            start: vec![0],
            memo: FxMap::default(),
        }
    }

    /// The document of an item's text (read once per distinct text).
    pub(super) fn item(&mut self, text: &'a str, language: Option<&'a str>) -> u32 {
        match self.memo.get(&(text, language)) {
            Some(&d) => d,
            None => {
                let d = self.read(text, language);
                self.memo.insert((text, language), d);
                d
            }
        }
    }

    fn read(&mut self, text: &str, language: Option<&str>) -> u32 {
        let from = self.arena.len();
        let push = |w: &str, v: &mut Self| {
            let n = v.ids.len() as u32;
            let id = *v.ids.entry(w.to_string()).or_insert(n);
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

    /// Document `doc`'s word numbers, sorted, each once.
    pub(super) fn words(&self, doc: u32) -> &[u32] {
        &self.arena[self.start[doc as usize] as usize..self.start[doc as usize + 1] as usize]
    }

    /// The document frequencies of the words over `items` (documents, repeats counted).
    #[cfg(test)]
    pub(super) fn df_of(&self, items: &[u32]) -> Vec<u32> {
        let mut df = vec![0u32; self.len()];
        for &d in items {
            for &w in self.words(d) {
                df[w as usize] += 1;
            }
        }
        df
    }

    /// Document `doc`'s weight: the sum of its words' inverse document frequencies, in
    /// fixed point ([`Rarity::fixed`]).
    pub(super) fn weight(&self, doc: u32, r: Rarity) -> i64 {
        self.words(doc).iter().map(|&w| r.fixed(w)).sum()
    }

    /// The share of document `a`'s weight that document `b` has (0 when `a` has no words).
    #[cfg(test)]
    pub(super) fn overlap(&self, a: u32, b: u32, r: Rarity) -> f64 {
        self.overlap_of(a, self.weight(a, r), b, r)
    }

    /// [`Vocabulary::overlap`], with `a`'s weight given (computed once per bullet).
    pub(super) fn overlap_of(&self, a: u32, total: i64, b: u32, r: Rarity) -> f64 {
        let (x, y) = (self.words(a), self.words(b));
        if total == 0 {
            return 0.0;
        }
        let (mut i, mut j, mut shared) = (0, 0, 0i64);
        while i < x.len() && j < y.len() {
            match x[i].cmp(&y[j]) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    shared += r.fixed(x[i]);
                    i += 1;
                    j += 1;
                }
            }
        }
        shared as f64 / total as f64
    }

    /// Writes document `doc`'s word weights into `dense` (by word number), or zeros back
    /// (`clear`): then [`Vocabulary::gathered`] scores any document against it without a
    /// merge per pair.
    pub(super) fn scatter(&self, doc: u32, r: Rarity, dense: &mut [i64], clear: bool) {
        for &w in self.words(doc) {
            dense[w as usize] = if clear { 0 } else { r.fixed(w) };
        }
    }

    /// The weight document `doc` shares with the document scattered in `dense`: the same
    /// sum as [`Vocabulary::overlap_of`]'s.
    pub(super) fn gathered(&self, doc: u32, dense: &[i64]) -> i64 {
        self.words(doc).iter().map(|&w| dense[w as usize]).sum::<i64>()
    }

    /// Words in the vocabulary.
    pub(super) fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether document `doc` has no words.
    pub(super) fn is_empty(&self, doc: u32) -> bool {
        self.words(doc).is_empty()
    }
}

/// The rarity of a channel's words over the items of a window of months: their document
/// frequencies `df` over `n` items, read as the inverse document frequency
/// `ln((n + 1) / (df + 1)) + 1` of each word a score reads (not of every word).
#[derive(Clone, Copy)]
pub(super) struct Rarity<'r> {
    df: &'r [u32],
    n: f64,
}

impl<'r> Rarity<'r> {
    pub(super) fn new(df: &'r [u32], n: u32) -> Self {
        Rarity { df, n: f64::from(n) }
    }

    pub(super) fn idf(self, word: u32) -> f64 {
        ((self.n + 1.0) / (f64::from(self.df[word as usize]) + 1.0)).ln() + 1.0
    }

    /// [`Rarity::idf`] in fixed point (units of 2⁻³²): sums of them are exact, so a score
    /// does not depend on the order its words were numbered in (which differs between a
    /// topic read whole and read from a month on).
    pub(super) fn fixed(self, word: u32) -> i64 {
        (self.idf(word) * 4_294_967_296.0).round() as i64
    }
}
